//! The upgrade to schema version 14 (issue 18): an older ledger gains the filtered running
//! counts, filled from its tasks in the same step, and proves sound; a filtered report reads
//! them and equals the count from the tasks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use rusqlite::{Connection, OpenFlags};
use taizhang::db::progress::{compute, compute_counted, GroupBy};
use taizhang::db::tasks::Filter;

#[test]
fn a_version_4_ledger_gains_filtered_counts_that_equal_a_count() {
    let l = Ledger::new();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledger-v4.db"),
        &l.path,
    )
    .unwrap();
    l.run_ok(&["check"]);
    let conn = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, taizhang::db::schema::CURRENT_VERSION);
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM tally_by WHERE n > 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(rows > 0, "the upgrade left the filtered counts empty");
    let year: i32 = conn
        .query_row("SELECT min(year) FROM task", [], |r| r.get(0))
        .unwrap();
    let f = Filter {
        year: Some(year),
        ..Filter::default()
    };
    let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    for by in GroupBy::ALL {
        let fast = compute(&conn, by, &f, day).unwrap();
        let slow = compute_counted(&conn, by, &f, day).unwrap();
        assert!(fast.total.total > 0, "by {by:?}: no task of {year}");
        assert_eq!(fast.total, slow.total, "by {by:?}");
    }
    // A write after the upgrade keeps them exact.
    l.run_ok(&["add", "升级后任务", "--owner", "区司法局", "--continuous"]);
    l.run_ok(&["check"]);
}

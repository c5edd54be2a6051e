//! The upgrade to schema version 8 (extension requests and evidence, issue 13 part B): an
//! older ledger gains the four tables and their append-only triggers, keeps every task and
//! history row, proves sound, and takes requests at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use rusqlite::Connection;

fn version(db: &std::path::Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn tables(db: &std::path::Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut s = c
        .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger') ORDER BY name")
        .unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A version-4 fixture goes through every step to 8, proves sound, and takes a request.
#[test]
fn a_version_4_ledger_upgrades_and_takes_an_extension_request() {
    let l = Ledger::new();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledger-v4.db"),
        &l.path,
    )
    .unwrap();
    l.run_ok(&["check"]);
    assert_eq!(version(&l.path), taizhang::db::schema::CURRENT_VERSION);
    let names = tables(&l.path);
    for t in [
        "extension_request",
        "extension_decision",
        "evidence",
        "evidence_blob",
        "extension_request_no_update",
        "evidence_no_delete",
    ] {
        assert!(names.iter().any(|n| n == t), "{t} missing: {names:?}");
    }
    // An open task with a deadline from the fixture takes a request and an approval.
    let list = l.json(&["list", "--status", "todo", "--status", "doing"]);
    let task = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["deadline"].is_string() && t["deadline"].as_str().unwrap() < "2026-01-01")
        .expect("an open task with a deadline")
        .clone();
    let id = task["id"].as_i64().unwrap().to_string();
    l.run_ok(&[
        "request-extension",
        &id,
        "--to",
        "2026-06-30",
        "--note",
        "升级后申请",
    ]);
    l.run_ok(&["approve", &id]);
    assert_eq!(l.show(id.parse().unwrap())["deadline"], "2026-06-30");
    l.run_ok(&["check"]);
}

/// An older ledger gains exactly the tables and triggers a new ledger has: the requests
/// step adds nothing more or less than schema.sql's block (later steps add their own).
#[test]
fn an_older_ledger_gains_exactly_the_objects_of_a_new_one() {
    let fresh = Ledger::init();
    let want = tables(&fresh.path);
    let l = Ledger::new();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledger-v4.db"),
        &l.path,
    )
    .unwrap();
    assert_eq!(version(&l.path), 4);
    l.run_ok(&["check"]);
    assert_eq!(version(&l.path), taizhang::db::schema::CURRENT_VERSION);
    assert_eq!(tables(&l.path), want);
    assert!(l.sibling("taizhang.db.v4.bak").exists());
}

//! The JSON Lines export carries the ledger's time zone (`init --timezone`), so a ledger
//! rebuilt from it shows its times in the same zone; files written before keep importing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

/// The ledger's stored time-zone setting, if it has one.
fn zone_of(l: &Ledger) -> Option<String> {
    let c = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.query_row("SELECT value FROM meta WHERE key = 'timezone'", [], |r| {
        r.get(0)
    })
    .optional()
    .unwrap()
}

fn exported(l: &Ledger) -> std::path::PathBuf {
    let text = l.run_ok(&["export", "--format", "jsonl"]);
    let file = l.dir.path().join("out.jsonl");
    std::fs::write(&file, text).unwrap();
    file
}

/// Before: the header had no zone, and a ledger imported from a UTC ledger's export showed
/// its times in Asia/Shanghai. Now the header names the zone and the new ledger takes it.
#[test]
fn an_imported_ledger_keeps_the_exported_time_zone() {
    let a = Ledger::new();
    a.run_ok(&["init", "--timezone", "UTC"]);
    a.add("推进行政执法三项制度", &[]);
    let file = exported(&a);
    let header = std::fs::read_to_string(&file).unwrap();
    let header = header.lines().next().unwrap();
    assert!(header.contains(r#""timezone":"UTC""#), "{header}");

    let b = Ledger::new();
    b.run_ok(&["import", file.to_str().unwrap()]);
    assert_eq!(zone_of(&b).as_deref(), Some("UTC"));
    b.run_ok(&["check"]);
    // Exported again, the same file: nothing lost on the way.
    assert_eq!(
        std::fs::read_to_string(exported(&b)).unwrap(),
        std::fs::read_to_string(&file).unwrap()
    );
}

/// A ledger that already holds work keeps its own zone when another ledger's file is merged
/// into it: its earlier times were shown in that zone.
#[test]
fn a_merge_into_a_ledger_with_work_keeps_its_own_zone() {
    let a = Ledger::new();
    a.run_ok(&["init", "--timezone", "UTC"]);
    a.add("推进行政执法三项制度", &[]);
    let file = exported(&a);
    let b = Ledger::new();
    b.run_ok(&["init", "--timezone", "Europe/Berlin"]);
    b.add("建立合法性审核机制", &[]);
    b.run_ok(&["import", file.to_str().unwrap()]);
    assert_eq!(zone_of(&b).as_deref(), Some("Europe/Berlin"));
    b.run_ok(&["check"]);
}

/// A file written before the header carried a zone still imports, and the ledger keeps the
/// default zone.
#[test]
fn a_file_without_a_zone_still_imports() {
    let a = Ledger::new();
    a.run_ok(&["init", "--timezone", "UTC"]);
    a.add("推进行政执法三项制度", &[]);
    let file = exported(&a);
    let text = std::fs::read_to_string(&file).unwrap();
    let old = text.replacen(r#","timezone":"UTC""#, "", 1);
    let old_file = a.dir.path().join("old.jsonl");
    std::fs::write(&old_file, old).unwrap();
    let b = Ledger::new();
    b.run_ok(&["import", old_file.to_str().unwrap()]);
    assert_eq!(zone_of(&b), None);
    b.run_ok(&["check"]);
}

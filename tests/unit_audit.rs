//! Issue 13: edits of the units register are part of the audit trail. `unit rename/alias/
//! unalias/short` each record a change (actor, command) and the edit (old → new), listed by
//! `unit history`; `undo` takes the last one back, or refuses with one line where tasks have
//! used the new name since.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

fn units(l: &Ledger) -> Value {
    l.json(&["unit", "list"])
}

fn ledger() -> Ledger {
    let l = Ledger::init();
    l.add("行政执法三项制度", &["--owner", "区司法局"]);
    l.add("公平竞争审查", &["--owner", "区市场监管局"]);
    l
}

#[test]
fn each_register_edit_is_recorded_and_listed() {
    let l = ledger();
    l.run_ok(&["unit", "rename", "区司法局", "天宁区司法局"]);
    l.run_ok(&["unit", "alias", "天宁区司法局", "司法局"]);
    l.run_ok(&["unit", "short", "天宁区司法局", "司法"]);
    l.run_ok(&["unit", "unalias", "司法局"]);
    let h = l.json(&["unit", "history"]);
    let rows = h.as_array().unwrap();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap(),
                r["old"].as_str().unwrap_or(""),
                r["new"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("rename", "区司法局", "天宁区司法局"),
            ("alias", "", "司法局"),
            ("short", "", "司法"),
            ("unalias", "司法局", ""),
        ],
        "{h}"
    );
    assert_eq!(rows[0]["actor"], common::USER);
    assert!(
        rows[0]["command"].as_str().unwrap().contains("rename"),
        "{h}"
    );
    let text = l.run_ok(&["unit", "history"]);
    assert!(text.contains("区司法局 → 天宁区司法局"), "{text}");
    l.run_ok(&["check"]);
}

#[test]
fn undo_takes_a_rename_back() {
    let l = ledger();
    let before = units(&l);
    l.run_ok(&["unit", "rename", "区司法局", "天宁区司法局"]);
    assert_ne!(units(&l), before);
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(units(&l), before);
    l.run_ok(&["check"]);
    // The undo is itself recorded, and the rename is not undone twice: the next undo takes
    // back the command before it.
    let h = l.json(&["unit", "history"]);
    assert_eq!(h[1]["action"], "undo", "{h}");
    let next = l.run_ok(&["undo", "--yes"]);
    assert!(!next.contains("unit rename"), "{next}");
    assert!(next.contains("add"), "{next}");
}

#[test]
fn undo_takes_alias_short_and_unalias_back() {
    let l = ledger();
    let before = units(&l);
    l.run_ok(&["unit", "alias", "区司法局", "区市场监管局"]);
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(units(&l), before, "a merge is taken back");
    l.run_ok(&["unit", "short", "区司法局", "司法"]);
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(units(&l), before);
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    let aliased = units(&l);
    l.run_ok(&["unit", "unalias", "司法局"]);
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(units(&l), aliased);
    l.run_ok(&["check"]);
}

#[test]
fn undo_of_a_rename_is_refused_once_tasks_use_the_new_name() {
    let l = ledger();
    l.run_ok(&["unit", "rename", "区司法局", "天宁区司法局"]);
    l.add("规范性文件备案审查", &["--owner", "天宁区司法局"]);
    // The add is the last change; undo it first, as a person would, then the rename is next:
    // but the task was only cancelled, so it still uses the new name.
    l.run_ok(&["undo", "--yes"]);
    let before = l.dump();
    let f = l.fail(&["undo", "--yes"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("天宁区司法局"), "{f:?}");
    assert_eq!(f.stderr.trim().lines().count(), 1, "{f:?}");
    assert_eq!(l.dump(), before);
}

/// A ledger of the version before the register's audit trail (11) upgrades: the table is
/// added, `check` passes and the next register edit is recorded.
#[test]
fn a_version_12_ledger_upgrades_and_records_register_edits() {
    use rusqlite::Connection;
    let l = ledger();
    {
        // Make it the version 12 shape: without the table this version adds.
        let c = Connection::open(&l.path).unwrap();
        c.execute_batch(
            "DROP TRIGGER unit_edit_no_update; DROP TRIGGER unit_edit_no_delete;
             DROP TABLE unit_edit; PRAGMA user_version = 12;",
        )
        .unwrap();
    }
    l.run_ok(&["check"]);
    let c = Connection::open(&l.path).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, taizhang::db::schema::CURRENT_VERSION);
    l.run_ok(&["unit", "rename", "区司法局", "天宁区司法局"]);
    assert_eq!(l.json(&["unit", "history"]).as_array().unwrap().len(), 1);
    l.run_ok(&["check"]);
}

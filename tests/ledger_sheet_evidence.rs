//! Issue 13: the 佐证材料 column of an office's own ledger becomes each new task's evidence
//! references (listed by `show`), in the import's one change, not only text in the creation
//! note.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod ledger_fixtures;

use common::Ledger;
use ledger_fixtures as fx;

#[test]
fn ledger_sheet_evidence_becomes_references() {
    let l = Ledger::init();
    let f = fx::several_sheets_hidden_columns(l.dir.path());
    l.run_ok(&["import", f.to_str().unwrap()]);
    let ts = l.json(&["list"]);
    let t = ts
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["ref"] == "2025年/1")
        .unwrap();
    let shown = l.show(t["id"].as_i64().unwrap());
    let refs: Vec<&str> = shown["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["reference"].as_str())
        .collect();
    assert_eq!(refs, ["会议纪要.pdf", "通知.docx"], "{shown}");
    // The creation and its evidence are one change, so they stand or fall together.
    let changes: std::collections::BTreeSet<i64> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["change_id"].as_i64())
        .collect();
    assert!(changes.len() <= 1, "{shown}");
    l.run_ok(&["check"]);
}

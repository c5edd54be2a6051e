//! The same report in other bytes (GBK, full-width digits, CRLF, a web copy) is recognised as
//! already imported by its issuer and report year; `--new-version` applies a corrected text to
//! the existing tasks, with history rows, and never duplicates them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

fn fx(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn tasks(l: &Ledger) -> Vec<Value> {
    l.json(&["list", "--limit", "1000"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_gbk_fullwidth_copy_of_an_imported_report_is_already_imported() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx("tianning-2024-report.txt")]);
    l.checkpoint();
    let before = l.dump();
    let out = l.run_ok(&["import", &fx("tianning-2024-report-gbk-crlf.txt")]);
    assert!(out.contains("was already imported (document #1)"), "{out}");
    assert!(out.contains("--new-version"), "{out}");
    assert_eq!(l.dump(), before, "the copy changed the ledger");
    assert_eq!(tasks(&l).len(), 24);
}

#[test]
fn new_version_updates_titles_and_bodies_with_history_and_never_duplicates() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx("tianning-2024-report.txt")]);
    let text = std::fs::read_to_string(fx("tianning-2024-report.txt")).unwrap();
    let corrected = text
        .replace("压茬推进重点改革任务", "压茬推进重点领域改革任务")
        .replace("区级保留城市管理", "区级只保留城市管理");
    let f = l.sibling("corrected.txt");
    std::fs::write(&f, corrected).unwrap();
    let f = f.display().to_string();

    // Without the option the corrected text is the same report: nothing changes.
    let out = l.run_ok(&["import", &f]);
    assert!(out.contains("already imported"), "{out}");

    let v = l.json(&["import", "--new-version", &f]);
    assert_eq!(v["created"], serde_json::json!([]));
    assert_eq!(v["updated"].as_array().map(Vec::len), Some(2), "{v}");
    let all = tasks(&l);
    assert_eq!(all.len(), 24);
    let a11 = all.iter().find(|t| t["ref"] == "2024-A1.1").unwrap();
    assert_eq!(a11["title"], "压茬推进重点领域改革任务");
    let id = a11["id"].as_i64().unwrap();
    let shown = l.show(id);
    let history = shown["history"].as_array().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["field"] == "title" && h["old"] == "压茬推进重点改革任务"),
        "{shown}"
    );
    // Importing the same new version again changes nothing more.
    l.checkpoint();
    let before = l.dump();
    let v = l.json(&["import", "--new-version", &f]);
    assert_eq!(v["already_imported"], true);
    assert_eq!(l.dump(), before);
}

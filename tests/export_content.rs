//! Issue 17: one content model for the year export. Every task has a ref (hand-added tasks get
//! `<year>-T<n>` on creation, an older ledger gets them in the upgrade to version 14, `check`
//! names a task without one), and every format shows the same rows and columns.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

/// The JSON export of `year`.
fn export_json(l: &Ledger, year: &str) -> Value {
    let out = l.run_ok(&["export", "--year", year, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

/// A task added by hand gets `<plan year>-T<n>`, numbered per year, in `show`, in the export
/// (never "#id") and in JSON `unaddressed`.
#[test]
fn hand_added_tasks_get_a_ref_on_creation() {
    let l = Ledger::init();
    let a = l.add("案卷评查", &["--year", "2025"]);
    let b = l.add("涉企检查规范", &["--year", "2025"]);
    let c = l.add("上年度任务", &["--year", "2024"]);
    let s = l.add(
        "执法质量有待提升",
        &["--year", "2025", "--kind", "shortcoming"],
    );
    let given = l.add("有编号的任务", &["--year", "2025", "--ref", "2025-C1.1"]);
    let d = l.add("其后的任务", &["--year", "2025"]);
    let refs: Vec<Value> = [a, b, c, s, given, d]
        .iter()
        .map(|id| l.show(*id)["ref"].clone())
        .collect();
    assert_eq!(
        refs,
        [
            "2025-T1",
            "2025-T2",
            "2024-T1",
            "2025-T3",
            "2025-C1.1",
            "2025-T4"
        ],
        "{refs:?}"
    );
    let j = export_json(&l, "2025");
    assert_eq!(j["unaddressed"], serde_json::json!(["2025-T3"]), "{j}");
    let md = l.run_ok(&["export", "--year", "2025", "--format", "md"]);
    assert!(!md.contains(&format!("#{s}")), "{md}");
    assert!(md.contains("2025-T3"), "{md}");
    assert!(l.run_ok(&["check"]).contains("sound"));
}

/// A carried task keeps its ref: the 2026 export names it as before, with its plan year.
#[test]
fn a_carried_task_keeps_its_ref() {
    let mut l = Ledger::init().at("2025-12-31T17:00:00+08:00");
    let t = l.add("跨年任务", &["--year", "2025"]);
    assert_eq!(l.show(t)["ref"], "2025-T1");
    l.set_now("2026-01-05T09:00:00+08:00");
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l.run_ok(&["carry-over", "--from", "2025"]);
    assert_eq!(l.show(t)["ref"], "2025-T1");
    assert_eq!(l.show(t)["year"], 2026);
    // A task added to 2026 afterwards is numbered in 2026.
    let n = l.add("新年度任务", &["--year", "2026"]);
    assert_eq!(l.show(n)["ref"], "2026-T1");
    assert!(l.run_ok(&["check"]).contains("sound"));
}

/// A ledger file's tasks without a ref get one on import, recorded so that `check` agrees.
#[test]
fn ledger_import_gives_ref_less_tasks_a_ref() {
    let l = Ledger::init();
    let file = l.sibling("in.jsonl");
    let src = Ledger::init();
    src.add("带编号", &["--year", "2025", "--ref", "2025-C9"]);
    src.add("手工", &["--year", "2025"]);
    // A file written before refs were given on creation: the second task's ref is dropped
    // (from the task line and from its creation row).
    let text = src.run_ok(&["export", "--format", "jsonl"]);
    let text = text
        .replace(r#""ref":"2025-T1","#, "")
        .replace(r#"\"ref\":\"2025-T1\","#, "");
    assert!(!text.contains("2025-T1"), "{text}");
    std::fs::write(&file, text).unwrap();
    l.run_ok(&["import", file.to_str().unwrap()]);
    let refs: Vec<Value> = (1..=2).map(|id| l.show(id)["ref"].clone()).collect();
    assert_eq!(refs, ["2025-C9", "2025-T1"]);
    assert!(l.run_ok(&["check"]).contains("sound"));
}

/// The upgrade of a version-4 ledger gives its two hand-added tasks 2025-T1 and 2025-T2, the
/// replay agrees (`check` is sound), and an export of the year names them by ref.
#[test]
fn the_upgrade_gives_older_tasks_refs() {
    let l = Ledger::new().at("2026-01-05T09:00:00+08:00");
    let fixture = format!("{}/fixtures/ledger-v4.db", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(fixture, &l.path).unwrap();
    // Writing upgrades the ledger.
    l.run_ok(&["note", "1", "升级后的第一条进展"]);
    assert_eq!(l.show(25)["ref"], "2025-T1");
    assert_eq!(l.show(26)["ref"], "2025-T2");
    let out = l.run_ok(&["check"]);
    assert!(out.contains("sound"), "{out}");
    // The ref takes effect when the task was created: an export as of an earlier day
    // names the task by it too.
    let j = export_json(&l, "2025");
    let refs: Vec<&str> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["ref"].as_str())
        .collect();
    assert!(refs.contains(&"2025-T1"), "{refs:?}");
    assert!(j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["ref"].is_string()));
}

/// `check` names a task without a ref (the ledger was changed outside taizhang).
#[test]
fn check_reports_a_task_without_a_ref() {
    let l = Ledger::init();
    let id = l.add("手工", &["--year", "2025"]);
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    conn.execute("UPDATE task SET ref = NULL WHERE id = ?1", [id])
        .unwrap();
    drop(conn);
    let f = l.fail(&["check"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stdout.contains("have no ref (#1)"), "{f:?}");
}

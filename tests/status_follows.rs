//! Status follows the work (issue 13 part B): progress above 0 starts a todo task; a parent's
//! status is derived from its sub-tasks and cannot be set by hand while any is open; sub-tasks
//! inherit the parent's area and kind. Each as the user sees it in list, report and warn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

fn status_of(l: &Ledger, id: i64) -> String {
    l.show(id)["status"].as_str().unwrap().to_string()
}

/// A commitment due 2025-02-01 (past on the test clock, 2025-03-01) with two sub-tasks.
fn parent_with_two() -> Ledger {
    let l = Ledger::init();
    l.run_ok(&[
        "add",
        "落实行政执法三项制度",
        "--kind",
        "commitment",
        "--area",
        "执法监督",
        "--deadline",
        "2025-02-01",
    ]);
    l.run_ok(&["add", "区城管局案卷评查", "--parent", "1"]);
    l.run_ok(&["add", "区市场监管局案卷评查", "--parent", "1"]);
    l
}

#[test]
fn progress_above_zero_starts_a_todo_task() {
    let l = Ledger::init();
    let id = l.add("甲", &[]);
    l.run_ok(&["update", &id.to_string(), "--progress", "30"]);
    assert_eq!(status_of(&l, id), "doing");
    // An explicit status is kept.
    let id2 = l.add("乙", &[]);
    l.run_ok(&[
        "update",
        &id2.to_string(),
        "--progress",
        "30",
        "--status",
        "todo",
    ]);
    assert_eq!(status_of(&l, id2), "todo");
    // add --progress 30 starts it too.
    let id3 = l.add("丙", &["--progress", "30"]);
    assert_eq!(status_of(&l, id3), "doing");
    l.run_ok(&["check"]);
}

#[test]
fn a_parent_whose_sub_tasks_are_done_is_done_in_list_report_and_warn() {
    let l = parent_with_two();
    l.run_ok(&["update", "2", "--progress", "50"]);
    assert_eq!(
        status_of(&l, 1),
        "doing",
        "a started sub-task starts the parent"
    );
    l.run_ok(&["update", "2", "3", "--status", "done", "--note", "评查完成"]);
    let list = l.json(&["list"]);
    let p = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == 1)
        .unwrap();
    assert_eq!(p["status"], "done", "{p}");
    assert_eq!(p["progress"], 100);
    assert_eq!(p["overdue"], false);
    let report = l.json(&["report"]);
    let g = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "执法监督")
        .unwrap();
    // The sub-tasks took the parent's area: all three are done.
    assert_eq!(
        (g["done"].as_i64(), g["todo"].as_i64()),
        (Some(3), Some(0)),
        "{g}"
    );
    assert_eq!(g["overdue"], 0);
    let warn = l.json(&["warn"]);
    assert_eq!(warn["red"], 0, "{warn}");
    let zh = l.run_ok(&["--lang", "zh", "list"]);
    assert!(
        zh.lines()
            .any(|r| r.contains("落实行政执法三项制度") && !r.contains("未启动")),
        "{zh}"
    );
    // The parent's row in its history says why it changed.
    let h = l.show(1)["history"].clone();
    let derived: Vec<&Value> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "status")
        .collect();
    assert_eq!(derived.last().unwrap()["new"], "done");
    assert!(derived.last().unwrap()["note"]
        .as_str()
        .unwrap()
        .contains("子任务"));
    l.run_ok(&["check"]);
}

#[test]
fn derivation_follows_blocked_verified_and_moves() {
    let l = parent_with_two();
    l.run_ok(&["update", "2", "--status", "blocked"]);
    assert_eq!(status_of(&l, 1), "blocked");
    l.run_ok(&["update", "2", "--status", "doing"]);
    assert_eq!(status_of(&l, 1), "doing");
    // A grandparent follows through the middle.
    l.run_ok(&["add", "上级", "--kind", "commitment"]);
    l.run_ok(&["update", "1", "--parent", "4"]);
    assert_eq!(status_of(&l, 4), "doing");
    // Moving the only started sub-task away leaves the parent not started.
    l.run_ok(&["add", "另一项", "--kind", "commitment"]);
    l.run_ok(&["update", "2", "--parent", "5"]);
    assert_eq!(status_of(&l, 1), "todo");
    assert_eq!(status_of(&l, 5), "doing");
    l.run_ok(&["check"]);
}

#[test]
fn a_parent_with_open_sub_tasks_cannot_be_set_by_hand() {
    let l = parent_with_two();
    l.run_ok(&["update", "2", "--status", "done", "--note", "完成"]);
    let before = l.dump();
    l.fail(&["update", "1", "--status", "done", "--note", "x"])
        .check(1, &["#1", "open sub-task", "#3", "update"]);
    l.fail(&["--lang", "zh", "update", "1", "--status", "blocked"])
        .check(1, &["#3", "子任务"]);
    assert_eq!(l.dump(), before);
    // With every sub-task closed the parent is no longer refused.
    l.run_ok(&["update", "3", "--status", "done", "--note", "完成"]);
    assert_eq!(status_of(&l, 1), "done");
}

#[test]
fn sub_tasks_inherit_area_and_kind_unless_given() {
    let l = parent_with_two();
    let t = l.show(2);
    assert_eq!(t["area"], "执法监督");
    assert_eq!(t["kind"], "commitment");
    let own = l.add(
        "自有领域",
        &["--parent", "1", "--area", "普法", "--kind", "shortcoming"],
    );
    let t = l.show(own);
    assert_eq!(t["area"], "普法");
    assert_eq!(t["kind"], "shortcoming");
}

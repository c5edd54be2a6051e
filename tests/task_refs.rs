//! Issue 13, part A (4): wherever a task is taken, it may be named by id, by ref (with or
//! without a document suffix) or, where several are taken, by a range of ids. An unknown ref,
//! a range with unknown ids and a range over 10,000 ids are refused with one line, and the
//! ledger is unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// Five tasks with refs: 2025-C1.1 … 2025-C1.3, 2025-S1 (a shortcoming) and 2025-S2#D3 (a
/// shortcoming of a second document).
fn ledger() -> Ledger {
    let l = Ledger::init();
    for (title, r) in [
        ("落实三项制度", "2025-C1.1"),
        ("规范涉企检查", "2025-C1.2"),
        ("推进复议", "2025-C1.3"),
    ] {
        l.add(title, &["--ref", r, "--kind", "commitment"]);
    }
    l.add(
        "执法质量有待提升",
        &["--ref", "2025-S1", "--kind", "shortcoming"],
    );
    l.add(
        "队伍力量薄弱",
        &["--ref", "2025-S2#D3", "--kind", "shortcoming"],
    );
    l
}

#[test]
fn a_ref_names_a_task_in_every_command() {
    let l = ledger();
    // Refused before issue 13: "invalid value '2025-C1.1' for '<ID>'".
    let t = l.json(&["show", "2025-C1.2"]);
    assert_eq!(t["id"], 2, "{t}");
    // Without the document suffix.
    assert_eq!(l.json(&["show", "2025-S2"])["id"], 5);
    l.run_ok(&["update", "2025-C1.1", "--progress", "30"]);
    assert_eq!(l.show(1)["progress"], 30);
    let out = l.run_ok(&["note", "2025-C1.3", "已部署"]);
    assert!(out.starts_with("#3:"), "{out}");
    let out = l.run_ok(&["link", "2025-C1.1", "--addresses", "2025-S1"]);
    assert!(out.contains("#1") && out.contains("#4"), "{out}");
    let out = l.run_ok(&["unlink", "#1", "--addresses", "2025-S1"]);
    assert!(out.contains("#4"), "{out}");
    let h = l.json(&["history", "2025-C1.3"]);
    assert!(
        h.as_array().unwrap().iter().all(|r| r["task_id"] == 3),
        "{h}"
    );
    let sub = l.add("子任务", &["--parent", "2025-C1.1"]);
    assert_eq!(l.show(sub)["parent_id"], 1);
    l.run_ok(&["update", &sub.to_string(), "--parent", "2025-C1.2"]);
    assert_eq!(
        common::ids(&l.json(&["list", "--parent", "2025-C1.2"])),
        [sub]
    );
    l.run_ok(&["check"]);
}

#[test]
fn a_range_updates_every_task_in_it() {
    let l = ledger();
    // Refused before issue 13.
    let out = l.run_ok(&["update", "1-3", "5", "--status", "doing"]);
    assert_eq!(out.lines().count(), 4, "{out}");
    for id in [1, 2, 3, 5] {
        assert_eq!(l.show(id)["status"], "doing", "#{id}");
    }
    assert_eq!(l.show(4)["status"], "todo");
    l.run_ok(&["check"]);
}

#[test]
fn unknown_refs_and_ranges_are_refused_and_change_nothing() {
    let l = ledger();
    let before = l.dump();
    l.fail(&["update", "2025-C9.9", "--progress", "10"])
        .check(1, &["2025-C9.9"]);
    l.fail(&["update", "4-9", "--progress", "10"])
        .check(1, &["4-9", "#6"]);
    l.fail(&["update", "1-20000", "--progress", "10"])
        .check(2, &["at most 10000"]);
    l.fail(&["update", "3-1", "--progress", "10"])
        .check(2, &["lower id first"]);
    l.fail(&["show", "1-3"]).check(2, &["one task"]);
    l.fail(&["note", "3-7", "x"]).check(1, &["3-7"]);
    l.fail(&["link", "1", "--addresses", "2025-S9"])
        .check(1, &["2025-S9"]);
    l.fail(&["add", "x", "--parent", "2025-C7"])
        .check(1, &["2025-C7"]);
    // "2025-C1" is the start of three refs but none of them plus a document suffix.
    l.fail(&["show", "2025-C1"]).check(1, &["2025-C1"]);
    assert_eq!(l.dump(), before);
    // The Chinese line says the same.
    let f = l.fail(&["--lang", "zh", "update", "4-9", "--progress", "10"]);
    f.check(1, &["范围 4-9"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn a_ref_two_documents_share_is_refused_as_ambiguous() {
    let l = ledger();
    l.add(
        "另一文件的同号短板",
        &["--ref", "2025-S2#D4", "--kind", "shortcoming"],
    );
    let before = l.dump();
    l.fail(&["update", "2025-S2", "--progress", "5"])
        .check(2, &["2025-S2#D3", "2025-S2#D4"]);
    assert_eq!(l.dump(), before);
    assert_eq!(l.json(&["show", "2025-S2#D4"])["id"], 6);
}

#[test]
fn a_range_takes_a_note_a_link_and_the_history_of_each_task() {
    let l = ledger();
    let out = l.run_ok(&["note", "1-3", "已部署"]);
    assert_eq!(out.lines().count(), 3, "{out}");
    let out = l.run_ok(&["link", "1-3", "--addresses", "2025-S1"]);
    assert_eq!(out.lines().count(), 3, "{out}");
    let h = l.json(&["history", "1-3"]);
    let tasks: std::collections::BTreeSet<i64> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["task_id"].as_i64().unwrap())
        .collect();
    assert_eq!(tasks.into_iter().collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(
        l.json(&["history", "1-3", "--limit", "2"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // One change: undo takes the three links back together.
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(
        l.json(&["show", "2025-S1"])["addressed_by"],
        serde_json::json!([])
    );
    l.run_ok(&["check"]);
    // A range that would link a shortcoming to itself links none.
    let before = l.dump();
    l.fail(&["link", "3-4", "--addresses", "4"])
        .check(1, &["itself"]);
    assert_eq!(l.dump(), before);
}

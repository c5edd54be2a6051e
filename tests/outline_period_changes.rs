//! `outline add` and `outline rename` are changes like any other (issue 14, second round): a
//! change row with its command, shown by `history`, taken back by `undo` (a period added by
//! mistake is removed, a rename is named back), and refused by undo in one line when tasks
//! already lie in the period that would go. A version-11 ledger upgrades and stays sound.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

fn periods(l: &Ledger) -> Vec<String> {
    l.json(&["outline", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}-{} {}",
                p["start"],
                p["end"],
                p["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn outline_add_and_rename_are_history_and_undo_takes_them_back() {
    let l = Ledger::init();
    let id = l.add("任务", &["--year", "2025"]);
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l.run_ok(&[
        "outline",
        "rename",
        "2026-2030",
        "法治政府建设实施纲要（2026—2030年）",
    ]);
    let h = l.run_ok(&["history"]);
    assert!(h.contains("outline add 2026-2030"), "{h}");
    assert!(h.contains("outline rename 2026-2030"), "{h}");
    l.run_ok(&["check"]);

    // The rename is taken back first, then the add; the task is untouched by both.
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(periods(&l)[1], "2026-2030 十五五");
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(periods(&l).len(), 1);
    assert_eq!(
        l.show(id)["task"]["status"]
            .as_str()
            .or(l.show(id)["status"].as_str()),
        Some("todo")
    );
    l.run_ok(&["check"]);
    // The year is free again: adding it now is refused as before the period existed.
    l.fail(&["add", "x", "--year", "2026"])
        .check(1, &["outline add 2026-2030"]);
}

#[test]
fn undo_of_an_added_period_that_holds_tasks_is_refused_in_one_line() {
    let l = Ledger::init();
    l.run_ok(&["outline", "add", "2026-2030"]);
    // Another person's task lies in the period.
    l.run_ok(&["--user", "乙", "add", "二〇二七年任务", "--year", "2027"]);
    let before = l.dump();
    l.fail(&["undo", "--yes"])
        .check(1, &["outline add 2026-2030", "2027"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn a_version_11_ledger_upgrades_and_records_period_changes() {
    let l = Ledger::init();
    l.add("任务", &[]);
    l.checkpoint();
    {
        let c = rusqlite::Connection::open(&l.path).unwrap();
        c.execute_batch(
            "DROP TRIGGER period_history_no_update; DROP TRIGGER period_history_no_delete;
             DROP TABLE period_history; PRAGMA user_version = 11;",
        )
        .unwrap();
    }
    l.run_ok(&["check"]);
    l.run_ok(&["outline", "add", "2026-2030"]);
    assert!(l.run_ok(&["history"]).contains("outline add 2026-2030"));
    l.run_ok(&["check"]);
    let v: i64 = rusqlite::Connection::open(&l.path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, taizhang::db::schema::CURRENT_VERSION);
}

//! Issue 14: outline periods as data, `update --year`, carry-over (结转) and the closing
//! evaluation (收官评估), run as a user would, on temporary ledgers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use rusqlite::Connection;

fn fx(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A new ledger holds the 2021–2025 outline; a later period is added and renamed; an
/// overlapping one is refused in one line and changes nothing.
#[test]
fn periods_are_listed_added_renamed_and_never_overlap() {
    let l = Ledger::init();
    let v = l.json(&["outline", "list"]);
    assert_eq!(v[0]["start"], 2021);
    assert_eq!(v[0]["end"], 2025);
    assert_eq!(v[0]["closing_year"], 2025);
    assert_eq!(v[0]["name"], "法治政府建设实施纲要（2021—2025年）");
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    let before = l.dump();
    let f = l.fail(&["outline", "add", "2028-2032", "--name", "x"]);
    f.check(1, &["overlaps 2026-2030", "outline list"]);
    assert_eq!(f.stderr.lines().count(), 1, "{}", f.stderr);
    assert_eq!(l.dump(), before);
    l.run_ok(&[
        "outline",
        "rename",
        "2026-2030",
        "法治政府建设实施纲要（2026—2030年）",
    ]);
    let v = l.json(&["outline", "list"]);
    assert_eq!(v[1]["name"], "法治政府建设实施纲要（2026—2030年）");
    assert_eq!(v[1]["closing_year"], 2030);
    let f = l.fail(&["outline", "rename", "2031-2035", "x"]);
    f.check(1, &["no outline period 2031-2035"]);
}

/// `init --outline` still sets a new ledger's period.
#[test]
fn init_outline_sets_a_new_ledgers_period() {
    let l = Ledger::new();
    l.run_ok(&["init", "--outline", "2026-2030"]);
    let v = l.json(&["outline", "list"]);
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["start"], 2026);
    let t = l.json(&["add", "新任务"]);
    assert_eq!(t["year"], 2030);
}

/// A plan year outside every period is refused by add, update and import, with the command
/// that adds the period, and the ledger is unchanged.
#[test]
fn a_plan_year_outside_every_period_is_refused() {
    let l = Ledger::init();
    let id = l.add("任务", &["--year", "2025"]);
    let before = l.dump();
    l.fail(&["add", "x", "--year", "2026"]).check(
        1,
        &["outside every outline period", "outline add 2026-2030"],
    );
    l.fail(&[
        "update",
        &id.to_string(),
        "--year",
        "2026",
        "--note",
        "推迟",
    ])
    .check(1, &["outline add 2026-2030"]);
    // The 2025 report plans 2026: its plan year has no period yet.
    l.fail(&["import", &fx("linjiang-2025-report.txt")])
        .check(1, &["plan year 2026", "outline add 2026-2030"]);
    assert_eq!(l.dump(), before);
}

/// `update --year` needs a note and is recorded like any change: history, replay and check
/// agree, and undo takes it back.
#[test]
fn update_year_needs_a_note_and_is_history() {
    let l = Ledger::init();
    l.run_ok(&["outline", "add", "2026-2030"]);
    let id = l.add("任务", &["--year", "2025"]).to_string();
    let before = l.dump();
    l.fail(&["update", &id, "--year", "2026"])
        .check(2, &["--note"]);
    assert_eq!(l.dump(), before);
    l.run_ok(&["update", &id, "--year", "2026", "--note", "推迟到明年"]);
    let t = l.show(id.parse().unwrap());
    assert_eq!(t["year"], 2026);
    let h = common::history_of(&t);
    assert!(
        h.iter().any(|c| c.0 == "year"
            && c.1.as_deref() == Some("2025")
            && c.2.as_deref() == Some("2026")),
        "{h:?}"
    );
    l.run_ok(&["check"]);
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(l.show(id.parse().unwrap())["year"], 2025);
    l.run_ok(&["check"]);
}

/// A version-8 ledger (made from the oldest fixture, which upgrades through every step) gets
/// the period its meta kept, and stays sound.
#[test]
fn an_older_ledger_gets_its_period_on_upgrade() {
    let l = Ledger::new();
    std::fs::copy(fx("ledger-v4.db"), &l.path).unwrap();
    l.run_ok(&["check"]);
    let v = l.json(&["outline", "list"]);
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["start"], 2021);
    assert_eq!(v[0]["name"], "法治政府建设实施纲要（2021—2025年）");
    let n: i64 = Connection::open(&l.path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, taizhang::db::schema::CURRENT_VERSION);
}

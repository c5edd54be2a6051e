//! Issue 13, part A (2) and (3): the units register and the owner filters. Names enter the
//! register as tasks use them; `unit rename/alias/unalias` edit it without touching a task or
//! its history, and every view shows the current name. `--owner X` (repeatable) finds the
//! tasks X leads or supports, by name or alias, and `--lead X` those it leads, on list,
//! report, warn and export. Bad input is refused with one line and the ledger unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

/// Four tasks: #1 led by 区司法局; #2 led by 司法局 with 区财政局; #3 led by 区财政局 with
/// 区司法局; #4 led by 司法局天宁分局, overdue on the test clock.
fn ledger() -> Ledger {
    let l = Ledger::init();
    l.add("行政执法三项制度", &["--owner", "区司法局"]);
    l.add(
        "法律顾问全覆盖",
        &["--owner", "司法局", "--co-owner", "区财政局"],
    );
    l.add(
        "预算公开",
        &["--owner", "区财政局", "--co-owner", "区司法局"],
    );
    l.add(
        "复议案件办理",
        &["--owner", "司法局天宁分局", "--deadline", "2025-02-01"],
    );
    l
}

fn units(l: &Ledger) -> Vec<(String, Vec<String>, u64, u64)> {
    l.json(&["unit", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["aliases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect(),
                u["lead"].as_u64().unwrap(),
                u["co"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn ids(v: Value) -> Vec<i64> {
    common::ids(&v)
}

#[test]
fn names_enter_the_register_as_tasks_use_them() {
    let l = ledger();
    let u = units(&l);
    let names: Vec<&str> = u.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(names, ["区司法局", "区财政局", "司法局", "司法局天宁分局"]);
    assert_eq!(u[0].2, 1, "区司法局 leads one: {u:?}");
    assert_eq!(u[0].3, 1, "and supports one: {u:?}");
    l.run_ok(&["update", "1", "--co-owner", "区发改局"]);
    assert!(units(&l).iter().any(|x| x.0 == "区发改局"));
    l.run_ok(&["check"]);
}

#[test]
fn owner_matches_lead_or_supporting_unit_by_name_or_alias() {
    let l = ledger();
    // Before issue 13: exact lead only, so the co-owned #3 was missing.
    assert_eq!(ids(l.json(&["list", "--owner", "区司法局"])), [1, 3]);
    assert_eq!(ids(l.json(&["list", "--lead", "区司法局"])), [1]);
    // Repeatable: any of them.
    assert_eq!(
        ids(l.json(&["list", "--owner", "区司法局", "--owner", "司法局"])),
        [1, 2, 3]
    );
    // The office says they are one unit.
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    l.run_ok(&["unit", "alias", "区司法局", "司法局天宁分局"]);
    assert_eq!(ids(l.json(&["list", "--owner", "区司法局"])), [1, 2, 3, 4]);
    assert_eq!(ids(l.json(&["list", "--owner", "司法局"])), [1, 2, 3, 4]);
    assert_eq!(ids(l.json(&["list", "--lead", "司法局"])), [1, 2, 4]);
    assert_eq!(ids(l.json(&["list", "--owner", "区财政局"])), [2, 3]);
    // report, warn and export take the same filters.
    let r = l.json(&["report", "--owner", "区财政局", "--by", "owner"]);
    assert_eq!(r["total"]["total"], 2, "{r}");
    let w = l.json(&["warn", "--owner", "司法局"]);
    assert_eq!(w["red"], 1, "{w}");
    let w = l.json(&["warn", "--owner", "区财政局"]);
    assert_eq!(w["red"], 0, "{w}");
    let w = l.json(&["--as-of", "2025-03-01", "warn", "--lead", "区财政局"]);
    assert_eq!(w["red"], 0, "{w}");
    let csv = l.run_ok(&[
        "export",
        "--year",
        "2025",
        "--format",
        "csv",
        "--owner",
        "区财政局",
    ]);
    assert_eq!(csv.lines().count(), 3, "header and #2, #3: {csv}");
    let csv = l.run_ok(&[
        "export",
        "--year",
        "2025",
        "--format",
        "csv",
        "--lead",
        "区财政局",
    ]);
    assert_eq!(csv.lines().count(), 2, "header and #3: {csv}");
    l.run_ok(&["check"]);
}

#[test]
fn a_rename_shows_everywhere_and_rewrites_no_history() {
    let l = ledger();
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    let history_before = l.json(&["history"]);
    l.run_ok(&["unit", "rename", "区司法局", "天宁区司法局"]);
    assert_eq!(l.json(&["history"]), history_before, "history is untouched");
    // Every view shows the current name.
    let list = l.json(&["list"]);
    let owners: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["owner"].as_str().unwrap())
        .collect();
    assert_eq!(
        owners,
        ["天宁区司法局", "天宁区司法局", "区财政局", "司法局天宁分局"]
    );
    assert_eq!(l.show(3)["co_owners"], serde_json::json!(["天宁区司法局"]));
    let r = l.json(&["report", "--by", "owner"]);
    let groups: Vec<(&str, u64)> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["group"].as_str().unwrap(), g["total"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        groups,
        [("区财政局", 1), ("司法局天宁分局", 1), ("天宁区司法局", 2)]
    );
    let w = l.json(&["warn"]);
    assert_eq!(w["warnings"][0]["task"]["owner"], "司法局天宁分局");
    let csv = l.run_ok(&["export", "--year", "2025", "--format", "csv"]);
    assert!(
        csv.contains("天宁区司法局") && !csv.contains(",区司法局,"),
        "{csv}"
    );
    // The old names still find the unit.
    assert_eq!(ids(l.json(&["list", "--owner", "区司法局"])), [1, 2, 3]);
    let u = units(&l);
    assert_eq!(u[2].0, "天宁区司法局", "{u:?}");
    assert_eq!(u[2].1, ["区司法局", "司法局"], "{u:?}");
    // Renaming back to an alias of the unit takes that alias off.
    l.run_ok(&["unit", "rename", "天宁区司法局", "区司法局"]);
    let u = units(&l);
    assert_eq!(u[0].0, "区司法局", "{u:?}");
    assert_eq!(u[0].1, ["司法局", "天宁区司法局"], "{u:?}");
    l.run_ok(&["check"]);
    // Unalias: a name tasks still use becomes a unit of its own again.
    l.run_ok(&["unit", "unalias", "司法局"]);
    assert_eq!(ids(l.json(&["list", "--owner", "司法局"])), [2]);
    assert!(units(&l).iter().any(|x| x.0 == "司法局"));
    l.run_ok(&["check"]);
}

#[test]
fn bad_unit_edits_are_refused_with_one_line_and_change_nothing() {
    let l = ledger();
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    let before = l.dump();
    // An unknown unit.
    l.fail(&["unit", "rename", "区环保局", "区生态环境局"])
        .check(1, &["区环保局", "unit list"]);
    l.fail(&["unit", "alias", "区环保局", "环保局"])
        .check(1, &["区环保局"]);
    l.fail(&["unit", "unalias", "区环保局"])
        .check(1, &["区环保局"]);
    // A loop: a name of the same unit made its alias again.
    l.fail(&["unit", "alias", "司法局", "区司法局"])
        .check(1, &["loop"]);
    l.fail(&["unit", "alias", "区司法局", "司法局"])
        .check(1, &["loop"]);
    // A name that would name two units.
    l.fail(&["unit", "alias", "区财政局", "司法局"])
        .check(1, &["two units", "unalias"]);
    // A new name that is already another unit's.
    l.fail(&["unit", "rename", "区财政局", "司法局"])
        .check(1, &["unit alias"]);
    // A blank name is a usage error.
    assert_eq!(l.fail(&["unit", "rename", "区财政局", " "]).code, 2);
    assert_eq!(l.dump(), before);
    // The Chinese line says the same.
    l.fail(&["--lang", "zh", "unit", "alias", "区财政局", "司法局"])
        .check(1, &["不能指两个单位"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn imported_reports_fill_the_register_and_the_index() {
    let l = Ledger::init();
    // Its plan year 2026 lies in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
    l.run_ok(&[
        "import",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/linjiang-2025-report.txt"
        ),
    ]);
    let u = units(&l);
    assert!(!u.is_empty());
    let (name, _, lead, co) = u.iter().max_by_key(|x| x.2 + x.3).unwrap().clone();
    let found = l.json(&["list", "--owner", &name]);
    assert_eq!(found.as_array().unwrap().len() as u64, lead + co, "{name}");
    l.run_ok(&["check"]);
    // A JSON Lines round trip rebuilds the index.
    let file = l.sibling("all.jsonl");
    l.run_ok(&["export", "--format", "jsonl", "-o", file.to_str().unwrap()]);
    let other = Ledger::new();
    other.run_ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.json(&["list", "--owner", &name]), found);
    other.run_ok(&["check"]);
}

#[test]
fn an_upgraded_ledger_gets_the_register_and_the_index() {
    for v in [3, 4] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db");
        std::fs::copy(
            format!("{}/fixtures/ledger-v{v}.db", env!("CARGO_MANIFEST_DIR")),
            &db,
        )
        .unwrap();
        let run = |args: &[&str]| -> Value {
            let out = common::bare_cmd()
                .arg("--db")
                .arg(&db)
                .args(["--format", "json"])
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "{args:?}: {out:?}");
            serde_json::from_slice(&out.stdout).unwrap()
        };
        let all = run(&["list"]);
        let units = run(&["unit", "list"]);
        assert!(!units.as_array().unwrap().is_empty(), "v{v}");
        // Every task with a supporting unit is found through it.
        for t in all.as_array().unwrap() {
            for c in t["co_owners"].as_array().unwrap() {
                let found = common::ids(&run(&["list", "--owner", c.as_str().unwrap()]));
                assert!(found.contains(&t["id"].as_i64().unwrap()), "v{v}: {c}");
            }
        }
        let ok = common::bare_cmd()
            .arg("--db")
            .arg(&db)
            .arg("check")
            .output()
            .unwrap();
        assert!(ok.status.success(), "v{v}: {ok:?}");
    }
}

#[test]
fn check_finds_an_index_that_differs_from_the_tasks() {
    for sql in [
        "DELETE FROM task_unit WHERE task_id = 3 AND role = 'co'",
        "INSERT INTO task_unit(name, role, task_id) VALUES ('区财政局', 'co', 1)",
        "UPDATE task_unit SET name = '区环保局' WHERE task_id = 1",
        "DELETE FROM unit WHERE name = '区财政局'",
    ] {
        let l = ledger();
        rusqlite::Connection::open(&l.path)
            .unwrap()
            .execute(sql, [])
            .unwrap();
        let f = l.fail(&["check"]);
        assert_eq!(f.code, 1, "{sql}: {f:?}");
        assert!(
            f.stdout.contains("task_unit") || f.stdout.contains("register"),
            "{sql}: {f:?}"
        );
    }
}

#[test]
fn json_lines_carry_the_register_and_a_disagreeing_merge_is_refused() {
    let l = ledger();
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    l.run_ok(&["unit", "rename", "区司法局", "天宁区司法局"]);
    l.run_ok(&["unit", "short", "天宁区司法局", "司法局"]);
    let file = l.sibling("all.jsonl");
    l.run_ok(&["export", "--format", "jsonl", "-o", file.to_str().unwrap()]);
    let other = Ledger::new();
    other.run_ok(&["import", file.to_str().unwrap()]);
    assert_eq!(units(&other), units(&l));
    assert_eq!(other.json(&["list"]), l.json(&["list"]));
    other.run_ok(&["check"]);
    // The same file again, into a copy: byte for byte the same export.
    let again = other.run_ok(&["export", "--format", "jsonl"]);
    assert_eq!(again, std::fs::read_to_string(&file).unwrap());
    // A ledger whose register says 司法局 is another unit than 区司法局 refuses the merge.
    let third = Ledger::init();
    third.add("甲", &["--owner", "司法局"]);
    third.add("乙", &["--owner", "区司法局"]);
    let before = third.dump();
    let f = third.fail(&["import", file.to_str().unwrap()]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("two units"), "{f:?}");
    assert_eq!(third.dump(), before);
}

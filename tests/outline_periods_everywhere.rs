//! The plan-year rule of outline periods everywhere a task can come in (issue 14, second
//! round): a JSON Lines file and an office's own ledger are refused when a plan year lies
//! outside every period, with the same one-line hint as `add`; a JSON Lines export carries the
//! ledger's periods, so a merged ledger brings them (refused when they overlap differently);
//! and `check` names a task whose plan year lies in no period.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use rusqlite::Connection;
use serde_json::Value;

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// A ledger with the periods 2021-2025 and 2026-2030 (named 十五五) and a task of 2027.
fn with_2027() -> Ledger {
    let l = Ledger::init();
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l.add("建成行政执法协调监督工作体系", &["--year", "2027"]);
    l
}

fn export_jsonl(l: &Ledger) -> String {
    l.run_ok(&["export", "--format", "jsonl"])
}

fn periods(l: &Ledger) -> Vec<(i64, i64, String)> {
    l.json(&["outline", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["start"].as_i64().unwrap(),
                p["end"].as_i64().unwrap(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_jsonl_plan_year_outside_every_period_is_refused_with_the_add_hint() {
    let a = with_2027();
    // An export without periods in its header, as taizhang wrote before it carried them.
    let mut lines: Vec<String> = export_jsonl(&a).lines().map(str::to_string).collect();
    let mut header: Value = serde_json::from_str(&lines[0]).unwrap();
    header.as_object_mut().unwrap().remove("periods");
    lines[0] = header.to_string();
    let file = a.sibling("old.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();

    let b = Ledger::init();
    let before = b.dump();
    b.fail(&["import", s(&file)]).check(
        1,
        &[
            "plan year 2027",
            "outside every outline period",
            "outline add 2026-2030",
        ],
    );
    assert_eq!(b.dump(), before);
}

#[test]
fn a_merged_ledger_brings_its_periods() {
    let a = with_2027();
    let file = a.sibling("a.jsonl");
    std::fs::write(&file, export_jsonl(&a)).unwrap();
    let b = Ledger::init();
    b.add("本地任务", &["--year", "2025"]);
    b.run_ok(&["import", s(&file), "--source", "甲区"]);
    assert_eq!(
        periods(&b),
        vec![
            (
                2021,
                2025,
                "法治政府建设实施纲要（2021—2025年）".to_string()
            ),
            (2026, 2030, "十五五".to_string()),
        ]
    );
    b.run_ok(&["check"]);
    // A ledger that has the same span keeps its own name.
    let c = Ledger::init();
    c.run_ok(&[
        "outline",
        "add",
        "2026-2030",
        "--name",
        "法治政府建设实施纲要（2026—2030年）",
    ]);
    c.run_ok(&["import", s(&file)]);
    assert_eq!(periods(&c)[1].2, "法治政府建设实施纲要（2026—2030年）");
}

#[test]
fn periods_that_overlap_differently_through_jsonl_are_refused() {
    let a = with_2027();
    let file = a.sibling("a.jsonl");
    std::fs::write(&file, export_jsonl(&a)).unwrap();
    let b = Ledger::init();
    b.run_ok(&["outline", "add", "2026-2027", "--name", "三年行动"]);
    let before = b.dump();
    b.fail(&["import", s(&file)]).check(
        1,
        &[
            "the file's outline period 2026-2030",
            "overlaps",
            "2026-2027",
        ],
    );
    assert_eq!(b.dump(), before);
}

#[test]
fn an_office_ledger_plan_year_outside_every_period_is_refused() {
    let l = Ledger::init();
    let csv = l.sibling("台账.csv");
    std::fs::write(
        &csv,
        "序号,任务内容,牵头单位,完成时限\n1,建立行政执法案例指导制度,区司法局,2031年6月底前\n",
    )
    .unwrap();
    let before = l.dump();
    l.fail(&["import", s(&csv), "--year", "2031"]).check(
        1,
        &[
            "plan year 2031",
            "outside every outline period",
            "outline add 2031-2035",
        ],
    );
    assert_eq!(l.dump(), before);
    // Within a period it imports.
    l.run_ok(&["import", s(&csv), "--year", "2025"]);
}

#[test]
fn check_names_a_task_whose_year_lies_in_no_period() {
    let l = with_2027();
    l.run_ok(&["check"]);
    // A period removed behind taizhang's back (outline has no remove command).
    Connection::open(&l.path)
        .unwrap()
        .execute("DELETE FROM outline_period WHERE start_year = 2026", [])
        .unwrap();
    let f = l.fail(&["check"]);
    assert_eq!(f.code, 1, "{f:?}");
    let all = format!("{}{}", f.stdout, f.stderr);
    assert!(
        all.contains("plan year 2027") && all.contains("no outline period"),
        "{all}"
    );
}

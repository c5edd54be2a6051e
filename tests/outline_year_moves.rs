//! The closing evaluation counts each year as it stood at its own end. To be fast at a million
//! tasks it replays, for each year, only the tasks planned for that year now or whose plan
//! year ever changed. These tests pin the counts for tasks whose plan year moved (by
//! `update --year` and by carry-over), so that narrowing can never drop one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

/// The (committed, done, open) figures of one year of the evaluation.
fn year(e: &Value, y: &str) -> (i64, i64, i64) {
    let line = e["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == y)
        .unwrap_or_else(|| panic!("no year {y} in {e}"));
    (
        line["committed"].as_i64().unwrap(),
        line["done"].as_i64().unwrap(),
        line["open"].as_i64().unwrap() + line["carried"].as_i64().unwrap(),
    )
}

#[test]
fn a_task_whose_plan_year_moved_counts_in_each_year_it_was_planned_for() {
    let mut l = Ledger::new().at("2022-01-10T09:00:00+08:00");
    l.run_ok(&["init", "--outline", "2021-2025"]);
    let c = ["--kind", "commitment"];
    // Planned for 2022, then moved into 2023 during 2023: at the end of 2022 it was a 2022
    // task; its current plan year is 2023.
    let moved = l.add(
        "推行行政执法公示制度",
        &[&c[..], &["--year", "2022"]].concat(),
    );
    // Planned for 2022 and done in 2022: stays in 2022.
    let stays = l.add("规范行政执法程序", &[&c[..], &["--year", "2022"]].concat());
    l.set_now("2022-11-20T09:00:00+08:00");
    l.run_ok(&[
        "update",
        &stays.to_string(),
        "--status",
        "done",
        "--note",
        "已完成",
    ]);
    l.set_now("2023-03-01T09:00:00+08:00");
    l.run_ok(&[
        "update",
        &moved.to_string(),
        "--year",
        "2023",
        "--note",
        "调整计划年度",
    ]);
    // Planned for 2023 in 2023, then moved back into 2022's plan in 2024: at the end of 2022
    // it did not exist, and at the end of 2023 it was a 2023 task.
    let back = l.add("健全行政复议体制", &[&c[..], &["--year", "2023"]].concat());
    l.set_now("2024-02-01T09:00:00+08:00");
    l.run_ok(&[
        "update",
        &back.to_string(),
        "--year",
        "2022",
        "--note",
        "调整计划年度",
    ]);

    l.set_now("2026-01-05T09:00:00+08:00");
    let e = l.json(&["export", "--outline", "2021-2025"]);
    assert_eq!(year(&e, "2022"), (2, 1, 1), "{}", e["years"]);
    assert_eq!(year(&e, "2023"), (2, 0, 2), "{}", e["years"]);
    assert_eq!(year(&e, "2024"), (0, 0, 0), "{}", e["years"]);
}

//! A ledger that went through the closing of an outline period still travels as JSON Lines:
//! the rows `carry-over`/`update --year` and `link --same-as` write are valid history to the
//! bulk validator, so an office can merge a district ledger after 结转 (found by the issue-16
//! catalogue pass: "history row 4: unknown field 'year'").

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

#[test]
fn a_carried_ledger_merges_into_another() {
    let mut a = Ledger::init();
    a.set_now("2026-01-10T09:00:00+08:00");
    a.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    let t = a.add(
        "推行行政执法三项制度",
        &["--year", "2025", "--on", "2025-03-01"],
    );
    let s1 = a.add(
        "执法不够规范",
        &[
            "--kind",
            "shortcoming",
            "--year",
            "2025",
            "--on",
            "2025-03-01",
        ],
    );
    let s0 = a.add(
        "执法不规范",
        &[
            "--kind",
            "shortcoming",
            "--year",
            "2024",
            "--on",
            "2025-03-01",
        ],
    );
    a.run_ok(&["link", &s1.to_string(), "--same-as", &s0.to_string()]);
    a.run_ok(&["carry-over", "--from", "2025"]);
    assert_eq!(a.show(t)["year"], 2026);
    let file = a.sibling("a.jsonl");
    std::fs::write(&file, a.run_ok(&["export", "--format", "jsonl"])).unwrap();

    let b = Ledger::init();
    b.run_ok(&["import", file.to_str().unwrap()]);
    b.run_ok(&["check"]);
    let tasks = b.json(&["list", "--year", "2026"]);
    assert!(
        tasks
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["title"] == "推行行政执法三项制度"),
        "{tasks}"
    );
}

#[test]
fn a_year_row_outside_the_plan_years_a_ledger_accepts_is_refused() {
    let a = Ledger::init();
    let t = a.add("任务", &["--year", "2025"]);
    let mut lines: Vec<String> = a
        .run_ok(&["export", "--format", "jsonl"])
        .lines()
        .map(str::to_string)
        .collect();
    // A hand-made history row that moves the task to the year 12025.
    let last = lines
        .iter()
        .rposition(|l| l.contains("\"history\"") || l.contains("\"field\""))
        .unwrap();
    let mut row: serde_json::Value = serde_json::from_str(&lines[last]).unwrap();
    if let Some(h) = row.get_mut("history").and_then(|h| h.as_array_mut()) {
        let mut extra = h[h.len() - 1].clone();
        extra["field"] = "year".into();
        extra["old"] = "2025".into();
        extra["new"] = "12025".into();
        h.push(extra);
    } else {
        return common::skip("the JSON Lines layout has no per-task history array");
    }
    lines[last] = row.to_string();
    let file = a.sibling("bad.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let b = Ledger::init();
    let before = b.dump();
    let f = b.fail(&["import", file.to_str().unwrap()]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("year"), "{f:?}");
    assert_eq!(b.dump(), before);
    let _ = t;
}

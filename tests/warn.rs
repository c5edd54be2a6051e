//! `taizhang warn` (issue 4): three-colour warnings on a prepared set of tasks, every one created
//! on 2025-01-01 with a known deadline and progress, judged as of 2025-04-11 (day 100).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

const CREATED: &str = "2025-01-01T09:00:00+08:00";
const AS_OF: &str = "2025-04-11";

/// The prepared set; the comment gives what each must be as of 2025-04-11.
fn prepared() -> Ledger {
    let l = Ledger::new().at(CREATED);
    l.run_ok(&["init"]);
    let add = |title: &str, extra: &[&str], want: i64| {
        assert_eq!(l.add(title, extra), want, "{title}");
    };
    // Red: overdue, even blocked and half done.
    add(
        "受阻的逾期任务",
        &[
            "--status",
            "blocked",
            "--progress",
            "50",
            "--deadline",
            "2025-03-31",
        ],
        1,
    );
    add("未启动的逾期任务", &["--deadline", "2025-02-28"], 2);
    // Yellow: 200 days from creation to deadline, 100 elapsed (50%): 29 is more than 20 points
    // behind, 30 is exactly 20 behind and is not.
    add(
        "进度滞后任务",
        &[
            "--status",
            "doing",
            "--progress",
            "29",
            "--deadline",
            "2025-07-20",
        ],
        3,
    );
    add(
        "刚好不滞后任务",
        &[
            "--status",
            "doing",
            "--progress",
            "30",
            "--deadline",
            "2025-07-20",
        ],
        4,
    );
    // Behind (90.9% elapsed, 10%) and due in 10 days: yellow, not blue.
    add(
        "滞后且临期任务",
        &[
            "--status",
            "doing",
            "--progress",
            "10",
            "--deadline",
            "2025-04-21",
        ],
        5,
    );
    // Blue: due within 30 days and on schedule.
    add(
        "五天后到期任务",
        &[
            "--status",
            "doing",
            "--progress",
            "99",
            "--deadline",
            "2025-04-16",
        ],
        6,
    );
    add(
        "二十天后到期任务",
        &[
            "--status",
            "doing",
            "--progress",
            "70",
            "--deadline",
            "2025-05-01",
        ],
        7,
    );
    add(
        "三十天后到期任务",
        &[
            "--status",
            "doing",
            "--progress",
            "90",
            "--deadline",
            "2025-05-11",
        ],
        8,
    );
    // Not warned: due in 31 days, finished, cancelled, verified, continuous.
    add(
        "三十一天后到期任务",
        &[
            "--status",
            "doing",
            "--progress",
            "90",
            "--deadline",
            "2025-05-12",
        ],
        9,
    );
    add(
        "已完成的过期任务",
        &["--status", "done", "--deadline", "2025-03-01"],
        10,
    );
    add("已取消的过期任务", &["--deadline", "2025-03-01"], 11);
    l.run_ok(&[
        "update",
        "11",
        "--status",
        "cancelled",
        "--note",
        "并入第2项",
    ]);
    add(
        "已销号的过期任务",
        &["--status", "verified", "--deadline", "2025-02-01"],
        12,
    );
    add("常态化任务", &["--continuous"], 13);
    add(
        "已完成的临期任务",
        &["--progress", "100", "--deadline", "2025-04-20"],
        14,
    );
    l
}

fn warn_json(l: &Ledger, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["warn"];
    args.extend_from_slice(extra);
    let v = l.json(&args);
    let list = v["warnings"].as_array().expect("an array").clone();
    // The counts cover every warned task, listed or not.
    let count = |c: &str| list.iter().filter(|w| w["colour"] == c).count() as u64;
    if !extra.contains(&"--limit") {
        for c in ["red", "yellow", "blue"] {
            assert_eq!(v[c].as_u64(), Some(count(c)), "{c}");
        }
    }
    list
}

#[test]
fn limit_lists_the_worst_first_and_counts_them_all() {
    let l = prepared();
    let v = l.json(&["warn", "--as-of", AS_OF, "--limit", "3"]);
    assert_eq!(
        (v["red"].as_u64(), v["yellow"].as_u64(), v["blue"].as_u64()),
        (Some(2), Some(2), Some(3))
    );
    let ids: Vec<i64> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["task"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 1, 5]);
    let out = l.run_ok(&["warn", "--as-of", AS_OF, "--limit", "3"]);
    assert!(
        out.starts_with("Warnings as of 2025-04-11: red 2, yellow 2, blue 3; the first 3 listed"),
        "{out}"
    );
    assert_eq!(warn_json(&l, &["--as-of", AS_OF, "--limit", "0"]).len(), 7);
}

/// (id, colour, days_left, elapsed) of each warning.
fn summary(list: &[Value]) -> Vec<(i64, String, i64, f64)> {
    list.iter()
        .map(|w| {
            (
                w["task"]["id"].as_i64().unwrap(),
                w["colour"].as_str().unwrap().to_string(),
                w["days_left"].as_i64().unwrap(),
                w["elapsed"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn all() -> Vec<(i64, String, i64, f64)> {
    [
        (2, "red", -42, 100.0),
        (1, "red", -11, 100.0),
        (5, "yellow", 10, 90.9),
        (3, "yellow", 100, 50.0),
        (6, "blue", 5, 95.2),
        (7, "blue", 20, 83.3),
        (8, "blue", 30, 76.9),
    ]
    .into_iter()
    .map(|(i, c, d, e)| (i, c.to_string(), d, e))
    .collect()
}

#[test]
fn each_task_gets_its_colour_in_order() {
    let l = prepared();
    let list = warn_json(&l, &["--as-of", AS_OF]);
    assert_eq!(summary(&list), all());
    for w in &list {
        let o = w.as_object().unwrap();
        for f in ["colour", "elapsed", "days_left", "task"] {
            assert!(o.contains_key(f), "warning lacks {f}: {w}");
        }
        assert_task_shape(&w["task"]);
    }
    assert_eq!(list[0]["task"]["title"], "未启动的逾期任务");
    assert_eq!(list[0]["task"]["overdue"], true);
    assert_eq!(list[6]["task"]["deadline"], "2025-05-11");
}

#[test]
fn the_clock_gives_the_default_as_of() {
    let mut l = prepared();
    l.set_now("2025-04-11T16:00:00+08:00");
    assert_eq!(summary(&warn_json(&l, &[])), all());
}

#[test]
fn within_changes_the_blue_set() {
    let l = prepared();
    let ten = summary(&warn_json(&l, &["--as-of", AS_OF, "--within", "10"]));
    assert_eq!(ten, all()[..5]);
    let zero = summary(&warn_json(&l, &["--as-of", AS_OF, "--within", "0"]));
    assert_eq!(zero, all()[..4]);
    let ids: Vec<i64> = summary(&warn_json(&l, &["--as-of", AS_OF, "--within", "31"]))
        .iter()
        .map(|w| w.0)
        .collect();
    assert_eq!(ids, [2, 1, 5, 3, 6, 7, 8, 9]);
}

#[test]
fn finished_and_continuous_tasks_never_warn() {
    let l = prepared();
    for extra in [
        vec!["--as-of", AS_OF],
        vec!["--as-of", "2026-12-31", "--within", "10000"],
        vec!["--as-of", "2025-01-02", "--within", "10000"],
    ] {
        let list = warn_json(&l, &extra);
        let ids: Vec<i64> = list
            .iter()
            .map(|w| w["task"]["id"].as_i64().unwrap())
            .collect();
        for never in [10, 11, 12, 13, 14] {
            assert!(
                !ids.contains(&never),
                "{never} warned with {extra:?}: {ids:?}"
            );
        }
        let mut dedup = ids.clone();
        dedup.sort_unstable();
        dedup.dedup();
        assert_eq!(dedup.len(), ids.len(), "a task appears twice: {ids:?}");
    }
    // Later, every open task with a deadline is red.
    let late = summary(&warn_json(&l, &["--as-of", "2026-12-31"]));
    let ids: Vec<i64> = late.iter().map(|w| w.0).collect();
    assert_eq!(ids, [2, 1, 6, 5, 7, 8, 9, 3, 4]);
    assert!(late.iter().all(|w| w.1 == "red"));
}

#[test]
fn a_parent_is_judged_by_its_sub_tasks() {
    let l = Ledger::new().at(CREATED);
    l.run_ok(&["init"]);
    // Own progress 0 would be yellow (50% elapsed), but its sub-tasks average 50%.
    let p = l.add(
        "有子任务的父任务",
        &["--status", "doing", "--deadline", "2025-07-20"],
    );
    let parent = p.to_string();
    let kid =
        |t: &str, pr: &str| l.add(t, &["--parent", &parent, "--progress", pr, "--continuous"]);
    kid("子任务甲", "40");
    let second = kid("子任务乙", "60");
    assert_eq!(warn_json(&l, &["--as-of", AS_OF]), Vec::<Value>::new());
    // The second sub-task back to 0: the mean is 20, more than 20 points behind 50: yellow.
    l.run_ok(&["update", &second.to_string(), "--progress", "0"]);
    let list = summary(&warn_json(&l, &["--as-of", AS_OF]));
    assert_eq!(list, vec![(p, "yellow".to_string(), 100, 50.0)]);
}

#[test]
fn the_table_lists_the_colours_in_order() {
    let l = prepared();
    let out = l.run_ok(&["warn", "--as-of", AS_OF]);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(
        rows[0].contains("Warning") && rows[0].contains("Days left"),
        "{out}"
    );
    let labels: Vec<String> = rows[1..]
        .iter()
        .map(|r| r.split('|').nth(1).unwrap().trim().to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "red (overdue)",
            "red (overdue)",
            "yellow (behind)",
            "yellow (behind)",
            "blue (due soon)",
            "blue (due soon)",
            "blue (due soon)"
        ]
    );
    let ids: Vec<String> = rows[1..]
        .iter()
        .map(|r| r.split('|').nth(2).unwrap().trim().to_string())
        .collect();
    assert_eq!(ids, ["2", "1", "5", "3", "6", "7", "8"]);
    assert!(!out.contains('\u{1b}'), "no colour codes off a terminal");

    let zh = l.run_ok(&["--lang", "zh", "warn", "--as-of", AS_OF]);
    assert!(zh.contains("红（逾期）") && zh.contains("黄（滞后）") && zh.contains("蓝（临期）"));

    let quiet = l.run_ok(&["warn", "--as-of", "2025-01-02", "--within", "0"]);
    assert_eq!(quiet, "No warnings.\n");
}

#[test]
fn warn_never_changes_the_ledger() {
    let l = prepared();
    l.checkpoint();
    let before = l.dump();
    let bytes = l.bytes();
    l.run_ok(&["warn", "--as-of", AS_OF]);
    warn_json(&l, &["--within", "90"]);
    assert_eq!(l.dump(), before);
    assert!(l.bytes() == bytes);
}

//! `show --as-of` of a parent reads only the history of the tasks that can have been its
//! sub-tasks; its rolled-up progress must agree with the full replay that `list --as-of` does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Ledger;

/// Sub-tasks move between parents on different days, one is cancelled; on every day around
/// those changes each parent shows the same progress in `show --as-of` (scoped rollup) as in
/// `list --as-of` (rollup over the whole ledger).
#[test]
fn show_as_of_of_a_parent_agrees_with_the_full_replay() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let p1 = l.add("甲", &["--on", "2025-01-02"]).to_string();
    let p2 = l.add("乙", &["--on", "2025-01-02"]).to_string();
    let a = l
        .add(
            "甲一",
            &["--on", "2025-02-01", "--parent", &p1, "--progress", "20"],
        )
        .to_string();
    let b = l
        .add(
            "甲二",
            &["--on", "2025-02-01", "--parent", &p1, "--progress", "80"],
        )
        .to_string();
    l.add(
        "乙一",
        &["--on", "2025-02-01", "--parent", &p2, "--progress", "10"],
    );
    l.run_ok(&["update", &b, "--parent", &p2, "--on", "2025-03-01"]);
    l.run_ok(&["update", &a, "--progress", "60", "--on", "2025-04-01"]);
    l.run_ok(&["update", &a, "--parent", &p2, "--on", "2025-05-01"]);
    l.run_ok(&[
        "update",
        &b,
        "--status",
        "cancelled",
        "--note",
        "并入乙",
        "--on",
        "2025-06-01",
    ]);
    for day in [
        "2025-01-31",
        "2025-02-01",
        "2025-02-28",
        "2025-03-01",
        "2025-04-01",
        "2025-05-01",
        "2025-06-01",
        "2025-12-01",
    ] {
        let list = l.json(&["list", "--as-of", day]);
        for p in [&p1, &p2] {
            let shown = l.json(&["show", p, "--as-of", day]);
            let listed = list
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(p.as_str()))
                .unwrap_or_else(|| panic!("task {p} missing on {day}: {list}"));
            assert_eq!(
                shown["progress"], listed["progress"],
                "parent {p} on {day}: show {shown} vs list {listed}"
            );
        }
    }
}

/// The fast as-of path (`report` and `warn --as-of`: current rows for the tasks untouched
/// after the day, replay for the rest, and the same for the sub-tasks' roll-up) gives every task exactly as the full replay does, on a
/// ledger with back-dated changes, moved sub-tasks, a cancellation, a note and tasks created
/// after some of the days asked.
#[test]
fn tasks_at_equals_the_full_replay() {
    use taizhang::db::replay::{
        end_of_day, replay_each, rollup_at, rollup_fast, tasks_at, Touched,
    };
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let p1 = l.add("甲", &["--on", "2025-01-02"]).to_string();
    let p2 = l
        .add("乙", &["--on", "2025-01-02", "--owner", "司法局"])
        .to_string();
    let a = l
        .add(
            "甲一",
            &["--on", "2025-02-01", "--parent", &p1, "--progress", "20"],
        )
        .to_string();
    let b = l
        .add(
            "甲二",
            &[
                "--on",
                "2025-02-01",
                "--parent",
                &p1,
                "--progress",
                "80",
                "--deadline",
                "2025-06-30",
            ],
        )
        .to_string();
    l.add("无期", &["--owner", "司法局", "--deadline", "2025-09-30"]);
    l.run_ok(&["update", &b, "--parent", &p2, "--on", "2025-03-01"]);
    l.run_ok(&["update", &a, "--progress", "60", "--on", "2025-04-01"]);
    l.run_ok(&["update", &a, "--parent", &p2, "--on", "2025-05-01"]);
    l.run_ok(&["note", &a, "季度进展", "--on", "2025-05-02"]);
    l.run_ok(&[
        "update",
        &b,
        "--status",
        "cancelled",
        "--note",
        "并入乙",
        "--on",
        "2025-06-01",
    ]);
    l.run_ok(&["update", &p1, "--status", "blocked", "--owner", "财政局"]);
    l.add(
        "后建",
        &["--on", "2025-08-01", "--parent", &p1, "--progress", "40"],
    );
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    for day in [
        "2025-01-01",
        "2025-01-31",
        "2025-02-01",
        "2025-03-01",
        "2025-04-30",
        "2025-05-01",
        "2025-06-01",
        "2025-07-31",
        "2025-08-01",
        "2025-12-19",
        "2025-12-20",
    ] {
        let as_of: chrono::NaiveDate = day.parse().unwrap();
        let cutoff = end_of_day(as_of);
        let kids = rollup_at(&conn, Some(&cutoff)).unwrap();
        let mut full = Vec::new();
        replay_each(&conn, Some(&cutoff), None, as_of, &kids, |r| {
            full.push(r.task);
            Ok(())
        })
        .unwrap();
        let mut fast = Vec::new();
        let touched = Touched::after(&conn, &cutoff).unwrap();
        let fast_kids = rollup_fast(&conn, &cutoff, &touched).unwrap();
        tasks_at(&conn, &cutoff, as_of, &fast_kids, &touched, |t| {
            fast.push(t);
            Ok(())
        })
        .unwrap();
        fast.sort_by_key(|t| t.id);
        assert_eq!(fast, full, "as of {day}");
    }
}

/// A ledger for the fast-path tests: back-dated changes, sub-tasks moved between parents, a
/// cancelled sub-task, an owner changed after some of the days asked, deadlines moved, a
/// task created after them and one created on the recording day. Returns the ledger and the
/// days to ask about.
fn mixed_ledger() -> (Ledger, Vec<&'static str>) {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let on = |d: &'static str, mut v: Vec<&'static str>| {
        v.extend(["--on", d]);
        v
    };
    let p1 = l
        .add(
            "甲",
            &on(
                "2025-01-02",
                vec!["--owner", "司法局", "--deadline", "2025-09-30"],
            ),
        )
        .to_string();
    let p2 = l
        .add(
            "乙",
            &on(
                "2025-01-02",
                vec!["--owner", "财政局", "--deadline", "2025-06-30"],
            ),
        )
        .to_string();
    let a = l
        .add(
            "甲一",
            &[
                "--on",
                "2025-02-01",
                "--parent",
                &p1,
                "--progress",
                "20",
                "--owner",
                "司法局",
                "--deadline",
                "2025-05-31",
            ],
        )
        .to_string();
    let b = l
        .add(
            "甲二",
            &[
                "--on",
                "2025-02-01",
                "--parent",
                &p1,
                "--progress",
                "80",
                "--deadline",
                "2025-06-30",
            ],
        )
        .to_string();
    let c = l
        .add(
            "乙一",
            &[
                "--on",
                "2025-02-01",
                "--parent",
                &p2,
                "--progress",
                "10",
                "--owner",
                "财政局",
                "--deadline",
                "2025-07-15",
            ],
        )
        .to_string();
    let d = l
        .add(
            "独立",
            &on(
                "2025-01-10",
                vec!["--owner", "司法局", "--deadline", "2025-04-30"],
            ),
        )
        .to_string();
    let g = l
        .add("长期", &on("2025-01-05", vec!["--owner", "城管局"]))
        .to_string();
    // Due first until its deadline moves to the year's end after some of the days asked.
    let e = l
        .add(
            "延后",
            &on(
                "2025-01-03",
                vec!["--owner", "城管局", "--deadline", "2025-03-31"],
            ),
        )
        .to_string();
    l.run_ok(&["update", &b, "--parent", &p2, "--on", "2025-03-01"]);
    l.run_ok(&["update", &d, "--status", "blocked", "--on", "2025-03-15"]);
    l.run_ok(&["update", &a, "--progress", "60", "--on", "2025-04-01"]);
    l.run_ok(&["update", &a, "--parent", &p2, "--on", "2025-05-01"]);
    l.run_ok(&["note", &a, "季度进展", "--on", "2025-05-02"]);
    l.run_ok(&[
        "update",
        &b,
        "--status",
        "cancelled",
        "--note",
        "并入乙",
        "--on",
        "2025-06-01",
    ]);
    l.run_ok(&[
        "update",
        &d,
        "--status",
        "doing",
        "--progress",
        "50",
        "--on",
        "2025-07-10",
    ]);
    let late = l.add(
        "后建",
        &[
            "--on",
            "2025-08-01",
            "--parent",
            &p1,
            "--progress",
            "40",
            "--owner",
            "司法局",
            "--deadline",
            "2025-10-31",
        ],
    );
    l.run_ok(&[
        "update",
        &c,
        "--deadline",
        "2025-12-31",
        "--note",
        "延期",
        "--on",
        "2025-08-15",
    ]);
    l.run_ok(&["update", &d, "--owner", "城管局", "--on", "2025-09-01"]);
    l.run_ok(&[
        "update",
        &e,
        "--deadline",
        "2025-12-31",
        "--note",
        "延期",
        "--on",
        "2025-09-01",
    ]);
    l.run_ok(&[
        "update",
        &g,
        "--status",
        "cancelled",
        "--note",
        "不再单列",
        "--on",
        "2025-10-01",
    ]);
    // A parent takes its status from its sub-tasks (issue 13): 乙 is done when both of its
    // open sub-tasks are, and 甲 is blocked when its open sub-task is.
    l.run_ok(&[
        "update",
        &a,
        &c,
        "--status",
        "done",
        "--progress",
        "100",
        "--note",
        "完成",
        "--on",
        "2025-11-01",
    ]);
    l.run_ok(&["update", &late.to_string(), "--status", "blocked"]);
    l.run_ok(&["update", &p1, "--owner", "财政局"]);
    l.add(
        "今建",
        &[
            "--owner",
            "司法局",
            "--deadline",
            "2025-12-31",
            "--parent",
            &p2,
        ],
    );
    let days = vec![
        "2025-01-01",
        "2025-02-01",
        "2025-03-01",
        "2025-04-30",
        "2025-05-01",
        "2025-06-01",
        "2025-06-30",
        "2025-07-31",
        "2025-08-01",
        "2025-09-30",
        "2025-12-19",
        "2025-12-20",
    ];
    (l, days)
}

/// The filters the fast-path tests try, as `report` and `list` take them.
fn filters() -> Vec<taizhang::db::tasks::Filter> {
    use taizhang::db::tasks::Filter;
    use taizhang::model::Status;
    vec![
        Filter::default(),
        Filter {
            scope: taizhang::db::tasks::Scope {
                owners: vec!["司法局".into()],
                ..Default::default()
            },
            ..Filter::default()
        },
        Filter {
            scope: taizhang::db::tasks::Scope {
                owners: vec!["城管局".into()],
                ..Default::default()
            },
            ..Filter::default()
        },
        Filter {
            statuses: vec![Status::Doing, Status::Blocked],
            ..Filter::default()
        },
        Filter {
            overdue: true,
            ..Filter::default()
        },
        Filter {
            due_within: Some(60),
            ..Filter::default()
        },
        Filter {
            parent: Some(2),
            ..Filter::default()
        },
        Filter {
            search: Some("甲".into()),
            ..Filter::default()
        },
    ]
}

/// `report --as-of` (grouped SQL for the tasks untouched after the day, replay for the rest)
/// equals the table from a replay of every task, for every grouping, filter and day.
#[test]
fn report_as_of_equals_the_full_replay() {
    use taizhang::db::progress::{compute_replayed, compute_then, GroupBy};
    let (l, days) = mixed_ledger();
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    for day in days {
        let as_of: chrono::NaiveDate = day.parse().unwrap();
        for by in GroupBy::ALL {
            for f in filters() {
                let fast = compute_then(&conn, by, &f, as_of).unwrap();
                let full = compute_replayed(&conn, by, &f, as_of).unwrap();
                assert_eq!(
                    serde_json::to_value(&fast).unwrap(),
                    serde_json::to_value(&full).unwrap(),
                    "report --by {} {f:?} --as-of {day}",
                    by.name()
                );
            }
        }
    }
}

/// `warn --as-of` (status index for the untouched tasks, replay for the rest) equals the
/// warnings from a replay of every task, counts and listed tasks, with and without a limit.
#[test]
fn warn_as_of_equals_the_full_replay() {
    use taizhang::db::warn::{warnings_replayed, warnings_then};
    let (l, days) = mixed_ledger();
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    for day in days {
        let as_of: chrono::NaiveDate = day.parse().unwrap();
        for within in [0, 30, 200] {
            for limit in [None, Some(1), Some(3)] {
                for scope in scopes() {
                    let fast = warnings_then(&conn, as_of, within, limit, &scope).unwrap();
                    let full = warnings_replayed(&conn, as_of, within, limit, &scope).unwrap();
                    assert_eq!(
                        serde_json::to_value(&fast).unwrap(),
                        serde_json::to_value(&full).unwrap(),
                        "warn --within {within} --limit {limit:?} --as-of {day} {scope:?}"
                    );
                }
            }
        }
    }
}

/// `list --as-of` (candidates that match now or changed a filtered field after the day,
/// replayed lazily in id order up to the limit) equals the filtered full replay, for every
/// filter, order, limit and day.
#[test]
fn list_as_of_equals_the_full_replay() {
    use taizhang::db::tasks::{list_replayed, list_then, list_then_with, Sort};
    let (l, days) = mixed_ledger();
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    for day in days {
        let as_of: chrono::NaiveDate = day.parse().unwrap();
        for f in filters() {
            for sort in Sort::ALL {
                for limit in [None, Some(1), Some(2), Some(4)] {
                    let full = list_replayed(&conn, &f, sort, limit, as_of).unwrap();
                    let fast = list_then(&conn, &f, sort, limit, as_of).unwrap();
                    let what = format!(
                        "list {f:?} --sort {} --limit {limit:?} --as-of {day}",
                        sort.name()
                    );
                    assert_eq!(fast, full, "{what}");
                    // Every way the list can take on a large ledger: the lazy merges (and the
                    // whole replay) when the candidates are too many to replay one by one.
                    for max in [0, 1, 3] {
                        let fast = list_then_with(&conn, &f, sort, limit, as_of, max).unwrap();
                        assert_eq!(fast, full, "{what} with at most {max} candidates");
                    }
                }
            }
        }
    }
}

/// `show --as-of` lists the sub-tasks the task had on that day, as they stood then: not one
/// moved under it later or created later, and one moved away later still; each with its
/// progress of that day.
#[test]
fn show_as_of_lists_the_sub_tasks_of_that_day() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let p1 = l.add("甲", &["--on", "2025-01-02"]).to_string();
    let p2 = l.add("乙", &["--on", "2025-01-02"]).to_string();
    let a = l
        .add(
            "甲一",
            &["--on", "2025-02-01", "--parent", &p1, "--progress", "20"],
        )
        .to_string();
    let b = l
        .add(
            "乙一",
            &["--on", "2025-02-01", "--parent", &p2, "--progress", "50"],
        )
        .to_string();
    l.run_ok(&["update", &a, "--progress", "70", "--on", "2025-05-01"]);
    l.run_ok(&["update", &a, "--parent", &p2, "--on", "2025-06-01"]);
    l.run_ok(&["update", &b, "--parent", &p1, "--on", "2025-07-01"]);
    let c = l
        .add("甲二", &["--on", "2025-08-01", "--parent", &p1])
        .to_string();
    let kids = |p: &str, day: &str| -> Vec<(i64, i64)> {
        let v = l.json(&["show", p, "--as-of", day]);
        v["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].as_i64().unwrap(), t["progress"].as_i64().unwrap()))
            .collect()
    };
    let id = |s: &str| s.parse::<i64>().unwrap();
    assert_eq!(kids(&p1, "2025-04-30"), vec![(id(&a), 20)]);
    assert_eq!(kids(&p1, "2025-05-31"), vec![(id(&a), 70)]);
    assert_eq!(kids(&p2, "2025-05-31"), vec![(id(&b), 50)]);
    assert_eq!(kids(&p1, "2025-06-30"), Vec::<(i64, i64)>::new());
    assert_eq!(kids(&p2, "2025-06-30"), vec![(id(&a), 70), (id(&b), 50)]);
    assert_eq!(kids(&p1, "2025-07-31"), vec![(id(&b), 50)]);
    assert_eq!(kids(&p1, "2025-12-20"), vec![(id(&b), 50), (id(&c), 0)]);
}

/// The unit scopes the as-of warnings are compared under: every task, and one unit's.
fn scopes() -> Vec<taizhang::db::tasks::Scope> {
    vec![
        taizhang::db::tasks::Scope::default(),
        taizhang::db::tasks::Scope {
            owners: vec!["司法局".into()],
            ..Default::default()
        },
    ]
}

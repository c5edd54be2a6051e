//! Property test of the filtered running counts (issue 18): on random ledgers written through
//! the binary (adds with random units, co-owners, persons, areas, years, kinds, deadlines and
//! parents; updates of each of those, of status and of progress; undos; unit renames and
//! aliases), the progress table `report` reads from the running counts equals the table
//! counted from the tasks, for every grouping and random sets of filters at random days, and
//! `check` finds the ledger sound.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::Ledger;
use proptest::prelude::*;
use rusqlite::{Connection, OpenFlags};
use taizhang::db::progress::{compute, compute_counted, GroupBy, Progress};
use taizhang::db::tasks::{Filter, Scope};
use taizhang::model::{Kind, Status};

/// Unit names: the first three are used from the start, the others come in by renames and
/// aliases (and may also be written on tasks directly).
const UNITS: [&str; 6] = ["司法局", "财政局", "公安局", "区司法局", "财政", "公安分局"];
const AREAS: [&str; 3] = ["执法", "普法", "复议"];
const PERSONS: [&str; 2] = ["张三", "李四"];
const KINDS: [&str; 4] = ["task", "commitment", "shortcoming", "achievement"];
const STATUSES: [&str; 6] = ["todo", "doing", "blocked", "done", "verified", "cancelled"];

#[derive(Debug, Clone)]
enum Op {
    /// Parent (index into the tasks so far), unit, co-owner, person, area, year, kind,
    /// deadline (days after 1 January 2025, none for continuous work). Deadlines and the days
    /// the tables are drawn at share a short span, so that a deadline often falls on the day.
    Add {
        parent: Option<usize>,
        unit: Option<usize>,
        co: Option<usize>,
        person: Option<usize>,
        area: Option<usize>,
        year: i32,
        kind: usize,
        deadline: Option<u32>,
    },
    /// Task, then which field and its new value (an index into the field's choices).
    Update(usize, u8, usize),
    Undo,
    Rename(usize, usize),
    Alias(usize, usize),
}

fn add() -> impl Strategy<Value = Op> {
    (
        prop::option::of(0usize..10),
        prop::option::of(0usize..6),
        prop::option::of(0usize..6),
        prop::option::of(0usize..2),
        prop::option::of(0usize..3),
        2024i32..2026,
        0usize..4,
        prop::option::of(0u32..40),
    )
        .prop_map(
            |(parent, unit, co, person, area, year, kind, deadline)| Op::Add {
                parent: parent.filter(|p| p % 3 == 0),
                unit,
                co,
                person,
                area,
                year,
                kind,
                deadline,
            },
        )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => add(),
        6 => (0usize..10, 0u8..9, 0usize..40).prop_map(|(t, f, v)| Op::Update(t, f, v)),
        1 => Just(Op::Undo),
        2 => (0usize..3, 3usize..6).prop_map(|(a, b)| Op::Rename(a, b)),
        2 => (0usize..3, 3usize..6).prop_map(|(a, b)| Op::Alias(a, b)),
    ]
}

/// A filter as indexes into the choices above: unit names resolve through the register.
#[derive(Debug, Clone)]
struct Spec {
    statuses: Vec<usize>,
    kind: Option<usize>,
    owner: Option<usize>,
    lead: Option<usize>,
    person: Option<usize>,
    area: Option<usize>,
    year: Option<i32>,
    overdue: bool,
    due_within: Option<u32>,
    day: u32,
}

fn some<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.25, s)
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(0usize..6, 0..3),
        some(0usize..4),
        some(0usize..6),
        some(0usize..6),
        some(0usize..2),
        some(0usize..3),
        some(2024i32..2026),
        prop::bool::weighted(0.15),
        some(0u32..20),
        0u32..40,
    )
        .prop_map(
            |(statuses, kind, owner, lead, person, area, year, overdue, due_within, day)| Spec {
                statuses,
                kind,
                owner,
                lead,
                person,
                area,
                year,
                overdue,
                due_within,
                day,
            },
        )
}

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(offset.into())
}

fn run(l: &Ledger, ids: &mut Vec<i64>, op: &Op) {
    let pick = |t: usize, ids: &[i64]| ids.get(t % ids.len().max(1)).map(|i| i.to_string());
    let mut args: Vec<String> = Vec::new();
    match op {
        Op::Add {
            parent,
            unit,
            co,
            person,
            area,
            year,
            kind,
            deadline,
        } => {
            args.extend(["add".into(), format!("任务{}", ids.len())]);
            args.extend(["--kind".into(), KINDS[*kind].into()]);
            args.extend(["--year".into(), year.to_string()]);
            if let Some(u) = unit {
                args.extend(["--owner".into(), UNITS[*u].into()]);
            }
            if let Some(c) = co {
                args.extend(["--co-owner".into(), UNITS[*c].into()]);
            }
            if let Some(p) = person {
                args.extend(["--person".into(), PERSONS[*p].into()]);
            }
            if let Some(a) = area {
                args.extend(["--area".into(), AREAS[*a].into()]);
            }
            match deadline {
                Some(d) => args.extend(["--deadline".into(), day(*d).to_string()]),
                None => args.push("--continuous".into()),
            }
            if let Some(p) = parent.and_then(|p| pick(p, ids)) {
                args.extend(["--parent".into(), p]);
            }
        }
        Op::Update(t, field, v) => {
            let Some(id) = pick(*t, ids) else { return };
            args.extend(["update".into(), id, "--note".into(), "随机".into()]);
            let (flag, value) = match field {
                0 => ("--status", STATUSES[v % 6].to_string()),
                1 => ("--progress", (v % 101).to_string()),
                2 => ("--owner", UNITS[v % 6].to_string()),
                3 => ("--co-owner", UNITS[v % 6].to_string()),
                4 => ("--area", AREAS[v % 3].to_string()),
                5 => ("--year", (2024 + (v % 2)).to_string()),
                6 => ("--person", PERSONS[v % 2].to_string()),
                7 => ("--deadline", day(*v as u32).to_string()),
                _ => match pick(*v, ids) {
                    Some(p) => ("--parent", p),
                    None => return,
                },
            };
            args.extend([flag.into(), value]);
            // 销号 needs another person than the one who marked the task done.
            if value_is_verified(field, *v) {
                args.extend(["--user".into(), "复核人".into()]);
            }
        }
        Op::Undo => args.extend(["undo".into(), "--yes".into()]),
        Op::Rename(a, b) => args.extend([
            "unit".into(),
            "rename".into(),
            UNITS[*a].into(),
            UNITS[*b].into(),
        ]),
        Op::Alias(a, b) => args.extend([
            "unit".into(),
            "alias".into(),
            UNITS[*a].into(),
            UNITS[*b].into(),
        ]),
    }
    // Refusals (a cycle, a rename onto a name in use, nothing to undo…) are allowed: what
    // matters is that the two tables agree on whatever was accepted.
    let out = l.cmd().args(&args).output().unwrap();
    if out.status.success() && matches!(op, Op::Add { .. }) {
        let text = String::from_utf8_lossy(&out.stdout);
        if let Some(id) = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
        {
            ids.push(id);
        }
    }
}

fn value_is_verified(field: &u8, v: usize) -> bool {
    *field == 0 && STATUSES[v % 6] == "verified"
}

fn filter(conn: &Connection, s: &Spec) -> Filter {
    let names = |i: Option<usize>| -> Vec<String> {
        i.map(|i| taizhang::db::units::names_of(conn, UNITS[i]).unwrap())
            .unwrap_or_default()
    };
    Filter {
        statuses: s
            .statuses
            .iter()
            .map(|i| STATUSES[*i].parse::<Status>().unwrap())
            .collect(),
        kind: s.kind.map(|k| KINDS[k].parse::<Kind>().unwrap()),
        scope: Scope {
            owners: names(s.owner),
            leads: names(s.lead),
            person: s.person.map(|p| PERSONS[p].to_string()),
        },
        area: s.area.map(|a| AREAS[a].to_string()),
        year: s.year,
        overdue: s.overdue,
        due_within: s.due_within,
        ..Filter::default()
    }
}

/// Per group: the counts (total, each status, overdue).
type Counts = Vec<(Option<String>, [u64; 8])>;
/// Per group: the mean progress.
type Means = Vec<(Option<String>, f64)>;

/// The table as comparable rows: per group its counts, and its mean progress apart.
fn rows(p: &Progress) -> (Counts, Means) {
    let mut counts: Vec<_> = p
        .groups
        .iter()
        .map(|g| {
            (
                g.group.clone(),
                [
                    g.total,
                    g.todo,
                    g.doing,
                    g.blocked,
                    g.done,
                    g.verified,
                    g.cancelled,
                    g.overdue,
                ],
            )
        })
        .collect();
    counts.sort();
    let mut means: Vec<_> = p
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.progress))
        .collect();
    means.sort_by(|a, b| a.0.cmp(&b.0));
    (counts, means)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]
    #[test]
    fn filtered_running_counts_equal_a_count_of_the_tasks(
        adds in prop::collection::vec(add(), 4..14),
        ops in prop::collection::vec(op(), 0..30),
        specs in prop::collection::vec(spec(), 4),
    ) {
        let l = Ledger::init();
        let mut ids = Vec::new();
        for op in adds.iter().chain(&ops) {
            run(&l, &mut ids, op);
        }
        l.run_ok(&["check"]);
        let conn = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        for s in &specs {
            let f = filter(&conn, s);
            let d = day(s.day);
            for by in GroupBy::ALL {
                let fast = compute(&conn, by, &f, d).unwrap();
                let slow = compute_counted(&conn, by, &f, d).unwrap();
                let (fc, fm) = rows(&fast);
                let (sc, sm) = rows(&slow);
                prop_assert_eq!(&fc, &sc, "{:?} by {:?} at {}", s, by, d);
                for ((g, a), (_, b)) in fm.iter().zip(&sm) {
                    prop_assert!((a - b).abs() <= 0.1, "{:?} by {:?}: {:?} {} vs {}", s, by, g, a, b);
                }
            }
        }
    }
}

/// A task that names one unit twice — as lead under its old name and as co-owner under the
/// name it was merged with — is one task of that unit in every grouping, as `list` says.
#[test]
fn a_task_naming_a_unit_by_two_of_its_names_counts_once() {
    let l = Ledger::init();
    l.run_ok(&[
        "add",
        "两名任务",
        "--owner",
        "司法局",
        "--co-owner",
        "区司法局",
        "--area",
        "执法",
        "--year",
        "2025",
        "--deadline",
        "2025-02-01",
    ]);
    l.run_ok(&[
        "add",
        "他人任务",
        "--owner",
        "财政局",
        "--year",
        "2025",
        "--continuous",
    ]);
    l.run_ok(&["unit", "alias", "司法局", "区司法局"]);
    for by in ["area", "owner", "status", "kind", "year", "outline-area"] {
        let r = l.json(&["report", "--owner", "区司法局", "--by", by]);
        assert_eq!(r["total"]["total"], 1, "by {by}: {r}");
        assert_eq!(r["total"]["overdue"], 1, "by {by}: {r}");
    }
    let conn = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let f = Filter {
        scope: Scope {
            owners: taizhang::db::units::names_of(&conn, "司法局").unwrap(),
            ..Scope::default()
        },
        ..Filter::default()
    };
    assert_eq!(f.scope.owners.len(), 2, "{:?}", f.scope.owners);
    let d = day(60);
    for by in GroupBy::ALL {
        let fast = compute(&conn, by, &f, d).unwrap();
        let slow = compute_counted(&conn, by, &f, d).unwrap();
        assert_eq!(rows(&fast), rows(&slow), "by {by:?}");
    }
    l.run_ok(&["check"]);
}

/// Carry-over moves open tasks to the next year, and a JSON Lines import rebuilds the counts:
/// after each, the filtered tables read from the counts equal the count from the tasks, and
/// the imported ledger reports what the original does.
#[test]
fn carry_over_and_import_keep_the_filtered_counts() {
    let mut a = Ledger::init();
    a.set_now("2026-01-10T09:00:00+08:00");
    a.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    for (i, (owner, status)) in [
        ("司法局", "doing"),
        ("司法局", "done"),
        ("财政局", "todo"),
        ("财政局", "blocked"),
    ]
    .iter()
    .enumerate()
    {
        let id = a.add(
            &format!("任务{i}"),
            &[
                "--owner",
                owner,
                "--co-owner",
                "公安局",
                "--area",
                "执法",
                "--year",
                "2025",
                "--deadline",
                "2025-12-01",
                "--on",
                "2025-03-01",
            ],
        );
        a.run_ok(&[
            "update",
            &id.to_string(),
            "--status",
            status,
            "--note",
            "进展",
        ]);
    }
    a.run_ok(&["carry-over", "--from", "2025"]);
    a.run_ok(&["check"]);
    // The three open tasks moved to 2026; the done one stayed.
    let r = a.json(&["report", "--owner", "公安局", "--year", "2026"]);
    assert_eq!(r["total"]["total"], 3, "{r}");
    let file = a.sibling("a.jsonl");
    std::fs::write(&file, a.run_ok(&["export", "--format", "jsonl"])).unwrap();
    let b = Ledger::init().at("2026-01-10T09:00:00+08:00");
    b.run_ok(&["import", file.to_str().unwrap()]);
    b.run_ok(&["check"]);
    for l in [&a, &b] {
        let conn = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        for s in [Some(2025), Some(2026)] {
            let f = Filter {
                year: s,
                scope: Scope {
                    owners: vec!["公安局".into()],
                    ..Scope::default()
                },
                ..Filter::default()
            };
            for by in GroupBy::ALL {
                let fast = compute(&conn, by, &f, day(400)).unwrap();
                let slow = compute_counted(&conn, by, &f, day(400)).unwrap();
                assert_eq!(rows(&fast), rows(&slow), "{s:?} by {by:?}");
            }
        }
    }
    for args in [
        ["report", "--owner", "公安局", "--by", "year"],
        ["report", "--year", "2026", "--by", "owner"],
    ] {
        assert_eq!(a.json(&args), b.json(&args), "{args:?}");
    }
}

/// Two of area, year and kind read the slice of their pair: for each pair and grouping the
/// table equals the count from the tasks, and is not empty.
#[test]
fn pairs_of_area_year_and_kind_equal_a_count() {
    let l = Ledger::init();
    for (i, (area, year, kind)) in [
        ("执法", "2024", "task"),
        ("执法", "2025", "commitment"),
        ("普法", "2025", "commitment"),
        ("执法", "2025", "task"),
        ("普法", "2024", "commitment"),
    ]
    .iter()
    .enumerate()
    {
        l.add(
            &format!("任务{i}"),
            &[
                "--area",
                area,
                "--year",
                year,
                "--kind",
                kind,
                "--owner",
                UNITS[i % 3],
                "--deadline",
                "2025-02-01",
            ],
        );
    }
    let conn = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let area = Some("执法".to_string());
    let kind = Some(Kind::Commitment);
    let filters = [
        Filter {
            area: area.clone(),
            year: Some(2025),
            ..Filter::default()
        },
        Filter {
            area,
            kind,
            ..Filter::default()
        },
        Filter {
            year: Some(2025),
            kind,
            ..Filter::default()
        },
    ];
    for f in &filters {
        for by in GroupBy::ALL {
            let fast = compute(&conn, by, f, day(60)).unwrap();
            let slow = compute_counted(&conn, by, f, day(60)).unwrap();
            assert!(slow.total.total > 0, "{f:?}");
            assert_eq!(rows(&fast), rows(&slow), "{f:?} by {by:?}");
        }
    }
}

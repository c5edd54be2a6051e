//! Property test of the as-of fast paths (issue 12): on random ledgers (adds under random
//! parents, progress, status with cancellations, owner, parent and deadline changes, each with
//! a random effective day in and out of the order they are recorded in), `report`, `warn` and
//! `list --as-of` at any day equal the same views computed from a replay of every task.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use taizhang::db::progress::{compute_replayed, compute_then, GroupBy};
use taizhang::db::tasks::{list_replayed, list_then_with, Filter, Sort};
use taizhang::db::warn::{warnings_replayed, warnings_then};
use taizhang::db::{ChangeMeta, Ledger};
use taizhang::ledger::tasks::{add, update, AddRequest, UpdateRequest};
use taizhang::model::date::DeadlineArg;
use taizhang::model::rules::Changes;
use taizhang::model::{Kind, Lang, Status};

#[derive(Debug, Clone)]
enum Op {
    /// Parent (index into the tasks so far, or none), owner, deadline (days after 1 February).
    Add(Option<usize>, usize, Option<u32>),
    Progress(usize, u8),
    Status(usize, usize),
    Owner(usize, usize),
    Parent(usize, usize),
    Deadline(usize, u32),
}

fn op() -> impl Strategy<Value = (Op, u32)> {
    let op = prop_oneof![
        3 => (prop::option::of(0usize..8), 0usize..3, prop::option::of(0u32..60))
            .prop_map(|(p, o, d)| Op::Add(p, o, d)),
        2 => (0usize..8, 0u8..=100).prop_map(|(t, p)| Op::Progress(t, p)),
        2 => (0usize..8, 0usize..6).prop_map(|(t, s)| Op::Status(t, s)),
        3 => (0usize..8, 0usize..3).prop_map(|(t, o)| Op::Owner(t, o)),
        1 => (0usize..8, 0usize..8).prop_map(|(t, p)| Op::Parent(t, p)),
        1 => (0usize..8, 0u32..60).prop_map(|(t, d)| Op::Deadline(t, d)),
    ];
    // The effective day as days before the recording day (0 = no --on).
    (op, 0u32..40)
}

const OWNERS: [Option<&str>; 3] = [None, Some("司法局"), Some("财政局")];

const STATUSES: [Status; 6] = [
    Status::Todo,
    Status::Doing,
    Status::Blocked,
    Status::Done,
    Status::Verified,
    Status::Cancelled,
];

fn day(offset: u32) -> String {
    (NaiveDate::from_ymd_opt(2025, 2, 1).unwrap() + chrono::Days::new(offset.into())).to_string()
}

fn build(ops: &[(Op, u32)]) -> Ledger {
    let mut l = Ledger::open_in_memory("2025-03-01T08:00:00+08:00").unwrap();
    let mut ids: Vec<i64> = Vec::new();
    for (i, (op, back)) in ops.iter().enumerate() {
        let i = u32::try_from(i).unwrap();
        let now = DateTime::parse_from_rfc3339(&format!(
            "2025-03-{:02}T{:02}:00:00+08:00",
            1 + i / 12,
            8 + i % 12
        ))
        .unwrap();
        let effective = (*back > 0).then(|| {
            let day = now.date_naive() - chrono::Days::new((*back).into());
            taizhang::ledger::effective::on(day, &now, true, Lang::En).unwrap()
        });
        let meta = ChangeMeta {
            at: taizhang::clock::stamp(&now),
            actor: "prop".into(),
            command: format!("{op:?}"),
            undoes: None,
        };
        l.set_effective(effective);
        let as_of = now.date_naive();
        let pick = |t: &usize| ids.get(t % ids.len().max(1)).copied();
        let change = |l: &mut Ledger, id: i64, changes: Changes, deadline: Option<DeadlineArg>| {
            update(
                l,
                &meta,
                &UpdateRequest {
                    ids: vec![id],
                    changes,
                    deadline,
                    note: Some(format!("理由{i}")),
                },
                as_of,
                Lang::En,
            )
            .map(|_| ())
        };
        // Refusals (a change before its task, a cycle, …) are allowed: what matters is that
        // the views agree on whatever was accepted.
        let _ = match op {
            Op::Add(p, o, d) => add(
                &mut l,
                &meta,
                &AddRequest {
                    reference: None,
                    kind: Kind::Task,
                    title: format!("任务{i}"),
                    body: None,
                    area: None,
                    outline_area: None,
                    owner: OWNERS[*o].map(String::from),
                    co_owners: vec![],
                    deadline: d.map(|d| DeadlineArg { text: day(d) }),
                    continuous: d.is_none(),
                    year: Some(2025),
                    parent_id: p.and_then(|p| pick(&p)),
                    status: Status::Todo,
                    progress: 0,
                    person: None,
                    contact: None,
                },
                as_of,
                Lang::En,
            )
            .map(|t| ids.push(t.id)),
            Op::Progress(t, p) => match pick(t) {
                Some(id) => change(
                    &mut l,
                    id,
                    Changes {
                        progress: Some(*p),
                        ..Changes::default()
                    },
                    None,
                ),
                None => Ok(()),
            },
            Op::Status(t, s) => match pick(t) {
                Some(id) => change(
                    &mut l,
                    id,
                    Changes {
                        status: Some(STATUSES[*s % STATUSES.len()]),
                        ..Changes::default()
                    },
                    None,
                ),
                None => Ok(()),
            },
            Op::Owner(t, o) => match (pick(t), OWNERS[*o]) {
                (Some(id), Some(owner)) => change(
                    &mut l,
                    id,
                    Changes {
                        owner: Some(owner.into()),
                        ..Changes::default()
                    },
                    None,
                ),
                _ => Ok(()),
            },
            Op::Parent(t, p) => match (pick(t), pick(p)) {
                (Some(id), Some(parent)) => change(
                    &mut l,
                    id,
                    Changes {
                        parent_id: Some(parent),
                        ..Changes::default()
                    },
                    None,
                ),
                _ => Ok(()),
            },
            Op::Deadline(t, d) => match pick(t) {
                Some(id) => change(
                    &mut l,
                    id,
                    Changes::default(),
                    Some(DeadlineArg { text: day(*d) }),
                ),
                None => Ok(()),
            },
        };
    }
    l
}

fn filters() -> Vec<Filter> {
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
            statuses: vec![Status::Doing, Status::Blocked],
            ..Filter::default()
        },
        Filter {
            overdue: true,
            ..Filter::default()
        },
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn as_of_fast_paths_equal_the_full_replay(ops in prop::collection::vec(op(), 1..40)) {
        let l = build(&ops);
        let conn = l.conn();
        let mut d = NaiveDate::from_ymd_opt(2025, 1, 20).unwrap();
        while d <= NaiveDate::from_ymd_opt(2025, 3, 6).unwrap() {
            for f in filters() {
                for by in [GroupBy::Owner, GroupBy::Status] {
                    let fast = compute_then(conn, by, &f, d).unwrap();
                    let full = compute_replayed(conn, by, &f, d).unwrap();
                    prop_assert_eq!(
                        serde_json::to_value(&fast).unwrap(),
                        serde_json::to_value(&full).unwrap(),
                        "report --by {} {:?} --as-of {}", by.name(), f, d
                    );
                }
                for sort in [Sort::Id, Sort::Deadline, Sort::Status] {
                    for limit in [None, Some(2)] {
                        let full = list_replayed(conn, &f, sort, limit, d).unwrap();
                        for max in [0, 2000] {
                            let fast = list_then_with(conn, &f, sort, limit, d, max).unwrap();
                            prop_assert_eq!(
                                &fast, &full,
                                "list {:?} --sort {} --limit {:?} --as-of {} (max {})",
                                f, sort.name(), limit, d, max
                            );
                        }
                    }
                }
            }
            for limit in [None, Some(2)] {
                for owners in [vec![], vec!["司法局".to_string()]] {
                    let scope = taizhang::db::tasks::Scope { owners, ..Default::default() };
                    let fast = warnings_then(conn, d, 20, limit, &scope).unwrap();
                    let full = warnings_replayed(conn, d, 20, limit, &scope).unwrap();
                    prop_assert_eq!(
                        serde_json::to_value(&fast).unwrap(),
                        serde_json::to_value(&full).unwrap(),
                        "warn --limit {:?} --as-of {} {:?}", limit, d, scope
                    );
                }
            }
            d = d + chrono::Days::new(3);
        }
    }
}

//! Property test of the replay with effective times (issue 12): random sequences of adds,
//! updates and notes, each with a random effective day (in and out of the order they are
//! recorded in). Whatever the writer accepts, the replay at any day equals a brute-force
//! reconstruction from the rows sorted by (effective, id), and it never fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use taizhang::db::replay::{end_of_day, replay_each, Rollup};
use taizhang::db::{ChangeMeta, Ledger};
use taizhang::ledger::tasks::{add, note, update, AddRequest, UpdateRequest};
use taizhang::model::rules::Changes;
use taizhang::model::{Kind, Lang, Status};

#[derive(Debug, Clone)]
enum Op {
    Add,
    Progress(usize, u8),
    Status(usize, u8),
    Note(usize),
}

fn op() -> impl Strategy<Value = (Op, u32)> {
    let op = prop_oneof![
        Just(Op::Add),
        (0usize..4, 0u8..=100).prop_map(|(t, p)| Op::Progress(t, p)),
        (0usize..4, 0u8..4).prop_map(|(t, s)| Op::Status(t, s)),
        (0usize..4).prop_map(Op::Note),
    ];
    // The effective day as days before the recording day (0 = no --on).
    (op, 0u32..40)
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
}

/// A history row as the brute force reads it: task, id, field, new, note, effective.
type Row = (i64, i64, String, Option<String>, Option<String>, String);

/// One task as the brute force rebuilds it: (status, progress, latest note).
type Brute = BTreeMap<i64, (String, u8, Option<String>)>;

fn brute(l: &Ledger, cutoff: &str) -> Brute {
    let mut stmt = l
        .conn()
        .prepare("SELECT task_id, id, field, new, note, coalesce(effective, at) FROM history")
        .unwrap();
    let mut rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.retain(|r| r.5[..19] <= *cutoff);
    rows.sort_by(|a, b| (a.0, &a.5[..19], a.1).cmp(&(b.0, &b.5[..19], b.1)));
    let mut out = Brute::new();
    for (task, _, field, new, note, _) in rows {
        match field.as_str() {
            "created" => {
                let v: serde_json::Value = serde_json::from_str(&new.unwrap()).unwrap();
                out.insert(
                    task,
                    (
                        v["status"].as_str().unwrap().to_string(),
                        u8::try_from(v["progress"].as_u64().unwrap()).unwrap(),
                        note,
                    ),
                );
            }
            f => {
                let t = out
                    .get_mut(&task)
                    .expect("a row before its task's creation");
                match f {
                    "status" => t.0 = new.unwrap(),
                    "progress" => t.1 = new.unwrap().parse().unwrap(),
                    _ => {}
                }
                if note.is_some() {
                    t.2 = note;
                }
            }
        }
    }
    out
}

fn replayed(l: &Ledger, cutoff: &str, as_of: NaiveDate) -> Brute {
    let mut out = Brute::new();
    replay_each(l.conn(), Some(cutoff), None, as_of, &Rollup::new(), |rep| {
        let t = rep.task;
        out.insert(t.id, (t.status.to_string(), t.progress, rep.latest_note));
        Ok(())
    })
    .expect("the replay never fails");
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
    #[test]
    fn replay_at_any_day_equals_a_brute_force_rebuild(ops in prop::collection::vec(op(), 1..30)) {
        let mut l = Ledger::open_in_memory("2025-03-01T08:00:00+08:00").unwrap();
        let mut ids: Vec<i64> = Vec::new();
        for (i, (op, back)) in ops.iter().enumerate() {
            let i = u32::try_from(i).unwrap();
            let now = DateTime::parse_from_rfc3339(&format!(
                "2025-03-{:02}T{:02}:00:00+08:00", 1 + i / 12, 8 + i % 12
            )).unwrap();
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
            // Refusals (a change before its task, or before a later change) are allowed:
            // what matters is that whatever was accepted replays.
            let _ = match op {
                Op::Add => add(&mut l, &meta, &AddRequest {
                    reference: None, kind: Kind::Task, title: format!("任务{i}"), body: None,
                    area: None, outline_area: None, owner: None, co_owners: vec![], person: None, contact: None,
                    deadline: None, continuous: false, year: Some(2025), parent_id: None,
                    status: Status::Todo, progress: 0,
                }, as_of, Lang::En).map(|t| ids.push(t.id)),
                Op::Progress(t, p) => match pick(t) {
                    Some(id) => update(&mut l, &meta, &UpdateRequest {
                        ids: vec![id],
                        changes: Changes { progress: Some(*p), ..Changes::default() },
                        deadline: None, note: Some(format!("进展{i}")),
                    }, as_of, Lang::En).map(|_| ()),
                    None => Ok(()),
                },
                Op::Status(t, s) => match pick(t) {
                    Some(id) => update(&mut l, &meta, &UpdateRequest {
                        ids: vec![id],
                        changes: Changes {
                            status: Some([Status::Todo, Status::Doing, Status::Blocked, Status::Done][usize::from(*s)]),
                            ..Changes::default()
                        },
                        deadline: None, note: None,
                    }, as_of, Lang::En).map(|_| ()),
                    None => Ok(()),
                },
                Op::Note(t) => match pick(t) {
                    Some(id) => note(&mut l, &meta, id, &format!("备注{i}")),
                    None => Ok(()),
                },
            };
        }
        // Every day from well before the first change to after the last.
        let mut day = day0() - chrono::Days::new(45);
        while day <= day0() + chrono::Days::new(5) {
            let cutoff = end_of_day(day);
            prop_assert_eq!(replayed(&l, &cutoff, day), brute(&l, &cutoff), "as of {}", day);
            day = day + chrono::Days::new(1);
        }
        // And the replay to now is the stored state.
        let all = replayed(&l, "9999-12-31T23:59:59", day);
        for (id, (status, progress, _)) in &all {
            let t = taizhang::db::tasks::get(l.conn(), *id, day).unwrap();
            prop_assert_eq!(&t.status.to_string(), status);
            prop_assert_eq!(t.own_progress, *progress);
        }
    }
}

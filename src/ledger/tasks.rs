//! Operations on single tasks: add, update, note, link and unlink.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::db::tasks::{self, NewTask};
use crate::db::{ChangeMeta, Ledger};
use crate::model::date::{end_of_year, DeadlineArg};
use crate::model::rules::{starting_state, Changes};
use crate::model::{Kind, Lang, Status, Task};
use crate::{Error, Result};

/// A task to add, as the command line gives it.
#[derive(Debug, Clone)]
pub struct AddRequest {
    pub reference: Option<String>,
    pub kind: Kind,
    pub title: String,
    pub body: Option<String>,
    pub area: Option<String>,
    pub outline_area: Option<String>,
    pub owner: Option<String>,
    pub co_owners: Vec<String>,
    /// The deadline as typed; `None` means 31 December of the plan year.
    pub deadline: Option<DeadlineArg>,
    /// Continuous work with no deadline (长期坚持).
    pub continuous: bool,
    /// The plan year; `None` means the closing year of the ledger's outline period.
    pub year: Option<i32>,
    pub parent_id: Option<i64>,
    pub person: Option<String>,
    pub contact: Option<String>,
    pub status: Status,
    pub progress: u8,
}

/// Adds one task and returns it as stored.
pub fn add(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    req: &AddRequest,
    as_of: NaiveDate,
    // Errors carry catalogue messages shown in the user's language at the edge, so the
    // language is no longer needed here; the parameter stays so that callers keep compiling.
    lang: Lang,
) -> Result<Task> {
    if req.status == Status::Cancelled {
        return Err(Error::usage(crate::msg!("task.add_cancelled")));
    }
    let (status, progress) = starting_state(req.status, req.progress);
    // The outline is read in the same transaction as the insert: one command, one
    // transaction, and the default year cannot change in between.
    ledger.write(meta, |w| {
        let year = match req.year {
            Some(y) => y,
            None => crate::db::outline(w.conn())?.end,
        };
        crate::db::periods::require_year(w.conn(), year, lang)?;
        let deadline =
            if req.continuous {
                None
            } else {
                match &req.deadline {
                    Some(d) => d.resolve(year).map_err(|_| bad_for_year(d, year))?.day(),
                    None => Some(end_of_year(year).ok_or_else(|| {
                        Error::refused(crate::msg!("task.no_year_end", year = year))
                    })?),
                }
            };
        // A sub-task belongs where its parent does: it takes the parent's area when none is
        // given, and its kind when given the default kind (task).
        let parent = match req.parent_id {
            Some(p) => Some(tasks::get(w.conn(), p, as_of)?),
            None => None,
        };
        let kind = match &parent {
            Some(p) if req.kind == Kind::Task => p.kind,
            _ => req.kind,
        };
        let area = req
            .area
            .clone()
            .or_else(|| parent.as_ref().and_then(|p| p.area.clone()));
        let t = NewTask {
            reference: req.reference.clone(),
            kind,
            title: req.title.clone(),
            body: req.body.clone(),
            area,
            outline_area: req.outline_area.clone(),
            owner: req.owner.clone(),
            co_owners: req.co_owners.clone(),
            person: req.person.clone(),
            contact: req.contact.clone(),
            status,
            progress,
            deadline,
            deadline_text: req.deadline.as_ref().and_then(|d| d.words()),
            year,
            parent_id: req.parent_id,
            document_id: None,
            completed_at: status.is_finished().then(|| w.at().to_string()),
        };
        let id = tasks::insert(w, &t, None)?;
        tasks::get(w.conn(), id, as_of)
    })
}

/// A change to one or more tasks, as the command line gives it.
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    /// The tasks to change; all change or none does. An id given twice is changed once.
    pub ids: Vec<i64>,
    /// The new values; its deadline is filled per task from `deadline`.
    pub changes: Changes,
    /// A new deadline as typed: a form without a year is in each task's own plan year.
    pub deadline: Option<DeadlineArg>,
    /// The reason, required for a new deadline or a cancellation.
    pub note: Option<String>,
}

/// What `update` did to one task.
#[derive(Debug, Clone)]
pub struct Updated {
    /// The task as the whole command left it.
    pub task: Task,
    /// The names of the fields that changed; empty when nothing did.
    pub fields: Vec<&'static str>,
}

/// Changes tasks in one transaction and returns each as the change left it.
pub fn update(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    req: &UpdateRequest,
    as_of: NaiveDate,
    // Errors carry catalogue messages shown in the user's language at the edge, so the
    // language is no longer needed here; the parameter stays so that callers keep compiling.
    lang: Lang,
) -> Result<Vec<Updated>> {
    update_then(ledger, meta, req, as_of, lang, |_| Ok(()))
}

/// `update`, with `then` run in the same transaction after the changes and before the tasks
/// are read back (evidence attached by the same command). `then` may run again when the
/// ledger was busy, so it keeps no state between runs.
pub fn update_then(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    req: &UpdateRequest,
    as_of: NaiveDate,
    lang: Lang,
    then: impl Fn(&crate::db::Writer) -> Result<()>,
) -> Result<Vec<Updated>> {
    if req.note.is_none() {
        if req.deadline.is_some() {
            return Err(Error::usage(crate::msg!("task.deadline_needs_note")));
        }
        if req.changes.status == Some(Status::Cancelled) {
            return Err(Error::usage(crate::msg!("task.cancel_needs_note")));
        }
        if req.changes.year.is_some() {
            return Err(Error::Usage(
                lang.pick(
                    "调整计划年度须用 --note 说明理由",
                    "changing the plan year needs --note with the reason (调整年度须说明理由)",
                )
                .into(),
            ));
        }
    }
    let mut seen = HashSet::new();
    let ids: Vec<i64> = req
        .ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    // The closure may run again when the ledger was busy, so it keeps no state between runs.
    ledger.write(meta, |w| {
        if let Some(y) = req.changes.year {
            crate::db::periods::require_year(w.conn(), y, lang)?;
        }
        let mut fields = Vec::with_capacity(ids.len());
        for &id in &ids {
            let mut changes = req.changes.clone();
            let old = tasks::get(w.conn(), id, as_of)?;
            // A parent's status is its sub-tasks' while any of them is open.
            if let Some(s) = changes.status {
                if old.status != s {
                    crate::model::rules::status_by_hand(
                        id,
                        &tasks::open_sub_tasks(w.conn(), id)?,
                        lang,
                    )?;
                }
            }
            // 销号 takes a note of what was done and a second person: the status this change
            // leads to (progress 100 means done) is checked, by the one rule.
            let new = crate::model::rules::apply(&old, &changes, w.at());
            crate::model::rules::review(
                id,
                old.status,
                new.status,
                req.note.as_deref(),
                tasks::done_by(w.conn(), id)?.as_deref(),
                &meta.actor,
                lang,
            )?;
            // A deadline without a year ("6月底前") means that month of each task's own plan
            // year, so it is resolved task by task.
            if let Some(d) = &req.deadline {
                let year = match req.changes.year {
                    Some(y) => y,
                    None => tasks::get(w.conn(), id, as_of)?.year,
                };
                let due = d.resolve(year).map_err(|_| bad_for_year(d, year))?;
                let Some(day) = due.day() else {
                    return Err(Error::usage(crate::msg!("task.update_continuous")));
                };
                changes.deadline = Some(day);
                changes.deadline_text = d.words();
            }
            fields.push(tasks::update(w, id, &changes, req.note.as_deref(), as_of)?);
        }
        then(w)?;
        // Read after every change, so that a parent shows the progress its sub-tasks now give.
        ids.iter()
            .zip(fields)
            .map(|(&id, fields)| {
                Ok(Updated {
                    task: tasks::get(w.conn(), id, as_of)?,
                    fields,
                })
            })
            .collect()
    })
}

/// Records a progress note on a task.
pub fn note(ledger: &mut Ledger, meta: &ChangeMeta, id: i64, text: &str) -> Result<()> {
    ledger.write(meta, |w| tasks::note(w, id, text))
}

/// Records the same progress note on several tasks (a range, `note 16-18 …`) in one
/// transaction: all or none, and one change for undo.
pub fn note_each(ledger: &mut Ledger, meta: &ChangeMeta, ids: &[i64], text: &str) -> Result<()> {
    ledger.write(meta, |w| {
        for &id in ids {
            tasks::note(w, id, text)?;
        }
        Ok(())
    })
}

/// Links (or unlinks) several tasks and one shortcoming in one transaction; for each task,
/// whether anything changed.
pub fn set_links(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    ids: &[i64],
    shortcoming: i64,
    add: bool,
    as_of: NaiveDate,
) -> Result<Vec<bool>> {
    ledger.write(meta, |w| {
        ids.iter()
            .map(|&id| {
                if add {
                    tasks::link(w, id, shortcoming, as_of)
                } else {
                    tasks::unlink(w, id, shortcoming)
                }
            })
            .collect()
    })
}

/// Links a task to the shortcoming it addresses (`add`) or removes the link. Returns false
/// when there was nothing to do.
pub fn set_link(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    id: i64,
    shortcoming: i64,
    add: bool,
    as_of: NaiveDate,
) -> Result<bool> {
    ledger.write(meta, |w| {
        if add {
            tasks::link(w, id, shortcoming, as_of)
        } else {
            tasks::unlink(w, id, shortcoming)
        }
    })
}

/// Records that shortcoming `id` names the same problem as the earlier shortcoming
/// `earlier` (屡改屡犯). Returns false when it was recorded already.
pub fn set_same_as(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    id: i64,
    earlier: i64,
    as_of: NaiveDate,
    lang: Lang,
) -> Result<bool> {
    ledger.write(meta, |w| {
        crate::db::recur::same_as(w, id, earlier, as_of, lang)
    })
}

/// The refusal of a deadline that is well formed but names no day in the plan year it is read
/// in ("2月29日" in 2025).
fn bad_for_year(d: &DeadlineArg, year: i32) -> Error {
    Error::usage(crate::msg!(
        "task.deadline_not_in_year",
        text = d.text,
        year = year
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::db::testing::meta;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    fn request(title: &str) -> AddRequest {
        AddRequest {
            reference: None,
            kind: Kind::Task,
            title: title.into(),
            body: None,
            area: None,
            outline_area: None,
            owner: None,
            co_owners: vec![],
            person: None,
            contact: None,
            deadline: None,
            continuous: false,
            year: Some(2025),
            parent_id: None,
            status: Status::Todo,
            progress: 0,
        }
    }

    /// `add` applies the starting rules and returns the task as stored; `update` returns each
    /// task once, as the whole command left it, with the fields that changed.
    #[test]
    fn operations_return_what_they_changed() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let mut r = request("甲");
        r.progress = 100;
        let t = add(&mut l, &meta(), &r, day(), Lang::En).unwrap();
        assert_eq!((t.status, t.progress), (Status::Done, 100));
        assert_eq!(t.deadline, NaiveDate::from_ymd_opt(2025, 12, 31));
        assert!(t.completed_at.is_some());

        let parent = add(&mut l, &meta(), &request("乙"), day(), Lang::En).unwrap();
        let req = UpdateRequest {
            ids: vec![t.id, t.id],
            changes: Changes {
                progress: Some(40),
                status: Some(Status::Doing),
                parent_id: Some(parent.id),
                ..Changes::default()
            },
            deadline: None,
            note: None,
        };
        let u = update(&mut l, &meta(), &req, day(), Lang::En).unwrap();
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].task.progress, 40);
        assert_eq!(u[0].task.completed_at, None);
        assert_eq!(
            u[0].fields,
            ["status", "progress", "parent_id", "completed_at"]
        );

        let mut cancelled = request("丙");
        cancelled.status = Status::Cancelled;
        let e = add(&mut l, &meta(), &cancelled, day(), Lang::En).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        let req = UpdateRequest {
            ids: vec![t.id],
            changes: Changes {
                status: Some(Status::Cancelled),
                ..Changes::default()
            },
            deadline: None,
            note: None,
        };
        let e = update(&mut l, &meta(), &req, day(), Lang::En).unwrap_err();
        assert!(e.to_string().contains("needs --note"), "{e}");
    }
}

//! Carry-over (结转): the open tasks of a year that has ended move to the next plan year, each
//! with one history row per changed field (the year, the deadline) in one change, so that the
//! old year and deadline stay in the history and the next year's report counts them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::tasks::{self, Changes};
use crate::db::{carry, periods, ChangeMeta, Ledger};
use crate::model::date::{end_of_year, DeadlineArg};
use crate::model::Lang;
use crate::{Error, Result};

/// A carry-over as the command line gives it.
#[derive(Debug, Clone)]
pub struct CarryRequest {
    pub from: i32,
    /// The year to carry into; `None` means the year after `from`.
    pub to: Option<i32>,
    /// Only say what would move.
    pub dry_run: bool,
    /// Tasks to leave in `from` (their sub-tasks stay with them).
    pub except: Vec<i64>,
    /// The new deadline; `None` means 31 December of the new year.
    pub deadline: Option<DeadlineArg>,
    /// Carry from a year that has not ended yet (needs `note`).
    pub force: bool,
    /// The reason, added to the 结转 note of every row.
    pub note: Option<String>,
}

/// One task carried (or, in a dry run, to be carried).
#[derive(Debug, Clone, Serialize)]
pub struct Carried {
    pub id: i64,
    pub title: String,
    pub parent_id: Option<i64>,
    pub old_deadline: Option<NaiveDate>,
    pub new_deadline: Option<NaiveDate>,
}

/// What a carry-over did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub from: i32,
    pub to: i32,
    pub dry_run: bool,
    pub carried: Vec<Carried>,
}

/// Carries the open tasks of `req.from` into the next year, all in one transaction. `today`
/// is the clock's day: a year that has not ended is carried only with `--force` and a note.
pub fn carry_over(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    req: &CarryRequest,
    today: NaiveDate,
    as_of: NaiveDate,
    lang: Lang,
) -> Result<Outcome> {
    let from = req.from;
    let to = req.to.unwrap_or(from + 1);
    if to <= from {
        return Err(Error::Usage(crate::tr!(
            lang,
            "carry.to_not_later",
            to = to,
            from = from
        )));
    }
    let from_end = end_of_year(from)
        .ok_or_else(|| Error::Usage(crate::tr!(lang, "carry.bad_year", from = from)))?;
    if today <= from_end {
        if !req.force {
            return Err(Error::Refused(crate::tr!(
                lang,
                "carry.year_not_ended",
                from = from,
                today = today
            )));
        }
        if req.note.is_none() {
            return Err(Error::Usage(crate::tr!(lang, "carry.force_needs_note")));
        }
    }
    let note = carry::note(from, to, req.note.as_deref());
    // Rows take effect on 1 January of the new year (unless --on says otherwise); a forced
    // carry before then takes effect when recorded, since nothing takes effect in the future.
    let jan1 = NaiveDate::from_ymd_opt(to, 1, 1);
    let run = |w: &crate::db::Writer| -> Result<Outcome> {
        let conn = w.conn();
        if !carry::year_has_tasks(conn, from)? {
            return Err(Error::Refused(crate::tr!(
                lang,
                "carry.nothing",
                from = from
            )));
        }
        periods::require_year(conn, to, lang)?;
        for &id in &req.except {
            tasks::require(conn, id)?;
        }
        let open = carry::open_of_year(conn, from)?;
        let parent: HashMap<i64, Option<i64>> = open.iter().copied().collect();
        let except: HashSet<i64> = req.except.iter().copied().collect();
        // A sub-task stays with its parent: one left behind with --except keeps its
        // sub-tasks in the old year too.
        let kept = |mut id: i64| -> bool {
            let mut seen = HashSet::new();
            loop {
                if except.contains(&id) {
                    return true;
                }
                match parent.get(&id).copied().flatten() {
                    Some(p) if seen.insert(p) => id = p,
                    _ => return false,
                }
            }
        };
        w.set_default_effective(jan1);
        let mut carried = Vec::new();
        for (id, parent_id) in open {
            if kept(id) {
                continue;
            }
            let t = tasks::get(conn, id, as_of)?;
            // Continuous work (长期坚持) has no deadline to move.
            let (deadline, deadline_text) = match (&req.deadline, t.deadline) {
                (_, None) => (None, None),
                (Some(d), Some(_)) => {
                    let due = d.resolve(to).map_err(|e| Error::Usage(e.to_string()))?;
                    let Some(day) = due.day() else {
                        return Err(Error::Usage(crate::tr!(lang, "carry.deadline_not_day")));
                    };
                    (Some(day), d.words())
                }
                (None, Some(_)) => (end_of_year(to), None),
            };
            let changes = Changes {
                year: Some(to),
                deadline,
                deadline_text,
                ..Changes::default()
            };
            if !req.dry_run {
                tasks::update(w, id, &changes, Some(&note), as_of)?;
            }
            carried.push(Carried {
                id,
                title: t.title,
                parent_id,
                old_deadline: t.deadline,
                new_deadline: deadline.or(t.deadline),
            });
        }
        Ok(Outcome {
            from,
            to,
            dry_run: req.dry_run,
            carried,
        })
    };
    // A dry run goes through the same transaction and writes nothing, so that it meets the
    // same rules and refusals as the real run.
    ledger.write(meta, run)
}

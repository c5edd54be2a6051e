//! Three-colour warnings (三色预警). Red tasks are counted and listed straight from the
//! deadline indexes; yellow and blue need the share of time elapsed, which is worked out here
//! from the covering status index (status, deadline, progress, created_at) without reading the
//! task rows; only the tasks to be printed are then read in full, in one query.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use rusqlite::types::Value;

use super::tasks::{task_from_row, Scope, TASK_COLUMNS};
use crate::model::Task;
use crate::Result;

/// A warning's colour, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// Overdue.
    Red,
    /// Behind schedule: progress more than `BEHIND_BY` points below the share of time elapsed.
    Yellow,
    /// Due soon.
    Blue,
}

/// How far progress may trail the elapsed share of time before a task turns yellow.
pub const BEHIND_BY: f64 = 20.0;

/// One warned task.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub colour: Colour,
    /// Share of the time between creation and deadline that has elapsed, 0–100.
    pub elapsed: f64,
    /// Days from the as-of date to the deadline (negative when overdue).
    pub days_left: i64,
    pub task: Task,
}

/// The warnings: how many of each colour, and the first ones in order.
#[derive(Debug, Clone, Serialize)]
pub struct Warnings {
    pub as_of: NaiveDate,
    pub red: u64,
    pub yellow: u64,
    pub blue: u64,
    /// Sorted red, yellow, blue, then by deadline; at most the limit asked for.
    pub warnings: Vec<Warning>,
}

const OPEN: &str = "('todo', 'doing', 'blocked')";

/// The share of the time from `created` to `deadline` that has passed on `as_of`, 0–100.
pub fn elapsed(created: NaiveDate, deadline: NaiveDate, as_of: NaiveDate) -> f64 {
    let span = (deadline - created).num_days();
    if span <= 0 {
        return 100.0;
    }
    ((as_of - created).num_days() as f64 * 100.0 / span as f64).clamp(0.0, 100.0)
}

fn created_day(stamp: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(stamp.get(..10)?, "%Y-%m-%d").ok()
}

/// The warnings as of `as_of`, blue for tasks due within `within` days, listing at most
/// `limit` of them (all when None).
pub fn warnings(
    conn: &Connection,
    as_of: NaiveDate,
    within: u32,
    limit: Option<usize>,
    scope: &Scope,
) -> Result<Warnings> {
    let day = as_of.to_string();
    // The scope's condition joins each statement after its own parameters (?1, ?2).
    let (only, only_params) = match scope.sql(3) {
        Some(s) => (format!("AND {}", s.clause), s.params),
        None => (String::new(), Vec::new()),
    };
    let with = |own: Vec<Value>| own.into_iter().chain(only_params.iter().cloned());
    let until = as_of
        .checked_add_days(chrono::Days::new(within.into()))
        .unwrap_or(NaiveDate::MAX);
    let cap = limit.unwrap_or(usize::MAX);

    // Red: every open task past its deadline.
    let red: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM task t WHERE status IN {OPEN} AND deadline < ?1
             AND ?2 IS NULL {only}"
        ))?
        .query_row(
            rusqlite::params_from_iter(with(vec![Value::Text(day.clone()), Value::Null])),
            |r| r.get(0),
        )?;
    let mut picked: Vec<(Colour, NaiveDate, i64, f64)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, deadline FROM task t WHERE status IN {OPEN} AND deadline < ?1 {only}
             ORDER BY deadline, id LIMIT ?2"
        ))?;
        let n = i64::try_from(cap).unwrap_or(i64::MAX);
        let mut rows = stmt.query(rusqlite::params_from_iter(with(vec![
            Value::Text(day.clone()),
            Value::Integer(n),
        ])))?;
        while let Some(r) = rows.next()? {
            picked.push((Colour::Red, r.get(1)?, r.get(0)?, 100.0));
        }
    }

    // Tasks with sub-tasks are judged by the mean progress of those not cancelled.
    let mut kids: HashMap<i64, f64> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT parent_id, avg(progress) FROM task
             WHERE parent_id IS NOT NULL AND status <> 'cancelled' GROUP BY parent_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            kids.insert(r.get(0)?, r.get(1)?);
        }
    }

    // Yellow and blue, among the open tasks not yet due.
    let (mut yellow, mut blue) = (0u64, 0u64);
    let mut later: Vec<(Colour, NaiveDate, i64, f64)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, deadline, progress, created_at FROM task t
             WHERE status IN {OPEN} AND deadline >= ?1 AND ?2 IS NULL {only}"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(with(vec![
            Value::Text(day.clone()),
            Value::Null,
        ])))?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let deadline: NaiveDate = r.get(1)?;
            let own: f64 = r.get(2)?;
            let created: String = r.get(3)?;
            let progress = kids.get(&id).copied().unwrap_or(own);
            let share = created_day(&created).map_or(0.0, |c| elapsed(c, deadline, as_of));
            let colour = if progress < share - BEHIND_BY {
                yellow += 1;
                Colour::Yellow
            } else if deadline <= until {
                blue += 1;
                Colour::Blue
            } else {
                continue;
            };
            later.push((colour, deadline, id, share));
        }
    }
    later.sort_by_key(|w| (w.0, w.1, w.2));
    picked.extend(later.into_iter().take(cap.saturating_sub(picked.len())));

    // Only the tasks to print are read in full, in one statement.
    let ids = serde_json::to_string(&picked.iter().map(|p| p.2).collect::<Vec<_>>())?;
    let mut full: HashMap<i64, Task> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM task t WHERE t.id IN (SELECT value FROM json_each(?1))"
        ))?;
        let rows = stmt.query_map([ids], |r| task_from_row(r, as_of))?;
        for t in rows {
            let t = t?;
            full.insert(t.id, t);
        }
    }
    let warnings = picked
        .into_iter()
        .filter_map(|(colour, deadline, id, share)| {
            full.remove(&id).map(|task| Warning {
                colour,
                elapsed: (share * 10.0).round() / 10.0,
                days_left: (deadline - as_of).num_days(),
                task,
            })
        })
        .collect();
    Ok(Warnings {
        as_of,
        red: u64::try_from(red).unwrap_or(0),
        yellow,
        blue,
        warnings,
    })
}

/// The warnings as the ledger stood at the end of `as_of` (`warn --as-of`), judged by the same
/// rules as the current warnings, so that a task blocked in August is not blocked in June. A
/// task with no history row effective after the day stood then as its current row says (but
/// for a parent's progress, rolled up at the day): those are read like the current warnings,
/// from the status index, with the touched tasks left out by one array parameter. Only the
/// touched tasks are replayed, by the one replay (db/replay.rs). `warnings_replayed` is the
/// plain definition from a replay of every task, which the tests hold this one to.
pub fn warnings_then(
    conn: &Connection,
    as_of: NaiveDate,
    within: u32,
    limit: Option<usize>,
    scope: &Scope,
) -> Result<Warnings> {
    use super::replay::{end_of_day, replay_touched, row_columns, Rollup, Touched};
    let cutoff = end_of_day(as_of);
    let day = as_of.to_string();
    let cap = limit.unwrap_or(usize::MAX);
    let touched = Touched::after(conn, &cutoff)?;
    let left_out = touched.param();
    // One replay of the touched tasks gives both the open ones with a deadline (judged below,
    // once their progress can be rolled up) and their share of the sub-task roll-up.
    let mut kids = Rollup::new();
    let mut open: Vec<Task> = Vec::new();
    replay_touched(conn, &cutoff, as_of, &Rollup::new(), &touched, |t| {
        kids.add(&t);
        if t.deadline.is_some() && !t.status.is_closed() && scope.matches(&t) {
            open.push(t);
        }
        Ok(())
    })?;
    kids.add_untouched(conn, &touched)?;
    let mut j = Judge::new(as_of, within);
    // Untouched tasks: (colour, deadline, id, share, task when already read in full).
    let mut found: Vec<(Colour, NaiveDate, i64, f64, Option<Task>)> = Vec::new();

    // The scope's condition joins each statement after its own parameters (?1 to ?3).
    let (only, only_params) = match scope.sql(4) {
        Some(s) => (format!("AND {}", s.clause), s.params),
        None => (String::new(), Vec::new()),
    };
    // `rarray` takes the touched ids as one array value, so the parameters are mixed types.
    // ?1 the day, ?2 the touched ids, ?3 the row limit where there is one, then the scope's.
    let with = |n: Option<i64>| -> Vec<Box<dyn rusqlite::ToSql>> {
        let mut all: Vec<Box<dyn rusqlite::ToSql>> =
            vec![Box::new(day.clone()), Box::new(left_out.clone())];
        all.push(match n {
            Some(n) => Box::new(n),
            None => Box::new(Value::Null),
        });
        all.extend(
            only_params
                .iter()
                .cloned()
                .map(|v| Box::new(v) as Box<dyn rusqlite::ToSql>),
        );
        all
    };

    // Red: open past their deadline; only the first `cap` can be listed.
    let red: i64 = conn
        .prepare(&format!(
            "SELECT count(*) FROM task t WHERE status IN {OPEN} AND deadline < ?1
               AND id NOT IN rarray(?2) AND ?3 IS NULL {only}"
        ))?
        .query_row(rusqlite::params_from_iter(with(None)), |r| r.get(0))?;
    j.red = u64::try_from(red).unwrap_or(0);
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, deadline FROM task t WHERE status IN {OPEN} AND deadline < ?1
               AND id NOT IN rarray(?2) {only} ORDER BY deadline, id LIMIT ?3"
        ))?;
        let n = i64::try_from(cap).unwrap_or(i64::MAX);
        let mut rows = stmt.query(rusqlite::params_from_iter(with(Some(n))))?;
        while let Some(r) = rows.next()? {
            found.push((Colour::Red, r.get(1)?, r.get(0)?, 100.0, None));
        }
    }
    // Yellow and blue among the open tasks not yet due, from the status index.
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, deadline, progress, created_at FROM task t
             WHERE status IN {OPEN} AND deadline >= ?1 AND id NOT IN rarray(?2)
               AND ?3 IS NULL {only}"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(with(None)))?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let deadline: NaiveDate = r.get(1)?;
            let own: u8 = r.get(2)?;
            let created = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
            let progress = kids.shown(id).unwrap_or(own);
            if let Some((colour, share)) = j.later(deadline, progress, created) {
                found.push((colour, deadline, id, share, None));
            }
        }
    }
    // The touched tasks, as replayed.
    for mut t in open {
        kids.apply(&mut t);
        if let Some((colour, deadline, share)) = j.judge(&t) {
            found.push((colour, deadline, t.id, share, Some(t)));
        }
    }
    found.sort_by_key(|w| (w.0, w.1, w.2));
    found.truncate(cap);

    // Only the untouched tasks to print are read in full, in one statement.
    let wanted: Vec<rusqlite::types::Value> = found
        .iter()
        .filter(|w| w.4.is_none())
        .map(|w| rusqlite::types::Value::Integer(w.2))
        .collect();
    let mut full: HashMap<i64, Task> = HashMap::new();
    if !wanted.is_empty() {
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM task t WHERE t.id IN rarray(?1)",
            row_columns()
        ))?;
        let mut rows = stmt.query([std::rc::Rc::new(wanted)])?;
        while let Some(r) = rows.next()? {
            let mut t = task_from_row(r, as_of)?;
            kids.apply(&mut t);
            full.insert(t.id, t);
        }
    }
    let warnings = found
        .into_iter()
        .filter_map(|(colour, deadline, id, share, task)| {
            task.or_else(|| full.remove(&id)).map(|task| Warning {
                colour,
                elapsed: (share * 10.0).round() / 10.0,
                days_left: (deadline - as_of).num_days(),
                task,
            })
        })
        .collect();
    Ok(j.finish(warnings))
}

/// The warnings at the end of `as_of` from a replay of every task: the plain definition
/// `warnings_then` must equal (its tests compare the two).
pub fn warnings_replayed(
    conn: &Connection,
    as_of: NaiveDate,
    within: u32,
    limit: Option<usize>,
    scope: &Scope,
) -> Result<Warnings> {
    use super::replay::{end_of_day, replay_each, rollup_at};
    let cutoff = end_of_day(as_of);
    let kids = rollup_at(conn, Some(&cutoff))?;
    let mut j = Judge::new(as_of, within);
    let mut found: Vec<(Colour, NaiveDate, i64, f64, Task)> = Vec::new();
    replay_each(conn, Some(&cutoff), None, as_of, &kids, |rep| {
        if !scope.matches(&rep.task) {
            return Ok(());
        }
        if let Some((colour, deadline, share)) = j.judge(&rep.task) {
            found.push((colour, deadline, rep.task.id, share, rep.task));
        }
        Ok(())
    })?;
    found.sort_by_key(|w| (w.0, w.1, w.2));
    let warnings = found
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .map(|(colour, deadline, _, share, task)| Warning {
            colour,
            elapsed: (share * 10.0).round() / 10.0,
            days_left: (deadline - as_of).num_days(),
            task,
        })
        .collect();
    Ok(j.finish(warnings))
}

/// The rules of `warn --as-of` on a task as it stood at the day, with the counts so far.
struct Judge {
    as_of: NaiveDate,
    until: NaiveDate,
    red: u64,
    yellow: u64,
    blue: u64,
}

impl Judge {
    fn new(as_of: NaiveDate, within: u32) -> Judge {
        let until = as_of
            .checked_add_days(chrono::Days::new(within.into()))
            .unwrap_or(NaiveDate::MAX);
        Judge {
            as_of,
            until,
            red: 0,
            yellow: 0,
            blue: 0,
        }
    }

    /// The colour, deadline and elapsed share of a task, counted; None when not warned.
    fn judge(&mut self, t: &Task) -> Option<(Colour, NaiveDate, f64)> {
        let deadline = t.deadline?;
        if t.status.is_closed() {
            return None;
        }
        if deadline < self.as_of {
            self.red += 1;
            return Some((Colour::Red, deadline, 100.0));
        }
        self.later(deadline, t.progress, &t.created_at)
            .map(|(c, share)| (c, deadline, share))
    }

    /// Yellow or blue (counted) for an open task not yet due at the day; None when neither.
    fn later(&mut self, deadline: NaiveDate, progress: u8, created: &str) -> Option<(Colour, f64)> {
        let share = created_day(created).map_or(0.0, |c| elapsed(c, deadline, self.as_of));
        if f64::from(progress) < share - BEHIND_BY {
            self.yellow += 1;
            Some((Colour::Yellow, share))
        } else if deadline <= self.until {
            self.blue += 1;
            Some((Colour::Blue, share))
        } else {
            None
        }
    }

    fn finish(self, warnings: Vec<Warning>) -> Warnings {
        Warnings {
            as_of: self.as_of,
            red: self.red,
            yellow: self.yellow,
            blue: self.blue,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn elapsed_share() {
        assert_eq!(elapsed(d(1, 1), d(1, 11), d(1, 6)), 50.0);
        assert_eq!(elapsed(d(1, 1), d(1, 11), d(1, 1)), 0.0);
        assert_eq!(elapsed(d(1, 1), d(1, 11), d(2, 1)), 100.0);
        assert_eq!(
            elapsed(d(1, 11), d(1, 1), d(1, 6)),
            100.0,
            "a deadline before creation"
        );
        assert_eq!(elapsed(d(1, 5), d(1, 15), d(1, 1)), 0.0, "not yet created");
    }
}

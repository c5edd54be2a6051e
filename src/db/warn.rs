//! Three-colour warnings (三色预警), computed by SQLite over the open tasks with a deadline.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::tasks::{task_from_row, TASK_COLUMNS};
use crate::model::Task;
use crate::Result;

/// A warning's colour, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

/// The warnings as of `as_of`, blue for tasks due within `within` days; sorted red, yellow,
/// blue, then by deadline.
pub fn warnings(conn: &Connection, as_of: NaiveDate, within: u32) -> Result<Vec<Warning>> {
    let until = as_of
        .checked_add_days(chrono::Days::new(within.into()))
        .unwrap_or(NaiveDate::MAX);
    let sql = format!(
        "WITH open AS (
             SELECT t.id, t.deadline,
                 COALESCE((SELECT avg(c.progress) FROM task c
                           WHERE c.parent_id = t.id AND c.status <> 'cancelled'), t.progress) AS eff,
                 julianday(substr(t.created_at, 1, 10)) AS c0, julianday(t.deadline) AS d0
             FROM task t
             WHERE t.status IN ('todo', 'doing', 'blocked') AND t.deadline IS NOT NULL),
         timed AS (
             SELECT id, deadline, eff,
                 CASE WHEN d0 > c0 THEN min(100.0, max(0.0, (julianday(?1) - c0) * 100.0 / (d0 - c0)))
                      ELSE 100.0 END AS elapsed
             FROM open),
         warned AS (
             SELECT id, elapsed,
                 CASE WHEN deadline < ?1 THEN 0
                      WHEN eff < elapsed - ?3 THEN 1
                      WHEN deadline <= ?2 THEN 2 END AS colour
             FROM timed)
         SELECT {TASK_COLUMNS}, w.colour, w.elapsed, julianday(t.deadline) - julianday(?1)
         FROM warned w JOIN task t ON t.id = w.id
         WHERE w.colour IS NOT NULL
         ORDER BY w.colour, t.deadline, t.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        rusqlite::params![as_of.to_string(), until.to_string(), BEHIND_BY],
        |r| {
            let task = task_from_row(r, as_of)?;
            let colour = match r.get::<_, i64>(20)? {
                0 => Colour::Red,
                1 => Colour::Yellow,
                _ => Colour::Blue,
            };
            let elapsed: f64 = r.get(21)?;
            let days: f64 = r.get(22)?;
            Ok(Warning {
                colour,
                elapsed: (elapsed * 10.0).round() / 10.0,
                days_left: days.round() as i64,
                task,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

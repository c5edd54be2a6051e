//! The SQL of the supervision notice (督办通知, `notice`): what a notice shows of a warned task
//! beyond the task row (its latest progress note with its day, and the deadline it was first
//! given), and whether a unit name is known at all. The warnings themselves come from
//! `warn.rs`, the one rule of red and yellow.

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// A task's latest progress note up to `cutoff` (a wall-clock stamp, see
/// `replay::end_of_day`; None for now), with the day it took effect.
pub fn latest_note(
    conn: &Connection,
    task: i64,
    cutoff: Option<&str>,
) -> Result<Option<(String, String)>> {
    // The note of a field change counts as progress too, as in the replay: the latest row
    // that carries a note, by when it took effect.
    Ok(conn
        .prepare_cached(
            "SELECT note, substr(coalesce(effective, at), 1, 10) FROM history
             WHERE task_id = ?1 AND note IS NOT NULL AND note <> ''
               AND (?2 IS NULL OR coalesce(effective, at) <= ?2 || '~')
             ORDER BY coalesce(effective, at) DESC, id DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![task, cutoff], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The deadline a task was first given (its first deadline row: the old value when that row
/// changed one, else the value it set), up to `cutoff`; None when it never had one.
pub fn first_deadline(
    conn: &Connection,
    task: i64,
    cutoff: Option<&str>,
) -> Result<Option<chrono::NaiveDate>> {
    let first: Option<Option<String>> = conn
        .prepare_cached(
            "SELECT coalesce(old, new) FROM history
             WHERE task_id = ?1 AND field = 'deadline'
               AND (?2 IS NULL OR coalesce(effective, at) <= ?2 || '~')
             ORDER BY coalesce(effective, at), id LIMIT 1",
        )?
        .query_row(rusqlite::params![task, cutoff], |r| r.get(0))
        .optional()?;
    Ok(first
        .flatten()
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// Whether any task names one of `names` as its lead or supporting unit.
pub fn any_task_names(conn: &Connection, names: &[String]) -> Result<bool> {
    let list = serde_json::to_string(names)?;
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM task_unit WHERE name IN (SELECT value FROM json_each(?1)) LIMIT 1",
        )?
        .query_row([list], |_| Ok(()))
        .optional()?
        .is_some())
}

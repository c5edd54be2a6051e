//! What the year export reads beside the replay: how a task's deadline moved (the first
//! deadline, 原定时限, and how many times it was put later, 延期, by an approved extension or
//! an update) and where sub-tasks end, so that it can put them under their parent while it
//! streams. The deadline rows are few (the history_field index finds them), so both are read
//! once.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::Result;

/// The deadline history of one task up to a cut-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moves {
    /// The deadline before its first change (none for continuous work).
    pub first: Option<NaiveDate>,
    /// How many changes put the deadline later (a date to a later date, or a date to
    /// continuous work). Moving it earlier is no extension.
    pub later: u32,
}

/// The tasks whose deadline changed by `cutoff` (a wall-clock stamp, `None` for now).
pub fn moves(conn: &Connection, cutoff: Option<&str>) -> Result<HashMap<i64, Moves>> {
    let mut stmt = conn.prepare(
        "SELECT task_id, old, new FROM history
         WHERE field = 'deadline' AND (?1 IS NULL OR coalesce(effective, at) <= ?1 || '~')
         ORDER BY task_id, coalesce(effective, at), id",
    )?;
    let mut out: HashMap<i64, Moves> = HashMap::new();
    let date = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    let rows = stmt.query_map([cutoff], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, old, new) = row?;
        let (old, new) = (date(old), date(new));
        let m = out.entry(id).or_insert(Moves {
            first: old,
            later: 0,
        });
        let later = match (old, new) {
            (Some(o), Some(n)) => n > o,
            (Some(_), None) => true,
            _ => false,
        };
        m.later += u32::from(later);
    }
    Ok(out)
}

/// For each task with sub-tasks now, the highest id among them: once the replay (in id
/// order) has passed it, the parent's group of rows is complete. The partial index on
/// parent_id answers it.
pub fn last_children(conn: &Connection) -> Result<HashMap<i64, i64>> {
    let mut stmt = conn.prepare(
        "SELECT parent_id, max(id) FROM task WHERE parent_id IS NOT NULL GROUP BY parent_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

//! The queries behind carry-over (结转): which tasks a year leaves open, and which tasks were
//! carried from which year.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::Lang;
use crate::Result;

/// The note every carry-over row starts with; `carried_from` recognises a carry by it.
pub const NOTE_PREFIX: &str = "结转自";

/// The note of the rows a carry from `from` writes, with the person's own words if given.
pub fn note(from: i32, to: i32, extra: Option<&str>) -> String {
    let base = format!("{NOTE_PREFIX}{from}年，转入{to}年");
    match extra {
        Some(e) => format!("{base}：{e}"),
        None => base,
    }
}

/// The open tasks (not done, verified or cancelled) of plan year `year`, as (id, parent).
/// Shortcomings are among them: an import gives a report's shortcomings the plan year in
/// which they are to be put right, so one still open at the year's end is unfinished work.
pub fn open_of_year(conn: &Connection, year: i32) -> Result<Vec<(i64, Option<i64>)>> {
    let mut stmt = conn.prepare(
        "SELECT id, parent_id FROM task
         WHERE year = ?1 AND status NOT IN ('done', 'verified', 'cancelled') ORDER BY id",
    )?;
    let v = stmt
        .query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// Whether any task has, or ever had, plan year `year`: a year whose open tasks were all
/// carried already is a year with tasks, and carrying it again carries nothing.
pub fn year_has_tasks(conn: &Connection, year: i32) -> Result<bool> {
    let now: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM task WHERE year = ?1)",
        [year],
        |r| r.get(0),
    )?;
    if now {
        return Ok(true);
    }
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM history WHERE field = 'year' AND old = ?1)",
        [year.to_string()],
        |r| r.get(0),
    )?)
}

/// The year each task was carried from, as its history stood at `cutoff` (a wall-clock
/// stamp, `None` for now): a task whose latest change of plan year up to then was a carry.
/// The year rows are few and found by the history_year index.
pub fn carried_from(conn: &Connection, cutoff: Option<&str>) -> Result<HashMap<i64, i32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT task_id, old, note FROM history
         WHERE field = 'year' AND (?1 IS NULL OR coalesce(effective, at) <= ?1 || '~')
         ORDER BY substr(coalesce(effective, at), 1, 19), id",
    )?;
    let mut rows = stmt.query([cutoff])?;
    let mut map = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let old: Option<String> = r.get(1)?;
        let note: Option<String> = r.get(2)?;
        let from = old.and_then(|o| o.parse::<i32>().ok());
        match (note.is_some_and(|n| n.starts_with(NOTE_PREFIX)), from) {
            (true, Some(y)) => {
                map.insert(id, y);
            }
            _ => {
                map.remove(&id);
            }
        }
    }
    Ok(map)
}

/// The mark a carried task gets wherever it is listed: 结转自2025年.
pub fn mark(from: i32, lang: Lang) -> String {
    // The Chinese text begins with NOTE_PREFIX, the words the carry note is recognised by.
    crate::tr!(lang, "carry.mark", from = from)
}

/// A carried task's title as lists and exports show it: the mark first, so that a title cut
/// to fit a table keeps it.
pub fn marked_title(title: &str, from: i32, lang: Lang) -> String {
    crate::tr!(
        lang,
        "carry.marked_title",
        mark = mark(from, lang),
        title = title
    )
}

/// Every carry recorded up to `cutoff` (a wall-clock stamp), oldest first, as
/// (task, from year, to year).
pub fn carries(conn: &Connection, cutoff: &str) -> Result<Vec<(i64, i32, i32)>> {
    // The unary + keeps SQLite from walking the history_effective index over every row up to
    // the cut-off (all 4.3M of a million-task ledger, seconds): the year rows are few and
    // found by the history_year index.
    let mut stmt = conn.prepare_cached(
        "SELECT task_id, old, new FROM history
         WHERE field = 'year' AND note LIKE ?2 || '%' AND +coalesce(effective, at) <= ?1 || '~'
         ORDER BY substr(coalesce(effective, at), 1, 19), id",
    )?;
    let mut rows = stmt.query(rusqlite::params![cutoff, NOTE_PREFIX])?;
    let mut v = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let old: Option<String> = r.get(1)?;
        let new: Option<String> = r.get(2)?;
        if let (Some(from), Some(to)) = (
            old.and_then(|s| s.parse().ok()),
            new.and_then(|s| s.parse().ok()),
        ) {
            v.push((id, from, to));
        }
    }
    Ok(v)
}

//! Reading the audit trail.

use rusqlite::Connection;

use crate::model::HistoryRow;
use crate::Result;

/// History rows, oldest first: of one task or of the whole ledger, since a moment, keeping the
/// latest `limit` when a limit is given.
pub fn rows(
    conn: &Connection,
    task: Option<i64>,
    since: Option<&str>,
    limit: Option<u64>,
) -> Result<Vec<HistoryRow>> {
    // Separate statements for one task and for the whole ledger, so that each is served by
    // its index (history_task, history_at) instead of a scan of every row.
    let sql = if task.is_some() {
        "SELECT id, change_id, task_id, at, actor, field, old, new, note, coalesce(effective, at) FROM history
         WHERE task_id = ?1 AND (?2 IS NULL OR at >= ?2)
         ORDER BY task_id DESC, id DESC LIMIT ?3"
    } else {
        "SELECT id, change_id, task_id, at, actor, field, old, new, note, coalesce(effective, at) FROM history
         WHERE ?1 IS NULL AND at >= COALESCE(?2, '')
         ORDER BY id DESC LIMIT ?3"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let mut out = stmt
        .query_map(rusqlite::params![task, since, limit], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    out.reverse();
    Ok(out)
}

/// The rows one change wrote, in order.
pub fn of_change(conn: &Connection, change: i64) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, change_id, task_id, at, actor, field, old, new, note, coalesce(effective, at) FROM history
         WHERE change_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([change], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A history row from the columns every query here selects, in this order:
/// id, change_id, task_id, at, actor, field, old, new, note, effective.
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryRow> {
    Ok(HistoryRow {
        id: r.get(0)?,
        change_id: r.get(1)?,
        task_id: r.get(2)?,
        at: r.get(3)?,
        actor: r.get(4)?,
        field: r.get(5)?,
        old: r.get(6)?,
        new: r.get(7)?,
        note: r.get(8)?,
        effective: r.get(9)?,
    })
}

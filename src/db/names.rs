//! The names a shell completes from the ledger: unit names (lead and co-owners), areas, and
//! task ids with their refs and titles.

use rusqlite::Connection;

use crate::Result;

/// Every unit named as a lead unit or co-owner, sorted, once each.
pub fn units(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT owner FROM task WHERE owner IS NOT NULL AND owner <> ''
         UNION
         SELECT j.value FROM task, json_each(task.co_owners) AS j WHERE j.value <> ''
         ORDER BY 1",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// Every area named on a task, sorted, once each.
pub fn areas(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT area FROM task WHERE area IS NOT NULL AND area <> '' ORDER BY 1",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// Every task's id, ref and title, by id.
pub fn tasks(conn: &Connection) -> Result<Vec<(i64, Option<String>, String)>> {
    let mut stmt = conn.prepare("SELECT id, ref, title FROM task ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

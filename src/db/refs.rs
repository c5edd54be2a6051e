//! Refs for tasks that came without one. A task imported from a report has the ref of its
//! place in the report (2025-C1.1); a task added by hand, or brought by a ledger file without
//! a ref, gets `<plan year>-T<n>` when it is created, where n is one more than the highest
//! such number of that year (2025-T1, 2025-T2 …), so every task can be named the same way in
//! every export. The upgrade to version 15 gives the tasks of an older ledger theirs.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// The actor of the refs an upgrade or an import hands out: no person chose them, and `undo`
/// (which takes back a person's own changes) never picks them.
pub const SYSTEM_ACTOR: &str = "taizhang";

/// The history field of a ref given to a task after its creation.
pub const FIELD: &str = "ref";

/// The highest n of the refs `<year>-T<n>` in the ledger; 0 when there is none. The range
/// scan uses the ref's unique index, and only refs of digits after the T count.
fn highest(conn: &Connection, year: i32) -> Result<u64> {
    let prefix = format!("{year}-T");
    let mut stmt = conn.prepare_cached(
        "SELECT max(CAST(substr(ref, ?2) AS INTEGER)) FROM task
         WHERE ref >= ?1 AND ref < ?1 || ':'
           AND substr(ref, ?2) GLOB '[0-9]*' AND substr(ref, ?2) NOT GLOB '*[^0-9]*'",
    )?;
    let n: Option<i64> = stmt
        .query_row(rusqlite::params![prefix, prefix.chars().count() + 1], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

/// The ref a new task of plan year `year` gets when it has none.
pub fn next(conn: &Connection, year: i32) -> Result<String> {
    Ok(format!("{year}-T{}", highest(conn, year)? + 1))
}

/// Hands out `<year>-T<n>` refs for many tasks at once: the highest number of each year is
/// read once, then counted on in memory.
#[derive(Debug, Default)]
pub struct Sequence {
    next: HashMap<i32, u64>,
}

impl Sequence {
    pub fn take(&mut self, conn: &Connection, year: i32) -> Result<String> {
        let mut n = match self.next.get(&year) {
            Some(n) => *n,
            None => highest(conn, year)? + 1,
        };
        // A merge inserts a file's own refs between two calls: skip any taken since.
        while taken(conn, &format!("{year}-T{n}"))? {
            n += 1;
        }
        self.next.insert(year, n + 1);
        Ok(format!("{year}-T{n}"))
    }
}

/// Gives every task without a ref (with an id above `after`) one, in id order, as one change
/// by `actor` at `at` with a `ref` history row per task. The row takes effect when the task
/// was created, so that a replay to any day after that (an export of an earlier year) shows
/// the ref as well. Returns how many tasks got one.
pub fn assign_missing(
    conn: &Connection,
    after: i64,
    at: &str,
    actor: &str,
    command: &str,
) -> Result<u64> {
    let missing: Vec<(i64, i32, String)> = {
        let mut stmt = conn.prepare(
            "SELECT t.id, t.year,
                    coalesce((SELECT coalesce(h.effective, h.at) FROM history h
                              WHERE h.task_id = t.id AND h.field = 'created'
                              ORDER BY h.id LIMIT 1), t.created_at)
             FROM task t WHERE t.ref IS NULL AND t.id > ?1 ORDER BY t.id",
        )?;
        let rows = stmt.query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if missing.is_empty() {
        return Ok(0);
    }
    conn.execute(
        "INSERT INTO change(at, actor, command) VALUES (?1, ?2, ?3)",
        rusqlite::params![at, actor, command],
    )?;
    let change = conn.last_insert_rowid();
    let mut seq = Sequence::default();
    // The ref row is the task's latest, so the task was last updated then (`check` holds
    // updated_at to the time of the latest row).
    let mut set = conn.prepare("UPDATE task SET ref = ?2, updated_at = ?3 WHERE id = ?1")?;
    let mut log = conn.prepare(
        "INSERT INTO history(change_id, task_id, at, actor, field, old, new, note, effective)
         VALUES (?1, ?2, ?3, ?4, 'ref', NULL, ?5, NULL, ?6)",
    )?;
    for (id, year, created) in &missing {
        let reference = seq.take(conn, *year)?;
        set.execute(rusqlite::params![id, reference, at])?;
        log.execute(rusqlite::params![change, id, at, actor, reference, created])?;
    }
    Ok(missing.len() as u64)
}

/// The ids of the tasks without a ref, for `check`, at most `limit` of them, and how many
/// there are.
pub fn without(conn: &Connection, limit: usize) -> Result<(u64, Vec<i64>)> {
    let n: i64 = conn.query_row("SELECT count(*) FROM task WHERE ref IS NULL", [], |r| {
        r.get(0)
    })?;
    if n == 0 {
        return Ok((0, Vec::new()));
    }
    let mut stmt = conn.prepare("SELECT id FROM task WHERE ref IS NULL ORDER BY id LIMIT ?1")?;
    let ids = stmt
        .query_map([limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((u64::try_from(n).unwrap_or(0), ids))
}

/// The year of a ref of the `<year>-T<n>` sequence, or none for any other ref.
pub fn sequence_year(r: &str) -> Option<i32> {
    let (year, n) = r.split_once("-T")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (year.len() == 4 && digits(year) && digits(n))
        .then(|| year.parse().ok())
        .flatten()
}

/// Whether a task of the ledger has this ref.
pub fn taken(conn: &Connection, r: &str) -> Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM task WHERE ref = ?1)")?;
    Ok(stmt.query_row([r], |row| row.get(0))?)
}

/// A history value of a task whose ref a merge renumbered, with the ref `from` made `to`: in
/// the creation row's fields and in a `ref` row.
pub fn renamed_value(field: &str, value: Option<String>, from: &str, to: &str) -> Option<String> {
    match (field, value) {
        (FIELD, Some(v)) if v == from => Some(to.to_string()),
        ("created", Some(json)) => {
            let Ok(mut v) =
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&json)
            else {
                return Some(json);
            };
            if v.get("ref").and_then(|r| r.as_str()) != Some(from) {
                return Some(json);
            }
            v.insert("ref".into(), to.into());
            Some(serde_json::to_string(&v).unwrap_or(json))
        }
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sequence_refs_have_a_sequence_year() {
        assert_eq!(sequence_year("2025-T17"), Some(2025));
        assert_eq!(sequence_year("2025-C1.1"), None);
        assert_eq!(sequence_year("天宁/2025-T1"), None);
        assert_eq!(sequence_year("2025-T"), None);
        assert_eq!(sequence_year("2025-T1#D3"), None);
    }
}

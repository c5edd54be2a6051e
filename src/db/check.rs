//! The ledger's proof of its own integrity: SQLite's checks plus the invariants of taizhang.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rusqlite::Connection;

use super::replay::replay_all;
use super::tasks::{list, Filter, Sort};
use crate::Result;

/// Every problem found, one line each; empty when the ledger is sound.
pub fn check(conn: &Connection, as_of: NaiveDate) -> Result<Vec<String>> {
    let mut problems = Vec::new();

    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            problems.push(format!("integrity: {row}"));
        }
    }
    // Structural damage makes the checks below meaningless (and may make them fail).
    if !problems.is_empty() {
        return Ok(problems);
    }

    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (table, rowid, parent) = row?;
        problems.push(format!(
            "foreign key: a row of {table} (rowid {}) refers to a missing {parent} row",
            rowid.map_or("?".into(), |r| r.to_string())
        ));
    }

    let simple: [&str; 5] = [
        "SELECT 'history row #' || h.id || ' refers to missing task #' || h.task_id
             FROM history h LEFT JOIN task t ON t.id = h.task_id WHERE t.id IS NULL",
        "SELECT 'ref ' || ref || ' is used by ' || count(*) || ' tasks'
             FROM task WHERE ref IS NOT NULL GROUP BY ref HAVING count(*) > 1",
        "SELECT 'task #' || id || ' has progress ' || progress || ', outside 0-100'
             FROM task WHERE progress NOT BETWEEN 0 AND 100 OR typeof(progress) <> 'integer'",
        "SELECT 'task #' || t.id || ' has ' || count(h.id) || ' creation rows in its history'
             FROM task t LEFT JOIN history h ON h.task_id = t.id AND h.field = 'created'
             GROUP BY t.id HAVING count(h.id) <> 1",
        "WITH RECURSIVE up(start, id, depth) AS (
                 SELECT id, parent_id, 1 FROM task WHERE parent_id IS NOT NULL
                 UNION ALL
                 SELECT up.start, t.parent_id, up.depth + 1 FROM up JOIN task t ON t.id = up.id
                 WHERE t.parent_id IS NOT NULL AND up.id <> up.start AND up.depth < 10000)
             SELECT DISTINCT 'task #' || start || ' is its own ancestor (a cycle of sub-tasks)'
             FROM up WHERE id = start",
    ];
    for sql in simple {
        let mut stmt = conn.prepare(sql)?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            problems.push(row?);
        }
    }

    // Every task's current fields and links equal the replay of its history.
    let replayed = replay_all(conn, None, None, as_of);
    let replayed = match replayed {
        Ok(r) => r,
        Err(e) => {
            problems.push(e.to_string());
            return Ok(problems);
        }
    };
    let current = list(conn, &Filter::default(), Sort::Id, None, as_of)?;
    let mut links: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT task_id, shortcoming_id FROM link")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (t, s) = row?;
        links.entry(t).or_default().insert(s);
    }
    let empty = BTreeSet::new();
    for t in &current {
        let Some(rep) = replayed.get(&t.id) else {
            problems.push(format!("task #{} has no history", t.id));
            continue;
        };
        let r = &rep.task;
        let mut differ = Vec::new();
        macro_rules! same {
            ($($f:ident),*) => {$(
                if t.$f != r.$f {
                    differ.push(stringify!($f));
                }
            )*};
        }
        same!(
            reference,
            kind,
            title,
            body,
            area,
            outline_area,
            owner,
            co_owners,
            status,
            own_progress,
            deadline,
            deadline_text,
            year,
            parent_id,
            document_id,
            created_at,
            completed_at
        );
        if links.get(&t.id).unwrap_or(&empty) != &rep.addresses {
            differ.push("links");
        }
        if !differ.is_empty() {
            problems.push(format!(
                "task #{} differs from the replay of its history in: {}",
                t.id,
                differ.join(", ")
            ));
        }
    }
    Ok(problems)
}

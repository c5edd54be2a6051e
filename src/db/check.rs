//! The ledger's proof of its own integrity: SQLite's checks plus the invariants of taizhang.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rusqlite::Connection;

use super::replay::{replay_each, Rollup};
use super::tasks::{task_from_row, TASK_COLUMNS};
use crate::model::Task;
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

    // The running counts of the progress table equal a recount.
    let differ = super::report::tally_differs(conn, as_of)?;
    if !differ.is_empty() {
        problems.push(format!(
            "the progress table's running counts differ from a recount, grouped by: {}",
            differ.join(", ")
        ));
    }

    // Every task's current fields and links equal the replay of its history. Both sides are
    // read in id order and compared task by task, so memory holds one task at a time.
    let mut links: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT task_id, shortcoming_id FROM link")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (t, s) = row?;
        links.entry(t).or_default().insert(s);
    }
    let empty = BTreeSet::new();
    let mut stmt = conn.prepare(&format!("SELECT {TASK_COLUMNS} FROM task t ORDER BY t.id"))?;
    let mut rows = stmt.query([])?;
    let next = |rows: &mut rusqlite::Rows<'_>| -> Result<Option<Task>> {
        Ok(match rows.next()? {
            Some(r) => Some(task_from_row(r, as_of)?),
            None => None,
        })
    };
    let mut current = next(&mut rows)?;
    let replayed = replay_each(conn, None, None, as_of, &Rollup::new(), |rep| {
        while let Some(t) = current.take() {
            if t.id >= rep.task.id {
                current = Some(t);
                break;
            }
            problems.push(format!("task #{} has no history", t.id));
            current = next(&mut rows)?;
        }
        let Some(t) = current.take() else {
            return Ok(());
        };
        if t.id != rep.task.id {
            // History of a task that is gone: the query above has reported it.
            current = Some(t);
            return Ok(());
        }
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
        current = next(&mut rows)?;
        Ok(())
    });
    if let Err(e) = replayed {
        problems.push(e.to_string());
        return Ok(problems);
    }
    while let Some(t) = current {
        problems.push(format!("task #{} has no history", t.id));
        current = next(&mut rows)?;
    }
    Ok(problems)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::db::tasks::insert;
    use crate::db::testing::{meta, task};
    use crate::db::Ledger;

    fn ledger_with_tasks() -> Ledger {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        for title in ["甲", "乙", "丙"] {
            l.write(&meta(), |w| insert(w, &task(title), None)).unwrap();
        }
        l
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    #[test]
    fn a_sound_ledger_has_no_problems() {
        let mut l = ledger_with_tasks();
        assert_eq!(l.read(|c| check(c, day())).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn a_change_behind_the_history_is_found() {
        let mut l = ledger_with_tasks();
        // Someone edits the file with another tool: the row no longer equals its history.
        l.conn()
            .execute(
                "UPDATE task SET title = '改', progress = 50 WHERE id = 2",
                [],
            )
            .unwrap();
        l.conn()
            .execute(
                "INSERT INTO link(task_id, shortcoming_id, created_at) VALUES (1, 3, 'x')",
                [],
            )
            .unwrap();
        let problems = l.read(|c| check(c, day())).unwrap();
        assert_eq!(
            problems,
            vec![
                "the progress table's running counts differ from a recount, grouped by: \
                 area, owner, status, kind, year, outline-area"
                    .to_string(),
                "task #1 differs from the replay of its history in: links".to_string(),
                "task #2 differs from the replay of its history in: title, own_progress"
                    .to_string(),
            ]
        );
    }
}

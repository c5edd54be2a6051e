//! Schema versioning. A new ledger gets `schema.sql`; an older one is brought forward by the
//! ordered upgrade steps below, each in its own transaction, so that a failure leaves the ledger
//! at the last version that completed. A ledger newer than this binary is refused.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::model::Outline;
use crate::{Error, Result};

/// The schema every new ledger starts from.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// The version `schema.sql` describes, recorded in `PRAGMA user_version`.
pub const CURRENT_VERSION: i64 = 15;

/// Upgrade steps: `UPGRADES[i]` takes a ledger from version `i + 1` to `i + 2`. Each change to
/// schema.sql appends its step here, so that a ledger of any earlier version reaches the
/// current one; `fixtures/ledger-v*.db` keep a ledger of each earlier version for the tests.
const UPGRADES: &[Step] = &[
    // 1 → 2: undo records which change it takes back.
    Step::Sql(
        "ALTER TABLE change ADD COLUMN undoes INTEGER REFERENCES change(id);
     CREATE UNIQUE INDEX change_undoes ON change(undoes) WHERE undoes IS NOT NULL;
     CREATE INDEX change_actor ON change(actor, id);",
    ),
    // 2 → 3: covering indexes that let the progress table count from indexes alone.
    Step::Sql(
        "DROP INDEX task_status;
     DROP INDEX task_owner;
     DROP INDEX task_area;
     DROP INDEX task_year;
     DROP INDEX task_kind;
     DROP INDEX task_parent;
     CREATE INDEX task_status   ON task(status, deadline, progress, created_at);
     CREATE INDEX task_owner    ON task(owner, status, deadline, progress);
     CREATE INDEX task_area     ON task(area, status, deadline, progress);
     CREATE INDEX task_year     ON task(year, status, deadline, progress);
     CREATE INDEX task_kind     ON task(kind, status, deadline, progress);
     CREATE INDEX task_outline_area ON task(outline_area, status, deadline, progress);
     CREATE INDEX task_parent   ON task(parent_id, status, progress) WHERE parent_id IS NOT NULL;",
    ),
    // 3 → 4: find the tasks that ever changed parent without reading all history.
    Step::Sql("CREATE INDEX history_parent ON history(task_id) WHERE field = 'parent_id';"),
    // 4 → 5: the running counts of the progress table (filled by `tally::rebuild` right
    // after this step, in the same transaction). Its DDL is read from schema.sql, which stays
    // the one place the table is written.
    Step::Table("tally"),
    // 5 → 6: the time each change took effect. Every existing row keeps effective = at (NULL).
    // A ledger back-dated with the old TAIZHANG_NOW clock can hold a row recorded with a clock
    // earlier than an earlier row of the same task (even before the task's creation), which a
    // replay in time order cannot apply. Such a row is repaired to take effect at the latest
    // time among its task's earlier rows: the order of the changes stays the order they were
    // made in, and the replay again ends in the stored task. The append-only trigger is lifted
    // for this one statement only.
    Step::Sql(
        "ALTER TABLE history ADD COLUMN effective TEXT;
     DROP TRIGGER history_no_update;
     UPDATE history SET effective = (
         SELECT max(h.at) FROM history h WHERE h.task_id = history.task_id AND h.id < history.id)
     WHERE substr(at, 1, 19) < (
         SELECT max(substr(h.at, 1, 19)) FROM history h
         WHERE h.task_id = history.task_id AND h.id < history.id);
     CREATE TRIGGER history_no_update BEFORE UPDATE ON history
     BEGIN
         SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed');
     END;",
    ),
    // 6 → 7: find the rows that take effect after a day without reading all history, so
    // that `--as-of` views replay only the tasks changed after it.
    Step::Sql("CREATE INDEX history_effective ON history(coalesce(effective, at), task_id);"),
    // 7 → 8: extension requests and their decisions, and evidence files and references
    // (issue 13). Only new tables: nothing that exists changes. Their DDL is schema.sql's
    // block of that name, so it is written once.
    Step::Block("requests-evidence"),
    // 8 → 9: the responsible person and contact of a task, the units register and the index
    // of tasks by unit (issue 13, part A). The block's DDL is read from schema.sql.
    Step::Block("13a"),
    // 9 → 10: find the rows of one field that take effect after a day, so that `list --as-of`
    // replays only the tasks that match its filter now or changed a filtered field after it.
    Step::Sql(
        "CREATE INDEX history_field ON history(field, coalesce(effective, at), task_id, old)
         WHERE field NOT IN ('created', 'note', 'progress');",
    ),
    // 10 → 11: outline periods as data (issue 14). The block creates the table and makes the
    // span the ledger kept in meta its first period; nothing that exists changes.
    Step::Block("outline-periods"),
    // 11 → 12: the changes made to outline periods, so that history shows them and undo
    // takes them back (issue 14, second round). A new table only.
    Step::Block("outline-period-changes"),
    // 12 → 13: the audit trail of units register edits (issue 13). Only a new table.
    Step::Block("unit-edits"),
    // 13 → 14: the running counts of the filtered progress table (issue 18), filled from the
    // tasks by `tally_by::rebuild` right after the block, in the same transaction.
    Step::Block("tally-by"),
    // 14 → 15: every task has a ref (issue 17). The tasks without one get `<year>-T<n>` by
    // `refs::assign_missing`, run after the block in the same transaction.
    Step::Block("task-refs"),
];

/// One upgrade step.
enum Step {
    /// Statements written here: they change what already exists.
    Sql(&'static str),
    /// A new table, created by its `CREATE TABLE` statement in schema.sql.
    Table(&'static str),
    /// New objects, created by the statements between `-- block: NAME` and
    /// `-- end block: NAME` in schema.sql.
    Block(&'static str),
}

impl Step {
    fn is_block(&self, name: &str) -> bool {
        matches!(self, Step::Block(n) if *n == name)
    }

    fn sql(&self) -> Result<&'static str> {
        match self {
            Step::Sql(sql) => Ok(sql),
            Step::Table(name) => create_table_sql(name).ok_or_else(|| {
                Error::Corrupt(format!(
                    "schema.sql has no CREATE TABLE {name}; this build of taizhang is broken"
                ))
            }),
            Step::Block(name) => block_sql(name).ok_or_else(|| {
                Error::Corrupt(format!(
                    "schema.sql has no block {name}; this build of taizhang is broken"
                ))
            }),
        }
    }
}

/// The `CREATE TABLE name (…);` statement of schema.sql, up to its closing semicolon.
fn create_table_sql(name: &str) -> Option<&'static str> {
    let head = format!("CREATE TABLE {name} (");
    let start = SCHEMA_SQL.find(&head)?;
    let len = SCHEMA_SQL[start..].find(';')?;
    Some(&SCHEMA_SQL[start..=start + len])
}

/// The statements of schema.sql between `-- block: name` and `-- end block: name`.
fn block_sql(name: &str) -> Option<&'static str> {
    let head = format!("-- block: {name}");
    let tail = format!("-- end block: {name}");
    let start = SCHEMA_SQL.find(&head)?;
    let len = SCHEMA_SQL[start..].find(&tail)?;
    Some(&SCHEMA_SQL[start..start + len])
}

/// The schema version recorded in a ledger; 0 for an empty database.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Whether the database holds any table: an unversioned database with tables is some other
/// program's file, not an empty one to initialise.
pub fn has_tables(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Checks that a ledger can be read by this binary without changing it.
pub fn check_readable(conn: &Connection, path: &Path) -> Result<i64> {
    let v = version(conn)?;
    if v > CURRENT_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: v,
            supported: CURRENT_VERSION,
        });
    }
    if v == 0 {
        if has_tables(conn)? {
            return Err(Error::ForeignDatabase(path.to_path_buf()));
        }
        return Err(Error::NoLedger(path.to_path_buf()));
    }
    Ok(v)
}

/// Creates the schema in an empty database or upgrades an older one, each step in its own
/// IMMEDIATE transaction. `now` stamps the creation of a new ledger.
pub fn prepare(conn: &mut Connection, path: &Path, now: &str) -> Result<()> {
    let v = version(conn)?;
    if v > CURRENT_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: v,
            supported: CURRENT_VERSION,
        });
    }
    if v == 0 {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have created the schema while this one waited for the lock.
        if version(&tx)? == 0 {
            if has_tables(&tx)? {
                return Err(Error::ForeignDatabase(path.to_path_buf()));
            }
            tx.execute_batch(SCHEMA_SQL)?;
            let outline = Outline::default();
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('outline_start', ?1), ('outline_end', ?2), ('created_at', ?3)",
                rusqlite::params![outline.start.to_string(), outline.end.to_string(), now],
            )?;
            super::periods::insert_default(&tx, outline)?;
            tx.pragma_update(None, "user_version", CURRENT_VERSION)?;
        }
        tx.commit()?;
        return Ok(());
    }
    if v == CURRENT_VERSION {
        // Nothing to do: no write lock is taken, so that opening a ledger another process is
        // writing does not wait here.
        return Ok(());
    }
    for (i, step) in UPGRADES.iter().enumerate() {
        let from = i as i64 + 1;
        if version(conn)? > from {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if version(&tx)? == from {
            tx.execute_batch(step.sql()?)?;
            if from + 1 == 5 {
                super::tally::rebuild(&tx)?;
            }
            // The step of issue 13 part A (7 → 8 on its branch) fills the index of tasks by
            // unit and the register from the existing tasks.
            if step.is_block("13a") {
                super::units::rebuild(&tx)?;
            }
            if step.is_block("tally-by") {
                super::tally_by::rebuild(&tx)?;
            }
            if step.is_block("task-refs") {
                super::refs::assign_missing(
                    &tx,
                    0,
                    now,
                    super::refs::SYSTEM_ACTOR,
                    "upgrade 15: refs for the tasks without one",
                )?;
            }
            tx.pragma_update(None, "user_version", from + 1)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// The tables, indexes and triggers a new ledger has that `conn` lacks (by type and name), so
/// that a backup with a dropped trigger or table is not taken for a ledger.
pub fn missing_objects(conn: &Connection) -> Result<Vec<String>> {
    let fresh = Connection::open_in_memory()?;
    fresh.execute_batch(SCHEMA_SQL)?;
    let names = |c: &Connection| -> Result<std::collections::BTreeSet<String>> {
        let mut s = c.prepare(
            "SELECT type || ' ' || name FROM sqlite_schema
             WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'",
        )?;
        let v = s
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    };
    let have = names(conn)?;
    Ok(names(&fresh)?
        .into_iter()
        .filter(|n| !have.contains(n))
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The upgrade to version 5 creates the tally from schema.sql's own statement.
    #[test]
    fn the_tally_step_reads_its_table_from_schema_sql() {
        let sql = create_table_sql("tally").unwrap();
        assert!(sql.starts_with("CREATE TABLE tally ("));
        assert!(sql.ends_with(") WITHOUT ROWID;"), "{sql}");
        assert!(sql.contains("PRIMARY KEY (grouping, key, status)"));
        assert!(create_table_sql("no_such_table").is_none());
        let block = block_sql("13a").unwrap();
        assert!(block.contains("ADD COLUMN person"), "{block}");
        assert!(!block.contains("end block"), "{block}");
        assert!(block_sql("no_such_block").is_none());
        let conn = Connection::open_in_memory().unwrap();
        for step in UPGRADES.iter().skip(3).take(1) {
            conn.execute_batch(step.sql().unwrap()).unwrap();
        }
    }

    /// The upgrade to version 8 runs schema.sql's requests-evidence block, which creates the
    /// four tables on a ledger that has the tables it refers to.
    #[test]
    fn the_requests_step_reads_its_block_from_schema_sql() {
        let sql = block_sql("requests-evidence").unwrap();
        assert!(sql.contains("CREATE TABLE extension_request ("));
        assert!(sql.contains("CREATE TABLE evidence_blob ("));
        assert!(!sql.contains("CREATE TABLE task ("));
        assert!(block_sql("no-such-block").is_none());
    }
}

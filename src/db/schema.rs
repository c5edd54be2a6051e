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
pub const CURRENT_VERSION: i64 = 5;

/// Upgrade steps: `UPGRADES[i]` takes a ledger from version `i + 1` to `i + 2`. Each change to
/// schema.sql appends its step here, so that a ledger of any earlier version reaches the
/// current one; `fixtures/ledger-v*.db` keep a ledger of each earlier version for the tests.
const UPGRADES: &[&str] = &[
    // 1 → 2: undo records which change it takes back.
    "ALTER TABLE change ADD COLUMN undoes INTEGER REFERENCES change(id);
     CREATE UNIQUE INDEX change_undoes ON change(undoes) WHERE undoes IS NOT NULL;
     CREATE INDEX change_actor ON change(actor, id);",
    // 2 → 3: covering indexes that let the progress table count from indexes alone.
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
    // 3 → 4: find the tasks that ever changed parent without reading all history.
    "CREATE INDEX history_parent ON history(task_id) WHERE field = 'parent_id';",
    // 4 → 5: the running counts of the progress table (filled by `tally::rebuild` right
    // after this step, in the same transaction).
    "CREATE TABLE tally (
         grouping TEXT NOT NULL,
         key      TEXT NOT NULL,
         status   TEXT NOT NULL,
         n        INTEGER NOT NULL,
         progress REAL NOT NULL,
         first    INTEGER NOT NULL,
         PRIMARY KEY (grouping, key, status)
     ) WITHOUT ROWID;",
];

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
            tx.execute_batch(step)?;
            if from + 1 == 5 {
                super::tally::rebuild(&tx)?;
            }
            tx.pragma_update(None, "user_version", from + 1)?;
        }
        tx.commit()?;
    }
    Ok(())
}

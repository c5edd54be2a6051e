//! The ledger's side of the 填报 fill sheet: the key its rows are signed with, each task's
//! version and latest note, and the open tasks a unit is sent.

use rusqlite::{Connection, OptionalExtension};

use crate::model::{Status, Task};
use crate::Result;

/// The ledger's identity and the secret its fill sheets are signed with, kept in `meta`.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    /// A random name of this ledger (its backups share it), written into every fill sheet so
    /// that a sheet of another ledger is recognised before any row is looked at.
    pub ledger_id: String,
    /// The HMAC secret: never written into a sheet.
    pub secret: String,
}

// The secret stays out of debug output and logs.
impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("ledger_id", &self.ledger_id)
            .finish_non_exhaustive()
    }
}

/// The end of the actor a fill sheet's changes are recorded as, after the unit's name: who
/// imported it ("区司法局（经 张三 导入）"). `undo` finds the importer's sheets by it.
pub fn imported_by(user: &str) -> String {
    format!("（经 {user} 导入）")
}

/// The key, when a fill sheet was ever made from this ledger.
pub fn key(conn: &Connection) -> Result<Option<Key>> {
    let get = |k: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
            .optional()?)
    };
    Ok(match (get("ledger_id")?, get("fill_key")?) {
        (Some(ledger_id), Some(secret)) => Some(Key { ledger_id, secret }),
        _ => None,
    })
}

/// Stores a new key unless the ledger has one (another process may have made it meanwhile),
/// and returns the one the ledger keeps. It is a setting, not a change of any task: no
/// history row is written.
pub fn ensure_key(conn: &Connection, fresh: &Key) -> Result<Key> {
    conn.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('ledger_id', ?1)",
        [&fresh.ledger_id],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('fill_key', ?1)",
        [&fresh.secret],
    )?;
    key(conn)?.ok_or_else(|| crate::Error::Corrupt("the fill-sheet key could not be stored".into()))
}

/// A task's version: the id of its latest history row (0 for a task with none). Any change
/// to the task, a note included, gives it a new version.
pub fn version(conn: &Connection, task: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM history WHERE task_id = ?1")?
        .query_row([task], |r| r.get(0))?)
}

/// Whether any of `fields` of a task changed after history row `version` (a sheet row's
/// version): what decides that a row is stale.
pub fn changed_since(conn: &Connection, task: i64, version: i64, fields: &[&str]) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT field FROM history WHERE task_id = ?1 AND id > ?2 GROUP BY field",
    )?;
    let changed: Vec<String> = stmt
        .query_map([task, version], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(changed.iter().any(|f| fields.contains(&f.as_str())))
}

/// The text of the latest history row of a task that carries a note, if any.
pub fn latest_note(conn: &Connection, task: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT note FROM history WHERE task_id = ?1 AND note IS NOT NULL AND note <> ''
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([task], |r| r.get(0))
        .optional()?)
}

/// The open tasks (not done, verified or cancelled), in id order, as they stand now, with
/// their units under their current names (the register's, src/db/units.rs). When `units`
/// (current names) are given, only tasks one of them leads or supports under any of its
/// names: a sheet for one unit of a million-task ledger then reads that unit's tasks through
/// the unit index instead of every open task.
pub fn open_tasks(
    conn: &Connection,
    as_of: chrono::NaiveDate,
    units: &[String],
) -> Result<Vec<Task>> {
    let mut names: Vec<String> = Vec::new();
    for u in units {
        for n in super::units::names_of(conn, u)? {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let f = super::tasks::Filter {
        statuses: vec![Status::Todo, Status::Doing, Status::Blocked],
        scope: super::tasks::Scope {
            owners: names,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut all = super::tasks::list(conn, &f, super::tasks::Sort::Id, None, as_of)?;
    let current = super::units::Current::load(conn)?;
    for t in &mut all {
        current.relabel(t);
    }
    Ok(all)
}

/// One task as it stands now, its units under their current names, as a sheet shows it.
pub fn task(conn: &Connection, id: i64, as_of: chrono::NaiveDate) -> Result<Task> {
    let mut t = super::tasks::get(conn, id, as_of)?;
    super::units::Current::load(conn)?.relabel(&mut t);
    Ok(t)
}

/// The current name of the unit a name stands for (by its name or an alias); a name the
/// register does not know stands for itself.
pub fn unit_name(conn: &Connection, name: &str) -> Result<String> {
    Ok(super::units::find(conn, name)?.map_or_else(|| name.to_string(), |(_, n)| n))
}

/// Whether `unit` (a current name) is the lead or a supporting unit of a task whose units
/// are under their current names.
pub fn serves(t: &Task, unit: &str) -> bool {
    t.owner.as_deref() == Some(unit) || t.co_owners.iter().any(|c| c == unit)
}

//! The SQL of evidence (佐证材料): files stored once per content by SHA-256 in
//! `evidence_blob`, and what is attached to which task in `evidence`, each attachment also an
//! event row of the task's history (model::events::EVIDENCE). All three are append-only.

use rusqlite::Connection;
use serde::Serialize;

use super::Writer;
use crate::model::events;
use crate::Result;

/// One piece of evidence attached to a task.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub task_id: i64,
    /// The stored file's SHA-256 (hex), or None for a reference.
    pub sha256: Option<String>,
    /// The stored file's name as given.
    pub name: Option<String>,
    /// Its size in bytes.
    pub size: Option<i64>,
    /// A document number or URL.
    pub reference: Option<String>,
    pub actor: String,
    pub at: String,
}

impl Evidence {
    /// How it is named in tables and exports: "name (sha256 前 12 位)" or the reference.
    pub fn label(&self) -> String {
        match (&self.sha256, &self.reference) {
            (Some(sha), _) => format!(
                "{} ({})",
                self.name.as_deref().unwrap_or("?"),
                sha.get(..12).unwrap_or(sha)
            ),
            (None, Some(r)) => r.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Stores a file's bytes under their hash unless the same content is already stored.
pub fn store_blob(w: &Writer, sha256: &str, content: &[u8]) -> Result<()> {
    w.conn()
        .prepare_cached(
            "INSERT INTO evidence_blob(sha256, size, content) VALUES (?1, ?2, ?3)
             ON CONFLICT(sha256) DO NOTHING",
        )?
        .execute(rusqlite::params![
            sha256,
            i64::try_from(content.len()).unwrap_or(i64::MAX),
            content
        ])?;
    Ok(())
}

/// Attaches a stored file (`sha256` with its name) or a reference to a task, with its history
/// row, in the writer's change.
pub fn attach(
    w: &Writer,
    task: i64,
    sha256: Option<&str>,
    name: Option<&str>,
    reference: Option<&str>,
) -> Result<()> {
    let value = match (sha256, reference) {
        (Some(sha), _) => format!("{}{sha}", events::SHA_PREFIX),
        (None, Some(r)) => r.to_string(),
        (None, None) => return Ok(()),
    };
    w.log(task, events::EVIDENCE, None, Some(&value), name)?;
    w.conn()
        .prepare_cached("UPDATE task SET updated_at = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![task, w.at()])?;
    let (change, actor): (i64, String) = w.conn().query_row(
        "SELECT change_id, actor FROM history WHERE id = last_insert_rowid()",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    w.conn()
        .prepare_cached(
            "INSERT INTO evidence(task_id, change_id, sha256, name, reference, actor, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![
            task,
            change,
            sha256,
            name,
            if sha256.is_some() { None } else { reference },
            actor,
            w.at()
        ])?;
    Ok(())
}

const SELECT: &str = "SELECT e.id, e.task_id, e.sha256, e.name, b.size, e.reference, e.actor, e.at
    FROM evidence e LEFT JOIN evidence_blob b ON b.sha256 = e.sha256";

fn evidence(r: &rusqlite::Row<'_>) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        id: r.get(0)?,
        task_id: r.get(1)?,
        sha256: r.get(2)?,
        name: r.get(3)?,
        size: r.get(4)?,
        reference: r.get(5)?,
        actor: r.get(6)?,
        at: r.get(7)?,
    })
}

/// The evidence of a task, in the order attached.
pub fn of_task(conn: &Connection, task: i64) -> Result<Vec<Evidence>> {
    let sql = format!("{SELECT} WHERE e.task_id = ?1 ORDER BY e.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([task], evidence)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The evidence attached by the end of a moment (`cutoff`), per task, for exports.
pub fn attached_by(conn: &Connection, cutoff: &str) -> Result<Vec<Evidence>> {
    let sql =
        format!("{SELECT} WHERE substr(e.at, 1, 19) <= substr(?1, 1, 19) ORDER BY e.task_id, e.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([cutoff], evidence)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The bytes of a stored file attached to `task`, by its SHA-256 (or a unique prefix of at
/// least 8 hex digits). None when the task has no such file.
pub fn content(conn: &Connection, task: i64, sha: &str) -> Result<Option<(String, Vec<u8>)>> {
    let pattern = format!("{}%", sha.to_ascii_lowercase());
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT b.sha256, b.content FROM evidence e JOIN evidence_blob b ON b.sha256 = e.sha256
         WHERE e.task_id = ?1 AND b.sha256 LIKE ?2 LIMIT 2",
    )?;
    let found: Vec<(String, Vec<u8>)> = stmt
        .query_map(rusqlite::params![task, pattern], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match found.len() {
        1 => found.into_iter().next(),
        _ => None,
    })
}

/// Whether a stored file's bytes still hash to its name (for `check`).
pub fn blob_hashes(conn: &Connection) -> Result<Vec<(String, bool)>> {
    use sha2::{Digest, Sha256};
    let mut stmt = conn.prepare("SELECT sha256, content FROM evidence_blob ORDER BY sha256")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let sha: String = r.get(0)?;
        let content: Vec<u8> = r.get(1)?;
        let ok = format!("{:x}", Sha256::digest(&content)) == sha;
        out.push((sha, ok));
    }
    Ok(out)
}

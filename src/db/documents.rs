//! Source documents that tasks were imported from.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::Writer;
use crate::Result;

/// A stored source document, without its full text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub id: i64,
    pub title: String,
    pub issuer: Option<String>,
    pub issued_on: Option<String>,
    pub report_year: Option<i32>,
    pub plan_year: Option<i32>,
    pub sha256: String,
    pub path: Option<String>,
    pub imported_at: String,
}

/// What `insert` stores.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub title: &'a str,
    pub issuer: Option<&'a str>,
    pub issued_on: Option<String>,
    pub report_year: i32,
    pub plan_year: i32,
    pub sha256: &'a str,
    pub path: Option<&'a str>,
    pub text: &'a str,
}

const COLUMNS: &str =
    "id, title, issuer, issued_on, report_year, plan_year, sha256, path, imported_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        title: r.get(1)?,
        issuer: r.get(2)?,
        issued_on: r.get(3)?,
        report_year: r.get(4)?,
        plan_year: r.get(5)?,
        sha256: r.get(6)?,
        path: r.get(7)?,
        imported_at: r.get(8)?,
    })
}

/// The document with this fingerprint, if it was imported before.
pub fn by_sha256(conn: &Connection, sha: &str) -> Result<Option<Document>> {
    let sql = format!("SELECT {COLUMNS} FROM document WHERE sha256 = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([sha], from_row)
        .optional()?)
}

/// The first document imported for an issuer's report of a year: the same report in other
/// bytes (another encoding, full-width digits, a web copy) has the same issuer and year.
pub fn by_issuer_year(conn: &Connection, issuer: &str, year: i32) -> Result<Option<Document>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM document WHERE issuer = ?1 AND report_year = ?2 ORDER BY id LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params![issuer, year], from_row)
        .optional()?)
}

/// The task with this ref among the tasks imported from any version of an issuer's report of
/// a year.
pub fn task_of_report(conn: &Connection, issuer: &str, year: i32, r: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT t.id FROM task t JOIN document d ON d.id = t.document_id
             WHERE d.issuer = ?1 AND d.report_year = ?2 AND t.ref = ?3
             ORDER BY t.id LIMIT 1",
        )?
        .query_row(rusqlite::params![issuer, year, r], |row| row.get(0))
        .optional()?)
}

/// One document by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Document>> {
    let sql = format!("SELECT {COLUMNS} FROM document WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

/// Stores a document and returns its id.
pub fn insert(w: &Writer, d: &NewDocument<'_>) -> Result<i64> {
    w.conn()
        .prepare_cached(
            "INSERT INTO document(title, issuer, issued_on, report_year, plan_year, sha256, path,
                                  text, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(rusqlite::params![
            d.title,
            d.issuer,
            d.issued_on,
            d.report_year,
            d.plan_year,
            d.sha256,
            d.path,
            d.text,
            w.at()
        ])?;
    Ok(w.conn().last_insert_rowid())
}

/// Whether a task ref is taken.
pub fn ref_taken(conn: &Connection, r: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM task WHERE ref = ?1)")?
        .query_row([r], |row| row.get(0))?)
}

/// The task an office ledger's row became: among the tasks of documents with this title (the
/// workbook's title, kept for every version of it), the one whose ref is the row's key, or the
/// key with the document suffix it got when another ledger had taken the plain key. The range
/// on the ref lets SQLite find both through the ref's unique index.
pub fn ledger_row_task(conn: &Connection, title: &str, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT t.id FROM task t JOIN document d ON d.id = t.document_id
             WHERE d.title = ?1
               AND (t.ref = ?2 OR (t.ref >= ?2 || '#D' AND t.ref < ?2 || '#E'))
               AND (t.ref = ?2 OR t.ref = ?2 || '#D' || t.document_id)
             ORDER BY t.id LIMIT 1",
        )?
        .query_row(rusqlite::params![title, key], |row| row.get(0))
        .optional()?)
}

/// The text of a task's latest progress note, if it has one.
pub fn latest_note(conn: &Connection, task: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT note FROM history WHERE task_id = ?1 AND field = 'note'
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([task], |row| row.get(0))
        .optional()?
        .flatten())
}

/// Every task imported from any version of an office ledger with this title: (id, ref).
pub fn ledger_tasks(conn: &Connection, title: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, coalesce(t.ref, '') FROM task t JOIN document d ON d.id = t.document_id
         WHERE d.title = ?1 ORDER BY t.id",
    )?;
    let rows = stmt.query_map([title], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

//! Bulk exchange of whole ledgers as JSON Lines: a header line, the source documents, then one
//! line per task carrying its links and its complete history. Both directions stream: memory
//! does not grow with the number of tasks, except for the 24 bytes per task an import keeps to
//! check the file's references and sub-task tree at its end.
//!
//! Ids are kept: importing into an empty ledger gives the same ids, so export → import →
//! export is identical. Merging into a ledger that has tasks shifts every id of the file (task,
//! history, change) by the ledger's highest id, so no lookup table is needed, and a `--source`
//! label keeps refs unique.

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::Writer;

mod validate;
use crate::model::field::Column;
use crate::model::{Kind, Status};
use crate::{Error, Result};
use rusqlite::ToSql;
pub use validate::{MAX_ID, MAX_LINE};

/// The first line of a file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Header {
    #[serde(rename = "type")]
    pub kind: String,
    pub format: String,
    pub version: u32,
    pub outline: String,
    /// The plan year the export was limited to, if any.
    pub year: Option<i32>,
    /// The ledger's time zone setting (`init --timezone`), absent when the ledger has none
    /// and in files written before it was carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The ledger's outline periods, so that a ledger merged into another brings them (a file
    /// written before they were carried has none).
    #[serde(default)]
    pub periods: Vec<super::periods::Period>,
}

/// A unit of the register (schema version 9, issue 13 A): its current name, short name and
/// aliases. Written after the tasks, so that the places of the lines before stay as they were.
#[derive(Debug, Serialize, Deserialize)]
pub struct UnitLine {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// A source document line.
#[derive(Debug, Serialize, Deserialize)]
pub struct DocumentLine {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub issuer: Option<String>,
    pub issued_on: Option<String>,
    pub report_year: Option<i32>,
    pub plan_year: Option<i32>,
    pub sha256: String,
    pub path: Option<String>,
    pub text: String,
    pub imported_at: String,
}

/// One history row, with the change it belongs to.
#[derive(Debug, Serialize, Deserialize)]
pub struct HistoryLine {
    pub id: i64,
    pub change_id: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub undoes: Option<i64>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub note: Option<String>,
    /// When the change took effect, when not when it was recorded (`--on`, schema version 6).
    /// Absent in files written before, which import with effective = at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
}

/// A task line: its stored columns, its links and its history. A typed struct rather than a
/// walk over `Column`: serde's derive fixes the keys' order of the written line (files stay
/// byte-identical) and parses the common line straight into it without a JSON value; the
/// export and import map it to the columns through `Column::ALL`.
#[derive(Debug, Serialize, Deserialize)]
pub struct TaskLine {
    #[serde(rename = "type")]
    pub kind_of_line: String,
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub kind: Kind,
    pub title: String,
    pub body: Option<String>,
    pub area: Option<String>,
    pub outline_area: Option<String>,
    pub owner: Option<String>,
    pub co_owners: Vec<String>,
    /// The responsible person and contact (schema version 8); absent in older files and
    /// when not set, so files without them stay byte-identical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    pub status: Status,
    pub progress: u8,
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    pub year: i32,
    pub parent_id: Option<i64>,
    pub document_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    pub links: Vec<i64>,
    pub history: Vec<HistoryLine>,
    /// The evidence files its history attaches (schema version 8), so that a stored file
    /// travels with the task. Absent when there are none, and in files written before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_files: Vec<EvidenceFileLine>,
}

/// A stored evidence file: its SHA-256 and its bytes as hexadecimal.
#[derive(Debug, Serialize, Deserialize)]
pub struct EvidenceFileLine {
    pub sha256: String,
    pub content_hex: String,
}

/// The page cache of a bulk import, in KiB.
const BULK_CACHE_KIB: i64 = 16 * 1024;

/// The file format's name and version, checked on import.
pub const FORMAT: &str = "taizhang-jsonl";
pub const VERSION: u32 = 1;

/// The tasks a year-limited export takes: those of the plan year, plus every task their
/// history refers to (parents, shortcomings they address or addressed), so that the file can
/// be imported and replayed on its own.
const SELECTION: &str = "WITH RECURSIVE sel(id) AS (
        SELECT id FROM task WHERE ?1 IS NULL OR year = ?1
        UNION
        SELECT CAST(h.new AS INTEGER) FROM history h JOIN sel ON h.task_id = sel.id
        WHERE ?1 IS NOT NULL AND h.field IN ('parent_id', 'addresses') AND h.new IS NOT NULL
        UNION
        SELECT CAST(h.old AS INTEGER) FROM history h JOIN sel ON h.task_id = sel.id
        WHERE ?1 IS NOT NULL AND h.field IN ('parent_id', 'addresses') AND h.old IS NOT NULL
        UNION
        SELECT json_extract(h.new, '$.parent_id') FROM history h JOIN sel ON h.task_id = sel.id
        WHERE ?1 IS NOT NULL AND h.field = 'created' AND json_extract(h.new, '$.parent_id') IS NOT NULL)";

/// `SELECTION` then every column of the selected tasks, in `Column::ALL` order (a column is
/// read at its index). Built once per process.
fn task_select() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let cols: Vec<String> = Column::ALL
            .iter()
            .map(|c| format!("t.{}", c.name()))
            .collect();
        format!(
            "{SELECTION} SELECT {} FROM task t WHERE t.id IN sel ORDER BY t.id",
            cols.join(", ")
        )
    })
}

/// `INSERT INTO task(<every column, the id included>)`, in `Column::ALL` order: an import
/// keeps the file's ids (shifted). Built once per process.
fn task_insert() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let cols: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO task({}) VALUES ({})",
            cols.join(", "),
            marks.join(", ")
        )
    })
}

fn line<T: Serialize>(out: &mut dyn Write, v: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")
        .map_err(|e| Error::io("writing the export", e))
}

/// Writes the ledger (or the tasks of one plan year) as JSON Lines, returning the task count.
pub fn export(conn: &Connection, year: Option<i32>, out: &mut dyn Write) -> Result<u64> {
    let outline = super::outline(conn)?;
    line(
        out,
        &Header {
            kind: "header".into(),
            format: FORMAT.into(),
            version: VERSION,
            outline: outline.to_string(),
            year,
            timezone: conn
                .query_row(
                    "SELECT value FROM meta WHERE key = ?1",
                    [crate::model::zone::SETTING],
                    |r| r.get(0),
                )
                .optional()?,
            periods: super::periods::list(conn)?,
        },
    )?;
    let mut docs = conn.prepare(
        "SELECT id, title, issuer, issued_on, report_year, plan_year, sha256, path, text,
                imported_at FROM document ORDER BY id",
    )?;
    let mut rows = docs.query([])?;
    while let Some(r) = rows.next()? {
        line(
            out,
            &DocumentLine {
                kind: "document".into(),
                id: r.get(0)?,
                title: r.get(1)?,
                issuer: r.get(2)?,
                issued_on: r.get(3)?,
                report_year: r.get(4)?,
                plan_year: r.get(5)?,
                sha256: r.get(6)?,
                path: r.get(7)?,
                text: r.get(8)?,
                imported_at: r.get(9)?,
            },
        )?;
    }

    // Three cursors in id order, merged: tasks, their history, their links.
    let mut tasks = conn.prepare(task_select())?;
    let mut history = conn.prepare(&format!(
        "{SELECTION} SELECT h.task_id, h.id, h.change_id, h.at, h.actor, c.command, c.undoes,
             h.field, h.old, h.new, h.note, h.effective
         FROM history h JOIN change c ON c.id = h.change_id
         WHERE h.task_id IN sel ORDER BY h.task_id, h.id"
    ))?;
    let mut links = conn.prepare(&format!(
        "{SELECTION} SELECT task_id, shortcoming_id FROM link WHERE task_id IN sel
         ORDER BY task_id, shortcoming_id"
    ))?;
    let mut trows = tasks.query([year])?;
    let mut hrows = history.query([year])?;
    let mut lrows = links.query([year])?;
    let mut next_h: Option<(i64, HistoryLine)> = next_history(&mut hrows)?;
    let mut next_l: Option<(i64, i64)> = next_link(&mut lrows)?;
    let mut n = 0u64;
    while let Some(r) = trows.next()? {
        let id: i64 = r.get(Column::Id.index())?;
        let mut hist = Vec::new();
        while let Some((tid, h)) = next_h.take() {
            if tid == id {
                hist.push(h);
                next_h = next_history(&mut hrows)?;
            } else {
                next_h = Some((tid, h));
                break;
            }
        }
        let mut ls = Vec::new();
        while let Some((tid, s)) = next_l {
            if tid != id {
                break;
            }
            ls.push(s);
            next_l = next_link(&mut lrows)?;
        }
        let evidence_files = evidence_files_of(conn, &hist)?;
        use Column as C;
        let co: String = r.get(C::CoOwners.index())?;
        line(
            out,
            &TaskLine {
                kind_of_line: "task".into(),
                id,
                reference: r.get(C::Ref.index())?,
                kind: r.get(C::Kind.index())?,
                title: r.get(C::Title.index())?,
                body: r.get(C::Body.index())?,
                area: r.get(C::Area.index())?,
                outline_area: r.get(C::OutlineArea.index())?,
                owner: r.get(C::Owner.index())?,
                co_owners: serde_json::from_str(&co)?,
                person: r.get(C::Person.index())?,
                contact: r.get(C::Contact.index())?,
                status: r.get(C::Status.index())?,
                progress: r.get(C::Progress.index())?,
                deadline: r.get(C::Deadline.index())?,
                deadline_text: r.get(C::DeadlineText.index())?,
                year: r.get(C::Year.index())?,
                parent_id: r.get(C::ParentId.index())?,
                document_id: r.get(C::DocumentId.index())?,
                created_at: r.get(C::CreatedAt.index())?,
                updated_at: r.get(C::UpdatedAt.index())?,
                completed_at: r.get(C::CompletedAt.index())?,
                links: ls,
                history: hist,
                evidence_files,
            },
        )?;
        n += 1;
    }
    // The units register, so that renames and aliases survive a round trip and a merge.
    for (name, short, aliases) in super::units::entries(conn)? {
        line(
            out,
            &UnitLine {
                kind: "unit".into(),
                name,
                short,
                aliases,
            },
        )?;
    }
    Ok(n)
}

/// The stored files a task's history attaches, each once, in the order first attached. Only
/// tasks with evidence rows query the store.
fn evidence_files_of(conn: &Connection, hist: &[HistoryLine]) -> Result<Vec<EvidenceFileLine>> {
    let mut out: Vec<EvidenceFileLine> = Vec::new();
    for h in hist {
        let Some(sha) = (h.field == crate::model::events::EVIDENCE)
            .then_some(h.new.as_deref())
            .flatten()
            .and_then(|v| v.strip_prefix(crate::model::events::SHA_PREFIX))
        else {
            continue;
        };
        if out.iter().any(|f| f.sha256 == sha) {
            continue;
        }
        let content: Option<Vec<u8>> = conn
            .prepare_cached("SELECT content FROM evidence_blob WHERE sha256 = ?1")?
            .query_row([sha], |r| r.get(0))
            .optional()?;
        if let Some(c) = content {
            out.push(EvidenceFileLine {
                sha256: sha.to_string(),
                content_hex: c.iter().map(|b| format!("{b:02x}")).collect(),
            });
        }
    }
    Ok(out)
}

/// Stores a file of a task line after proving it: hexadecimal, within the size limit, and
/// hashing to its name.
fn import_evidence_file(
    conn: &Connection,
    f: &EvidenceFileLine,
) -> std::result::Result<(), String> {
    use sha2::{Digest, Sha256};
    let hex = f.content_hex.as_bytes();
    if hex.len() % 2 != 0 || hex.len() as u64 > 2 * crate::ledger::evidence::MAX_FILE {
        return Err(format!(
            "evidence file {} is not hexadecimal of at most 20 MiB",
            validate::clip(&f.sha256)
        ));
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let bytes = hex
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| {
            format!(
                "evidence file {} is not hexadecimal",
                validate::clip(&f.sha256)
            )
        })?;
    if format!("{:x}", Sha256::digest(&bytes)) != f.sha256 {
        return Err(format!(
            "evidence file {} does not hash to its sha256",
            validate::clip(&f.sha256)
        ));
    }
    conn.prepare_cached(
        "INSERT INTO evidence_blob(sha256, size, content) VALUES (?1, ?2, ?3)
         ON CONFLICT(sha256) DO NOTHING",
    )
    .and_then(|mut s| s.execute(rusqlite::params![f.sha256, bytes.len() as i64, bytes]))
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// The extension requests, decisions and evidence of the imported history rows (ids above
/// `hist_off`), rebuilt from their event rows, which hold everything the tables do.
fn rebuild_events(conn: &Connection, hist_off: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO extension_request(task_id, change_id, deadline, old_deadline, reason, actor, at, effective)
         SELECT task_id, change_id, new, old, coalesce(note, '?'), actor, at, effective FROM history
         WHERE id > ?1 AND field = 'extension_request' ORDER BY id",
        [hist_off],
    )?;
    conn.execute(
        "INSERT INTO extension_decision(request_id, change_id, state, actor, at, note)
         SELECT (SELECT max(r.id) FROM extension_request r
                 WHERE r.task_id = h.task_id AND r.change_id < h.change_id),
                h.change_id,
                CASE h.field WHEN 'extension_approved' THEN 'approved' ELSE 'rejected' END,
                h.actor, h.at, h.note
         FROM history h
         WHERE h.id > ?1 AND h.field IN ('extension_approved', 'extension_rejected')
           AND EXISTS (SELECT 1 FROM extension_request r
                       WHERE r.task_id = h.task_id AND r.change_id < h.change_id)
         ORDER BY h.id",
        [hist_off],
    )?;
    conn.execute(
        "INSERT INTO evidence(task_id, change_id, sha256, name, reference, actor, at)
         SELECT task_id, change_id,
                CASE WHEN new LIKE 'sha256:%' THEN substr(new, 8) END,
                CASE WHEN new LIKE 'sha256:%' THEN note END,
                CASE WHEN new LIKE 'sha256:%' THEN NULL ELSE new END,
                actor, at
         FROM history WHERE id > ?1 AND field = 'evidence' AND new IS NOT NULL ORDER BY id",
        [hist_off],
    )?;
    Ok(())
}

fn next_history(rows: &mut rusqlite::Rows<'_>) -> Result<Option<(i64, HistoryLine)>> {
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some((
        r.get(0)?,
        HistoryLine {
            id: r.get(1)?,
            change_id: r.get(2)?,
            at: r.get(3)?,
            actor: r.get(4)?,
            command: r.get(5)?,
            undoes: r.get(6)?,
            field: r.get(7)?,
            old: r.get(8)?,
            new: r.get(9)?,
            note: r.get(10)?,
            effective: r.get(11)?,
        },
    )))
}

fn next_link(rows: &mut rusqlite::Rows<'_>) -> Result<Option<(i64, i64)>> {
    match rows.next()? {
        Some(r) => Ok(Some((r.get(0)?, r.get(1)?))),
        None => Ok(None),
    }
}

/// What an import of a JSON Lines file did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Imported {
    pub tasks: u64,
    pub history: u64,
    pub documents: u64,
    /// How much the file's ids were shifted by (0 into an empty ledger).
    pub id_offset: i64,
    /// The outline periods the file's header carries, for the caller to take in.
    #[serde(skip)]
    pub periods: Vec<super::periods::Period>,
}

fn max_id(conn: &Connection, table: &str) -> Result<i64> {
    // `table` is one of this module's fixed names, never user text.
    Ok(conn.query_row(
        &format!("SELECT COALESCE(max(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

fn bad_line(n: u64, what: impl std::fmt::Display) -> Error {
    Error::refused(crate::msg!("bulk.bad_line", line = n, what = what))
}

/// Reads one line of at most `validate::MAX_LINE` bytes into `buf` (without its line end);
/// false at the end of the input. A longer line is refused once the limit has been read, so
/// memory stays bounded whatever the file holds.
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>, n: u64) -> Result<bool> {
    buf.clear();
    let limit = validate::MAX_LINE as u64 + 1;
    let read = input
        .take(limit)
        .read_until(b'\n', buf)
        .map_err(|e| Error::io("reading the file", e))?;
    if read == 0 {
        return Ok(false);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    } else if buf.len() > validate::MAX_LINE {
        return Err(bad_line(
            n,
            format!(
                "the line is longer than {} MiB, more than any export writes",
                validate::MAX_LINE >> 20
            ),
        ));
    }
    Ok(true)
}

/// Maps a constraint the schema enforces to a message on the line that broke it.
fn constraint(n: u64) -> impl Fn(rusqlite::Error) -> Error {
    move |e| match &e {
        rusqlite::Error::SqliteFailure(f, Some(m))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            bad_line(n, m)
        }
        _ => Error::Sqlite(e),
    }
}

/// Reads a JSON Lines file into the ledger inside the caller's one write transaction. With
/// `source`, every ref becomes "SOURCE/ref" (and tasks without a ref stay without). `tick` is
/// called after each task, for a progress bar.
///
/// Nothing of the file is trusted: each line is checked as the typed commands check what they
/// write (see `validate`) before it is written, and the file as a whole at the end (every
/// reference inside it, no loop of sub-tasks, foreign keys). The first bad line refuses the
/// whole file; the caller's transaction then writes nothing. Into a ledger that already holds
/// changes, the import is recorded as one change of its own, with an `imported` row on each
/// task it brought, which `undo` takes back whole; into an empty ledger the file's history
/// simply becomes the ledger's.
pub fn import(
    w: &Writer,
    input: &mut dyn BufRead,
    source: Option<&str>,
    tick: &mut dyn FnMut(u64),
) -> Result<Imported> {
    let conn = w.conn();
    // A child may come before a parent it was later moved under: check keys at commit.
    conn.pragma_update(None, "defer_foreign_keys", true)?;
    // A bulk write touches every index page many times: a larger (but fixed) page cache keeps
    // them in memory instead of re-reading them, and memory still does not grow with the file.
    conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
    let task_off = max_id(conn, "task")?;
    let hist_off = max_id(conn, "history")?;
    let change_off = max_id(conn, "change")?;
    let merge = task_off > 0 || change_off > 0;
    // Into an empty ledger, building the secondary indexes once at the end (a sort) is several
    // times faster than keeping them up to date row by row. The DDL is part of the one
    // transaction: a failure or a crash leaves the indexes exactly as they were.
    let rebuild: Vec<(String, String)> = if task_off == 0 {
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name IN ('task', 'history', 'change', 'link')",
        )?;
        let list = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        for (name, _) in &list {
            conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        list
    } else {
        Vec::new()
    };
    let mut out = Imported {
        id_offset: task_off,
        ..Imported::default()
    };
    let mut doc_map: HashMap<i64, i64> = HashMap::new();
    // Every id of the file is at most MAX_ID (checked per line), and so must it be shifted:
    // ids never wrap and AUTOINCREMENT keeps room after them.
    let shifted = |id: i64, off: i64, n: u64, what: &str| -> Result<i64> {
        id.checked_add(off)
            .filter(|v| *v <= validate::MAX_ID)
            .ok_or_else(|| {
                bad_line(
                    n,
                    format!(
                        "{what} {id} shifted past the ledger's own ids goes beyond {}",
                        validate::MAX_ID
                    ),
                )
            })
    };
    // Saturating: the ids shifted here were checked to stay below MAX_ID once shifted, and a
    // reference that is not one of them is refused before the transaction commits.
    let shift = |id: i64| id.saturating_add(task_off);
    let relabel = |r: &Option<String>| -> Option<String> {
        match (r, source) {
            (Some(r), Some(s)) => Some(format!("{s}/{r}")),
            (r, _) => r.clone(),
        }
    };

    let mut ins_task = conn.prepare(task_insert())?;
    let mut ins_hist = conn.prepare(
        "INSERT INTO history(id, change_id, task_id, at, actor, field, old, new, note, effective)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut ins_change = conn.prepare(
        "INSERT OR IGNORE INTO change(id, at, actor, command, undoes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ins_link =
        conn.prepare("INSERT INTO link(task_id, shortcoming_id, created_at) VALUES (?1, ?2, ?3)")?;

    let mut seen = SeenChanges::default();
    let mut seq = super::refs::Sequence::default();
    let mut tree = validate::Tree::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut n = 0u64;
    let mut saw_header = false;
    loop {
        n += 1;
        if !read_line(input, &mut buf, n)? {
            break;
        }
        let step = import_line(
            &buf,
            n,
            &mut saw_header,
            &mut LineCtx {
                conn,
                source,
                doc_map: &mut doc_map,
                tree: &mut tree,
                seen: &mut seen,
                out: &mut out,
                ins_task: &mut ins_task,
                ins_hist: &mut ins_hist,
                ins_change: &mut ins_change,
                ins_link: &mut ins_link,
                shifted: &shifted,
                shift: &shift,
                relabel: &relabel,
                change_off,
                hist_off,
                task_off,
                seq: &mut seq,
            },
        );
        match step {
            Ok(true) => tick(out.tasks),
            Ok(false) => {}
            // A reference on an earlier line that the tasks read since show to be missing is
            // the first bad line, not this one.
            Err(e) => {
                return Err(match tree.earlier_error(n) {
                    Some((line, msg)) => bad_line(line, msg),
                    None => e,
                })
            }
        }
    }
    if !saw_header {
        return Err(Error::refused(crate::msg!("bulk.empty")));
    }
    tree.finish().map_err(|(line, msg)| bad_line(line, msg))?;
    changes_agree(conn, &tree, task_off, hist_off, change_off)?;
    drop((ins_task, ins_hist, ins_change, ins_link));
    if merge && out.tasks > 0 {
        // The import as one change of its own, after every change of the file (so its id is
        // the highest, and `undo` finds it before any of theirs): one row on each task it
        // brought, which undo takes back by cancelling the task.
        for id in tree.ids() {
            w.log(shift(id), "imported", None, source, None)?;
        }
        conn.execute(
            "UPDATE task SET updated_at = ?1 WHERE id > ?2",
            rusqlite::params![w.at(), task_off],
        )?;
    }
    // What was kept of the file's tasks (24 bytes each, 24 MB at a million) is not needed
    // again: freed before the index builds, whose sorts take as much as the page cache, so
    // the two peaks do not add up.
    drop((tree, seen, doc_map));
    for (_, sql) in &rebuild {
        conn.execute_batch(sql)?;
    }
    // The effective times a file brings obey the writer's rule (db::Writer::effective): not
    // before the task's creation, and for a row that changes a field not before an earlier
    // such row, so that the replay order is the order made. (After its recording is allowed:
    // the upgrade to version 6 repairs rows recorded with a clock set back that way.)
    let misplaced: Option<i64> = conn
        .query_row(
            "SELECT h.task_id FROM history h
             WHERE h.id > ?1 AND h.effective IS NOT NULL
               AND (h.effective NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9][+-][0-9][0-9]:[0-9][0-9]'
                    OR EXISTS (SELECT 1 FROM history p
                               WHERE p.task_id = h.task_id AND p.id < h.id
                                 AND (p.field = 'created' OR (h.field NOT IN ('note', 'ref') AND p.field NOT IN ('note', 'ref')))
                                 AND substr(coalesce(p.effective, p.at), 1, 19)
                                     > substr(h.effective, 1, 19)))
             LIMIT 1",
            [hist_off],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(task) = misplaced {
        return Err(Error::refused(crate::msg!(
            "bulk.effective_order",
            task = task - task_off
        )));
    }
    rebuild_events(conn, hist_off)?;
    // Tasks of the file without a ref get `<year>-T<n>` (db::refs), as one change of their
    // own by taizhang, so `undo` still finds the import as the user's last change.
    super::refs::assign_missing(
        conn,
        task_off,
        w.at(),
        super::refs::SYSTEM_ACTOR,
        "import: refs for the tasks without one",
    )?;
    // Rows went in directly, around the running counts: recount them.
    super::tally::rebuild(conn)?;
    super::tally_by::rebuild(conn)?;
    super::units::rebuild(conn)?;
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(Error::refused(crate::msg!(
            "bulk.broken_refs",
            count = broken
        )));
    }
    Ok(out)
}

/// What `check` proves of a change across the lines of a file, proved on the rows just
/// written (one pass over them in primary-key order): every row of a change has the change's time
/// and actor (the change row was written from its first row), and rows in id order never go
/// back to an earlier change. The first bad line is the line of the first task concerned.
fn changes_agree(
    conn: &Connection,
    tree: &validate::Tree,
    task_off: i64,
    hist_off: i64,
    change_off: i64,
) -> Result<()> {
    let line = |task: i64| tree.line_of(task - task_off).unwrap_or(0);
    // One pass in id order, keeping the highest change so far, with each row's change looked
    // up by its key (a window query sorts, and a second pass reads the rows again). CROSS
    // JOIN keeps history the outer loop, so no sort is needed.
    let mut disagree: Option<(i64, i64, i64, &str)> = None;
    let mut back: Option<(i64, i64, i64, i64)> = None;
    let mut stmt = conn.prepare(
        "SELECT h.id, h.task_id, h.change_id, h.at IS NOT c.at, h.actor IS NOT c.actor
         FROM history h CROSS JOIN change c ON c.id = h.change_id
         WHERE h.id > ?1 ORDER BY h.id",
    )?;
    let mut rows = stmt.query([hist_off])?;
    let mut highest = i64::MIN;
    while let Some(r) = rows.next()? {
        let (h, t, c): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (other_time, other_actor): (bool, bool) = (r.get(3)?, r.get(4)?);
        if (other_time || other_actor) && disagree.as_ref().is_none_or(|d| line(t) < line(d.1)) {
            disagree = Some((h, t, c, if other_time { "time" } else { "actor" }));
        }
        if c < highest && back.as_ref().is_none_or(|b| line(t) < line(b.1)) {
            back = Some((h, t, c, highest));
        }
        highest = highest.max(c);
    }
    match (disagree, back) {
        (Some((h, t, c, what)), other) if other.as_ref().is_none_or(|o| line(t) <= line(o.1)) => {
            Err(bad_line(
                line(t),
                format!(
                    "history row {} has another {what} than the first row of its change {}",
                    h - hist_off,
                    c - change_off
                ),
            ))
        }
        (_, Some((h, t, c, prev))) => Err(bad_line(
            line(t),
            format!(
                "history row {} of change {} comes after a row of the later change {}; \
                 a change's rows are numbered before the next change's",
                h - hist_off,
                c - change_off,
                prev - change_off
            ),
        )),
        _ => Ok(()),
    }
}

/// What each line of an import works with.
struct LineCtx<'c, 'a> {
    conn: &'c Connection,
    source: Option<&'a str>,
    doc_map: &'a mut HashMap<i64, i64>,
    tree: &'a mut validate::Tree,
    seen: &'a mut SeenChanges,
    out: &'a mut Imported,
    ins_task: &'a mut rusqlite::Statement<'c>,
    ins_hist: &'a mut rusqlite::Statement<'c>,
    ins_change: &'a mut rusqlite::Statement<'c>,
    ins_link: &'a mut rusqlite::Statement<'c>,
    shifted: &'a dyn Fn(i64, i64, u64, &str) -> Result<i64>,
    shift: &'a dyn Fn(i64) -> i64,
    relabel: &'a dyn Fn(&Option<String>) -> Option<String>,
    change_off: i64,
    hist_off: i64,
    task_off: i64,
    /// The ledger's `<year>-T<n>` sequence, for the file's refs a merge renumbers.
    seq: &'a mut super::refs::Sequence,
}

/// Checks and writes one line; true when it was a task.
fn import_line(
    bytes: &[u8],
    n: u64,
    saw_header: &mut bool,
    c: &mut LineCtx<'_, '_>,
) -> Result<bool> {
    let text = std::str::from_utf8(bytes).map_err(|_| bad_line(n, "not UTF-8 text"))?;
    if text.trim().is_empty() {
        return Ok(false);
    }
    // Task lines are nearly all of a file: they are parsed straight into their type,
    // the rest through a JSON value that says which type they are.
    let fast = *saw_header && text.starts_with(r#"{"type":"task","#);
    let v: serde_json::Value = if fast {
        serde_json::Value::Null
    } else {
        serde_json::from_str(text).map_err(|e| bad_line(n, format!("not JSON ({e})")))?
    };
    let kind = if fast {
        "task"
    } else {
        v.get("type").and_then(|t| t.as_str()).unwrap_or_default()
    }
    .to_string();
    if !*saw_header {
        let h: Header = serde_json::from_value(v).map_err(|e| bad_line(n, e))?;
        if h.kind != "header" || h.format != FORMAT {
            return Err(bad_line(
                n,
                "not a taizhang JSON Lines export (no header line)",
            ));
        }
        if h.version > VERSION {
            return Err(bad_line(
                n,
                format!("written by a newer taizhang (format version {})", h.version),
            ));
        }
        // The file's zone becomes the ledger's when its history becomes the ledger's (an
        // empty ledger); a ledger that already holds work keeps its own, in which its earlier
        // times were shown.
        if let Some(zone) = &h.timezone {
            let tz = crate::model::zone::parse(zone).map_err(|e| bad_line(n, e))?;
            if c.task_off == 0 && c.change_off == 0 {
                c.conn
                    .prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")?
                    .execute([crate::model::zone::SETTING, tz.name()])?;
            }
        }
        c.out.periods = h.periods;
        *saw_header = true;
        return Ok(false);
    }
    let conn = c.conn;
    match kind.as_str() {
        "document" => {
            let d: DocumentLine = serde_json::from_value(v).map_err(|e| bad_line(n, e))?;
            validate::document(&d).map_err(|e| bad_line(n, format!("document {}: {e}", d.id)))?;
            if c.doc_map.contains_key(&d.id) {
                return Err(bad_line(n, format!("document {} comes twice", d.id)));
            }
            let existing: Option<i64> = conn
                .query_row(
                    "SELECT id FROM document WHERE sha256 = ?1",
                    [&d.sha256],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match existing {
                Some(id) => id,
                None => {
                    conn.execute(
                        "INSERT INTO document(title, issuer, issued_on, report_year, plan_year,
                             sha256, path, text, imported_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        rusqlite::params![
                            d.title,
                            d.issuer,
                            d.issued_on,
                            d.report_year,
                            d.plan_year,
                            d.sha256,
                            d.path,
                            d.text,
                            d.imported_at
                        ],
                    )
                    .map_err(constraint(n))?;
                    c.out.documents += 1;
                    conn.last_insert_rowid()
                }
            };
            c.doc_map.insert(d.id, id);
            Ok(false)
        }
        "task" => {
            let t: TaskLine = if fast {
                serde_json::from_str(text)
            } else {
                serde_json::from_value(v)
            }
            .map_err(|e| bad_line(n, e))?;
            c.tree.reach(t.id);
            let refs = validate::task(&t).map_err(|e| bad_line(n, e))?;
            c.tree.add(&t, n, refs).map_err(|e| bad_line(n, e))?;
            let id = (c.shifted)(t.id, c.task_off, n, "task id")?;
            let doc = match t.document_id {
                Some(d) => Some(*c.doc_map.get(&d).ok_or_else(|| {
                    bad_line(
                        n,
                        format!("task {} names document {d}, not in the file", t.id),
                    )
                })?),
                None => None,
            };
            let relabel = c.relabel;
            let shift = c.shift;
            let reference = relabel(&t.reference);
            // On a merge, a ref of the `<year>-T<n>` sequence that the ledger already holds
            // (two ledgers' hand-added tasks both have 2025-T1) is renumbered in the ledger's
            // sequence, in the task and in its history, so such ledgers merge as they did
            // before every task got a ref.
            let renamed = match reference.as_deref() {
                Some(r) if c.task_off > 0 && super::refs::taken(conn, r)? => {
                    match super::refs::sequence_year(r) {
                        Some(y) => Some((r.to_string(), c.seq.take(conn, y)?)),
                        None => None,
                    }
                }
                _ => None,
            };
            let reference = match &renamed {
                Some((_, to)) => Some(to.clone()),
                None => reference,
            };
            let co = serde_json::to_string(&t.co_owners)?;
            let parent = t.parent_id.map(shift);
            let values = Column::ALL.iter().map(|&col| -> &dyn ToSql {
                match col {
                    Column::Id => &id,
                    Column::Ref => &reference,
                    Column::Kind => &t.kind,
                    Column::Title => &t.title,
                    Column::Body => &t.body,
                    Column::Area => &t.area,
                    Column::OutlineArea => &t.outline_area,
                    Column::Owner => &t.owner,
                    Column::CoOwners => &co,
                    Column::Person => &t.person,
                    Column::Contact => &t.contact,
                    Column::Status => &t.status,
                    Column::Progress => &t.progress,
                    Column::Deadline => &t.deadline,
                    Column::DeadlineText => &t.deadline_text,
                    Column::Year => &t.year,
                    Column::ParentId => &parent,
                    Column::DocumentId => &doc,
                    Column::CreatedAt => &t.created_at,
                    Column::UpdatedAt => &t.updated_at,
                    Column::CompletedAt => &t.completed_at,
                }
            });
            c.ins_task
                .execute(rusqlite::params_from_iter(values))
                .map_err(|e| match &e {
                    rusqlite::Error::SqliteFailure(f, Some(m))
                        if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        if m.contains("task.ref") {
                            bad_line(
                                n,
                                format!(
                                    "ref {} is already in the ledger; give the file a --source label",
                                    relabel(&t.reference).unwrap_or_default()
                                ),
                            )
                        } else {
                            bad_line(n, m)
                        }
                    }
                    _ => Error::Sqlite(e),
                })?;
            for f in &t.evidence_files {
                import_evidence_file(conn, f).map_err(|e| bad_line(n, e))?;
            }
            for h in &t.history {
                let change = (c.shifted)(h.change_id, c.change_off, n, "change_id")?;
                // A change spanning several tasks comes once per task: it is inserted
                // the first time, remembered in a bitset of the file's change ids.
                if !c.seen.insert(h.change_id) {
                    let undoes = match h.undoes {
                        Some(u) => Some((c.shifted)(u, c.change_off, n, "undoes")?),
                        None => None,
                    };
                    c.ins_change
                        .execute(rusqlite::params![change, h.at, h.actor, h.command, undoes])
                        .map_err(constraint(n))?;
                }
                let (mut old, mut new) =
                    remap(h, shift, c.doc_map, c.source).map_err(|e| bad_line(n, e))?;
                if let Some((from, to)) = &renamed {
                    old = super::refs::renamed_value(&h.field, old, from, to);
                    new = super::refs::renamed_value(&h.field, new, from, to);
                }
                c.ins_hist
                    .execute(rusqlite::params![
                        (c.shifted)(h.id, c.hist_off, n, "history id")?,
                        change,
                        id,
                        h.at,
                        h.actor,
                        h.field,
                        old,
                        new,
                        h.note,
                        h.effective
                    ])
                    .map_err(constraint(n))?;
                c.out.history += 1;
            }
            for s in &t.links {
                c.ins_link
                    .execute(rusqlite::params![id, shift(*s), t.updated_at])
                    .map_err(constraint(n))?;
            }
            c.out.tasks += 1;
            Ok(true)
        }
        "unit" => {
            let u: UnitLine = serde_json::from_value(v).map_err(|e| bad_line(n, e))?;
            validate::unit(&u).map_err(|e| bad_line(n, e))?;
            super::units::merge_entry(conn, &u.name, u.short.as_deref(), &u.aliases)
                .map_err(|e| bad_line(n, e))?;
            Ok(false)
        }
        other => Err(bad_line(n, format!("unknown line type '{other}'"))),
    }
}

/// The change ids of a file already inserted: a bitset for the dense ids taizhang writes,
/// bounded so that a hostile id cannot make it allocate much.
#[derive(Default)]
struct SeenChanges {
    bits: Vec<u64>,
}

impl SeenChanges {
    /// Ids at or above this are not remembered (the insert then ignores duplicates itself).
    const LIMIT: i64 = 1 << 28;

    /// Marks `id` as seen; returns whether it had been seen before. Ids outside the bitset
    /// are reported unseen, so their insert runs and `INSERT OR IGNORE` keeps it single.
    fn insert(&mut self, id: i64) -> bool {
        if !(0..Self::LIMIT).contains(&id) {
            return false;
        }
        let (word, bit) = ((id / 64) as usize, id % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        let seen = self.bits[word] & (1 << bit) != 0;
        self.bits[word] |= 1 << bit;
        seen
    }
}

/// The old and new values of a history row with the file's ids shifted into this ledger's:
/// task ids in parent and link rows, and ids and the ref inside a creation row.
fn remap(
    h: &HistoryLine,
    shift: impl Fn(i64) -> i64,
    docs: &HashMap<i64, i64>,
    source: Option<&str>,
) -> std::result::Result<(Option<String>, Option<String>), String> {
    let id = |v: &Option<String>| -> std::result::Result<Option<String>, String> {
        match v {
            None => Ok(None),
            Some(s) => s
                .parse::<i64>()
                .map(|i| Some(shift(i).to_string()))
                .map_err(|_| format!("history row {} holds '{s}' for {}", h.id, h.field)),
        }
    };
    match h.field.as_str() {
        "parent_id" | "addresses" => Ok((id(&h.old)?, id(&h.new)?)),
        // A ref given after creation is relabelled like the ref of a creation row.
        "ref" => Ok(match source {
            Some(s) => (
                h.old.as_ref().map(|r| format!("{s}/{r}")),
                h.new.as_ref().map(|r| format!("{s}/{r}")),
            ),
            None => (h.old.clone(), h.new.clone()),
        }),
        "created" => {
            let Some(json) = &h.new else {
                return Err(format!("history row {} is a creation without fields", h.id));
            };
            let mut v: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(json).map_err(|e| format!("history row {}: {e}", h.id))?;
            let mut changed = false;
            if let Some(p) = v.get("parent_id").and_then(|p| p.as_i64()) {
                changed |= shift(p) != p;
                v.insert("parent_id".into(), shift(p).into());
            }
            if let Some(d) = v.get("document_id").and_then(|d| d.as_i64()) {
                let mapped = *docs
                    .get(&d)
                    .ok_or_else(|| format!("history row {} names document {d}", h.id))?;
                changed |= mapped != d;
                v.insert("document_id".into(), mapped.into());
            }
            if let (Some(s), Some(r)) = (source, v.get("ref").and_then(|r| r.as_str())) {
                let r = format!("{s}/{r}");
                v.insert("ref".into(), r.into());
                changed = true;
            }
            // Unchanged rows keep their text to the byte, so a round trip is exact.
            if !changed {
                return Ok((h.old.clone(), h.new.clone()));
            }
            let json = serde_json::to_string(&v).map_err(|e| e.to_string())?;
            Ok((h.old.clone(), Some(json)))
        }
        _ => Ok((h.old.clone(), h.new.clone())),
    }
}

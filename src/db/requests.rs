//! The SQL of extension requests (申请延期) and their decisions. A request and its decision
//! are rows of their own tables and, in the same change, event rows of the task's history
//! (model::events), so the audit trail tells the whole story and the tables answer "what is
//! pending" without reading history. Both tables are append-only (schema triggers).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::Writer;
use crate::model::events;
use crate::Result;

/// The state of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Approved,
    Rejected,
}

impl State {
    pub fn label(self, lang: crate::model::Lang) -> String {
        let key = match self {
            State::Pending => "request.state_pending",
            State::Approved => "request.state_approved",
            State::Rejected => "request.state_rejected",
        };
        crate::i18n::text(lang, key).into_owned()
    }
}

/// One extension request with its decision, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub id: i64,
    pub task_id: i64,
    /// The deadline asked for.
    pub deadline: NaiveDate,
    /// The task's deadline when it was asked.
    pub old_deadline: Option<NaiveDate>,
    pub reason: String,
    /// Who asked, and when (recorded).
    pub actor: String,
    pub at: String,
    pub state: State,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

const SELECT: &str = "SELECT r.id, r.task_id, r.deadline, r.old_deadline, r.reason, r.actor, r.at,
        d.state, d.actor, d.at, d.note
    FROM extension_request r LEFT JOIN extension_decision d ON d.request_id = r.id";

fn request(r: &rusqlite::Row<'_>) -> rusqlite::Result<Request> {
    let state: Option<String> = r.get(7)?;
    Ok(Request {
        id: r.get(0)?,
        task_id: r.get(1)?,
        deadline: r.get(2)?,
        old_deadline: r.get(3)?,
        reason: r.get(4)?,
        actor: r.get(5)?,
        at: r.get(6)?,
        state: match state.as_deref() {
            None => State::Pending,
            Some("approved") => State::Approved,
            Some(_) => State::Rejected,
        },
        decided_by: r.get(8)?,
        decided_at: r.get(9)?,
        decision_note: r.get(10)?,
    })
}

/// Records a request and its history row in the writer's change; returns its id.
pub fn insert(
    w: &Writer,
    task: i64,
    deadline: NaiveDate,
    old_deadline: Option<NaiveDate>,
    reason: &str,
) -> Result<i64> {
    let day = deadline.to_string();
    let old = old_deadline.map(|d| d.to_string());
    w.log(
        task,
        events::EXTENSION_REQUEST,
        old.as_deref(),
        Some(&day),
        Some(reason),
    )?;
    touch(w, task)?;
    // The request carries the change and effective time of its history row.
    let (change, effective, actor): (i64, Option<String>, String) = w.conn().query_row(
        "SELECT change_id, effective, actor FROM history WHERE id = last_insert_rowid()",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    w.conn()
        .prepare_cached(
            "INSERT INTO extension_request(task_id, change_id, deadline, old_deadline, reason, actor, at, effective)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(rusqlite::params![
            task, change, day, old, reason, actor, w.at(), effective
        ])?;
    Ok(w.conn().last_insert_rowid())
}

/// Records the decision on a pending request and its history row. The deadline itself is
/// moved by the caller, through the ordinary update of the task, in the same change.
pub fn decide(w: &Writer, req: &Request, approved: bool, note: Option<&str>) -> Result<()> {
    let field = if approved {
        events::EXTENSION_APPROVED
    } else {
        events::EXTENSION_REJECTED
    };
    let day = req.deadline.to_string();
    w.log(req.task_id, field, None, Some(&day), note)?;
    touch(w, req.task_id)?;
    let (change, actor): (i64, String) = w.conn().query_row(
        "SELECT change_id, actor FROM history WHERE id = last_insert_rowid()",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    w.conn()
        .prepare_cached(
            "INSERT INTO extension_decision(request_id, change_id, state, actor, at, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![
            req.id,
            change,
            if approved { "approved" } else { "rejected" },
            actor,
            w.at(),
            note
        ])?;
    Ok(())
}

/// An event row, like a note, is the task's latest change: `updated_at` follows it, as
/// `check` proves.
fn touch(w: &Writer, task: i64) -> Result<()> {
    w.conn()
        .prepare_cached("UPDATE task SET updated_at = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![task, w.at()])?;
    Ok(())
}

/// The pending request of a task, if any (there is at most one).
pub fn pending_of(conn: &Connection, task: i64) -> Result<Option<Request>> {
    let sql = format!(
        "{SELECT} WHERE r.task_id = ?1 AND d.request_id IS NULL ORDER BY r.id DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([task], request)
        .optional()?)
}

/// Every request of a task, oldest first.
pub fn of_task(conn: &Connection, task: i64) -> Result<Vec<Request>> {
    let sql = format!("{SELECT} WHERE r.task_id = ?1 ORDER BY r.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([task], request)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every pending request of the ledger, oldest first.
pub fn pending(conn: &Connection) -> Result<Vec<Request>> {
    let sql = format!("{SELECT} WHERE d.request_id IS NULL ORDER BY r.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], request)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The requests that were pending at the end of a moment (`cutoff`, an RFC 3339 time): asked
/// by then and not decided by then. For `--as-of` views and year-end exports.
pub fn pending_at(conn: &Connection, cutoff: &str) -> Result<Vec<Request>> {
    let sql = "SELECT r.id, r.task_id, r.deadline, r.old_deadline, r.reason, r.actor, r.at,
            NULL, NULL, NULL, NULL
        FROM extension_request r
        WHERE substr(coalesce(r.effective, r.at), 1, 19) <= substr(?1, 1, 19)
          AND NOT EXISTS (SELECT 1 FROM extension_decision d
                          WHERE d.request_id = r.id AND substr(d.at, 1, 19) <= substr(?1, 1, 19))
        ORDER BY r.id";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([cutoff], request)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

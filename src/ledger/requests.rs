//! Extension requests (申请延期): a unit asks for a later deadline with a reason; the request
//! does not move the deadline but waits for the office's decision. `approve` moves it (the
//! deadline's history row keeps the old day, so the 延期 stays visible); `reject` refuses it
//! with a note. At most one request per task is pending at a time.
//!
//! The operations that work inside a write transaction (`*_in`) take the `Writer` of the
//! caller's change: who acts and when the change takes effect are that change's
//! (`ChangeMeta::actor`, `--on` or `Writer::set_default_effective`). The fill-sheet import
//! calls `request_extension_in` that way, so a request from a sheet is recorded as the unit
//! that asked, on the period end the sheet names.

use chrono::NaiveDate;

use crate::db::requests::{self, Request};
use crate::db::tasks::{self, Changes};
use crate::db::{ChangeMeta, Ledger, Writer};
use crate::model::{Lang, Word};
use crate::{Error, Result};

/// Records a request for `task`'s deadline to become `to`, with `reason`, in the caller's
/// change. Refused: an empty reason (usage); a task that is finished or cancelled, has no
/// deadline, or whose deadline is already `to` or later; a second request while one is
/// pending.
pub fn request_extension_in(
    w: &Writer,
    task: i64,
    to: NaiveDate,
    reason: &str,
    as_of: NaiveDate,
) -> Result<Request> {
    if reason.trim().is_empty() {
        return Err(Error::usage(crate::msg!("request.needs_reason")));
    }
    let t = tasks::get(w.conn(), task, as_of)?;
    if t.status.is_closed() {
        return Err(Error::refused(
            crate::msg!("request.task_closed", task = task).word(
                "status",
                t.status.label(Lang::Zh),
                t.status.label(Lang::En),
            ),
        ));
    }
    let Some(old) = t.deadline else {
        return Err(Error::refused(crate::msg!(
            "request.no_deadline",
            task = task
        )));
    };
    if to <= old {
        return Err(Error::usage(crate::msg!(
            "request.not_later",
            to = to,
            task = task,
            old = old
        )));
    }
    if let Some(p) = requests::pending_of(w.conn(), task)? {
        return Err(Error::conflict(crate::msg!(
            "request.already_pending",
            task = task,
            to = p.deadline,
            actor = p.actor
        )));
    }
    let id = requests::insert(w, task, to, Some(old), reason.trim())?;
    requests::pending_of(w.conn(), task)?
        .filter(|r| r.id == id)
        .ok_or_else(|| Error::Corrupt(format!("extension request #{id} was not stored")))
}

/// `request_extension_in` in a change of its own.
pub fn request_extension(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    task: i64,
    to: NaiveDate,
    reason: &str,
    as_of: NaiveDate,
) -> Result<Request> {
    ledger.write(meta, |w| request_extension_in(w, task, to, reason, as_of))
}

/// The pending request of `task`, or the refusal that there is none.
fn pending_or_refuse(w: &Writer, task: i64) -> Result<Request> {
    tasks::require(w.conn(), task)?;
    requests::pending_of(w.conn(), task)?
        .ok_or_else(|| Error::refused(crate::msg!("request.none_pending", task = task)))
}

/// Approves the pending request of `task` in the caller's change: the deadline moves to the
/// day asked for, with the reason (and the decision note) in its history row.
pub fn approve_in(w: &Writer, task: i64, note: Option<&str>, as_of: NaiveDate) -> Result<Request> {
    let req = pending_or_refuse(w, task)?;
    let why = match note {
        Some(n) => format!("批准延期 / extension approved: {} — {n}", req.reason),
        None => format!("批准延期 / extension approved: {}", req.reason),
    };
    let c = Changes {
        deadline: Some(req.deadline),
        ..Changes::default()
    };
    tasks::update(w, task, &c, Some(&why), as_of)?;
    requests::decide(w, &req, true, note)?;
    decided(w, task, req.id)
}

/// Rejects the pending request of `task` in the caller's change; the note says why.
pub fn reject_in(w: &Writer, task: i64, note: &str) -> Result<Request> {
    let req = pending_or_refuse(w, task)?;
    requests::decide(w, &req, false, Some(note))?;
    decided(w, task, req.id)
}

fn decided(w: &Writer, task: i64, id: i64) -> Result<Request> {
    requests::of_task(w.conn(), task)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Error::Corrupt(format!("extension request #{id} was not stored")))
}

/// `approve_in` in a change of its own.
pub fn approve(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    task: i64,
    note: Option<&str>,
    as_of: NaiveDate,
) -> Result<Request> {
    ledger.write(meta, |w| approve_in(w, task, note, as_of))
}

/// `reject_in` in a change of its own.
pub fn reject(ledger: &mut Ledger, meta: &ChangeMeta, task: i64, note: &str) -> Result<Request> {
    ledger.write(meta, |w| reject_in(w, task, note))
}

/// Every pending request of the ledger, oldest first.
pub fn pending(ledger: &mut Ledger) -> Result<Vec<Request>> {
    ledger.read(requests::pending)
}

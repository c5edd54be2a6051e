//! `reject` (驳回): the office answers either a pending extension request or a task marked
//! done that awaits 销号 (sending it back to doing). When a task has both, the person must say
//! which; the decision is made inside the write, so it is about the state it changes.

use chrono::NaiveDate;

use crate::db::requests::{self, Request};
use crate::db::tasks::{self, Changes};
use crate::db::{ChangeMeta, Ledger, Writer};
use crate::model::{Lang, Status};
use crate::{Error, Result};

/// What `reject` is asked to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The pending extension request.
    Extension,
    /// The done task awaiting 销号.
    Closing,
}

/// What `reject` answered.
#[derive(Debug, Clone)]
pub enum Rejected {
    Extension(Request),
    /// The task went back from done to doing.
    Closing,
}

/// Sends a done task back to doing in the caller's change, with the note in its status row.
pub fn send_back_in(w: &Writer, task: i64, note: &str, as_of: NaiveDate, lang: Lang) -> Result<()> {
    let t = tasks::get(w.conn(), task, as_of)?;
    if t.status != Status::Done {
        return Err(Error::Refused(match lang {
            Lang::Zh => format!("任务 #{task} 不是待销号的已完成任务，无可驳回"),
            Lang::En => {
                format!("task #{task} is not done awaiting 销号: there is nothing to send back")
            }
        }));
    }
    let c = Changes {
        status: Some(Status::Doing),
        ..Changes::default()
    };
    tasks::update(
        w,
        task,
        &c,
        Some(&format!("驳回 / sent back: {note}")),
        as_of,
    )?;
    Ok(())
}

/// Rejects what `which` names, or what there is to reject when it names nothing.
pub fn reject_in(
    w: &Writer,
    task: i64,
    note: &str,
    which: Option<Which>,
    as_of: NaiveDate,
    lang: Lang,
) -> Result<Rejected> {
    let pending = requests::pending_of(w.conn(), task)?.is_some();
    let done = tasks::get(w.conn(), task, as_of)?.status == Status::Done;
    let which = match (which, pending, done) {
        (Some(w), _, _) => w,
        (None, true, true) => {
            return Err(Error::Usage(match lang {
                Lang::Zh => format!(
                    "任务 #{task} 既有待审批的延期申请，又待销号：请加 --extension（驳回延期）或 --closing（驳回完成）"
                ),
                Lang::En => format!(
                    "task #{task} has a pending extension request and is done awaiting 销号: add --extension or --closing to say which to reject"
                ),
            }))
        }
        (None, true, false) => Which::Extension,
        (None, false, true) => Which::Closing,
        (None, false, false) => {
            return Err(Error::Refused(match lang {
                Lang::Zh => format!(
                    "任务 #{task} 既无待审批的延期申请，也不是待销号的已完成任务，无可驳回"
                ),
                Lang::En => format!(
                    "task #{task} has nothing to reject: no pending extension request, and it is not done awaiting 销号"
                ),
            }))
        }
    };
    match which {
        Which::Extension => {
            super::requests::reject_in(w, task, note, lang).map(Rejected::Extension)
        }
        Which::Closing => {
            send_back_in(w, task, note, as_of, lang)?;
            Ok(Rejected::Closing)
        }
    }
}

/// `reject_in` in a change of its own.
pub fn reject(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    task: i64,
    note: &str,
    which: Option<Which>,
    as_of: NaiveDate,
    lang: Lang,
) -> Result<Rejected> {
    ledger.write(meta, |w| reject_in(w, task, note, which, as_of, lang))
}

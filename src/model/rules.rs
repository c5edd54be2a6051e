//! The rules that tie a task's status, progress and completion together, as pure functions
//! on plain types. `add` and `update` (src/ledger/) and undo (through db::tasks::update) all
//! go through these, so each rule is written once. The rules of links and parents are here
//! too: db::tasks asks them inside the write, because import and undo write links and parents
//! without going through src/ledger/, and db/ may depend on model/ but not on the layer above.

use chrono::NaiveDate;

use super::{Kind, Status, Task};
use crate::Error;

/// A task never addresses itself: what it addresses is another task, a shortcoming.
pub fn link_source(id: i64, shortcoming: i64) -> Result<(), Error> {
    if id == shortcoming {
        return Err(Error::refused(crate::msg!("rules.link_itself", id = id)));
    }
    Ok(())
}

/// What a task addresses is a shortcoming (问题), never a measure or another kind.
pub fn link_target(shortcoming: i64, kind: Kind) -> Result<(), Error> {
    if kind != Kind::Shortcoming {
        return Err(Error::refused(
            crate::msg!("rules.not_a_shortcoming", id = shortcoming).word(
                "kind",
                crate::model::Word::zh(kind),
                crate::model::Word::en(kind),
            ),
        ));
    }
    Ok(())
}

/// Sub-tasks form a tree: a parent that is the task itself or one of its descendants is
/// refused. Whether it is (`would_cycle`) needs the ancestors of `parent`, which only a
/// recursive query on the ledger knows, so the caller asks db::tasks::would_cycle.
pub fn parent(id: i64, parent: i64, would_cycle: bool) -> Result<(), Error> {
    if would_cycle {
        return Err(Error::refused(crate::msg!(
            "rules.parent_cycle",
            parent = parent,
            id = id
        )));
    }
    Ok(())
}

/// The fields of a task that `update` may change, with their new values.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub status: Option<Status>,
    pub progress: Option<u8>,
    pub owner: Option<String>,
    pub co_owners: Option<Vec<String>>,
    pub deadline: Option<NaiveDate>,
    /// The words the new deadline was given in, when not a plain date.
    pub deadline_text: Option<String>,
    pub title: Option<String>,
    pub area: Option<String>,
    pub outline_area: Option<String>,
    pub parent_id: Option<i64>,
    pub body: Option<String>,
    /// A new plan year (`update --year`, `carry-over`); always given with a note.
    pub year: Option<i32>,
    pub person: Option<String>,
    pub contact: Option<String>,
}

/// The status and progress a new task starts with: 100 without a word on status means done,
/// and finished work without a progress figure is complete (100).
pub fn starting_state(status: Status, progress: u8) -> (Status, u8) {
    let status = match (status, progress) {
        (Status::Todo, 100) => Status::Done,
        // Work with progress has started (进度大于 0 即为推进中).
        (Status::Todo, p) if p > 0 => Status::Doing,
        (s, _) => s,
    };
    let progress = if status.is_finished() && progress == 0 {
        100
    } else {
        progress
    };
    (status, progress)
}

/// The note on a parent's status row written because its sub-tasks changed.
pub const DERIVED_NOTE: &str = "由子任务推算 / derived from its sub-tasks";

/// Whether a history row's note says something about the work (the latest progress note of
/// exports): the note of a status derived from sub-tasks says only why the row exists.
pub fn is_progress_note(note: &str) -> bool {
    note != DERIVED_NOTE
}

/// The status a parent takes from its sub-tasks' statuses, cancelled ones left out: all
/// verified → verified; all done or verified → done; any blocked → blocked; any started
/// (not todo) → doing; else todo. `None` when no sub-task counts: the parent's own status
/// then stands.
pub fn derived_status(subs: impl IntoIterator<Item = Status>) -> Option<Status> {
    let (mut n, mut verified, mut finished, mut blocked, mut started) = (0, 0, 0, false, false);
    for s in subs {
        match s {
            Status::Cancelled => continue,
            Status::Verified => verified += 1,
            Status::Blocked => blocked = true,
            _ => {}
        }
        n += 1;
        finished += usize::from(s.is_finished());
        started |= s != Status::Todo;
    }
    Some(match () {
        () if n == 0 => return None,
        () if verified == n => Status::Verified,
        () if finished == n => Status::Done,
        () if blocked => Status::Blocked,
        () if started => Status::Doing,
        () => Status::Todo,
    })
}

/// A parent's status is its sub-tasks' while any of them is open: setting it by hand is
/// refused, naming them (`open` holds their ids).
pub fn status_by_hand(id: i64, open: &[i64], lang: super::Lang) -> Result<(), Error> {
    if open.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = open.iter().take(10).map(|i| format!("#{i}")).collect();
    let more = if open.len() > 10 { " …" } else { "" };
    Err(Error::Refused(match lang {
        super::Lang::Zh => format!(
            "任务 #{id} 的状态由子任务推算，尚有未完成的子任务 {}{more}；请更新子任务（update 子任务ID --status …）",
            list.join("、")
        ),
        super::Lang::En => format!(
            "task #{id} takes its status from its sub-tasks and has open sub-tasks {}{more}; update those instead (update ID --status …)",
            list.join(", ")
        ),
    }))
}

/// The rules of 销号 on a change of status by hand from `old` to `new`: done needs a note
/// of what was done; verified (已销号) needs a note, a task that is done, and a person other
/// than the one who set it done (`done_by`), so that closing off always takes two people.
pub fn review(
    id: i64,
    old: Status,
    new: Status,
    note: Option<&str>,
    done_by: Option<&str>,
    actor: &str,
    lang: super::Lang,
) -> Result<(), Error> {
    use super::Lang::{En, Zh};
    if old == new {
        return Ok(());
    }
    let noted = note.is_some_and(|n| !n.trim().is_empty());
    match new {
        Status::Done if !noted => Err(Error::Usage(match lang {
            Zh => format!("任务 #{id} 标为已完成须说明完成情况：请加 --note 说明做了什么"),
            En => format!("marking task #{id} done needs --note saying what was done"),
        })),
        Status::Verified if old != Status::Done => Err(Error::Refused(match lang {
            Zh => format!(
                "任务 #{id} 尚未完成（{}），不能销号：先由责任人标为已完成（--status done --note …），再由他人销号",
                super::Word::label(old, lang)
            ),
            En => format!(
                "task #{id} is {old}, not done: it is verified (销号) only after someone marks it done (--status done --note …)"
            ),
        })),
        Status::Verified if !noted => Err(Error::Usage(match lang {
            Zh => format!("任务 #{id} 销号须写明审核意见：请加 --note"),
            En => format!("verifying task #{id} (销号) needs --note with the review"),
        })),
        Status::Verified if done_by == Some(actor) => Err(Error::Refused(match lang {
            Zh => format!(
                "任务 #{id} 由 {actor} 标为已完成，销号须由另一人审核：请由他人以 --user 姓名 销号"
            ),
            En => format!(
                "task #{id} was marked done by {actor}; 销号 needs a second person: another user (--user NAME) must verify it"
            ),
        })),
        _ => Ok(()),
    }
}

/// The task as `changes` leave it, stamped `at` if it becomes finished. The parent is taken as
/// given: whether it exists and makes no cycle is asked of the ledger by the caller.
pub fn apply(old: &Task, c: &Changes, at: &str) -> Task {
    let mut new = old.clone();
    if let Some(s) = c.status {
        new.status = s;
    }
    if let Some(p) = c.progress {
        new.own_progress = p;
        // Reaching 100 without a word on status means the work is done.
        if p == 100 && c.status.is_none() && !old.status.is_closed() {
            new.status = Status::Done;
        } else if p > 0 && c.status.is_none() && old.status == Status::Todo {
            // Progress on work not started means it has started.
            new.status = Status::Doing;
        }
    }
    // Finished work is complete work: done without a progress figure means 100.
    if new.status.is_finished() && !old.status.is_finished() && c.progress.is_none() {
        new.own_progress = 100;
    }
    if new.status.is_finished() && !old.status.is_finished() {
        new.completed_at = Some(at.to_string());
    } else if !new.status.is_finished() {
        new.completed_at = None;
    }
    if let Some(o) = &c.owner {
        new.owner = Some(o.clone());
    }
    if let Some(co) = &c.co_owners {
        new.co_owners = co.clone();
    }
    if let Some(d) = c.deadline {
        new.deadline = Some(d);
        new.deadline_text = c.deadline_text.clone();
    }
    if let Some(t) = &c.title {
        new.title = t.clone();
    }
    if let Some(a) = &c.area {
        new.area = Some(a.clone());
    }
    if let Some(a) = &c.outline_area {
        new.outline_area = Some(a.clone());
    }
    if let Some(b) = &c.body {
        new.body = Some(b.clone());
    }
    if let Some(p) = c.parent_id {
        new.parent_id = Some(p);
    }
    if let Some(y) = c.year {
        new.year = y;
    }
    if let Some(p) = &c.person {
        new.person = Some(p.clone());
    }
    if let Some(x) = &c.contact {
        new.contact = Some(x.clone());
    }
    new
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The link and parent rules refuse exactly the self-link, a target that is not a
    /// shortcoming, and a parent that would close a loop.
    #[test]
    fn link_and_parent_rules() {
        let refused = |r: crate::Result<()>| match r {
            Err(e) if e.kind() == crate::ErrorKind::Refused => e.to_string(),
            other => format!("not refused: {other:?}"),
        };
        assert!(refused(link_source(3, 3)).contains("itself"));
        assert!(link_source(3, 4).is_ok());
        assert!(link_target(4, Kind::Shortcoming).is_ok());
        assert!(refused(link_target(4, Kind::Commitment)).contains("not a shortcoming"));
        // English has "an achievement", not "a achievement": the kind is named on its own.
        let m = refused(link_target(4, Kind::Achievement));
        assert!(
            !m.contains("a achievement") && m.contains("achievement"),
            "{m}"
        );
        assert!(refused(parent(2, 5, true)).contains("cycle"));
        assert!(parent(2, 5, false).is_ok());
    }

    #[test]
    fn a_new_task_at_100_is_done_and_a_finished_one_is_at_100() {
        assert_eq!(starting_state(Status::Todo, 100), (Status::Done, 100));
        assert_eq!(starting_state(Status::Done, 0), (Status::Done, 100));
        assert_eq!(starting_state(Status::Verified, 0), (Status::Verified, 100));
        assert_eq!(starting_state(Status::Doing, 100), (Status::Doing, 100));
        assert_eq!(starting_state(Status::Todo, 30), (Status::Doing, 30));
        assert_eq!(starting_state(Status::Blocked, 30), (Status::Blocked, 30));
    }

    #[test]
    fn a_parent_status_follows_its_sub_tasks() {
        use Status::*;
        assert_eq!(derived_status([]), None);
        assert_eq!(derived_status([Cancelled]), None);
        assert_eq!(
            derived_status([Verified, Verified, Cancelled]),
            Some(Verified)
        );
        assert_eq!(derived_status([Verified, Done]), Some(Done));
        assert_eq!(derived_status([Done, Blocked, Todo]), Some(Blocked));
        assert_eq!(derived_status([Done, Todo]), Some(Doing));
        assert_eq!(derived_status([Todo, Todo]), Some(Todo));
        assert!(status_by_hand(1, &[], super::super::Lang::En).is_ok());
        let e = status_by_hand(1, &[2, 3], super::super::Lang::En).unwrap_err();
        assert!(e.to_string().contains("#2, #3"), "{e}");
    }
}

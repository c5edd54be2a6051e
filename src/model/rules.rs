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
        return Err(Error::Refused(format!(
            "task #{id} cannot address itself; link it to a shortcoming"
        )));
    }
    Ok(())
}

/// What a task addresses is a shortcoming (问题), never a measure or another kind.
pub fn link_target(shortcoming: i64, kind: Kind) -> Result<(), Error> {
    if kind != Kind::Shortcoming {
        return Err(Error::Refused(format!(
            "task #{shortcoming} is not a shortcoming (its kind is {kind}); --addresses takes the id of a shortcoming"
        )));
    }
    Ok(())
}

/// Sub-tasks form a tree: a parent that is the task itself or one of its descendants is
/// refused. Whether it is (`would_cycle`) needs the ancestors of `parent`, which only a
/// recursive query on the ledger knows, so the caller asks db::tasks::would_cycle.
pub fn parent(id: i64, parent: i64, would_cycle: bool) -> Result<(), Error> {
    if would_cycle {
        return Err(Error::Refused(format!(
            "task #{parent} cannot be the parent of #{id}: that would make a cycle of sub-tasks"
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
    let status = if progress == 100 && status == Status::Todo {
        Status::Done
    } else {
        status
    };
    let progress = if status.is_finished() && progress == 0 {
        100
    } else {
        progress
    };
    (status, progress)
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
mod tests {
    use super::*;

    /// The link and parent rules refuse exactly the self-link, a target that is not a
    /// shortcoming, and a parent that would close a loop.
    #[test]
    fn link_and_parent_rules() {
        assert!(matches!(link_source(3, 3), Err(Error::Refused(m)) if m.contains("itself")));
        assert!(link_source(3, 4).is_ok());
        assert!(link_target(4, Kind::Shortcoming).is_ok());
        assert!(
            matches!(link_target(4, Kind::Commitment), Err(Error::Refused(m)) if m.contains("not a shortcoming"))
        );
        // English has "an achievement", not "a achievement": the kind is named on its own.
        assert!(
            matches!(link_target(4, Kind::Achievement), Err(Error::Refused(m)) if !m.contains("a achievement") && m.contains("achievement"))
        );
        assert!(matches!(parent(2, 5, true), Err(Error::Refused(m)) if m.contains("cycle")));
        assert!(parent(2, 5, false).is_ok());
    }

    #[test]
    fn a_new_task_at_100_is_done_and_a_finished_one_is_at_100() {
        assert_eq!(starting_state(Status::Todo, 100), (Status::Done, 100));
        assert_eq!(starting_state(Status::Done, 0), (Status::Done, 100));
        assert_eq!(starting_state(Status::Verified, 0), (Status::Verified, 100));
        assert_eq!(starting_state(Status::Doing, 100), (Status::Doing, 100));
        assert_eq!(starting_state(Status::Todo, 30), (Status::Todo, 30));
    }
}

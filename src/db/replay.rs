//! Rebuilding tasks from their history. The history is complete: a task's creation row holds its
//! initial fields and every later change of a field is a row, so replaying the rows up to a
//! moment gives the task as it stood then. Exports use it to report a year as it stood on
//! 31 December, and `check` to prove that the current rows equal their history.

use std::collections::{BTreeSet, HashMap};

use std::rc::Rc;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;

use super::tasks::NewTask;
use crate::model::field::Field;
use crate::model::{is_overdue, Status, Task};
use crate::{Error, Result};

/// A task as it stood at a moment, with its links and latest note then.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    pub task: Task,
    /// The shortcomings it addressed then.
    pub addresses: BTreeSet<i64>,
    /// The latest progress note (a note row, or the note of a field change) then.
    pub latest_note: Option<String>,
    /// Whether the task was open (not done, verified or cancelled) at any moment between the
    /// window start given to `replay_each` and the cut-off.
    pub open_in_window: bool,
    /// Whether the task was cancelled when the window started.
    pub cancelled_before_window: bool,
}

/// The wall-clock part of a stored timestamp ("2025-12-31T23:59:59"), which is what cut-offs
/// compare: an office's history is kept in its own local time. Queries compare stamps with
/// `at <= cutoff || '~'`: '~' sorts after the offset that follows the seconds, so this is
/// "the first 19 characters are at most the cut-off" without cutting every stamp.
pub fn end_of_day(d: NaiveDate) -> String {
    format!("{d}T23:59:59")
}

/// The wall-clock start of a day ("2025-01-01T00:00:00").
pub fn start_of_day(d: NaiveDate) -> String {
    format!("{d}T00:00:00")
}

/// The progress of sub-tasks per parent: (sum, count) of those not cancelled.
#[derive(Debug, Default)]
pub struct Rollup(HashMap<i64, (u32, u32)>);

impl Rollup {
    pub fn new() -> Rollup {
        Rollup::default()
    }

    /// Counts one replayed task as a sub-task of its parent.
    pub fn add(&mut self, t: &Task) {
        if let (Some(p), false) = (t.parent_id, t.status == Status::Cancelled) {
            let e = self.0.entry(p).or_default();
            e.0 += u32::from(t.own_progress);
            e.1 += 1;
        }
    }

    /// Gives a parent the mean of its sub-tasks, rounded half away from zero like SQLite's
    /// ROUND in the live query.
    pub fn apply(&self, t: &mut Task) {
        if let Some(p) = self.shown(t.id) {
            t.progress = p;
        }
    }

    /// The shown progress of task `id` when it has sub-tasks that count (not cancelled).
    pub fn shown(&self, id: i64) -> Option<u8> {
        match self.0.get(&id) {
            Some(&(sum, n)) if n > 0 => Some(u8::try_from((2 * sum + n) / (2 * n)).unwrap_or(100)),
            _ => None,
        }
    }

    /// The parents with sub-tasks that count, as an SQL array (`t.id IN rarray(?)`).
    pub fn parents(&self) -> Rc<Vec<Value>> {
        let mut ids: Vec<i64> = self
            .0
            .iter()
            .filter(|(_, &(_, n))| n > 0)
            .map(|(&id, _)| id)
            .collect();
        ids.sort_unstable();
        Rc::new(ids.into_iter().map(Value::Integer).collect())
    }
}

/// The tasks with a history row that takes effect after a cut-off, found once (index
/// `history_effective`) and handed to SQLite as one array parameter (`rarray(?)`, rusqlite's
/// `array` module, which lives in the connection only: a read never writes the ledger).
/// Only these tasks can differ at the cut-off from their current row; a task created after
/// the cut-off is among them.
#[derive(Debug, Clone)]
pub struct Touched(Rc<Vec<Value>>);

impl Touched {
    /// The tasks touched after `cutoff` (a stamp from `end_of_day`).
    pub fn after(conn: &Connection, cutoff: &str) -> Result<Touched> {
        // The module is registered on the connection that reads; registering it again
        // replaces it, so every caller may do so before its first `rarray`.
        rusqlite::vtab::array::load_module(conn)?;
        let mut stmt = conn.prepare(TOUCHED_AFTER)?;
        let mut ids: Vec<i64> = stmt
            .query_map([cutoff], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The index gives them in time order, with repeats: the array is sorted and unique,
        // so that SQLite can walk it in id order.
        ids.sort_unstable();
        ids.dedup();
        Ok(Touched(Rc::new(
            ids.into_iter().map(Value::Integer).collect(),
        )))
    }

    /// The tasks that may have been planned for `year` at some time: those planned for it
    /// now and those whose plan year ever changed (update --year, carry-over; found by the
    /// history_year index). Replaying only these at a year's end finds every task that was
    /// then planned for the year, at a fifth of the cost of replaying every task.
    pub fn planned_in(conn: &Connection, year: i32) -> Result<Touched> {
        rusqlite::vtab::array::load_module(conn)?;
        let mut stmt = conn.prepare(
            "SELECT id FROM task WHERE year = ?1
             UNION ALL
             SELECT task_id FROM history WHERE field = 'year'",
        )?;
        let mut ids: Vec<i64> = stmt
            .query_map([year], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.sort_unstable();
        ids.dedup();
        Ok(Touched(Rc::new(
            ids.into_iter().map(Value::Integer).collect(),
        )))
    }

    /// The ids as an SQL array parameter.
    pub fn param(&self) -> Rc<Vec<Value>> {
        Rc::clone(&self.0)
    }

    /// How many tasks were touched.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no task was touched.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Replays task after task, in id order, handing each to `f` as soon as its history has been
/// read: memory holds one task at a time. `kids` gives parents their sub-tasks' progress
/// (empty when unknown yet).
pub fn replay_each(
    conn: &Connection,
    cutoff: Option<&str>,
    window_start: Option<&str>,
    as_of: NaiveDate,
    kids: &Rollup,
    f: impl FnMut(Replayed) -> Result<()>,
) -> Result<()> {
    replay_some(conn, Scope::All, cutoff, window_start, as_of, kids, f)
}

/// The tasks whose history has a row that takes effect after `cutoff`: only they can differ
/// from their current row at the cut-off (found by the history_effective index). A task
/// created after the cut-off is among them.
const TOUCHED_AFTER: &str = "SELECT task_id FROM history WHERE coalesce(effective, at) > ?1 || '~'";

/// The columns of a task's current row as `task_from_row` reads them, with the stored
/// progress standing in for the shown one: an as-of view rolls a parent's progress up from
/// its sub-tasks at the day (`Rollup::apply`), where the live roll-up would count today's.
pub fn row_columns() -> String {
    crate::model::field::Column::ALL
        .iter()
        .map(|c| format!("t.{}", c.name()))
        .chain(std::iter::once("t.progress".to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every task as it stood at `cutoff`, in no particular order. A task with no history row
/// after the cut-off stood then as its current row says, but for the rolled-up progress of a
/// parent (from `kids`) and overdue (at `as_of`): it is read from the task table. Only the
/// `touched` tasks are replayed, by the one replay.
pub fn tasks_at(
    conn: &Connection,
    cutoff: &str,
    as_of: NaiveDate,
    kids: &Rollup,
    touched: &Touched,
    mut f: impl FnMut(Task) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM task t WHERE t.id NOT IN rarray(?1)",
        row_columns()
    ))?;
    let mut rows = stmt.query([touched.param()])?;
    while let Some(r) = rows.next()? {
        let mut t = super::tasks::task_from_row(r, as_of)?;
        kids.apply(&mut t);
        f(t)?;
    }
    replay_touched(conn, cutoff, as_of, kids, touched, f)
}

/// The `touched` tasks as they stood at `cutoff`, in id order, by the one replay; a task
/// created after the cut-off is left out.
pub fn replay_touched(
    conn: &Connection,
    cutoff: &str,
    as_of: NaiveDate,
    kids: &Rollup,
    touched: &Touched,
    mut f: impl FnMut(Task) -> Result<()>,
) -> Result<()> {
    replay_some(
        conn,
        Scope::Touched(touched),
        Some(cutoff),
        None,
        as_of,
        kids,
        |rep| f(rep.task),
    )
}

/// One task as it stood at `cutoff` (`show --as-of`), by the same replay as every other
/// view; `None` when it had not taken effect yet.
pub fn replay_task(
    conn: &Connection,
    id: i64,
    cutoff: &str,
    as_of: NaiveDate,
) -> Result<Option<Replayed>> {
    // Only a task that has or ever had sub-tasks needs their progress: the others skip the
    // rollup, which reads the history of every sub-task in the ledger.
    let parent: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM task WHERE parent_id = ?1)
             OR EXISTS (SELECT 1 FROM history WHERE field = 'parent_id'
                        AND (new = ?2 OR old = ?2))",
        rusqlite::params![id, id.to_string()],
        |r| r.get(0),
    )?;
    let kids = if parent {
        rollup_scoped(conn, Some(cutoff), Some(id), None)?
    } else {
        Rollup::new()
    };
    let mut out = None;
    replay_some(
        conn,
        Scope::One(id),
        Some(cutoff),
        None,
        as_of,
        &kids,
        |rep| {
            out = Some(rep);
            Ok(())
        },
    )?;
    Ok(out)
}

/// The tasks that can have been related to task `id` at `cutoff` through `field` (a link or a
/// parent): those related now (`now`, a query on ?1) and those whose `field` row moved away
/// from `id` after the cut-off (`old` = id), read from the partial index history_field alone,
/// whose condition is stated so that SQLite may use it. In id order.
fn related_then(
    conn: &Connection,
    now: &str,
    field: &str,
    id: i64,
    cutoff: &str,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{now}
         UNION SELECT task_id FROM history
         WHERE field = ?4 AND field NOT IN ('created', 'note', 'progress')
           AND coalesce(effective, at) > ?2 || '~' AND old = ?3
         ORDER BY 1"
    ))?;
    let ids = stmt
        .query_map(rusqlite::params![id, cutoff, id.to_string(), field], |r| {
            r.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The tasks that addressed shortcoming `id` at `cutoff` (`show --as-of`), in id order. Only
/// those that address it now (table link) or removed a link to it after the cut-off (an
/// 'addresses' row with `old` = id, read from the index history_field alone) can have; each
/// one's link rows up to the cut-off are replayed in order, as `apply` does.
pub fn addressed_by_at(conn: &Connection, id: i64, cutoff: &str) -> Result<Vec<i64>> {
    let candidates = related_then(
        conn,
        "SELECT task_id FROM link WHERE shortcoming_id = ?1",
        "addresses",
        id,
        cutoff,
    )?;
    let mut rows = conn.prepare(
        "SELECT old, new FROM history
         WHERE task_id = ?1 AND field = 'addresses' AND (old = ?3 OR new = ?3)
           AND coalesce(effective, at) <= ?2 || '~'
         ORDER BY id",
    )?;
    let mut out = Vec::new();
    for task in candidates {
        let mut linked = false;
        let links = rows.query_map(rusqlite::params![task, cutoff, id.to_string()], |r| {
            Ok(r.get::<_, Option<String>>(1)?.is_some())
        })?;
        for added in links {
            linked = added?;
        }
        if linked {
            out.push(task);
        }
    }
    Ok(out)
}

/// The sub-tasks task `id` had at `cutoff`, as they stood then, in id order (`show --as-of`).
/// Only its sub-tasks now and those moved away from it after the cut-off (a parent_id row
/// with `old` = id, from the index history_field alone) can have been; each is replayed.
pub fn children_at(
    conn: &Connection,
    id: i64,
    cutoff: &str,
    as_of: NaiveDate,
) -> Result<Vec<Task>> {
    let candidates = related_then(
        conn,
        "SELECT id FROM task WHERE parent_id = ?1",
        "parent_id",
        id,
        cutoff,
    )?;
    let mut out = Vec::new();
    for c in candidates {
        if let Some(rep) = replay_task(conn, c, cutoff, as_of)? {
            if rep.task.parent_id == Some(id) {
                out.push(rep.task);
            }
        }
    }
    Ok(out)
}

/// Which tasks `replay_some` replays.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    All,
    One(i64),
    /// Those with a history row after the cut-off.
    Touched(&'a Touched),
}

/// `replay_each`, for every task, for one, or for those changed after the cut-off.
fn replay_some(
    conn: &Connection,
    scope: Scope,
    cutoff: Option<&str>,
    window_start: Option<&str>,
    as_of: NaiveDate,
    kids: &Rollup,
    mut f: impl FnMut(Replayed) -> Result<()>,
) -> Result<()> {
    // Rows are read in id order per task, which is their (effective, id) order for every row
    // that changes a field: the writer refuses a change that would take effect before one
    // made earlier (db::Writer::effective) and the upgrade to version 6 repaired old ledgers
    // the same way. Only progress notes may take effect out of id order, and the latest note
    // is picked by (effective, id) below. This keeps the read in index order, without sorting
    // the whole history.
    // One task's rows are found by the history_task index; all tasks' rows are read in it.
    let (which, task, ids) = match scope {
        Scope::All => ("?2 IS NULL AND ?3 IS NULL", None, None),
        Scope::One(id) => ("task_id = ?2 AND ?3 IS NULL", Some(id), None),
        Scope::Touched(t) => (
            "?2 IS NULL AND task_id IN rarray(?3)",
            None,
            Some(t.param()),
        ),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT task_id, field, old, new, note, at, id, coalesce(effective, at) FROM history
         WHERE {which} AND (?1 IS NULL OR coalesce(effective, at) <= ?1 || '~')
         ORDER BY task_id, id"
    ))?;
    let mut rows = stmt.query(rusqlite::params![cutoff, task, ids])?;
    let mut current: Option<Replayed> = None;
    // The (effective wall-clock time, row id) of the current task's latest note.
    let mut latest_note_key: Option<(String, i64)> = None;
    let finish = |rep: Replayed, f: &mut dyn FnMut(Replayed) -> Result<()>| -> Result<()> {
        let mut rep = rep;
        kids.apply(&mut rep.task);
        let t = &mut rep.task;
        t.overdue = is_overdue(t.deadline, t.status, as_of);
        f(rep)
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let field = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let new: Option<String> = r.get(3)?;
        let note: Option<String> = r.get(4)?;
        let at = r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
        let effective = r.get_ref(7)?.as_str().map_err(rusqlite::Error::from)?;
        if field == "created" {
            if let Some(done) = current.take() {
                finish(done, &mut f)?;
            }
            let json = new.ok_or_else(|| bad(id, "a creation row without fields"))?;
            let t: NewTask =
                serde_json::from_str(&json).map_err(|e| bad(id, &format!("creation row: {e}")))?;
            latest_note_key = note
                .is_some()
                .then(|| {
                    Ok::<_, rusqlite::Error>((wall(effective).to_string(), r.get::<_, i64>(6)?))
                })
                .transpose()?;
            let mut rep = created(id, t, at, note);
            note_window(&mut rep, effective, window_start);
            current = Some(rep);
            continue;
        }
        let rep = match current.as_mut() {
            Some(rep) if rep.task.id == id => rep,
            _ => {
                return Err(bad(
                    id,
                    &format!("a '{field}' row before the task's creation"),
                ))
            }
        };
        // The buffer is reused: this runs once per history row.
        rep.task.updated_at.clear();
        rep.task.updated_at.push_str(at);
        if note
            .as_deref()
            .is_some_and(crate::model::rules::is_progress_note)
        {
            let key = (wall(effective).to_string(), r.get::<_, i64>(6)?);
            if latest_note_key.as_ref().is_none_or(|k| *k <= key) {
                rep.latest_note = note;
                latest_note_key = Some(key);
            }
        }
        apply(rep, field, r.get::<_, Option<String>>(2)?, new).map_err(|e| bad(id, &e))?;
        // A ref given after creation takes effect at the creation but comes last in id order
        // (db::refs): it changes no status, so it says nothing of the window, and taking it
        // for the state at the window's start would drop a task finished inside the window.
        if field != super::refs::FIELD {
            note_window(rep, effective, window_start);
        }
    }
    if let Some(done) = current.take() {
        finish(done, &mut f)?;
    }
    Ok(())
}

/// One history row of a task that is not in the ledger yet, borrowed from where it was read.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub note: Option<&'a str>,
    pub at: &'a str,
}

/// Replays one task from its rows, in order, by the same rules as `replay_each`: a bulk import
/// proves with it that a file's history gives the fields the file states, before writing
/// anything. The first row must be the creation and no other row may be one. `before` sees the
/// task as it stands before each later row, and may refuse the row.
pub fn replay_rows<'a>(
    id: i64,
    rows: impl IntoIterator<Item = RowRef<'a>>,
    mut before: impl FnMut(&Replayed, &RowRef<'a>) -> std::result::Result<(), String>,
) -> Result<Replayed> {
    let mut current: Option<Replayed> = None;
    for r in rows {
        if r.field == "created" {
            if current.is_some() {
                return Err(bad(id, "a second creation row"));
            }
            let json = r
                .new
                .ok_or_else(|| bad(id, "a creation row without fields"))?;
            let t: NewTask =
                serde_json::from_str(json).map_err(|e| bad(id, &format!("creation row: {e}")))?;
            current = Some(created(id, t, r.at, r.note.map(str::to_string)));
            continue;
        }
        let Some(rep) = current.as_mut() else {
            return Err(bad(
                id,
                &format!("a '{}' row before the task's creation", r.field),
            ));
        };
        before(rep, &r).map_err(|e| bad(id, &e))?;
        rep.task.updated_at.clear();
        rep.task.updated_at.push_str(r.at);
        if let Some(n) = r.note.filter(|n| crate::model::rules::is_progress_note(n)) {
            rep.latest_note = Some(n.to_string());
        }
        apply(
            rep,
            r.field,
            r.old.map(str::to_string),
            r.new.map(str::to_string),
        )
        .map_err(|e| bad(id, &e))?;
    }
    current.ok_or_else(|| bad(id, "no creation row"))
}

/// Updates the window flags after a row at `at` has been applied.
fn note_window(rep: &mut Replayed, at: &str, window_start: Option<&str>) {
    let in_window = window_start.is_none_or(|w| wall(at) >= w);
    if in_window {
        if !rep.task.status.is_closed() {
            rep.open_in_window = true;
        }
    } else {
        // Before the window: what holds at its start is the state after the latest such row.
        rep.open_in_window = !rep.task.status.is_closed();
        rep.cancelled_before_window = rep.task.status == Status::Cancelled;
    }
}

fn wall(at: &str) -> &str {
    at.get(..19).unwrap_or(at)
}

fn bad(id: i64, what: &str) -> Error {
    Error::Corrupt(format!(
        "the history of task #{id} cannot be replayed: {what}"
    ))
}

pub(crate) fn created(id: i64, t: NewTask, at: &str, note: Option<String>) -> Replayed {
    Replayed {
        task: Task {
            id,
            reference: t.reference,
            kind: t.kind,
            title: t.title,
            body: t.body,
            area: t.area,
            outline_area: t.outline_area,
            owner: t.owner,
            co_owners: t.co_owners,
            person: t.person,
            contact: t.contact,
            status: t.status,
            progress: t.progress,
            own_progress: t.progress,
            deadline: t.deadline,
            deadline_text: t.deadline_text,
            year: t.year,
            parent_id: t.parent_id,
            document_id: t.document_id,
            created_at: at.to_string(),
            updated_at: at.to_string(),
            completed_at: t.completed_at,
            overdue: false,
        },
        addresses: BTreeSet::new(),
        latest_note: note,
        open_in_window: false,
        cancelled_before_window: false,
    }
}

fn parse<T: std::str::FromStr>(v: &Option<String>, field: &str) -> std::result::Result<T, String>
where
    T::Err: std::fmt::Display,
{
    let s = v
        .as_deref()
        .ok_or_else(|| format!("'{field}' set to nothing"))?;
    s.parse::<T>()
        .map_err(|e| format!("'{field}' value '{s}': {e}"))
}

fn parse_opt<T: std::str::FromStr>(
    v: &Option<String>,
    field: &str,
) -> std::result::Result<Option<T>, String>
where
    T::Err: std::fmt::Display,
{
    match v {
        None => Ok(None),
        Some(_) => parse(v, field).map(Some),
    }
}

/// Applies one history row to a replayed task.
fn apply(
    rep: &mut Replayed,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> std::result::Result<(), String> {
    if let Some(f) = Field::from_name(field) {
        return f.set(&mut rep.task, new);
    }
    match field {
        "addresses" => match (&old, &new) {
            (None, Some(_)) => {
                rep.addresses.insert(parse(&new, field)?);
            }
            (Some(_), None) => {
                rep.addresses.remove(&parse::<i64>(&old, field)?);
            }
            _ => return Err("an 'addresses' row must add or remove one link".into()),
        },
        // A progress note changes no field; its text was taken above.
        "note" => {}
        // A ref given after the task's creation (db::refs: the upgrade to version 15, a
        // ledger file's task without one).
        super::refs::FIELD => rep.task.reference = new,
        // The mark a merge leaves on each task it brought in (the unit `undo` takes back):
        // it changes no field.
        "imported" => {}
        // Extension requests, decisions and evidence are events: they change no field (an
        // approval moves the deadline by a deadline row of its own).
        f if crate::model::events::is_event(f) => {}
        other => return Err(format!("unknown field '{other}'")),
    }
    Ok(())
}

/// The sub-tasks' progress per parent as it stood at `cutoff`, from a light replay that reads
/// only the fields it needs: the first pass of a streamed export, which must know a parent's
/// rolled-up progress before its sub-tasks come by.
pub fn rollup_at(conn: &Connection, cutoff: Option<&str>) -> Result<Rollup> {
    rollup_scoped(conn, cutoff, None, None)
}

/// `rollup_at` for `tasks_at`: a sub-task with no history row after the cut-off stood then as
/// its current row says, so those are summed from the task table, and only the sub-tasks
/// with a row after it are replayed (lightly).
pub fn rollup_fast(conn: &Connection, cutoff: &str, touched: &Touched) -> Result<Rollup> {
    let mut out = rollup_scoped(conn, Some(cutoff), None, Some(touched))?;
    out.add_untouched(conn, touched)?;
    Ok(out)
}

impl Rollup {
    /// Adds the sub-tasks with no row after the cut-off, summed from their current rows:
    /// with `Rollup::add` of each replayed touched task, the roll-up at the cut-off without a
    /// second read of the touched tasks' history (`report` and `warn --as-of`).
    pub fn add_untouched(&mut self, conn: &Connection, touched: &Touched) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT parent_id, sum(progress), count(*) FROM task
             WHERE parent_id IS NOT NULL AND status <> 'cancelled'
               AND id NOT IN rarray(?1)
             GROUP BY parent_id",
        )?;
        let mut rows = stmt.query([touched.param()])?;
        while let Some(r) = rows.next()? {
            let e = self.0.entry(r.get(0)?).or_default();
            e.0 += r.get::<_, u32>(1)?;
            e.1 += r.get::<_, u32>(2)?;
        }
        Ok(())
    }
}

/// `rollup_at`, for every parent or for one (`show --as-of` of a parent). A task can have
/// been a sub-task of `parent` at the cut-off only if it is one now or a parent_id row of its
/// history names `parent` (as new or old parent): only those tasks' history is read, so one
/// parent does not replay every sub-task of the ledger.
/// With `touched`, only the tasks with a history row after the cut-off are replayed
/// (`rollup_fast` sums the others from their rows).
fn rollup_scoped(
    conn: &Connection,
    cutoff: Option<&str>,
    parent: Option<i64>,
    touched: Option<&Touched>,
) -> Result<Rollup> {
    #[derive(serde::Deserialize)]
    struct Light {
        status: Status,
        progress: u8,
        #[serde(default)]
        parent_id: Option<i64>,
    }
    // Only tasks that are sub-tasks now, or ever changed parent, can have been sub-tasks at
    // the cut-off (a task created under a parent is a sub-task now unless a parent_id row
    // moved it): their history is all that is read.
    let kids = if touched.is_some() {
        // The parent parameters are unused here but still bound.
        "SELECT value FROM rarray(?4) WHERE ?2 IS NULL AND ?3 IS NULL"
    } else {
        "SELECT id FROM task WHERE parent_id IS NOT NULL AND (?2 IS NULL OR parent_id = ?2)
             UNION SELECT task_id FROM history WHERE field = 'parent_id'
                 AND (?2 IS NULL OR new = ?3 OR old = ?3) AND ?4 IS NULL"
    };
    let mut stmt = conn.prepare(&format!(
        "WITH kids(id) AS ({kids})
         SELECT h.task_id, h.field, h.new FROM history h WHERE h.task_id IN kids
           AND h.field IN ('created', 'status', 'progress', 'parent_id')
           AND (?1 IS NULL OR coalesce(h.effective, h.at) <= ?1 || '~')
         ORDER BY h.task_id, h.id"
    ))?;
    let mut rows = stmt.query(rusqlite::params![
        cutoff,
        parent,
        parent.map(|p| p.to_string()),
        touched.map(Touched::param)
    ])?;
    let mut out = Rollup::new();
    let mut current: Option<(i64, Light)> = None;
    let flush = |c: &Option<(i64, Light)>, out: &mut Rollup| {
        if let Some((_, l)) = c {
            if let (Some(p), false) = (l.parent_id, l.status == Status::Cancelled) {
                let e = out.0.entry(p).or_default();
                e.0 += u32::from(l.progress);
                e.1 += 1;
            }
        }
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let field: String = r.get(1)?;
        let new: Option<String> = r.get(2)?;
        if field == "created" {
            flush(&current, &mut out);
            let json = new.ok_or_else(|| bad(id, "a creation row without fields"))?;
            let l: Light =
                serde_json::from_str(&json).map_err(|e| bad(id, &format!("creation row: {e}")))?;
            current = Some((id, l));
            continue;
        }
        let Some((cid, l)) = current.as_mut() else {
            continue;
        };
        if *cid != id {
            continue;
        }
        match field.as_str() {
            "status" => l.status = parse(&new, "status").map_err(|e| bad(id, &e))?,
            "progress" => l.progress = parse(&new, "progress").map_err(|e| bad(id, &e))?,
            _ => l.parent_id = parse_opt(&new, "parent_id").map_err(|e| bad(id, &e))?,
        }
    }
    flush(&current, &mut out);
    Ok(out)
}

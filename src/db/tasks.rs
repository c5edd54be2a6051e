//! Queries on tasks and links.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{tally, Writer};
use crate::model::field::{Column, Field, Stored, Written};
use crate::model::{is_overdue, Kind, Status, Task};
use crate::{Error, Result};
use rusqlite::ToSql;
use std::collections::BTreeSet;

/// The columns every task query selects: every `Column` in `Column::ALL` order as `t.<name>`
/// (so `task_from_row` reads a column at its index), then the shown progress. The shown
/// progress of a task with sub-tasks is the rounded mean of its sub-tasks that are not
/// cancelled; the partial index on parent_id keeps that lookup cheap. It prints as the text
/// of the list, built once per process, so `format!("SELECT {TASK_COLUMNS} …")` reads as before.
pub static TASK_COLUMNS: TaskColumns = TaskColumns;

/// The selected column list; see `TASK_COLUMNS`.
pub struct TaskColumns;

impl TaskColumns {
    /// The list as SQL text.
    pub fn as_str(&self) -> &'static str {
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        SQL.get_or_init(|| {
            let mut cols: Vec<String> = Column::ALL
                .iter()
                .map(|c| format!("t.{}", c.name()))
                .collect();
            cols.push(
                "COALESCE((SELECT CAST(ROUND(AVG(c.progress)) AS INTEGER) FROM task c
              WHERE c.parent_id = t.id AND c.status <> 'cancelled'), t.progress) AS shown_progress"
                    .to_string(),
            );
            cols.join(", ")
        })
    }
}

/// Lets code that took the list as a `&str` (`&TASK_COLUMNS`, `.split(…)`) read it unchanged.
impl std::ops::Deref for TaskColumns {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for TaskColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The index of the shown progress in a row selected with `TASK_COLUMNS`: after every column.
const SHOWN_PROGRESS: usize = Column::ALL.len();

pub fn task_from_row(r: &Row<'_>, as_of: NaiveDate) -> rusqlite::Result<Task> {
    use Column as C;
    let co: String = r.get(C::CoOwners.index())?;
    let status: Status = r.get(C::Status.index())?;
    let deadline: Option<NaiveDate> = r.get(C::Deadline.index())?;
    Ok(Task {
        id: r.get(C::Id.index())?,
        reference: r.get(C::Ref.index())?,
        kind: r.get(C::Kind.index())?,
        title: r.get(C::Title.index())?,
        body: r.get(C::Body.index())?,
        area: r.get(C::Area.index())?,
        outline_area: r.get(C::OutlineArea.index())?,
        owner: r.get(C::Owner.index())?,
        co_owners: serde_json::from_str(&co).unwrap_or_default(),
        person: r.get(C::Person.index())?,
        contact: r.get(C::Contact.index())?,
        status,
        progress: r.get(SHOWN_PROGRESS)?,
        own_progress: r.get(C::Progress.index())?,
        deadline,
        deadline_text: r.get(C::DeadlineText.index())?,
        year: r.get(C::Year.index())?,
        parent_id: r.get(C::ParentId.index())?,
        document_id: r.get(C::DocumentId.index())?,
        created_at: r.get(C::CreatedAt.index())?,
        updated_at: r.get(C::UpdatedAt.index())?,
        completed_at: r.get(C::CompletedAt.index())?,
        overdue: is_overdue(deadline, status, as_of),
    })
}

/// A task to create: what `add` and `import` give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none", default)]
    pub reference: Option<String>,
    pub kind: Kind,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub outline_area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub co_owners: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub person: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub contact: Option<String>,
    pub status: Status,
    pub progress: u8,
    pub deadline: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub deadline_text: Option<String>,
    pub year: i32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub completed_at: Option<String>,
}

/// Inserts a task and records its creation as one history row holding its initial fields.
pub fn insert(w: &Writer, t: &NewTask, note: Option<&str>) -> Result<i64> {
    if let Some(p) = t.parent_id {
        require(w.conn(), p)?;
    }
    let parent: BTreeSet<i64> = t.parent_id.into_iter().collect();
    let id = tally::around(w.conn(), parent, || {
        let id = insert_row(w, t, note)?;
        Ok((id, vec![id]))
    })?;
    // A new sub-task can change what its parent's status derives to.
    if let Some(p) = t.parent_id {
        settle(w, p)?;
    }
    Ok(id)
}

fn insert_row(w: &Writer, t: &NewTask, note: Option<&str>) -> Result<i64> {
    // A task without a ref (added by hand, or a source that gives none) gets `<year>-T<n>`
    // now, in its creation row too, so that every export names it the same way (db::refs).
    let numbered;
    let t = if t.reference.is_none() {
        numbered = NewTask {
            reference: Some(super::refs::next(w.conn(), t.year)?),
            ..t.clone()
        };
        &numbered
    } else {
        t
    };
    let co_json = serde_json::to_string(&t.co_owners)?;
    let co = co_json.as_str();
    let at = w.at();
    let mut stmt = w.conn().prepare_cached(insert_sql())?;
    let values = Column::ALL
        .iter()
        .filter(|c| c.written() != Written::Auto)
        .map(|&c| inserted(c, t, &co, &at));
    stmt.execute(rusqlite::params_from_iter(values))
        .map_err(|e| unique_ref_error(e, t.reference.as_deref()))?;
    let id = w.conn().last_insert_rowid();
    w.log(id, "created", None, Some(&serde_json::to_string(t)?), note)?;
    Ok(id)
}

/// `INSERT INTO task(<every column but the row id>) VALUES (?1…)`, in `Column::ALL` order.
/// Built once per process.
fn insert_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let cols: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.written() != Written::Auto)
            .map(|c| c.name())
            .collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO task({}) VALUES ({})",
            cols.join(", "),
            marks.join(", ")
        )
    })
}

/// The value a new task gives a column; `co` is its co-owners as JSON and `at` the time of
/// the command. Borrowed, so binding a row allocates nothing beyond the JSON.
fn inserted<'a>(c: Column, t: &'a NewTask, co: &'a &'a str, at: &'a &'a str) -> &'a dyn ToSql {
    match c {
        Column::Id => &rusqlite::types::Null,
        Column::Ref => &t.reference,
        Column::Kind => &t.kind,
        Column::Title => &t.title,
        Column::Body => &t.body,
        Column::Area => &t.area,
        Column::OutlineArea => &t.outline_area,
        Column::Owner => &t.owner,
        Column::CoOwners => co,
        Column::Person => &t.person,
        Column::Contact => &t.contact,
        Column::Status => &t.status,
        Column::Progress => &t.progress,
        Column::Deadline => &t.deadline,
        Column::DeadlineText => &t.deadline_text,
        Column::Year => &t.year,
        Column::ParentId => &t.parent_id,
        Column::DocumentId => &t.document_id,
        Column::CreatedAt | Column::UpdatedAt => at,
        Column::CompletedAt => &t.completed_at,
    }
}

fn unique_ref_error(e: rusqlite::Error, reference: Option<&str>) -> Error {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e {
        if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("task.ref") {
            return Error::conflict(crate::msg!(
                "task.ref_taken",
                reference = reference.unwrap_or_default()
            ));
        }
    }
    Error::Sqlite(e)
}

/// Fails with `NoSuchTask` unless the task exists.
pub fn require(conn: &Connection, id: i64) -> Result<()> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT id FROM task WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(Error::NoSuchTask(id))
}

/// The ids from `first` to `last` (both included) that name no task, in order.
pub fn missing_ids(conn: &Connection, first: i64, last: i64) -> Result<Vec<i64>> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM task WHERE id BETWEEN ?1 AND ?2")?
        .query_row([first, last], |r| r.get(0))?;
    if n == last - first + 1 {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached("SELECT id FROM task WHERE id BETWEEN ?1 AND ?2")?;
    let have: std::collections::HashSet<i64> = stmt
        .query_map([first, last], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((first..=last).filter(|id| !have.contains(id)).collect())
}

/// The tasks a ref names, as (id, ref): the task with exactly that ref, else every task whose
/// ref is it plus a document suffix ("#D3" as import adds, or "-天宁"). Both are range scans
/// of the ref's unique index.
pub fn ids_by_ref(conn: &Connection, r: &str) -> Result<Vec<(i64, String)>> {
    let exact: Option<i64> = conn
        .prepare_cached("SELECT id FROM task WHERE ref = ?1")?
        .query_row([r], |row| row.get(0))
        .optional()?;
    if let Some(id) = exact {
        return Ok(vec![(id, r.to_string())]);
    }
    // '$' and '.' are the characters right after '#' and '-': each pair bounds the refs that
    // start with the ref and that separator.
    let mut stmt = conn.prepare_cached(
        "SELECT id, ref FROM task WHERE (ref >= ?1 || '#' AND ref < ?1 || '$')
            OR (ref >= ?1 || '-' AND ref < ?1 || '.') ORDER BY id LIMIT 50",
    )?;
    let rows = stmt.query_map([r], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One task by id.
pub fn get(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Task> {
    let sql = format!("SELECT {TASK_COLUMNS} FROM task t WHERE t.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], |r| task_from_row(r, as_of))
        .optional()?
        .ok_or(Error::NoSuchTask(id))
}

/// The direct sub-tasks of a task, in id order.
pub fn children(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Vec<Task>> {
    related(conn, "FROM task t WHERE t.parent_id = ?1", id, as_of)
}

/// The shortcomings a task addresses.
pub fn addresses(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Vec<Task>> {
    related(
        conn,
        "FROM link l JOIN task t ON t.id = l.shortcoming_id WHERE l.task_id = ?1",
        id,
        as_of,
    )
}

/// The tasks that address a shortcoming.
pub fn addressed_by(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Vec<Task>> {
    related(
        conn,
        "FROM link l JOIN task t ON t.id = l.task_id WHERE l.shortcoming_id = ?1",
        id,
        as_of,
    )
}

/// The tasks `from` (a FROM/JOIN/WHERE clause binding `?1` to `id`) finds, in id order.
fn related(conn: &Connection, from: &str, id: i64, as_of: NaiveDate) -> Result<Vec<Task>> {
    let sql = format!("SELECT {TASK_COLUMNS} {from} ORDER BY t.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([id], |r| task_from_row(r, as_of))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether making `parent` the parent of `child` would close a loop: true when `child` is
/// `parent` itself or one of its ancestors.
pub fn would_cycle(conn: &Connection, child: i64, parent: i64) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE up(id) AS (
             SELECT ?1
             UNION SELECT t.parent_id FROM task t JOIN up ON t.id = up.id
             WHERE t.parent_id IS NOT NULL)
         SELECT EXISTS (SELECT 1 FROM up WHERE id = ?2)",
    )?;
    Ok(stmt.query_row([parent, child], |r| r.get(0))?)
}

/// What `update` may change; kept in model/ with the rules that apply it.
pub use crate::model::rules::Changes;

/// Applies `changes` to one task inside the write transaction: reads the current row, works out
/// the new one, writes every changed column and one history row per changed field. Returns the
/// names of the fields that changed (empty when the change changes nothing).
pub fn update(
    w: &Writer,
    id: i64,
    c: &Changes,
    note: Option<&str>,
    as_of: NaiveDate,
) -> Result<Vec<&'static str>> {
    let old_parent = parent_of(w.conn(), id)?;
    let fields = update_plain(w, id, c, note, as_of)?;
    // The parents' statuses follow their sub-tasks: after a change of status or progress,
    // or a move, each parent up the tree (and the one moved away from) is brought in line.
    if fields
        .iter()
        .any(|f| matches!(*f, "status" | "progress" | "parent_id"))
    {
        if let Some(p) = parent_of(w.conn(), id)? {
            settle(w, p)?;
        }
        if let Some(p) = old_parent.filter(|p| Some(*p) != parent_of(w.conn(), id).ok().flatten()) {
            settle(w, p)?;
        }
    }
    Ok(fields)
}

/// `update` without bringing the parents in line.
fn update_plain(
    w: &Writer,
    id: i64,
    c: &Changes,
    note: Option<&str>,
    as_of: NaiveDate,
) -> Result<Vec<&'static str>> {
    require(w.conn(), id)?;
    let mut moved = tally::affected(w.conn(), id)?;
    moved.extend(c.parent_id);
    tally::around(w.conn(), moved, || {
        update_row(w, id, c, note, as_of).map(|f| (f, Vec::new()))
    })
}

/// Brings the status of `id` and of each of its ancestors in line with their sub-tasks
/// (model::rules::derived_status), each change a status row with `DERIVED_NOTE`. It stops at
/// the first one that is already in line: what an ancestor derives depends only on its
/// sub-tasks' statuses.
pub fn settle(w: &Writer, id: i64) -> Result<()> {
    let mut next = Some(id);
    // The tree has no cycle (every parent is checked), so the walk ends at a root; the bound
    // only guards against a ledger damaged behind taizhang's back.
    for _ in 0..100_000 {
        let Some(p) = next else {
            return Ok(());
        };
        // The as-of day only decides `overdue`, which no write reads.
        let day = NaiveDate::default();
        let changed = w.leniently(|| {
            update_plain(
                w,
                p,
                &Changes::default(),
                Some(crate::model::rules::DERIVED_NOTE),
                day,
            )
        })?;
        if changed.is_empty() {
            return Ok(());
        }
        next = parent_of(w.conn(), p)?;
    }
    Ok(())
}

/// Who last marked a task done (the actor of its latest status row to done), if anyone.
pub fn done_by(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT actor FROM history WHERE task_id = ?1 AND field = 'status' AND new = 'done'
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()?)
}

/// The parent of a task, if it has one.
pub fn parent_of(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT parent_id FROM task WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten())
}

/// The statuses of a task's direct sub-tasks.
pub fn sub_statuses(conn: &Connection, id: i64) -> Result<Vec<Status>> {
    let mut stmt = conn.prepare_cached("SELECT status FROM task WHERE parent_id = ?1")?;
    let rows = stmt.query_map([id], |r| r.get::<_, Status>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of a task's direct sub-tasks that are still open (todo, doing or blocked).
pub fn open_sub_tasks(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM task WHERE parent_id = ?1 AND status IN ('todo', 'doing', 'blocked')
         ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn update_row(
    w: &Writer,
    id: i64,
    c: &Changes,
    note: Option<&str>,
    as_of: NaiveDate,
) -> Result<Vec<&'static str>> {
    let old = get(w.conn(), id, as_of)?;
    if let Some(p) = c.parent_id {
        require(w.conn(), p)?;
        crate::model::rules::parent(id, p, would_cycle(w.conn(), id, p)?)?;
    }
    // A parent with sub-tasks that count takes its status from them unless one is given
    // (the command layer refuses a status by hand while any sub-task is open).
    let derived = if c.status.is_none() {
        crate::model::rules::derived_status(sub_statuses(w.conn(), id)?)
    } else {
        None
    };
    let new = match derived {
        Some(s) => {
            let c = Changes {
                status: Some(s),
                ..c.clone()
            };
            crate::model::rules::apply(&old, &c, w.at())
        }
        None => crate::model::rules::apply(&old, c, w.at()),
    };

    let changed: Vec<(Field, Option<String>, Option<String>)> = Field::ALL
        .iter()
        .map(|&f| (f, f.text(&old), f.text(&new)))
        .filter(|(_, o, n)| o != n)
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    // Every changeable column is written (the unchanged ones with their own value), so that
    // one cached statement serves every update.
    let mut values: Vec<Value> = Field::ALL.iter().map(|&f| stored(f, &new)).collect();
    values.push(Value::Integer(id));
    values.push(Value::Text(w.at().to_string()));
    w.conn()
        .prepare_cached(update_sql())?
        .execute(rusqlite::params_from_iter(values))?;
    for (field, o, n) in &changed {
        w.log(id, field.name(), o.as_deref(), n.as_deref(), note)?;
    }
    Ok(changed.iter().map(|(f, _, _)| f.name()).collect())
}

/// `UPDATE task SET <every changeable column>, updated_at WHERE id`, with the columns in the
/// order of `Field::ALL` as ?1…?12, then the id and the time. Built once per process.
fn update_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let n = Field::ALL.len();
        let sets: Vec<String> = Field::ALL
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} = ?{}", f.column(), i + 1))
            .collect();
        format!(
            "UPDATE task SET {}, updated_at = ?{} WHERE id = ?{}",
            sets.join(", "),
            n + 2,
            n + 1
        )
    })
}

/// A field's value of a task as its column holds it.
fn stored(f: Field, t: &Task) -> Value {
    match (f.text(t), f.stored()) {
        (None, _) => Value::Null,
        (Some(s), Stored::Integer) => s.parse().map_or(Value::Text(s), Value::Integer),
        (Some(s), _) => Value::Text(s),
    }
}

/// Records a progress note: a history row that changes no field.
pub fn note(w: &Writer, id: i64, text: &str) -> Result<()> {
    require(w.conn(), id)?;
    w.log(id, "note", None, None, Some(text))?;
    w.conn()
        .prepare_cached("UPDATE task SET updated_at = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![id, w.at()])?;
    Ok(())
}

/// Links a task to the shortcoming it addresses. Returns false when the link already existed.
pub fn link(w: &Writer, id: i64, shortcoming: i64, as_of: NaiveDate) -> Result<bool> {
    crate::model::rules::link_source(id, shortcoming)?;
    require(w.conn(), id)?;
    let target = get(w.conn(), shortcoming, as_of)?;
    crate::model::rules::link_target(shortcoming, target.kind)?;
    w.require_existed(shortcoming)?;
    let n = w
        .conn()
        .prepare_cached(
            "INSERT OR IGNORE INTO link(task_id, shortcoming_id, created_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(rusqlite::params![id, shortcoming, w.at()])?;
    if n == 0 {
        return Ok(false);
    }
    w.log(id, "addresses", None, Some(&shortcoming.to_string()), None)?;
    Ok(true)
}

/// Removes a link. Returns false when there was none.
pub fn unlink(w: &Writer, id: i64, shortcoming: i64) -> Result<bool> {
    require(w.conn(), id)?;
    require(w.conn(), shortcoming)?;
    w.require_existed(shortcoming)?;
    let n = w
        .conn()
        .prepare_cached("DELETE FROM link WHERE task_id = ?1 AND shortcoming_id = ?2")?
        .execute([id, shortcoming])?;
    if n == 0 {
        return Ok(false);
    }
    w.log(id, "addresses", Some(&shortcoming.to_string()), None, None)?;
    Ok(true)
}

/// Which tasks of which units and person `list`, `report`, `warn` and `export` take: each
/// part given must match (and within `leads`, any one name).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Unit names of which one must be the lead or a supporting unit (every name of each
    /// `--owner` unit, from the register); empty means any.
    pub owners: Vec<String>,
    /// Names of lead units (牵头单位); empty means any.
    pub leads: Vec<String>,
    /// The responsible person (责任人), exactly as stored.
    pub person: Option<String>,
}

/// A scope as SQL: a condition on the task alias `t` and its parameters, numbered from the
/// index the caller gave, so that it can join a statement that has parameters of its own.
pub struct ScopeSql {
    pub clause: String,
    pub params: Vec<Value>,
}

impl Scope {
    /// Whether the scope takes every task.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty() && self.leads.is_empty() && self.person.is_none()
    }

    /// Whether a task (a current row or one replayed to a day) is in the scope.
    pub fn matches(&self, t: &Task) -> bool {
        (self.owners.is_empty()
            || t.owner.as_ref().is_some_and(|o| self.owners.contains(o))
            || t.co_owners.iter().any(|c| self.owners.contains(c)))
            && (self.leads.is_empty() || t.owner.as_ref().is_some_and(|o| self.leads.contains(o)))
            && self
                .person
                .as_ref()
                .is_none_or(|p| t.person.as_ref() == Some(p))
    }

    /// The scope as one SQL condition on `t`, its parameters numbered from `first`; `None`
    /// when it takes every task.
    pub fn sql(&self, first: usize) -> Option<ScopeSql> {
        if self.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        let mark = |v: &str, params: &mut Vec<Value>| {
            params.push(Value::Text(v.to_string()));
            format!("?{}", first + params.len() - 1)
        };
        if !self.owners.is_empty() {
            // The index of tasks by unit (db/units.rs) answers from its primary key.
            let marks: Vec<String> = self.owners.iter().map(|n| mark(n, &mut params)).collect();
            parts.push(format!(
                "t.id IN (SELECT task_id FROM task_unit WHERE name IN ({}))",
                marks.join(", ")
            ));
        }
        if !self.leads.is_empty() {
            let marks: Vec<String> = self.leads.iter().map(|n| mark(n, &mut params)).collect();
            parts.push(format!("t.owner IN ({})", marks.join(", ")));
        }
        if let Some(p) = &self.person {
            parts.push(format!("t.person = {}", mark(p, &mut params)));
        }
        Some(ScopeSql {
            clause: format!("({})", parts.join(" AND ")),
            params,
        })
    }
}

/// Which tasks `list` and `report` take.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<Status>,
    pub kind: Option<Kind>,
    /// Which units and person the tasks belong to (also taken by `warn` and `export`).
    pub scope: Scope,
    pub area: Option<String>,
    pub year: Option<i32>,
    pub overdue: bool,
    pub due_within: Option<u32>,
    pub parent: Option<i64>,
    pub search: Option<String>,
    /// Only tasks imported from this document.
    pub document: Option<i64>,
}

impl Filter {
    /// Whether a task (as replayed to a day, for `--as-of`) passes the filter: the same
    /// conditions as `where_clause`, on a task in memory.
    pub fn matches(&self, t: &Task, as_of: NaiveDate) -> bool {
        let open = !t.status.is_closed();
        (self.statuses.is_empty() || self.statuses.contains(&t.status))
            && self.kind.is_none_or(|k| k == t.kind)
            && self.scope.matches(t)
            && self
                .area
                .as_ref()
                .is_none_or(|a| t.area.as_ref() == Some(a))
            && self.year.is_none_or(|y| y == t.year)
            && (!(self.overdue || self.due_within.is_some()) || open)
            && (!self.overdue || t.deadline.is_some_and(|d| d < as_of))
            && self.due_within.is_none_or(|days| {
                let until = as_of
                    .checked_add_days(chrono::Days::new(days.into()))
                    .unwrap_or(NaiveDate::MAX);
                t.deadline.is_some_and(|d| as_of <= d && d <= until)
            })
            && self.parent.is_none_or(|p| t.parent_id == Some(p))
            && self.document.is_none_or(|d| t.document_id == Some(d))
            && self.search.as_ref().is_none_or(|s| {
                t.title.contains(s.as_str())
                    || t.body.as_deref().unwrap_or("").contains(s.as_str())
                    || t.reference.as_deref().unwrap_or("").contains(s.as_str())
            })
    }
}

impl Filter {
    /// The changeable fields this filter reads (history field names): a task can have matched
    /// it at a day without matching it now only if one of these changed after that day. An
    /// owner filter reads the co-owners too, so that matching a supporting unit stays
    /// covered.
    fn fields(&self) -> Vec<&'static str> {
        let mut out: Vec<Field> = Vec::new();
        if !self.statuses.is_empty() || self.overdue || self.due_within.is_some() {
            out.push(Field::Status);
        }
        if self.overdue || self.due_within.is_some() {
            out.push(Field::Deadline);
        }
        if !self.scope.owners.is_empty() || !self.scope.leads.is_empty() {
            out.extend([Field::Owner, Field::CoOwners]);
        }
        if self.scope.person.is_some() {
            out.push(Field::Person);
        }
        if self.area.is_some() {
            out.push(Field::Area);
        }
        // The plan year changes too (update --year, carry-over).
        if self.year.is_some() {
            out.push(Field::Year);
        }
        if self.parent.is_some() {
            out.push(Field::ParentId);
        }
        if self.search.is_some() {
            out.extend([Field::Title, Field::Body]);
        }
        out.into_iter().map(Field::name).collect()
    }
}

/// The tasks with a row of field ?1 that takes effect after the cut-off ?2, by the partial
/// index `history_field`: its condition (`field NOT IN …`, as in schema.sql) is stated here so
/// that SQLite may use it.
pub const CHANGED_AFTER: &str = "SELECT task_id FROM history
     WHERE field = ?1 AND field NOT IN ('created', 'note', 'progress')
       AND coalesce(effective, at) > ?2 || '~'";

/// How many candidates `list --as-of` replays one by one at most before it replays the whole
/// history in one pass instead: one task's replay costs some hundred microseconds, the whole
/// history of a million tasks about three seconds.
const CANDIDATES_MAX: usize = 2000;

/// The tasks as they stood at the end of `as_of` (`list --as-of`), filtered and ordered as
/// `list` does, by the one replay (db/replay.rs). Only candidates are replayed: the tasks
/// that match the filter on their current columns, and those with a row effective after the
/// day that changed a field the filter (or the order) reads (index `history_field`); any
/// other task had then the fields it has now, so it did not match, or sorts where it sorts
/// now. A candidate that is a parent gets its sub-tasks rolled up at the day (`replay_task`).
///
/// - Few candidates: each is replayed, then they are sorted.
/// - With `--limit`, in id order: the two lists are merged by id and replayed lazily, and the
///   walk stops at the limit. By deadline or status, the same with the changed tasks replayed
///   first (when they are few) and merged by the key they had at the day.
/// - Otherwise (by progress, which sub-tasks move, or many candidates and no limit): the
///   whole history in one pass, `list_replayed`.
pub fn list_then(
    conn: &Connection,
    f: &Filter,
    sort: Sort,
    limit: Option<u64>,
    as_of: NaiveDate,
) -> Result<Vec<Task>> {
    list_then_with(conn, f, sort, limit, as_of, CANDIDATES_MAX)
}

/// `list_then` with the number of candidates replayed one by one at most, so that the tests
/// can walk every way on a small ledger.
pub fn list_then_with(
    conn: &Connection,
    f: &Filter,
    sort: Sort,
    limit: Option<u64>,
    as_of: NaiveDate,
    candidates_max: usize,
) -> Result<Vec<Task>> {
    use super::replay::{end_of_day, replay_task};
    if sort == Sort::Progress {
        return list_replayed(conn, f, sort, limit, as_of);
    }
    let cutoff = end_of_day(as_of);
    let cap = limit.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut fields = f.fields();
    match sort {
        Sort::Deadline => fields.push(Field::Deadline.name()),
        Sort::Status => fields.push(Field::Status.name()),
        Sort::Id | Sort::Progress => {}
    }
    // The tasks whose filtered or sorted fields changed after the day, sorted and unique.
    let mut changed: Vec<i64> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(CHANGED_AFTER)?;
        for field in fields {
            let ids = stmt.query_map(rusqlite::params![field, cutoff], |r| r.get::<_, i64>(0))?;
            for id in ids {
                changed.push(id?);
            }
        }
    }
    changed.sort_unstable();
    changed.dedup();
    let (wh, params) = where_clause(f, as_of);
    let now: i64 = conn.query_row(
        &format!("SELECT count(*) FROM task t {wh}"),
        rusqlite::params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let few = usize::try_from(now).unwrap_or(usize::MAX) + changed.len() <= candidates_max;
    let lazy = limit.is_some() && (sort == Sort::Id || changed.len() <= candidates_max);
    if !few && !lazy {
        return list_replayed(conn, f, sort, limit, as_of);
    }
    let then = |id: i64| -> Result<Option<Task>> {
        Ok(replay_task(conn, id, &cutoff, as_of)?
            .map(|rep| rep.task)
            .filter(|t| f.matches(t, as_of)))
    };
    // The tasks that match now, in the list's order (by id when everything is replayed
    // anyway), read one by one as the merge needs them.
    let order = match (few, sort) {
        (true, _) | (_, Sort::Id) | (_, Sort::Progress) => "t.id".to_string(),
        (false, Sort::Deadline) => "t.deadline IS NULL, t.deadline, t.id".to_string(),
        (false, Sort::Status) => format!("{STATUS_ORDER}, t.id"),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, t.deadline, t.status FROM task t {wh} ORDER BY {order}"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    if few || sort == Sort::Id {
        // A merge of the two id-ordered lists, each id once.
        let mut next_now = || -> Result<Option<i64>> {
            Ok(match rows.next()? {
                Some(r) => Some(r.get(0)?),
                None => None,
            })
        };
        let mut a = next_now()?;
        let mut b = changed.into_iter().peekable();
        loop {
            let id = match (a, b.peek().copied()) {
                (None, None) => break,
                (Some(x), Some(y)) if y < x => {
                    b.next();
                    y
                }
                (Some(x), Some(y)) => {
                    if y == x {
                        b.next();
                    }
                    a = next_now()?;
                    x
                }
                (Some(x), None) => {
                    a = next_now()?;
                    x
                }
                (None, Some(y)) => {
                    b.next();
                    y
                }
            };
            if let Some(t) = then(id)? {
                out.push(t);
                // In id order the first `limit` found are the answer.
                if sort == Sort::Id && out.len() >= cap {
                    break;
                }
            }
        }
        sort_then(&mut out, sort);
        out.truncate(cap);
        return Ok(out);
    }
    // By deadline or status: the changed tasks, as they stood, sorted by their key then; a
    // task that matches now and did not change has the key now that it had then.
    let key = |deadline: Option<NaiveDate>, status: Status, id: i64| -> SortKey {
        match sort {
            Sort::Deadline => (u8::from(deadline.is_none()), deadline, id),
            _ => (status_rank(status), None, id),
        }
    };
    let mut early: Vec<(SortKey, Task)> = Vec::new();
    for &id in &changed {
        if let Some(t) = then(id)? {
            early.push((key(t.deadline, t.status, t.id), t));
        }
    }
    early.sort_by_key(|e| e.0);
    let mut early = early.into_iter().peekable();
    while out.len() < cap {
        let Some(r) = rows.next()? else {
            break;
        };
        let id: i64 = r.get(0)?;
        if changed.binary_search(&id).is_ok() {
            continue;
        }
        let k = key(r.get(1)?, r.get(2)?, id);
        while out.len() < cap && early.peek().is_some_and(|e| e.0 < k) {
            if let Some((_, t)) = early.next() {
                out.push(t);
            }
        }
        if out.len() < cap {
            if let Some(t) = then(id)? {
                out.push(t);
            }
        }
    }
    out.extend(early.map(|e| e.1));
    out.truncate(cap);
    Ok(out)
}

/// Where a task sorts by deadline (undated last) or by status, then id.
type SortKey = (u8, Option<NaiveDate>, i64);

/// A status's place in STATUS_ORDER.
fn status_rank(s: Status) -> u8 {
    match s {
        Status::Todo => 0,
        Status::Doing => 1,
        Status::Blocked => 2,
        Status::Done => 3,
        Status::Verified => 4,
        Status::Cancelled => 5,
    }
}

/// Orders replayed tasks as `list` orders current ones.
fn sort_then(out: &mut [Task], sort: Sort) {
    let rank = status_rank;
    match sort {
        Sort::Id => {}
        // Undated (continuous) work after the dated tasks, as `list` puts it.
        Sort::Deadline => out.sort_by_key(|t| (t.deadline.is_none(), t.deadline, t.id)),
        Sort::Progress => out.sort_by_key(|t| (t.progress, t.id)),
        Sort::Status => out.sort_by_key(|t| (rank(t.status), t.id)),
    }
}

/// The tasks as they stood at the end of `as_of` from a replay of every task: the plain
/// definition `list_then` must equal (its tests compare the two).
pub fn list_replayed(
    conn: &Connection,
    f: &Filter,
    sort: Sort,
    limit: Option<u64>,
    as_of: NaiveDate,
) -> Result<Vec<Task>> {
    use super::replay::{end_of_day, replay_each, rollup_at};
    let cutoff = end_of_day(as_of);
    let kids = rollup_at(conn, Some(&cutoff))?;
    let mut out = Vec::new();
    replay_each(conn, Some(&cutoff), None, as_of, &kids, |rep| {
        if f.matches(&rep.task, as_of) {
            out.push(rep.task);
        }
        Ok(())
    })?;
    sort_then(&mut out, sort);
    if let Some(n) = limit {
        out.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
    Ok(out)
}

/// How `list` orders its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Id,
    Deadline,
    Progress,
    Status,
}

impl Sort {
    /// Every order, as the command line lists them.
    pub const ALL: [Sort; 4] = [Sort::Id, Sort::Deadline, Sort::Progress, Sort::Status];

    /// The name on the command line (`--sort deadline`).
    pub fn name(self) -> &'static str {
        match self {
            Sort::Id => "id",
            Sort::Deadline => "deadline",
            Sort::Progress => "progress",
            Sort::Status => "status",
        }
    }
}

/// The SQL order of statuses, as the vocabulary lists them.
const STATUS_ORDER: &str = "CASE t.status WHEN 'todo' THEN 0 WHEN 'doing' THEN 1
    WHEN 'blocked' THEN 2 WHEN 'done' THEN 3 WHEN 'verified' THEN 4 ELSE 5 END";

/// Builds the WHERE clause of a filter from fixed fragments, with every value a parameter.
pub fn where_clause(f: &Filter, as_of: NaiveDate) -> (String, Vec<Value>) {
    let mut parts: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let param = |v: Value, params: &mut Vec<Value>| -> String {
        params.push(v);
        format!("?{}", params.len())
    };
    if !f.statuses.is_empty() {
        let marks: Vec<String> = f
            .statuses
            .iter()
            .map(|s| param(Value::Text(s.to_string()), &mut params))
            .collect();
        parts.push(format!("t.status IN ({})", marks.join(", ")));
    }
    if let Some(k) = f.kind {
        parts.push(format!(
            "t.kind = {}",
            param(Value::Text(k.to_string()), &mut params)
        ));
    }
    if let Some(s) = f.scope.sql(params.len() + 1) {
        parts.push(s.clause);
        params.extend(s.params);
    }
    if let Some(a) = &f.area {
        parts.push(format!(
            "t.area = {}",
            param(Value::Text(a.clone()), &mut params)
        ));
    }
    if let Some(y) = f.year {
        parts.push(format!(
            "t.year = {}",
            param(Value::Integer(y.into()), &mut params)
        ));
    }
    if f.overdue || f.due_within.is_some() {
        parts.push("t.status IN ('todo', 'doing', 'blocked')".into());
    }
    if f.overdue {
        let d = param(Value::Text(as_of.to_string()), &mut params);
        parts.push(format!("t.deadline < {d}"));
    }
    if let Some(days) = f.due_within {
        let from = param(Value::Text(as_of.to_string()), &mut params);
        let until = as_of
            .checked_add_days(chrono::Days::new(days.into()))
            .unwrap_or(NaiveDate::MAX);
        let to = param(Value::Text(until.to_string()), &mut params);
        parts.push(format!("t.deadline BETWEEN {from} AND {to}"));
    }
    if let Some(p) = f.parent {
        parts.push(format!(
            "t.parent_id = {}",
            param(Value::Integer(p), &mut params)
        ));
    }
    if let Some(d) = f.document {
        parts.push(format!(
            "t.document_id = {}",
            param(Value::Integer(d), &mut params)
        ));
    }
    if let Some(s) = &f.search {
        let p = param(Value::Text(s.clone()), &mut params);
        parts.push(format!(
            "(instr(t.title, {p}) > 0 OR instr(COALESCE(t.body, ''), {p}) > 0
              OR instr(COALESCE(t.ref, ''), {p}) > 0)"
        ));
    }
    if parts.is_empty() {
        (String::new(), params)
    } else {
        (format!("WHERE {}", parts.join(" AND ")), params)
    }
}

/// The tasks a filter selects, sorted, at most `limit` of them.
pub fn list(
    conn: &Connection,
    f: &Filter,
    sort: Sort,
    limit: Option<u64>,
    as_of: NaiveDate,
) -> Result<Vec<Task>> {
    if sort == Sort::Deadline && !(f.overdue || f.due_within.is_some()) {
        // Dated tasks in deadline order, then continuous work: two index-ordered queries
        // instead of one that sorts every row to put the undated last.
        let mut out = select(
            conn,
            f,
            "t.deadline IS NOT NULL",
            "t.deadline, t.id",
            limit,
            as_of,
        )?;
        let rest = limit.map(|n| n.saturating_sub(out.len() as u64));
        if rest != Some(0) {
            out.extend(select(conn, f, "t.deadline IS NULL", "t.id", rest, as_of)?);
        }
        return Ok(out);
    }
    if sort == Sort::Id && !f.scope.owners.is_empty() {
        return list_by_units(conn, f, limit, as_of);
    }
    let order = match sort {
        Sort::Id => "t.id".to_string(),
        Sort::Deadline => "t.deadline, t.id".to_string(),
        Sort::Progress => "shown_progress, t.id".to_string(),
        Sort::Status => format!("{STATUS_ORDER}, t.id"),
    };
    select(conn, f, "1", &order, limit, as_of)
}

/// How many ids of a unit's tasks are looked up at a time by `list_by_units`.
const UNIT_BATCH: usize = 512;

/// `list --owner X` in id order: the ids of the unit's tasks stream in order from the
/// task_unit index (one ordered range per name and role, merged by SQLite without a sort),
/// and are looked up in batches with the rest of the filter until `limit` tasks passed. The
/// work is bounded by the unit's tasks, and with a limit usually ends after the first batch,
/// where `t.id IN (subquery)` would first collect every task of the unit (≈ 40 ms at 1M tasks
/// for a unit with 48,000) or scan every task.
fn list_by_units(
    conn: &Connection,
    f: &Filter,
    limit: Option<u64>,
    as_of: NaiveDate,
) -> Result<Vec<Task>> {
    let mut rest = f.clone();
    let names = std::mem::take(&mut rest.scope.owners);
    let (wh, mut params) = where_clause(&rest, as_of);
    params.push(Value::Null);
    let batch_param = params.len();
    // CROSS JOIN keeps SQLite from driving the lookup from another index (the status
    // index, say) instead of the batch of ids.
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM json_each(?{batch_param}) j CROSS JOIN task t
         ON t.id = j.value {wh} ORDER BY t.id"
    );
    let mut lookup = conn.prepare(&sql)?;
    let parts: Vec<String> = (1..=names.len())
        .flat_map(|i| {
            ["lead", "co"].map(|role| {
                format!("SELECT task_id FROM task_unit WHERE name = ?{i} AND role = '{role}'")
            })
        })
        .collect();
    let mut ids_stmt = conn.prepare(&format!("{} ORDER BY 1", parts.join(" UNION ")))?;
    let mut ids = ids_stmt.query(rusqlite::params_from_iter(&names))?;
    let want = limit.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut out: Vec<Task> = Vec::new();
    let mut batch: Vec<i64> = Vec::with_capacity(UNIT_BATCH);
    let mut done = false;
    while !done && out.len() < want {
        batch.clear();
        while batch.len() < UNIT_BATCH {
            match ids.next()? {
                Some(r) => batch.push(r.get(0)?),
                None => {
                    done = true;
                    break;
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        params[batch_param - 1] = Value::Text(serde_json::to_string(&batch)?);
        let rows = lookup.query_map(rusqlite::params_from_iter(&params), |r| {
            task_from_row(r, as_of)
        })?;
        for t in rows {
            out.push(t?);
            if out.len() >= want {
                break;
            }
        }
    }
    Ok(out)
}

/// The tasks a filter and one more fixed condition select, in the given order.
fn select(
    conn: &Connection,
    f: &Filter,
    and: &str,
    order: &str,
    limit: Option<u64>,
    as_of: NaiveDate,
) -> Result<Vec<Task>> {
    let (wh, mut params) = where_clause(f, as_of);
    let wh = if wh.is_empty() {
        format!("WHERE {and}")
    } else {
        format!("{wh} AND {and}")
    };
    let mut sql = format!("SELECT {TASK_COLUMNS} FROM task t {wh} ORDER BY {order}");
    if let Some(n) = limit {
        params.push(Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)));
        sql.push_str(&format!(" LIMIT ?{}", params.len()));
    }
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
        task_from_row(r, as_of)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets one field of a task back to a value from its history (for undo), after checking that
/// it still holds `expected`; logs the change like any other.
pub fn set_field(
    w: &Writer,
    id: i64,
    field: &str,
    expected: Option<&str>,
    value: Option<&str>,
    note: &str,
) -> Result<()> {
    require(w.conn(), id)?;
    let mut moved = tally::affected(w.conn(), id)?;
    if field == "parent_id" {
        moved.extend(value.and_then(|v| v.parse::<i64>().ok()));
    }
    tally::around(w.conn(), moved, || {
        set_field_row(w, id, field, expected, value, note).map(|()| ((), Vec::new()))
    })
}

fn set_field_row(
    w: &Writer,
    id: i64,
    field: &str,
    expected: Option<&str>,
    value: Option<&str>,
    note: &str,
) -> Result<()> {
    // The column name comes from the fixed list of fields, never from the caller's text.
    let Some(f) = Field::from_name(field) else {
        return Err(Error::Corrupt(format!(
            "the field '{field}' of task #{id} cannot be set back"
        )));
    };
    let (column, integer) = (f.column(), f.stored() == Stored::Integer);
    let current: Option<String> = w
        .conn()
        .query_row(
            &format!("SELECT CAST({column} AS TEXT) FROM task WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NoSuchTask(id))?;
    if current.as_deref() != expected {
        return Err(Error::conflict(
            crate::msg!("undo.field_moved_on", id = id).word("field", f.zh(), field),
        ));
    }
    let v: Value = match (value, integer) {
        (None, _) => Value::Null,
        (Some(s), true) => Value::Integer(
            s.parse()
                .map_err(|_| Error::Corrupt(format!("history holds '{s}' for {field}")))?,
        ),
        (Some(s), false) => Value::Text(s.to_string()),
    };
    w.conn().execute(
        &format!("UPDATE task SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
        rusqlite::params![id, v, w.at()],
    )?;
    w.log(id, field, expected, value, Some(note))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    use crate::db::testing::{meta, task as new_task};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    #[test]
    fn progress_rolls_up_from_subtasks() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let m = meta();
        let parent = l
            .write(&m, |w| insert(w, &new_task("总任务"), None))
            .unwrap();
        assert_eq!(l.read(|c| get(c, parent, day())).unwrap().progress, 0);
        let mut kids = vec![];
        for p in [0u8, 100, 50] {
            let mut t = new_task("子任务");
            t.parent_id = Some(parent);
            t.progress = p;
            kids.push(l.write(&m, |w| insert(w, &t, None)).unwrap());
        }
        let t = l.read(|c| get(c, parent, day())).unwrap();
        assert_eq!(t.progress, 50, "mean of 0, 100, 50");
        assert_eq!(t.own_progress, 0);
        // A cancelled sub-task no longer holds its parent back.
        let c = Changes {
            status: Some(Status::Cancelled),
            ..Default::default()
        };
        l.write(&m, |w| update(w, kids[0], &c, Some("并入其他任务"), day()))
            .unwrap();
        assert_eq!(l.read(|c| get(c, parent, day())).unwrap().progress, 75);
    }

    #[test]
    fn cycles_are_refused() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let m = meta();
        let a = l.write(&m, |w| insert(w, &new_task("a"), None)).unwrap();
        let mut t = new_task("b");
        t.parent_id = Some(a);
        let b = l.write(&m, |w| insert(w, &t, None)).unwrap();
        let c = Changes {
            parent_id: Some(b),
            ..Default::default()
        };
        let e = l.write(&m, |w| update(w, a, &c, None, day())).unwrap_err();
        assert!(e.to_string().contains("cycle"), "{e}");
        let c = Changes {
            parent_id: Some(a),
            ..Default::default()
        };
        let e = l.write(&m, |w| update(w, a, &c, None, day())).unwrap_err();
        assert!(e.to_string().contains("cycle"), "{e}");
    }

    #[test]
    fn history_is_append_only_at_the_sql_level() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let id = l
            .write(&meta(), |w| insert(w, &new_task("a"), None))
            .unwrap();
        let upd = l
            .conn
            .execute("UPDATE history SET actor = 'x' WHERE task_id = ?1", [id]);
        assert!(upd.unwrap_err().to_string().contains("append-only"));
        let del = l.conn.execute("DELETE FROM history", []);
        assert!(del.unwrap_err().to_string().contains("append-only"));
        let del = l.conn.execute("DELETE FROM task", []);
        assert!(del.unwrap_err().to_string().contains("never deleted"));
        let n: i64 = l
            .conn
            .query_row("SELECT count(*) FROM history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_change_that_changes_nothing_records_nothing() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let id = l
            .write(&meta(), |w| insert(w, &new_task("a"), None))
            .unwrap();
        let c = Changes {
            status: Some(Status::Todo),
            progress: Some(0),
            ..Default::default()
        };
        let changed = l
            .write(&meta(), |w| update(w, id, &c, None, day()))
            .unwrap();
        assert!(changed.is_empty());
        let n: i64 = l
            .conn
            .query_row("SELECT count(*) FROM change", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "only the creation");
    }

    #[test]
    fn progress_100_means_done() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let id = l
            .write(&meta(), |w| insert(w, &new_task("a"), None))
            .unwrap();
        let c = Changes {
            progress: Some(100),
            ..Default::default()
        };
        let changed = l
            .write(&meta(), |w| update(w, id, &c, None, day()))
            .unwrap();
        assert_eq!(changed, vec!["status", "progress", "completed_at"]);
        let t = l.read(|c| get(c, id, day())).unwrap();
        assert_eq!(t.status, Status::Done);
        assert_eq!(t.completed_at.as_deref(), Some("2025-03-01T09:00:00+08:00"));
    }

    /// The schema's task table and the description list the same columns, so a column added
    /// to one and forgotten in the other fails here rather than in a query.
    #[test]
    fn description_lists_every_schema_column() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let mut schema: Vec<String> = l
            .read(|c| {
                let mut stmt = c.prepare("SELECT name FROM pragma_table_info('task')")?;
                let names = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(names)
            })
            .unwrap();
        let mut described: Vec<String> = Column::ALL.iter().map(|c| c.name().to_string()).collect();
        schema.sort();
        described.sort();
        assert_eq!(schema, described);
    }

    /// The selected columns are built from `Column`; this guard checks that every changeable
    /// `Field` has its column there.
    #[test]
    fn task_columns_select_every_changeable_field() {
        use crate::model::field::Field;
        for f in Field::ALL {
            let col = format!("t.{}", f.column());
            let found = TASK_COLUMNS
                .as_str()
                .split(|c: char| c == ',' || c.is_whitespace() || c == '(' || c == ')')
                .any(|w| w == col);
            assert!(found, "TASK_COLUMNS misses {col}");
        }
    }
}

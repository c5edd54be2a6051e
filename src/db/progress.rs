//! The aggregate behind the progress table. SQLite counts per (group, status) straight from
//! the covering index that the grouping column leads, in group order; the few tasks with
//! sub-tasks are then corrected to the mean progress of their sub-tasks by a second, small
//! query. Rust folds the per-status rows into the table.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;

use super::tally::NONE_KEY;
use super::tasks::{where_clause, Filter};
use crate::model::{Kind, Status, Word};
use crate::Result;

/// What the progress table groups by.
/// The one list of groupings: the command line (cli/choices.rs), the running counts (tally) and
/// `check` all iterate `GroupBy::ALL`, so a new grouping is one variant here plus its arms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupBy {
    #[default]
    Area,
    Owner,
    Status,
    Kind,
    Year,
    OutlineArea,
}

impl GroupBy {
    /// Every grouping, in the order the command line lists them.
    pub const ALL: [GroupBy; 6] = [
        GroupBy::Area,
        GroupBy::Owner,
        GroupBy::Status,
        GroupBy::Kind,
        GroupBy::Year,
        GroupBy::OutlineArea,
    ];

    /// The expression the tally keys a task by: the column as text, `?2` (the none key) for
    /// tasks without a value. Every grouping names `?2`, so one parameter list fits them all.
    pub(crate) fn tally_key(self) -> &'static str {
        match self {
            GroupBy::Area => "COALESCE(t.area, ?2)",
            GroupBy::Owner => "COALESCE(t.owner, ?2)",
            GroupBy::Status => "COALESCE(t.status, ?2)",
            GroupBy::Kind => "COALESCE(t.kind, ?2)",
            GroupBy::Year => "COALESCE(CAST(t.year AS TEXT), ?2)",
            GroupBy::OutlineArea => "COALESCE(t.outline_area, ?2)",
        }
    }

    fn column(self) -> &'static str {
        match self {
            GroupBy::Area => "t.area",
            GroupBy::Owner => "t.owner",
            GroupBy::Status => "t.status",
            GroupBy::Kind => "t.kind",
            GroupBy::Year => "t.year",
            GroupBy::OutlineArea => "t.outline_area",
        }
    }
}

/// One row of the progress table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Group {
    /// The group's key: the area, owner, year…; null for tasks without one.
    pub group: Option<String>,
    pub total: u64,
    pub todo: u64,
    pub doing: u64,
    pub blocked: u64,
    pub done: u64,
    pub verified: u64,
    pub cancelled: u64,
    pub overdue: u64,
    /// Mean progress of the group's tasks that are not cancelled, 0–100 with one decimal.
    pub progress: f64,
    #[serde(skip)]
    progress_sum: f64,
    #[serde(skip)]
    progress_n: u64,
    #[serde(skip)]
    first_id: i64,
}

impl Group {
    /// The count of one status.
    fn slot(&mut self, status: Status) -> &mut u64 {
        match status {
            Status::Todo => &mut self.todo,
            Status::Doing => &mut self.doing,
            Status::Blocked => &mut self.blocked,
            Status::Done => &mut self.done,
            Status::Verified => &mut self.verified,
            Status::Cancelled => &mut self.cancelled,
        }
    }

    fn add(&mut self, status: Status, n: u64, overdue: u64, progress: f64) {
        self.total += n;
        *self.slot(status) += n;
        if !status.is_closed() {
            self.overdue += overdue;
        }
        if status != Status::Cancelled {
            self.progress_sum += progress;
            self.progress_n += n;
        }
    }

    /// `add` for a count that may be negative: a row that takes back what was counted twice.
    fn add_signed(&mut self, status: Status, n: i64, overdue: i64, progress: f64) {
        if n >= 0 {
            self.add(status, n as u64, overdue.max(0) as u64, progress);
            return;
        }
        let (n, overdue) = (n.unsigned_abs(), overdue.unsigned_abs());
        self.total = self.total.saturating_sub(n);
        let slot = self.slot(status);
        *slot = slot.saturating_sub(n);
        if !status.is_closed() {
            self.overdue = self.overdue.saturating_sub(overdue);
        }
        if status != Status::Cancelled {
            self.progress_sum += progress;
            self.progress_n = self.progress_n.saturating_sub(n);
        }
    }

    fn merge(&mut self, g: &Group) {
        self.total += g.total;
        self.todo += g.todo;
        self.doing += g.doing;
        self.blocked += g.blocked;
        self.done += g.done;
        self.verified += g.verified;
        self.cancelled += g.cancelled;
        self.overdue += g.overdue;
        self.progress_sum += g.progress_sum;
        self.progress_n += g.progress_n;
    }

    fn finish(&mut self) {
        self.progress = if self.progress_n == 0 {
            0.0
        } else {
            (self.progress_sum / self.progress_n as f64 * 10.0).round() / 10.0
        };
    }
}

/// The whole progress table.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub by: GroupBy,
    pub as_of: NaiveDate,
    pub groups: Vec<Group>,
    pub total: Group,
}

/// A group key as text: years are numbers in the ledger.
fn key(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(f) => Some(f.to_string()),
        Value::Text(s) => Some(s),
        Value::Blob(b) => Some(String::from_utf8_lossy(&b).into_owned()),
    }
}

impl GroupBy {
    /// The name on the command line and in the tally (`--by outline-area`).
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Area => "area",
            GroupBy::Owner => "owner",
            GroupBy::Status => "status",
            GroupBy::Kind => "kind",
            GroupBy::Year => "year",
            GroupBy::OutlineArea => "outline-area",
        }
    }
}

/// Computes the progress table of the tasks a filter selects. Without filters it is read
/// from the running counts (`tally`), with the overdue tasks counted per group from the
/// indexes; with filters it is counted from the tasks.
pub fn compute(conn: &Connection, by: GroupBy, f: &Filter, as_of: NaiveDate) -> Result<Progress> {
    if is_unfiltered(f) {
        from_tally(conn, by, as_of)
    } else if let Some(p) = from_tally_by(conn, by, f, as_of)? {
        Ok(p)
    } else {
        count(conn, by, f, as_of)
    }
}

/// The table from the filtered running counts (db/tally_by.rs), when they can answer the
/// filter: at most one of area, unit, lead, person, year and kind — or two when one of them is
/// the grouping itself, which then selects among the slice's keys, or when both are of area,
/// year and kind, whose pairs have slices of their own — with any statuses,
/// `--overdue` and `--due-within`, which select rows by status and deadline. `None` for any
/// other filter, which is counted from the tasks.
fn from_tally_by(
    conn: &Connection,
    by: GroupBy,
    f: &Filter,
    as_of: NaiveDate,
) -> Result<Option<Progress>> {
    use super::tally_by::{counted_twice, slice};
    if f.parent.is_some() || f.search.is_some() || f.document.is_some() {
        return Ok(None);
    }
    // Each dimension given, its values, and the grouping whose keys are those values.
    let mut dims: Vec<(&str, Vec<String>, Option<GroupBy>)> = Vec::new();
    if let Some(a) = &f.area {
        dims.push(("area", vec![a.clone()], Some(GroupBy::Area)));
    }
    if !f.scope.owners.is_empty() {
        dims.push(("unit", f.scope.owners.clone(), None));
    }
    if !f.scope.leads.is_empty() {
        dims.push(("lead", f.scope.leads.clone(), Some(GroupBy::Owner)));
    }
    if let Some(p) = &f.scope.person {
        dims.push(("person", vec![p.clone()], None));
    }
    if let Some(y) = f.year {
        dims.push(("year", vec![y.to_string()], Some(GroupBy::Year)));
    }
    if let Some(k) = f.kind {
        dims.push(("kind", vec![k.to_string()], Some(GroupBy::Kind)));
    }
    let (dim, vals, keys): (&str, Vec<String>, Option<Vec<String>>) = match dims.len() {
        0 => ("all", vec![String::new()], None),
        1 => {
            let (d, v, _) = dims.remove(0);
            (d, v, None)
        }
        2 => match dims.iter().position(|d| d.2 == Some(by)) {
            Some(at) => {
                let (_, keys, _) = dims.remove(at);
                let (d, v, _) = dims.remove(0);
                (d, v, Some(keys))
            }
            // Two of area, year and kind: their pair has a slice of its own.
            None => {
                let name = format!("{}+{}", dims[0].0, dims[1].0);
                let Some(&dim) = super::tally_by::DIMS.iter().find(|d| **d == name) else {
                    return Ok(None);
                };
                let val = super::tally_by::pair(&dims[0].1[0], &dims[1].1[0]);
                (dim, vec![val], None)
            }
        },
        _ => return Ok(None),
    };
    let mut rows = slice(conn, dim, &vals, by)?;
    if dim == "unit" {
        rows.extend(counted_twice(conn, &vals, by)?);
    }
    let day = as_of.to_string();
    let until = f.due_within.map(|days| {
        as_of
            .checked_add_days(chrono::Days::new(days.into()))
            .unwrap_or(NaiveDate::MAX)
            .to_string()
    });
    let mut groups: HashMap<Option<String>, Group> = HashMap::new();
    for r in rows {
        let open = !r.status.is_closed();
        let dated = !r.due.is_empty();
        let overdue = open && dated && r.due < day;
        let wanted = (f.statuses.is_empty() || f.statuses.contains(&r.status))
            && (!(f.overdue || f.due_within.is_some()) || open)
            && (!f.overdue || overdue)
            && until
                .as_ref()
                .is_none_or(|u| dated && r.due >= day && r.due <= *u)
            && keys.as_ref().is_none_or(|k| k.contains(&r.key));
        if !wanted {
            continue;
        }
        let g = (r.key != NONE_KEY).then_some(r.key);
        let entry = groups.entry(g.clone()).or_insert_with(|| Group {
            group: g,
            first_id: r.first,
            ..Group::default()
        });
        entry.first_id = entry.first_id.min(r.first);
        // A correction row (negative) takes back a task counted twice, overdue included.
        entry.add_signed(r.status, r.n, if overdue { r.n } else { 0 }, r.progress);
    }
    groups.retain(|_, g| g.total > 0);
    Ok(Some(finish(by, as_of, groups)))
}

/// The progress table as the tasks stood at the end of `as_of` (`report --as-of`). A task
/// with no history row effective after the day stood then as its current row says (but for
/// a parent's rolled-up progress and overdue, worked out at the day): those are counted by the
/// grouped query that counts the current state (`grouped`), with the touched tasks left out
/// by one array parameter. Only the touched tasks are replayed, by the one replay
/// (db/replay.rs), and filtered and grouped in memory. `compute_replayed` is the same table
/// from a replay of every task, which the tests hold this one to.
pub fn compute_then(
    conn: &Connection,
    by: GroupBy,
    f: &Filter,
    as_of: NaiveDate,
) -> Result<Progress> {
    use super::replay::{end_of_day, replay_touched, Rollup, Touched};
    let cutoff = end_of_day(as_of);
    let touched = Touched::after(conn, &cutoff)?;
    // One replay of the touched tasks gives both what they count and their share of the
    // sub-task roll-up, which is only complete afterwards: their rows wait in `then` (group,
    // id, status, overdue, own progress) until every parent's progress is known.
    let mut kids = Rollup::new();
    let mut then: Vec<(Option<String>, i64, Status, bool, u8)> = Vec::new();
    replay_touched(conn, &cutoff, as_of, &Rollup::new(), &touched, |t| {
        kids.add(&t);
        if f.matches(&t, as_of) {
            then.push((group_of(by, &t), t.id, t.status, t.overdue, t.progress));
        }
        Ok(())
    })?;
    kids.add_untouched(conn, &touched)?;
    let mut groups: HashMap<Option<String>, Group> = HashMap::new();
    grouped(conn, by, f, as_of, Some(&touched), &mut groups)?;

    // Untouched parents count with their sub-tasks' progress at the day: add the difference
    // to their own progress, as `count` does with today's sub-tasks.
    let col = by.column();
    let (wh, params) = where_clause(f, as_of);
    let extra = if wh.is_empty() { "WHERE" } else { "AND" };
    let n = params.len();
    let sql = format!(
        "SELECT {col}, t.id, t.progress FROM task t
         {wh} {extra} t.status <> 'cancelled'
           AND t.id IN rarray(?{}) AND t.id NOT IN rarray(?{})",
        n + 1,
        n + 2
    );
    let (parents, left_out) = (kids.parents(), touched.param());
    let mut all: Vec<&dyn rusqlite::ToSql> = params.iter().map(|v| v as _).collect();
    all.push(&parents);
    all.push(&left_out);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(all.as_slice())?;
    while let Some(r) = rows.next()? {
        let own: f64 = r.get(2)?;
        if let (Some(g), Some(shown)) = (groups.get_mut(&key(r.get(0)?)), kids.shown(r.get(1)?)) {
            g.progress_sum += f64::from(shown) - own;
        }
    }

    for (g, id, status, overdue, own) in then {
        let progress = kids.shown(id).unwrap_or(own);
        fold_row(&mut groups, g, id, status, overdue, progress);
    }
    Ok(finish(by, as_of, groups))
}

/// The progress table at the end of `as_of` from a replay of every task: the plain
/// definition `compute_then` must equal (its tests compare the two).
pub fn compute_replayed(
    conn: &Connection,
    by: GroupBy,
    f: &Filter,
    as_of: NaiveDate,
) -> Result<Progress> {
    use super::replay::{end_of_day, replay_each, rollup_at};
    let cutoff = end_of_day(as_of);
    let kids = rollup_at(conn, Some(&cutoff))?;
    let mut groups: HashMap<Option<String>, Group> = HashMap::new();
    replay_each(conn, Some(&cutoff), None, as_of, &kids, |rep| {
        fold(&mut groups, by, f, as_of, &rep.task);
        Ok(())
    })?;
    Ok(finish(by, as_of, groups))
}

/// Counts one task as it stood at a day into its group, when it passes the filter.
fn fold(
    groups: &mut HashMap<Option<String>, Group>,
    by: GroupBy,
    f: &Filter,
    as_of: NaiveDate,
    t: &crate::model::Task,
) {
    if f.matches(t, as_of) {
        fold_row(
            groups,
            group_of(by, t),
            t.id,
            t.status,
            t.overdue,
            t.progress,
        );
    }
}

/// A task's key in a grouping, as the grouped query gives it.
fn group_of(by: GroupBy, t: &crate::model::Task) -> Option<String> {
    match by {
        GroupBy::Area => t.area.clone(),
        GroupBy::Owner => t.owner.clone(),
        GroupBy::Status => Some(t.status.to_string()),
        GroupBy::Kind => Some(t.kind.to_string()),
        GroupBy::Year => Some(t.year.to_string()),
        GroupBy::OutlineArea => t.outline_area.clone(),
    }
}

/// Counts one task into its group.
fn fold_row(
    groups: &mut HashMap<Option<String>, Group>,
    g: Option<String>,
    id: i64,
    status: Status,
    overdue: bool,
    progress: u8,
) {
    let entry = groups.entry(g.clone()).or_insert_with(|| Group {
        group: g,
        first_id: id,
        ..Group::default()
    });
    entry.first_id = entry.first_id.min(id);
    entry.add(status, 1, u64::from(overdue), f64::from(progress));
}

fn is_unfiltered(f: &Filter) -> bool {
    f.statuses.is_empty()
        && f.kind.is_none()
        && f.scope.is_empty()
        && f.area.is_none()
        && f.year.is_none()
        && !f.overdue
        && f.due_within.is_none()
        && f.parent.is_none()
        && f.search.is_none()
        && f.document.is_none()
}

/// The table from the running counts.
fn from_tally(conn: &Connection, by: GroupBy, as_of: NaiveDate) -> Result<Progress> {
    let mut groups: HashMap<Option<String>, Group> = HashMap::new();
    let mut open_keys: Vec<(String, Status)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT key, status, n, progress, first FROM tally WHERE grouping = ?1 AND n > 0",
        )?;
        let mut rows = stmt.query([by.name()])?;
        while let Some(r) = rows.next()? {
            let raw: String = r.get(0)?;
            let g = (raw != NONE_KEY).then(|| raw.clone());
            let status: Status = r.get(1)?;
            let n = r.get::<_, i64>(2)?.max(0) as u64;
            let progress: f64 = r.get(3)?;
            let first: i64 = r.get(4)?;
            let entry = groups.entry(g.clone()).or_insert_with(|| Group {
                group: g,
                first_id: first,
                ..Group::default()
            });
            entry.first_id = entry.first_id.min(first);
            entry.add(status, n, 0, progress);
            if !status.is_closed() {
                open_keys.push((raw, status));
            }
        }
    }
    // Overdue depends on the day: counted per group and open status from the index that
    // the grouping column leads, (group, status, deadline).
    let col = by.column();
    let key_test = match by {
        GroupBy::Year => format!("{col} = CAST(?1 AS INTEGER)"),
        _ => format!("{col} = ?1"),
    };
    let day = as_of.to_string();
    let mut with_key = conn.prepare_cached(&format!(
        "SELECT count(*) FROM task t WHERE {key_test} AND t.status = ?2 AND t.deadline < ?3"
    ))?;
    let mut without_key = conn.prepare_cached(&format!(
        "SELECT count(*) FROM task t WHERE {col} IS NULL AND t.status = ?1 AND t.deadline < ?2"
    ))?;
    for (raw, status) in open_keys {
        let n: i64 = if raw == NONE_KEY {
            without_key.query_row(rusqlite::params![status, day], |r| r.get(0))?
        } else {
            with_key.query_row(rusqlite::params![raw, status, day], |r| r.get(0))?
        };
        let g = (raw != NONE_KEY).then_some(raw);
        if let Some(entry) = groups.get_mut(&g) {
            entry.overdue += n.max(0) as u64;
        }
    }
    Ok(finish(by, as_of, groups))
}

/// The table counted from the tasks a filter selects, whatever the filter: the plain
/// definition the running counts must equal (`compute` reads them when it can; the tests and
/// `check` hold the two to each other).
pub fn compute_counted(
    conn: &Connection,
    by: GroupBy,
    f: &Filter,
    as_of: NaiveDate,
) -> Result<Progress> {
    count(conn, by, f, as_of)
}

/// The table counted from the tasks a filter selects.
fn count(conn: &Connection, by: GroupBy, f: &Filter, as_of: NaiveDate) -> Result<Progress> {
    let col = by.column();
    let (wh, params) = where_clause(f, as_of);
    let as_of_param = params.len() + 1;
    let mut groups: HashMap<Option<String>, Group> = HashMap::new();
    grouped(conn, by, f, as_of, None, &mut groups)?;

    // Tasks with sub-tasks count with the mean progress of their sub-tasks that are not
    // cancelled: add the difference to their own progress, group by group.
    let extra = if wh.is_empty() { "WHERE" } else { "AND" };
    let sql = format!(
        "WITH kids AS (
             SELECT parent_id AS pid, avg(progress) AS p FROM task
             WHERE parent_id IS NOT NULL AND status <> 'cancelled' GROUP BY parent_id)
         SELECT {col}, total(k.p - t.progress)
         FROM kids k JOIN task t ON t.id = k.pid
         {wh} {extra} t.status <> 'cancelled' GROUP BY {col}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params[..as_of_param - 1].iter()))?;
    while let Some(r) = rows.next()? {
        if let Some(g) = groups.get_mut(&key(r.get(0)?)) {
            g.progress_sum += r.get::<_, f64>(1)?;
        }
    }

    Ok(finish(by, as_of, groups))
}

/// Counts the tasks a filter selects per (group, status) with their own progress and how
/// many are overdue at `as_of`, into `groups`; `left_out` tasks are not counted (`report
/// --as-of` replays those).
fn grouped(
    conn: &Connection,
    by: GroupBy,
    f: &Filter,
    as_of: NaiveDate,
    left_out: Option<&super::replay::Touched>,
    groups: &mut HashMap<Option<String>, Group>,
) -> Result<()> {
    let col = by.column();
    let (mut wh, mut params) = where_clause(f, as_of);
    params.push(Value::Text(as_of.to_string()));
    let as_of_param = params.len();
    let ids = left_out.map(|t| t.param());
    if ids.is_some() {
        let extra = if wh.is_empty() { "WHERE" } else { "AND" };
        wh = format!("{wh} {extra} t.id NOT IN rarray(?{})", as_of_param + 1);
    }
    // Grouping by status is grouping by (status, status): say it once, or SQLite sorts.
    let grouping = if by == GroupBy::Status {
        "t.status".to_string()
    } else {
        format!("{col}, t.status")
    };
    let sql = format!(
        "SELECT {col}, t.status, count(*), sum(t.deadline < ?{as_of_param}), total(t.progress),
                min(t.id)
         FROM task t {wh} GROUP BY {grouping}"
    );
    let mut all: Vec<&dyn rusqlite::ToSql> = params.iter().map(|v| v as _).collect();
    if let Some(ids) = &ids {
        all.push(ids);
    }
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(all.as_slice())?;
    while let Some(r) = rows.next()? {
        let g = key(r.get(0)?);
        let status: Status = r.get(1)?;
        let n = r.get::<_, i64>(2)?.max(0) as u64;
        let overdue = r.get::<_, Option<i64>>(3)?.unwrap_or(0).max(0) as u64;
        let progress: f64 = r.get(4)?;
        let first: i64 = r.get(5)?;
        let entry = groups.entry(g.clone()).or_insert_with(|| Group {
            group: g,
            first_id: first,
            ..Group::default()
        });
        entry.first_id = entry.first_id.min(first);
        entry.add(status, n, overdue, progress);
    }
    Ok(())
}

/// Orders the groups, works out their means and the total row.
/// The table with owners shown by their current names (db/units.rs): the groups of names of
/// one unit (a former name, an alias) become one group.
pub fn current_owners(p: Progress, cur: &super::units::Current) -> Progress {
    if !matches!(p.by, GroupBy::Owner) {
        return p;
    }
    let mut merged: HashMap<Option<String>, Group> = HashMap::new();
    for g in &p.groups {
        let key = cur.shown(&g.group);
        let e = merged.entry(key.clone()).or_insert_with(|| Group {
            group: key,
            first_id: g.first_id,
            ..Group::default()
        });
        e.first_id = e.first_id.min(g.first_id);
        e.merge(g);
    }
    finish(p.by, p.as_of, merged)
}

fn finish(by: GroupBy, as_of: NaiveDate, groups: HashMap<Option<String>, Group>) -> Progress {
    let mut groups: Vec<Group> = groups.into_values().collect();
    let rank = |g: &Group| -> (i64, Option<String>) {
        match by {
            // Areas keep the order in which they first entered the ledger: the report's order.
            GroupBy::Area => (g.first_id, None),
            GroupBy::Status => (
                g.group
                    .as_deref()
                    .and_then(|s| Status::ALL.iter().position(|w| w.en() == s))
                    .map_or(i64::MAX, |p| p as i64),
                None,
            ),
            GroupBy::Kind => (
                g.group
                    .as_deref()
                    .and_then(|s| Kind::ALL.iter().position(|w| w.en() == s))
                    .map_or(i64::MAX, |p| p as i64),
                None,
            ),
            // By name, with the tasks that have none last.
            _ => (i64::from(g.group.is_none()), g.group.clone()),
        }
    };
    groups.sort_by_key(|g| rank(g));
    let mut total = Group::default();
    for g in &mut groups {
        g.finish();
        total.merge(g);
    }
    total.finish();
    Progress {
        by,
        as_of,
        groups,
        total,
    }
}

/// Whether the running counts equal a count of the tasks, for `check`: every group's counts
/// exactly and its progress sum to within rounding. Returns the groupings that differ.
pub fn tally_differs(conn: &Connection, as_of: NaiveDate) -> Result<Vec<&'static str>> {
    let all = Filter::default();
    let mut differ = Vec::new();
    for by in GroupBy::ALL {
        let fast = from_tally(conn, by, as_of)?;
        let slow = count(conn, by, &all, as_of)?;
        let key = |r: &Progress| {
            let mut v: Vec<(Option<String>, [u64; 8], i64)> = r
                .groups
                .iter()
                .map(|g| {
                    (
                        g.group.clone(),
                        [
                            g.total,
                            g.todo,
                            g.doing,
                            g.blocked,
                            g.done,
                            g.verified,
                            g.cancelled,
                            g.overdue,
                        ],
                        (g.progress_sum * 1000.0).round() as i64,
                    )
                })
                .collect();
            v.sort();
            v
        };
        if key(&fast) != key(&slow) {
            differ.push(by.name());
        }
    }
    Ok(differ)
}

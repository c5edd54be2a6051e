//! The yearly status: every task of a year as it stood at the year's end (or a chosen day),
//! rebuilt from the history, summarised, and written as CSV, Excel, Markdown, HTML or JSON.

pub mod csv;
pub mod docx;
mod escape;
pub mod fill;
pub mod html;
pub mod md;
pub mod notice;
pub mod outline;
mod page;
pub mod word;
pub mod xlsx;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::db::replay::{end_of_day, replay_each, rollup_at, start_of_day, Replayed};
use crate::model::field::Column;
use crate::model::{Kind, Lang, Outline, Status, Word};
use crate::Result;

/// The version of the JSON export's shape; raised when a field changes meaning or goes away.
/// 2 (issue 17): `tasks` are in the order of the rows (sub-tasks right after their parent), a
/// sub-task without an area holds its parent's, every task has a ref, and `unaddressed` holds
/// refs; `number`, `parent_id`, `original_deadline` and `extended` were added.
pub const SCHEMA_VERSION: u32 = 2;

/// Who, what and when the export describes.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub ledger: String,
    /// The unit the ledger belongs to (`config name`), named in the title; null when unset.
    pub name: Option<String>,
    pub year: i32,
    pub as_of: NaiveDate,
    pub outline: String,
    /// The name of the outline period (法治政府建设实施纲要（2021—2025年）, 十五五), shown before
    /// its span; none when the ledger has no period for the year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outline_name: Option<String>,
    /// Whether `year` is the closing year of the outline period, the year supervisors check.
    pub closing_year: bool,
    pub generated_at: String,
    /// The zone the text exports show times in (the ledger's setting); JSON keeps the stored
    /// RFC 3339 times and leaves it out.
    #[serde(skip)]
    pub timezone: chrono_tz::Tz,
    /// Only the tasks of these units and person (`export --owner/--person`); all when empty.
    #[serde(skip)]
    pub scope: crate::db::tasks::Scope,
}

impl Header {
    /// When the export was made, as a local time of the ledger's zone, naming the zone:
    /// "2025-03-01 09:00:00 北京时间（Asia/Shanghai）".
    pub fn generated_local(&self, lang: Lang) -> String {
        local_time(&self.generated_at, self.timezone, lang)
    }
}

/// One task as the export shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Position in the export, from 1, counting every row.
    pub no: usize,
    /// The 序号 as printed: "3" for a task, "3.1" for its first sub-task (directly under it).
    pub number: String,
    pub id: i64,
    /// The parent task, for a sub-task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub kind: Kind,
    pub area: Option<String>,
    pub outline_area: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub co_owners: Vec<String>,
    /// The responsible person (责任人).
    pub person: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub deadline_text: Option<String>,
    /// The first deadline (原定时限), from the history: the deadline the task had before its
    /// first change, or its deadline when it never changed.
    pub original_deadline: Option<NaiveDate>,
    /// How many times the deadline was put later (延期), by an approved extension or an update.
    pub extended: u32,
    /// The plan year (计划年度).
    pub year: i32,
    pub status: Status,
    pub progress: u8,
    pub overdue: bool,
    pub latest_note: Option<String>,
    pub completed_at: Option<String>,
    /// `completed_at` as a local time of the export's zone, for the text exports.
    #[serde(skip)]
    pub completed_local: Option<String>,
    /// The extension request pending on the export's day (申请延期待审批), if any.
    pub pending_extension: Option<PendingExtension>,
    /// The evidence (佐证材料) attached by the export's day.
    pub evidence: Vec<crate::db::evidence::Evidence>,
    /// The plan year the task was carried over from (结转自), if its year came by a carry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<i32>,
}

/// A pending extension request as the export shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PendingExtension {
    /// The deadline asked for.
    pub to: NaiveDate,
    pub reason: String,
    pub asked_by: String,
    pub asked_at: String,
}

/// Counts for a set of tasks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub total: u64,
    /// Tasks per status (English words as keys).
    pub by_status: BTreeMap<String, u64>,
    /// Done or verified, as a share of the tasks that are not cancelled, 0–100 with one decimal.
    pub completion_rate: f64,
    pub overdue: u64,
    /// Mean progress of the tasks that are not cancelled, 0–100 with one decimal.
    pub progress: f64,
}

/// The summary of a group (an area, an owner).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The area or owner; null for tasks without one.
    pub name: Option<String>,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The year's summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub counts: Counts,
    /// Tasks per kind (English words as keys).
    pub by_kind: BTreeMap<String, u64>,
}

/// A shortcoming with the commitments and tasks that address it.
#[derive(Debug, Clone, Serialize)]
pub struct ShortcomingStatus {
    pub shortcoming: Row,
    pub addressed_by: Vec<Row>,
    /// The earlier shortcomings it repeats (重复出现, `link --same-as`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recurs: Vec<outline::Recurrence>,
}

/// The whole yearly status.
#[derive(Debug, Clone, Serialize)]
pub struct YearStatus {
    pub schema_version: u32,
    pub header: Header,
    pub summary: Summary,
    pub areas: Vec<Group>,
    pub owners: Vec<Group>,
    pub shortcomings: Vec<ShortcomingStatus>,
    /// Refs (or ids, as "#12") of the shortcomings that nothing addresses.
    pub unaddressed: Vec<String>,
    pub tasks: Vec<Row>,
}

/// Whether a replayed task belongs to year `y`: its plan year is `y`, its deadline falls in
/// `y`, or it was open at some moment of `y`; a task cancelled before `y` began stays out.
fn belongs(r: &Replayed, y: i32) -> bool {
    if r.cancelled_before_window && !r.open_in_window {
        return false;
    }
    let t = &r.task;
    t.year == y
        || t.deadline
            .is_some_and(|d| crate::model::date::year_of(d) == y)
        || r.open_in_window
}

fn row(no: usize, r: &Replayed) -> Row {
    into_row(no, r.clone())
}

/// The row of a task, taking its strings rather than copying them.
fn into_row(no: usize, r: Replayed) -> Row {
    let t = r.task;
    Row {
        no,
        number: String::new(),
        id: t.id,
        parent_id: t.parent_id,
        reference: t.reference,
        kind: t.kind,
        area: t.area,
        outline_area: t.outline_area,
        title: t.title,
        owner: t.owner,
        co_owners: t.co_owners,
        person: t.person,
        original_deadline: t.deadline,
        extended: 0,
        deadline: t.deadline,
        deadline_text: t.deadline_text,
        year: t.year,
        status: t.status,
        progress: t.progress,
        overdue: t.overdue,
        latest_note: r.latest_note,
        completed_at: t.completed_at,
        completed_local: None,
        pending_extension: None,
        evidence: Vec::new(),
        carried_from: None,
    }
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Running counts of a set of rows.
#[derive(Debug, Clone, Default)]
struct Acc {
    total: u64,
    by_status: [u64; 6],
    overdue: u64,
    live: u64,
    finished: u64,
    progress: u64,
}

impl Acc {
    fn add(&mut self, r: &Row) {
        self.total += 1;
        if let Some(i) = Status::ALL.iter().position(|s| *s == r.status) {
            self.by_status[i] += 1;
        }
        self.overdue += u64::from(r.overdue);
        if r.status != Status::Cancelled {
            self.live += 1;
            self.progress += u64::from(r.progress);
            self.finished += u64::from(r.status.is_finished());
        }
    }

    fn counts(&self) -> Counts {
        let mut c = Counts {
            total: self.total,
            overdue: self.overdue,
            ..Counts::default()
        };
        for (s, n) in Status::ALL.iter().zip(self.by_status) {
            c.by_status.insert(s.en().to_string(), n);
        }
        if self.live > 0 {
            c.completion_rate = one_decimal(self.finished as f64 * 100.0 / self.live as f64);
            c.progress = one_decimal(self.progress as f64 / self.live as f64);
        }
        c
    }
}

/// Running counts per group, with the smallest task id of each.
#[derive(Debug, Default)]
struct Groups {
    acc: HashMap<Option<String>, (i64, Acc)>,
}

impl Groups {
    fn add(&mut self, key: &Option<String>, r: &Row) {
        let e = self
            .acc
            .entry(key.clone())
            .or_insert_with(|| (r.id, Acc::default()));
        e.0 = e.0.min(r.id);
        e.1.add(r);
    }

    /// Areas in the report's order: the order they first appear, by the smallest task id of
    /// each; the tasks without an area last.
    fn areas(self) -> Vec<Group> {
        let mut v: Vec<_> = self.acc.into_iter().collect();
        v.sort_by_key(|(k, (first, _))| (k.is_none(), *first));
        v.into_iter()
            .map(|(name, (_, a))| Group {
                name,
                counts: a.counts(),
            })
            .collect()
    }

    /// Units by their number of tasks, most first, then by name; the tasks without a unit
    /// last.
    fn units(self) -> Vec<Group> {
        let mut v: Vec<_> = self.acc.into_iter().collect();
        v.sort_by(|(ka, (_, a)), (kb, (_, b))| {
            (ka.is_none(), std::cmp::Reverse(a.total), ka).cmp(&(
                kb.is_none(),
                std::cmp::Reverse(b.total),
                kb,
            ))
        });
        v.into_iter()
            .map(|(name, (_, a))| Group {
                name,
                counts: a.counts(),
            })
            .collect()
    }
}

/// The rows of one top-level task and its sub-tasks (at any depth), waiting until the replay
/// has passed the last of them, so that they go out together: the parent, then its sub-tasks.
struct Family {
    /// The rows in the order they came (id order), each with the index of its parent row.
    rows: Vec<(Row, Option<usize>)>,
    /// The id after which no more of its sub-tasks can come (by the current tree).
    until: i64,
}

/// Puts sub-tasks directly under their parent while the rows stream in id order, holding
/// back only the rows between a parent and its last sub-task. A sub-task whose parent is not
/// among the rows (outside the year or the export's scope, or a parent with a higher id
/// than its sub-task) is a row of its own, numbered at the top level.
struct Order {
    last_child: HashMap<i64, i64>,
    waiting: std::collections::VecDeque<Family>,
    /// Families popped so far: the place of a family in `waiting` is its number minus this.
    popped: usize,
    /// Where each row that may still get sub-tasks sits: (family number, row index).
    open: HashMap<i64, (usize, usize)>,
}

impl Order {
    fn new(last_child: HashMap<i64, i64>) -> Order {
        Order {
            last_child,
            waiting: std::collections::VecDeque::new(),
            popped: 0,
            open: HashMap::new(),
        }
    }

    fn push(&mut self, row: Row) {
        let last = self.last_child.get(&row.id).copied();
        let id = row.id;
        let place = row
            .parent_id
            .and_then(|p| self.open.get(&p).copied())
            .and_then(|(fam, at)| Some((fam, at, self.waiting.get_mut(fam - self.popped)?)));
        let (fam, index) = match place {
            Some((fam, at, family)) => {
                family.rows.push((row, Some(at)));
                if let Some(l) = last {
                    family.until = family.until.max(l);
                }
                (fam, family.rows.len() - 1)
            }
            None => {
                self.waiting.push_back(Family {
                    rows: vec![(row, None)],
                    until: last.unwrap_or(id).max(id),
                });
                (self.popped + self.waiting.len() - 1, 0)
            }
        };
        if last.is_some() {
            self.open.insert(id, (fam, index));
        }
    }

    /// The families complete once the replay has reached task `id` (all when `None`).
    fn ready(&mut self, id: Option<i64>) -> Vec<Family> {
        let mut out = Vec::new();
        while self
            .waiting
            .front()
            .is_some_and(|f| id.is_none_or(|id| f.until <= id))
        {
            if let Some(f) = self.waiting.pop_front() {
                self.popped += 1;
                for (r, _) in &f.rows {
                    self.open.remove(&r.id);
                }
                out.push(f);
            }
        }
        out
    }
}

/// What the rows add up to as they go out.
struct Tally<'a> {
    keep_rows: bool,
    no: usize,
    top: usize,
    summary: Acc,
    by_kind: BTreeMap<String, u64>,
    areas: Groups,
    owners: Groups,
    tasks: Vec<Row>,
    shortcomings: Vec<Row>,
    /// The place and 序号 of each row, for the rows of the tasks that address a shortcoming.
    numbers: HashMap<i64, (usize, String)>,
    sink: &'a mut dyn FnMut(&Row) -> Result<()>,
}

impl Tally<'_> {
    /// Numbers a family's rows (3, 3.1, 3.1.1 …), parent first, each sub-task right under its
    /// parent, gives a sub-task without an area its parent's, and sends the rows on.
    fn family(&mut self, f: Family) -> Result<()> {
        self.top += 1;
        let n = f.rows.len();
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, (_, p)) in f.rows.iter().enumerate() {
            if let Some(p) = p {
                kids[*p].push(i);
            }
        }
        let mut slots: Vec<Option<Row>> = f.rows.into_iter().map(|(r, _)| Some(r)).collect();
        // Depth first from the top row: (index, number, the parent's area).
        let mut stack = vec![(0usize, self.top.to_string(), None::<String>)];
        while let Some((i, number, area)) = stack.pop() {
            let Some(mut row) = slots.get_mut(i).and_then(Option::take) else {
                continue;
            };
            row.number = number;
            if row.area.is_none() {
                row.area = area;
            }
            for (k, &c) in kids[i].iter().enumerate().rev() {
                stack.push((c, format!("{}.{}", row.number, k + 1), row.area.clone()));
            }
            self.emit(row)?;
        }
        Ok(())
    }

    fn emit(&mut self, mut row: Row) -> Result<()> {
        self.no += 1;
        row.no = self.no;
        self.summary.add(&row);
        *self.by_kind.entry(row.kind.en().to_string()).or_default() += 1;
        self.areas.add(&row.area, &row);
        self.owners.add(&row.owner, &row);
        (self.sink)(&row)?;
        if self.keep_rows {
            self.numbers.insert(row.id, (row.no, row.number.clone()));
            if row.kind == Kind::Shortcoming {
                self.shortcomings.push(row.clone());
            }
            self.tasks.push(row);
        }
        Ok(())
    }
}

/// Builds the yearly status of `header.year` as it stood on `header.as_of`, replaying the
/// history task by task. Every selected row goes to `sink` as soon as it is known (a parent's
/// rows wait for its last sub-task, so that the sub-tasks follow it), so that a CSV or
/// workbook is written with memory that does not grow with the number of rows;
/// `keep_rows` also keeps them (and the shortcomings with what addresses them) in the result,
/// for the document formats.
pub fn stream(
    conn: &Connection,
    header: Header,
    keep_rows: bool,
    sink: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<YearStatus> {
    stream_seeing(conn, header, keep_rows, None, sink)
}

/// What `stream_seeing` shows every replayed task to.
pub type Seen<'a> = dyn FnMut(&Replayed) -> Result<()> + 'a;

/// `stream`, showing `each` every replayed task (selected or not, with the shortcomings it
/// addresses then) before `sink` gets its row, if it has one. A streamed document that prints
/// the shortcomings section (the Word export) keeps what it needs of them in its own compact
/// form, where `keep_rows` would keep every row whole.
pub fn stream_seeing(
    conn: &Connection,
    header: Header,
    keep_rows: bool,
    mut each: Option<&mut Seen<'_>>,
    sink: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<YearStatus> {
    let y = header.year;
    let cutoff = end_of_day(header.as_of);
    let start = NaiveDate::from_ymd_opt(y, 1, 1).map(start_of_day);
    // First pass: what the sub-tasks' progress was, so a parent's row is right when it comes.
    let kids = rollup_at(conn, Some(&cutoff))?;
    // Units are shown (and grouped) by their current names.
    let current = crate::db::units::Current::load(conn)?;
    // The requests pending at the cut-off; few, so they are read once and looked up per row.
    let mut pending: HashMap<i64, PendingExtension> =
        crate::db::requests::pending_at(conn, &cutoff)?
            .into_iter()
            .map(|r| {
                (
                    r.task_id,
                    PendingExtension {
                        to: r.deadline,
                        reason: r.reason,
                        asked_by: r.actor,
                        asked_at: r.at,
                    },
                )
            })
            .collect();
    let mut evidence: HashMap<i64, Vec<crate::db::evidence::Evidence>> = HashMap::new();
    for e in crate::db::evidence::attached_by(conn, &cutoff)? {
        evidence.entry(e.task_id).or_default().push(e);
    }
    // How deadlines moved by then (原定时限, 延期), and where sub-tasks end.
    let moves = crate::db::rows::moves(conn, Some(&cutoff))?;
    let mut order = Order::new(crate::db::rows::last_children(conn)?);

    // The tasks carried into a later year by then (结转自), marked in their rows.
    let carried = crate::db::carry::carried_from(conn, Some(&cutoff))?;
    // Confirmed recurrences (later, earlier), and the earlier shortcomings as they stood.
    let repeats = crate::db::recur::pairs(conn, &cutoff)?;
    let wanted: std::collections::HashSet<i64> = repeats.iter().map(|p| p.1).collect();
    let mut earlier: HashMap<i64, (String, i32, Status)> = HashMap::new();
    let mut tally = Tally {
        keep_rows,
        no: 0,
        top: 0,
        summary: Acc::default(),
        by_kind: Kind::ALL.iter().map(|k| (k.en().to_string(), 0)).collect(),
        areas: Groups::default(),
        owners: Groups::default(),
        tasks: Vec::new(),
        shortcomings: Vec::new(),
        numbers: HashMap::new(),
        sink,
    };
    // Tasks that address a shortcoming, whatever their year: (shortcoming, row).
    let mut addressing: Vec<(i64, Row)> = Vec::new();
    replay_each(
        conn,
        Some(&cutoff),
        start.as_deref(),
        header.as_of,
        &kids,
        |mut r| {
            let selected = belongs(&r, y) && header.scope.matches(&r.task);
            if wanted.contains(&r.task.id) {
                let t = &r.task;
                let label = t.reference.clone().unwrap_or_else(|| format!("#{}", t.id));
                earlier.insert(t.id, (label, t.year, t.status));
            }
            current.relabel(&mut r.task);
            if let Some(f) = each.as_mut() {
                f(&r)?;
            }
            // Links are looked at below; the rest of the task moves into its row uncopied.
            let addresses = std::mem::take(&mut r.addresses);
            let id = r.task.id;
            if keep_rows && !addresses.is_empty() {
                for s in &addresses {
                    addressing.push((*s, row(0, &r)));
                }
            }
            if selected {
                let mut row = into_row(0, r);
                row.completed_local = row
                    .completed_at
                    .as_deref()
                    .map(|s| crate::model::zone::local(s, header.timezone));
                row.pending_extension = pending.remove(&row.id);
                row.evidence = evidence.remove(&row.id).unwrap_or_default();
                row.carried_from = carried.get(&row.id).copied();
                if let Some(m) = moves.get(&row.id) {
                    row.original_deadline = m.first;
                    row.extended = m.later;
                }
                order.push(row);
            }
            for f in order.ready(Some(id)) {
                tally.family(f)?;
            }
            Ok(())
        },
    )?;
    for f in order.ready(None) {
        tally.family(f)?;
    }
    let Tally {
        summary,
        by_kind,
        areas,
        owners,
        tasks,
        shortcomings,
        numbers,
        ..
    } = tally;

    let mut addressed: HashMap<i64, Vec<Row>> = HashMap::new();
    for (s, mut row) in addressing {
        if let Some((no, number)) = numbers.get(&row.id) {
            row.no = *no;
            row.number = number.clone();
        }
        if let Some(m) = moves.get(&row.id) {
            row.original_deadline = m.first;
            row.extended = m.later;
        }
        addressed.entry(s).or_default().push(row);
    }
    // An earlier shortcoming was closed off when it was finished, or addressed and every
    // task addressing it finished: the evaluation's rule.
    let closed = |id: i64, status: Status| {
        let by = addressed.get(&id).map(Vec::as_slice).unwrap_or_default();
        status.is_finished() || (!by.is_empty() && by.iter().all(|a| a.status.is_finished()))
    };
    let recurs_of = |id: i64| -> Vec<outline::Recurrence> {
        repeats
            .iter()
            .filter(|p| p.0 == id)
            .filter_map(|&(_, e)| {
                let (label, year, status) = earlier.get(&e)?.clone();
                Some(outline::Recurrence {
                    id: e,
                    label,
                    year,
                    closed: closed(e, status),
                })
            })
            .collect()
    };
    let recurs: Vec<Vec<outline::Recurrence>> =
        shortcomings.iter().map(|s| recurs_of(s.id)).collect();
    let shortcomings: Vec<ShortcomingStatus> = shortcomings
        .into_iter()
        .zip(recurs)
        .map(|(s, recurs)| ShortcomingStatus {
            addressed_by: addressed.remove(&s.id).unwrap_or_default(),
            shortcoming: s,
            recurs,
        })
        .collect();
    let unaddressed = shortcomings
        .iter()
        .filter(|s| s.addressed_by.is_empty())
        .map(|s| label_of(&s.shortcoming))
        .collect();
    Ok(YearStatus {
        schema_version: SCHEMA_VERSION,
        header,
        summary: Summary {
            counts: summary.counts(),
            by_kind,
        },
        areas: areas.areas(),
        owners: owners.units(),
        shortcomings,
        unaddressed,
        tasks,
    })
}

/// How a task is named in cross-references: its ref, else "#id".
pub fn label_of(r: &Row) -> String {
    r.reference.clone().unwrap_or_else(|| format!("#{}", r.id))
}

impl Header {
    /// The export's title, led by the unit's name when the ledger has one:
    /// "常州市天宁区2025年度法治政府建设任务完成情况".
    pub fn title(&self, lang: Lang) -> String {
        let name = self.name.as_deref().unwrap_or_default();
        // English leads with "name: " only when there is a name; Chinese glues the name on.
        if name.is_empty() {
            crate::tr!(lang, "export.title", year = self.year)
        } else {
            crate::tr!(lang, "export.title_of_unit", name = name, year = self.year)
        }
    }
}

/// A stored RFC 3339 stamp as the ledger's local date and time, with the zone named, the way
/// a printed report gives it ("2026-02-01 09:00:00 北京时间（Asia/Shanghai）"): the one form
/// the year export and the closing evaluation show the time they were made in.
pub fn local_time(stamp: &str, tz: chrono_tz::Tz, lang: Lang) -> String {
    format!(
        "{} {}",
        crate::model::zone::local(stamp, tz),
        crate::model::zone::label(tz, lang)
    )
}

/// The header for `year` as of `as_of`.
pub fn header(ledger: String, year: i32, as_of: NaiveDate, outline: Outline, now: &str) -> Header {
    Header {
        ledger,
        name: None,
        year,
        as_of,
        outline: outline.to_string(),
        outline_name: None,
        closing_year: year == outline.end,
        generated_at: now.to_string(),
        timezone: crate::model::zone::DEFAULT,
        scope: crate::db::tasks::Scope::default(),
    }
}

impl Header {
    /// The period as every format names it: its name, then its span.
    pub fn outline_label(&self) -> String {
        match &self.outline_name {
            Some(name) => format!("{name} {}", self.outline),
            None => self.outline.clone(),
        }
    }
}

/// A column of the text exports: a task column from the description (`Column::exported`
/// gives its heading), or one the export derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The 序号: 1, 2 … with sub-tasks numbered 1.1, 1.2 under their parent.
    No,
    Task(Column),
    /// The first deadline (原定时限), from the history.
    OriginalDeadline,
    /// Whether (and how often) the deadline was put later (延期).
    Extended,
    Overdue,
    LatestNote,
    /// The pending extension request (申请延期待审批).
    Extension,
    /// The evidence (佐证材料): file names with their hash, references.
    Evidence,
}

/// The text exports' columns, in order. Every column the description marks exported is here
/// (a unit test checks it).
pub const CELLS: [Cell; 19] = [
    Cell::No,
    Cell::Task(Column::Ref),
    Cell::Task(Column::Kind),
    Cell::Task(Column::Area),
    Cell::Task(Column::Title),
    Cell::Task(Column::Owner),
    Cell::Task(Column::CoOwners),
    Cell::Task(Column::Year),
    Cell::OriginalDeadline,
    Cell::Task(Column::Deadline),
    Cell::Extended,
    Cell::Task(Column::Status),
    Cell::Task(Column::Progress),
    Cell::Task(Column::CompletedAt),
    Cell::Overdue,
    Cell::LatestNote,
    // Last, so that the columns before it keep the places readers and scripts know.
    Cell::Task(Column::Person),
    Cell::Extension,
    Cell::Evidence,
];

impl Cell {
    /// The catalogue key of its heading.
    fn key(self) -> &'static str {
        match self {
            Cell::No => "export.col.no",
            Cell::Task(Column::Ref) => "export.col.ref",
            Cell::Task(Column::Kind) => "export.col.kind",
            Cell::Task(Column::Area) => "export.col.area",
            Cell::Task(Column::Title) => "export.col.title",
            Cell::Task(Column::Owner) => "export.col.owner",
            Cell::Task(Column::CoOwners) => "export.col.co_owners",
            Cell::Task(Column::Person) => "export.col.person",
            Cell::Task(Column::Year) => "export.col.year",
            Cell::Task(Column::Deadline) => "export.col.deadline",
            Cell::Task(Column::Status) => "export.col.status",
            Cell::Task(Column::Progress) => "export.col.progress",
            Cell::Task(Column::CompletedAt) => "export.col.completed_at",
            Cell::Task(_) => "export.col.other",
            Cell::OriginalDeadline => "export.col.original_deadline",
            Cell::Extended => "export.col.extended",
            Cell::Overdue => "export.col.overdue",
            Cell::LatestNote => "export.col.latest_note",
            Cell::Extension => "export.col.extension",
            Cell::Evidence => "export.col.evidence",
        }
    }

    /// The heading in the given language, from the catalogue (`export.col.*`).
    pub fn label(self, lang: Lang) -> &'static str {
        match crate::i18n::text(lang, self.key()) {
            std::borrow::Cow::Borrowed(s) => s,
            // Only a key missing from the catalogue comes back owned; the catalogue tests
            // never let one through.
            std::borrow::Cow::Owned(_) => self.key(),
        }
    }

    /// The text of the cell for a row. Progress is "40%".
    pub fn text(self, r: &Row, lang: Lang) -> String {
        match self {
            Cell::No => r.number.clone(),
            Cell::OriginalDeadline => match r.original_deadline {
                Some(d) => d.to_string(),
                None => crate::tr!(lang, "export.continuous"),
            },
            Cell::Extended => extended_text(r.extended, lang),
            Cell::Overdue => yes(r.overdue, lang),
            Cell::LatestNote => r.latest_note.clone().unwrap_or_default(),
            Cell::Extension => r
                .pending_extension
                .as_ref()
                .map(|p| {
                    crate::tr!(
                        lang,
                        "export.pending_extension",
                        to = p.to,
                        reason = p.reason
                    )
                })
                .unwrap_or_default(),
            Cell::Evidence => r
                .evidence
                .iter()
                .map(crate::db::evidence::Evidence::label)
                .collect::<Vec<_>>()
                .join("；"),
            Cell::Task(c) => match c {
                Column::Id => r.id.to_string(),
                Column::Ref => r.reference.clone().unwrap_or_default(),
                Column::Kind => r.kind.label(lang).to_string(),
                Column::Area => r.area.clone().unwrap_or_default(),
                Column::OutlineArea => r.outline_area.clone().unwrap_or_default(),
                Column::Title => match r.carried_from {
                    Some(y) => crate::db::carry::marked_title(&r.title, y, lang),
                    None => r.title.clone(),
                },
                Column::Owner => r.owner.clone().unwrap_or_default(),
                Column::CoOwners => r.co_owners.join("、"),
                Column::Person => r.person.clone().unwrap_or_default(),
                Column::Deadline => deadline_text(r, lang),
                Column::DeadlineText => r.deadline_text.clone().unwrap_or_default(),
                Column::Status => r.status.shown(r.kind, lang),
                Column::Progress => format!("{}%", r.progress),
                Column::Year => r.year.to_string(),
                Column::CompletedAt => r
                    .completed_local
                    .clone()
                    .or_else(|| r.completed_at.clone())
                    .unwrap_or_default(),
                // Not in the export's rows; `Column::exported` leaves them out.
                Column::DocumentId
                | Column::ParentId
                | Column::CreatedAt
                | Column::UpdatedAt
                | Column::Contact
                | Column::Body => String::new(),
            },
        }
    }
}

/// The column headers of the text formats, in `CELLS` order.
pub fn columns(lang: Lang) -> [&'static str; CELLS.len()] {
    CELLS.map(|c| c.label(lang))
}

/// The text cells of a row, in `columns` order, for the text formats.
pub fn cells(r: &Row, lang: Lang) -> [String; CELLS.len()] {
    CELLS.map(|c| c.text(r, lang))
}

/// The 延期 mark: empty when the deadline never moved later, "延期" once, "延期2次" after two
/// extensions.
pub fn extended_text(n: u32, lang: Lang) -> String {
    match n {
        0 => String::new(),
        1 => crate::tr!(lang, "export.extended_once"),
        n => crate::tr!(lang, "export.extended_times", count = n),
    }
}

/// The deadline as an ISO date, or the words for continuous work.
pub fn deadline_text(r: &Row, lang: Lang) -> String {
    r.deadline
        .map(|d| d.to_string())
        .unwrap_or_else(|| crate::tr!(lang, "export.continuous"))
}

/// The day a task was finished: the date of its completion stamp, as recorded (local time).
pub fn completed_day(r: &Row) -> Option<NaiveDate> {
    let s = r.completed_at.as_deref()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// "是" or "" (zh), "yes" or "" (en).
pub fn yes(b: bool, lang: Lang) -> String {
    if b {
        crate::tr!(lang, "export.yes")
    } else {
        String::new()
    }
}

/// The name shown for a group without a name.
pub fn group_name(g: &Group, owner: bool, lang: Lang) -> String {
    g.name
        .clone()
        .unwrap_or_else(|| crate::render::none_label(lang, owner).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column the description marks exported has its place in `CELLS`, once, and
    /// `CELLS` holds no task column the description leaves out of the export.
    #[test]
    fn cells_match_the_description() {
        for c in Column::ALL {
            let n = CELLS.iter().filter(|x| **x == Cell::Task(c)).count();
            assert_eq!(n, usize::from(c.exported().is_some()), "{c:?}");
        }
    }
}

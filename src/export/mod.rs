//! The yearly status: every task of a year as it stood at the year's end (or a chosen day),
//! rebuilt from the history, summarised, and written as CSV, Excel, Markdown, HTML or JSON.

pub mod csv;
pub mod html;
pub mod md;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::replay::Replayed;
use crate::model::{Kind, Lang, Outline, Status, Word};

/// The version of the JSON export's shape; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Md,
    Html,
    Json,
}

/// Who, what and when the export describes.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub ledger: String,
    pub year: i32,
    pub as_of: NaiveDate,
    pub outline: String,
    /// Whether `year` is the closing year of the outline period, the year supervisors check.
    pub closing_year: bool,
    pub generated_at: String,
}

/// One task as the export shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Position in the export (序号), from 1.
    pub no: usize,
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub kind: Kind,
    pub area: Option<String>,
    pub outline_area: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub co_owners: Vec<String>,
    pub deadline: Option<NaiveDate>,
    pub deadline_text: Option<String>,
    pub year: i32,
    pub status: Status,
    pub progress: u8,
    pub overdue: bool,
    pub latest_note: Option<String>,
    pub completed_at: Option<String>,
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
    let t = &r.task;
    Row {
        no,
        id: t.id,
        reference: t.reference.clone(),
        kind: t.kind,
        area: t.area.clone(),
        outline_area: t.outline_area.clone(),
        title: t.title.clone(),
        owner: t.owner.clone(),
        co_owners: t.co_owners.clone(),
        deadline: t.deadline,
        deadline_text: t.deadline_text.clone(),
        year: t.year,
        status: t.status,
        progress: t.progress,
        overdue: t.overdue,
        latest_note: r.latest_note.clone(),
        completed_at: t.completed_at.clone(),
    }
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn counts<'a>(rows: impl Iterator<Item = &'a Row>) -> Counts {
    let mut c = Counts::default();
    for s in Status::ALL {
        c.by_status.insert(s.en().to_string(), 0);
    }
    let (mut live, mut finished, mut progress) = (0u64, 0u64, 0u64);
    for r in rows {
        c.total += 1;
        *c.by_status.entry(r.status.en().to_string()).or_default() += 1;
        c.overdue += u64::from(r.overdue);
        if r.status != Status::Cancelled {
            live += 1;
            progress += u64::from(r.progress);
            finished += u64::from(r.status.is_finished());
        }
    }
    if live > 0 {
        c.completion_rate = one_decimal(finished as f64 * 100.0 / live as f64);
        c.progress = one_decimal(progress as f64 / live as f64);
    }
    c
}

fn groups(rows: &[Row], key: impl Fn(&Row) -> Option<String>) -> Vec<Group> {
    // Groups keep the order in which they first appear, which for areas is the report's order.
    let mut order: Vec<Option<String>> = Vec::new();
    let mut members: BTreeMap<Option<String>, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        let k = key(r);
        if !members.contains_key(&k) {
            order.push(k.clone());
        }
        members.entry(k).or_default().push(r);
    }
    order
        .into_iter()
        .map(|k| {
            let c = counts(members.get(&k).into_iter().flatten().copied());
            Group { name: k, counts: c }
        })
        .collect()
}

/// Builds the yearly status from the tasks replayed up to the as-of moment.
pub fn build(replayed: &BTreeMap<i64, Replayed>, header: Header) -> YearStatus {
    let y = header.year;
    let selected: Vec<&Replayed> = replayed.values().filter(|r| belongs(r, y)).collect();
    let tasks: Vec<Row> = selected
        .iter()
        .enumerate()
        .map(|(i, r)| row(i + 1, r))
        .collect();
    let mut by_kind: BTreeMap<String, u64> =
        Kind::ALL.iter().map(|k| (k.en().to_string(), 0)).collect();
    for t in &tasks {
        *by_kind.entry(t.kind.en().to_string()).or_default() += 1;
    }
    let summary = Summary {
        counts: counts(tasks.iter()),
        by_kind,
    };
    let areas = groups(&tasks, |r| r.area.clone());
    let owners = groups(&tasks, |r| r.owner.clone());

    // Who addressed each shortcoming, as the links stood at the as-of moment.
    let mut addressed: BTreeMap<i64, Vec<&Replayed>> = BTreeMap::new();
    for r in replayed.values() {
        for s in &r.addresses {
            addressed.entry(*s).or_default().push(r);
        }
    }
    let numbers: std::collections::HashMap<i64, usize> =
        tasks.iter().map(|t| (t.id, t.no)).collect();
    let shortcomings: Vec<ShortcomingStatus> = tasks
        .iter()
        .filter(|t| t.kind == Kind::Shortcoming)
        .map(|s| ShortcomingStatus {
            shortcoming: s.clone(),
            addressed_by: addressed
                .get(&s.id)
                .into_iter()
                .flatten()
                .map(|r| row(numbers.get(&r.task.id).copied().unwrap_or(0), r))
                .collect(),
        })
        .collect();
    let unaddressed = shortcomings
        .iter()
        .filter(|s| s.addressed_by.is_empty())
        .map(|s| label_of(&s.shortcoming))
        .collect();
    YearStatus {
        schema_version: SCHEMA_VERSION,
        header,
        summary,
        areas,
        owners,
        shortcomings,
        unaddressed,
        tasks,
    }
}

/// How a task is named in cross-references: its ref, else "#id".
pub fn label_of(r: &Row) -> String {
    r.reference.clone().unwrap_or_else(|| format!("#{}", r.id))
}

/// The header for `year` as of `as_of`.
pub fn header(ledger: String, year: i32, as_of: NaiveDate, outline: Outline, now: &str) -> Header {
    Header {
        ledger,
        year,
        as_of,
        outline: outline.to_string(),
        closing_year: year == outline.end,
        generated_at: now.to_string(),
    }
}

/// The column headers of the task table, in the usual ledger order.
pub fn columns(lang: Lang) -> [&'static str; 12] {
    match lang {
        Lang::Zh => [
            "序号",
            "来源",
            "类型",
            "领域",
            "任务",
            "牵头单位",
            "配合单位",
            "完成时限",
            "状态",
            "进度",
            "逾期",
            "最新进展",
        ],
        Lang::En => [
            "No.",
            "Ref",
            "Kind",
            "Area",
            "Title",
            "Owner",
            "Co-owners",
            "Deadline",
            "Status",
            "Progress",
            "Overdue",
            "Latest note",
        ],
    }
}

/// The text cells of a row, in `columns` order, for the text formats. Progress is "40%".
pub fn cells(r: &Row, lang: Lang) -> [String; 12] {
    [
        r.no.to_string(),
        r.reference.clone().unwrap_or_default(),
        r.kind.label(lang).to_string(),
        r.area.clone().unwrap_or_default(),
        r.title.clone(),
        r.owner.clone().unwrap_or_default(),
        r.co_owners.join("、"),
        deadline_text(r, lang),
        r.status.label(lang).to_string(),
        format!("{}%", r.progress),
        yes(r.overdue, lang).to_string(),
        r.latest_note.clone().unwrap_or_default(),
    ]
}

/// The deadline as an ISO date, or the words for continuous work.
pub fn deadline_text(r: &Row, lang: Lang) -> String {
    r.deadline
        .map(|d| d.to_string())
        .unwrap_or_else(|| lang.pick("长期坚持", "continuous").to_string())
}

/// "是" or "" (zh), "yes" or "" (en).
pub fn yes(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (true, Lang::En) => "yes",
        (false, _) => "",
    }
}

/// The name shown for a group without a name.
pub fn group_name(g: &Group, owner: bool, lang: Lang) -> String {
    g.name
        .clone()
        .unwrap_or_else(|| crate::report::none_label(lang, owner).to_string())
}

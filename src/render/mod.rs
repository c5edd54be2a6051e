//! Printed tables: the progress table, task lists, a task's details and its history. Tables are
//! drawn with ASCII borders, because CJK terminals draw box-drawing characters two columns wide
//! and break the alignment that comfy-table computes from display widths.

use comfy_table::Color;
use unicode_width::UnicodeWidthStr;

use crate::db::progress::{GroupBy, Progress};
use crate::model::{HistoryRow, Lang, Task, Word};

pub mod escape;
pub mod grid;

pub use grid::{Col, Fitted, Grid};

/// How a table is drawn: in which language, and whether it may use colour.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub lang: Lang,
    pub color: bool,
    /// The width tables must fit in; `None` (output not to a terminal, no COLUMNS) draws every
    /// row whole on one line.
    pub width: Option<usize>,
    /// `--wide`: show every column even when the table is then wider than `width`.
    pub wide: bool,
}

impl Style {
    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

/// Text as it may be shown in a terminal: control and bidi-override characters (escape
/// sequences, NUL, U+202E …) are written as visible escapes so that ledger data can never
/// drive the terminal or reorder what a line appears to say. Line breaks stay.
pub fn printable(s: &str) -> String {
    escape::escape(s, &['\n']).into_owned()
}

/// Shortens text to `max` display columns (CJK characters count two), ending with "…".
pub fn fit(s: &str, max: usize) -> String {
    let s = printable(s).replace('\n', " ");
    if s.width() <= max {
        return s;
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// A text bar for a progress figure: ten cells, one per ten points.
pub fn bar(progress: f64) -> String {
    let filled = ((progress / 10.0).round() as usize).min(10);
    format!("{}{}", "#".repeat(filled), "-".repeat(10 - filled))
}

/// The label shown for a missing value.
pub fn none_label(lang: Lang, owner: bool) -> &'static str {
    match (lang, owner) {
        (Lang::Zh, true) => "（未分配）",
        (Lang::En, true) => "(unassigned)",
        (Lang::Zh, false) => "（无）",
        (Lang::En, false) => "(none)",
    }
}

/// The progress table. The group, total, overdue and progress columns stay; the counts of
/// the rarer statuses and the bar go first when the table is too wide.
pub fn progress_table(r: &Progress, style: Style) -> Fitted {
    let first = match r.by {
        GroupBy::Area => style.t("领域", "Area"),
        GroupBy::Owner => style.t("牵头单位", "Owner"),
        GroupBy::Status => style.t("状态", "Status"),
        GroupBy::Kind => style.t("类型", "Kind"),
        GroupBy::Year => style.t("年度", "Year"),
        GroupBy::OutlineArea => style.t("纲要领域", "Outline area"),
    };
    let mut cols = vec![
        Col::cut(first, 0, 20, Some(40)),
        Col::num(style.t("总数", "Total"), 0),
    ];
    for s in crate::model::Status::ALL {
        let priority = match s {
            crate::model::Status::Todo
            | crate::model::Status::Doing
            | crate::model::Status::Done => 2,
            crate::model::Status::Blocked | crate::model::Status::Verified => 3,
            crate::model::Status::Cancelled => 4,
        };
        cols.push(Col::num(s.label(style.lang), priority));
    }
    cols.extend([
        Col::num(style.t("逾期", "Overdue"), 1),
        Col::num(style.t("平均进度", "Progress"), 0),
        Col {
            name: Some(style.t("进度条", "bar").to_string()),
            ..Col::keep("", 5)
        },
    ]);
    let mut t = Grid::new(style, cols);
    let mut rows: Vec<(String, &crate::db::progress::Group)> = r
        .groups
        .iter()
        .map(|g| {
            let label = match (&g.group, r.by) {
                (None, by) => none_label(style.lang, by == GroupBy::Owner).to_string(),
                (Some(s), GroupBy::Status) => s
                    .parse::<crate::model::Status>()
                    .map(|w| w.label(style.lang).to_string())
                    .unwrap_or_else(|_| printable(s)),
                (Some(s), GroupBy::Kind) => s
                    .parse::<crate::model::Kind>()
                    .map(|w| w.label(style.lang).to_string())
                    .unwrap_or_else(|_| printable(s)),
                (Some(s), _) => printable(s),
            };
            (label, g)
        })
        .collect();
    rows.push((style.t("合计", "Total").to_string(), &r.total));
    for (label, g) in rows {
        let overdue_color = (g.overdue > 0).then_some(Color::Red);
        t.colored_row(vec![
            (label, None),
            (g.total.to_string(), None),
            (g.todo.to_string(), None),
            (g.doing.to_string(), None),
            (g.blocked.to_string(), None),
            (g.done.to_string(), None),
            (g.verified.to_string(), None),
            (g.cancelled.to_string(), None),
            (g.overdue.to_string(), overdue_color),
            (format!("{:.1}%", g.progress), None),
            (bar(g.progress), None),
        ]);
    }
    t.fit()
}

/// A list of tasks, one row each. The id, title and status always stay; the kind, area and
/// overdue mark go first when the table is too wide, and the title is cut last.
pub fn task_table(tasks: &[Task], style: Style) -> Fitted {
    let mut t = Grid::new(
        style,
        vec![
            Col::num("ID", 0),
            Col::keep(style.t("来源", "Ref"), 1),
            Col::keep(style.t("类型", "Kind"), 5),
            Col::cut(style.t("领域", "Area"), 6, 8, Some(16)),
            Col::cut(style.t("任务", "Title"), 0, 16, Some(36)),
            Col::keep(style.t("牵头单位", "Owner"), 3),
            Col::keep(style.t("完成时限", "Deadline"), 1),
            Col::keep(style.t("状态", "Status"), 0),
            Col::num(style.t("进度", "Progress"), 2),
            Col::keep(style.t("逾期", "Overdue"), 4),
        ],
    );
    for task in tasks {
        let overdue = if task.overdue {
            (style.t("逾期", "overdue").to_string(), Some(Color::Red))
        } else {
            (String::new(), None)
        };
        t.colored_row(vec![
            (task.id.to_string(), None),
            (
                task.reference.as_deref().map(printable).unwrap_or_default(),
                None,
            ),
            (task.kind.label(style.lang).to_string(), None),
            (
                task.area.as_deref().map(printable).unwrap_or_default(),
                None,
            ),
            (printable(&task.title), None),
            (owner_label(task, style.lang), None),
            (deadline_label(task, style.lang), None),
            (task.status.label(style.lang).to_string(), None),
            (format!("{}%", task.progress), None),
            overdue,
        ]);
    }
    t.fit()
}

/// The lead unit as a table shows it: shortened, or the word for unassigned.
pub fn owner_label(task: &Task, lang: Lang) -> String {
    task.owner
        .as_deref()
        .map(|o| fit(o, 16))
        .unwrap_or_else(|| none_label(lang, true).to_string())
}

/// The deadline as shown: the date, or the words for continuous work.
pub fn deadline_label(task: &Task, lang: Lang) -> String {
    match task.deadline {
        Some(d) => d.to_string(),
        None => lang.pick("长期", "continuous").to_string(),
    }
}

/// The audit trail as a table.
pub fn history_table(rows: &[HistoryRow], style: Style) -> Fitted {
    let mut t = Grid::new(
        style,
        vec![
            // A change whose effective day differs from its recording day reads "2025-04-10
            // 录入，2025-03-31 生效": on a narrow terminal it wraps at the space, never inside
            // a date; a full timestamp (25 columns) stays on one line.
            Col::wrap(style.t("时间", "At"), 0, 25),
            Col::num(style.t("任务", "Task"), 0),
            Col::keep(style.t("操作人", "By"), 3),
            Col::keep(style.t("字段", "Field"), 0),
            Col::cut(style.t("原值", "Old"), 1, 6, None),
            Col::cut(style.t("新值", "New"), 0, 8, None),
            Col::cut(style.t("说明", "Note"), 2, 8, Some(40)),
        ],
    );
    for h in rows {
        let (old, new) = if h.field == "created" {
            // The creation row holds the initial fields as JSON: show the title, which says
            // what was created.
            let title = h
                .new
                .as_deref()
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(str::to_string))
                .unwrap_or_default();
            (String::new(), fit(&title, 30))
        } else {
            // Fields that hold a task id read better as "#12".
            let show = |v: &Option<String>| match v.as_deref() {
                Some(s) if matches!(h.field.as_str(), "addresses" | "parent_id") => format!("#{s}"),
                Some(s) => fit(s, 24),
                None => String::new(),
            };
            (show(&h.old), show(&h.new))
        };
        t.row(vec![
            printable(&h.when(style.lang)),
            format!("#{}", h.task_id),
            printable(&h.actor),
            printable(&field_label(&h.field, style.lang)),
            old,
            new,
            h.note.as_deref().map(printable).unwrap_or_default(),
        ]);
    }
    t.fit()
}

/// The name of a task field in the given language.
pub fn field_label(field: &str, lang: Lang) -> String {
    if let Some(f) = crate::model::field::Field::from_name(field) {
        return f.label(lang).to_string();
    }
    if let Some(c) = crate::model::field::Column::from_shown_name(field) {
        return c.label(lang).to_string();
    }
    if let Some(l) = crate::model::events::label(field, lang) {
        return l.to_string();
    }
    // History rows that are not fields (created, addresses, note) and derived values.
    let zh = match field {
        "created" => "创建",
        "addresses" => "针对短板",
        "note" => "进展情况",
        "imported" => "合并导入",
        "overdue" => "逾期",
        _ => field,
    };
    lang.pick(zh, field).to_string()
}

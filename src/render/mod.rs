//! Printed tables: the progress table, task lists, a task's details and its history. Tables are
//! drawn with ASCII borders, because CJK terminals draw box-drawing characters two columns wide
//! and break the alignment that comfy-table computes from display widths.

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use unicode_width::UnicodeWidthStr;

use crate::db::progress::{GroupBy, Progress};
use crate::model::{HistoryRow, Lang, Task, Word};

pub mod escape;

/// How a table is drawn: in which language, and whether it may use colour.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub lang: Lang,
    pub color: bool,
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

fn table(style: Style, headers: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers);
    if !style.color {
        t.force_no_tty();
    }
    t
}

fn num_cell(n: impl ToString) -> Cell {
    Cell::new(n.to_string()).set_alignment(CellAlignment::Right)
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

/// The progress table.
pub fn progress_table(r: &Progress, style: Style) -> Table {
    let first = match r.by {
        GroupBy::Area => style.t("领域", "Area"),
        GroupBy::Owner => style.t("牵头单位", "Owner"),
        GroupBy::Status => style.t("状态", "Status"),
        GroupBy::Kind => style.t("类型", "Kind"),
        GroupBy::Year => style.t("年度", "Year"),
        GroupBy::OutlineArea => style.t("纲要领域", "Outline area"),
    };
    let mut headers = vec![first, style.t("总数", "Total")];
    for s in crate::model::Status::ALL {
        headers.push(s.label(style.lang));
    }
    headers.extend([
        style.t("逾期", "Overdue"),
        style.t("平均进度", "Progress"),
        "",
    ]);
    let mut t = table(style, headers);
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
                (Some(s), _) => fit(s, 40),
            };
            (label, g)
        })
        .collect();
    rows.push((style.t("合计", "Total").to_string(), &r.total));
    for (label, g) in rows {
        let overdue = num_cell(g.overdue);
        let overdue = if style.color && g.overdue > 0 {
            overdue.fg(Color::Red)
        } else {
            overdue
        };
        t.add_row(vec![
            Cell::new(label),
            num_cell(g.total),
            num_cell(g.todo),
            num_cell(g.doing),
            num_cell(g.blocked),
            num_cell(g.done),
            num_cell(g.verified),
            num_cell(g.cancelled),
            overdue,
            num_cell(format!("{:.1}%", g.progress)),
            Cell::new(bar(g.progress)),
        ]);
    }
    t
}

/// A list of tasks, one row each.
pub fn task_table(tasks: &[Task], style: Style) -> Table {
    let mut t = table(
        style,
        vec![
            "ID",
            style.t("来源", "Ref"),
            style.t("类型", "Kind"),
            style.t("领域", "Area"),
            style.t("任务", "Title"),
            style.t("牵头单位", "Owner"),
            style.t("完成时限", "Deadline"),
            style.t("状态", "Status"),
            style.t("进度", "Progress"),
            style.t("逾期", "Overdue"),
        ],
    );
    for task in tasks {
        let overdue = if task.overdue {
            let c = Cell::new(style.t("逾期", "overdue"));
            if style.color {
                c.fg(Color::Red)
            } else {
                c
            }
        } else {
            Cell::new("")
        };
        t.add_row(vec![
            num_cell(task.id),
            Cell::new(task.reference.as_deref().map(printable).unwrap_or_default()),
            Cell::new(task.kind.label(style.lang)),
            Cell::new(task.area.as_deref().map(|a| fit(a, 16)).unwrap_or_default()),
            Cell::new(fit(&task.title, 36)),
            Cell::new(owner_label(task, style.lang)),
            Cell::new(deadline_label(task, style.lang)),
            Cell::new(task.status.label(style.lang)),
            num_cell(format!("{}%", task.progress)),
            overdue,
        ]);
    }
    t
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
pub fn history_table(rows: &[HistoryRow], style: Style) -> Table {
    let mut t = table(
        style,
        vec![
            style.t("时间", "At"),
            style.t("任务", "Task"),
            style.t("操作人", "By"),
            style.t("字段", "Field"),
            style.t("原值", "Old"),
            style.t("新值", "New"),
            style.t("说明", "Note"),
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
        t.add_row(vec![
            Cell::new(printable(&h.when(style.lang))),
            num_cell(format!("#{}", h.task_id)),
            Cell::new(printable(&h.actor)),
            Cell::new(printable(&field_label(&h.field, style.lang))),
            Cell::new(old),
            Cell::new(new),
            Cell::new(h.note.as_deref().map(|s| fit(s, 40)).unwrap_or_default()),
        ]);
    }
    t
}

/// The name of a task field in the given language.
pub fn field_label(field: &str, lang: Lang) -> String {
    if let Some(f) = crate::model::field::Field::from_name(field) {
        return f.label(lang).to_string();
    }
    // History rows that are not fields (created, addresses, note) and the columns no history
    // row changes.
    let zh = match field {
        "created" => "创建",
        "addresses" => "针对短板",
        "note" => "进展情况",
        "imported" => "合并导入",
        "kind" => "类型",
        "ref" => "来源编号",
        "document" => "来源文件",
        "year" => "年度",
        "id" => "编号",
        "created_at" => "创建时间",
        "updated_at" => "更新时间",
        "overdue" => "逾期",
        _ => field,
    };
    lang.pick(zh, field).to_string()
}

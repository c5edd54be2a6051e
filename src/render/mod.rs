//! Printed tables: the progress table, task lists, a task's details and its history. Tables are
//! drawn with ASCII borders, because CJK terminals draw box-drawing characters two columns wide
//! and break the alignment that comfy-table computes from display widths.

use comfy_table::Color;
use unicode_width::UnicodeWidthStr;

use crate::db::progress::{GroupBy, Progress};
use crate::model::{HistoryRow, Lang, Task, Word};
use crate::tr;

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
pub fn none_label(lang: Lang, owner: bool) -> String {
    if owner {
        tr!(lang, "value.unassigned")
    } else {
        tr!(lang, "value.none")
    }
}

/// The progress table. The group, total, overdue and progress columns stay; the counts of
/// the rarer statuses and the bar go first when the table is too wide.
pub fn progress_table(r: &Progress, style: Style) -> Fitted {
    let first = match r.by {
        GroupBy::Area => &tr!(style.lang, "table.area"),
        GroupBy::Owner => &tr!(style.lang, "table.owner"),
        GroupBy::Status => &tr!(style.lang, "table.status"),
        GroupBy::Kind => &tr!(style.lang, "table.kind"),
        GroupBy::Year => &tr!(style.lang, "table.year"),
        GroupBy::OutlineArea => &tr!(style.lang, "table.outline_area"),
    };
    let mut cols = vec![
        Col::cut(first, 0, 20, Some(40)),
        Col::num(&tr!(style.lang, "table.total"), 0),
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
        Col::num(&tr!(style.lang, "table.overdue"), 1),
        Col::num(&tr!(style.lang, "table.progress_mean"), 0),
        Col {
            name: Some(tr!(style.lang, "table.bar")),
            ..Col::keep("", 5)
        },
    ]);
    let mut t = Grid::new(style, cols);
    let mut rows: Vec<(String, &crate::db::progress::Group)> = r
        .groups
        .iter()
        .map(|g| {
            let label = match (&g.group, r.by) {
                (None, by) => none_label(style.lang, by == GroupBy::Owner),
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
    rows.push((tr!(style.lang, "table.sum"), &r.total));
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
            Col::keep(&tr!(style.lang, "table.ref"), 1),
            Col::keep(&tr!(style.lang, "table.kind"), 5),
            Col::cut(&tr!(style.lang, "table.area"), 6, 8, Some(16)),
            Col::cut(&tr!(style.lang, "table.title"), 0, 16, Some(36)),
            Col::keep(&tr!(style.lang, "table.owner"), 3),
            Col::keep(&tr!(style.lang, "table.deadline"), 1),
            Col::keep(&tr!(style.lang, "table.status"), 0),
            Col::num(&tr!(style.lang, "table.progress"), 2),
            Col::keep(&tr!(style.lang, "table.overdue"), 4),
        ],
    );
    for task in tasks {
        let overdue = if task.overdue {
            (tr!(style.lang, "table.overdue_mark"), Some(Color::Red))
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
            (task.status.shown(task.kind, style.lang).to_string(), None),
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
        .unwrap_or_else(|| none_label(lang, true))
}

/// The deadline as shown: the date, or the words for continuous work.
pub fn deadline_label(task: &Task, lang: Lang) -> String {
    match task.deadline {
        Some(d) => d.to_string(),
        None => tr!(lang, "value.continuous"),
    }
}

/// The audit trail as a table.
pub fn history_table(rows: &[HistoryRow], style: Style) -> Fitted {
    let mut t = Grid::new(
        style,
        vec![
            // A change whose effective day differs from its recording day reads "2025-04-10
            // 录入，2025-03-31 生效": on a narrow terminal it wraps at the space, never inside
            // a date; a full local time (19 columns) stays on one line.
            Col::wrap(&tr!(style.lang, "table.at"), 0, 19),
            Col::num(&tr!(style.lang, "table.task"), 0),
            Col::keep(&tr!(style.lang, "table.by"), 3),
            Col::keep(&tr!(style.lang, "table.field"), 0),
            Col::cut(&tr!(style.lang, "table.old"), 1, 6, None),
            Col::cut(&tr!(style.lang, "table.new"), 0, 8, None),
            Col::cut(&tr!(style.lang, "table.note"), 2, 8, Some(40)),
        ],
    );
    for h in rows {
        let (old, new) = if h.field == "created" {
            // The creation row holds the initial fields as JSON: show the title, which says
            // what was created. The table cuts it to the width, not this formatter.
            let title = h
                .new
                .as_deref()
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(str::to_string))
                .unwrap_or_default();
            (String::new(), capped(&title))
        } else if h.field == "note" {
            (String::new(), String::new())
        } else {
            let show = |v: &Option<String>| history_value(&h.field, v.as_deref(), style.lang);
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

/// A field's value as the history shows it, whole (the table cuts it to the width): status
/// and kind words and the empty value in the reader's language, co-owners as a list, task ids
/// as "#12".
pub fn history_value(field: &str, value: Option<&str>, lang: Lang) -> String {
    let Some(s) = value else {
        // A link added or removed has no other side to name.
        if field == "addresses" {
            return String::new();
        }
        return none_label(lang, false);
    };
    match field {
        "addresses" | "parent_id" => format!("#{s}"),
        "status" => s
            .parse::<crate::model::Status>()
            .map(|w| w.label(lang).to_string())
            .unwrap_or_else(|_| printable(s)),
        "kind" => s
            .parse::<crate::model::Kind>()
            .map(|w| w.label(lang).to_string())
            .unwrap_or_else(|_| printable(s)),
        "co_owners" => match serde_json::from_str::<Vec<String>>(s) {
            Ok(names) if names.is_empty() => none_label(lang, false),
            Ok(names) => printable(&names.join(&tr!(lang, "list.separator"))),
            Err(_) => printable(s),
        },
        _ => capped(s),
    }
}

/// The most characters of one value the history prints, like `show`: a title or text of
/// hundreds of kilobytes (a report sentence) would otherwise flood the terminal. The whole
/// value is in `history --format json`.
pub const HISTORY_VALUE_MAX: usize = 2_000;

/// A value as the history prints it: whole up to `HISTORY_VALUE_MAX` characters, else cut
/// there with "…"; the table then fits it to the width.
fn capped(s: &str) -> String {
    match s.char_indices().nth(HISTORY_VALUE_MAX) {
        Some((end, _)) => format!("{}…", printable(&s[..end])),
        None => printable(s),
    }
}

/// The line under a table of times that names the zone they are shown in, once.
pub fn zone_line(tz: chrono_tz::Tz, lang: Lang) -> String {
    tr!(
        lang,
        "time.zone",
        zone = crate::model::zone::label(tz, lang)
    )
}

/// History rows with their times as local times of `tz`, as the tables show them.
pub fn local_rows(rows: &[HistoryRow], tz: chrono_tz::Tz) -> Vec<HistoryRow> {
    rows.iter()
        .map(|h| HistoryRow {
            at: crate::model::zone::local(&h.at, tz),
            effective: crate::model::zone::local(&h.effective, tz),
            ..h.clone()
        })
        .collect()
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
    match field {
        "created" => tr!(lang, "field.created"),
        "addresses" => tr!(lang, "field.addresses"),
        "note" => tr!(lang, "field.note"),
        "imported" => tr!(lang, "field.imported"),
        "overdue" => tr!(lang, "field.overdue"),
        _ => field.to_string(),
    }
}

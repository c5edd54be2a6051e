//! What the Markdown and HTML exports show, built once from the yearly status: every label
//! in the chosen language and every figure as the text it is printed as. The templates in
//! `templates/` only lay this out, and the engine passes every value through the escaper of
//! the format (`escape.rs`), so no value can reach a page unescaped by forgetting a call.

use super::{cells, columns, deadline_text, group_name, label_of, Group, Row, YearStatus};
use crate::model::{Kind, Lang, Status, Word};

/// The fixed words of the page, in one language.
#[derive(Debug, Clone)]
pub struct Labels {
    pub html_lang: String,
    /// The separator after a label in a Markdown list ("：" or ": ").
    pub sep: String,
    /// Between items of a sentence ("，" or ", ").
    pub comma: String,
    /// Between the refs of a list ("、" or ", ").
    pub list: String,
    /// Around a task's status and progress: "（" and "）", or " (" and ")" in English.
    pub open: String,
    pub close: String,
    /// Around a 重复出现 flag: "【" and "】", or " [" and "]".
    pub mark_open: String,
    pub mark_close: String,
    /// The per-unit table's heading, and the rules the area and unit tables are sorted by.
    pub by_unit: String,
    pub areas_rule: String,
    pub units_rule: String,
    /// The unit the ledger belongs to (填报单位).
    pub unit: String,
    pub as_of: String,
    pub outline: String,
    /// Appended to the outline in Markdown in its closing year.
    pub closing_md: String,
    /// The tag shown in HTML in the outline's closing year.
    pub closing_tag: String,
    pub generated: String,
    pub summary: String,
    pub total: String,
    pub completion: String,
    pub progress: String,
    pub overdue: String,
    pub by_kind: String,
    pub by_area: String,
    pub area: String,
    pub owner: String,
    pub tasks_col: String,
    pub progress_by_area: String,
    pub progress_by_owner: String,
    pub shortcomings: String,
    pub no_shortcomings: String,
    pub nothing_addresses: String,
    pub due: String,
    pub unaddressed: String,
    pub tasks: String,
}

impl Labels {
    fn new(lang: Lang) -> Labels {
        let t = |key: &'static str| crate::i18n::text(lang, key).into_owned();
        Labels {
            html_lang: t("export.page.en"),
            sep: t("export.page.text"),
            comma: t("export.page.text_2"),
            list: t("list.separator"),
            open: t("export.page.open"),
            close: t("export.page.close"),
            mark_open: t("export.page.mark_open"),
            mark_close: t("export.page.mark_close"),
            by_unit: t("export.page.by_unit"),
            areas_rule: t("export.page.areas_rule"),
            units_rule: t("export.page.units_rule"),
            unit: t("export.page.unit"),
            as_of: t("export.page.as_of"),
            outline: t("export.page.outline_period"),
            closing_md: t("export.page.the_outline_s_closing_year"),
            closing_tag: t("export.page.closing_year_of_the_outline"),
            generated: t("export.page.generated"),
            summary: t("export.page.summary"),
            total: t("export.page.tasks"),
            completion: t("export.page.completion"),
            progress: t("export.page.mean_progress"),
            overdue: t("table.overdue"),
            by_kind: t("export.page.by_kind"),
            by_area: t("export.page.by_area"),
            area: t("table.area"),
            owner: t("table.owner"),
            tasks_col: t("export.page.tasks_2"),
            progress_by_area: t("export.page.progress_by_area"),
            progress_by_owner: t("export.page.progress_by_owner"),
            shortcomings: t("export.page.shortcomings_and_what_addresses_them"),
            no_shortcomings: t("export.page.no_shortcomings_this_year"),
            nothing_addresses: t("export.page.nothing_addresses_it_yet"),
            due: t("export.page.due"),
            unaddressed: t("export.page.shortcomings_nothing_addresses"),
            tasks: t("export.page.tasks_3"),
        }
    }
}

/// A label with a count ("承诺 6", "todo 3").
#[derive(Debug, Clone)]
pub struct Tally {
    pub label: &'static str,
    pub count: u64,
}

/// The counts of the whole year or of one group, as printed.
#[derive(Debug, Clone)]
pub struct Figures {
    pub total: u64,
    /// Percentages with one decimal, without the sign ("62.5").
    pub completion: String,
    pub progress: String,
    pub overdue: u64,
    /// Width in pixels of the filled part of a 200-pixel progress bar.
    pub bar: String,
}

impl Figures {
    fn of(c: &super::Counts) -> Figures {
        Figures {
            total: c.total,
            completion: format!("{:.1}", c.completion_rate),
            progress: format!("{:.1}", c.progress),
            overdue: c.overdue,
            bar: format!("{}", (c.progress.clamp(0.0, 100.0) * 2.0).round()),
        }
    }
}

/// An area or owner with its figures.
#[derive(Debug, Clone)]
pub struct GroupLine {
    pub name: String,
    pub figures: Figures,
}

impl GroupLine {
    fn of(g: &Group, owner: bool, lang: Lang) -> GroupLine {
        GroupLine {
            name: group_name(g, owner, lang),
            figures: Figures::of(&g.counts),
        }
    }
}

/// A task named in the shortcomings section.
#[derive(Debug, Clone)]
pub struct Item {
    pub label: String,
    pub title: String,
    pub status: String,
    pub progress: u8,
    pub deadline: String,
}

impl Item {
    fn of(r: &Row, lang: Lang) -> Item {
        Item {
            label: label_of(r),
            title: r.title.clone(),
            status: r.status.shown(r.kind, lang),
            progress: r.progress,
            deadline: deadline_text(r, lang),
        }
    }
}

/// A shortcoming with what addresses it.
#[derive(Debug, Clone)]
pub struct ShortcomingItem {
    pub shortcoming: Item,
    pub addressed_by: Vec<Item>,
    /// 重复出现 flags: the earlier shortcomings it repeats.
    pub recurs: Vec<String>,
}

/// A row of the task table.
#[derive(Debug, Clone)]
pub struct TaskLine {
    pub overdue: bool,
    pub cells: [String; super::CELLS.len()],
}

/// How the HTML task table lays out a column: its share of the printable width and whether
/// its text may wrap.
#[derive(Debug, Clone, Copy)]
pub struct ColumnLayout {
    /// Percent of the table's width; the columns add up to 100, so with `table-layout:
    /// fixed` the table never grows past the page.
    pub width: &'static str,
    /// The CSS class of its cells: "w" wraps (任务, 进展, the area, an extension request),
    /// "k" keeps dates and status words on one line, "u" keeps refs and unit names whole
    /// (several units break only between them, and a name longer than its column breaks
    /// rather than run into the next), "n" is a right-aligned figure.
    pub class: &'static str,
}

impl ColumnLayout {
    fn of(c: super::Cell) -> ColumnLayout {
        use super::Cell;
        use crate::model::field::Column;
        let (width, class) = match c {
            Cell::No => ("3.5", "n"),
            Cell::Task(Column::Ref) => ("7", "u"),
            Cell::Task(Column::Kind) => ("3", "k"),
            Cell::Task(Column::Area) => ("5.5", "w"),
            Cell::Task(Column::Title) => ("13.5", "w"),
            Cell::Task(Column::Owner) => ("7", "u"),
            Cell::Task(Column::CoOwners) => ("6", "u"),
            Cell::Task(Column::Year) => ("3.5", "n"),
            Cell::OriginalDeadline => ("6", "k"),
            Cell::Task(Column::Deadline) => ("6", "k"),
            Cell::Extended => ("3.5", "w"),
            Cell::Task(Column::Status) => ("4", "k"),
            Cell::Task(Column::Progress) => ("3.5", "n"),
            Cell::Task(Column::CompletedAt) => ("6", "w"),
            Cell::Overdue => ("3", "k"),
            Cell::LatestNote => ("9", "w"),
            Cell::Task(Column::Person) => ("3.5", "u"),
            Cell::Extension => ("3", "w"),
            Cell::Evidence => ("3.5", "w"),
            Cell::Task(_) => ("5", "w"),
        };
        ColumnLayout { width, class }
    }
}

/// The rows of one printed table: a long task list is split into tables of this many rows,
/// each with its own header, so a browser lays out (and prints) a 10,000-row page in pieces
/// rather than as one table it must measure whole.
pub const CHUNK: usize = 500;

/// Everything the Markdown and HTML exports show.
#[derive(Debug, Clone)]
pub struct Page {
    pub l: Labels,
    pub title: String,
    /// The ledger's name (`config name`); empty when unset, and then not shown.
    pub unit: String,
    pub as_of: String,
    pub outline: String,
    pub closing_year: bool,
    pub generated_at: String,
    pub summary: Figures,
    pub by_status: Vec<Tally>,
    pub by_kind: Vec<Tally>,
    pub areas: Vec<GroupLine>,
    pub owners: Vec<GroupLine>,
    pub shortcomings: Vec<ShortcomingItem>,
    pub unaddressed: Vec<String>,
    pub columns: [&'static str; super::CELLS.len()],
    /// The HTML layout of each column, in `columns` order.
    pub layout: [ColumnLayout; super::CELLS.len()],
    pub tasks: Vec<TaskLine>,
}

impl Page {
    /// The task rows in the pieces the HTML page prints as separate tables (`CHUNK`).
    pub fn parts(&self) -> std::slice::Chunks<'_, TaskLine> {
        self.tasks.chunks(CHUNK)
    }

    /// The page of a yearly status in `lang`.
    pub fn new(s: &YearStatus, lang: Lang) -> Page {
        let h = &s.header;
        let c = &s.summary.counts;
        Page {
            l: Labels::new(lang),
            title: h.title(lang),
            unit: h.name.clone().unwrap_or_default(),
            as_of: h.as_of.to_string(),
            outline: h.outline_label(),
            closing_year: h.closing_year,
            generated_at: h.generated_local(lang),
            summary: Figures::of(c),
            by_status: Status::ALL
                .iter()
                .map(|st| Tally {
                    label: st.label(lang),
                    count: c.by_status.get(st.en()).copied().unwrap_or(0),
                })
                .collect(),
            by_kind: Kind::ALL
                .iter()
                .map(|k| Tally {
                    label: k.label(lang),
                    count: s.summary.by_kind.get(k.en()).copied().unwrap_or(0),
                })
                .collect(),
            areas: s
                .areas
                .iter()
                .map(|g| GroupLine::of(g, false, lang))
                .collect(),
            owners: s
                .owners
                .iter()
                .map(|g| GroupLine::of(g, true, lang))
                .collect(),
            shortcomings: s
                .shortcomings
                .iter()
                .map(|sc| ShortcomingItem {
                    shortcoming: Item::of(&sc.shortcoming, lang),
                    addressed_by: sc.addressed_by.iter().map(|a| Item::of(a, lang)).collect(),
                    recurs: sc
                        .recurs
                        .iter()
                        .map(|r| super::outline::recurrence_text(r.year, &r.label, r.closed, lang))
                        .collect(),
                })
                .collect(),
            unaddressed: s.unaddressed.clone(),
            columns: columns(lang),
            layout: super::CELLS.map(ColumnLayout::of),
            tasks: s
                .tasks
                .iter()
                .map(|r| TaskLine {
                    overdue: r.overdue,
                    cells: cells(r, lang),
                })
                .collect(),
        }
    }
}

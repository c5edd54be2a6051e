//! What the Markdown and HTML exports show, built once from the yearly status: every label
//! in the chosen language and every figure as the text it is printed as. The templates in
//! `templates/` only lay this out, and the engine passes every value through the escaper of
//! the format (`escape.rs`), so no value can reach a page unescaped by forgetting a call.

use super::{cells, columns, deadline_text, group_name, label_of, Group, Row, YearStatus};
use crate::model::{Kind, Lang, Status, Word};

/// The fixed words of the page, in one language.
#[derive(Debug, Clone)]
pub struct Labels {
    pub html_lang: &'static str,
    /// The separator after a label in a Markdown list ("：" or ": ").
    pub sep: &'static str,
    /// Between items of a sentence ("，" or ", ").
    pub comma: &'static str,
    /// Between the refs of a list ("、" or ", ").
    pub list: &'static str,
    pub ledger: &'static str,
    pub as_of: &'static str,
    pub outline: &'static str,
    /// Appended to the outline in Markdown in its closing year.
    pub closing_md: &'static str,
    /// The tag shown in HTML in the outline's closing year.
    pub closing_tag: &'static str,
    pub generated: &'static str,
    pub summary: &'static str,
    pub total: &'static str,
    pub completion: &'static str,
    pub progress: &'static str,
    pub overdue: &'static str,
    pub by_kind: &'static str,
    pub by_area: &'static str,
    pub area: &'static str,
    pub owner: &'static str,
    pub tasks_col: &'static str,
    pub progress_by_area: &'static str,
    pub progress_by_owner: &'static str,
    pub shortcomings: &'static str,
    pub no_shortcomings: &'static str,
    pub nothing_addresses: &'static str,
    pub due: &'static str,
    pub unaddressed: &'static str,
    pub tasks: &'static str,
}

impl Labels {
    fn new(lang: Lang) -> Labels {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        Labels {
            html_lang: t("zh-CN", "en"),
            sep: t("：", ": "),
            comma: t("，", ", "),
            list: t("、", ", "),
            ledger: t("台账", "Ledger"),
            as_of: t("统计截至", "As of"),
            outline: t("纲要期间", "Outline period"),
            closing_md: t("（纲要收官之年）", " (the outline's closing year)"),
            closing_tag: t("纲要收官之年", "closing year of the outline"),
            generated: t("生成时间", "Generated"),
            summary: t("总体情况", "Summary"),
            total: t("任务总数", "Tasks"),
            completion: t("完成率", "Completion"),
            progress: t("平均进度", "Mean progress"),
            overdue: t("逾期", "Overdue"),
            by_kind: t("按类型", "By kind"),
            by_area: t("分领域情况", "By area"),
            area: t("领域", "Area"),
            owner: t("牵头单位", "Owner"),
            tasks_col: t("任务数", "Tasks"),
            progress_by_area: t("分领域进度", "Progress by area"),
            progress_by_owner: t("分单位进度", "Progress by owner"),
            shortcomings: t("短板整改情况", "Shortcomings and what addresses them"),
            no_shortcomings: t("本年度无短板项。", "No shortcomings this year."),
            nothing_addresses: t("尚无对应整改措施", "nothing addresses it yet"),
            due: t("时限", "due"),
            unaddressed: t("尚无整改措施的短板", "Shortcomings nothing addresses"),
            tasks: t("任务明细", "Tasks"),
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
    pub status: &'static str,
    pub progress: u8,
    pub deadline: String,
}

impl Item {
    fn of(r: &Row, lang: Lang) -> Item {
        Item {
            label: label_of(r),
            title: r.title.clone(),
            status: r.status.label(lang),
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

/// Everything the Markdown and HTML exports show.
#[derive(Debug, Clone)]
pub struct Page {
    pub l: Labels,
    pub title: String,
    pub ledger: String,
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
    pub tasks: Vec<TaskLine>,
}

impl Page {
    /// The page of a yearly status in `lang`.
    pub fn new(s: &YearStatus, lang: Lang) -> Page {
        let h = &s.header;
        let c = &s.summary.counts;
        Page {
            l: Labels::new(lang),
            title: match lang {
                Lang::Zh => format!("{}年度法治政府建设任务完成情况", h.year),
                Lang::En => format!("Rule-of-law tasks: status for {}", h.year),
            },
            ledger: h.ledger.clone(),
            as_of: h.as_of.to_string(),
            outline: h.outline_label(),
            closing_year: h.closing_year,
            generated_at: h.generated_at.clone(),
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

//! Markdown a clerk can paste into the draft of the annual report.

use std::fmt::Write as _;

use super::{cells, columns, deadline_text, group_name, label_of, YearStatus};
use crate::model::{Lang, Status, Word};

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    crate::report::printable(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// Renders the yearly status as Markdown.
pub fn render(s: &YearStatus, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let h = &s.header;
    let sep = t("：", ": ");
    let mut o = String::new();
    let _ = match lang {
        Lang::Zh => writeln!(o, "# {}年度法治政府建设任务完成情况", h.year),
        Lang::En => writeln!(o, "# Rule-of-law tasks: status for {}", h.year),
    };
    let closing = if h.closing_year {
        t("（纲要收官之年）", " (the outline's closing year)")
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "\n- {}{sep}{}\n- {}{sep}{}\n- {}{sep}{}{}\n- {}{sep}{}",
        t("台账", "Ledger"),
        h.ledger,
        t("统计截至", "As of"),
        h.as_of,
        t("纲要期间", "Outline period"),
        h.outline,
        closing,
        t("生成时间", "Generated"),
        h.generated_at,
    );

    let c = &s.summary.counts;
    let _ = writeln!(o, "\n## {}\n", t("总体情况", "Summary"));
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} |",
        t("任务总数", "Tasks"),
        t("完成率", "Completion"),
        t("平均进度", "Mean progress"),
        t("逾期", "Overdue"),
        Status::ALL
            .iter()
            .map(|st| st.label(lang))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(o, "|{}", "---:|".repeat(4 + Status::ALL.len()));
    let _ = writeln!(
        o,
        "| {} | {:.1}% | {:.1}% | {} | {} |",
        c.total,
        c.completion_rate,
        c.progress,
        c.overdue,
        Status::ALL
            .iter()
            .map(|st| c.by_status.get(st.en()).copied().unwrap_or(0).to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let kinds: Vec<String> = crate::model::Kind::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                k.label(lang),
                s.summary.by_kind.get(k.en()).copied().unwrap_or(0)
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "\n{}{sep}{}",
        t("按类型", "By kind"),
        kinds.join(t("，", ", "))
    );

    let _ = writeln!(o, "\n## {}\n", t("分领域情况", "By area"));
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
        t("领域", "Area"),
        t("任务数", "Tasks"),
        t("完成率", "Completion"),
        t("平均进度", "Mean progress"),
        t("逾期", "Overdue"),
    );
    for g in &s.areas {
        let _ = writeln!(
            o,
            "| {} | {} | {:.1}% | {:.1}% | {} |",
            cell(&group_name(g, false, lang)),
            g.counts.total,
            g.counts.completion_rate,
            g.counts.progress,
            g.counts.overdue
        );
    }

    let _ = writeln!(
        o,
        "\n## {}\n",
        t("短板整改情况", "Shortcomings and what addresses them")
    );
    if s.shortcomings.is_empty() {
        let _ = writeln!(o, "{}", t("本年度无短板项。", "No shortcomings this year."));
    }
    for sc in &s.shortcomings {
        let r = &sc.shortcoming;
        let _ = writeln!(
            o,
            "- **{}** {}（{}，{}%）",
            label_of(r),
            cell(&r.title),
            r.status.label(lang),
            r.progress
        );
        if sc.addressed_by.is_empty() {
            let _ = writeln!(
                o,
                "  - {}",
                t("尚无对应整改措施", "nothing addresses it yet")
            );
        }
        for a in &sc.addressed_by {
            let _ = writeln!(
                o,
                "  - {} {}（{}，{}%，{} {}）",
                label_of(a),
                cell(&a.title),
                a.status.label(lang),
                a.progress,
                t("时限", "due"),
                deadline_text(a, lang)
            );
        }
    }
    if !s.unaddressed.is_empty() {
        let _ = writeln!(
            o,
            "\n{}{sep}{}",
            t("尚无整改措施的短板", "Shortcomings nothing addresses"),
            s.unaddressed.join(t("、", ", "))
        );
    }

    let _ = writeln!(o, "\n## {}\n", t("任务明细", "Tasks"));
    let cols = columns(lang);
    let _ = writeln!(o, "| {} |", cols.join(" | "));
    let _ = writeln!(o, "|{}", "---|".repeat(cols.len()));
    for r in &s.tasks {
        let row: Vec<String> = cells(r, lang).iter().map(|c| cell(c)).collect();
        let _ = writeln!(o, "| {} |", row.join(" | "));
    }
    o
}

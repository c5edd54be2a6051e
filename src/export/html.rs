//! One self-contained HTML page: inline CSS, progress bars as inline SVG, no script and no
//! external resource, so it opens offline and prints cleanly.

use std::fmt::Write as _;

use super::{cells, columns, deadline_text, group_name, label_of, Group, YearStatus};
use crate::model::{Lang, Status, Word};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Controls and bidi overrides are shown as visible escapes: a character
            // reference would still reorder or hide text in the browser.
            c if crate::report::escape::is_hazard(c) && c != '\n' && c != '\t' => {
                o.extend(c.escape_default());
            }
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',SimSun,sans-serif;margin:2em;color:#222;line-height:1.5}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:2px solid #c00;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.6em 0}
th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right;white-space:nowrap}td.k{white-space:nowrap}tr.late td{background:#fde8e8}
.meta{color:#555}.bars td{border:none;padding:.15em .5em}.tag{color:#c00;font-weight:bold}
ul{margin:.3em 0}
@media print{body{margin:1cm}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
";

/// An inline SVG bar for a progress figure.
fn bar(progress: f64) -> String {
    let w = (progress.clamp(0.0, 100.0) * 2.0).round();
    format!(
        "<svg width=\"200\" height=\"14\" role=\"img\" aria-label=\"{progress:.1}%\">\
         <rect width=\"200\" height=\"14\" fill=\"#e6e6e6\"/>\
         <rect width=\"{w}\" height=\"14\" fill=\"#2e7d32\"/></svg>"
    )
}

fn bars(o: &mut String, groups: &[Group], owner: bool, lang: Lang) {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let _ = writeln!(
        o,
        "<table class=\"bars\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        if owner {
            t("牵头单位", "Owner")
        } else {
            t("领域", "Area")
        },
        t("任务数", "Tasks"),
        t("逾期", "Overdue"),
        t("平均进度", "Mean progress"),
    );
    for g in groups {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td>{}</td></tr>",
            esc(&group_name(g, owner, lang)),
            g.counts.total,
            g.counts.overdue,
            g.counts.progress,
            bar(g.counts.progress)
        );
    }
    o.push_str("</table>\n");
}

/// Renders the yearly status as an HTML page.
pub fn render(s: &YearStatus, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let h = &s.header;
    let title = match lang {
        Lang::Zh => format!("{}年度法治政府建设任务完成情况", h.year),
        Lang::En => format!("Rule-of-law tasks: status for {}", h.year),
    };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        t("zh-CN", "en"),
        esc(&title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
    let closing = if h.closing_year {
        format!(
            " <span class=\"tag\">{}</span>",
            t("纲要收官之年", "closing year of the outline")
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "<p class=\"meta\">{}：{} · {}：{} · {}：{}{} · {}：{}</p>",
        t("台账", "Ledger"),
        esc(&h.ledger),
        t("统计截至", "As of"),
        h.as_of,
        t("纲要期间", "Outline period"),
        esc(&h.outline),
        closing,
        t("生成时间", "Generated"),
        esc(&h.generated_at)
    );

    let c = &s.summary.counts;
    let _ = writeln!(o, "<h2>{}</h2>", t("总体情况", "Summary"));
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
        t("任务总数", "Tasks"),
        t("完成率", "Completion"),
        t("平均进度", "Mean progress"),
        t("逾期", "Overdue")
    );
    for st in Status::ALL {
        let _ = write!(o, "<th>{}</th>", st.label(lang));
    }
    let _ = write!(
        o,
        "</tr>\n<tr><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}%</td><td class=\"n\">{}</td>",
        c.total, c.completion_rate, c.progress, c.overdue
    );
    for st in Status::ALL {
        let _ = write!(
            o,
            "<td class=\"n\">{}</td>",
            c.by_status.get(st.en()).copied().unwrap_or(0)
        );
    }
    o.push_str("</tr></table>\n");

    let _ = writeln!(o, "<h2>{}</h2>", t("分领域进度", "Progress by area"));
    bars(&mut o, &s.areas, false, lang);
    let _ = writeln!(o, "<h2>{}</h2>", t("分单位进度", "Progress by owner"));
    bars(&mut o, &s.owners, true, lang);

    let _ = writeln!(
        o,
        "<h2>{}</h2>",
        t("短板整改情况", "Shortcomings and what addresses them")
    );
    if s.shortcomings.is_empty() {
        let _ = writeln!(
            o,
            "<p>{}</p>",
            t("本年度无短板项。", "No shortcomings this year.")
        );
    }
    o.push_str("<ul>\n");
    for sc in &s.shortcomings {
        let r = &sc.shortcoming;
        let _ = write!(
            o,
            "<li><b>{}</b> {}（{}，{}%）<ul>",
            esc(&label_of(r)),
            esc(&r.title),
            r.status.label(lang),
            r.progress
        );
        if sc.addressed_by.is_empty() {
            let _ = write!(
                o,
                "<li class=\"tag\">{}</li>",
                t("尚无对应整改措施", "nothing addresses it yet")
            );
        }
        for a in &sc.addressed_by {
            let _ = write!(
                o,
                "<li>{} {}（{}，{}%，{} {}）</li>",
                esc(&label_of(a)),
                esc(&a.title),
                a.status.label(lang),
                a.progress,
                t("时限", "due"),
                deadline_text(a, lang)
            );
        }
        o.push_str("</ul></li>\n");
    }
    o.push_str("</ul>\n");

    let _ = writeln!(o, "<h2>{}</h2>", t("任务明细", "Tasks"));
    o.push_str("<table><tr>");
    for c in columns(lang) {
        let _ = write!(o, "<th>{}</th>", esc(c));
    }
    o.push_str("</tr>\n");
    for r in &s.tasks {
        let _ = write!(o, "<tr{}>", if r.overdue { " class=\"late\"" } else { "" });
        for (i, c) in cells(r, lang).iter().enumerate() {
            // Numbers right-aligned; short codes, dates and status words kept on one line.
            let class = match i {
                0 | 9 => " class=\"n\"",
                1 | 2 | 7 | 8 | 10 => " class=\"k\"",
                _ => "",
            };
            let _ = write!(o, "<td{class}>{}</td>", esc(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table>\n</body></html>\n");
    o
}

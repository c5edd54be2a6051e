//! The supervision notice (督办通知) a rule-of-law office sends a unit with red or yellow
//! warnings: one content model, `Notice`, built once from the warned tasks and laid out by
//! `templates/notice.md` and `templates/notice.html` (and serialised as JSON), so that no
//! format lacks a part another has.

use std::fmt::Display;
use std::io::{self, Write};

use askama::Template;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::db::warn::Colour;
use crate::model::{Lang, Task, Word};

/// Whether the unit leads the task or supports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Lead,
    Support,
}

/// One warned task of the unit, as the command gathered it from the ledger.
#[derive(Debug, Clone)]
pub struct Warned {
    pub colour: Colour,
    pub role: Role,
    /// Days from the as-of day to the deadline (negative when overdue).
    pub days_left: i64,
    pub task: Task,
    /// The deadline the task was first given, when it differs from the current one.
    pub first_deadline: Option<NaiveDate>,
    /// The latest progress note and the day it took effect.
    pub note: Option<(String, String)>,
    /// The deadline a pending extension request asks for.
    pub pending: Option<NaiveDate>,
}

/// What the command knows besides the tasks.
#[derive(Debug, Clone)]
pub struct Heading {
    /// The unit's current name.
    pub unit: String,
    /// The ledger's name (`config name`), if set.
    pub ledger: Option<String>,
    pub as_of: NaiveDate,
    pub reply_by: NaiveDate,
    /// The sender (`--from`), else the ledger's 法治政府建设领导小组办公室.
    pub from: Option<String>,
    /// The issuing office's code for the document number (`--doc-prefix`).
    pub doc_prefix: Option<String>,
}

/// One row of a notice's table: every value as the text it is printed as.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub no: usize,
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub colour: Colour,
    pub title: String,
    pub role: Role,
    pub role_label: String,
    pub deadline: String,
    /// "（延期，原定…）" when the deadline moved later, "（原定…）" when earlier; else empty.
    pub moved: String,
    pub days_overdue: Option<i64>,
    pub days_text: String,
    pub progress: String,
    pub status: String,
    /// "申请延期至…，待审批" when an extension request waits; else empty.
    pub pending: String,
    pub note: String,
    pub note_day: String,
    /// The note's day as printed after it ("（2025-05-10）"); empty without a note.
    pub note_when: String,
    pub person: String,
}

/// A titled table of the notice: the red items, then the yellow ones.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub colour: Colour,
    pub heading: String,
    pub items: Vec<Item>,
}

/// The fixed words of the notice, in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub html_lang: String,
    pub no: String,
    pub reference: String,
    pub task: String,
    pub role: String,
    pub deadline: String,
    pub overdue: String,
    pub progress: String,
    pub status: String,
    pub note: String,
    pub person: String,
}

/// The supervision notice: everything every format shows, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub title: String,
    /// The document number line, left for the office to fill in.
    pub number: String,
    pub unit: String,
    /// The addressee line ("区司法局：").
    pub addressee: String,
    pub body: String,
    pub as_of: NaiveDate,
    pub red: usize,
    pub yellow: usize,
    pub sections: Vec<Section>,
    pub reply_by: NaiveDate,
    /// What to send back by when.
    pub reply: String,
    /// What the reply must contain.
    pub reply_contents: String,
    pub from: String,
    /// The date under the signature, written out.
    pub date: String,
    #[serde(skip)]
    pub l: Labels,
}

impl Notice {
    /// Builds the notice of one unit from its warned tasks (red and yellow only; the caller
    /// leaves blue out), red first, each colour by deadline as the warnings come.
    pub fn new(h: &Heading, warned: &[Warned], lang: Lang) -> Notice {
        let t = |key: &'static str| crate::i18n::text(lang, key).into_owned();
        let ledger = h
            .ledger
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| t("notice.this_ledger"));
        let from = h.from.clone().unwrap_or_else(|| match &h.ledger {
            Some(n) if !n.trim().is_empty() => crate::tr!(lang, "notice.from_default", ledger = n),
            _ => t("notice.from_unnamed"),
        });
        let number = match &h.doc_prefix {
            Some(p) => crate::tr!(
                lang,
                "notice.number_prefixed",
                prefix = p,
                year = h.as_of.year()
            ),
            None => t("notice.number"),
        };
        let mut sections = Vec::new();
        let mut no = 0;
        for colour in [Colour::Red, Colour::Yellow] {
            let items: Vec<Item> = warned
                .iter()
                .filter(|w| w.colour == colour)
                .map(|w| {
                    no += 1;
                    item(no, w, lang)
                })
                .collect();
            if items.is_empty() {
                continue;
            }
            let heading = match colour {
                Colour::Red => crate::tr!(lang, "notice.red_heading", count = items.len()),
                _ => crate::tr!(lang, "notice.yellow_heading", count = items.len()),
            };
            sections.push(Section {
                colour,
                heading,
                items,
            });
        }
        let count = |c: Colour| warned.iter().filter(|w| w.colour == c).count();
        let (red, yellow) = (count(Colour::Red), count(Colour::Yellow));
        Notice {
            title: t("notice.title"),
            number,
            unit: h.unit.clone(),
            addressee: crate::tr!(lang, "notice.addressee", unit = h.unit),
            body: crate::tr!(
                lang,
                "notice.body",
                ledger = ledger,
                day = long_date(h.as_of, lang),
                red = red,
                yellow = yellow
            ),
            as_of: h.as_of,
            red,
            yellow,
            sections,
            reply_by: h.reply_by,
            reply: crate::tr!(
                lang,
                "notice.reply",
                day = long_date(h.reply_by, lang),
                from = from
            ),
            reply_contents: t("notice.reply_contents"),
            from,
            date: written_date(h.as_of, lang),
            l: Labels {
                html_lang: t("export.page.en"),
                no: t("notice.col.no"),
                reference: t("notice.col.ref"),
                task: t("notice.col.task"),
                role: t("notice.col.role"),
                deadline: t("notice.col.deadline"),
                overdue: t("notice.col.overdue"),
                progress: t("notice.col.progress"),
                status: t("notice.col.status"),
                note: t("notice.col.note"),
                person: t("notice.col.person"),
            },
        }
    }

    /// Writes the notice as Markdown.
    pub fn write_md(&self, out: &mut dyn Write) -> io::Result<()> {
        MdNotice { n: self }.write_into(out)
    }

    /// The notice as a Word document (.docx) on A4 portrait with the margins of a government
    /// document, through the streaming writer of `docx.rs`: one table per colour, its
    /// heading row repeated on every page. A notice is small, so it is built in memory and
    /// the caller writes the bytes (one file whole, or each file of `--all`). `created` is
    /// the ledger's clock, so the same ledger at the same moment gives the same bytes.
    pub fn docx(&self, created: Option<String>, lang: Lang) -> crate::Result<Vec<u8>> {
        use super::docx::{self, Col, Docx, Meta, Section, Style};
        let io = |e| crate::Error::io("writing the notice", e);
        // A paragraph of running text starts two characters in, in Chinese.
        let para = |text: String| crate::tr!(lang, "notice.paragraph", text = text);
        let meta = Meta {
            title: self.title.clone(),
            author: Some(self.from.clone()),
            created,
        };
        let page = Section::PORTRAIT;
        let mut doc = Docx::new(io::Cursor::new(Vec::new()), &meta, page, false)?;
        let w = doc.body();
        docx::paragraph(w, Style::Title, &self.title).map_err(io)?;
        docx::paragraph(w, Style::Subtitle, &self.number).map_err(io)?;
        docx::rich_paragraph(w, Style::Body, &[(&self.addressee, true)]).map_err(io)?;
        docx::paragraph(w, Style::Body, &para(self.body.clone())).map_err(io)?;
        // 序号, 来源, 任务, 角色, 完成时限, 逾期, 进度, 状态, 最新进展, 责任人: the task and its
        // latest note take the room; the short words and figures are centred.
        // Widths from what a 9 pt cell must hold on one line: a two-character heading, a
        // date, "1461天", "100%", "推进中", a ref "2021-C1267"; measured in LibreOffice (a narrower 逾期天数 wrapped).
        let weights = [6, 13, 14, 8, 13, 8, 7, 8, 15, 8];
        let centred = [
            true, false, false, true, true, true, true, true, false, true,
        ];
        let cols: Vec<Col> = docx::widths(&weights, page.text_width())
            .into_iter()
            .zip(centred)
            .map(|(width, center)| Col { width, center })
            .collect();
        let l = &self.l;
        let headings = [
            l.no.as_str(),
            &l.reference,
            &l.task,
            &l.role,
            &l.deadline,
            &l.overdue,
            &l.progress,
            &l.status,
            &l.note,
            &l.person,
        ];
        for s in &self.sections {
            docx::paragraph(w, Style::Heading, &s.heading).map_err(io)?;
            docx::table_start(w, &cols, &headings, Style::SmallHead).map_err(io)?;
            for i in &s.items {
                let deadline = if i.pending.is_empty() {
                    format!("{}{}", i.deadline, i.moved)
                } else {
                    format!("{}{}\n{}", i.deadline, i.moved, i.pending)
                };
                let cells = [
                    i.no.to_string(),
                    i.reference.clone(),
                    i.title.clone(),
                    i.role_label.clone(),
                    deadline,
                    i.days_text.clone(),
                    i.progress.clone(),
                    i.status.clone(),
                    format!("{}{}", i.note, i.note_when),
                    i.person.clone(),
                ];
                docx::table_row(w, &cols, &cells, Style::Small).map_err(io)?;
            }
            docx::table_end(w).map_err(io)?;
        }
        docx::paragraph(
            w,
            Style::Body,
            &para(format!("{}{}", self.reply, self.reply_contents)),
        )
        .map_err(io)?;
        docx::paragraph(w, Style::Body, "").map_err(io)?;
        docx::paragraph(w, Style::Right, &self.from).map_err(io)?;
        docx::paragraph(w, Style::Right, &self.date).map_err(io)?;
        Ok(doc.finish(page)?.into_inner())
    }

    /// Writes the notice as a self-contained HTML page that prints on A4 portrait.
    pub fn write_html(&self, out: &mut dyn Write) -> io::Result<()> {
        HtmlNotice { n: self }.write_into(out)
    }
}

fn item(no: usize, w: &Warned, lang: Lang) -> Item {
    let t = &w.task;
    let deadline = t.deadline.map(|d| d.to_string()).unwrap_or_default();
    let moved = match (w.first_deadline, t.deadline) {
        (Some(first), Some(now)) if first < now => {
            crate::tr!(lang, "notice.extended", from = first)
        }
        (Some(first), Some(now)) if first > now => crate::tr!(lang, "notice.moved", from = first),
        _ => String::new(),
    };
    let days_overdue = (w.colour == Colour::Red).then_some(-w.days_left);
    let days_text = match days_overdue {
        Some(n) => crate::tr!(lang, "notice.days", n = n),
        None => crate::tr!(lang, "notice.not_due"),
    };
    let (note, note_day) = match &w.note {
        Some((n, d)) => (n.clone(), d.clone()),
        None => (crate::tr!(lang, "notice.no_note"), String::new()),
    };
    Item {
        no,
        id: t.id,
        reference: t.reference.clone().unwrap_or_else(|| format!("#{}", t.id)),
        colour: w.colour,
        title: t.title.clone(),
        role: w.role,
        role_label: match w.role {
            Role::Lead => crate::tr!(lang, "notice.role_lead"),
            Role::Support => crate::tr!(lang, "notice.role_support"),
        },
        deadline,
        moved,
        days_overdue,
        days_text,
        progress: format!("{}%", t.progress),
        status: t.status.label(lang).to_string(),
        pending: w
            .pending
            .map(|to| crate::tr!(lang, "notice.pending", to = to))
            .unwrap_or_default(),
        note_when: if note_day.is_empty() {
            String::new()
        } else {
            crate::tr!(lang, "notice.note_when", day = note_day)
        },
        note,
        note_day,
        person: t.person.clone().unwrap_or_default(),
    }
}

/// The default reply deadline: five working days (Monday to Friday) after `day`. Public
/// holidays and the weekends worked in their place are not known to the ledger, so the office
/// gives `--reply-by` around them.
pub fn working_days_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        match d.succ_opt() {
            Some(next) => d = next,
            None => return d,
        }
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// A day in running text: "2025年6月30日" / "30 June 2025".
pub fn long_date(d: NaiveDate, lang: Lang) -> String {
    // The month as each language writes it in a date: a number in Chinese, a name in English.
    let months = crate::i18n::text(lang, "notice.months");
    let month = months
        .split(',')
        .nth(d.month0() as usize)
        .map_or_else(|| d.month().to_string(), str::to_string);
    crate::tr!(
        lang,
        "notice.long_date",
        year = d.year(),
        month = month,
        day = d.day()
    )
}

/// The date under the signature, as official documents write it: every digit of the year
/// in Chinese numerals and the month and day as numbers in words ("二〇二五年六月三十日").
pub fn written_date(d: NaiveDate, lang: Lang) -> String {
    if lang == Lang::En {
        return long_date(d, lang);
    }
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |n: u32| DIGITS.get(n as usize).copied().unwrap_or('〇');
    let number = |n: u32| -> String {
        match (n / 10, n % 10) {
            (0, u) => digit(u).to_string(),
            (1, 0) => "十".to_string(),
            (1, u) => format!("十{}", digit(u)),
            (t, 0) => format!("{}十", digit(t)),
            (t, u) => format!("{}十{}", digit(t), digit(u)),
        }
    };
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, digit))
        .collect();
    format!("{year}年{}月{}日", number(d.month()), number(d.day()))
}

/// A file name for a unit's notice that every system accepts, Windows included: the
/// characters Windows refuses (`/\:*?"<>|` and control characters) become `_`, trailing dots
/// and spaces go, a reserved device name (CON, NUL, COM1 …) gets a leading `_`, and the name
/// is cut to 100 characters. Uniqueness among a folder's names is the caller's (`unique`).
pub fn safe_file_stem(unit: &str) -> String {
    let mut s: String = unit
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    let kept = s.trim_end_matches(['.', ' ']).trim_start().len();
    s.truncate(kept);
    let s = s.trim_start().to_string();
    if s.is_empty() {
        return "_".into();
    }
    let base = s
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit());
    if reserved {
        format!("_{s}")
    } else {
        s
    }
}

/// `stem` made unique among `taken` (compared without case, as Windows does) by a "-2", "-3"
/// … suffix; the chosen name is added to `taken`.
pub fn unique(stem: String, taken: &mut std::collections::HashSet<String>) -> String {
    let mut name = stem.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        name = format!("{stem}-{n}");
        n += 1;
    }
    name
}

#[derive(Template)]
#[template(path = "notice.md")]
struct MdNotice<'a> {
    n: &'a Notice,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct HtmlNotice<'a> {
    n: &'a Notice,
}

/// The notice template's own Markdown filter. Another engineer is reworking the year
/// export's escaper (`escape.rs`) at the same time, so this one is kept small and local to
/// the notice: it escapes every character CommonMark gives a meaning anywhere in a line, and
/// the markers that only count at a line's start (`#`, `-`, `+`, `=`, "1." / "1)"), so a
/// value is plain text wherever the template places it. Used as `{{ x|md|safe }}`: the
/// output is already escaped.
mod filters {
    use super::*;

    pub fn md<T: Display>(s: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(md_text(&s.to_string()))
    }
}

/// Escapes a value for the notice's Markdown (see `filters`).
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Digits at the start are kept until what follows them is known ("1." is a list item).
    let mut leading_digits = true;
    for (i, c) in s.chars().enumerate() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if crate::render::escape::is_hazard(c) => {
                for e in c.escape_default() {
                    if e == '\\' {
                        out.push('\\');
                    }
                    out.push(e);
                }
            }
            '\\' | '|' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if leading_digits && i > 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        if !c.is_ascii_digit() {
            leading_digits = false;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn written_date_is_in_chinese_numerals() {
        assert_eq!(
            written_date(d(2026, 11, 29), Lang::Zh),
            "二〇二六年十一月二十九日"
        );
        assert_eq!(
            written_date(d(2025, 6, 30), Lang::Zh),
            "二〇二五年六月三十日"
        );
        assert_eq!(written_date(d(2020, 10, 1), Lang::Zh), "二〇二〇年十月一日");
        assert_eq!(written_date(d(2025, 6, 30), Lang::En), "30 June 2025");
    }

    #[test]
    fn five_working_days_skip_the_weekend() {
        // 2025-06-27 is a Friday: the next five working days end on Friday 4 July.
        assert_eq!(working_days_after(d(2025, 6, 27), 5), d(2025, 7, 4));
        // From a Monday: the next Monday.
        assert_eq!(working_days_after(d(2025, 6, 30), 5), d(2025, 7, 7));
    }

    #[test]
    fn file_stems_are_safe_for_windows() {
        assert_eq!(safe_file_stem("a/b:c"), "a_b_c");
        assert_eq!(safe_file_stem("区司法局"), "区司法局");
        assert_eq!(safe_file_stem("x. . "), "x");
        assert_eq!(safe_file_stem("con"), "_con");
        assert_eq!(safe_file_stem("LPT1.txt"), "_LPT1.txt");
        assert_eq!(safe_file_stem("COMMITTEE"), "COMMITTEE");
        assert_eq!(safe_file_stem("..."), "_");
        let mut taken = std::collections::HashSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("a".into(), &mut taken), "a-2");
    }

    #[test]
    fn markdown_values_are_plain_text() {
        assert_eq!(md_text("<script>x</script>"), r"\<script\>x\</script\>");
        assert_eq!(md_text("# h"), r"\# h");
        assert_eq!(md_text("- item"), r"\- item");
        assert_eq!(md_text("12. x"), r"12\. x");
        assert_eq!(md_text("2025-06-30"), "2025-06-30");
        assert_eq!(md_text("a|b &amp;"), r"a\|b \&amp;");
        assert_eq!(md_text("加强（一）执法"), "加强（一）执法");
    }
}

//! The rows under the header: section rows ("一、深化改革…" across the row) that give the area
//! of the tasks below, tasks with their 序号 hierarchy (1.1 under 1, ① under 1, 1 under （一）),
//! status words through one table and deadlines through the ledger's one date grammar.

use chrono::NaiveDate;
use serde::Serialize;

use super::columns::{Header, Target};
use super::grid::Grid;
use crate::model::date::{self, Due};
use crate::model::{Kind, Lang, Status};

/// The words offices write for a task's status, and what each means. Words not here (and not
/// a status word of the ledger itself) are refused with the row unless `--status-map` names them.
/// "基本完成" is left out on purpose: whether it is done or still in progress is the office's
/// call.
pub const STATUS_WORDS: &[(&str, Status)] = &[
    ("已完成", Status::Done),
    ("完成", Status::Done),
    ("已办结", Status::Done),
    ("办结", Status::Done),
    ("✓", Status::Done),
    ("√", Status::Done),
    ("✔", Status::Done),
    ("正在推进", Status::Doing),
    ("推进中", Status::Doing),
    ("持续推进", Status::Doing),
    ("进行中", Status::Doing),
    ("正在进行", Status::Doing),
    ("已启动", Status::Doing),
    ("未完成", Status::Doing),
    ("整改中", Status::Doing),
    ("未启动", Status::Todo),
    ("未开始", Status::Todo),
    ("尚未启动", Status::Todo),
    ("已销号", Status::Verified),
    ("销号", Status::Verified),
    ("受阻", Status::Blocked),
];

/// Words of a deadline cell for recurring work: the task is due at the end of its plan year and
/// keeps the words.
const RECURRING: &[&str] = &["每月", "每季度", "每半年", "每年", "按季度", "按月"];

/// The user's `--status-map` entries.
pub type StatusMap = Vec<(String, Status)>;

/// A status word as the row's status: the user's map first, then the table, then the ledger's
/// own words (推进中, done …). Cancelled is not a state a task can be created in.
pub fn status_word(word: &str, map: &StatusMap) -> Option<Status> {
    let w = word.trim();
    map.iter()
        .find(|(k, _)| k == w)
        .map(|(_, s)| *s)
        .or_else(|| STATUS_WORDS.iter().find(|(k, _)| *k == w).map(|(_, s)| *s))
        .or_else(|| w.parse::<Status>().ok())
        .filter(|s| *s != Status::Cancelled)
}

fn yes(word: &str) -> Option<bool> {
    match word.trim() {
        "是" | "已" | "✓" | "√" | "✔" | "Y" | "y" | "yes" | "TRUE" | "true" | "1" => {
            Some(true)
        }
        "否" | "未" | "×" | "N" | "n" | "no" | "FALSE" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// An Excel serial day number as a date (days since 1899-12-30).
pub fn excel_day(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// A task read from a row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// 1-based row number in the sheet, as Excel shows it.
    pub row: usize,
    /// The stable key of the row in its sheet: section, then the 序号 chain (or the title).
    pub key: String,
    pub seq: String,
    /// Index (in the sheet's rows) of the task this one is a sub-task of.
    pub parent: Option<usize>,
    pub kind: Kind,
    pub title: String,
    pub body: Option<String>,
    pub area: Option<String>,
    pub owner: Option<String>,
    pub co_owners: Vec<String>,
    pub person: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub deadline_text: Option<String>,
    pub continuous: bool,
    pub status: Status,
    /// The word the status came from, when a cell gave one.
    pub status_word: Option<String>,
    pub progress_note: Option<String>,
    pub evidence: Option<String>,
}

/// A section row: its row number, its text and how many tasks it heads.
#[derive(Debug, Clone, Serialize)]
pub struct SectionRow {
    pub row: usize,
    pub title: String,
    pub tasks: usize,
}

/// What reading a sheet's rows found.
#[derive(Debug, Default)]
pub struct Read {
    pub rows: Vec<Row>,
    pub sections: Vec<SectionRow>,
    /// Rows left out, with the reason (no task text, a footer).
    pub skipped: Vec<(usize, String)>,
    /// Rows that refuse the import: an unknown status word, an unreadable date.
    pub problems: Vec<(usize, String)>,
}

/// The rank of a 序号 form in the hierarchy: a smaller rank contains a larger one.
/// "一" < "（一）" < "1" < "1.1" < "（1）" < "①".
fn rank(seq: &str) -> (u8, usize) {
    let s = date::ascii_digits(seq.trim());
    let s = s.trim_end_matches(['、', '.', '．', '，', ',', ' ']);
    let first = s.chars().next().unwrap_or(' ');
    let paren = first == '（' || first == '(';
    let inner: String = s
        .chars()
        .filter(|c| !matches!(c, '（' | '(' | '）' | ')'))
        .collect();
    let cn = !inner.is_empty() && inner.chars().all(|c| "一二三四五六七八九十百".contains(c));
    let arabic = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || c == '.');
    let circled = ('①'..='⑳').contains(&first);
    match (paren, cn, arabic, circled) {
        (false, true, _, _) => (0, 0),
        (true, true, _, _) => (1, 0),
        (false, _, true, _) => (2, inner.matches('.').count()),
        (true, _, true, _) => (3, 0),
        (_, _, _, true) => (4, 0),
        _ => (2, 0),
    }
}

/// The last part of a 序号 for the key: "1.2" under "1" adds "2"; others add themselves.
fn key_part(seq: &str) -> String {
    let s = date::ascii_digits(seq.trim());
    let s = s.trim_end_matches(['、', '.', '．', '，', ',', ' ']);
    let last = s.rsplit('.').next().unwrap_or(s);
    last.chars().filter(|c| !"（）()".contains(*c)).collect()
}

/// Whether a row is a section row: one text across the row (a merged cell, or a single cell)
/// that is not a task: it spans several columns, or starts with a chapter number ("一、").
fn section_text(g: &Grid, r: usize, h: &Header) -> Option<String> {
    let texts: Vec<&str> = (0..g.width())
        .map(|c| g.at(r, c))
        .filter(|t| !t.is_empty())
        .collect();
    let first = *texts.first()?;
    if texts.iter().any(|t| *t != first) {
        return None;
    }
    let chapter = {
        let t = first.trim_start();
        let head: String = t
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .collect();
        !head.is_empty() && t[head.len()..].starts_with(['、', '，', '．', '.'])
    };
    let spans = texts.len() >= 2 && texts.len() * 2 >= h.columns.len().min(g.width());
    (spans || chapter).then(|| first.to_string())
}

/// A footer under the table ("填报人：…  审核人：…", "注：…"): left out, listed as skipped.
fn footer(text: &str) -> bool {
    [
        "填报人",
        "审核人",
        "注：",
        "注:",
        "说明：",
        "联系电话",
        "制表",
        "备注：",
    ]
    .iter()
    .any(|w| text.starts_with(w))
}

/// Reads the rows under a sheet's header. `year` is the plan year that forms without a year
/// ("6月底前") take and that tasks without a deadline are due at the end of.
pub fn read(g: &Grid, h: &Header, year: i32, status_map: &StatusMap, lang: Lang) -> Read {
    let col = |t: Target| {
        h.columns
            .iter()
            .find(|c| c.target == Some(t) && !c.duplicate)
            .map(|c| c.index)
    };
    let title_col = col(Target::Title).or_else(|| col(Target::Problem));
    let kind = if col(Target::Title).is_none() && col(Target::Problem).is_some() {
        Kind::Shortcoming
    } else {
        Kind::Task
    };
    let mut out = Read::default();
    let mut area: Option<String> = None;
    let mut section_key = String::new();
    // The open tasks of the hierarchy: (rank, key, index in out.rows).
    let mut stack: Vec<((u8, usize), String, usize)> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for r in h.last + 1..g.rows.len() {
        let n = r + 1;
        let get = |t: Target| {
            col(t)
                .map(|c| g.at(r, c).to_string())
                .filter(|s| !s.is_empty())
        };
        if (0..g.width()).all(|c| g.at(r, c).is_empty()) {
            continue;
        }
        if let Some(t) = section_text(g, r, h) {
            if footer(&t) {
                out.skipped
                    .push((n, crate::tr!(lang, "import.sheet.footer", text = short(&t))));
                continue;
            }
            let (marker, rest) = split_marker(&t);
            section_key = marker.clone();
            area = Some(rest);
            stack.clear();
            out.sections.push(SectionRow {
                row: n,
                title: t,
                tasks: 0,
            });
            continue;
        }
        let Some(title) = title_col
            .map(|c| g.at(r, c).to_string())
            .filter(|s| !s.is_empty())
        else {
            let any: Vec<&str> = (0..g.width())
                .map(|c| g.at(r, c))
                .filter(|t| !t.is_empty())
                .collect();
            let reason = match any.first() {
                Some(t) if footer(t) => crate::tr!(lang, "import.sheet.footer", text = short(t)),
                _ => crate::tr!(lang, "import.sheet.no_task_text"),
            };
            out.skipped.push((n, reason));
            continue;
        };
        let seq = get(Target::Seq).unwrap_or_default();
        let rk = rank(&seq);
        while stack.last().is_some_and(|(k, _, _)| *k >= rk) {
            stack.pop();
        }
        let parent = if seq.is_empty() {
            None
        } else {
            stack.last().map(|(_, _, i)| *i)
        };
        let part = if seq.is_empty() {
            short(&title)
        } else {
            key_part(&seq)
        };
        let base = match (parent.and_then(|i| out.rows.get(i)), section_key.is_empty()) {
            (Some(p), _) => format!("{}.{part}", p.key),
            (None, true) => part,
            (None, false) => format!("{section_key}.{part}"),
        };
        let mut key = base.clone();
        let mut dup = 2;
        while keys.contains(&key) {
            key = format!("{base}~{dup}");
            dup += 1;
        }
        keys.push(key.clone());

        // The deadline: a date cell or serial number, else the one date grammar.
        let mut deadline = None;
        let mut deadline_text = None;
        let mut continuous = false;
        if let Some(c) = col(Target::Deadline) {
            let cell = g.cell(r, c).cloned().unwrap_or_default();
            let text = cell.text.trim().to_string();
            let serial = cell
                .number
                .filter(|f| cell.date || *f >= 10_000.0)
                .or_else(|| text.parse::<f64>().ok().filter(|f| *f >= 10_000.0));
            if let Some(day) = serial.and_then(excel_day) {
                deadline = Some(day);
            } else if text.is_empty() {
            } else if RECURRING.iter().any(|w| text.contains(w)) {
                deadline = date::end_of_year(year);
                deadline_text = Some(text.clone());
            } else {
                match date::parse(&text, year) {
                    Ok(Due::Day(d)) => {
                        deadline = Some(d);
                        // The words are kept as `add --deadline` keeps them: not for an ISO day.
                        deadline_text = date::DeadlineArg { text: text.clone() }.words();
                    }
                    Ok(Due::Continuous) => {
                        continuous = true;
                        deadline_text = Some(text.clone());
                    }
                    Err(_) => out.problems.push((
                        n,
                        crate::tr!(
                            lang,
                            "import.sheet.bad_deadline",
                            column = super::columns::letter(c),
                            text = short(&text)
                        ),
                    )),
                }
            }
        }
        if deadline.is_none() && !continuous {
            deadline = date::end_of_year(year);
        }

        // The status: 是否销号 是 is verified; else a status word; else 是否完成 是 is done.
        let mut status = Status::Todo;
        let mut status_word_seen = None;
        if let Some(w) = get(Target::DoneFlag) {
            match yes(&w) {
                Some(true) => status = Status::Done,
                Some(false) => {}
                None => match status_word(&w, status_map) {
                    Some(s) => status = s,
                    None => out.problems.push((n, unknown_status(&w, "是否完成", lang))),
                },
            }
            status_word_seen = Some(w);
        }
        // A 完成情况 column often holds a status word ("已完成", "推进中") rather than progress
        // text: such a cell is the status when no status column says otherwise.
        let mut progress_note = get(Target::Progress);
        if let Some(w) = progress_note.clone() {
            if let Some(st) = status_word(&w, status_map) {
                if get(Target::Status).is_none() {
                    status = st;
                    status_word_seen = Some(w);
                }
                progress_note = None;
            }
        }
        if let Some(w) = get(Target::Status) {
            match status_word(&w, status_map) {
                Some(s) => status = s,
                None => out.problems.push((n, unknown_status(&w, "状态", lang))),
            }
            status_word_seen = Some(w);
        }
        if let Some(w) = get(Target::VerifiedFlag) {
            match yes(&w) {
                Some(true) => status = Status::Verified,
                Some(false) => {}
                None => match status_word(&w, status_map) {
                    Some(s) => status = s,
                    None => out.problems.push((n, unknown_status(&w, "是否销号", lang))),
                },
            }
            status_word_seen = status_word_seen.or(Some(w));
        }

        let mut body = Vec::new();
        for (t, label) in [
            (Target::Measures, "整改措施"),
            (Target::Source, "任务来源"),
            (Target::Remark, "备注"),
        ] {
            if let Some(v) = get(t) {
                body.push(format!("{label}：{v}"));
            }
        }
        let co_owners = get(Target::CoOwners)
            .map(|s| {
                s.split(['、', ',', '，', ';', '；', '\n', '/'])
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let row_area = get(Target::Area).or_else(|| area.clone());
        if let Some(s) = out.sections.last_mut() {
            s.tasks += 1;
        }
        out.rows.push(Row {
            row: n,
            key,
            seq: seq.clone(),
            parent,
            kind,
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            body: (!body.is_empty()).then(|| body.join("\n")),
            area: row_area,
            owner: get(Target::Owner).map(|o| o.split_whitespace().collect::<Vec<_>>().join("")),
            co_owners,
            person: get(Target::Person),
            deadline,
            deadline_text,
            continuous,
            status,
            status_word: status_word_seen,
            progress_note,
            evidence: get(Target::Evidence),
        });
        stack.push((
            rk,
            out.rows.last().map(|x| x.key.clone()).unwrap_or_default(),
            out.rows.len() - 1,
        ));
        if seq.is_empty() {
            stack.clear();
        }
    }
    out
}

fn unknown_status(word: &str, column: &str, lang: Lang) -> String {
    let w = short(word);
    crate::tr!(
        lang,
        "import.sheet.unknown_status",
        column = column,
        word = w
    )
}

/// A section row's chapter number and its text without it: "一、深化改革" → ("一", "深化改革").
fn split_marker(t: &str) -> (String, String) {
    let t = t.trim();
    let head: String = t
        .chars()
        .take_while(|c| "一二三四五六七八九十（）()0123456789".contains(*c))
        .collect();
    let rest = t[head.len()..].trim_start_matches(['、', '，', '．', '.', ' ']);
    let marker: String = head.chars().filter(|c| !"（）()".contains(*c)).collect();
    if marker.is_empty() || rest.is_empty() {
        (short(t), t.to_string())
    } else {
        (marker, rest.to_string())
    }
}

/// At most 20 characters of a text, for keys and messages.
pub fn short(t: &str) -> String {
    let mut s: String = t.chars().take(20).collect();
    if t.chars().count() > 20 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_nest_the_usual_way() {
        assert!(rank("一") < rank("（一）"));
        assert!(rank("（一）") < rank("1"));
        assert!(rank("1") < rank("1.1"));
        assert!(rank("1.1") < rank("（1）"));
        assert!(rank("（1）") < rank("①"));
        assert_eq!(rank("2."), rank("3、"));
        assert_eq!(key_part("1.2"), "2");
        assert_eq!(
            split_marker("一、深化改革"),
            ("一".into(), "深化改革".into())
        );
    }

    #[test]
    fn status_words_through_one_table() {
        let none = StatusMap::new();
        assert_eq!(status_word("已完成", &none), Some(Status::Done));
        assert_eq!(status_word("✓", &none), Some(Status::Done));
        assert_eq!(status_word("持续推进", &none), Some(Status::Doing));
        assert_eq!(status_word("基本完成", &none), None);
        let map = vec![("基本完成".to_string(), Status::Doing)];
        assert_eq!(status_word("基本完成", &map), Some(Status::Doing));
        assert_eq!(status_word("已取消", &none), None);
    }
}

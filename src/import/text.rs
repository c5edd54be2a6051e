//! Character-level helpers shared by the parser: digits in three scripts, list markers, years,
//! dates and punctuation classes.
//!
//! Reports mix ASCII and full-width punctuation freely (the reference report writes "1." and
//! "常州市人民政府:" in ASCII but "一、" and "；" in full width), so every structural test here
//! accepts both forms. All slicing goes through `str::get` or byte offsets obtained from
//! `char_indices`, so no input can make these helpers panic.

use chrono::NaiveDate;

pub use crate::model::numerals::{
    arabic_digit, cn_digit, leading_arabic_number, leading_cn_number,
};

/// True for characters that close a sentence-internal clause: comma, semicolon, colon and the
/// full stop, in both widths.
pub fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '；' | ';' | '：' | ':' | '。' | '！' | '？' | '!' | '?'
    )
}

/// True for ASCII and full-width colons.
pub fn is_colon(c: char) -> bool {
    matches!(c, '：' | ':')
}

/// True for ASCII and full-width semicolons.
pub fn is_semicolon(c: char) -> bool {
    matches!(c, '；' | ';')
}

/// True for CJK unified ideographs (basic block and extension A), the characters that make up
/// meaningful phrases for link suggestions.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// True when the text contains at least one letter, digit or ideograph, so that fragments made
/// only of punctuation are not turned into tasks.
pub fn has_content(s: &str) -> bool {
    s.chars().any(|c| c.is_alphanumeric())
}

/// Removes trailing punctuation that ends a heading or clause but is not part of its wording.
pub fn trim_trailing_punct(s: &str) -> &str {
    s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '，' | ',' | '；' | ';' | '：' | ':' | '。' | '、' | '.' | '．'
            )
    })
}

/// The text before the first "。", or all of it when there is none, without trailing
/// punctuation. This is how reports write the lead phrase of an item or heading.
pub fn lead_phrase(s: &str) -> &str {
    let head = match s.find('。') {
        Some(i) => s.get(..i).unwrap_or(s),
        None => s,
    };
    trim_trailing_punct(head.trim())
}

/// True for characters of Chinese typesetting: ideographs, CJK and full-width punctuation,
/// Chinese quotation marks and book-title marks.
fn is_wide(c: char) -> bool {
    is_cjk(c)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
        || matches!(c, '“' | '”' | '‘' | '’' | '《' | '》' | '—' | '…')
}

/// Writes ASCII ",;:()" as their full-width forms where they touch Chinese text.
///
/// Web copies of reports often carry ASCII punctuation ("强化统筹,加力建设法治政府"); titles are
/// shown in tables next to titles from other reports, so they are given the standard Chinese
/// forms. Bodies are never changed. Punctuation between Latin letters or digits ("1,000") is
/// left alone.
pub fn widen_punct(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in cs.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| cs.get(j)).copied();
        let next = cs.get(i + 1).copied();
        let touches = prev.is_some_and(is_wide) || next.is_some_and(is_wide);
        let wide = match c {
            ',' if touches => '，',
            ';' if touches => '；',
            ':' if touches => '：',
            '(' if touches => '（',
            ')' if touches => '）',
            _ => c,
        };
        out.push(wide);
    }
    out
}

/// The kinds of list marker reports use, from the usual outermost to the usual innermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Marker {
    /// "一、"
    CnTop,
    /// "（一）" or "(一)"
    CnParen,
    /// "1." "1、" "１．"
    Arabic,
    /// "（1）" or "(1)"
    ArabicParen,
    /// "①"
    Circled,
}

/// A line that starts with a list marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heading<'a> {
    /// Which marker the line uses.
    pub marker: Marker,
    /// The number the marker carries.
    pub number: u32,
    /// The text after the marker, leading whitespace removed.
    pub rest: &'a str,
}

impl<'a> Heading<'a> {
    /// The heading's title: its lead phrase up to the first "。".
    pub fn title(&self) -> &'a str {
        lead_phrase(self.rest)
    }
}

fn is_open_paren(c: char) -> bool {
    matches!(c, '(' | '（')
}

fn is_close_paren(c: char) -> bool {
    matches!(c, ')' | '）')
}

/// Recognises a list marker at the start of a (trimmed) line.
pub fn heading(line: &str) -> Option<Heading<'_>> {
    let first = line.chars().next()?;
    if let Some(n) = circled_number(first) {
        let rest = line.get(first.len_utf8()..)?.trim_start();
        return Some(Heading {
            marker: Marker::Circled,
            number: n,
            rest,
        });
    }
    if is_open_paren(first) {
        // "（ 一 ）" as some web copies space it.
        let inner = line
            .get(first.len_utf8()..)?
            .trim_start_matches([' ', '\u{3000}']);
        let (number, used, marker) = if let Some((n, u)) = leading_cn_number(inner) {
            (n, u, Marker::CnParen)
        } else if let Some((n, u)) = leading_arabic_number(inner) {
            (n, u, Marker::ArabicParen)
        } else {
            return None;
        };
        let after = inner.get(used..)?.trim_start_matches([' ', '\u{3000}']);
        let close = after.chars().next()?;
        if !is_close_paren(close) {
            return None;
        }
        let mut rest = after.get(close.len_utf8()..)?;
        // Some writers add a stray "、" after the closing bracket: "（一）、".
        if let Some(stripped) = rest.strip_prefix('、') {
            rest = stripped;
        }
        return Some(Heading {
            marker,
            number,
            rest: rest.trim_start(),
        });
    }
    if let Some((number, used)) = leading_cn_number(line) {
        // Web copies sometimes put a space before the separator: "一 、主要成效".
        let after = line.get(used..)?.trim_start_matches([' ', '\u{3000}']);
        let sep = after.chars().next()?;
        if matches!(sep, '、' | '．' | '.') {
            let rest = after.get(sep.len_utf8()..)?;
            return Some(Heading {
                marker: Marker::CnTop,
                number,
                rest: rest.trim_start(),
            });
        }
        return None;
    }
    if let Some((number, used)) = leading_arabic_number(line) {
        let after = line.get(used..)?;
        let sep = after.chars().next()?;
        if matches!(sep, '.' | '．' | '、') {
            let rest = after.get(sep.len_utf8()..)?;
            // "1.5亿元" is a figure, not a list number; "1.2024年主要工作" is a list number
            // before a year, as parts numbered "1." "2." begin.
            if rest.chars().next().and_then(arabic_digit).is_some() && leading_year(rest).is_none()
            {
                return None;
            }
            return Some(Heading {
                marker: Marker::Arabic,
                number,
                rest: rest.trim_start(),
            });
        }
    }
    None
}

fn circled_number(c: char) -> Option<u32> {
    match c {
        '①'..='⑳' => Some(c as u32 - '①' as u32 + 1),
        _ => None,
    }
}

/// A "YYYY年" found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearHit {
    /// Byte offset of the first digit.
    pub pos: usize,
    /// The year.
    pub year: i32,
    /// True when the year closes a range such as "2021-2025年", where it names a period's end
    /// rather than the year a text is about.
    pub range_end: bool,
}

/// Finds every four-digit year written "YYYY年" (ASCII or full-width digits).
pub fn years(s: &str) -> Vec<YearHit> {
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let Some(&(pos, c)) = cs.get(i) else { break };
        if arabic_digit(c).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut value: i64 = 0;
        while let Some(d) = cs.get(i).and_then(|&(_, c)| arabic_digit(c)) {
            value = value.saturating_mul(10).saturating_add(i64::from(d));
            i += 1;
        }
        let len = i - start;
        if len == 4 && cs.get(i).map(|&(_, c)| c) == Some('年') {
            let range_end = start > 0
                && cs
                    .get(start - 1)
                    .map(|&(_, c)| matches!(c, '-' | '－' | '—' | '–' | '~' | '～' | '至'))
                    .unwrap_or(false);
            if let Ok(year) = i32::try_from(value) {
                out.push(YearHit {
                    pos,
                    year,
                    range_end,
                });
            }
        }
    }
    out
}

/// The year a text starts with ("2025年是…"), if any.
pub fn leading_year(s: &str) -> Option<i32> {
    years(s)
        .into_iter()
        .next()
        .filter(|h| h.pos == 0)
        .map(|h| h.year)
}

/// Parses a line that is only a date, as reports sign off: "2025年2月21日",
/// "２０２５年２月２１日" or "二〇二五年二月二十一日". The one date grammar reads it.
pub fn date_line(line: &str) -> Option<NaiveDate> {
    crate::model::date::full_day(line)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let h = heading("一、深化改革").unwrap();
        assert_eq!((h.marker, h.number, h.rest), (Marker::CnTop, 1, "深化改革"));
        let h = heading("十二、其他").unwrap();
        assert_eq!((h.marker, h.number), (Marker::CnTop, 12));
        let h = heading("（三）、加强").unwrap();
        assert_eq!((h.marker, h.number, h.rest), (Marker::CnParen, 3, "加强"));
        let h = heading("(2)规范").unwrap();
        assert_eq!((h.marker, h.number), (Marker::ArabicParen, 2));
        let h = heading("１．压茬推进").unwrap();
        assert_eq!(
            (h.marker, h.number, h.rest),
            (Marker::Arabic, 1, "压茬推进")
        );
        let h = heading("10、完善").unwrap();
        assert_eq!((h.marker, h.number), (Marker::Arabic, 10));
        assert_eq!(heading("②其他").unwrap().marker, Marker::Circled);
        assert!(heading("一是加强").is_none());
        assert!(heading("2024年，我区").is_none());
        assert!(heading("2024.全年").is_none());
        assert!(heading("1.5亿元").is_none());
        assert!(heading("十五五时期").is_none());
        assert!(heading("（此件公开发布）").is_none());
        assert!(heading("").is_none());
    }

    #[test]
    fn widening() {
        assert_eq!(widen_punct("强化统筹,加力建设"), "强化统筹，加力建设");
        assert_eq!(
            widen_punct("德恩特(江苏)公司:a;b"),
            "德恩特（江苏）公司：a;b"
        );
        assert_eq!(widen_punct("1,000 (ab)"), "1,000 (ab)");
    }

    #[test]
    fn years_and_dates() {
        let hits = years("2025年是《纲要(2021-2025年)》");
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].year, hits[0].range_end), (2025, false));
        assert!(hits[1].range_end);
        assert_eq!(leading_year("２０２６年工作安排"), Some(2026));
        assert_eq!(leading_year("在2024年"), None);
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(date_line("2025年2月21日"), d(2025, 2, 21));
        assert_eq!(date_line("２０２６年１月２０日"), d(2026, 1, 20));
        assert_eq!(date_line("二〇二四年三月三十一日"), d(2024, 3, 31));
        assert_eq!(date_line("2025年2月30日"), None);
        assert_eq!(date_line("2025年2月21日召开"), None);
    }
}

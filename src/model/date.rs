//! Deadlines as people write them in ledgers and reports, turned into calendar dates.
//!
//! This is the one date grammar of taizhang: the command line (`--deadline`, `--as-of`,
//! `--since`), the review file and the report importer all read dates through it, so a form
//! accepted in one place is accepted in every place. `parse` reads a whole value; `find_all`
//! finds the deadline phrases inside a sentence of a report, with the same matcher.
//!
//! Forms without a year ("6月底前", "年底前", "一季度") take the year of their context: the
//! plan year of the task or report. Numeric forms with separators (2025.6.30, 2025/6/30,
//! 2025-06) and a bare year are only read as whole values, never inside report sentences,
//! because in a report's prose they are publication dates and outline periods, not deadlines.

use chrono::{Datelike, NaiveDate};

use crate::model::numerals::{arabic_digit, cn_digit, leading_arabic_number, leading_cn_number};
use crate::model::Lang;

/// Phrases that mark work as continuous, without a date. In a report sentence only these three
/// count: "持续推动" or "持续深化" describe effort, not an open-ended duty.
pub const CONTINUOUS_PHRASES: [&str; 3] = ["长期坚持", "持续推进", "常态化"];

/// Whole values that also mean continuous work: the short word of the review file and the
/// English word.
const CONTINUOUS_WORDS: [&str; 2] = ["长期", "continuous"];

/// The forms `parse` accepts, for error messages, in English.
pub const ACCEPTED_FORMS: &str = "2025-12-31, 2025/6/30, 2025.6.30, 2025-06 (end of month), \
     2025 or 2025年 (end of year), 2025年6月30日, 2025年6月底(前), 6月底前 or 六月底前 (plan year), \
     年底前, 年内, 上半年, 下半年, 一季度…四季度, 第三季度, or 长期坚持/持续推进/常态化 (continuous)";

/// The forms `parse` accepts, for error messages, in Chinese.
pub const ACCEPTED_FORMS_ZH: &str = "2025-12-31、2025/6/30、2025.6.30、2025-06（月底）、\
     2025 或 2025年（年底）、2025年6月30日、2025年6月底(前)、6月底前或六月底前（计划年度）、\
     年底前、年内、上半年、下半年、一季度…四季度、第三季度，或 长期坚持/持续推进/常态化（长期）";

/// What a deadline value means: a day, or continuous work that has no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    Continuous,
}

impl Due {
    /// The day, or None for continuous work (how the ledger stores it: no deadline).
    pub fn day(self) -> Option<NaiveDate> {
        match self {
            Due::Day(d) => Some(d),
            Due::Continuous => None,
        }
    }
}

/// The refusal of a value, in the language of the locale: the command line reads dates
/// before `--lang` is known, so the locale decides.
fn refusal(input: &str) -> String {
    refusal_msg(input).text(Lang::from_env())
}

/// The refusal of a value that is not a date, as a catalogue message: a command-line
/// argument is refused inside clap, and the edge says it in the language of `--lang`.
pub fn refusal_msg(input: &str) -> crate::i18n::Msg {
    crate::msg!("date.not_a_date", shown = input.trim()).word(
        "forms",
        ACCEPTED_FORMS_ZH,
        ACCEPTED_FORMS,
    )
}

/// Reads a whole value as a deadline. `year` is the context year that forms without a year
/// take (the plan year of the task or report). The error names the accepted forms.
pub fn parse(input: &str, year: i32) -> Result<Due, String> {
    let t = input.trim();
    if CONTINUOUS_PHRASES.contains(&t) || CONTINUOUS_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
    {
        return Ok(Due::Continuous);
    }
    let c = Chars::new(t);
    let whole = numeric(&ascii_digits(t)).or_else(|| {
        let (date, end) = c.match_at(0, year, true)?;
        (end == c.cs.len()).then_some(date).flatten()
    });
    whole.map(Due::Day).ok_or_else(|| refusal(input))
}

/// Reads a whole value that must be a day (an as-of date, a "since" bound): continuous work
/// has no day, so it is refused like any other value that is not a date.
pub fn parse_day(input: &str, year: i32) -> Result<NaiveDate, String> {
    match parse(input, year)? {
        Due::Day(d) => Ok(d),
        Due::Continuous => Err(refusal(input)),
    }
}

/// Every explicit date a report sentence names, with the words it came from and the byte
/// position where they start. Forms without a year take `year`.
pub fn find_all(sentence: &str, year: i32) -> Vec<(NaiveDate, String, usize)> {
    let c = Chars::new(sentence);
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.cs.len() {
        match c.match_at(i, year, false) {
            Some((Some(date), end)) => {
                out.push((date, c.slice(i, end).to_string(), c.byte(i)));
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// A text that is exactly one day written in full in Chinese, as reports sign off:
/// "2025年2月21日", "２０２６年１月２０日", "二〇二四年三月三十一日" (spaces ignored).
pub fn full_day(text: &str) -> Option<NaiveDate> {
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let c = Chars::new(&s);
    let (y, j) = c.year(0, true)?;
    let (m, k) = c.month(j, true, true)?;
    let (d, end) = c.day(k)?;
    if end != c.cs.len() {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Replaces full-width digits and the full-width hyphen with their ASCII forms, so that text
/// typed with a Chinese input method parses like ASCII.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '／' => '/',
            '．' => '.',
            _ => c,
        })
        .collect()
}

/// The last day of a month, or None for a month outside 1–12.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    if !(1..=12).contains(&month) {
        return None;
    }
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
}

/// 31 December of a year.
pub fn end_of_year(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}

/// Parses the first day of a period, for "since" filters: 2025 is 1 January, 2025-04 and
/// 2025年4月 are 1 April; any other form is read by `parse_day`.
pub fn parse_start(input: &str) -> Result<NaiveDate, String> {
    let s = ascii_digits(input.trim());
    let t = s.trim_end_matches('月').trim_end_matches('年');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年']).collect();
    let start = match parts.as_slice() {
        [y] => year(y).and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
        [y, m] => year(y).and_then(|y| NaiveDate::from_ymd_opt(y, num(m)?, 1)),
        _ => None,
    };
    match start {
        Some(d) => Ok(d),
        None => parse_day(input, current_year()),
    }
}

/// The year of the clock (TAIZHANG_NOW when set), the context of dates given without a task.
pub fn current_year() -> i32 {
    crate::clock::now()
        .map(|t| t.year())
        .unwrap_or_else(|_| chrono::Local::now().year())
}

/// A deadline as given on the command line: the words as typed, checked against the grammar
/// when the command line is read, and turned into a day once the plan year is known
/// (`resolve`), because "6月底前" means June of the task's plan year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineArg {
    pub text: String,
}

impl DeadlineArg {
    /// The deadline in the context of a plan year.
    pub fn resolve(&self, plan_year: i32) -> Result<Due, String> {
        parse(&self.text, plan_year)
    }

    /// The words to keep beside the date, as ledgers do: None for a plain ISO date.
    pub fn words(&self) -> Option<String> {
        let iso = NaiveDate::parse_from_str(&self.text, "%Y-%m-%d").is_ok();
        (!iso).then(|| self.text.clone())
    }
}

impl std::str::FromStr for DeadlineArg {
    type Err = crate::i18n::Msg;
    fn from_str(s: &str) -> Result<Self, crate::i18n::Msg> {
        // A leap year as the provisional context, so that "2月29日" is not refused before the
        // plan year is known; `resolve` checks it again against the real year.
        parse(s, 2024).map_err(|_| refusal_msg(s))?;
        Ok(DeadlineArg {
            text: s.trim().to_string(),
        })
    }
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn year(s: &str) -> Option<i32> {
    num::<i32>(s).filter(|y| (1900..=9999).contains(y) && s.len() == 4)
}

/// The numeric forms with separators, read only as whole values: 2025-06-30, 2025/6/30,
/// 2025.6.30, 2025-06 (end of month), 2025 (end of year).
fn numeric(s: &str) -> Option<NaiveDate> {
    let sep = ['-', '/', '.'].into_iter().find(|&c| s.contains(c));
    if let Some(sep) = sep {
        let parts: Vec<&str> = s.split(sep).collect();
        return match parts.as_slice() {
            [y, m, d] => NaiveDate::from_ymd_opt(year(y)?, num(m)?, num(d)?),
            [y, m] => end_of_month(year(y)?, num(m)?),
            _ => None,
        };
    }
    let y = s.strip_suffix('年').unwrap_or(s);
    year(y).and_then(end_of_year)
}

/// A character cursor over a text, so that matching works on characters while results are
/// cut from the original text at valid byte offsets.
struct Chars<'a> {
    s: &'a str,
    cs: Vec<(usize, char)>,
}

impl<'a> Chars<'a> {
    fn new(s: &'a str) -> Self {
        Chars {
            s,
            cs: s.char_indices().collect(),
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        self.cs.get(i).map(|&(_, c)| c)
    }

    fn byte(&self, i: usize) -> usize {
        self.cs.get(i).map(|&(b, _)| b).unwrap_or(self.s.len())
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.s.get(self.byte(from)..self.byte(to)).unwrap_or("")
    }

    /// Does the text at character `i` start with `pat`? Returns the index after it.
    fn eat(&self, i: usize, pat: &str) -> Option<usize> {
        let mut j = i;
        for p in pat.chars() {
            if self.at(j)? != p {
                return None;
            }
            j += 1;
        }
        Some(j)
    }

    fn is_digit_at(&self, i: usize) -> bool {
        self.at(i).and_then(arabic_digit).is_some()
    }

    fn is_numeral_at(&self, i: usize) -> bool {
        self.at(i)
            .map(|c| arabic_digit(c).is_some() || cn_digit(c).is_some() || c == '十')
            .unwrap_or(false)
    }

    /// A four-digit year followed by "年" at `i`, not part of a longer number. Chinese digits
    /// ("二〇二五年") are read in whole values only: in a report sentence they would be new
    /// deadlines that the importer has never found.
    fn year(&self, i: usize, whole: bool) -> Option<(i32, usize)> {
        if i > 0 && self.is_digit_at(i - 1) {
            return None;
        }
        let mut y = 0i32;
        for k in i..i + 4 {
            let c = self.at(k)?;
            let digit = arabic_digit(c).or_else(|| cn_digit(c).filter(|_| whole))?;
            y = y * 10 + i32::try_from(digit).ok()?;
        }
        if self.at(i + 4)? != '年' {
            return None;
        }
        Some((y, i + 5))
    }

    /// A month number (1–12) followed by "月" at `i`. Inside a sentence, Chinese numerals are
    /// only accepted when a deadline word follows ("六月底前"), since "一月一次" style phrases
    /// are frequencies; a whole value ("二月") has no such ambiguity.
    fn month(&self, i: usize, after_year: bool, whole: bool) -> Option<(u32, usize)> {
        if !after_year && i > 0 && self.is_numeral_at(i - 1) {
            return None;
        }
        let mut j = i;
        let mut m = 0u32;
        while let Some(d) = self.at(j).and_then(arabic_digit) {
            m = m * 10 + d;
            j += 1;
            if j - i > 2 {
                return None;
            }
        }
        let arabic = j > i;
        if !arabic {
            let rest = self.s.get(self.byte(i)..)?;
            let (n, used) = leading_cn_number(rest)?;
            m = n;
            j = i + rest.get(..used)?.chars().count();
        }
        if !(1..=12).contains(&m) || self.at(j)? != '月' {
            return None;
        }
        let after = j + 1;
        if !arabic
            && !after_year
            && !whole
            && !matches!(self.at(after), Some('底' | '末' | '前' | '份'))
        {
            return None;
        }
        Some((m, after))
    }

    /// A day number followed by "日" or "号".
    fn day(&self, i: usize) -> Option<(u32, usize)> {
        let rest = self.s.get(self.byte(i)..)?;
        let (d, used) = leading_arabic_number(rest).or_else(|| leading_cn_number(rest))?;
        let j = i + rest.get(..used)?.chars().count();
        match self.at(j)? {
            '日' | '号' => Some((d, j + 1)),
            _ => None,
        }
    }

    /// Optional trailing words of a deadline: "底前", "底", "末", "前", "份", "以前", "之前".
    fn suffix(&self, i: usize, words: &[&str]) -> usize {
        words
            .iter()
            .filter_map(|w| self.eat(i, w))
            .max()
            .unwrap_or(i)
    }

    /// A quarter ("一季度", "第二季度", "3季度") at `i`.
    fn quarter(&self, i: usize) -> Option<(u32, usize)> {
        let j = self.eat(i, "第").unwrap_or(i);
        let q = match self.at(j)? {
            c if arabic_digit(c).is_some() => arabic_digit(c)?,
            c => cn_digit(c)?,
        };
        let end = self.eat(j + 1, "季度")?;
        if (1..=4).contains(&q) {
            Some((q, end))
        } else {
            None
        }
    }

    /// The deadline phrase starting at character `i`: its date (None when the words name a
    /// day that does not exist, such as 2月30日) and the index after it. `whole` is true when
    /// the text is a value of its own rather than a sentence of a report.
    fn match_at(
        &self,
        i: usize,
        plan_year: i32,
        whole: bool,
    ) -> Option<(Option<NaiveDate>, usize)> {
        let start = i;
        let (year, j) = match self.year(i, whole) {
            Some((y, j)) => (Some(y), j),
            None => (None, i),
        };
        let y = year.unwrap_or(plan_year);
        const BEFORE: [&str; 3] = ["以前", "之前", "前"];
        if let Some((m, k)) = self.month(j, year.is_some(), whole) {
            if let Some((d, k2)) = self.day(k) {
                let end = self.suffix(k2, &BEFORE);
                return Some((NaiveDate::from_ymd_opt(y, m, d), end));
            }
            let end = self.suffix(
                k,
                &[
                    "底前", "底", "末前", "末", "份前", "份", "以前", "之前", "前",
                ],
            );
            return Some((end_of_month(y, m), end));
        }
        if let Some((q, k)) = self.quarter(j) {
            let ok = year.is_some() || start == 0 || !matches!(self.at(start - 1), Some('每'));
            if !ok {
                return None;
            }
            let end = self.suffix(k, &["末前", "末", "以前", "之前", "前"]);
            return Some((end_of_month(y, q * 3), end));
        }
        if let Some(k) = self.eat(j, "上半年") {
            return Some((end_of_month(y, 6), self.suffix(k, &BEFORE)));
        }
        if let Some(k) = self.eat(j, "下半年") {
            return Some((end_of_month(y, 12), self.suffix(k, &BEFORE)));
        }
        if year.is_some() {
            // "2025年底前" / "2025年末" / "2025年内": the year is already consumed. A whole value
            // may also repeat the year ("2025年年底前"); in a sentence that stays as it was
            // read before, as a bare "年底前" in the plan year.
            let mut words = vec!["底", "末", "内"];
            if whole {
                words.extend(["年底", "年末", "年内"]);
            }
            let k = words.iter().filter_map(|w| self.eat(j, w)).max()?;
            return Some((end_of_month(y, 12), self.suffix(k, &BEFORE)));
        }
        if self.at(i) == Some('年') {
            // A bare "年底前" / "年末" / "年内" means the plan year; "三年内" is a span, and
            // a digit before "年" was a year handled above.
            let prev_is_number = i > 0 && self.is_numeral_at(i - 1);
            if !prev_is_number {
                let k = ["年底", "年末", "年内"]
                    .iter()
                    .find_map(|w| self.eat(i, w))?;
                return Some((end_of_month(y, 12), self.suffix(k, &BEFORE)));
            }
        }
        None
    }
}

/// An outline period such as 2021–2025: the plan year of a task defaults to its closing year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Outline {
    pub start: i32,
    pub end: i32,
}

impl Default for Outline {
    fn default() -> Self {
        Outline {
            start: 2021,
            end: 2025,
        }
    }
}

impl std::fmt::Display for Outline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

impl std::str::FromStr for Outline {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = ascii_digits(s.trim()).replace(['–', '—', '至'], "-");
        let bad =
            || format!("'{s}' is not an outline period; write it as START-END, e.g. 2026-2030");
        let (a, b) = t.split_once('-').ok_or_else(bad)?;
        let (start, end) = (
            year(a.trim()).ok_or_else(bad)?,
            year(b.trim()).ok_or_else(bad)?,
        );
        if end < start || end - start > 20 {
            return Err(format!(
                "outline period {start}-{end} is not a sensible span; its end must follow its start"
            ));
        }
        Ok(Outline { start, end })
    }
}

/// The year of a date, for defaults that tie deadlines to plan years.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The one list of forms, shared with the black-box test tests/date_forms.rs.
    const FORMS: &str = include_str!("../../tests/data/date_forms.tsv");

    fn forms() -> Vec<(&'static str, i32, &'static str)> {
        FORMS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                assert_eq!(cols.len(), 3, "bad line in date_forms.tsv: {l:?}");
                (cols[0], cols[1].parse().unwrap(), cols[2])
            })
            .collect()
    }

    #[test]
    fn every_form_of_the_list() {
        let all = forms();
        assert!(all.len() > 50, "the list was not read");
        for (input, year, want) in all {
            let got = parse(input, year);
            match want {
                "refused" => {
                    let e = got.unwrap_err();
                    assert!(
                        e.contains("2025.6.30") && e.contains("长期坚持"),
                        "{input}: {e}"
                    );
                }
                "continuous" => assert_eq!(got, Ok(Due::Continuous), "{input}"),
                day => {
                    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
                    assert_eq!(got, Ok(Due::Day(day)), "{input} in {year}");
                }
            }
        }
    }

    #[test]
    fn full_days_as_reports_sign_off() {
        assert_eq!(full_day("2025年2月21日"), Some(d(2025, 2, 21)));
        assert_eq!(full_day("２０２６年１月２０日"), Some(d(2026, 1, 20)));
        assert_eq!(full_day("二〇二四年三月三十一日"), Some(d(2024, 3, 31)));
        assert_eq!(full_day(" 2025 年 2 月 21 日 "), Some(d(2025, 2, 21)));
        assert_eq!(full_day("2025年2月30日"), None);
        assert_eq!(full_day("2025年2月21日召开"), None);
        assert_eq!(full_day("2025年2月21日前"), None);
        assert_eq!(full_day("2025年2月"), None);
        assert_eq!(end_of_month(2024, 2), Some(d(2024, 2, 29)));
        assert_eq!(end_of_month(2025, 13), None);
    }

    #[test]
    fn surrounding_spaces_are_ignored() {
        assert_eq!(parse(" 2025-01-01 ", 2025), Ok(Due::Day(d(2025, 1, 1))));
        assert_eq!(parse(" 6月底前 ", 2025), Ok(Due::Day(d(2025, 6, 30))));
    }

    #[test]
    fn sentences_find_only_prose_forms() {
        // Numeric forms and bare years are publication dates or periods in a report.
        assert!(find_all("2026-02-10发布", 2025).is_empty());
        assert!(find_all("实施纲要(2021-2025年)。", 2025).is_empty());
        assert!(find_all("一月一次。", 2025).is_empty());
        let found = find_all("9月启动，6月底前完成方案。", 2025);
        let words: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(words, ["9月", "6月底前"]);
    }

    #[test]
    fn period_starts() {
        assert_eq!(parse_start("2025"), Ok(d(2025, 1, 1)));
        assert_eq!(parse_start("2025-04"), Ok(d(2025, 4, 1)));
        assert_eq!(parse_start("2025年4月"), Ok(d(2025, 4, 1)));
        assert_eq!(parse_start("2025年"), Ok(d(2025, 1, 1)));
        assert_eq!(parse_start("2025-04-10"), Ok(d(2025, 4, 10)));
        assert_eq!(parse_start("2025.4.10"), Ok(d(2025, 4, 10)));
        assert!(parse_start("April").is_err());
        assert!(parse_start("长期坚持").is_err());
        let a: DeadlineArg = "2025年6月底前".parse().unwrap();
        assert_eq!(a.resolve(2030), Ok(Due::Day(d(2025, 6, 30))));
        assert_eq!(a.words().as_deref(), Some("2025年6月底前"));
        let a: DeadlineArg = "2025-06-30".parse().unwrap();
        assert_eq!(a.words(), None);
        // February 29 is checked against the plan year once it is known.
        let a: DeadlineArg = "2月29日".parse().unwrap();
        assert_eq!(a.resolve(2028), Ok(Due::Day(d(2028, 2, 29))));
        assert!(a.resolve(2027).is_err());
    }

    #[test]
    fn outline_period() {
        assert_eq!(
            "2026-2030".parse::<Outline>(),
            Ok(Outline {
                start: 2026,
                end: 2030
            })
        );
        assert_eq!(
            "２０２１－２０２５".parse::<Outline>().map(|o| o.end),
            Ok(2025)
        );
        assert!("2030-2026".parse::<Outline>().is_err());
        assert!("2026".parse::<Outline>().is_err());
        assert_eq!(Outline::default().to_string(), "2021-2025");
    }
}

//! Deadline phrases in commitment sentences.
//!
//! A commitment is due at the end of the plan year unless its sentence names a date
//! ("6月底前", "2025年6月底前", "年底前", "上半年", "一季度", "9月") or says the work never
//! ends ("长期坚持", "持续推进", "常态化"). Only those three exact continuous phrases count:
//! "持续推动" or "持续深化" describe effort, not an open-ended duty, and the reference report's
//! commitments that use them are due at the end of 2025.

use chrono::NaiveDate;

use crate::import::text::{arabic_digit, cn_digit, leading_cn_number, month_end};

/// Phrases that mark a commitment as continuous work without a date.
pub const CONTINUOUS_PHRASES: [&str; 3] = ["长期坚持", "持续推进", "常态化"];

/// The deadline found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The date, or None for continuous work.
    pub date: Option<NaiveDate>,
    /// The words the date came from, or None when the plan-year default applies.
    pub text: Option<String>,
    /// True for "长期坚持"/"持续推进"/"常态化".
    pub continuous: bool,
}

/// Finds the deadline of a commitment sentence.
///
/// When a sentence names several dates the earliest wins, because an intermediate milestone
/// is the first thing the ledger must warn about. An explicit date also wins over a continuous
/// phrase ("6月底前建成并常态化运行" is due in June).
pub fn deadline_for(sentence: &str, plan_year: i32) -> Deadline {
    let found = explicit_dates(sentence, plan_year)
        .into_iter()
        .min_by_key(|(date, _, pos)| (*date, *pos));
    if let Some((date, text, _)) = found {
        return Deadline {
            date: Some(date),
            text: Some(text),
            continuous: false,
        };
    }
    let continuous = CONTINUOUS_PHRASES
        .iter()
        .filter_map(|p| sentence.find(p).map(|pos| (pos, *p)))
        .min();
    if let Some((_, phrase)) = continuous {
        return Deadline {
            date: None,
            text: Some(phrase.to_string()),
            continuous: true,
        };
    }
    Deadline {
        date: NaiveDate::from_ymd_opt(plan_year, 12, 31),
        text: None,
        continuous: false,
    }
}

/// A character cursor over a sentence, so that matching works on characters while results are
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

    /// A four-digit year followed by "年" at `i`, not part of a longer number.
    fn year(&self, i: usize) -> Option<(i32, usize)> {
        if i > 0 && self.is_digit_at(i - 1) {
            return None;
        }
        let mut y = 0i32;
        for k in i..i + 4 {
            y = y * 10 + i32::try_from(self.at(k).and_then(arabic_digit)?).ok()?;
        }
        if self.at(i + 4)? != '年' {
            return None;
        }
        Some((y, i + 5))
    }

    /// A month number (1–12) followed by "月" at `i`. Chinese numerals are only accepted when a
    /// deadline word follows ("六月底前"), since "一月一次" style phrases are frequencies.
    fn month(&self, i: usize, after_year: bool) -> Option<(u32, usize)> {
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
        if !arabic && !after_year && !matches!(self.at(after), Some('底' | '末' | '前' | '份'))
        {
            return None;
        }
        Some((m, after))
    }

    /// A day number followed by "日" or "号".
    fn day(&self, i: usize) -> Option<(u32, usize)> {
        let rest = self.s.get(self.byte(i)..)?;
        let (d, used) =
            crate::import::text::leading_arabic_number(rest).or_else(|| leading_cn_number(rest))?;
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
}

/// Every explicit date a sentence names, with the words it came from and its position.
fn explicit_dates(sentence: &str, plan_year: i32) -> Vec<(NaiveDate, String, usize)> {
    let c = Chars::new(sentence);
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.cs.len() {
        let start = i;
        let (year, j) = match c.year(i) {
            Some((y, j)) => (Some(y), j),
            None => (None, i),
        };
        let y = year.unwrap_or(plan_year);
        let mut hit: Option<(Option<NaiveDate>, usize)> = None;
        if let Some((m, k)) = c.month(j, year.is_some()) {
            if let Some((d, k2)) = c.day(k) {
                let end = c.suffix(k2, &["以前", "之前", "前"]);
                hit = Some((NaiveDate::from_ymd_opt(y, m, d), end));
            } else {
                let end = c.suffix(
                    k,
                    &[
                        "底前", "底", "末前", "末", "份前", "份", "以前", "之前", "前",
                    ],
                );
                hit = Some((month_end(y, m), end));
            }
        } else if let Some((q, k)) = c.quarter(j) {
            let ok = year.is_some() || start == 0 || !matches!(c.at(start - 1), Some('每'));
            if ok {
                let end = c.suffix(k, &["末前", "末", "以前", "之前", "前"]);
                hit = Some((month_end(y, q * 3), end));
            }
        } else if let Some(k) = c.eat(j, "上半年") {
            hit = Some((month_end(y, 6), c.suffix(k, &["以前", "之前", "前"])));
        } else if let Some(k) = c.eat(j, "下半年") {
            hit = Some((month_end(y, 12), c.suffix(k, &["以前", "之前", "前"])));
        } else if year.is_some() {
            // "2025年底前" / "2025年末" / "2025年内": the year is already consumed.
            if let Some(k) = ["底", "末", "内"].iter().find_map(|w| c.eat(j, w)) {
                hit = Some((month_end(y, 12), c.suffix(k, &["以前", "之前", "前"])));
            }
        } else if c.at(i) == Some('年') {
            // A bare "年底前" / "年末" / "年内" means the plan year; "三年内" is a span, and
            // a digit before "年" was a year handled above.
            let prev_is_number = i > 0 && c.is_numeral_at(i - 1);
            if !prev_is_number {
                if let Some(k) = ["年底", "年末", "年内"].iter().find_map(|w| c.eat(i, w)) {
                    hit = Some((month_end(y, 12), c.suffix(k, &["以前", "之前", "前"])));
                }
            }
        }
        match hit {
            Some((Some(date), end)) => {
                out.push((date, c.slice(start, end).to_string(), c.byte(start)));
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn check(s: &str, date: Option<NaiveDate>, text: Option<&str>, continuous: bool) {
        let got = deadline_for(s, 2025);
        assert_eq!(
            got,
            Deadline {
                date,
                text: text.map(str::to_string),
                continuous
            },
            "{s}"
        );
    }

    #[test]
    fn phrases() {
        check(
            "6月底前完成清单编制。",
            d(2025, 6, 30),
            Some("6月底前"),
            false,
        );
        check(
            "力争2025年6月底前完成。",
            d(2025, 6, 30),
            Some("2025年6月底前"),
            false,
        );
        check(
            "２０２６年３月底前完成。",
            d(2026, 3, 31),
            Some("２０２６年３月底前"),
            false,
        );
        check("６月底前完成。", d(2025, 6, 30), Some("６月底前"), false);
        check("年底前全面建成。", d(2025, 12, 31), Some("年底前"), false);
        check("年内完成改造。", d(2025, 12, 31), Some("年内"), false);
        check("上半年出台办法。", d(2025, 6, 30), Some("上半年"), false);
        check("一季度完成部署。", d(2025, 3, 31), Some("一季度"), false);
        check(
            "第三季度前完成。",
            d(2025, 9, 30),
            Some("第三季度前"),
            false,
        );
        check("四季度开展评估。", d(2025, 12, 31), Some("四季度"), false);
        check("9月召开推进会。", d(2025, 9, 30), Some("9月"), false);
        check("二月底前报送。", d(2025, 2, 28), Some("二月底前"), false);
        check(
            "11月15日前报送。",
            d(2025, 11, 15),
            Some("11月15日前"),
            false,
        );
        check(
            "2026年底前建成。",
            d(2026, 12, 31),
            Some("2026年底前"),
            false,
        );
        check("长期坚持学法制度。", None, Some("长期坚持"), true);
        check("持续推进简政放权。", None, Some("持续推进"), true);
        check("常态化开展检查。", None, Some("常态化"), true);
        check(
            "6月底前建成并常态化运行。",
            d(2025, 6, 30),
            Some("6月底前"),
            false,
        );
        check(
            "9月启动，6月底前完成方案。",
            d(2025, 6, 30),
            Some("6月底前"),
            false,
        );
    }

    #[test]
    fn non_deadlines() {
        for s in [
            "持续推动党政主要负责人履行职责。",
            "持续凝聚监督合力。",
            "持续消除隐形门槛和壁垒。",
            "三年内完成全部改造。",
            "落实年度要点。",
            "每月5日前报送进展。",
            "每季度通报一次。",
            "为“十五五”时期打下基础。",
            "实施纲要(2021-2025年)。",
            "12个月内完成。",
            "接听12345热线。",
        ] {
            check(s, d(2025, 12, 31), None, false);
        }
    }
}

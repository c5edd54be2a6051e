//! Deadlines as people write them in ledgers and reports, turned into calendar dates.

use chrono::{Datelike, NaiveDate};

/// The forms `parse_deadline` accepts, for error messages.
pub const ACCEPTED_FORMS: &str = "2025-12-31, 2025-12 (end of month), 2025 (end of year), \
     2025年12月31日, 2025年6月底(前), 2025年底(前), 2025年上半年/下半年, 2025年一季度…四季度";

/// Replaces full-width digits and the full-width hyphen with their ASCII forms, so that text
/// typed with a Chinese input method parses like ASCII.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '／' => '/',
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

/// The last day of a quarter (1–4).
pub fn end_of_quarter(year: i32, q: u32) -> Option<NaiveDate> {
    if (1..=4).contains(&q) {
        end_of_month(year, q * 3)
    } else {
        None
    }
}

fn quarter_word(s: &str) -> Option<u32> {
    match s {
        "一" | "1" | "第一" => Some(1),
        "二" | "2" | "第二" => Some(2),
        "三" | "3" | "第三" => Some(3),
        "四" | "4" | "第四" => Some(4),
        _ => None,
    }
}

/// Parses a deadline in any accepted form. The error names the accepted forms.
pub fn parse_deadline(input: &str) -> Result<NaiveDate, String> {
    let s = ascii_digits(input.trim());
    parse_inner(&s).ok_or_else(|| {
        format!(
            "'{}' is not a date taizhang understands; use {ACCEPTED_FORMS}",
            input.trim()
        )
    })
}

/// Parses the first day of a period, for "since" filters: 2025 is 1 January, 2025-04 and
/// 2025年4月 are 1 April; a full date is itself.
pub fn parse_start(input: &str) -> Result<NaiveDate, String> {
    let s = ascii_digits(input.trim());
    let t = s.trim_end_matches('月').trim_end_matches('年');
    let parts: Vec<&str> = t.split(['-', '/', '年']).collect();
    let start = match parts.as_slice() {
        [y] => year(y).and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
        [y, m] => year(y).and_then(|y| NaiveDate::from_ymd_opt(y, num(m)?, 1)),
        _ => None,
    };
    match start {
        Some(d) => Ok(d),
        None => parse_deadline(input),
    }
}

/// A deadline as given on the command line: the date, and the words when they were not a
/// plain ISO date ("2025年6月底前"), kept beside it as ledgers do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineArg {
    pub date: NaiveDate,
    pub words: Option<String>,
}

impl std::str::FromStr for DeadlineArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let date = parse_deadline(s)?;
        let t = s.trim();
        let iso = NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
        Ok(DeadlineArg {
            date,
            words: (!iso).then(|| t.to_string()),
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

fn parse_inner(s: &str) -> Option<NaiveDate> {
    // ISO-like forms: 2025-12-31, 2025/12/31, 2025-12, 2025.
    let sep = if s.contains('-') {
        Some('-')
    } else if s.contains('/') {
        Some('/')
    } else {
        None
    };
    if let Some(sep) = sep {
        let parts: Vec<&str> = s.split(sep).collect();
        return match parts.as_slice() {
            [y, m, d] => NaiveDate::from_ymd_opt(year(y)?, num(m)?, num(d)?),
            [y, m] => end_of_month(year(y)?, num(m)?),
            _ => None,
        };
    }
    if let Some(y) = year(s) {
        return end_of_year(y);
    }

    // Chinese forms all start with "YYYY年" and may end with "前" (before) or "底前".
    let (y, rest) = s.split_once('年')?;
    let y = year(y)?;
    let rest = rest.strip_suffix('前').unwrap_or(rest);
    match rest {
        "底" | "内" | "年底" => return end_of_year(y),
        "上半年" => return end_of_month(y, 6),
        "下半年" => return end_of_year(y),
        _ => {}
    }
    if let Some(q) = rest.strip_suffix("季度") {
        return end_of_quarter(y, quarter_word(q)?);
    }
    let (m, rest) = rest.split_once('月')?;
    let m: u32 = num(m)?;
    match rest {
        "" | "底" | "末" => end_of_month(y, m),
        _ => {
            let d = rest
                .strip_suffix('日')
                .or_else(|| rest.strip_suffix('号'))?;
            NaiveDate::from_ymd_opt(y, m, num(d)?)
        }
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

    #[test]
    fn accepted_forms() {
        let cases = [
            ("2025-12-31", d(2025, 12, 31)),
            ("2025-6-5", d(2025, 6, 5)),
            ("2025/06/30", d(2025, 6, 30)),
            ("2025-12", d(2025, 12, 31)),
            ("2024-02", d(2024, 2, 29)),
            ("2025-02", d(2025, 2, 28)),
            ("2025", d(2025, 12, 31)),
            ("２０２５", d(2025, 12, 31)),
            ("2025年12月31日", d(2025, 12, 31)),
            ("2025年3月1日前", d(2025, 3, 1)),
            ("2025年6月底", d(2025, 6, 30)),
            ("2025年6月底前", d(2025, 6, 30)),
            ("２０２５年６月底前", d(2025, 6, 30)),
            ("2025年9月", d(2025, 9, 30)),
            ("2025年底", d(2025, 12, 31)),
            ("2025年底前", d(2025, 12, 31)),
            ("2025年内", d(2025, 12, 31)),
            ("2025年上半年", d(2025, 6, 30)),
            ("2025年下半年", d(2025, 12, 31)),
            ("2025年一季度", d(2025, 3, 31)),
            ("2025年二季度", d(2025, 6, 30)),
            ("2025年三季度", d(2025, 9, 30)),
            ("2025年四季度", d(2025, 12, 31)),
            (" 2025-01-01 ", d(2025, 1, 1)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_deadline(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn rejected_forms() {
        for input in [
            "",
            "tomorrow",
            "2025-13-01",
            "2025-02-30",
            "2025-12-31-1",
            "25-12-31",
            "2025年13月",
            "2025年五季度",
            "2025年6月32日",
            "年底",
            "12月31日",
            "2025年",
            "２０２５年６月底后",
            "99999",
            "-2025",
        ] {
            let e = parse_deadline(input).unwrap_err();
            assert!(e.contains("2025年6月底(前)"), "{input}: {e}");
        }
    }

    #[test]
    fn period_starts() {
        assert_eq!(parse_start("2025"), Ok(d(2025, 1, 1)));
        assert_eq!(parse_start("2025-04"), Ok(d(2025, 4, 1)));
        assert_eq!(parse_start("2025年4月"), Ok(d(2025, 4, 1)));
        assert_eq!(parse_start("2025年"), Ok(d(2025, 1, 1)));
        assert_eq!(parse_start("2025-04-10"), Ok(d(2025, 4, 10)));
        assert!(parse_start("April").is_err());
        let a: DeadlineArg = "2025年6月底前".parse().unwrap();
        assert_eq!(
            (a.date, a.words.as_deref()),
            (d(2025, 6, 30), Some("2025年6月底前"))
        );
        let a: DeadlineArg = "2025-06-30".parse().unwrap();
        assert_eq!(a.words, None);
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

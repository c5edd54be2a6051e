//! Deadline phrases in commitment sentences.
//!
//! A commitment is due at the end of the plan year unless its sentence names a date
//! ("6月底前", "2025年6月底前", "年底前", "上半年", "一季度", "9月") or says the work never
//! ends ("长期坚持", "持续推进", "常态化"). Only those three exact continuous phrases count:
//! "持续推动" or "持续深化" describe effort, not an open-ended duty, and the reference report's
//! commitments that use them are due at the end of 2025.
//!
//! The phrases themselves are read by the one date grammar, `model::date`; this module only
//! decides which of the phrases of a sentence is the commitment's deadline.

use chrono::NaiveDate;

pub use crate::model::date::CONTINUOUS_PHRASES;

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
    let found = crate::model::date::find_all(sentence, plan_year)
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

//! Plain types of the ledger: what a task is, its vocabularies, dates and history rows.

pub mod date;
pub mod events;
pub mod field;
pub mod kind;
pub mod numerals;
pub mod rules;
pub mod status;
pub mod words;
pub mod zone;

use chrono::NaiveDate;
use serde::Serialize;

pub use date::Outline;
pub use kind::Kind;
pub use status::Status;
pub use words::Word;

/// The language of labels, headers and status words in printed output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Both languages, in the order the command line lists them.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The name on the command line (`--lang zh`).
    pub fn name(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Chinese when the locale (LC_ALL, else LANG) is a Chinese one, else English.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks the label for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One item of the ledger, as stored, plus what is derived for printing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub kind: Kind,
    pub title: String,
    pub body: Option<String>,
    pub area: Option<String>,
    pub outline_area: Option<String>,
    pub owner: Option<String>,
    pub co_owners: Vec<String>,
    /// The responsible person (责任人), a name as the office writes it.
    pub person: Option<String>,
    /// How to reach the responsible person (联系方式): a phone number or any text.
    pub contact: Option<String>,
    pub status: Status,
    /// The progress shown: for a task with sub-tasks, the mean of theirs (cancelled ones left
    /// out), else its own.
    pub progress: u8,
    /// The progress recorded on the task itself, which `update` changes.
    #[serde(skip)]
    pub own_progress: u8,
    pub deadline: Option<NaiveDate>,
    /// The deadline as the source wrote it ("6月底前"), kept beside the parsed date.
    pub deadline_text: Option<String>,
    pub year: i32,
    pub parent_id: Option<i64>,
    pub document_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// Derived for the as-of date of the command: never stored.
    pub overdue: bool,
}

/// Whether a task with this deadline and status is late on `as_of`.
pub fn is_overdue(deadline: Option<NaiveDate>, status: Status, as_of: NaiveDate) -> bool {
    match deadline {
        Some(d) => d < as_of && !status.is_closed(),
        None => false,
    }
}

/// One row of the audit trail: one field of one task changed by one command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    pub id: i64,
    pub change_id: i64,
    pub task_id: i64,
    /// When the change was recorded.
    pub at: String,
    pub actor: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub note: Option<String>,
    /// When the change took effect (`--on`); the same as `at` when none was given.
    pub effective: String,
}

impl HistoryRow {
    /// The row's time as printed: the recorded time, and the day it took effect when that
    /// is another day ("2026-04-10 录入，2026-03-31 生效").
    pub fn when(&self, lang: Lang) -> String {
        let day = |s: &str| s.get(..10).unwrap_or(s).to_string();
        if day(&self.at) == day(&self.effective) {
            return self.at.clone();
        }
        crate::tr!(
            lang,
            "history.recorded_effective",
            at = day(&self.at),
            effective = day(&self.effective)
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn status_words_both_languages() {
        for (word, want) in [
            ("todo", Status::Todo),
            ("TODO", Status::Todo),
            ("未启动", Status::Todo),
            ("doing", Status::Doing),
            ("推进中", Status::Doing),
            ("blocked", Status::Blocked),
            ("受阻", Status::Blocked),
            ("暂缓", Status::Blocked),
            ("done", Status::Done),
            ("已完成", Status::Done),
            ("verified", Status::Verified),
            ("已销号", Status::Verified),
            ("cancelled", Status::Cancelled),
            ("canceled", Status::Cancelled),
            ("已取消", Status::Cancelled),
            (" done ", Status::Done),
        ] {
            assert_eq!(word.parse::<Status>(), Ok(want), "{word}");
        }
        for s in Status::ALL {
            assert_eq!(s.en().parse::<Status>(), Ok(*s));
            assert_eq!(s.zh().parse::<Status>(), Ok(*s));
            assert_eq!(s.label(Lang::Zh), s.zh());
        }
        let e = "finished".parse::<Status>().unwrap_err();
        assert!(e.contains("unknown status 'finished'"), "{e}");
        assert!(e.contains("done/已完成"), "{e}");
        assert!("".parse::<Status>().is_err());
        assert!(
            "逾期".parse::<Status>().is_err(),
            "overdue is derived, never a status"
        );
    }

    #[test]
    fn kind_words_both_languages() {
        for (word, want) in [
            ("commitment", Kind::Commitment),
            ("承诺", Kind::Commitment),
            ("shortcoming", Kind::Shortcoming),
            ("短板", Kind::Shortcoming),
            ("不足", Kind::Shortcoming),
            ("achievement", Kind::Achievement),
            ("成效", Kind::Achievement),
            ("task", Kind::Task),
            ("任务", Kind::Task),
        ] {
            assert_eq!(word.parse::<Kind>(), Ok(want), "{word}");
        }
        assert!("goal".parse::<Kind>().unwrap_err().contains("unknown kind"));
    }

    #[test]
    fn serde_uses_english_words() {
        assert_eq!(serde_json::to_string(&Status::Doing).unwrap(), "\"doing\"");
        assert_eq!(
            serde_json::to_string(&Kind::Shortcoming).unwrap(),
            "\"shortcoming\""
        );
        let s: Status = serde_json::from_str("\"已销号\"").unwrap();
        assert_eq!(s, Status::Verified);
    }

    #[test]
    fn overdue_derivation() {
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        let as_of = day(7, 1);
        assert!(is_overdue(Some(day(6, 30)), Status::Todo, as_of));
        assert!(is_overdue(Some(day(6, 30)), Status::Doing, as_of));
        assert!(is_overdue(Some(day(6, 30)), Status::Blocked, as_of));
        assert!(
            !is_overdue(Some(day(7, 1)), Status::Todo, as_of),
            "due today is not late"
        );
        assert!(!is_overdue(Some(day(6, 30)), Status::Done, as_of));
        assert!(!is_overdue(Some(day(6, 30)), Status::Verified, as_of));
        assert!(!is_overdue(Some(day(6, 30)), Status::Cancelled, as_of));
        assert!(
            !is_overdue(None, Status::Todo, as_of),
            "continuous work is never late"
        );
    }
}

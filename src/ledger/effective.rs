//! The day a change took effect (`--on DATE`), as opposed to when it was recorded. The rules
//! that need no ledger are here; the rule that needs each task's history (a change may not
//! take effect before the rows it must follow) is applied as each row is written, in
//! `db::Writer::effective`, so that no command can write a row that escapes it.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::model::Lang;
use crate::{Error, Result};

/// The effective time `--on day` gives a change made at `now`: the start of that day, in the
/// clock's offset. `changes_ledger` says whether the command changes the ledger at all.
pub fn on(
    day: NaiveDate,
    now: &DateTime<FixedOffset>,
    changes_ledger: bool,
    lang: Lang,
) -> Result<String> {
    if !changes_ledger {
        return Err(Error::Usage(
            lang.pick(
                "--on 只用于改变台账的命令（add、update、note、link、unlink、import）；查看某日情况请用 --as-of",
                "--on is for commands that change the ledger (add, update, note, link, unlink, import); to look at a past day use --as-of",
            )
            .into(),
        ));
    }
    let today = now.date_naive();
    if day > today {
        return Err(Error::Usage(format!(
            "{} {day} {} {today}{}",
            lang.pick("--on", "--on"),
            lang.pick("晚于今天", "is after today,"),
            lang.pick(
                "；变更不能在将来生效，请给出今天或更早的日期",
                "; a change cannot take effect in the future: give today or an earlier day"
            ),
        )));
    }
    Ok(format!("{day}T00:00:00{}", now.format("%:z")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-04-10T15:00:00+08:00").unwrap()
    }

    #[test]
    fn on_is_the_start_of_a_past_day_and_never_the_future() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(
            on(d, &now(), true, Lang::En).unwrap(),
            "2026-03-31T00:00:00+08:00"
        );
        let today = NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
        assert!(on(today, &now(), true, Lang::En).is_ok());
        let tomorrow = NaiveDate::from_ymd_opt(2026, 4, 11).unwrap();
        let e = on(tomorrow, &now(), true, Lang::En).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        let e = on(d, &now(), false, Lang::Zh).unwrap_err();
        assert!(e.to_string().contains("--as-of"), "{e}");
    }
}

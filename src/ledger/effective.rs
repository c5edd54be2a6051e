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
    // Errors carry catalogue messages shown in the user's language at the edge, so the
    // language is no longer needed here; the parameter stays so that callers keep compiling.
    _lang: Lang,
) -> Result<String> {
    if !changes_ledger {
        return Err(Error::usage(crate::msg!("on.only_for_changes")));
    }
    let today = now.date_naive();
    if day > today {
        return Err(Error::usage(crate::msg!(
            "on.after_today",
            day = day,
            today = today
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

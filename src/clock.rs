//! The clock every command reads. `TAIZHANG_NOW` pins it so that tests and offices back-filling
//! an old ledger can record changes at a chosen moment.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::{Error, Result};

/// The environment variable that overrides the clock.
pub const NOW_VAR: &str = "TAIZHANG_NOW";

/// The current moment: `TAIZHANG_NOW` when set, else the system clock, in local time.
pub fn now() -> Result<DateTime<FixedOffset>> {
    match std::env::var(NOW_VAR) {
        Ok(s) if !s.trim().is_empty() => parse_moment(s.trim())
            .ok_or_else(|| Error::usage(crate::msg!("clock.bad_now", var = NOW_VAR, value = s))),
        _ => Ok(Local::now().fixed_offset()),
    }
}

/// Parses an RFC 3339 timestamp, an ISO date-time without offset (taken as local time) or a
/// bare date (taken as local midnight).
pub fn parse_moment(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    let naive = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.fixed_offset())
}

/// The form timestamps are stored and printed in: sortable, second precision, with the offset.
pub fn stamp(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

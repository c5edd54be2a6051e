//! The ledger's time zone: times are stored as RFC 3339 with the offset of the clock that
//! recorded them, and shown to people as local times of one zone, a setting of the ledger
//! (default Asia/Shanghai, the zone of the governments the ledger serves).

use chrono::DateTime;
use chrono_tz::Tz;

use crate::model::Lang;

/// The zone of a ledger that names none.
pub const DEFAULT: Tz = chrono_tz::Asia::Shanghai;

/// The key of the setting in the ledger's `meta` table.
pub const SETTING: &str = "timezone";

/// An IANA zone name ("Asia/Shanghai"), or the message that says what is accepted.
pub fn parse(s: &str) -> Result<Tz, String> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| crate::msg!("time.bad_zone", zone = s).text(Lang::En))
}

/// A stored time as people read it: the local time in `tz`, "2025-04-01 18:00:00". Text that
/// is not an RFC 3339 time is shown as it is.
pub fn local(stamp: &str, tz: Tz) -> String {
    match DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => stamp.to_string(),
    }
}

/// The zone named for a reader: "北京时间（Asia/Shanghai）" in Chinese for the default zone,
/// else its IANA name.
pub fn label(tz: Tz, lang: Lang) -> String {
    if tz == DEFAULT && lang == Lang::Zh {
        format!("北京时间（{}）", tz.name())
    } else {
        tz.name().to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_shown_in_the_zone() {
        assert_eq!(
            local("2025-04-01T02:00:00+00:00", DEFAULT),
            "2025-04-01 10:00:00"
        );
        assert_eq!(
            local("2025-04-01T10:00:00+08:00", DEFAULT),
            "2025-04-01 10:00:00"
        );
        // Across midnight the day changes too.
        assert_eq!(
            local("2025-03-31T20:00:00+00:00", DEFAULT),
            "2025-04-01 04:00:00"
        );
        assert_eq!(
            local("2025-04-01T10:00:00+08:00", parse("UTC").unwrap()),
            "2025-04-01 02:00:00"
        );
        assert_eq!(local("not a time", DEFAULT), "not a time");
        assert!(parse("Mars/Olympus").is_err());
        assert_eq!(parse("Asia/Tokyo").unwrap().name(), "Asia/Tokyo");
    }
}

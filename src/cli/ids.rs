//! The one way a task is named on the command line: an id (`16` or `#16`), a range of ids
//! (`16-18`) or a ref (`2025-C1.1`, with or without the document suffix a second document of
//! the same year gets, such as `2025-C1.1#D3`). Parsing the words is clap's part (a range of
//! more than `MAX_RANGE` ids is refused there); resolving them against the ledger is
//! `resolve`, so every command that takes a task takes all three forms the same way.

use rusqlite::Connection;

use crate::db::tasks;
use crate::model::Lang;
use crate::{Error, Result};

/// The most ids one range may name: a typo such as `1-100000` must not touch the whole
/// ledger.
pub const MAX_RANGE: i64 = 10_000;

/// A task as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Id(i64),
    /// First and last id, both included, first ≤ last.
    Range(i64, i64),
    Ref(String),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Id(id) => write!(f, "#{id}"),
            Target::Range(a, b) => write!(f, "{a}-{b}"),
            Target::Ref(r) => f.write_str(r),
        }
    }
}

/// Parses a task as typed (the clap value parser of every task argument).
pub fn parse_target(s: &str) -> std::result::Result<Target, crate::i18n::Msg> {
    let t = crate::model::date::ascii_digits(s.trim());
    let t = t.strip_prefix('#').unwrap_or(&t);
    if t.is_empty() {
        return Err(crate::msg!("ids.empty"));
    }
    let number = |x: &str| -> Option<i64> {
        (!x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse::<i64>().ok())
            .flatten()
    };
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return number(t)
            .filter(|n| *n > 0)
            .map(Target::Id)
            .ok_or_else(|| crate::msg!("ids.not_an_id", value = s));
    }
    if let Some((a, b)) = t.split_once(['-', '–', '~', '～']) {
        if let (Some(a), Some(b)) = (number(a), number(b.trim_start_matches('#'))) {
            if a == 0 || b < a {
                return Err(crate::msg!("ids.bad_range", value = s));
            }
            if b - a + 1 > MAX_RANGE {
                return Err(crate::msg!(
                    "ids.range_too_long",
                    a = a,
                    b = b,
                    count = b - a + 1,
                    max = MAX_RANGE
                ));
            }
            return Ok(Target::Range(a, b));
        }
    }
    // Refs are short words such as 2025-C1.1 or B-12: text with spaces or controls is a
    // mistyped argument, not a ref to look up.
    if t.chars().count() > super::MAX_NAME || t.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(crate::msg!("ids.not_a_target", value = s));
    }
    Ok(Target::Ref(t.to_string()))
}

/// The ids the targets name, in the order given, each once. A range must name only tasks
/// that exist and a ref one task; a plain id is taken as it is, for the command to look up
/// (and refuse with its own message when there is no such task).
pub fn resolve(conn: &Connection, targets: &[Target], lang: Lang) -> Result<Vec<i64>> {
    let mut out: Vec<i64> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for t in targets {
        let ids = match t {
            Target::Id(id) => vec![*id],
            Target::Range(a, b) => {
                let missing = tasks::missing_ids(conn, *a, *b)?;
                if let Some(first) = missing.first() {
                    return Err(Error::NotFound(crate::tr!(
                        lang,
                        "ids.range_gaps",
                        a = a,
                        b = b,
                        count = missing.len(),
                        first = first
                    )));
                }
                (*a..=*b).collect()
            }
            Target::Ref(r) => vec![by_ref(conn, r, lang)?],
        };
        for id in ids {
            if seen.insert(id) {
                out.push(id);
            }
        }
    }
    Ok(out)
}

/// The one task a target names: an id or a ref, or a range of exactly one id.
pub fn resolve_one(conn: &Connection, t: &Target, lang: Lang) -> Result<i64> {
    let ids = resolve(conn, std::slice::from_ref(t), lang)?;
    match ids.as_slice() {
        [id] => Ok(*id),
        _ => Err(Error::Usage(crate::tr!(
            lang,
            "ids.one_only",
            target = t,
            count = ids.len()
        ))),
    }
}

/// The task with this ref: the exact ref, else the one ref that adds a document suffix to it
/// ("2025-C1.1" for "2025-C1.1#D3" or "2025-C1.1-天宁").
fn by_ref(conn: &Connection, r: &str, lang: Lang) -> Result<i64> {
    let found = tasks::ids_by_ref(conn, r)?;
    match found.as_slice() {
        [(id, _)] => Ok(*id),
        [] => Err(Error::NotFound(
            crate::tr!(lang, "ids.no_such_ref", ref = r),
        )),
        many => {
            let refs: Vec<&str> = many.iter().take(5).map(|(_, r)| r.as_str()).collect();
            let sep = if lang == Lang::Zh { "、" } else { ", " };
            Err(Error::Usage(crate::tr!(
                lang,
                "ids.ambiguous_ref",
                ref = r,
                refs = refs.join(sep)
            )))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ids_ranges_and_refs_parse() {
        assert_eq!(parse_target("16"), Ok(Target::Id(16)));
        assert_eq!(parse_target("#16"), Ok(Target::Id(16)));
        assert_eq!(parse_target("１６"), Ok(Target::Id(16)));
        assert_eq!(parse_target("16-18"), Ok(Target::Range(16, 18)));
        assert_eq!(parse_target("#16-#18"), Ok(Target::Range(16, 18)));
        assert_eq!(parse_target("16–18"), Ok(Target::Range(16, 18)));
        assert_eq!(parse_target("7-7"), Ok(Target::Range(7, 7)));
        assert_eq!(
            parse_target("2025-C1.1"),
            Ok(Target::Ref("2025-C1.1".into()))
        );
        assert_eq!(
            parse_target("2025-S1-天宁"),
            Ok(Target::Ref("2025-S1-天宁".into()))
        );
        assert!(parse_target("18-16")
            .unwrap_err()
            .to_string()
            .contains("lower id first"));
        assert!(parse_target("0").is_err());
        assert!(parse_target("").is_err());
        assert!(parse_target("1-10000").is_ok());
        assert!(parse_target("1-10001")
            .unwrap_err()
            .to_string()
            .contains("at most 10000"));
        assert!(parse_target("99999999999999999999").is_err());
        assert!(parse_target("1; DROP TABLE task").is_err());
    }
}

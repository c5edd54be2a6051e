//! Recurring shortcomings (屡改屡犯): a later report names a problem an earlier report already
//! named, and the office confirms it with `link LATER --same-as EARLIER`. The confirmation is
//! an event row on the later shortcoming (field `same_as`, new = the earlier id), so it is
//! kept in the history like every other record and changes no field.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::tasks;
use super::Writer;
use crate::model::events::SAME_AS;
use crate::model::{Kind, Lang};
use crate::{Error, Result};

/// Records that shortcoming `id` is the same problem as the earlier shortcoming `earlier`.
/// Returns false when it was recorded already.
pub fn same_as(w: &Writer, id: i64, earlier: i64, as_of: NaiveDate, lang: Lang) -> Result<bool> {
    if id == earlier {
        return Err(Error::Refused(crate::tr!(lang, "recur.same_as_itself")));
    }
    let later = tasks::get(w.conn(), id, as_of)?;
    let first = tasks::get(w.conn(), earlier, as_of)?;
    for t in [&later, &first] {
        if t.kind != Kind::Shortcoming {
            return Err(Error::Refused(crate::tr!(
                lang,
                "recur.not_a_shortcoming",
                task = t.id
            )));
        }
    }
    if first.year >= later.year {
        return Err(Error::Refused(crate::tr!(
            lang,
            "recur.not_earlier",
            earlier = earlier,
            earlier_year = first.year,
            task = id,
            year = later.year
        )));
    }
    let known: bool = w.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM history WHERE task_id = ?1 AND field = ?2 AND new = ?3)",
        rusqlite::params![id, SAME_AS, earlier.to_string()],
        |r| r.get(0),
    )?;
    if known {
        return Ok(false);
    }
    w.log(id, SAME_AS, None, Some(&earlier.to_string()), None)?;
    Ok(true)
}

/// Every confirmed recurrence up to `cutoff` (a wall-clock stamp), as (later, earlier).
pub fn pairs(conn: &Connection, cutoff: &str) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT task_id, new FROM history
         WHERE field = ?2 AND coalesce(effective, at) <= ?1 || '~' ORDER BY id",
    )?;
    let mut rows = stmt.query(rusqlite::params![cutoff, SAME_AS])?;
    let mut v = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let new: Option<String> = r.get(1)?;
        if let Some(e) = new.and_then(|s| s.parse().ok()) {
            v.push((id, e));
        }
    }
    Ok(v)
}

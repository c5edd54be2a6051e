//! Imports as operations: a parsed report applied to the ledger, and a JSON Lines file merged
//! into it. Each is one write transaction; the rules live in import/apply.rs and db/bulk.rs,
//! which these call inside it.

use std::io::BufRead;

use chrono::NaiveDate;

use crate::db::bulk::{self, Imported};
use crate::db::{ChangeMeta, Ledger};
use crate::import::apply::{self, Options, Outcome, Prepared};
use crate::Result;

/// Applies a parsed (and, if asked, reviewed) report: its document, new tasks, updates of a
/// new version and links. Returns what was created, updated and linked.
pub fn report(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    prepared: &Prepared,
    opts: &Options,
    as_of: NaiveDate,
) -> Result<Outcome> {
    ledger.write(meta, |w| apply::apply(w, prepared, opts, as_of))
}

/// Merges a JSON Lines file into the ledger, all or nothing. `open` gives the file from its
/// start, and is called again if the write has to be retried because the ledger was busy;
/// `tick` is told the number of lines read so far.
pub fn jsonl<R: BufRead>(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    mut open: impl FnMut() -> Result<R>,
    source: Option<&str>,
    tick: &mut dyn FnMut(u64),
    lang: crate::model::Lang,
) -> Result<Imported> {
    ledger.write(meta, |w| {
        let mut reader = open()?;
        let done = bulk::import(w, &mut reader, source, tick)?;
        // The file's periods come with it; then every task it brought must lie in one, as a
        // task added by hand must (the same refusal and hint as `add`).
        crate::db::periods::merge(w, &done.periods, lang)?;
        if let Some(year) = crate::db::periods::first_year_outside(w.conn(), done.id_offset)? {
            crate::db::periods::require_year(w.conn(), year, lang)?;
        }
        Ok(done)
    })
}

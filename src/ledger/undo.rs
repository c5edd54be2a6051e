//! Undo as two operations: `plan` (what the person's last command changed, shown before the
//! question) and `apply` (take it back, after checking inside the write transaction that the
//! plan still holds).

use chrono::NaiveDate;

use crate::db::undo::{self as rows, Plan};
use crate::db::{ChangeMeta, Ledger};
use crate::{Error, Result};

/// The last change of `actor` that can be taken back, or why there is none.
pub fn plan(ledger: &mut Ledger, actor: &str) -> Result<Plan> {
    ledger.read(|c| rows::plan(c, actor))
}

/// Takes back the planned change as a new change that names it; returns the number of history
/// rows written. Refused when the ledger changed since the plan was made (someone may have
/// changed the same tasks while the question was on screen).
pub fn apply(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    plan: &Plan,
    as_of: NaiveDate,
) -> Result<usize> {
    let mut meta = meta.clone();
    meta.undoes = Some(plan.change_id);
    ledger.write(&meta, |w| {
        let fresh = rows::plan(w.conn(), &meta.actor)?;
        if fresh.change_id != plan.change_id {
            return Err(Error::conflict(crate::msg!("undo.ledger_changed")));
        }
        // The undo takes effect when the change it takes back did, so that views as of any
        // day show neither (the writer clamps each row to its task's latest row).
        let day = fresh
            .rows
            .iter()
            .filter_map(|r| NaiveDate::parse_from_str(r.effective.get(..10)?, "%Y-%m-%d").ok())
            .min();
        w.set_default_effective(day);
        rows::apply(w, &fresh, as_of)
    })
}

//! Taking back the last command of a person: new history rows that restore what it changed,
//! never a deletion of history.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::tasks::{self, Changes};
use super::Writer;
use crate::model::{HistoryRow, Lang, Status};
use crate::{Error, Result};

/// The change an undo would take back, with its history rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub change_id: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub rows: Vec<HistoryRow>,
    /// The units register edit the change made, if it was `unit rename/alias/unalias/short`.
    pub unit_edit: Option<super::units::Edit>,
}

/// A change that was neither an undo nor taken back by one.
const LIVE: &str = "c.undoes IS NULL AND NOT EXISTS (SELECT 1 FROM change u WHERE u.undoes = c.id)";

/// Finds the last change of `actor` that can be taken back, or says why there is none.
pub fn plan(conn: &Connection, actor: &str) -> Result<Plan> {
    // A fill sheet the person imported is their command too, though its changes are
    // recorded as the unit ("区司法局（经 USER 导入）"): passing it over would take back an
    // older command instead.
    let imported = super::fill::imported_by(actor);
    let sql = format!(
        "SELECT c.id, c.at, c.actor, c.command FROM change c
         WHERE (c.actor = ?1 OR (length(c.actor) > length(?2) AND substr(c.actor, -length(?2)) = ?2))
           AND {LIVE} ORDER BY c.id DESC LIMIT 1"
    );
    let found = conn
        .query_row(&sql, [actor, imported.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((change_id, at, actor, command)): Option<(i64, String, String, String)> = found else {
        return Err(Error::refused(crate::msg!(
            "undo.nothing_left",
            actor = actor
        )));
    };
    let rows = super::history::of_change(conn, change_id)?;
    // A change to outline periods is taken back only when that leaves every task in a period.
    super::periods::undo_refusal(conn, change_id, &command)?;
    // A request, a decision on one and attached evidence are records of what a person did,
    // kept in tables of their own that are append-only: they are answered (reject, a new
    // request), not taken back.
    if let Some(h) = rows
        .iter()
        .find(|h| crate::model::events::is_event(&h.field))
    {
        let label = |lang| crate::model::events::label(&h.field, lang).unwrap_or(&h.field);
        return Err(Error::refused(
            crate::msg!(
                "undo.event_on_record",
                change = change_id,
                command = command,
                task = h.task_id
            )
            .word("what", label(Lang::Zh), label(Lang::En)),
        ));
    }
    // Refuse when someone changed the same tasks since: their work would be lost. A ref
    // given since (the upgrade to version 15, db::refs) changes no field a change can take
    // back, so it is no reason to refuse.
    let sql = format!(
        "SELECT h.task_id, c.id, c.actor, c.command FROM history h JOIN change c ON c.id = h.change_id
         WHERE h.change_id > ?1 AND {LIVE} AND h.field <> 'ref'
           AND h.task_id IN (SELECT task_id FROM history WHERE change_id = ?1)
         ORDER BY c.id LIMIT 1"
    );
    let later = conn
        .query_row(&sql, [change_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .optional()?;
    if let Some((task, c, who, cmd)) = later {
        return Err(Error::conflict(crate::msg!(
            "undo.changed_since",
            change = change_id,
            command = command,
            task = task,
            who = who,
            later = c,
            later_command = cmd
        )));
    }
    Ok(Plan {
        change_id,
        at,
        actor,
        command,
        rows,
        unit_edit: super::units::edit_of_change(conn, change_id)?,
    })
}

/// Applies the inverse of every row of the planned change, newest first, inside the caller's
/// write transaction (whose change row names the change it undoes). Returns the rows written.
pub fn apply(w: &Writer, plan: &Plan, as_of: NaiveDate) -> Result<usize> {
    let note = format!(
        "撤销变更 #{} / undo of change #{}",
        plan.change_id, plan.change_id
    );
    // A register edit is taken back by restoring the register it changed (it has no rows).
    if let Some(e) = &plan.unit_edit {
        super::units::undo_edit(w, e)?;
    }
    for h in plan.rows.iter().rev() {
        match h.field.as_str() {
            // There is no hard delete: a created task is taken back by cancelling it, and so
            // is each task a merge brought in (its `imported` row).
            "created" | "imported" => {
                let c = Changes {
                    status: Some(Status::Cancelled),
                    ..Changes::default()
                };
                tasks::update(w, h.task_id, &c, Some(&note), as_of)?;
            }
            "addresses" => {
                let id = |v: &Option<String>| -> Result<i64> {
                    v.as_deref().and_then(|s| s.parse().ok()).ok_or_else(|| {
                        Error::Corrupt(format!("history row #{} is malformed", h.id))
                    })
                };
                if h.old.is_none() {
                    tasks::unlink(w, h.task_id, id(&h.new)?)?;
                } else {
                    tasks::link(w, h.task_id, id(&h.old)?, as_of)?;
                }
            }
            // A note cannot be unsaid in an append-only trail: it is marked as withdrawn.
            "note" => {
                let text = format!("{note}: {}", h.note.as_deref().unwrap_or_default());
                tasks::note(w, h.task_id, &text)?;
            }
            field => {
                tasks::set_field(
                    w,
                    h.task_id,
                    field,
                    h.new.as_deref(),
                    h.old.as_deref(),
                    &note,
                )?;
            }
        }
    }
    let periods = super::periods::undo_change(w, plan.change_id, &plan.command)?;
    Ok(plan.rows.len() + periods + usize::from(plan.unit_edit.is_some()))
}

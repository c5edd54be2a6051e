//! Applying a 填报 fill sheet a unit sent back: every row is checked against the ledger (its
//! check code, its grey cells, the task's version) before anything is written, and the rows
//! are applied in one transaction, recorded as the unit and effective on the period end the
//! sheet names.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::db::fill::{self as store, Key};
use crate::db::{tasks, ChangeMeta, Ledger};
use crate::export::fill::{self as layout, Signed};
use crate::i18n::Msg;
use crate::import::fill::{FillSheet, SheetRow};
use crate::model::date::{self, Due};
use crate::model::rules::Changes;
use crate::model::{Lang, Status, Word};
use crate::{Error, Result};

/// What one row of the sheet changes.
#[derive(Debug, Clone, Serialize)]
pub struct RowChange {
    pub row: u32,
    pub task: i64,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub title: String,
    /// Old and new progress, when it changes.
    pub progress: Option<(u8, u8)>,
    /// Old and new status, when it changes.
    pub status: Option<(Status, Status)>,
    pub report: Option<String>,
    pub problems: Option<String>,
    pub evidence: Vec<String>,
    /// The day asked for and the reason.
    pub extension: Option<(NaiveDate, String)>,
}

impl RowChange {
    /// The history note the row is recorded with: what the unit wrote, each part named.
    pub fn note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(r) = &self.report {
            parts.push(format!("本期进展：{r}"));
        }
        if let Some(p) = &self.problems {
            parts.push(format!("存在问题：{p}"));
        }
        if !self.evidence.is_empty() {
            parts.push(format!("佐证材料：{}", self.evidence.join("；")));
        }
        (!parts.is_empty()).then(|| parts.join("\n"))
    }
}

/// A row whose task changed after the sheet was made.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub row: u32,
    pub task: i64,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub title: String,
}

/// What a sheet would do, or did.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub unit: String,
    pub as_of: NaiveDate,
    pub changes: Vec<RowChange>,
    pub conflicts: Vec<Conflict>,
    /// One line per row that refuses the whole sheet (tampered, edited grey cells, bad
    /// values), each naming the row.
    pub bad: Vec<String>,
    /// Rows the unit left empty.
    pub unchanged: usize,
    /// Whether the changes were written.
    pub applied: bool,
}

/// The actor a sheet's changes are recorded as: the unit, and who imported it.
pub fn actor(unit: &str, user: &str) -> String {
    format!("{unit}{}", store::imported_by(user))
}

/// Checks every row of the sheet against the ledger as it stands and works out what each
/// changes. Refuses outright a sheet of another ledger.
pub fn plan(conn: &Connection, sheet: &FillSheet, lang: Lang) -> Result<Plan> {
    let key = store::key(conn)?;
    let Some(key) = key.filter(|k| k.ledger_id == sheet.ledger_id) else {
        return Err(Error::Refused(crate::tr!(lang, "fill.other_ledger")));
    };
    let mut p = Plan {
        unit: sheet.unit.clone(),
        as_of: sheet.as_of,
        changes: Vec::new(),
        conflicts: Vec::new(),
        bad: Vec::new(),
        unchanged: 0,
        applied: false,
    };
    let mut seen: HashMap<i64, u32> = HashMap::new();
    for row in &sheet.rows {
        let n = row.number;
        let say = |m: Msg| crate::tr!(lang, "fill.row_problem", row = n, text = m.text(lang));
        let tampered = || say(Msg::new("fill.row_tampered"));
        let (Ok(id), Ok(version)) = (row.id.parse::<i64>(), row.version.parse::<i64>()) else {
            p.bad.push(tampered());
            continue;
        };
        let signed = Signed {
            ledger_id: &key.ledger_id,
            unit: &sheet.unit,
            as_of: sheet.as_of,
            task: id,
            version,
        };
        if !layout::verify(&key, &signed, &row.locked, &row.code) {
            p.bad.push(
                match edited_columns(conn, &key, &signed, row, sheet.as_of)? {
                    Some(cols) => say(crate::msg!(
                        "fill.row_locked_edited",
                        columns = cols.join(if lang == Lang::Zh { "、" } else { ", " })
                    )),
                    None => tampered(),
                },
            );
            continue;
        }
        if let Some(first) = seen.insert(id, n) {
            p.bad.push(say(crate::msg!(
                "fill.row_repeated",
                task = id,
                first = first
            )));
            continue;
        }
        if !row.filled() {
            p.unchanged += 1;
            continue;
        }
        let task = tasks::get(conn, id, sheet.as_of)?;
        // Stale only when the task changed since the export in what the row reports on:
        // progress and status always (the unit filled them against what it saw), and the
        // deadline and requests when it asks for an extension. A note or evidence another
        // unit sent (a lead and a supporting unit both report on one task) does not count.
        let mut fields = vec!["progress", "status", "created"];
        if row.fill.get(5).is_some_and(|c| !c.trim().is_empty()) {
            use crate::model::events as ev;
            fields.extend([
                "deadline",
                ev::EXTENSION_REQUEST,
                ev::EXTENSION_APPROVED,
                ev::EXTENSION_REJECTED,
            ]);
        }
        if store::changed_since(conn, id, version, &fields)? {
            p.conflicts.push(Conflict {
                row: n,
                task: id,
                reference: task.reference.clone(),
                title: task.title.clone(),
            });
            continue;
        }
        match row_change(row, &task) {
            Ok(c) => {
                // One request per task waits for the office at a time.
                let pending = match c.extension {
                    Some(_) => crate::db::requests::pending_of(conn, id)?,
                    None => None,
                };
                match pending {
                    Some(r) => p.bad.push(say(crate::msg!(
                        "fill.row_pending_request",
                        task = id,
                        to = r.deadline
                    ))),
                    None => p.changes.push(c),
                }
            }
            Err(e) => p.bad.push(say(e)),
        }
    }
    Ok(p)
}

/// The grey columns of a row that differ from what the ledger gave the task, when the
/// row's id and version are the sheet's own (its check code verifies over the ledger's
/// text); `None` when they are not, i.e. the row was tampered with otherwise.
fn edited_columns(
    conn: &Connection,
    key: &Key,
    signed: &Signed<'_>,
    row: &SheetRow,
    as_of: NaiveDate,
) -> Result<Option<Vec<&'static str>>> {
    let Ok(task) = store::task(conn, signed.task, as_of) else {
        return Ok(None);
    };
    if store::version(conn, signed.task)? != signed.version {
        return Ok(None);
    }
    let note = store::latest_note(conn, signed.task)?;
    let ledger = layout::locked_cells(&task, note.as_deref());
    if !layout::verify(key, signed, &ledger, &row.code) {
        return Ok(None);
    }
    Ok(Some(
        layout::LOCKED
            .iter()
            .zip(ledger.iter().zip(&row.locked))
            .filter(|(_, (a, b))| a != b)
            .map(|(name, _)| *name)
            .collect(),
    ))
}

/// The longest text a fill cell may hold, as for a note on the command line.
const MAX_TEXT: usize = 20_000;

/// What a filled row changes, or why it cannot (a catalogue message).
fn row_change(row: &SheetRow, task: &crate::model::Task) -> std::result::Result<RowChange, Msg> {
    let get = |k: usize| row.fill.get(k).cloned().unwrap_or_default();
    let text = |k: usize| -> std::result::Result<Option<String>, Msg> {
        let t = layout::normal(&get(k));
        if t.chars().count() > MAX_TEXT {
            return Err(crate::msg!(
                "fill.row_too_long",
                column = layout::FILL[k],
                max = MAX_TEXT
            ));
        }
        Ok(Some(t).filter(|t| !t.is_empty()))
    };
    let progress = match get(0) {
        s if s.is_empty() => None,
        s => {
            let t = date::ascii_digits(s.trim());
            let t = t.trim_end_matches(['%', '％']);
            match t.parse::<u8>() {
                Ok(v) if v <= 100 => Some(v),
                _ => return Err(crate::msg!("fill.row_bad_progress", text = s)),
            }
        }
    };
    let status = match get(1) {
        s if s.is_empty() => None,
        s => match s.parse::<Status>() {
            Ok(st) if layout::UNIT_STATUSES.contains(&st) => Some(st),
            Ok(st) => return Err(crate::msg!("fill.row_status_not_units", status = st.zh())),
            Err(_) => return Err(crate::msg!("fill.row_bad_status", text = s)),
        },
    };
    let report = text(2)?;
    let problems = text(3)?;
    let evidence = super::evidence::names_in(&text(4)?.unwrap_or_default());
    let to = get(5);
    let reason = text(6)?;
    let extension = match (to.is_empty(), reason) {
        (true, None) => None,
        (true, Some(_)) => return Err(Msg::new("fill.row_reason_without_day")),
        (false, None) => return Err(Msg::new("fill.row_day_without_reason")),
        (false, Some(_)) if task.deadline.is_none() => {
            return Err(Msg::new("fill.row_no_deadline"))
        }
        (false, Some(reason)) => match date::parse(&to, task.year) {
            Ok(Due::Day(d)) if task.deadline.is_none_or(|old| d > old) => Some((d, reason)),
            Ok(Due::Day(d)) => return Err(crate::msg!("fill.row_not_later", to = d)),
            _ => return Err(crate::msg!("fill.row_bad_day", text = to)),
        },
    };
    // Reporting work done says what was done.
    let done = status == Some(Status::Done) || (progress == Some(100) && status.is_none());
    if done && report.is_none() {
        return Err(Msg::new("fill.row_done_needs_report"));
    }
    let new_status = status.filter(|s| *s != task.status);
    Ok(RowChange {
        row: row.number,
        task: task.id,
        reference: task.reference.clone(),
        title: task.title.clone(),
        progress: progress
            .filter(|p| *p != task.progress)
            .map(|p| (task.progress, p)),
        status: new_status.map(|s| (task.status, s)),
        report,
        problems,
        evidence,
        extension,
    })
}

/// Applies a sheet: checks it again inside the write transaction and, when no row refuses
/// it (and no row conflicts, unless `skip_conflicts`), records every change as the unit,
/// effective on the period end; an extension asked for becomes a pending request. Returns the plan, with `applied` saying whether it was
/// written.
pub fn apply(
    ledger: &mut Ledger,
    meta: &ChangeMeta,
    sheet: &FillSheet,
    skip_conflicts: bool,
    lang: Lang,
) -> Result<Plan> {
    let meta = ChangeMeta {
        actor: actor(&sheet.unit, &meta.actor),
        ..meta.clone()
    };
    ledger.write(&meta, |w| {
        let mut p = plan(w.conn(), sheet, lang)?;
        if !p.bad.is_empty() || (!p.conflicts.is_empty() && !skip_conflicts) {
            return Ok(p);
        }
        w.set_default_effective(Some(sheet.as_of));
        for c in &p.changes {
            let changes = Changes {
                progress: c.progress.map(|(_, p)| p),
                status: c.status.map(|(_, s)| s),
                ..Changes::default()
            };
            let note = c.note();
            let fields = tasks::update(w, c.task, &changes, note.as_deref(), sheet.as_of)?;
            if fields.is_empty() {
                if let Some(n) = &note {
                    tasks::note(w, c.task, n)?;
                }
            }
            // The names the unit gave under 佐证材料 are references the office checks at
            // 销号, so they are attached as the task's evidence, not only quoted in the note.
            super::evidence::attach_in(w, c.task, &[], &c.evidence)?;
            // A request waits for the office (approve or reject); the deadline stays.
            if let Some((to, reason)) = &c.extension {
                super::requests::request_extension_in(w, c.task, *to, reason, sheet.as_of)?;
            }
        }
        p.applied = true;
        Ok(p)
    })
}

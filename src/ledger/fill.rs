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
        return Err(Error::Refused(
            lang.pick(
                "这份填报表不是由本台账生成的（台账标识不符），未导入任何内容；请导入到生成它的台账，或用 taizhang export --fill 为本台账生成填报表",
                "this fill sheet was made from another ledger (its ledger id differs); nothing was imported. Import it into the ledger that made it, or make this ledger's sheets with `taizhang export --fill`",
            )
            .into(),
        ));
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
        let say = |zh: String, en: String| match lang {
            Lang::Zh => format!("第 {n} 行：{zh}"),
            Lang::En => format!("row {n}: {en}"),
        };
        let tampered = || {
            say(
                "隐藏的任务编号、版本或校验码被改动或缺失，或此行复制自其他单位、其他期的填报表（手工添加的行不能导入）；请用原表重新填写".into(),
                "the hidden task id, version or check code was changed or is missing, or the row was copied from another unit's or period's sheet (rows added by hand cannot be imported); fill in the original sheet again".into(),
            )
        };
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
                    Some(cols) => say(
                        format!("灰色（锁定）列被改动：{}；只能填写白色列", cols.join("、")),
                        format!(
                            "a locked (grey) column was edited: {}; fill in only the white columns",
                            cols.join(", ")
                        ),
                    ),
                    None => tampered(),
                },
            );
            continue;
        }
        if let Some(first) = seen.insert(id, n) {
            p.bad.push(say(
                format!("任务 #{id} 已在第 {first} 行出现；每项任务只填一行"),
                format!("task #{id} is already in row {first}; keep one row per task"),
            ));
            continue;
        }
        if !row.filled() {
            p.unchanged += 1;
            continue;
        }
        let task = tasks::get(conn, id, sheet.as_of)?;
        if store::version(conn, id)? != version {
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
                    Some(r) => p.bad.push(say(
                        format!("任务 #{id} 已有待审批的延期申请（至 {}），须待法治办审批后再申请", r.deadline),
                        format!(
                            "task #{id} already has a pending extension request (to {}); the office decides it before another is asked",
                            r.deadline
                        ),
                    )),
                    None => p.changes.push(c),
                }
            }
            Err(e) => p.bad.push(say(e.0, e.1)),
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

/// What a filled row changes, or why it cannot (in Chinese and English).
fn row_change(
    row: &SheetRow,
    task: &crate::model::Task,
) -> std::result::Result<RowChange, (String, String)> {
    let get = |k: usize| row.fill.get(k).cloned().unwrap_or_default();
    let text = |k: usize| -> std::result::Result<Option<String>, (String, String)> {
        let t = layout::normal(&get(k));
        if t.chars().count() > MAX_TEXT {
            return Err((
                format!("{}超过 {MAX_TEXT} 字", layout::FILL[k]),
                format!("{} is longer than {MAX_TEXT} characters", layout::FILL[k]),
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
                _ => {
                    return Err((
                        format!("进度「{s}」不是 0 到 100 的整数"),
                        format!("progress '{s}' is not a whole number from 0 to 100"),
                    ))
                }
            }
        }
    };
    let status = match get(1) {
        s if s.is_empty() => None,
        s => match s.parse::<Status>() {
            Ok(st) if layout::UNIT_STATUSES.contains(&st) => Some(st),
            Ok(st) => {
                return Err((
                    format!("单位不能把状态填为「{}」（销号和取消由法治办办理）；请选 未启动、推进中、受阻 或 已完成", st.zh()),
                    format!("a unit cannot report the status '{}' (verifying and cancelling are the office's); choose 未启动, 推进中, 受阻 or 已完成", st.zh()),
                ))
            }
            Err(_) => {
                return Err((
                    format!("状态「{s}」不是 未启动、推进中、受阻、已完成 之一"),
                    format!("status '{s}' is not one of 未启动, 推进中, 受阻, 已完成"),
                ))
            }
        },
    };
    let report = text(2)?;
    let problems = text(3)?;
    let evidence: Vec<String> = text(4)?
        .unwrap_or_default()
        .split(['\n', '、', '；', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let to = get(5);
    let reason = text(6)?;
    let extension = match (to.is_empty(), reason) {
        (true, None) => None,
        (true, Some(_)) => {
            return Err((
                "填了延期理由但没有填申请延期至的日期".into(),
                "a reason for an extension (延期理由) without the day asked for (申请延期至)"
                    .into(),
            ))
        }
        (false, None) => {
            return Err((
                "申请延期须填写延期理由".into(),
                "an extension request (申请延期至) needs a reason (延期理由)".into(),
            ))
        }
        (false, Some(_)) if task.deadline.is_none() => {
            return Err((
                "长期坚持的任务没有截止日期，无需申请延期".into(),
                "the task is continuous work with no deadline: there is nothing to extend".into(),
            ))
        }
        (false, Some(reason)) => match date::parse(&to, task.year) {
            Ok(Due::Day(d)) if task.deadline.is_none_or(|old| d > old) => Some((d, reason)),
            Ok(Due::Day(d)) => {
                return Err((
                    format!("申请延期至 {d} 不晚于现在的完成时限"),
                    format!("the extension to {d} is not after the current deadline"),
                ))
            }
            _ => {
                return Err((
                    format!("申请延期至「{to}」不是日期，请写如 2026-06-30"),
                    format!("the extension date '{to}' is not a day; write it like 2026-06-30"),
                ))
            }
        },
    };
    // Reporting work done says what was done.
    let done = status == Some(Status::Done) || (progress == Some(100) && status.is_none());
    if done && report.is_none() {
        return Err((
            "报已完成须在本期进展中写明完成情况".into(),
            "reporting a task done needs what was done in 本期进展".into(),
        ));
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
            // A request waits for the office (approve or reject); the deadline stays.
            if let Some((to, reason)) = &c.extension {
                super::requests::request_extension_in(w, c.task, *to, reason, sheet.as_of, lang)?;
            }
        }
        p.applied = true;
        Ok(p)
    })
}

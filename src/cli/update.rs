use std::io::Write;

use clap::Args;

use super::{
    emit, emit_json, parse_name, parse_outline_area, parse_progress, parse_text, parse_title, Ctx,
    Format,
};
use crate::db::tasks::{self, Changes};
use crate::db::Ledger;
use crate::model::date::DeadlineArg;
use crate::model::Status;
use crate::report::field_label;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Update {
    #[command(flatten)]
    pub who: super::Who,
    /// The tasks to change; all change or none does.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<i64>,
    /// The new status, in English or Chinese (e.g. doing or 推进中).
    #[arg(long)]
    pub status: Option<Status>,
    /// The new progress, 0–100; 100 with no status given makes the task done.
    #[arg(long, value_parser = parse_progress, allow_negative_numbers = true)]
    pub progress: Option<u8>,
    /// The new lead unit (牵头单位).
    #[arg(long, value_parser = parse_name)]
    pub owner: Option<String>,
    /// The co-owners (配合单位), replacing the current list; repeat for several.
    #[arg(long = "co-owner", value_parser = parse_name)]
    pub co_owners: Vec<String>,
    /// A new deadline (an extension, 延期): needs --note with the reason. A form without a
    /// year (6月底前) is in each task's own plan year.
    #[arg(long)]
    pub deadline: Option<DeadlineArg>,
    /// A new title.
    #[arg(long, value_parser = parse_title)]
    pub title: Option<String>,
    /// A new area (领域).
    #[arg(long, value_parser = parse_name)]
    pub area: Option<String>,
    /// A new outline area tag, FZ01 … FZ10.
    #[arg(long, value_parser = parse_outline_area)]
    pub outline_area: Option<String>,
    /// Make the tasks sub-tasks of task ID.
    #[arg(long, value_name = "ID")]
    pub parent: Option<i64>,
    /// The reason or progress note, kept in the history with each changed field. Required when
    /// changing a deadline or cancelling. 说明
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
}

impl Update {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        if self.note.is_none() {
            if self.deadline.is_some() {
                return Err(Error::Usage(
                    "changing a deadline needs --note with the reason (延期须说明理由)".into(),
                ));
            }
            if self.status == Some(Status::Cancelled) {
                return Err(Error::Usage(
                    "cancelling a task needs --note with the reason (取消须说明理由)".into(),
                ));
            }
        }
        let mut changes = Changes {
            status: self.status,
            progress: self.progress,
            owner: self.owner.clone(),
            co_owners: (!self.co_owners.is_empty()).then(|| self.co_owners.clone()),
            deadline: None,
            deadline_text: self.deadline.as_ref().and_then(|d| d.words()),
            title: self.title.clone(),
            area: self.area.clone(),
            outline_area: self.outline_area.clone(),
            parent_id: self.parent,
            body: None,
        };
        // The same id given twice is one task to change, not two changes.
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<i64> = self
            .ids
            .iter()
            .copied()
            .filter(|id| seen.insert(*id))
            .collect();
        let mut new_deadlines = Vec::new();
        let changed = ledger.write(&ctx.meta, |w| {
            ids.iter()
                .map(|&id| {
                    // A deadline without a year ("6月底前") means that month of each task's own
                    // plan year, so it is resolved task by task.
                    if let Some(d) = &self.deadline {
                        let year = tasks::get(w.conn(), id, ctx.as_of)?.year;
                        let due = d
                            .resolve(year)
                            .map_err(|_| super::add::bad_for_year(ctx, d, year))?;
                        let Some(day) = due.day() else {
                            return Err(Error::Usage(
                                ctx.t(
                                    "update 不能把截止日期改为长期；请给出日期，如 2025-06-30",
                                    "update cannot make a deadline continuous; give a date such as 2025-06-30",
                                )
                                .into(),
                            ));
                        };
                        changes.deadline = Some(day);
                        new_deadlines.push(day);
                    }
                    tasks::update(w, id, &changes, self.note.as_deref(), ctx.as_of).map(|f| (id, f))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        if let Some(&d) = new_deadlines.iter().min() {
            if d < ctx.as_of {
                ctx.warn(&format!(
                    "{} {d} {}",
                    ctx.t("新的截止日期", "the new deadline"),
                    ctx.t("已过", "has already passed"),
                ));
            }
        }
        match ctx.format {
            Format::Json => {
                let tasks = ledger.read(|c| {
                    ids.iter()
                        .map(|&id| tasks::get(c, id, ctx.as_of))
                        .collect::<Result<Vec<_>>>()
                })?;
                emit_json(out, &tasks)
            }
            _ => {
                for (id, fields) in changed {
                    if fields.is_empty() {
                        emit(
                            out,
                            format!("#{id}: {}", ctx.t("无变化", "nothing changed")),
                        )?;
                    } else {
                        let names: Vec<String> =
                            fields.iter().map(|f| field_label(f, ctx.lang)).collect();
                        emit(
                            out,
                            format!("#{id}: {} {}", ctx.t("已更新", "updated"), names.join(", ")),
                        )?;
                    }
                }
                Ok(())
            }
        }
    }
}

use std::io::Write;

use clap::Args;

use super::{
    emit, emit_json, parse_name, parse_outline_area, parse_progress, parse_text, parse_title, Ctx,
    Format,
};
use crate::db::tasks::{self, NewTask};
use crate::db::Ledger;
use crate::model::date::end_of_year;
use crate::model::date::DeadlineArg;
use crate::model::{Kind, Status};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Add {
    #[command(flatten)]
    pub who: super::Who,
    /// What is to be done. 任务内容
    #[arg(value_parser = parse_title)]
    pub title: String,
    /// commitment/承诺, shortcoming/短板, achievement/成效 or task/任务.
    #[arg(long, default_value = "task")]
    pub kind: Kind,
    /// The lead unit (牵头单位).
    #[arg(long, value_parser = parse_name)]
    pub owner: Option<String>,
    /// A co-owner (配合单位); repeat for several.
    #[arg(long = "co-owner", value_parser = parse_name)]
    pub co_owners: Vec<String>,
    /// The deadline (default 31 December of the plan year), e.g. 2025-06-30, 2025年6月底前, or
    /// 6月底前 in the plan year; 长期坚持 means continuous work.
    #[arg(long)]
    pub deadline: Option<DeadlineArg>,
    /// Continuous work with no deadline (长期坚持).
    #[arg(long, conflicts_with = "deadline")]
    pub continuous: bool,
    /// The plan year (default the closing year of the ledger's outline period).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub year: Option<i32>,
    /// The group or section the task belongs to. 领域
    #[arg(long, value_parser = parse_name)]
    pub area: Option<String>,
    /// The outline area tag, FZ01 … FZ10. 纲要领域
    #[arg(long, value_parser = parse_outline_area)]
    pub outline_area: Option<String>,
    /// Make this a sub-task of task ID.
    #[arg(long, value_name = "ID")]
    pub parent: Option<i64>,
    /// The full text of the task.
    #[arg(long, value_parser = parse_text)]
    pub body: Option<String>,
    /// The starting status (default todo/未启动).
    #[arg(long, default_value = "todo")]
    pub status: Status,
    /// The starting progress, 0–100.
    #[arg(long, value_parser = parse_progress, default_value = "0", allow_negative_numbers = true)]
    pub progress: u8,
    /// A unique source reference such as 2025-C1.2.
    #[arg(long = "ref", value_parser = parse_name)]
    pub reference: Option<String>,
}

impl Add {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        if self.status == Status::Cancelled {
            return Err(Error::Usage(
                "a task cannot be added as cancelled; add it, then cancel it with `update --status cancelled --note REASON`"
                    .into(),
            ));
        }
        let mut status = self.status;
        let mut progress = self.progress;
        if progress == 100 && status == Status::Todo {
            status = Status::Done;
        }
        if status.is_finished() && progress == 0 {
            progress = 100;
        }
        // The outline is read in the same transaction as the insert: one command, one
        // transaction, and the default year cannot change in between.
        let (id, deadline) = ledger.write(&ctx.meta, |w| {
            let year = match self.year {
                Some(y) => y,
                None => crate::db::outline(w.conn())?.end,
            };
            let deadline = if self.continuous {
                None
            } else {
                match &self.deadline {
                    Some(d) => d
                        .resolve(year)
                        .map_err(|_| bad_for_year(ctx, d, year))?
                        .day(),
                    None => Some(end_of_year(year).ok_or_else(|| {
                        Error::Invalid(format!("{year} has no 31 December in the calendar"))
                    })?),
                }
            };
            let t = NewTask {
                reference: self.reference.clone(),
                kind: self.kind,
                title: self.title.clone(),
                body: self.body.clone(),
                area: self.area.clone(),
                outline_area: self.outline_area.clone(),
                owner: self.owner.clone(),
                co_owners: self.co_owners.clone(),
                status,
                progress,
                deadline,
                deadline_text: self.deadline.as_ref().and_then(|d| d.words()),
                year,
                parent_id: self.parent,
                document_id: None,
                completed_at: status.is_finished().then(|| ctx.meta.at.clone()),
            };
            Ok((tasks::insert(w, &t, None)?, deadline))
        })?;
        if let Some(d) = deadline {
            if d < ctx.as_of && !status.is_closed() {
                ctx.warn(&format!(
                    "{} {d} {}",
                    ctx.t("截止日期", "the deadline"),
                    ctx.t(
                        "已过，任务已记为逾期",
                        "has already passed; the task is overdue"
                    ),
                ));
            }
        }
        match ctx.format {
            Format::Json => {
                let task = ledger.read(|c| tasks::get(c, id, ctx.as_of))?;
                emit_json(out, &task)
            }
            _ => emit(out, format!("{} #{id}", ctx.t("已新增任务", "Added task"))),
        }
    }
}

/// The refusal of a deadline that is well formed but names no day in the plan year it is read
/// in ("2月29日" in 2025).
pub(super) fn bad_for_year(ctx: &Ctx, d: &DeadlineArg, year: i32) -> Error {
    Error::Usage(format!(
        "{} '{}' {} {year}{}",
        ctx.t("截止日期", "the deadline"),
        d.text,
        ctx.t("不是计划年度", "is not a day of the plan year"),
        ctx.t(
            "中的日期；请写出完整日期，如 2025-06-30",
            "; give a full date such as 2025-06-30"
        ),
    ))
}

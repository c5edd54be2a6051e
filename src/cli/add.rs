use std::io::Write;

use clap::Args;

use super::{
    emit, emit_json, parse_name, parse_outline_area, parse_progress, parse_text, parse_title, Ctx,
    Format,
};
use crate::db::Ledger;
use crate::ledger::tasks::AddRequest;
use crate::model::date::DeadlineArg;
use crate::model::{Kind, Status};
use crate::Result;

#[derive(Debug, Args)]
pub struct Add {
    #[command(flatten)]
    pub who: super::Who,
    /// What is to be done. 任务内容
    #[arg(value_parser = parse_title)]
    pub title: String,
    /// commitment/承诺, shortcoming/短板, achievement/成效 or task/任务.
    #[arg(long, default_value = "task", value_parser = super::choices::WordParser::<Kind>::new())]
    pub kind: Kind,
    /// The lead unit (牵头单位).
    #[arg(long, value_parser = parse_name)]
    pub owner: Option<String>,
    /// A co-owner (配合单位); repeat for several.
    #[arg(long = "co-owner", value_parser = parse_name)]
    pub co_owners: Vec<String>,
    /// The responsible person (责任人).
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub person: Option<String>,
    /// How to reach the responsible person (联系方式), e.g. a phone number.
    #[arg(long, value_name = "TEXT", value_parser = parse_name)]
    pub contact: Option<String>,
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
    /// Make this a sub-task of task ID (an id or a ref).
    #[arg(long, value_name = "ID", value_parser = super::ids::parse_target)]
    pub parent: Option<super::ids::Target>,
    /// The full text of the task.
    #[arg(long, value_parser = parse_text)]
    pub body: Option<String>,
    /// The starting status (default todo/未启动).
    #[arg(long, default_value = "todo", value_parser = super::choices::WordParser::<Status>::new())]
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
        let parent = match &self.parent {
            Some(p) => Some(ledger.read(|c| super::ids::resolve_one(c, p, ctx.lang))?),
            None => None,
        };
        let req = AddRequest {
            reference: self.reference.clone(),
            kind: self.kind,
            title: self.title.clone(),
            body: self.body.clone(),
            area: self.area.clone(),
            outline_area: self.outline_area.clone(),
            owner: self.owner.clone(),
            co_owners: self.co_owners.clone(),
            person: self.person.clone(),
            contact: self.contact.clone(),
            deadline: self.deadline.clone(),
            continuous: self.continuous,
            year: self.year,
            parent_id: parent,
            status: self.status,
            progress: self.progress,
        };
        let task = crate::ledger::tasks::add(ledger, &ctx.meta, &req, ctx.as_of, ctx.lang)?;
        if let (Some(d), true) = (task.deadline, task.overdue) {
            ctx.warn(&format!(
                "{} {d} {}",
                &crate::tr!(ctx.lang, "msg.add.the_deadline"),
                &crate::tr!(ctx.lang, "msg.add.has_already_passed_the_task"),
            ));
        }
        match ctx.format {
            Format::Json => emit_json(out, &task),
            _ => emit(
                out,
                format!(
                    "{} #{}",
                    &crate::tr!(ctx.lang, "msg.add.added_task"),
                    task.id
                ),
            ),
        }
    }
}

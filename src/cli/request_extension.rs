use std::io::Write;

use clap::Args;

use super::{emit, emit_json, parse_text, Ctx, Format};
use crate::db::{tasks, Ledger};
use crate::model::date::DeadlineArg;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct RequestExtension {
    #[command(flatten)]
    pub who: super::Who,
    /// The task.
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
    /// The deadline asked for (any date form; a form without a year is in the task's plan
    /// year). It must be later than the task's deadline. 申请延期至
    #[arg(long, value_name = "DATE")]
    pub to: DeadlineArg,
    /// The reason (延期理由), required.
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
}

impl RequestExtension {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        // An id or a ref (2025-C1.1), as every command takes a task (src/cli/ids.rs).
        let id = ledger.read(|c| super::ids::resolve_one(c, &self.id, ctx.lang))?;
        let lang = ctx.lang;
        let Some(reason) = self.note.as_deref() else {
            return Err(Error::Usage(
                ctx.t(
                    "申请延期须说明理由：请加 --note 理由",
                    "an extension request needs a reason: add --note REASON",
                )
                .into(),
            ));
        };
        // A date without a year ("6月底前") is in the task's own plan year, as on `update`.
        let year = ledger.read(|c| tasks::get(c, id, ctx.as_of))?.year;
        let to = self
            .to
            .resolve(year)
            .ok()
            .and_then(|d| d.day())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{} '{}' {}",
                    ctx.t("申请延期至", "--to"),
                    self.to.text,
                    ctx.t(
                        "不是一个日期；请给出日期，如 2025-06-30",
                        "is not a day; give a date such as 2025-06-30"
                    ),
                ))
            })?;
        let req = crate::ledger::requests::request_extension(
            ledger, &ctx.meta, id, to, reason, ctx.as_of, lang,
        )?;
        if ctx.format == Format::Json {
            return emit_json(out, &req);
        }
        emit(
            out,
            format!(
                "#{}: {} {} → {}（{}）",
                id,
                ctx.t("已申请延期", "extension requested"),
                req.old_deadline.map(|d| d.to_string()).unwrap_or_default(),
                req.deadline,
                ctx.t(
                    "待审批，截止日期未变",
                    "pending approval; the deadline is unchanged"
                ),
            ),
        )
    }
}

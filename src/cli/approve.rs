use std::io::Write;

use clap::Args;

use super::{emit, emit_json, parse_text, Ctx, Format};
use crate::db::Ledger;
use crate::Result;

#[derive(Debug, Args)]
pub struct Approve {
    #[command(flatten)]
    pub who: super::Who,
    /// The task whose pending extension request is approved: its deadline moves to the day
    /// asked for.
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
    /// A note on the decision (审批意见).
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
}

impl Approve {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        // An id or a ref (2025-C1.1), as every command takes a task (src/cli/ids.rs).
        let id = ledger.read(|c| super::ids::resolve_one(c, &self.id, ctx.lang))?;
        let req = crate::ledger::requests::approve(
            ledger,
            &ctx.meta,
            id,
            self.note.as_deref(),
            ctx.as_of,
            ctx.lang,
        )?;
        if ctx.format == Format::Json {
            return emit_json(out, &req);
        }
        emit(
            out,
            format!(
                "#{}: {} {} → {}",
                id,
                ctx.t("已批准延期，截止日期", "extension approved, deadline"),
                req.old_deadline.map(|d| d.to_string()).unwrap_or_default(),
                req.deadline,
            ),
        )
    }
}

use std::io::Write;

use clap::Args;

use super::{emit, emit_json, parse_text, Ctx, Format};
use crate::db::Ledger;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Reject {
    #[command(flatten)]
    pub who: super::Who,
    /// The task: its pending extension request is rejected (驳回延期申请).
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
    /// Why (驳回理由), required.
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
}

impl Reject {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        // An id or a ref (2025-C1.1), as every command takes a task (src/cli/ids.rs).
        let id = ledger.read(|c| super::ids::resolve_one(c, &self.id, ctx.lang))?;
        let Some(note) = self.note.as_deref() else {
            return Err(Error::Usage(
                ctx.t(
                    "驳回须说明理由：请加 --note 理由",
                    "a rejection needs a reason: add --note REASON",
                )
                .into(),
            ));
        };
        let req = crate::ledger::requests::reject(ledger, &ctx.meta, id, note, ctx.lang)?;
        if ctx.format == Format::Json {
            return emit_json(out, &req);
        }
        emit(
            out,
            format!(
                "#{}: {} {}",
                id,
                ctx.t(
                    "已驳回延期申请，截止日期仍为",
                    "extension rejected; the deadline stays"
                ),
                req.old_deadline.map(|d| d.to_string()).unwrap_or_default(),
            ),
        )
    }
}

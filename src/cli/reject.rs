use std::io::Write;

use clap::Args;

use super::{emit, emit_json, parse_text, Ctx, Format};
use crate::db::Ledger;
use crate::ledger::review::{Rejected, Which};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Reject {
    #[command(flatten)]
    pub who: super::Who,
    /// The task: its pending extension request is rejected, or, when it is done awaiting 销号,
    /// it is sent back to doing (驳回). When it has both, say which.
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
    /// Why (驳回理由), required.
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
    /// Reject the pending extension request.
    #[arg(long, conflicts_with = "closing")]
    pub extension: bool,
    /// Send the done task back to doing instead of verifying it.
    #[arg(long)]
    pub closing: bool,
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
        let which = match (self.extension, self.closing) {
            (true, _) => Some(Which::Extension),
            (_, true) => Some(Which::Closing),
            _ => None,
        };
        let done =
            crate::ledger::review::reject(ledger, &ctx.meta, id, note, which, ctx.as_of, ctx.lang)?;
        match done {
            Rejected::Extension(req) => {
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
            Rejected::Closing if ctx.format == Format::Json => emit_json(
                out,
                &serde_json::json!({ "task_id": id, "sent_back": true, "status": "doing" }),
            ),
            Rejected::Closing => emit(
                out,
                format!(
                    "#{}: {}",
                    id,
                    ctx.t("已驳回，退回推进中", "sent back to doing (not verified)"),
                ),
            ),
        }
    }
}

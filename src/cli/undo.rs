use std::io::{BufRead, IsTerminal, Write};

use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::Ledger;
use crate::ledger::undo;
use crate::render::{field_label, fit, printable};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Undo {
    #[command(flatten)]
    pub who: super::Who,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

impl Undo {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let plan = undo::plan(ledger, &ctx.meta.actor)?;
        let tz = ledger.timezone()?;
        if ctx.format == Format::Table {
            emit(
                out,
                format!(
                    "{} #{} ({}, {}): {}",
                    &crate::tr!(ctx.lang, "msg.undo.undoing_change"),
                    plan.change_id,
                    printable(&crate::model::zone::local(&plan.at, tz)),
                    printable(&plan.actor),
                    fit(&plan.command, 60)
                ),
            )?;
            if let Some(e) = &plan.unit_edit {
                emit(out, format!("  {}", printable(&super::unit::edit_line(e))))?;
            }
            for h in &plan.rows {
                emit(
                    out,
                    format!(
                        "  #{} {}: {} → {}",
                        h.task_id,
                        printable(&field_label(&h.field, ctx.lang)),
                        fit(
                            &crate::render::history_value(&h.field, h.new.as_deref(), ctx.lang),
                            30
                        ),
                        fit(
                            &crate::render::history_value(&h.field, h.old.as_deref(), ctx.lang),
                            30
                        )
                    ),
                )?;
            }
        }
        if !self.yes {
            if !std::io::stdin().is_terminal() {
                return Err(Error::usage(crate::msg!("cli.undo_needs_yes")));
            }
            out.flush().map_err(|e| Error::io("writing output", e))?;
            eprint!("{}", &crate::tr!(ctx.lang, "msg.undo.undo_it_y_n"));
            let mut answer = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut answer)
                .map_err(|e| Error::io("reading the answer", e))?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
                return emit(out, crate::tr!(ctx.lang, "msg.undo.nothing_was_undone"));
            }
        }
        let n = undo::apply(ledger, &ctx.meta, &plan, ctx.as_of)?;
        match ctx.format {
            Format::Json => emit_json(
                out,
                &serde_json::json!({ "undone": plan.change_id, "rows": n, "change": plan }),
            ),
            _ => emit(
                out,
                format!(
                    "{} #{}",
                    &crate::tr!(ctx.lang, "msg.undo.undid_change"),
                    plan.change_id
                ),
            ),
        }
    }
}

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::{undo, Ledger};
use crate::report::{field_label, fit, printable};
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
        let actor = ctx.meta.actor.clone();
        let plan = ledger.read(|c| undo::plan(c, &actor))?;
        if ctx.format == Format::Table {
            emit(
                out,
                format!(
                    "{} #{} ({}, {}): {}",
                    ctx.t("将撤销变更", "Undoing change"),
                    plan.change_id,
                    printable(&plan.at),
                    printable(&plan.actor),
                    fit(&plan.command, 60)
                ),
            )?;
            for h in &plan.rows {
                emit(
                    out,
                    format!(
                        "  #{} {}: {} → {}",
                        h.task_id,
                        printable(&field_label(&h.field, ctx.lang)),
                        fit(h.new.as_deref().unwrap_or("∅"), 30),
                        fit(h.old.as_deref().unwrap_or("∅"), 30)
                    ),
                )?;
            }
        }
        if !self.yes {
            if !std::io::stdin().is_terminal() {
                return Err(Error::Usage(
                    "undo asks for confirmation; add --yes when not at a terminal".into(),
                ));
            }
            out.flush().map_err(|e| Error::io("writing output", e))?;
            eprint!("{}", ctx.t("确认撤销？[y/N] ", "Undo it? [y/N] "));
            let mut answer = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut answer)
                .map_err(|e| Error::io("reading the answer", e))?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
                return emit(out, ctx.t("未撤销。", "Nothing was undone."));
            }
        }
        let mut meta = ctx.meta.clone();
        meta.undoes = Some(plan.change_id);
        // The plan is checked again inside the write transaction: someone may have changed
        // the same tasks while the question was on screen.
        let n = ledger.write(&meta, |w| {
            let fresh = undo::plan(w.conn(), &actor)?;
            if fresh.change_id != plan.change_id {
                return Err(Error::Invalid(
                    "the ledger changed while undo was waiting; run it again".into(),
                ));
            }
            undo::apply(w, &fresh, ctx.as_of)
        })?;
        match ctx.format {
            Format::Json => emit_json(
                out,
                &serde_json::json!({ "undone": plan.change_id, "rows": n, "change": plan }),
            ),
            _ => emit(
                out,
                format!(
                    "{} #{}",
                    ctx.t("已撤销变更", "Undid change"),
                    plan.change_id
                ),
            ),
        }
    }
}

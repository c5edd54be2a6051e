use std::io::Write;

use clap::Args;

use super::{emit, parse_text, Ctx};
use crate::db::Ledger;
use crate::Result;

#[derive(Debug, Args)]
pub struct Note {
    #[command(flatten)]
    pub who: super::Who,
    /// The task: an id (16), a ref (2025-C1.1) or a range (16-18: the same note on each, all
    /// or none).
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
    /// The progress note (进展情况).
    #[arg(value_parser = parse_text)]
    pub text: String,
}

impl Note {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let ids =
            ledger.read(|c| super::ids::resolve(c, std::slice::from_ref(&self.id), ctx.lang))?;
        crate::ledger::tasks::note_each(ledger, &ctx.meta, &ids, &self.text)?;
        for id in ids {
            emit(
                out,
                format!("#{id}: {}", crate::tr!(ctx.lang, "msg.note.note_recorded")),
            )?;
        }
        Ok(())
    }
}

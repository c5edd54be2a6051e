use std::io::Write;

use clap::Args;

use super::{emit, parse_text, Ctx};
use crate::db::Ledger;
use crate::Result;

#[derive(Debug, Args)]
pub struct Note {
    #[command(flatten)]
    pub who: super::Who,
    /// The task.
    pub id: i64,
    /// The progress note (进展情况).
    #[arg(value_parser = parse_text)]
    pub text: String,
}

impl Note {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        crate::ledger::tasks::note(ledger, &ctx.meta, self.id, &self.text)?;
        emit(
            out,
            format!(
                "#{}: {}",
                self.id,
                &crate::tr!(ctx.lang, "msg.note.note_recorded")
            ),
        )
    }
}

use std::io::Write;

use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::{check, Ledger};
use crate::model::Lang;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Check {}

impl Check {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let problems = ledger.read(|c| check::check(c, ctx.as_of))?;
        if ctx.format == Format::Json {
            emit_json(
                out,
                // JSON keeps English words, whatever the language of the terminal.
                &serde_json::json!({
                    "ok": problems.is_empty(),
                    "problems": problems.iter().map(|p| p.text(Lang::En)).collect::<Vec<_>>(),
                }),
            )?;
        } else if problems.is_empty() {
            emit(out, crate::tr!(ctx.lang, "msg.check.the_ledger_is_sound"))?;
        } else {
            for p in &problems {
                emit(out, crate::render::printable(&p.text(ctx.lang)))?;
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Said {
                kind: crate::ErrorKind::Corrupt,
                msg: crate::msg!("cli.check_failed", count = problems.len()),
            })
        }
    }
}

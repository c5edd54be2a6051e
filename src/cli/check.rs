use std::io::Write;

use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::{check, Ledger};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Check {}

impl Check {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let problems = ledger.read(|c| check::check(c, ctx.as_of))?;
        if ctx.format == Format::Json {
            emit_json(
                out,
                &serde_json::json!({ "ok": problems.is_empty(), "problems": problems }),
            )?;
        } else if problems.is_empty() {
            emit(out, crate::tr!(ctx.lang, "msg.check.the_ledger_is_sound"))?;
        } else {
            for p in &problems {
                emit(out, crate::render::printable(p))?;
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

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{emit, Ctx};
use crate::db::{evidence, tasks, Ledger};
use crate::fsio::{self, Place};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Evidence {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Write a stored evidence file back out, byte for byte. 导出佐证材料
    Get {
        /// The task it is attached to.
        id: i64,
        /// Its SHA-256 as `show` lists it (a prefix of at least 8 hex digits will do).
        sha256: String,
        /// The file to write (whole or not at all; never the ledger or one of its files).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

impl Evidence {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let Action::Get { id, sha256, output } = &self.action;
        let hex = sha256.len() >= 8 && sha256.chars().all(|c| c.is_ascii_hexdigit());
        if !hex {
            return Err(Error::usage(crate::msg!("evidence.bad_sha", sha = sha256)));
        }
        fsio::check_output(output, ledger.path())?;
        let found = ledger.read(|c| {
            tasks::require(c, *id)?;
            evidence::content(c, *id, sha256)
        })?;
        let Some((full, bytes)) = found else {
            return Err(Error::not_found(crate::msg!(
                "evidence.no_match",
                task = id,
                sha = sha256
            )));
        };
        fsio::write_with(output, Place::Replace, |w| {
            w.write_all(&bytes)
                .map_err(|e| Error::io(format!("writing {}", output.display()), e))
        })?;
        emit(
            out,
            crate::tr!(
                ctx.lang,
                "evidence.wrote",
                path = output.display(),
                size = bytes.len(),
                sha = full
            ),
        )
    }
}

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
            return Err(Error::Usage(format!(
                "'{sha256}' {}",
                ctx.t(
                    "不是 SHA-256（至少 8 位十六进制数字，见 show 列出的佐证材料）",
                    "is not a SHA-256 (at least 8 hex digits, as show lists the evidence)"
                )
            )));
        }
        fsio::check_output(output, ledger.path())?;
        let found = ledger.read(|c| {
            tasks::require(c, *id)?;
            evidence::content(c, *id, sha256)
        })?;
        let Some((full, bytes)) = found else {
            return Err(Error::NotFound(format!(
                "{} #{id} {} {sha256}{}",
                ctx.t("任务", "task"),
                ctx.t(
                    "没有（或有多个）佐证文件匹配",
                    "has no single evidence file matching"
                ),
                ctx.t("；请用 show 查看其佐证材料", "; `show` lists its evidence"),
            )));
        };
        fsio::write_with(output, Place::Replace, |w| {
            w.write_all(&bytes)
                .map_err(|e| Error::io(format!("writing {}", output.display()), e))
        })?;
        emit(
            out,
            format!(
                "{} {} ({} {}, sha256 {full})",
                ctx.t("已写出", "wrote"),
                output.display(),
                bytes.len(),
                ctx.t("字节", "bytes"),
            ),
        )
    }
}

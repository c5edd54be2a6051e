use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{emit, Ctx};
use crate::db::{backup, Ledger};
use crate::fsio;
use crate::ledger::restore;
use crate::render::printable;
use crate::Result;

#[derive(Debug, Args)]
pub struct Backup {
    /// The new file to write the copy to (it must not exist).
    pub file: PathBuf,
}

impl Backup {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        // An existing file is refused as such by `backup_to`; a new name must still not be
        // one of the ledger's own files (its -wal or -shm may come and go).
        if std::fs::symlink_metadata(&self.file).is_err() {
            fsio::check_output(&self.file, ledger.path())?;
        }
        backup::backup_to(ledger.conn(), &self.file)?;
        emit(
            out,
            format!(
                "{} {}",
                &crate::tr!(ctx.lang, "msg.backup.backed_up_to"),
                printable(&self.file.display().to_string())
            ),
        )
    }
}

#[derive(Debug, Args)]
pub struct Restore {
    #[command(flatten)]
    pub who: super::Who,
    /// The backup to restore; it is checked before the ledger is replaced.
    pub file: PathBuf,
}

impl Restore {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let kept = restore::restore(ledger, &self.file, &ctx.meta.at, ctx.as_of)?;
        emit(
            out,
            format!(
                "{} {}{}{} {}",
                &crate::tr!(ctx.lang, "msg.backup.restored_from"),
                printable(&self.file.display().to_string()),
                &crate::tr!(ctx.lang, "msg.backup.text"),
                &crate::tr!(ctx.lang, "msg.backup.the_replaced_ledger_is_kept"),
                printable(&kept.display().to_string())
            ),
        )
    }
}

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use rusqlite::{Connection, OpenFlags};

use super::{emit, Ctx};
use crate::db::{backup, check, schema, Ledger};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Backup {
    /// The new file to write the copy to (it must not exist).
    pub file: PathBuf,
}

impl Backup {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        backup::backup_to(ledger.conn(), &self.file)?;
        emit(
            out,
            format!(
                "{} {}",
                ctx.t("已备份到", "Backed up to"),
                self.file.display()
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
    /// Checks the backup, keeps the current ledger beside it, then replaces the ledger.
    pub fn check_source(&self, ctx: &Ctx) -> Result<Connection> {
        if !self.file.is_file() {
            return Err(Error::Invalid(format!(
                "{} is not a file; give the path of a backup",
                self.file.display()
            )));
        }
        let src = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Open {
            path: self.file.clone(),
            reason: e.to_string(),
        })?;
        let version = schema::check_readable(&src, &self.file).map_err(|e| match e {
            Error::Sqlite(_) | Error::NoLedger(_) => Error::NotALedger(self.file.clone()),
            e => e,
        })?;
        if version == schema::CURRENT_VERSION {
            let problems = check::check(&src, ctx.as_of)?;
            if let Some(first) = problems.first() {
                return Err(Error::Invalid(format!(
                    "{} fails the ledger check ({} problem(s), first: {first}); nothing was restored",
                    self.file.display(),
                    problems.len()
                )));
            }
        }
        Ok(src)
    }

    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let src = self.check_source(ctx)?;
        let stamp: String = ctx
            .meta
            .at
            .chars()
            .filter(|c| c.is_ascii_digit())
            .take(14)
            .collect();
        let kept = backup::beside(ledger.path(), &format!("replaced-{stamp}"));
        backup::backup_to(ledger.conn(), &kept)?;
        ledger.replace_with(&src)?;
        emit(
            out,
            format!(
                "{} {}{}{} {}",
                ctx.t("已从备份恢复：", "Restored from"),
                self.file.display(),
                ctx.t("；", "; "),
                ctx.t("原台账保存在", "the replaced ledger is kept at"),
                kept.display()
            ),
        )
    }
}

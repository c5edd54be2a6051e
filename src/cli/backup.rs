use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use rusqlite::{Connection, OpenFlags};

use super::{emit, Ctx};
use crate::db::{backup, check, schema, Ledger};
use crate::fsio::{self, Temp};
use crate::report::printable;
use crate::{Error, Result};

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
                ctx.t("已备份到", "Backed up to"),
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

/// A backup brought to the current version in a private temporary copy and checked; the
/// copy is removed when this is dropped.
pub struct Verified {
    pub conn: Connection,
    _copy: Temp,
}

impl Restore {
    /// Verifies the backup, whatever its version, without changing it: it is copied to a
    /// private temporary file beside the ledger, the copy is upgraded to the current version,
    /// and then it must pass every check `check` runs and hold the schema of a new ledger.
    pub fn check_source(&self, ledger: &Ledger, ctx: &Ctx) -> Result<Verified> {
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
        schema::check_readable(&src, &self.file).map_err(|e| match e {
            Error::Sqlite(_) | Error::NoLedger(_) => Error::NotALedger(self.file.clone()),
            e => e,
        })?;
        let copy = Temp::beside(ledger.path())?;
        let unsound = |reason: String| {
            Error::Invalid(format!(
                "{} is not a sound ledger backup ({reason}); nothing was restored",
                self.file.display()
            ))
        };
        backup::copy_into(&src, copy.path()).map_err(|e| {
            if is_disk_error(&e) {
                Error::Invalid(format!(
                    "cannot copy {} beside the ledger to check it ({e}); free some space or \
                     check the folder's permissions; nothing was restored",
                    self.file.display()
                ))
            } else {
                unsound(e.to_string())
            }
        })?;
        drop(src);
        let mut conn = Connection::open_with_flags(
            copy.path(),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::prepare(&mut conn, copy.path(), &ctx.meta.at)
            .map_err(|e| unsound(format!("it cannot be upgraded: {e}")))?;
        let missing = schema_gaps(&conn).map_err(|e| unsound(e.to_string()))?;
        if let Some(first) = missing.first() {
            return Err(unsound(format!(
                "{} schema object(s) missing, first: {first}",
                missing.len()
            )));
        }
        let problems = check::check(&conn, ctx.as_of).map_err(|e| unsound(e.to_string()))?;
        if let Some(first) = problems.first() {
            return Err(Error::Invalid(format!(
                "{} fails the ledger check ({} problem(s), first: {first}); nothing was restored",
                self.file.display(),
                problems.len()
            )));
        }
        Ok(Verified { conn, _copy: copy })
    }

    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let src = self.check_source(ledger, ctx)?;
        let stamp: String = ctx
            .meta
            .at
            .chars()
            .filter(|c| c.is_ascii_digit())
            .take(14)
            .collect();
        let kept = backup::beside(ledger.path(), &format!("replaced-{stamp}"));
        backup::restore(ledger, &src.conn, &kept).map_err(|e| {
            if is_disk_error(&e) {
                Error::Invalid(format!(
                    "cannot write the copy of the ledger to {} or replace it ({e}); free some \
                     space or check the folder's permissions; nothing was restored",
                    kept.display()
                ))
            } else {
                e
            }
        })?;
        drop(src);
        emit(
            out,
            format!(
                "{} {}{}{} {}",
                ctx.t("已从备份恢复：", "Restored from"),
                printable(&self.file.display().to_string()),
                ctx.t("；", "; "),
                ctx.t("原台账保存在", "the replaced ledger is kept at"),
                printable(&kept.display().to_string())
            ),
        )
    }
}

/// The tables, indexes and triggers a new ledger has that `conn` lacks (by type and name), so
/// that a backup with a dropped trigger or table is not taken for a ledger.
fn schema_gaps(conn: &Connection) -> Result<Vec<String>> {
    let fresh = Connection::open_in_memory()?;
    fresh.execute_batch(schema::SCHEMA_SQL)?;
    let names = |c: &Connection| -> Result<std::collections::BTreeSet<String>> {
        let mut s = c.prepare(
            "SELECT type || ' ' || name FROM sqlite_schema
             WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'",
        )?;
        let v = s
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    };
    let have = names(conn)?;
    Ok(names(&fresh)?
        .into_iter()
        .filter(|n| !have.contains(n))
        .collect())
}

/// Whether an error is the disk's (full, failing, not writable) rather than the data's.
fn is_disk_error(e: &Error) -> bool {
    use rusqlite::ErrorCode;
    match e {
        Error::Io { .. } => true,
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => matches!(
            f.code,
            ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::CannotOpen
                | ErrorCode::ReadOnly
                | ErrorCode::PermissionDenied
        ),
        _ => false,
    }
}

//! Restoring a backup: the backup is verified in a private copy (upgraded, checked, its
//! schema complete) before the ledger is replaced, and the replaced ledger is kept beside it.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};

use crate::db::{backup, check, schema, Ledger};
use crate::fsio::Temp;
use crate::{Error, Result};

/// A backup brought to the current version in a private temporary copy and checked; the
/// copy is removed when this is dropped.
pub struct Verified {
    pub conn: Connection,
    _copy: Temp,
}

/// Verifies the backup, whatever its version, without changing it: it is copied to a
/// private temporary file beside the ledger, the copy is upgraded to the current version,
/// and then it must pass every check `check` runs and hold the schema of a new ledger.
pub fn verify(ledger: &Ledger, file: &Path, at: &str, as_of: NaiveDate) -> Result<Verified> {
    if !file.is_file() {
        return Err(Error::refused(crate::msg!(
            "restore.not_a_file",
            path = file.display()
        )));
    }
    let src = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::Open {
        path: file.to_path_buf(),
        reason: e.to_string(),
        source: Some(Box::new(e)),
    })?;
    schema::check_readable(&src, file).map_err(|e| match e {
        Error::Sqlite(_) | Error::NoLedger(_) => Error::NotALedger(file.to_path_buf()),
        e => e,
    })?;
    let copy = Temp::beside(ledger.path())?;
    let unsound = |reason: String| Error::Said {
        kind: crate::ErrorKind::Corrupt,
        msg: crate::msg!("restore.unsound", path = file.display(), reason = reason),
    };
    backup::copy_into(&src, copy.path()).map_err(|e| {
        if is_disk_error(&e) {
            Error::IoFix {
                what: format!(
                    "cannot copy {} beside the ledger to check it",
                    file.display()
                ),
                fix: "free some space or check the folder's permissions; nothing was restored",
                source: Box::new(e),
            }
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
    schema::prepare(&mut conn, copy.path(), at)
        .map_err(|e| unsound(format!("it cannot be upgraded: {e}")))?;
    let missing = schema::missing_objects(&conn).map_err(|e| unsound(e.to_string()))?;
    if let Some(first) = missing.first() {
        return Err(unsound(format!(
            "{} schema object(s) missing, first: {first}",
            missing.len()
        )));
    }
    let problems = check::check(&conn, as_of).map_err(|e| unsound(e.to_string()))?;
    if let Some(first) = problems.first() {
        return Err(Error::Said {
            kind: crate::ErrorKind::Corrupt,
            msg: crate::msg!(
                "restore.fails_check",
                path = file.display(),
                count = problems.len(),
                first = first
            ),
        });
    }
    Ok(Verified { conn, _copy: copy })
}

/// Verifies the backup and replaces the ledger with it; returns where the replaced ledger is
/// kept. `at` is the time of the command, which names the kept copy.
pub fn restore(ledger: &mut Ledger, file: &Path, at: &str, as_of: NaiveDate) -> Result<PathBuf> {
    let src = verify(ledger, file, at, as_of)?;
    let stamp: String = at.chars().filter(|c| c.is_ascii_digit()).take(14).collect();
    let kept = backup::beside(ledger.path(), &format!("replaced-{stamp}"));
    backup::restore(ledger, &src.conn, &kept).map_err(|e| {
        if is_disk_error(&e) {
            Error::IoFix {
                what: format!(
                    "cannot write the copy of the ledger to {} or replace it",
                    kept.display()
                ),
                fix: "free some space or check the folder's permissions; nothing was restored",
                source: Box::new(e),
            }
        } else {
            e
        }
    })?;
    Ok(kept)
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

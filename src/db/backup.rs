//! Consistent copies of a live ledger through SQLite's online backup API.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// A free file name beside `path`: "{path}.{tag}", else "{path}.{tag}.2", ".3"…, so that a
/// kept copy never overwrites an earlier one.
pub fn beside(path: &Path, tag: &str) -> PathBuf {
    let base = path.as_os_str().to_string_lossy().into_owned();
    let mut candidate = PathBuf::from(format!("{base}.{tag}"));
    let mut n = 2;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}.{tag}.{n}"));
        n += 1;
    }
    candidate
}

/// Where the automatic copy taken before upgrading a version-`v` ledger goes.
pub fn upgrade_copy_path(path: &Path, v: i64) -> PathBuf {
    beside(path, &format!("v{v}.bak"))
}

/// Copies the ledger behind `src` into a new file `dest`, readable by its owner only. The copy
/// is taken in one step under one read transaction, so it is a consistent snapshot even while
/// other processes write (in WAL mode they are not held up by it).
pub fn backup_to(src: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::Invalid(format!(
            "{} already exists; choose a new file name for the backup",
            dest.display()
        )));
    }
    let parent = super::folder_of(dest);
    if !parent.is_dir() {
        return Err(Error::MissingFolder(parent.to_path_buf()));
    }
    super::create_private(dest)?;
    let result = (|| -> Result<()> {
        let mut dst = Connection::open_with_flags(
            dest,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            let b = rusqlite::backup::Backup::new(src, &mut dst)?;
            b.step(-1)?;
        }
        // The copy is a plain rollback-journal file: one file that can be mailed or archived.
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        let ok: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::Invalid(format!(
                "the backup failed its integrity check: {ok}"
            )));
        }
        Ok(())
    })();
    if result.is_err() {
        // Never leave a half-written backup that looks like a good one.
        let _ = std::fs::remove_file(dest);
    }
    result
}

//! Consistent copies of a live ledger through SQLite's online backup API, and the restore that
//! replaces a ledger with a checked copy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::Ledger;
use crate::fsio::{Place, Temp};
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
/// other processes write (in WAL mode they are not held up by it). It is written under a
/// temporary name and appears under `dest` only when whole and on disk: a crash or a full disk
/// leaves no partial copy that looks like a good one.
pub fn backup_to(src: &Connection, dest: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dest).is_ok() {
        return Err(Error::conflict(crate::msg!(
            "backup.exists",
            path = dest.display()
        )));
    }
    let parent = super::folder_of(dest);
    if !parent.is_dir() {
        return Err(Error::not_found(crate::msg!(
            "backup.no_folder",
            path = parent.display()
        )));
    }
    let tmp = Temp::beside(dest)?;
    copy_into(src, tmp.path())?;
    tmp.commit(Place::New)
}

/// Copies the whole database behind `src` into the (empty) file at `path` as a plain
/// rollback-journal file: one file that can be mailed or archived, checked after writing.
pub(crate) fn copy_into(src: &Connection, path: &Path) -> Result<()> {
    let mut dst = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    {
        let b = Backup::new(src, &mut dst)?;
        finish(&b)?;
    }
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    let ok: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Corrupt(format!(
            "the copy failed its integrity check: {ok}"
        )));
    }
    dst.close().map_err(|(_, e)| Error::Sqlite(e))
}

/// Runs a backup to its end. A source or destination another connection keeps locked is
/// `Error::Busy`, never a silent partial copy.
fn finish(b: &Backup<'_, '_>) -> Result<()> {
    loop {
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => continue,
            StepResult::Busy | StepResult::Locked => return Err(Error::Busy),
            // rusqlite's enum is non-exhaustive.
            _ => return Err(Error::Busy),
        }
    }
}

/// Replaces the whole content of `ledger` with that of `src` (a checked ledger of the current
/// version), first writing the ledger as it is to the new file `kept`.
///
/// The ledger is taken exclusively first: the backup's first step takes the ledger's write
/// lock, waiting for other writers as long as a writer would. While it holds the lock the
/// current content is copied to `kept` through a second connection, which therefore holds
/// every write committed before the restore; then the copy runs to its end and commits. Writers
/// that start meanwhile wait for the lock and land in the restored ledger (or give up as busy);
/// none can commit between the kept copy and the replacement. On any failure the backup is
/// dropped before its end, which rolls the ledger back, and no kept copy is left.
pub fn restore(ledger: &mut Ledger, src: &Connection, kept: &Path) -> Result<()> {
    restore_within(
        ledger,
        src,
        kept,
        super::BUSY_TIMEOUT * super::WRITE_ATTEMPTS,
    )
}

/// `restore`, giving up as busy when the ledger's write lock is not free within `patience`.
fn restore_within(
    ledger: &mut Ledger,
    src: &Connection,
    kept: &Path,
    patience: Duration,
) -> Result<()> {
    let path = ledger.path.clone();
    let started = Instant::now();
    let b = Backup::new(src, &mut ledger.conn)?;
    // A step of no pages only takes the locks: the read lock on the source and the write lock
    // on the ledger, which the backup then keeps until it is done or dropped. SQLite's busy
    // handler waits on the first step only (its count is not reset between steps), so later
    // attempts are spaced here, for as long as a writer would wait in all.
    loop {
        match b.step(0)? {
            StepResult::More | StepResult::Done => break,
            _ if started.elapsed() < patience => std::thread::sleep(Duration::from_millis(50)),
            _ => return Err(Error::Busy),
        }
    }
    let reader = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    backup_to(&reader, kept)?;
    drop(reader);
    if let Err(e) = finish(&b) {
        drop(b);
        let _ = std::fs::remove_file(kept);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::db::testing::{meta, task};
    use crate::db::{tasks, Access};

    const NOW: &str = "2025-03-01T09:00:00+08:00";

    fn titles(c: &Connection) -> Vec<String> {
        let mut s = c.prepare("SELECT title FROM task ORDER BY id").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// A new ledger at `path`, made the way a first command makes one, then opened.
    fn new_ledger(path: &std::path::Path) -> Ledger {
        Ledger::create_with(path, NOW, |_| Ok(())).unwrap();
        Ledger::open(path, Access::Write, NOW).unwrap()
    }

    #[test]
    fn restore_keeps_the_old_content_and_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut l = new_ledger(&path);
        l.write(&meta(), |w| tasks::insert(w, &task("旧"), None))
            .unwrap();
        let mut src = Ledger::open_in_memory(NOW).unwrap();
        src.write(&meta(), |w| tasks::insert(w, &task("新"), None))
            .unwrap();
        let kept = dir.path().join("t.db.replaced-1");
        restore(&mut l, src.conn(), &kept).unwrap();
        assert_eq!(titles(l.conn()), vec!["新"]);
        let k = Connection::open(&kept).unwrap();
        assert_eq!(titles(&k), vec!["旧"]);
    }

    #[test]
    fn restore_while_another_writer_holds_the_ledger_is_busy_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut l = new_ledger(&path);
        l.write(&meta(), |w| tasks::insert(w, &task("旧"), None))
            .unwrap();
        l.conn().busy_timeout(Duration::from_millis(100)).unwrap();
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let mut src = Ledger::open_in_memory(NOW).unwrap();
        src.write(&meta(), |w| tasks::insert(w, &task("新"), None))
            .unwrap();
        let kept = dir.path().join("t.db.replaced-1");
        let e = restore_within(&mut l, src.conn(), &kept, Duration::from_millis(300)).unwrap_err();
        assert!(matches!(e, Error::Busy), "{e}");
        holder.execute_batch("ROLLBACK").unwrap();
        assert_eq!(titles(l.conn()), vec!["旧"]);
        assert!(!kept.exists());
    }

    #[test]
    fn restore_waits_for_a_writer_and_keeps_what_it_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut l = new_ledger(&path);
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        holder
            .execute(
                "INSERT INTO meta(key, value) VALUES ('probe', 'committed')",
                [],
            )
            .unwrap();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            holder.execute_batch("COMMIT").unwrap();
        });
        let src = Ledger::open_in_memory(NOW).unwrap();
        let kept = dir.path().join("t.db.replaced-1");
        restore_within(&mut l, src.conn(), &kept, Duration::from_secs(30)).unwrap();
        writer.join().unwrap();
        let k = Connection::open(&kept).unwrap();
        let v: String = k
            .query_row("SELECT value FROM meta WHERE key = 'probe'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(v, "committed");
        let n: i64 = l
            .conn()
            .query_row("SELECT count(*) FROM meta WHERE key = 'probe'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 0, "the restored ledger is the backup's content");
    }
}

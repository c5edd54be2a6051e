//! Files at the edge of the ledger: every file taizhang writes appears whole under its final
//! name or not at all, never lands on the ledger or a special file, and every file it reads is
//! read with a limit.
//!
//! A file is written into a temporary file in the same folder, flushed to disk, renamed (or,
//! when it must not replace anything, hard-linked) into place, and the folder is flushed so the
//! new name survives a power cut. The temporary name carries a mark and the writer's process
//! id, so that when a process is killed mid-write the next writer in that folder recognises
//! the leftover of a process that no longer runs and removes it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Error, Result};

/// The mark in every temporary file name: `.{final name}.taizhang-tmp.{host}-{pid}.{n}`, where
/// host is a short tag of the machine's name, so that a folder shared between machines is
/// swept only of this machine's leftovers. SQLite's own side files of such a file
/// (`…-journal`) carry the mark too.
pub const TMP_MARK: &str = ".taizhang-tmp.";

/// The path that means standard output for `-o` and standard input for a file read.
pub const DASH: &str = "-";

/// How a finished temporary file takes its final name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Replace whatever regular file has the name (an export written again).
    Replace,
    /// Fail if the name exists (a backup never overwrites a file).
    New,
}

/// Who may read a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only its owner (0600): the ledger, its backups and copies, which hold every change.
    Private,
    /// What the user's umask allows (0644 under umask 022): a document written with `-o` is
    /// meant to be shared, often on a shared drive, like any file an editor saves.
    Document,
}

impl Mode {
    /// The permission bits asked for at creation; the system takes the umask off them.
    #[cfg(unix)]
    fn bits(self) -> u32 {
        match self {
            Mode::Private => 0o600,
            Mode::Document => 0o666,
        }
    }
}

/// A temporary file beside its final path. Dropping it without `commit` removes it, so every
/// error path cleans up.
pub struct Temp {
    path: PathBuf,
    dest: PathBuf,
    file: Option<File>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl Temp {
    /// Creates a private (mode 0600) temporary file in the folder of `dest`, first removing
    /// the leftovers of killed writers there.
    pub fn beside(dest: &Path) -> Result<Temp> {
        Temp::beside_with(dest, Mode::Private)
    }

    /// Creates a temporary file in the folder of `dest` with the permissions of `mode`.
    pub fn beside_with(dest: &Path, mode: Mode) -> Result<Temp> {
        Temp::create_beside(dest, mode).map_err(|e| write_error(dest, e))
    }

    /// A private temporary file beside `dest` for a writer that opens it by name (SQLite: a
    /// new ledger, the copy kept before an upgrade), with this handle closed at once, because
    /// closing a second handle of a file drops the POSIX locks SQLite holds on it. The error
    /// is left to the caller, which knows what the file was for.
    pub fn named_beside(dest: &Path) -> std::io::Result<Temp> {
        let mut t = Temp::create_beside(dest, Mode::Private)?;
        drop(t.file.take());
        Ok(t)
    }

    fn create_beside(dest: &Path, mode: Mode) -> std::io::Result<Temp> {
        let dir = crate::db::folder_of(dest);
        sweep(dir);
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let pid = format!("{}-{}", host_tag(), std::process::id());
        let mut last = None;
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{name}{TMP_MARK}{pid}.{n}"));
            let mut opts = OpenOptions::new();
            opts.write(true).read(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(mode.bits());
            }
            #[cfg(not(unix))]
            let _ = mode;
            match opts.open(&path) {
                Ok(file) => {
                    return Ok(Temp {
                        path,
                        dest: dest.to_path_buf(),
                        file: Some(file),
                    })
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
    }

    /// Where the temporary file is, for writers that open it by name (SQLite, the workbook).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open temporary file, for writers that stream into it.
    pub fn file(&mut self) -> Result<&mut File> {
        match self.file.as_mut() {
            Some(f) => Ok(f),
            None => Err(write_error(
                &self.dest,
                std::io::Error::other("the temporary file is closed"),
            )),
        }
    }

    /// Flushes the file to disk and gives it its final name, then flushes the folder so the
    /// name is durable too.
    pub fn commit(mut self, place: Place) -> Result<()> {
        let dest = self.dest.clone();
        let err = |e| write_error(&dest, e);
        // Writers that wrote through the path (SQLite) left the handle's view stale, so the
        // file is opened afresh to flush what is on disk.
        drop(self.file.take());
        File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(err)?;
        match place {
            Place::Replace => std::fs::rename(&self.path, &dest).map_err(err)?,
            Place::New => {
                if !link_new(&self.path, &dest).map_err(err)? {
                    return Err(Error::conflict(crate::msg!(
                        "file.exists",
                        path = dest.display()
                    )));
                }
            }
        }
        // The temporary name is gone (renamed) or a second name of the final file (linked).
        let _ = std::fs::remove_file(&self.path);
        sync_folder(crate::db::folder_of(&dest));
        Ok(())
    }
}

impl Temp {
    /// Flushes the finished file and gives it the name `dest` only if no file has it, then
    /// flushes the folder. Returns false when the name was taken, leaving the temporary file
    /// for another name; it is removed when dropped (a linked name is a second name of it).
    pub fn publish_new(&mut self, dest: &Path) -> std::io::Result<bool> {
        drop(self.file.take());
        File::open(&self.path)?.sync_all()?;
        if !link_new(&self.path, dest)? {
            return Ok(false);
        }
        sync_folder(crate::db::folder_of(dest));
        Ok(true)
    }
}

/// Gives the file at `path` the second name `dest` only if no file has it, and returns false
/// when it was taken: a hard link fails rather than replaces. On a file system without hard
/// links (FAT on a USB stick, some network shares) the name is checked and then renamed to,
/// which is atomic for the content if not for the check.
fn link_new(path: &Path, dest: &Path) -> std::io::Result<bool> {
    match std::fs::hard_link(path, dest) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) => {
            if std::fs::symlink_metadata(dest).is_ok() {
                return Ok(false);
            }
            std::fs::rename(path, dest)?;
            Ok(true)
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        drop(self.file.take());
        remove_with_side_files(&self.path);
    }
}

/// Writes the document `dest` whole or not at all through `f`, which streams into a buffered
/// writer; the file follows the umask (`Mode::Document`).
pub fn write_with(
    dest: &Path,
    place: Place,
    f: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    write_with_mode(dest, place, Mode::Document, f)
}

/// Writes `dest` whole or not at all through `f` with the permissions of `mode`.
pub fn write_with_mode(
    dest: &Path,
    place: Place,
    mode: Mode,
    f: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut tmp = Temp::beside_with(dest, mode)?;
    {
        let file = tmp.file()?;
        let mut w = std::io::BufWriter::new(file);
        f(&mut w)?;
        w.flush().map_err(|e| write_error(dest, e))?;
    }
    tmp.commit(place)
}

/// Writes the document `dest` whole or not at all through `f`, which gets the open file
/// itself (for writers that seek, such as the workbook's zip); the file follows the umask.
pub fn write_file_with(
    dest: &Path,
    place: Place,
    f: impl FnOnce(&mut File) -> Result<()>,
) -> Result<()> {
    let mut tmp = Temp::beside_with(dest, Mode::Document)?;
    f(tmp.file()?)?;
    tmp.commit(place)
}

/// A writer that keeps the first write error instead of returning it, and takes (and drops)
/// everything after it. For libraries that unwrap their write results (the workbook writer
/// panics on a full disk): they run to their end, and `finish` then reports the error, so the
/// file is discarded with one clear line instead of a panic.
pub struct Latch<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W> Latch<W> {
    pub fn new(inner: W) -> Latch<W> {
        Latch { inner, error: None }
    }

    /// The first write error, if there was one.
    pub fn finish(self) -> std::io::Result<()> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl<W: Write> Write for Latch<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_none() {
            if let Err(e) = self.inner.write_all(buf) {
                self.error = Some(e);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
        Ok(())
    }
}

impl<W: std::io::Seek> std::io::Seek for Latch<W> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

fn write_error(dest: &Path, e: std::io::Error) -> Error {
    Error::io(format!("cannot write {}", dest.display()), e)
}

/// Flushes a folder's entries to disk (a rename is durable only then). Not every platform can
/// open a folder for this; there the rename is as durable as the platform makes it.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes a file and the side files SQLite may have made beside it.
fn remove_with_side_files(path: &Path) {
    let base = path.as_os_str().to_string_lossy().into_owned();
    for p in [
        base.clone(),
        format!("{base}-journal"),
        format!("{base}-wal"),
        format!("{base}-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
}

/// Removes the temporary files of writers that were killed (their process no longer runs) from
/// `dir`. Files of live processes, and anything without the mark, are left alone.
pub fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    let here = host_tag();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((_, rest)) = name.split_once(TMP_MARK) else {
            continue;
        };
        let Some((host, pid)) = rest.split('.').next().and_then(|p| p.split_once('-')) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if host == here && pid != me && !process_runs(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Eight hex digits naming this machine (from its host name; "local" where it cannot be read).
fn host_tag() -> String {
    use sha2::{Digest, Sha256};
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_else(|_| "local".into());
    Sha256::digest(name.trim().as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a process with this id runs. Where that cannot be told (no /proc), it is assumed to
/// run, so that a live writer's file is never removed.
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Refuses an output path that is the ledger or one of its files (-wal, -shm, -journal, the
/// upgrade copies and `.replaced-…` copies), or that exists and is not a regular file (a
/// symlink, a device, a FIFO, a folder). A new file in an existing folder is fine.
pub fn check_output(dest: &Path, ledger: &Path) -> Result<()> {
    let dir = crate::db::folder_of(dest);
    if !dir.is_dir() {
        return Err(Error::not_found(crate::msg!(
            "file.no_folder_for_output",
            path = dir.display()
        )));
    }
    if let Ok(m) = std::fs::symlink_metadata(dest) {
        if m.file_type().is_symlink() {
            return Err(Error::refused(crate::msg!(
                "file.symlink",
                path = dest.display()
            )));
        }
        if !m.is_file() {
            return Err(Error::refused(crate::msg!(
                "file.not_regular_output",
                path = dest.display()
            )));
        }
        if same_file_as_ledger(&m, ledger) {
            return Err(refuse_ledger(dest, ledger));
        }
    }
    let (Some(d), Some(l)) = (full_path(dest), full_path(ledger)) else {
        return Ok(());
    };
    let l = l.as_os_str().to_string_lossy().into_owned();
    let d = d.as_os_str().to_string_lossy().into_owned();
    let companion = d == l
        || ["-wal", "-shm", "-journal"]
            .iter()
            .any(|s| d == format!("{l}{s}"))
        || d.strip_prefix(&format!("{l}.")).is_some_and(|rest| {
            rest.starts_with("replaced-") || (rest.starts_with('v') && rest.contains(".bak"))
        });
    if companion {
        return Err(refuse_ledger(dest, ledger));
    }
    Ok(())
}

fn refuse_ledger(dest: &Path, ledger: &Path) -> Error {
    Error::refused(crate::msg!(
        "file.is_ledger",
        path = dest.display(),
        ledger = ledger.display()
    ))
}

/// Whether an existing output file is the ledger or one of its companions under another name
/// (a hard link): the same device and inode.
#[cfg(unix)]
fn same_file_as_ledger(m: &std::fs::Metadata, ledger: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let base = ledger.as_os_str().to_string_lossy().into_owned();
    [
        base.clone(),
        format!("{base}-wal"),
        format!("{base}-shm"),
        format!("{base}-journal"),
    ]
    .iter()
    .filter_map(|p| std::fs::metadata(p).ok())
    .any(|l| l.dev() == m.dev() && l.ino() == m.ino())
}

#[cfg(not(unix))]
fn same_file_as_ledger(_m: &std::fs::Metadata, _ledger: &Path) -> bool {
    false
}

/// The absolute path of a file whose folder exists: the folder resolved (symlinks, `..`) and
/// the file name appended. None when the folder cannot be resolved.
fn full_path(p: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(crate::db::folder_of(p)).ok()?;
    Some(dir.join(p.file_name()?))
}

/// Refuses an input path that cannot be read with a limit: a folder, a device, a FIFO or a
/// socket (reading them blocks or never ends). `-` (standard input) is allowed: it is read
/// with a limit. Symlinks to regular files are fine.
pub fn check_input(path: &Path) -> Result<()> {
    if path.as_os_str() == DASH {
        return Ok(());
    }
    let m = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if m.is_dir() {
        return Err(Error::refused(crate::msg!(
            "file.is_directory",
            path = path.display()
        )));
    }
    if !m.is_file() {
        return Err(Error::refused(crate::msg!(
            "file.not_regular_input",
            path = path.display()
        )));
    }
    Ok(())
}

/// Reads at most `limit` bytes of `path` (`-` is standard input), refusing special files.
/// Returns `Ok(None)` when there is more than `limit`: the reading stopped at `limit + 1`
/// bytes, whatever the size of the input.
pub fn read_limited(path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
    check_input(path)?;
    let err = |e| Error::io(format!("cannot read {}", path.display()), e);
    let mut buf = Vec::new();
    if path.as_os_str() == DASH {
        std::io::stdin()
            .lock()
            .take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(err)?;
    } else {
        let f = File::open(path).map_err(err)?;
        // The file may have been swapped for a special one since it was checked.
        if !f.metadata().map_err(err)?.is_file() {
            return Err(Error::refused(crate::msg!(
                "file.not_regular",
                path = path.display()
            )));
        }
        f.take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(err)?;
    }
    if buf.len() as u64 > limit {
        return Ok(None);
    }
    Ok(Some(buf))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_a_good_one_only_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.md");
        let r = write_with(&dest, Place::Replace, |w| {
            w.write_all(b"half").map_err(|e| Error::io("x", e))?;
            Err(Error::Refused("stop".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_with(&dest, Place::Replace, |w| {
            w.write_all(b"whole").map_err(|e| Error::io("x", e))
        })
        .unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A new file never replaces one.
        let r = write_with(&dest, Place::New, |w| {
            w.write_all(b"other").map_err(|e| Error::io("x", e))
        });
        assert!(r.unwrap_err().to_string().contains("already exists"));
        assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn sweep_removes_only_leftovers_of_dead_processes() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's maximum (2^22) never run.
        let h = host_tag();
        let dead = dir.path().join(format!(".bk.db{TMP_MARK}{h}-99999999.0"));
        let dead_journal = dir
            .path()
            .join(format!(".bk.db{TMP_MARK}{h}-99999999.0-journal"));
        let mine = dir
            .path()
            .join(format!(".bk.db{TMP_MARK}{h}-{}.7", std::process::id()));
        // Another machine's leftover in a shared folder is not this machine's to judge.
        let elsewhere = dir
            .path()
            .join(format!(".bk.db{TMP_MARK}0000abcd-99999999.0"));
        let other = dir.path().join("bk.db");
        for p in [&dead, &dead_journal, &mine, &other, &elsewhere] {
            std::fs::write(p, b"x").unwrap();
        }
        sweep(dir.path());
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists() && !dead_journal.exists());
        }
        assert!(mine.exists() && other.exists() && elsewhere.exists());
    }

    #[test]
    fn outputs_that_are_the_ledger_or_its_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("t.db");
        std::fs::write(&ledger, b"x").unwrap();
        for name in [
            "t.db",
            "t.db-wal",
            "t.db-shm",
            "t.db-journal",
            "t.db.v4.bak",
            "t.db.v4.bak.2",
            "t.db.replaced-20250301",
        ] {
            let e = check_output(&dir.path().join(name), &ledger).unwrap_err();
            assert!(e.to_string().contains("ledger"), "{name}: {e}");
        }
        let dotted = dir.path().join(".").join("t.db");
        assert!(check_output(&dotted, &ledger).is_err());
        assert!(check_output(&dir.path().join("t.db.md"), &ledger).is_ok());
        assert!(check_output(&dir.path().join("report.md"), &ledger).is_ok());
    }

    #[test]
    fn reads_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("in.txt");
        std::fs::write(&f, vec![b'a'; 100]).unwrap();
        assert_eq!(read_limited(&f, 100).unwrap().unwrap().len(), 100);
        assert!(read_limited(&f, 99).unwrap().is_none());
        assert!(read_limited(dir.path(), 10).is_err());
        #[cfg(unix)]
        assert!(read_limited(Path::new("/dev/zero"), 10).is_err());
    }

    /// A writer with room for `room` bytes, like a disk about to be full.
    struct Small {
        room: usize,
    }

    impl Write for Small {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.room {
                return Err(std::io::Error::other("No space left on device"));
            }
            self.room -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_latch_keeps_the_first_write_error_for_the_end() {
        let mut l = Latch::new(Small { room: 10 });
        l.write_all(b"12345").unwrap();
        // The library sees success and runs to its end …
        l.write_all(b"too much for the rest").unwrap();
        l.write_all(b"more").unwrap();
        l.flush().unwrap();
        // … and the error comes out once, afterwards.
        assert!(l.finish().unwrap_err().to_string().contains("No space"));
        let mut ok = Latch::new(Small { room: 10 });
        ok.write_all(b"fits").unwrap();
        assert!(ok.finish().is_ok());
    }
}

//! The ledger file: opening it the right way for reading or writing, and running each command
//! in one transaction. All SQL of taizhang lives in this module and its children.

pub mod backup;
pub mod bulk;
pub mod carry;
pub mod check;
pub mod documents;
pub mod evidence;
pub mod fill;
pub mod history;
pub mod names;
pub mod notice;
pub mod periods;
pub mod progress;
pub mod recur;
pub mod refs;
pub mod replay;
pub mod requests;
pub mod rows;
pub mod schema;
pub mod settings;
pub mod tally;
pub mod tally_by;
pub mod tasks;
pub mod undo;
pub mod units;
pub mod warn;
mod words;

use std::cell::Cell;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{ffi, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::model::Outline;
use crate::{Error, Result};

/// How long one attempt waits for another writer before giving up; the whole transaction is then
/// retried, up to `WRITE_ATTEMPTS` times. The unit tests wait a few milliseconds instead, so
/// that they can show what happens when the wait runs out.
const BUSY_TIMEOUT: Duration = if cfg!(test) {
    Duration::from_millis(50)
} else {
    Duration::from_secs(5)
};
const WRITE_ATTEMPTS: u32 = 4;

/// Whether a command only reads the ledger or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    /// The private folder of the copy this ledger is read from when the file cannot be read
    /// in place (see `open_private_copy`). It is declared after `conn` so that the connection
    /// is closed before the folder is removed.
    _private: Option<tempfile::TempDir>,
    /// When the changes written next took effect, from `--on` (the start of that day); `None`
    /// means when they are recorded. See `Writer::effective` for how it is checked per task.
    on: Option<String>,
}

impl Ledger {
    /// Opens the existing ledger at `path`. For writing, an older schema is upgraded; for
    /// reading, the file is opened read-only, so that a read never writes to it (except to roll
    /// back a hot journal, which SQLite needs before anyone can read). A missing file is an
    /// error: new ledgers are made whole by `create_with`.
    pub fn open(path: &Path, access: Access, now: &str) -> Result<Ledger> {
        check_file_kind(path)?;
        if !path.exists() {
            return Err(Error::NoLedger(path.to_path_buf()));
        }
        match access {
            Access::Write => Self::open_write(path, now),
            Access::Read => {
                let ledger = Self::open_read(path, now)?;
                match schema::check_readable(&ledger.conn, path) {
                    Ok(v) if v < schema::CURRENT_VERSION => {
                        // An older ledger is upgraded once, by a writing connection, then read.
                        drop(ledger);
                        match Self::open_write(path, now) {
                            Ok(w) => {
                                drop(w);
                                Self::open_read(path, now)
                            }
                            // A writer holds the ledger: copying it now could catch it
                            // half-written, so the reader says it is busy instead.
                            Err(e) if is_busy(&e) => Err(Error::Busy),
                            // Where the ledger cannot be upgraded in place (a read-only
                            // medium, a folder that is not ours), a private copy is upgraded
                            // and read instead: reading must not depend on writing.
                            Err(_) => Self::open_private_copy(path, now),
                        }
                    }
                    Ok(_) => Ok(ledger),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Creates a new ledger at `path` and runs `f` on it, so that a first command either
    /// leaves a whole ledger with its work or nothing at all. The ledger is built and `f` runs
    /// under a temporary name in the same folder; only when `f` succeeds is the file linked
    /// to `path`, which fails if the name is taken. So a ledger appears at `path` whole, two
    /// first commands never share a half-made file, and a failure only ever removes this
    /// process's own temporary file, never a ledger another process could have opened.
    ///
    /// Returns `None` when another process created the ledger first: nothing of `f`'s work is
    /// kept, and the caller runs its command again on that ledger.
    pub fn create_with<T>(
        path: &Path,
        now: &str,
        f: impl FnOnce(&mut Ledger) -> Result<T>,
    ) -> Result<Option<T>> {
        let folder = folder_of(path);
        if !folder.is_dir() {
            return Err(Error::MissingFolder(folder.to_path_buf()));
        }
        let mut temp = temp_beside(path)?;
        let out = {
            let mut ledger = Self::open_write(temp.path(), now)?;
            ledger.path = path.to_path_buf();
            // Nobody else knows the temporary file, so the WAL's gift (readers beside a
            // writer) is of no use while it is built, and its cost is high for a bulk first
            // command: every page is written twice (WAL, then checkpoint), and a page read
            // back looks through every 4096-frame table of the WAL, which made a 1M-task
            // import superlinear. A rollback journal writes each new page once and journals
            // only the few pages the empty ledger had, and still rolls a failed command back
            // whole; a crash leaves only the unpublished temporary file. WAL is restored
            // before the file is published.
            ledger.journal_mode("DELETE")?;
            let out = f(&mut ledger)?;
            ledger.journal_mode("WAL")?;
            ledger.seal()?;
            out
        };
        match temp.publish_new(path) {
            Ok(true) => Ok(Some(out)),
            Ok(false) => Ok(None),
            Err(e) => Err(Error::Open {
                path: path.to_path_buf(),
                reason: format!("the new ledger could not be put in place: {e}"),
                source: Some(Box::new(e)),
            }),
        }
    }

    /// Switches the journal of a ledger only this process knows (see `create_with`).
    fn journal_mode(&self, mode: &str) -> Result<()> {
        let now: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", mode, |r| r.get(0))
            .map_err(|e| ledger_error(&self.path, e))?;
        if !now.eq_ignore_ascii_case(mode) {
            return Err(Error::Open {
                path: self.path.clone(),
                reason: format!("its journal cannot be switched to {mode} (it is {now})"),
                source: None,
            });
        }
        Ok(())
    }

    /// Folds everything into the main file and closes it, so that the file alone is the whole
    /// ledger (before it is linked into place).
    fn seal(self) -> Result<()> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .map_err(|e| ledger_error(&self.path, e))?;
        if busy != 0 {
            // Nobody else knows the temporary file, so this does not happen; if it did, the
            // WAL would still hold part of the ledger and the file must not be published.
            return Err(Error::Busy);
        }
        self.conn
            .close()
            .map_err(|(_, e)| ledger_error(&self.path, e))
    }

    fn open_read(path: &Path, now: &str) -> Result<Ledger> {
        match Self::open_read_in_place(path) {
            Ok(ledger) => Ok(ledger),
            Err(e) => match sqlite_code(&e) {
                // A WAL ledger on a read-only medium (an archived copy, a read-only share)
                // cannot get the -shm file SQLite wants beside it. Nobody can write the file
                // there, so with an empty WAL it is read as immutable. A WAL with content
                // would be ignored by an immutable reader: a silently stale answer. Then the
                // ledger and its WAL are copied to a private folder and read there.
                Some((ErrorCode::CannotOpen, _)) => {
                    if has_content(&sidecar(path, "-wal")) {
                        Self::open_private_copy(path, now)
                    } else {
                        Self::open_immutable(path)
                    }
                }
                // A hot journal left by a write that was cut short (a killed upgrade): a
                // read-only connection cannot roll it back. A writing connection does, where
                // it can; elsewhere the ledger and its journal are rolled back in a private
                // copy.
                Some((ErrorCode::ReadOnly, ffi::SQLITE_READONLY_ROLLBACK)) => {
                    if recover_hot_journal(path).is_ok() {
                        Self::open_read_in_place(path).map_err(|e| ledger_error(path, e))
                    } else {
                        Self::open_private_copy(path, now)
                    }
                }
                _ => Err(ledger_error(path, e)),
            },
        }
    }

    fn open_read_in_place(path: &Path) -> rusqlite::Result<Ledger> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let ledger = Ledger {
            on: None,
            conn,
            path: path.to_path_buf(),
            _private: None,
        };
        ledger.configure()?;
        Ok(ledger)
    }

    fn open_immutable(path: &Path) -> Result<Ledger> {
        let conn = Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| open_error(path, e))?;
        let ledger = Ledger {
            on: None,
            conn,
            path: path.to_path_buf(),
            _private: None,
        };
        ledger.configure().map_err(|e| ledger_error(path, e))?;
        Ok(ledger)
    }

    /// Reads the ledger from a private copy: the file with its -wal or -journal copied into a
    /// new folder of the system's temporary folder (mode 0700, files 0600), where SQLite can
    /// replay the WAL, roll back the journal and upgrade an older schema. The copy is opened
    /// query-only and removed when the ledger is closed; the original is never written.
    fn open_private_copy(path: &Path, now: &str) -> Result<Ledger> {
        let fail = |e: std::io::Error| Error::Open {
            path: path.to_path_buf(),
            reason: format!(
                "it cannot be read in place and a private copy to read could not be made: {e}"
            ),
            source: Some(Box::new(e)),
        };
        let dir = tempfile::Builder::new()
            .prefix("taizhang-read-")
            .tempdir()
            .map_err(fail)?;
        let copy = dir.path().join("ledger.db");
        // Where nobody can write (a read-only medium) the files cannot change while they are
        // copied. Where someone else can (a shared folder this user may only read), a copy
        // taken while they write could mix two states: the files are compared before and
        // after, and copied again if they changed.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let before = file_states(path);
            copy_with_sidecars(path, &copy).map_err(fail)?;
            if file_states(path) == before {
                break;
            }
            if attempt == WRITE_ATTEMPTS {
                return Err(Error::Busy);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        // Errors name the ledger the user gave, not the private copy.
        let named = |e: Error| match e {
            Error::NotALedger(_) => Error::NotALedger(path.to_path_buf()),
            Error::ForeignDatabase(_) => Error::ForeignDatabase(path.to_path_buf()),
            Error::NewerSchema {
                found, supported, ..
            } => Error::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported,
            },
            Error::Open { reason, source, .. } => Error::Open {
                path: path.to_path_buf(),
                reason,
                source,
            },
            e => e,
        };
        let mut ledger = Self::open_write_as(&copy, now, false).map_err(named)?;
        ledger
            .conn
            .pragma_update(None, "query_only", true)
            .map_err(|e| ledger_error(path, e))?;
        ledger.path = path.to_path_buf();
        ledger._private = Some(dir);
        Ok(ledger)
    }

    /// Opens an existing ledger for writing, upgrading an older schema. Busy results anywhere
    /// on the way (the journal mode, an upgrade step) retry the whole opening, like a write.
    fn open_write(path: &Path, now: &str) -> Result<Ledger> {
        Self::open_write_as(path, now, true)
    }

    fn open_write_as(path: &Path, now: &str, keep_copy: bool) -> Result<Ledger> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::try_open_write(path, now, keep_copy) {
                Err(e) if is_busy(&e) && attempt < WRITE_ATTEMPTS => continue,
                Err(e) if is_busy(&e) => return Err(Error::Busy),
                other => return other,
            }
        }
    }

    fn try_open_write(path: &Path, now: &str, keep_copy: bool) -> Result<Ledger> {
        let parent = folder_of(path);
        if !parent.is_dir() {
            return Err(Error::MissingFolder(parent.to_path_buf()));
        }
        // The file is never created here (SQLITE_OPEN_CREATE is not given): a new ledger
        // comes into being whole through `create_with`.
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, e))?;
        let mut ledger = Ledger {
            on: None,
            conn,
            path: path.to_path_buf(),
            _private: None,
        };
        ledger.configure().map_err(|e| ledger_error(path, e))?;
        // Nothing is written to a ledger this binary cannot handle, not even the journal mode.
        let version = schema::version(&ledger.conn).map_err(|e| match e {
            Error::Sqlite(e) => ledger_error(path, e),
            e => e,
        })?;
        if version > schema::CURRENT_VERSION {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported: schema::CURRENT_VERSION,
            });
        }
        if version == 0 && schema::has_tables(&ledger.conn)? {
            return Err(Error::ForeignDatabase(path.to_path_buf()));
        }
        if keep_copy && version > 0 && version < schema::CURRENT_VERSION {
            // An upgrade changes the file for good: keep the ledger as it was beside it first.
            keep_upgrade_copy(&ledger.conn, path, version)?;
        }
        let mode: String = ledger
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(|e| ledger_error(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Open {
                path: path.to_path_buf(),
                reason: format!("its journal cannot be switched to WAL (it is {mode})"),
                source: None,
            });
        }
        schema::prepare(&mut ledger.conn, path, now).map_err(|e| match e {
            Error::Sqlite(e) => ledger_error(path, e),
            e => e,
        })?;
        Ok(ledger)
    }

    /// An empty in-memory ledger, for tests.
    pub fn open_in_memory(now: &str) -> Result<Ledger> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::prepare(&mut conn, Path::new(":memory:"), now)?;
        Ok(Ledger {
            on: None,
            conn,
            path: PathBuf::from(":memory:"),
            _private: None,
        })
    }

    fn configure(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // FULL makes each committed command durable across a power cut, not only a crash:
        // these are the office's records and commands are few.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // Reading the version touches the file header, so a file that is not SQLite fails here
        // rather than in the middle of a command.
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
            .map(|_| ())
    }

    /// Where the ledger lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one read transaction, so that everything a command prints comes from one
    /// consistent snapshot even while others write.
    pub fn read<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        // Ending a read transaction writes nothing to the file.
        tx.finish()?;
        Ok(out)
    }

    /// Runs `f` as one IMMEDIATE write transaction that commits only if `f` succeeds. When
    /// another writer holds the ledger past the busy timeout, the whole transaction is retried
    /// (so `f` must only change the ledger through the writer it is given).
    pub fn write<T>(
        &mut self,
        meta: &ChangeMeta,
        mut f: impl FnMut(&Writer) -> Result<T>,
    ) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_write(meta, &mut f) {
                Err(e) if is_busy(&e) && attempt < WRITE_ATTEMPTS => continue,
                Err(e) if is_busy(&e) => return Err(Error::Busy),
                // A ledger that opened but cannot be written (a read-only medium whose -shm
                // file already exists) is said so, not reported as an SQL error.
                Err(Error::Sqlite(e)) => return Err(ledger_error(&self.path, e)),
                other => return other,
            }
        }
    }

    fn try_write<T>(
        &mut self,
        meta: &ChangeMeta,
        f: &mut impl FnMut(&Writer) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The recorded time never goes back: a clock set behind the last change (another
        // machine's clock, or TAIZHANG_NOW in a test) records at the last change's time, so
        // that `at` is non-decreasing with the change id.
        let last: Option<String> = tx
            .query_row("SELECT at FROM change ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        let clamped;
        let meta = match last {
            Some(last) if wall(&last) > wall(&meta.at) => {
                clamped = ChangeMeta {
                    at: last,
                    ..meta.clone()
                };
                &clamped
            }
            _ => meta,
        };
        let out = {
            let w = Writer {
                conn: &tx,
                meta,
                on: self.on.as_deref(),
                lenient: Cell::new(false),
                change_id: Cell::new(None),
                default_effective: std::cell::RefCell::new(None),
            };
            f(&w)?
        };
        tx.commit()?;
        Ok(out)
    }

    /// Makes the changes written next take effect at `on` (from `--on`, see
    /// `ledger::effective::on`), or when recorded for `None`.
    pub fn set_effective(&mut self, on: Option<String>) {
        self.on = on;
    }

    /// The connection, for the read-only helpers of this module (backup, check).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The outline period the ledger is set to.
    pub fn outline(&mut self) -> Result<Outline> {
        self.read(outline)
    }

    /// The time zone the ledger's times are shown in.
    pub fn timezone(&mut self) -> Result<chrono_tz::Tz> {
        self.read(timezone)
    }
}

/// Reads the ledger's time zone: the setting, else the default (Asia/Shanghai).
pub fn timezone(conn: &Connection) -> Result<chrono_tz::Tz> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [crate::model::zone::SETTING],
            |r| r.get(0),
        )
        .optional()?;
    match v {
        None => Ok(crate::model::zone::DEFAULT),
        Some(v) => crate::model::zone::parse(&v).map_err(|_| Error::Said {
            kind: crate::ErrorKind::Corrupt,
            msg: crate::msg!("time.damaged_setting", zone = v),
        }),
    }
}

/// Sets the ledger's time zone.
pub fn set_timezone(w: &Writer, tz: chrono_tz::Tz) -> Result<()> {
    w.conn()
        .prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")?
        .execute([crate::model::zone::SETTING, tz.name()])?;
    Ok(())
}

/// Reads the ledger's outline period.
pub fn outline(conn: &Connection) -> Result<Outline> {
    let get = |key: &str| -> Result<i32> {
        let v: String =
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))?;
        v.parse()
            .map_err(|_| Error::Corrupt(format!("the ledger's {key} setting '{v}' is not a year")))
    };
    Ok(Outline {
        start: get("outline_start")?,
        end: get("outline_end")?,
    })
}

/// Who makes a change, when, and with which command: stamped on every history row it writes.
#[derive(Debug, Clone)]
pub struct ChangeMeta {
    pub at: String,
    pub actor: String,
    pub command: String,
    /// For an undo: the change it takes back.
    pub undoes: Option<i64>,
}

/// The handle a write transaction gives to a command. It opens a `change` row the first time
/// something is recorded, so that a command that changes nothing leaves no trace.
pub struct Writer<'a> {
    conn: &'a Connection,
    meta: &'a ChangeMeta,
    /// The effective time `--on` gave the command, if any.
    on: Option<&'a str>,
    /// Set while writing rows the command did not ask for (a parent's derived status): they
    /// follow the task's latest row instead of being refused for an early `--on`.
    lenient: Cell<bool>,
    change_id: Cell<Option<i64>>,
    /// The effective time of the rows written next when the command gave no `--on`: an
    /// import's tasks take effect on the report's dates, not when they were typed in.
    default_effective: std::cell::RefCell<Option<String>>,
}

impl Writer<'_> {
    /// The connection, inside the write transaction.
    pub fn conn(&self) -> &Connection {
        self.conn
    }

    /// The timestamp of this change.
    pub fn at(&self) -> &str {
        &self.meta.at
    }

    /// Refuses a typed `--on` before task `id` took effect. The rows a change writes are
    /// checked against their own task's history (`effective`); a link also names a second
    /// task, its shortcoming, which must have existed on that day too.
    pub fn require_existed(&self, id: i64) -> Result<()> {
        let Some(on) = self.on else {
            return Ok(());
        };
        let created: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT coalesce(effective, at) FROM history
                 WHERE task_id = ?1 AND field = 'created'",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let day = |s: &str| s.get(..10).unwrap_or(s).to_string();
        match created {
            Some(created) if day(&created) > day(on) => Err(Error::refused(crate::msg!(
                "effective.before_task",
                on = day(on),
                task = id,
                created = day(&created)
            ))),
            _ => Ok(()),
        }
    }

    /// Makes the rows written next take effect at the start of `day` (when the command gave
    /// no `--on`), or when recorded again for `None`. A day after the recorded day is taken
    /// as the recorded time: nothing takes effect in the future.
    pub fn set_default_effective(&self, day: Option<chrono::NaiveDate>) {
        let at = &self.meta.at;
        let stamp = day.map(|d| format!("{d}T00:00:00{}", at.get(19..).unwrap_or("")));
        *self.default_effective.borrow_mut() = stamp.filter(|s| wall(s) <= wall(at));
    }

    /// Runs `f` writing rows that take effect no earlier than each task's latest row, even
    /// under `--on`: rows that follow from the command (a parent's status derived from a
    /// back-dated sub-task) rather than rows it names.
    pub fn leniently<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let was = self.lenient.replace(true);
        let out = f();
        self.lenient.set(was);
        out
    }

    /// Whether anything has been recorded in this transaction.
    pub fn changed(&self) -> bool {
        self.change_id.get().is_some()
    }

    fn change_id(&self) -> Result<i64> {
        if let Some(id) = self.change_id.get() {
            return Ok(id);
        }
        self.conn.execute(
            "INSERT INTO change(at, actor, command, undoes) VALUES (?1, ?2, ?3, ?4)",
            (
                &self.meta.at,
                &self.meta.actor,
                &self.meta.command,
                self.meta.undoes,
            ),
        )?;
        let id = self.conn.last_insert_rowid();
        self.change_id.set(Some(id));
        Ok(id)
    }

    /// Appends one history row for `task_id`.
    pub fn log(
        &self,
        task_id: i64,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
        note: Option<&str>,
    ) -> Result<()> {
        let effective = self.effective(task_id, field)?;
        let change = self.change_id()?;
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO history(change_id, task_id, at, actor, field, old, new, note, effective)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        stmt.execute(rusqlite::params![
            change,
            task_id,
            self.meta.at,
            self.meta.actor,
            field,
            old,
            new,
            note,
            effective
        ])?;
        Ok(())
    }

    /// The effective time of a row this change writes for `task_id`: `None` (when recorded)
    /// without `--on`. With `--on D`, the rule that keeps every history replayable: a row may
    /// not take effect on a day before the latest row of its task that it must follow (its
    /// creation for a note; any row but a note otherwise), because the stored task is the
    /// result of its rows in the order they were made, and replay applies them in effective
    /// order. On that same day it takes effect right at that row, so the order is kept.
    fn effective(&self, task_id: i64, field: &str) -> Result<Option<String>> {
        let default = self.default_effective.borrow().clone();
        // A default the command chose (an import's dates, an undo's) is moved up to the
        // task's latest row when too early; only a day the person typed is refused.
        let typed = self.on.is_some() && !self.lenient.get();
        let Some(on) = self.on.or(default.as_deref()) else {
            return Ok(None);
        };
        if field == "created" {
            return Ok(Some(on.to_string()));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(effective, at), field FROM history
             WHERE task_id = ?1 AND (field = 'created' OR (?2 <> 'note' AND field <> 'note'))
             ORDER BY substr(coalesce(effective, at), 1, 19) DESC, id DESC LIMIT 1",
        )?;
        let latest: Option<(String, String)> = stmt
            .query_row(rusqlite::params![task_id, field], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((latest, latest_field)) = latest else {
            return Ok(Some(on.to_string()));
        };
        let day = |s: &str| s.get(..10).unwrap_or(s).to_string();
        if typed && day(&latest) > day(on) {
            let msg = if latest_field == "created" {
                crate::msg!("on.before_created")
            } else {
                crate::msg!("on.before_latest")
            };
            return Err(Error::refused(
                msg.arg("day", day(on))
                    .arg("id", task_id)
                    .arg("latest", day(&latest)),
            ));
        }
        Ok(Some(if wall(&latest) > wall(on) {
            latest
        } else {
            on.to_string()
        }))
    }
}

/// The wall-clock part of a stored timestamp, which is what orders times in a ledger kept in
/// one office's local time.
fn wall(at: &str) -> &str {
    at.get(..19).unwrap_or(at)
}

fn is_busy(e: &Error) -> bool {
    matches!(e, Error::Busy)
        || matches!(e, Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// The typed busy error for any "database is locked" that reaches the end of a command, so
/// that SQLite's raw message never reaches a user.
pub fn typed_busy(e: Error) -> Error {
    if is_busy(&e) {
        Error::Busy
    } else {
        e
    }
}

/// A `file:` URI that opens `path` as immutable, with the characters URIs reserve escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.as_os_str().to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Refuses what cannot be a ledger file before SQLite opens it: a folder, or a FIFO, socket or
/// device (opening a FIFO would wait for a writer for ever), or a symbolic link to nothing
/// (SQLite would create a file where the link points).
fn check_file_kind(path: &Path) -> Result<()> {
    let refuse = |reason: &str| {
        Err(Error::Open {
            path: path.to_path_buf(),
            reason: reason.into(),
            source: None,
        })
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => refuse("it is a directory; give the path of a file"),
        Ok(m) if !m.is_file() => refuse(
            "it is not a regular file (a FIFO, socket or device); give the path of a ledger file",
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.symlink_metadata().is_ok() => {
            refuse("it is a symbolic link to a file that does not exist; fix the link or give another path")
        }
        _ => Ok(()),
    }
}

/// The primary and extended result codes of an SQLite failure.
fn sqlite_code(e: &rusqlite::Error) -> Option<(ErrorCode, std::os::raw::c_int)> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some((f.code, f.extended_code)),
        _ => None,
    }
}

/// The path of a file SQLite keeps beside the ledger: "-wal", "-shm" or "-journal".
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Whether a file exists and is not empty.
fn has_content(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// Rolls back a hot journal by reading the ledger through a writing connection.
fn recover_hot_journal(path: &Path) -> rusqlite::Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(())
}

/// Copies the ledger with its -wal and -journal files to `copy` (and the same suffixes), each
/// replacing what an earlier attempt left. The -shm file is never copied: it is only an index
/// of the WAL, rebuilt from it.
fn copy_with_sidecars(path: &Path, copy: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-journal"] {
        let (from, to) = (sidecar(path, suffix), sidecar(copy, suffix));
        let _ = std::fs::remove_file(&to);
        if suffix.is_empty() || from.exists() {
            copy_private(&from, &to)?;
        }
    }
    Ok(())
}

/// The length and modification time of the ledger and its -wal and -journal files, to notice
/// a change while they are copied.
fn file_states(path: &Path) -> Vec<Option<(u64, Option<std::time::SystemTime>)>> {
    ["", "-wal", "-journal"]
        .iter()
        .map(|suffix| {
            std::fs::metadata(sidecar(path, suffix))
                .ok()
                .map(|m| (m.len(), m.modified().ok()))
        })
        .collect()
}

/// Copies a file into a new file readable and writable by its owner only.
fn copy_private(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut src = std::fs::File::open(from)?;
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut dst = opts.open(to)?;
    std::io::copy(&mut src, &mut dst)?;
    Ok(())
}

/// A new empty private file (mode 0600) in the folder of `path`, named as every temporary
/// file of taizhang is (fsio::Temp), so that the leftovers of a killed process are swept
/// like any other; it and its -wal/-shm/-journal files are removed when it is dropped.
fn temp_beside(path: &Path) -> Result<crate::fsio::Temp> {
    crate::fsio::Temp::named_beside(path).map_err(|e| Error::Open {
        path: path.to_path_buf(),
        // The temporary file's name means nothing to the user.
        reason: match e.kind() {
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                "its folder is read-only, or not yours (taizhang makes its files beside the ledger)"
                    .into()
            }
            _ => std::io::Error::from(e.kind()).to_string(),
        },
        source: Some(Box::new(e)),
    })
}

/// Keeps the ledger as it was before an upgrade from version `version` in
/// "{path}.v{version}.bak" (or the next free name): a plain rollback-journal copy written
/// under a temporary name and linked into place whole, so that a crash leaves a whole copy
/// or none, never a partial one under the final name.
fn keep_upgrade_copy(src: &Connection, path: &Path, version: i64) -> Result<()> {
    let mut temp = temp_beside(path)?;
    {
        let mut dst = Connection::open_with_flags(
            temp.path(),
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            let b = rusqlite::backup::Backup::new(src, &mut dst)?;
            b.step(-1)?;
        }
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        let ok: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::Corrupt(format!(
                "the copy of {} taken before upgrading it failed its integrity check: {ok}",
                path.display()
            )));
        }
        dst.close().map_err(|(_, e)| e)?;
    }
    // Another process upgrading at the same moment may take the free name first: then the
    // next free name is tried.
    for _ in 0..100 {
        let dest = backup::upgrade_copy_path(path, version);
        match temp.publish_new(&dest) {
            Ok(true) => return Ok(()),
            Ok(false) => continue,
            Err(e) => {
                return Err(Error::io(
                    format!("keeping a copy of {} before upgrading it", path.display()),
                    e,
                ))
            }
        }
    }
    Err(Error::conflict(crate::msg!(
        "upgrade.no_backup_name",
        path = path.display()
    )))
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::Open {
        path: path.to_path_buf(),
        reason: e.to_string(),
        source: Some(Box::new(e)),
    }
}

/// Maps the errors SQLite gives for a file that is not a database, or cannot be written, to
/// messages that say so.
fn ledger_error(path: &Path, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        match f.code {
            ErrorCode::NotADatabase => return Error::NotALedger(path.to_path_buf()),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return Error::Busy,
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                return Error::Open {
                    path: path.to_path_buf(),
                    reason: format!(
                        "{e}: the file or its folder is read-only, or not yours \
                         (taizhang keeps -wal and -shm files beside the ledger)"
                    ),
                    source: Some(Box::new(e)),
                }
            }
            _ => {}
        }
    }
    Error::Sqlite(e)
}

/// Sets the ledger's outline period (a new ledger's; see `periods::set_initial`).
pub fn set_outline(w: &Writer, o: Outline) -> Result<()> {
    periods::set_initial(w, o)?;
    let mut stmt = w
        .conn()
        .prepare_cached("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)")?;
    stmt.execute(["outline_start", &o.start.to_string()])?;
    stmt.execute(["outline_end", &o.end.to_string()])?;
    Ok(())
}

/// The folder a file is in: "." for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Builders shared by the unit tests of this module's children.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::NaiveDate;

    use super::tasks::NewTask;
    use super::ChangeMeta;
    use crate::model::{Kind, Status};

    /// The stamp of a test change.
    pub fn meta() -> ChangeMeta {
        ChangeMeta {
            at: "2025-03-01T09:00:00+08:00".into(),
            actor: "tester".into(),
            command: "test".into(),
            undoes: None,
        }
    }

    /// A plain task of plan year 2025, due at its end.
    pub fn task(title: &str) -> NewTask {
        NewTask {
            reference: None,
            kind: Kind::Task,
            title: title.into(),
            body: None,
            area: None,
            outline_area: None,
            owner: None,
            co_owners: vec![],
            person: None,
            contact: None,
            status: Status::Todo,
            progress: 0,
            deadline: NaiveDate::from_ymd_opt(2025, 12, 31),
            deadline_text: None,
            year: 2025,
            parent_id: None,
            document_id: None,
            completed_at: None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const NOW: &str = "2025-03-01T09:00:00+08:00";

    fn v1_fixture(dir: &Path) -> PathBuf {
        let db = dir.join("taizhang.db");
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledger-v1.db"),
            &db,
        )
        .unwrap();
        db
    }

    /// An upgrade that cannot get the ledger (another process is writing it) ends, after the
    /// waits, with the typed busy error, not SQLite's "database is locked".
    #[test]
    fn an_upgrade_blocked_by_a_writer_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let db = v1_fixture(dir.path());
        let holder = Connection::open(&db).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let e = Ledger::open(&db, Access::Write, NOW).err().unwrap();
        assert!(matches!(e, Error::Busy), "{e}");
        let e = Ledger::open(&db, Access::Read, NOW).err().unwrap();
        assert!(matches!(e, Error::Busy), "{e}");
        holder.execute_batch("ROLLBACK").unwrap();
        assert!(Ledger::open(&db, Access::Read, NOW).is_ok());
    }

    /// A write that cannot get the ledger ends with the typed busy error.
    #[test]
    fn a_write_blocked_by_a_writer_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("taizhang.db");
        Ledger::create_with(&db, NOW, |_| Ok(())).unwrap().unwrap();
        let mut ledger = Ledger::open(&db, Access::Write, NOW).unwrap();
        let holder = Connection::open(&db).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let e = ledger
            .write(&testing::meta(), |w| {
                tasks::insert(w, &testing::task("甲"), None).map(|_| ())
            })
            .err()
            .unwrap();
        assert!(matches!(e, Error::Busy), "{e}");
        assert_eq!(typed_busy(e).to_string(), Error::Busy.to_string());
    }

    /// A second creation of the same ledger finds the first and keeps nothing of its own.
    #[test]
    fn creating_an_existing_ledger_keeps_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("taizhang.db");
        assert_eq!(Ledger::create_with(&db, NOW, |_| Ok(1)).unwrap(), Some(1));
        assert_eq!(Ledger::create_with(&db, NOW, |_| Ok(2)).unwrap(), None);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}

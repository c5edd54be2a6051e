//! The ledger file: opening it the right way for reading or writing, and running each command
//! in one transaction. All SQL of taizhang lives in this module and its children.

pub mod backup;
pub mod bulk;
pub mod check;
pub mod documents;
pub mod history;
pub mod replay;
pub mod report;
pub mod schema;
pub mod tally;
pub mod tasks;
pub mod undo;
pub mod warn;

use std::cell::Cell;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::model::Outline;
use crate::{Error, Result};

/// How long one attempt waits for another writer before giving up; the whole transaction is then
/// retried, up to `WRITE_ATTEMPTS` times.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
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
}

impl Ledger {
    /// Opens the ledger at `path`. For writing, a missing file is created (readable and writable
    /// by its owner only) and an older schema is upgraded; for reading, the file must exist and
    /// is opened read-only, so that a read never writes to it.
    pub fn open(path: &Path, access: Access, now: &str) -> Result<Ledger> {
        if path.is_dir() {
            return Err(Error::Open {
                path: path.to_path_buf(),
                reason: "it is a directory; give the path of a file".into(),
            });
        }
        match access {
            Access::Write => Self::open_write(path, now),
            Access::Read => {
                if !path.exists() {
                    return Err(Error::NoLedger(path.to_path_buf()));
                }
                let ledger = Self::open_read(path)?;
                match schema::check_readable(&ledger.conn, path) {
                    Ok(v) if v < schema::CURRENT_VERSION => {
                        // An older ledger is upgraded once, by a writing connection, then read.
                        drop(ledger);
                        drop(Self::open_write(path, now)?);
                        Self::open_read(path)
                    }
                    Ok(_) => Ok(ledger),
                    Err(e) => Err(e),
                }
            }
        }
    }

    fn open_read(path: &Path) -> Result<Ledger> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, e))?;
        let ledger = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        match ledger.configure() {
            Ok(()) => Ok(ledger),
            // A WAL ledger on a read-only medium (an archived copy, a read-only share) cannot
            // get the -shm file SQLite wants beside it. Nobody can write the file there, so it
            // is read as immutable instead.
            Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == ErrorCode::CannotOpen => {
                drop(ledger);
                let conn = Connection::open_with_flags(
                    immutable_uri(path),
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                        | OpenFlags::SQLITE_OPEN_NO_MUTEX
                        | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|e| open_error(path, e))?;
                let ledger = Ledger {
                    conn,
                    path: path.to_path_buf(),
                };
                ledger.configure().map_err(|e| ledger_error(path, e))?;
                Ok(ledger)
            }
            Err(e) => Err(ledger_error(path, e)),
        }
    }

    fn open_write(path: &Path, now: &str) -> Result<Ledger> {
        let parent = folder_of(path);
        if !parent.is_dir() {
            return Err(Error::MissingFolder(parent.to_path_buf()));
        }
        if !path.exists() {
            create_private(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, e))?;
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
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
        if version > 0 && version < schema::CURRENT_VERSION {
            // An upgrade changes the file for good: keep the ledger as it was beside it first.
            let copy = backup::upgrade_copy_path(path, version);
            backup::backup_to(&ledger.conn, &copy)?;
        }
        let mode: String = ledger
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(|e| ledger_error(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Open {
                path: path.to_path_buf(),
                reason: format!("its journal cannot be switched to WAL (it is {mode})"),
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
            conn,
            path: PathBuf::from(":memory:"),
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
        let out = {
            let w = Writer {
                conn: &tx,
                meta,
                change_id: Cell::new(None),
            };
            f(&w)?
        };
        tx.commit()?;
        Ok(out)
    }

    /// The connection, for the read-only helpers of this module (backup, check).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The outline period the ledger is set to.
    pub fn outline(&mut self) -> Result<Outline> {
        self.read(outline)
    }
}

/// Reads the ledger's outline period.
pub fn outline(conn: &Connection) -> Result<Outline> {
    let get = |key: &str| -> Result<i32> {
        let v: String =
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))?;
        v.parse()
            .map_err(|_| Error::Invalid(format!("the ledger's {key} setting '{v}' is not a year")))
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
    change_id: Cell<Option<i64>>,
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
        let change = self.change_id()?;
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO history(change_id, task_id, at, actor, field, old, new, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        stmt.execute(rusqlite::params![
            change,
            task_id,
            self.meta.at,
            self.meta.actor,
            field,
            old,
            new,
            note
        ])?;
        Ok(())
    }
}

fn is_busy(e: &Error) -> bool {
    matches!(e, Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// Creates an empty ledger file that only its owner can read and write: these are government
/// working papers.
pub(crate) fn create_private(path: &Path) -> Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        // Another process created it first: fine, it is opened next.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
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

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::Open {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Maps the errors SQLite gives for a file that is not a database, or cannot be written, to
/// messages that say so.
fn ledger_error(path: &Path, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        match f.code {
            ErrorCode::NotADatabase => return Error::NotALedger(path.to_path_buf()),
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                return Error::Open {
                    path: path.to_path_buf(),
                    reason: format!(
                        "{e}: the file or its folder is read-only, or not yours \
                         (taizhang keeps -wal and -shm files beside the ledger)"
                    ),
                }
            }
            _ => {}
        }
    }
    Error::Sqlite(e)
}

/// Sets the ledger's outline period.
pub fn set_outline(w: &Writer, o: Outline) -> Result<()> {
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

/// Removes a ledger file that holds no change at all (with its -wal and -shm files): what a
/// failed first command leaves behind. A ledger with any change is never touched.
pub fn remove_if_empty(path: &Path) {
    let empty = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM change) + (SELECT count(*) FROM task)
                        + (SELECT count(*) FROM document)",
                [],
                |r| r.get::<_, i64>(0),
            )
        })
        .map(|n| n == 0)
        // A file that is not even a ledger was created by this process a moment ago.
        .unwrap_or_else(|_| {
            std::fs::metadata(path)
                .map(|m| m.len() == 0)
                .unwrap_or(false)
        });
    if empty {
        let base = path.as_os_str().to_string_lossy().into_owned();
        for p in [base.clone(), format!("{base}-wal"), format!("{base}-shm")] {
            let _ = std::fs::remove_file(p);
        }
    }
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

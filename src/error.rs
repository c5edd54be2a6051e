//! The library's one error type. Every variant renders as a single line that names the problem
//! and, where there is one, the way to fix it: the binary prints it as it is. Each variant
//! belongs to one `ErrorKind`, and the kind alone decides the exit code; errors of other crates
//! are kept as the `#[source]` of the variant that wraps them, not flattened into its text.

use std::path::PathBuf;

/// What sort of failure an error is: what a caller (or a script reading the exit code) can do
/// about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line is wrong: fix the arguments.
    Usage,
    /// Something named does not exist (a task, a change, a ledger, a folder).
    NotFound,
    /// The request is well formed but a rule of the ledger or of the input refuses it.
    Refused,
    /// The request clashes with what the ledger or the disk holds now (a ref taken, a change
    /// made since, a file already there).
    Conflict,
    /// Another process holds the ledger: try again.
    Busy,
    /// The ledger (or a backup) is damaged or fails its checks.
    Corrupt,
    /// Reading or writing failed below us (disk, permissions, SQLite).
    Io,
}

impl ErrorKind {
    /// The process exit code of this kind: 2 for usage errors, like clap's own, 1 for every
    /// other failure. Scripts that drive taizhang only tell "try again" from "failed" by the
    /// message today, and the tests and README promise exit 1, so the other kinds share it.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Usage => 2,
            _ => 1,
        }
    }
}

/// Every failure a command can end with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line was well formed for clap but its values do not make sense together
    /// (a missing reason, an empty title, …). Exit code 2, like clap's own usage errors.
    #[error("{0}")]
    Usage(String),

    #[error("task #{0} does not exist (`taizhang list` shows the ids)")]
    NoSuchTask(i64),

    /// A rule refuses the request; the message says which and how to proceed.
    #[error("{0}")]
    Refused(String),

    /// The request clashes with the ledger's (or the disk's) current state.
    #[error("{0}")]
    Conflict(String),

    /// Something named in the request does not exist (a folder, a change to undo).
    #[error("{0}")]
    NotFound(String),

    /// The ledger or a backup is damaged; the message names what and how to recover.
    #[error("{0}")]
    Corrupt(String),

    /// An output could not be written by the crate that formats it (CSV, workbook).
    #[error("cannot write {what}: {source}")]
    Write {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// An I/O failure with a hint on how to fix it: "{what} ({source}); {fix}".
    #[error("{what} ({source}); {fix}")]
    IoFix {
        what: String,
        fix: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("the folder for the ledger {0} does not exist; create it first or choose another path with --db")]
    MissingFolder(PathBuf),

    #[error("no ledger at {0}; create one with `taizhang init` or point --db / TAIZHANG_DB at an existing one")]
    NoLedger(PathBuf),

    #[error("{0} is not a taizhang ledger (not an SQLite database); check --db / TAIZHANG_DB")]
    NotALedger(PathBuf),

    #[error("{0} is an SQLite database of another program, not a taizhang ledger; check --db / TAIZHANG_DB")]
    ForeignDatabase(PathBuf),

    #[error("{path} was written by a newer taizhang (schema version {found}, this one knows up to {supported}); upgrade taizhang")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// The ledger cannot be opened; `reason` is the whole explanation shown, `source` the
    /// underlying error where there is one (kept for callers, not repeated in the line).
    #[error("cannot open the ledger {path}: {reason}")]
    Open {
        path: PathBuf,
        reason: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    #[error("the ledger is busy: another taizhang process kept it locked for too long; try again")]
    Busy,

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("ledger error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error(transparent)]
    Import(#[from] crate::import::ImportError),

    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),

    /// A message of the catalogue (locales/app.yml) of the given kind, shown in the user's
    /// language at the edge; `Display` gives its English text.
    #[error("{}", .msg.text(crate::model::Lang::En))]
    Said {
        kind: ErrorKind,
        msg: crate::i18n::Msg,
    },
}

impl Error {
    /// The sort of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Usage(_) => ErrorKind::Usage,
            Error::NoSuchTask(_)
            | Error::NotFound(_)
            | Error::MissingFolder(_)
            | Error::NoLedger(_) => ErrorKind::NotFound,
            Error::Refused(_)
            | Error::NotALedger(_)
            | Error::ForeignDatabase(_)
            | Error::NewerSchema { .. }
            | Error::Import(_) => ErrorKind::Refused,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Busy => ErrorKind::Busy,
            Error::Corrupt(_) => ErrorKind::Corrupt,
            Error::Sqlite(e) => sqlite_kind(e),
            Error::Write { .. }
            | Error::IoFix { .. }
            | Error::Io { .. }
            | Error::Open { .. }
            | Error::Json(_) => ErrorKind::Io,
            Error::Said { kind, .. } => *kind,
        }
    }

    /// The one line shown to the user, in their language. Messages built as plain strings
    /// (the `String` variants) are shown as they were built; `Display` stays English for logs
    /// and tests.
    pub fn message(&self, lang: crate::model::Lang) -> String {
        use crate::i18n::Msg;
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            Error::NoSuchTask(id) => Msg::new("error.no_such_task").arg("id", id).text(lang),
            Error::Write { what, source } => Msg::new("error.cannot_write")
                .arg("what", what)
                .arg("source", source)
                .text(lang),
            Error::MissingFolder(p) => Msg::new("error.missing_folder")
                .arg("path", path(p))
                .text(lang),
            Error::NoLedger(p) => Msg::new("error.no_ledger").arg("path", path(p)).text(lang),
            Error::NotALedger(p) => Msg::new("error.not_a_ledger")
                .arg("path", path(p))
                .text(lang),
            Error::ForeignDatabase(p) => Msg::new("error.foreign_database")
                .arg("path", path(p))
                .text(lang),
            Error::NewerSchema {
                path: p,
                found,
                supported,
            } => Msg::new("error.newer_schema")
                .arg("path", path(p))
                .arg("found", found)
                .arg("supported", supported)
                .text(lang),
            Error::Open {
                path: p, reason, ..
            } => Msg::new("error.open")
                .arg("path", path(p))
                .arg("reason", reason)
                .text(lang),
            Error::Busy => Msg::new("error.busy").text(lang),
            Error::Sqlite(e) => Msg::new("error.sqlite").arg("source", e).text(lang),
            Error::Json(e) => Msg::new("error.json").arg("source", e).text(lang),
            Error::Said { msg, .. } => msg.text(lang),
            Error::Import(e) => e.message(lang),
            _ => self.to_string(),
        }
    }

    /// A usage error from the catalogue (exit 2).
    pub fn usage(msg: crate::i18n::Msg) -> Self {
        Error::Said {
            kind: ErrorKind::Usage,
            msg,
        }
    }

    /// A refusal from the catalogue.
    pub fn refused(msg: crate::i18n::Msg) -> Self {
        Error::Said {
            kind: ErrorKind::Refused,
            msg,
        }
    }

    /// A conflict from the catalogue.
    pub fn conflict(msg: crate::i18n::Msg) -> Self {
        Error::Said {
            kind: ErrorKind::Conflict,
            msg,
        }
    }

    /// Something named that does not exist, from the catalogue.
    pub fn not_found(msg: crate::i18n::Msg) -> Self {
        Error::Said {
            kind: ErrorKind::NotFound,
            msg,
        }
    }

    /// The process exit code for this error, from its kind.
    pub fn exit_code(&self) -> i32 {
        self.kind().exit_code()
    }

    /// Wraps an error of the crate that formats an output (CSV, workbook).
    pub fn write(
        what: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Write {
            what: what.into(),
            source: source.into(),
        }
    }

    /// Wraps an I/O error with what was being done when it happened.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// SQLite's own codes say whether a failure is a lock, damage, or the disk.
fn sqlite_kind(e: &rusqlite::Error) -> ErrorKind {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => ErrorKind::Busy,
        Some(C::DatabaseCorrupt | C::NotADatabase) => ErrorKind::Corrupt,
        Some(C::ConstraintViolation) => ErrorKind::Conflict,
        _ => ErrorKind::Io,
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The exit code follows the kind: usage 2, every other kind 1; wrapped errors keep their
    /// source.
    #[test]
    fn the_kind_decides_the_exit_code_and_sources_are_kept() {
        use std::error::Error as _;
        assert_eq!(Error::Usage("x".into()).exit_code(), 2);
        for e in [
            Error::NoSuchTask(1),
            Error::Refused("x".into()),
            Error::Conflict("x".into()),
            Error::Corrupt("x".into()),
            Error::Busy,
        ] {
            assert_eq!(e.exit_code(), 1, "{e}");
        }
        assert_eq!(Error::NoSuchTask(1).kind(), ErrorKind::NotFound);
        let e = Error::write("the CSV", std::io::Error::other("disk full"));
        assert_eq!(e.kind(), ErrorKind::Io);
        assert_eq!(e.to_string(), "cannot write the CSV: disk full");
        assert!(e.source().is_some());
        let e = Error::IoFix {
            what: "cannot copy b.db".into(),
            fix: "free some space",
            source: Box::new(std::io::Error::other("disk full")),
        };
        assert_eq!(
            e.to_string(),
            "cannot copy b.db (disk full); free some space"
        );
        assert!(e.source().is_some());
    }

    /// The English message from the catalogue is the `Display` text, so logs and the
    /// English edge say the same; the Chinese one differs.
    #[test]
    fn messages_come_from_the_catalogue_in_both_languages() {
        use crate::model::Lang;
        let p = || PathBuf::from("/tmp/x.db");
        for e in [
            Error::NoSuchTask(4),
            Error::MissingFolder(p()),
            Error::NoLedger(p()),
            Error::NotALedger(p()),
            Error::ForeignDatabase(p()),
            Error::NewerSchema {
                path: p(),
                found: 9,
                supported: 8,
            },
            Error::Open {
                path: p(),
                reason: "gone".into(),
                source: None,
            },
            Error::Busy,
            Error::write("the CSV", std::io::Error::other("disk full")),
            Error::refused(crate::i18n::Msg::new("error.no_such_task").arg("id", 4)),
        ] {
            assert_eq!(e.message(Lang::En), e.to_string());
            assert_ne!(e.message(Lang::Zh), e.to_string(), "{e}");
        }
    }
}

//! The library's one error type. Every variant renders as a single line that names the problem
//! and, where there is one, the way to fix it: the binary prints it as it is.

use std::path::PathBuf;

/// Every failure a command can end with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line was well formed for clap but its values do not make sense together
    /// (a missing reason, an empty title, …). Exit code 2, like clap's own usage errors.
    #[error("{0}")]
    Usage(String),

    #[error("task #{0} does not exist (`taizhang list` shows the ids)")]
    NoSuchTask(i64),

    #[error("{0}")]
    Invalid(String),

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

    #[error("cannot open the ledger {path}: {reason}")]
    Open { path: PathBuf, reason: String },

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
}

impl Error {
    /// The process exit code for this error: 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
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

pub type Result<T, E = Error> = std::result::Result<T, E>;

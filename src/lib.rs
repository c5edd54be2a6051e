//! taizhang (台账): a ledger of the commitments, shortcomings and achievements that a
//! rule-of-law government report names, kept in one SQLite file with a full audit trail.
//!
//! The binary in `src/main.rs` only parses arguments and maps errors to exit codes; everything
//! else lives here. The tests in tests/ run the binary as users do; a few (file_writes,
//! robustness, upgrade) and the examples use the library only to build large ledgers or read
//! schema constants, and the library's own unit tests sit beside the code.
//!
//! Layers, each using only those below it: `cli` (arguments in, rendered text out, one
//! operation per command) → `ledger` (each operation's rules, in one write transaction,
//! returning what changed) → `db` (all SQL) → `model` (plain types, the task's fields in
//! `model::field`, the pure status/progress rules in `model::rules`). `render` draws tables;
//! `export` and `import` read and write files.

pub mod cli;
pub mod clock;
pub mod db;
pub mod error;
pub mod fsio;
pub mod i18n;
pub mod ledger;
pub mod model;
pub mod render;

pub use error::{Error, ErrorKind, Result};
pub mod export;
pub mod import;

// The message catalogue (src/i18n.rs) is read from locales/ at compile time; English is the
// fallback, though the catalogue test keeps every key in both languages.
rust_i18n::i18n!("locales", fallback = "en");

//! taizhang (台账): a ledger of the commitments, shortcomings and achievements that a
//! rule-of-law government report names, kept in one SQLite file with a full audit trail.
//!
//! The binary in `src/main.rs` only parses arguments and maps errors to exit codes; everything
//! else lives here. The tests in tests/ run the binary as users do; a few (file_writes,
//! robustness, upgrade) and the examples use the library only to build large ledgers or read
//! schema constants, and the library's own unit tests sit beside the code.

pub mod cli;
pub mod clock;
pub mod db;
pub mod error;
pub mod fsio;
pub mod model;
pub mod report;

pub use error::{Error, Result};
pub mod export;
pub mod import;

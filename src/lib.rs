//! taizhang (台账): a ledger of the commitments, shortcomings and achievements that a
//! rule-of-law government report names, kept in one SQLite file with a full audit trail.
//!
//! The binary in `src/main.rs` only parses arguments and maps errors to exit codes; everything
//! else lives here so that tests can drive it without a process.

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

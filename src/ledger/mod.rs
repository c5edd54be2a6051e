//! The domain layer, between cli/ (which parses arguments and renders results) and db/ (which
//! holds all SQL). Each operation takes its request as plain values, checks it and applies the
//! ledger's rules in one place inside one write transaction, and returns what changed, read in
//! that same transaction, so the command line never reads the ledger again after a write.
//!
//! The pure rules on a task's fields (status, progress, completion) are in model/rules.rs;
//! the rules that need the ledger (a parent exists and makes no cycle, a link points at a
//! shortcoming) are checked by the db/ functions these operations call.

pub mod carry;
pub mod effective;
pub mod evidence;
pub mod fill;
pub mod import;
pub mod requests;
pub mod restore;
pub mod review;
pub mod tasks;
pub mod undo;

//! The ledger's own settings kept in `meta` beside the outline period: a closed list of keys
//! that `config KEY [VALUE]` reads and sets, so `check` can tell a setting from junk.

use rusqlite::{Connection, OptionalExtension};

use super::Writer;
use crate::Result;

/// The meta key of the ledger's name: the unit the ledger belongs to (常州市天宁区), shown in
/// every export's title.
pub const NAME: &str = "name";

/// The settings `config` knows, by their meta key.
pub const KEYS: [&str; 1] = [NAME];

/// The value of a setting, `None` when it was never set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Sets a setting, replacing its value.
pub fn set(w: &Writer, key: &str, value: &str) -> Result<()> {
    w.conn().execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
        [key, value],
    )?;
    Ok(())
}

/// The ledger's name, if one was set.
pub fn name(conn: &Connection) -> Result<Option<String>> {
    get(conn, NAME)
}

//! SQLite conversion of the closed vocabularies (status, kind): stored as their English word.
//! Kept in db/ so that model/ stays free of rusqlite.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::{Kind, Status, Word};

fn to_sql<W: Word>(w: W) -> rusqlite::Result<ToSqlOutput<'static>> {
    Ok(ToSqlOutput::Borrowed(ValueRef::Text(w.en().as_bytes())))
}

fn from_sql<W: Word>(v: ValueRef<'_>) -> FromSqlResult<W> {
    let s = <String as FromSql>::column_result(v)?;
    W::ALL.iter().copied().find(|w| w.en() == s).ok_or_else(|| {
        FromSqlError::Other(format!("unknown {} '{s}' in the ledger", W::WHAT).into())
    })
}

/// Implements `ToSql` and `FromSql` for a vocabulary as its English word.
macro_rules! sql_word {
    ($t:ty) => {
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                to_sql(*self)
            }
        }
        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                from_sql(v)
            }
        }
    };
}

sql_word!(Status);
sql_word!(Kind);

//! Closed vocabularies (status, kind) whose values have an English and a Chinese word. Both
//! words are accepted on input; English is what the database and JSON hold, so that a ledger
//! reads the same whatever language its users type in.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

use super::Lang;

/// A value of a closed vocabulary.
pub trait Word: Sized + Copy + 'static {
    /// What the vocabulary is called in messages ("status", "kind").
    const WHAT: &'static str;
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The English word, as stored.
    fn en(self) -> &'static str;
    /// The Chinese word.
    fn zh(self) -> &'static str;
    /// Further accepted spellings (synonyms used in ledgers), beyond `en` and `zh`.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// The word in the given language.
    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    /// Parses either language's word (English case-insensitively), or an alias.
    fn parse_word(s: &str) -> Result<Self, String> {
        let t = s.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|w| {
                w.en().eq_ignore_ascii_case(t)
                    || w.zh() == t
                    || w.aliases().iter().any(|a| a.eq_ignore_ascii_case(t))
            })
            .ok_or_else(|| {
                let accepted: Vec<String> = Self::ALL
                    .iter()
                    .map(|w| format!("{}/{}", w.en(), w.zh()))
                    .collect();
                format!(
                    "unknown {} '{}'; use one of {}",
                    Self::WHAT,
                    t,
                    accepted.join(", ")
                )
            })
    }
}

/// Implements the traits every vocabulary needs once `Word` is implemented: `FromStr` (so clap
/// parses it), `Display`, serde as the English word, and SQLite conversion as the English word.
macro_rules! word_impls {
    ($t:ty) => {
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$t as $crate::model::words::Word>::parse_word(s)
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::model::words::Word::en(*self))
            }
        }
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::words::Word::en(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$t as $crate::model::words::Word>::parse_word(&s).map_err(serde::de::Error::custom)
            }
        }
        impl rusqlite::types::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                $crate::model::words::to_sql(*self)
            }
        }
        impl rusqlite::types::FromSql for $t {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                $crate::model::words::from_sql(v)
            }
        }
    };
}
pub(crate) use word_impls;

pub(crate) fn to_sql<W: Word>(w: W) -> rusqlite::Result<ToSqlOutput<'static>> {
    Ok(ToSqlOutput::Borrowed(ValueRef::Text(w.en().as_bytes())))
}

pub(crate) fn from_sql<W: Word>(v: ValueRef<'_>) -> FromSqlResult<W> {
    let s = <String as FromSql>::column_result(v)?;
    W::ALL.iter().copied().find(|w| w.en() == s).ok_or_else(|| {
        FromSqlError::Other(format!("unknown {} '{s}' in the ledger", W::WHAT).into())
    })
}

//! CSV for Excel and WPS: UTF-8 with a byte-order mark (without one they read the file as GBK
//! and Chinese turns to mojibake), ISO dates, and formula-looking text neutralised.

use std::io::Write;

use super::{cells, columns, YearStatus};
use crate::model::Lang;
use crate::{Error, Result};

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Prefixes a text cell that a spreadsheet would run as a formula (it starts with = + - @,
/// a tab or a carriage return) with a single quote: CSV injection.
pub fn defuse(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Streams the task rows of the yearly status as CSV, and returns the status (without rows).
pub fn stream(
    conn: &rusqlite::Connection,
    header: super::Header,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<YearStatus> {
    out.write_all(BOM)
        .map_err(|e| Error::io("writing the CSV", e))?;
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    let err = |e: ::csv::Error| Error::write("the CSV", e);
    w.write_record(columns(lang)).map_err(err)?;
    let status = super::stream(conn, header, false, &mut |r| {
        let row = cells(r, lang);
        for c in &row {
            match defuse(c) {
                std::borrow::Cow::Borrowed(b) => w.write_field(b),
                std::borrow::Cow::Owned(o) => w.write_field(o),
            }
            .map_err(err)?;
        }
        w.write_record(None::<&[u8]>).map_err(err)
    })?;
    w.flush().map_err(|e| Error::io("writing the CSV", e))?;
    Ok(status)
}
#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_cells_are_quoted() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+1"), "'+1");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("\rx"), "'\rx");
        assert_eq!(defuse("落实=制度"), "落实=制度");
        assert_eq!(defuse(""), "");
    }
}

//! Turning the bytes of a report file into text.
//!
//! Reports reach users as UTF-8 (with or without a byte-order mark) or as GBK saved by older
//! Windows tools. We decode GBK with the GB18030 decoder because GB18030 is a superset of GBK
//! and GB2312, so one decoder covers every file that claims any of the three.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

pub use crate::import::error::ImportError;

/// The largest input accepted: 10 MB. Annual reports are 10–50 KB; anything this large is an
/// archive or a site dump, and refusing it early keeps memory use predictable.
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// How to interpret the input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Encoding {
    /// UTF-8 when the bytes are valid UTF-8 (or carry a UTF-8/UTF-16 byte-order mark),
    /// GB18030 otherwise.
    #[default]
    Auto,
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// GBK, decoded as its superset GB18030.
    Gbk,
}

impl FromStr for Encoding {
    type Err = ImportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gbk" | "gb18030" | "gb2312" | "cp936" => Ok(Encoding::Gbk),
            _ => Err(ImportError::UnknownEncoding(s.to_string())),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Gbk => "gbk",
        })
    }
}

/// Decodes a report file into text with line ends normalised to "\n".
///
/// Apart from removing a byte-order mark and normalising CRLF and CR to LF, the text is kept
/// exactly as written (full-width characters, spacing and punctuation are not touched), because
/// item bodies are stored verbatim.
pub fn decode(bytes: &[u8], enc: Encoding) -> Result<String, ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    // A UTF-16 file (Notepad's "Unicode") is full of NUL bytes, so it must be recognised by its
    // byte-order mark before the binary check would reject it.
    if enc == Encoding::Auto {
        if let Some((utf16, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
            if utf16 != encoding_rs::UTF_8 {
                let rest = bytes.get(bom_len..).unwrap_or_default();
                let text = utf16
                    .decode_without_bom_handling_and_without_replacement(rest)
                    .ok_or(ImportError::Undecodable)?;
                return finish(text);
            }
        }
    }
    if let Some(reason) = binary_signature(bytes) {
        return Err(ImportError::Binary { reason });
    }
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF");
    let text: Cow<'_, str> = match enc {
        Encoding::Utf8 => {
            let b = without_bom.unwrap_or(bytes);
            match std::str::from_utf8(b) {
                Ok(s) => Cow::Borrowed(s),
                Err(e) => {
                    let bom = bytes.len() - b.len();
                    return Err(ImportError::InvalidUtf8 {
                        offset: e.valid_up_to() + bom,
                    });
                }
            }
        }
        Encoding::Gbk => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(ImportError::InvalidGbk)?,
        Encoding::Auto => {
            let b = without_bom.unwrap_or(bytes);
            match std::str::from_utf8(b) {
                Ok(s) => Cow::Borrowed(s),
                // A UTF-8 byte-order mark is a strong statement; do not second-guess it.
                Err(e) if without_bom.is_some() => {
                    return Err(ImportError::InvalidUtf8 {
                        offset: e.valid_up_to() + 3,
                    })
                }
                Err(_) => encoding_rs::GB18030
                    .decode_without_bom_handling_and_without_replacement(bytes)
                    .ok_or(ImportError::Undecodable)?,
            }
        }
    };
    finish(text)
}

/// Shared tail of [`decode`]: strips a BOM left in the text, checks the decoded characters and
/// normalises line ends.
fn finish(text: Cow<'_, str>) -> Result<String, ImportError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if let Some(reason) = control_share(text) {
        return Err(ImportError::Binary { reason });
    }
    Ok(normalise_newlines(text))
}

/// Replaces CRLF and lone CR with LF.
pub fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Recognises common binary formats by their first bytes, naming them so that the user knows
/// which file they picked by mistake, and otherwise rejects any input with NUL bytes.
fn binary_signature(bytes: &[u8]) -> Option<String> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive or .docx/.xlsx/.wps document"),
        (b"\xD0\xCF\x11\xE0", "legacy .doc/.xls/.wps document"),
        (b"{\\rtf", "RTF document"),
    ];
    for (sig, name) in SIGNATURES {
        if bytes.starts_with(sig) {
            return Some((*name).to_string());
        }
    }
    if bytes.contains(&0) {
        return Some("it contains NUL bytes".to_string());
    }
    None
}

/// Rejects text where more than 5% of the characters are control characters other than the
/// usual whitespace: such "text" is a binary file that happened to decode.
fn control_share(text: &str) -> Option<String> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}') {
            control += 1;
        }
    }
    if control > 0 && control * 20 > total {
        Some(format!(
            "{control} of its {total} characters are control codes"
        ))
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const REPORT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tianning-2024-report.txt"
    ));
    const REPORT_GBK: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tianning-2024-report-gbk-crlf.txt"
    ));

    #[test]
    fn encoding_names() {
        assert_eq!("auto".parse::<Encoding>().unwrap(), Encoding::Auto);
        assert_eq!("UTF-8".parse::<Encoding>().unwrap(), Encoding::Utf8);
        assert_eq!("utf8".parse::<Encoding>().unwrap(), Encoding::Utf8);
        assert_eq!("gbk".parse::<Encoding>().unwrap(), Encoding::Gbk);
        assert_eq!("GB18030".parse::<Encoding>().unwrap(), Encoding::Gbk);
        let err = "latin1".parse::<Encoding>().unwrap_err();
        assert!(matches!(err, ImportError::UnknownEncoding(_)));
        assert_eq!(Encoding::Gbk.to_string(), "gbk");
    }

    #[test]
    fn utf8_reference_is_unchanged() {
        let text = decode(REPORT, Encoding::Auto).unwrap();
        assert_eq!(text.as_bytes(), REPORT);
        assert_eq!(decode(REPORT, Encoding::Utf8).unwrap(), text);
    }

    #[test]
    fn gbk_crlf_auto_and_forced() {
        let auto = decode(REPORT_GBK, Encoding::Auto).unwrap();
        let forced = decode(REPORT_GBK, Encoding::Gbk).unwrap();
        assert_eq!(auto, forced);
        assert!(!auto.contains('\r'));
        assert!(auto.contains("１．压茬推进重点改革任务。"));
        // Forcing UTF-8 on GBK bytes must fail with the offset of the first bad byte.
        match decode(REPORT_GBK, Encoding::Utf8) {
            Err(ImportError::InvalidUtf8 { offset }) => assert_eq!(offset, 0),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn bom_and_line_ends() {
        let text = decode(b"\xEF\xBB\xBFa\r\nb\rc\n", Encoding::Auto).unwrap();
        assert_eq!(text, "a\nb\nc\n");
        let text = decode(b"\xEF\xBB\xBF\xE4\xB8\x80", Encoding::Utf8).unwrap();
        assert_eq!(text, "一");
        // UTF-16LE with BOM: "一、"
        let text = decode(b"\xFF\xFE\x00\x4E\x01\x30", Encoding::Auto).unwrap();
        assert_eq!(text, "一、");
    }

    #[test]
    fn forced_gbk_rejects_malformed() {
        assert!(matches!(
            decode(b"abc\x81", Encoding::Gbk),
            Err(ImportError::InvalidGbk)
        ));
        assert!(matches!(
            decode(b"abc\xFF\xFF", Encoding::Auto),
            Err(ImportError::Undecodable)
        ));
    }

    #[test]
    fn refuses_empty_and_whitespace() {
        assert!(matches!(
            decode(b"", Encoding::Auto),
            Err(ImportError::Empty)
        ));
        assert!(matches!(
            decode(b" \r\n\t\n", Encoding::Auto),
            Err(ImportError::Empty)
        ));
        // Ideographic spaces and a BOM only are still empty.
        assert!(matches!(
            decode("\u{FEFF}\u{3000}\u{3000}\n".as_bytes(), Encoding::Auto),
            Err(ImportError::Empty)
        ));
        assert!(matches!(
            decode(b"\xEF\xBB\xBF", Encoding::Utf8),
            Err(ImportError::Empty)
        ));
    }

    #[test]
    fn refuses_binary() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        match decode(png, Encoding::Auto) {
            Err(ImportError::Binary { reason }) => assert!(reason.contains("PNG")),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            decode(b"text\x00more", Encoding::Utf8),
            Err(ImportError::Binary { .. })
        ));
        assert!(matches!(
            decode(b"PK\x03\x04rest", Encoding::Gbk),
            Err(ImportError::Binary { .. })
        ));
        // Valid UTF-8 made mostly of control characters.
        assert!(matches!(
            decode(b"\x01\x02\x03\x04abc", Encoding::Auto),
            Err(ImportError::Binary { .. })
        ));
    }

    #[test]
    fn refuses_over_ten_megabytes() {
        let big = vec![b'a'; MAX_INPUT_BYTES + 1];
        match decode(&big, Encoding::Auto) {
            Err(ImportError::TooLarge { size, limit }) => {
                assert_eq!((size, limit), (MAX_INPUT_BYTES + 1, MAX_INPUT_BYTES));
            }
            other => panic!("unexpected {other:?}"),
        }
        let exact = vec![b'a'; MAX_INPUT_BYTES];
        assert!(decode(&exact, Encoding::Auto).is_ok());
    }

    #[test]
    fn error_messages_are_one_line() {
        let errors = [
            ImportError::Empty,
            ImportError::TooLarge { size: 1, limit: 2 },
            ImportError::Binary { reason: "x".into() },
            ImportError::InvalidUtf8 { offset: 3 },
            ImportError::InvalidGbk,
            ImportError::Undecodable,
            ImportError::UnknownEncoding("x".into()),
            ImportError::NoStructure,
            ImportError::NoReportYear,
            ImportError::InvalidPlanYear(1),
        ];
        for e in errors {
            let m = e.to_string();
            assert!(!m.contains('\n') && m.contains(": "), "{m}");
        }
    }
}

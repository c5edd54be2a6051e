//! The one sanitiser for text that reaches a person. Ledger data comes from reports, names and
//! bulk files that anyone may have written; a control character in it could drive the
//! terminal (clear the screen, retitle the window), and a bidi override (U+202E, U+2067 …)
//! could make a line read differently from what it says. Every table, message, prompt and
//! export written to a terminal passes its user text through `escape` (or the `Escaping`
//! writer), which shows such characters as visible escapes like `\u{202e}`. JSON is escaped
//! the JSON way (`\u202e`), which keeps the text exactly.

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether a character must not reach a screen raw: C0 controls, DEL, C1 controls, the
/// directional marks, embeddings, overrides and isolates, the Arabic letter mark, the line
/// and paragraph separators, and the interlinear annotation characters.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Text with every hazard written as a visible escape (`\u{202e}`, `\u{1b}`, `\t`), except
/// the characters in `keep` (a table cell keeps its line breaks, a one-line message keeps
/// nothing). Text without hazards is returned as it is, without copying.
pub fn escape<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_hazard(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_hazard(c) && !keep.contains(&c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text as one line: every hazard escaped, line breaks included. For messages on stderr.
pub fn one_line(s: &str) -> Cow<'_, str> {
    escape(s, &[])
}

/// How the `Escaping` writer shows a hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `\u{202e}`, for documents (Markdown, CSV, HTML) on a terminal; line breaks and tabs
    /// stay as they are.
    Text,
    /// `\u202e`, for JSON: hazards only occur inside JSON strings (serde_json escapes C0
    /// controls itself, the rest of the syntax is ASCII), where this escape means exactly
    /// the same text.
    Json,
}

/// A writer that escapes hazards in the UTF-8 text passing through it. A character split
/// across two writes is held back until it is whole.
pub struct Escaping<'a> {
    inner: &'a mut dyn Write,
    mode: Mode,
    pending: Vec<u8>,
}

impl<'a> Escaping<'a> {
    pub fn new(inner: &'a mut dyn Write, mode: Mode) -> Escaping<'a> {
        Escaping {
            inner,
            mode,
            pending: Vec::new(),
        }
    }

    /// Writes out the whole characters held in `pending`, keeping an incomplete tail.
    fn drain(&mut self, at_end: bool) -> io::Result<()> {
        let mut start = 0;
        let mut out = Vec::with_capacity(self.pending.len() + 16);
        while start < self.pending.len() {
            match std::str::from_utf8(&self.pending[start..]) {
                Ok(s) => {
                    self.push_text(s, &mut out);
                    start = self.pending.len();
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    // The prefix was just proved valid UTF-8.
                    let s = std::str::from_utf8(&self.pending[start..start + valid])
                        .unwrap_or_default();
                    self.push_text(s, &mut out);
                    start += valid;
                    match e.error_len() {
                        // Bytes that are not UTF-8 at all are passed on as they are: they
                        // cannot form a control character.
                        Some(n) => {
                            out.extend_from_slice(&self.pending[start..start + n]);
                            start += n;
                        }
                        None if at_end => {
                            out.extend_from_slice(&self.pending[start..]);
                            start = self.pending.len();
                        }
                        None => break,
                    }
                }
            }
        }
        self.pending.drain(..start);
        self.inner.write_all(&out)
    }

    fn push_text(&self, s: &str, out: &mut Vec<u8>) {
        for c in s.chars() {
            let keep = matches!(c, '\n' | '\t') || (self.mode == Mode::Json && c == '\r');
            if is_hazard(c) && !keep {
                let escaped = match self.mode {
                    Mode::Text => c.escape_default().to_string(),
                    Mode::Json => format!("\\u{:04x}", u32::from(c)),
                };
                out.extend_from_slice(escaped.as_bytes());
            } else {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }

    /// Writes out anything held back and flushes the writer underneath.
    pub fn finish(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl Write for Escaping<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Most writes (JSON syntax, numbers, Latin text) are plain printable ASCII: they go
        // straight through.
        let plain = |b: &u8| (0x20..0x7f).contains(b) || *b == b'\n';
        if self.pending.is_empty() && buf.iter().all(plain) {
            return self.inner.write_all(buf).map(|()| buf.len());
        }
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(false)?;
        self.inner.flush()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hazards_are_shown_and_the_rest_kept() {
        assert_eq!(escape("整改\u{202e}exe", &[]), "整改\\u{202e}exe");
        assert_eq!(escape("a\x1b[2J\nb", &['\n']), "a\\u{1b}[2J\nb");
        assert_eq!(escape("a\tb\u{85}\u{7f}", &[]), "a\\tb\\u{85}\\u{7f}");
        assert_eq!(
            escape("\u{2067}\u{200f}\u{61c}", &[]),
            "\\u{2067}\\u{200f}\\u{61c}"
        );
        assert!(matches!(escape("平常的文字 ok", &[]), Cow::Borrowed(_)));
        assert_eq!(one_line("a\nb"), "a\\nb");
    }

    #[test]
    fn the_writer_escapes_across_split_writes() {
        let mut buf = Vec::new();
        {
            let mut w = Escaping::new(&mut buf, Mode::Text);
            let bytes = "x\u{202e}y\x1b\n甲".as_bytes();
            // One byte at a time: every multi-byte character is split.
            for b in bytes {
                w.write_all(std::slice::from_ref(b)).unwrap();
            }
            w.finish().unwrap();
        }
        assert_eq!(String::from_utf8(buf).unwrap(), "x\\u{202e}y\\u{1b}\n甲");
    }

    #[test]
    fn json_mode_keeps_the_text_exactly() {
        let v = serde_json::json!({"t": "甲\u{202e}乙\u{85}\u{7f}"});
        let mut buf = Vec::new();
        {
            let mut w = Escaping::new(&mut buf, Mode::Json);
            serde_json::to_writer(&mut w, &v).unwrap();
            w.finish().unwrap();
        }
        let s = String::from_utf8(buf).unwrap();
        assert!(!s.chars().any(is_hazard), "{s}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}

//! The escapers the template engine applies to every value of the Markdown and HTML pages
//! (registered in `askama.toml` for the `md` and `html` extensions). Both first show
//! control and bidi characters as visible escapes (`\u{202e}`), as everywhere text reaches a
//! person (`render::escape`), and then make the text inert in the format.

use std::fmt::{self, Write};

use crate::render::escape::is_hazard;

/// Escapes text for a Markdown document: a hazard becomes a visible escape, a line break a
/// space (a break would end the table row or list item), and the characters Markdown gives a
/// meaning are backslash-escaped so that they show as written; `#` everywhere, so no value can
/// start a heading. `<` becomes `&lt;` and `&` becomes `&amp;`, so raw HTML such as `<script>`
/// or `<img onerror=…>` shows as text and never becomes a tag, and an entity such as `&lt;`
/// reads back as written: entities rather than backslashes, because Python-Markdown does not
/// take `\<` or `\&` as escapes and would show the backslash. A value that starts like a list item (`-`, `+`, `1.`, `1)`) has that
/// mark escaped, wherever the template puts it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl askama::filters::Escaper for Markdown {
    fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> fmt::Result {
        // A leading list mark: `-` or `+`, or digits followed by `.` or `)`, then a space, a
        // tab or the end (so "-1", "0.0%" and "1.1" stay as they are: they are no marks).
        let b = s.as_bytes();
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mark = match b.get(digits) {
            Some(b'-' | b'+') if digits == 0 => Some(0),
            Some(b'.' | b')') if digits > 0 => Some(digits),
            _ => None,
        }
        .filter(|&i| matches!(b.get(i + 1), None | Some(b' ' | b'\t')));
        for (i, c) in s.char_indices() {
            if Some(i) == mark {
                dest.write_char('\\')?;
            }
            markdown_char(&mut dest, c)?;
        }
        Ok(())
    }

    fn write_escaped_char<W: Write>(&self, mut dest: W, c: char) -> fmt::Result {
        if matches!(c, '-' | '+') {
            dest.write_char('\\')?;
        }
        markdown_char(&mut dest, c)
    }
}

fn markdown_char<W: Write>(dest: &mut W, c: char) -> fmt::Result {
    match c {
        '\n' => dest.write_char(' '),
        // The visible escape of a hazard starts with a backslash, which is itself escaped so
        // that the reader sees `\u{202e}` and not an escape Markdown would swallow.
        c if is_hazard(c) => {
            for e in c.escape_default() {
                markdown_char(dest, e)?;
            }
            Ok(())
        }
        // `<` starts raw HTML and autolinks, `&` an entity.
        '<' => dest.write_str("&lt;"),
        '&' => dest.write_str("&amp;"),
        // `|` ends a table cell; `\` escapes; `` ` ``, `*`, `_`, `~` format; `[`, `]` make
        // links and images; `>` quotes; `#` makes a heading.
        '\\' | '|' | '`' | '*' | '_' | '~' | '[' | ']' | '>' | '#' => {
            dest.write_char('\\')?;
            dest.write_char(c)
        }
        c => dest.write_char(c),
    }
}

/// Escapes text for HTML element content and attribute values: a hazard becomes a visible
/// escape (a character reference would still reorder or hide text in the browser), and the
/// five characters HTML gives a meaning become entities. The entities are the named ones the
/// page has always used (`&lt;`, not the engine's `&#60;`), so pages and the tests that read
/// them stay as they were.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: Write>(&self, mut dest: W, s: &str) -> fmt::Result {
        // Runs of ordinary characters are written in one piece; most text has nothing to escape.
        let mut start = 0;
        for (i, c) in s.char_indices() {
            if needs_html_escape(c) {
                dest.write_str(&s[start..i])?;
                html_char(&mut dest, c)?;
                start = i + c.len_utf8();
            }
        }
        dest.write_str(&s[start..])
    }

    fn write_escaped_char<W: Write>(&self, mut dest: W, c: char) -> fmt::Result {
        if needs_html_escape(c) {
            html_char(&mut dest, c)
        } else {
            dest.write_char(c)
        }
    }
}

/// Line breaks and tabs are harmless in HTML and kept; every other hazard is shown.
fn needs_html_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || (is_hazard(c) && c != '\n' && c != '\t')
}

fn html_char<W: Write>(dest: &mut W, c: char) -> fmt::Result {
    match c {
        '&' => dest.write_str("&amp;"),
        '<' => dest.write_str("&lt;"),
        '>' => dest.write_str("&gt;"),
        '"' => dest.write_str("&quot;"),
        '\'' => dest.write_str("&#39;"),
        c => {
            for e in c.escape_default() {
                dest.write_char(e)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use askama::filters::Escaper;

    fn md(s: &str) -> String {
        let mut o = String::new();
        Markdown.write_escaped_str(&mut o, s).unwrap();
        o
    }

    fn html(s: &str) -> String {
        let mut o = String::new();
        Html.write_escaped_str(&mut o, s).unwrap();
        o
    }

    #[test]
    fn markdown_neutralises_raw_html_and_markup() {
        assert_eq!(md("<script>x</script>"), r"&lt;script\>x&lt;/script\>");
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            r"&lt;img src=x onerror=alert(1)\>"
        );
        assert_eq!(
            md("a|b \\ *e* _u_ [x](y) `c` ~s~"),
            r"a\|b \\ \*e\* \_u\_ \[x\](y) \`c\` \~s\~"
        );
        assert_eq!(md("line1\nline2"), "line1 line2");
    }

    #[test]
    fn markdown_escapes_headings_entities_and_leading_list_marks() {
        assert_eq!(md("# heading"), r"\# heading");
        assert_eq!(md("a #b &lt; &amp;"), r"a \#b &amp;lt; &amp;amp;");
        assert_eq!(md("- item"), r"\- item");
        assert_eq!(md("+ item"), r"\+ item");
        assert_eq!(md("12. item"), r"12\. item");
        assert_eq!(md("3) item"), r"3\) item");
        // Only a leading mark: dates and refs keep their dashes and dots.
        assert_eq!(md("2025-C1.1"), "2025-C1.1");
        assert_eq!(md("2025-12-31"), "2025-12-31");
        assert_eq!(md("40%"), "40%");
        assert_eq!(md("0.0%"), "0.0%");
        assert_eq!(md("1.1"), "1.1");
        assert_eq!(md("-1"), "-1");
        assert_eq!(md("-"), r"\-");
    }

    #[test]
    fn markdown_shows_hazards_as_visible_escapes() {
        assert_eq!(md("a\u{202e}b"), r"a\\u{202e}b");
        assert_eq!(md("\t\u{1b}"), r"\\t\\u{1b}");
    }

    #[test]
    fn markdown_leaves_ordinary_text_alone() {
        let s = "加大法治供给（2025-12-31，40%）、《纲要》 with (parens) and 100% done";
        assert_eq!(md(s), s);
    }

    #[test]
    fn html_escapes_markup_and_hazards() {
        assert_eq!(
            html("<script>alert(1)</script> & \"q\" 's'"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;s&#39;"
        );
        assert_eq!(html("a\u{202e}b\u{2067}\n\t"), "a\\u{202e}b\\u{2067}\n\t");
        assert_eq!(html("纲要（2025）"), "纲要（2025）");
    }
}

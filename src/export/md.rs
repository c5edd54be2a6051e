//! Markdown a clerk can paste into the draft of the annual report, laid out by
//! `templates/export.md` from the page `page.rs` builds. The engine escapes every value with
//! `escape::Markdown`.

use std::io::{self, Write};

use askama::Template;

use super::page::Page;
use super::YearStatus;
use crate::model::Lang;

/// The shortcomings list puts each item's text four columns in ("-   "), and indents what
/// addresses it to that column, so the list nests in CommonMark and in Python-Markdown (which
/// needs four spaces) alike.
#[derive(Template)]
#[template(path = "export.md")]
struct Markdown<'a> {
    p: &'a Page,
}

/// Writes the yearly status as Markdown.
pub fn write(s: &YearStatus, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    Markdown {
        p: &Page::new(s, lang),
    }
    .write_into(out)
}

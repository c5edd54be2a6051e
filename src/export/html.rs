//! One self-contained HTML page: inline CSS, progress bars as inline SVG, no script and no
//! external resource, so it opens offline and prints cleanly. Laid out by
//! `templates/export.html` from the page `page.rs` builds; the engine escapes every value
//! with `escape::Html`.

use std::io::{self, Write};

use askama::Template;

use super::page::Page;
use super::YearStatus;
use crate::model::Lang;

#[derive(Template)]
#[template(path = "export.html")]
struct Html<'a> {
    p: &'a Page,
}

/// Writes the yearly status as an HTML page.
pub fn write(s: &YearStatus, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    Html {
        p: &Page::new(s, lang),
    }
    .write_into(out)
}

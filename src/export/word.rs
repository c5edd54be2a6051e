//! The year export as a Word document (`export --format docx`), ready to attach to the annual
//! report and print on A4: the title, the 填报单位 and date lines, the summary, the per-area
//! and per-unit tables and the shortcomings on portrait pages, then the task table on
//! landscape pages with its header row repeated on every page.
//!
//! The rows are written as the replay yields them, in bounded memory. The summary comes before
//! them in the document but is known only after the last row, so the rows' XML goes first to
//! an anonymous temporary file, compressed on the way (it is about ten times smaller, which
//! matters at a million tasks), and is copied into the document after the summary. A second
//! replay would cost as much time again as the export itself.

use std::io::{self, BufReader, BufWriter, Seek, SeekFrom, Write};

use flate2::{read::DeflateDecoder, write::DeflateEncoder, Compression};
use rusqlite::Connection;

use super::docx::{self, Col, Docx, Meta, Section, Style};
use super::{cells, columns, group_name, label_of, Cell, Group, Header, Row};
use super::{YearStatus, CELLS};
use crate::model::field::Column;
use crate::model::{Kind, Lang, Status, Word};
use crate::{Error, Result};

/// The first pages: the title, summary and tables.
const OPENING: Section = Section::PORTRAIT;
/// The task table's pages.
const TABLE: Section = Section::LANDSCAPE;

/// The rows of one table: the task list is split into tables of this many rows, each with
/// its heading row, which reads as one table on paper but spares LibreOffice from laying out
/// a table of thousands of rows as a whole (it took over 20 minutes for 7,500 rows).
const CHUNK: usize = 500;

/// A body over this size (uncompressed) is written as a zip64 entry; below it the entry stays
/// a plain one, which every reader opens.
const LARGE_BODY: u64 = 3 << 30;

fn io_error(e: io::Error) -> Error {
    Error::io("writing the Word document", e)
}

/// The styles of the task table's rows and headings: 8 pt, so nineteen columns fit one
/// landscape page with a date, a status word and 序号 each on one line.
const ROW: Style = Style::Dense;
const HEAD: Style = Style::DenseHead;

/// The width a column cannot do without, in twips, and its share of what is left: a column
/// of fixed words or figures (a date, a status, 序号) gets the width of its longest value on
/// one line at the table's size (`ROW`) and no share, so "2025-12-31" and 未启动 never break; the
/// columns of running text (the task, its area, the units, the latest progress) share the
/// rest by weight. A column added to `CELLS` gets a middling share, so it appears without
/// anything here changing.
fn need(c: Cell, lang: Lang) -> (u32, u32) {
    // A Chinese character is as wide as the font is high (20 twips a point, 10 a half-point)
    // and a digit about half that; a cell's side margins take 114 more, and a little slack
    // keeps a value off the border.
    const CJK: u32 = ROW.half_points() * 10;
    const DIGIT: u32 = CJK / 2;
    const PAD: u32 = 130;
    // English kind and status words ("shortcoming", "cancelled") are longer than Chinese ones.
    let en = lang == Lang::En;
    let words = |zh: u32, en_chars: u32| {
        if en {
            en_chars * DIGIT + PAD
        } else {
            zh * CJK + PAD
        }
    };
    let date = 10 * DIGIT + PAD;
    match c {
        Cell::No => (words(2, 4), 0),
        Cell::Task(Column::Ref) => (9 * DIGIT + PAD, 5),
        Cell::Task(Column::Kind) => (words(2, 11), 0),
        Cell::Task(Column::Area) => (words(2, 6), 40),
        Cell::Task(Column::Title) => (words(4, 10), 230),
        Cell::Task(Column::Owner) => (words(3, 8), 40),
        Cell::Task(Column::CoOwners) => (words(3, 8), 35),
        Cell::Task(Column::Year) => (4 * DIGIT + PAD + 40, 0),
        Cell::Task(Column::Deadline | Column::CompletedAt) | Cell::OriginalDeadline => (date, 0),
        Cell::Extended => (words(3, 9), 0),
        Cell::Task(Column::Status) => (words(3, 9), 0),
        Cell::Task(Column::Progress) => (words(2, 8).max(4 * DIGIT + PAD), 0),
        Cell::Overdue => (words(2, 7), 0),
        Cell::LatestNote => (words(4, 10), 120),
        Cell::Task(Column::Person) => (words(3, 8), 0),
        Cell::Extension | Cell::Evidence => (words(2, 8), 15),
        Cell::Task(_) => (words(3, 8), 20),
    }
}

/// Whether a column's cells are centred: figures and short fixed words.
fn centered(c: Cell) -> bool {
    matches!(
        c,
        Cell::No
            | Cell::Overdue
            | Cell::OriginalDeadline
            | Cell::Extended
            | Cell::Task(
                Column::Kind | Column::Status | Column::Progress | Column::Deadline | Column::Year
            )
    )
}

/// The task table's columns, filling the landscape page's text width.
fn task_columns(lang: Lang) -> Vec<Col> {
    let needs: Vec<(u32, u32)> = CELLS.iter().map(|c| need(*c, lang)).collect();
    let floor: u32 = needs.iter().map(|(min, _)| min).sum();
    let total = TABLE.text_width();
    let widths: Vec<u32> = if floor <= total {
        let weights: Vec<u32> = needs.iter().map(|(_, w)| *w).collect();
        let shares = docx::widths(&weights, total - floor);
        needs
            .iter()
            .zip(shares)
            .map(|((min, _), share)| min + share)
            .collect()
    } else {
        // Longer (English) words than the page holds: every column gives up the same part.
        let mins: Vec<u32> = needs.iter().map(|(min, _)| *min).collect();
        docx::widths(&mins, total)
    };
    widths
        .into_iter()
        .zip(CELLS)
        .map(|(width, c)| Col {
            width,
            center: centered(c),
        })
        .collect()
}

/// A writer that counts what passes through it.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the year export of `h` as a Word document to `out`, replaying the ledger on `conn`.
pub fn write<W: Write + Seek>(conn: &Connection, h: Header, lang: Lang, out: W) -> Result<W> {
    let cols = task_columns(lang);
    let tmp = tempfile::tempfile().map_err(|e| Error::io("creating a temporary file", e))?;
    let mut rows = Counting {
        inner: DeflateEncoder::new(BufWriter::new(tmp), Compression::fast()),
        bytes: 0,
    };
    let heads = columns(lang);
    let mut n = 0usize;
    let cutoff = crate::db::replay::end_of_day(h.as_of);
    // Both callbacks add to it, one after the other for each task.
    let short = std::cell::RefCell::new(Shortcomings::new(crate::db::recur::pairs(conn, &cutoff)?));
    let status = super::stream_seeing(
        conn,
        h,
        false,
        Some(&mut |r| {
            short.borrow_mut().see(r, lang);
            Ok(())
        }),
        &mut |r| {
            short.borrow_mut().selected(r, lang);
            if n > 0 && n % CHUNK == 0 {
                docx::table_end(&mut rows).map_err(io_error)?;
                docx::table_start(&mut rows, &cols, &heads, HEAD).map_err(io_error)?;
            }
            n += 1;
            docx::table_row(&mut rows, &cols, &cells(r, lang), ROW).map_err(io_error)
        },
    )?;
    let short = short.into_inner();
    let body_bytes = rows.bytes;
    let mut tmp = rows
        .inner
        .finish()
        .and_then(|w| w.into_inner().map_err(io::IntoInnerError::into_error))
        .map_err(io_error)?;
    tmp.seek(SeekFrom::Start(0)).map_err(io_error)?;

    let meta = Meta {
        title: status.header.title(lang),
        author: status.header.name.clone(),
        created: Some(status.header.generated_at.clone()),
    };
    let mut doc = Docx::new(out, &meta, OPENING, body_bytes > LARGE_BODY)?;
    let w = doc.body();
    opening(w, &status, &short, lang).map_err(io_error)?;
    docx::section_break(w, OPENING).map_err(io_error)?;
    docx::paragraph(w, Style::Heading, &text(lang, "export.page.tasks_3")).map_err(io_error)?;
    docx::table_start(w, &cols, &heads, HEAD).map_err(io_error)?;
    io::copy(&mut DeflateDecoder::new(BufReader::new(tmp)), w).map_err(io_error)?;
    docx::table_end(w).map_err(io_error)?;
    doc.finish(TABLE)
}

/// A fixed text of the catalogue in `lang`.
fn text(lang: Lang, key: &'static str) -> String {
    crate::i18n::text(lang, key).into_owned()
}

/// The portrait pages: title, header lines, summary, the per-area and per-unit tables and
/// the shortcomings with what addresses them.
fn opening(w: &mut dyn Write, s: &YearStatus, short: &Shortcomings, lang: Lang) -> io::Result<()> {
    let h = &s.header;
    let sep = text(lang, "export.page.text");
    docx::paragraph(w, Style::Title, &h.title(lang))?;
    let mut first = Vec::new();
    if let Some(name) = h.name.as_deref().filter(|n| !n.is_empty()) {
        first.push(format!("{}{sep}{name}", text(lang, "export.page.unit")));
    }
    first.push(format!(
        "{}{sep}{}",
        text(lang, "export.page.as_of"),
        h.as_of
    ));
    docx::paragraph(w, Style::Subtitle, &first.join("    "))?;
    let mut outline = format!(
        "{}{sep}{}",
        text(lang, "export.page.outline_period"),
        h.outline_label()
    );
    if h.closing_year {
        outline.push_str(&text(lang, "export.page.the_outline_s_closing_year"));
    }
    docx::paragraph(w, Style::Subtitle, &outline)?;
    docx::paragraph(
        w,
        Style::Subtitle,
        &format!(
            "{}{sep}{}",
            text(lang, "export.page.generated"),
            h.generated_local(lang)
        ),
    )?;

    // The summary: the year's figures in one row, then the count of each kind.
    docx::paragraph(w, Style::Heading, &text(lang, "export.page.summary"))?;
    let c = &s.summary.counts;
    let mut heads = vec![
        text(lang, "export.page.tasks"),
        text(lang, "export.page.completion"),
        text(lang, "export.page.mean_progress"),
        text(lang, "table.overdue"),
    ];
    let mut values = vec![
        c.total.to_string(),
        format!("{:.1}%", c.completion_rate),
        format!("{:.1}%", c.progress),
        c.overdue.to_string(),
    ];
    for st in Status::ALL {
        heads.push(st.label(lang).to_string());
        values.push(c.by_status.get(st.en()).copied().unwrap_or(0).to_string());
    }
    let cols: Vec<Col> = docx::widths(&vec![1; heads.len()], OPENING.text_width())
        .into_iter()
        .map(|width| Col {
            width,
            center: true,
        })
        .collect();
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    docx::table_start(w, &cols, &heads, Style::Head)?;
    docx::table_row(w, &cols, &values, Style::Cell)?;
    docx::table_end(w)?;
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .map(|k| {
            let n = s.summary.by_kind.get(k.en()).copied().unwrap_or(0);
            format!("{} {n}", k.label(lang))
        })
        .collect();
    docx::paragraph(
        w,
        Style::Body,
        &format!(
            "{}{sep}{}",
            text(lang, "export.page.by_kind"),
            kinds.join(&text(lang, "export.page.text_2"))
        ),
    )?;

    let total = Group {
        name: Some(text(lang, "export.xlsx.total")),
        counts: s.summary.counts.clone(),
    };
    for (heading, first_col, groups, owner) in [
        (
            "export.page.progress_by_area",
            "table.area",
            &s.areas,
            false,
        ),
        (
            "export.page.progress_by_owner",
            "table.owner",
            &s.owners,
            true,
        ),
    ] {
        docx::paragraph(w, Style::Heading, &text(lang, heading))?;
        group_table(w, &text(lang, first_col), groups, &total, owner, lang)?;
    }

    docx::paragraph(
        w,
        Style::Heading,
        &text(lang, "export.page.shortcomings_and_what_addresses_them"),
    )?;
    if short.list.is_empty() {
        docx::paragraph(
            w,
            Style::Body,
            &text(lang, "export.page.no_shortcomings_this_year"),
        )?;
    }
    let mut unaddressed = Vec::new();
    for sc in &short.list {
        let mut rest = format!(" {}{}", sc.title, sc.state);
        for t in short.recurs(sc.id, lang) {
            rest.push_str(&format!(" 【{t}】"));
        }
        docx::rich_paragraph(w, Style::Body, &[(&sc.label, true), (&rest, false)])?;
        let by = short.by(sc.id);
        if by.is_empty() {
            unaddressed.push(sc.label.as_ref());
            docx::paragraph(
                w,
                Style::Indented,
                &text(lang, "export.page.nothing_addresses_it_yet"),
            )?;
        }
        for a in by {
            docx::paragraph(w, Style::Indented, &a.line)?;
        }
    }
    if !unaddressed.is_empty() {
        docx::paragraph(
            w,
            Style::Body,
            &format!(
                "{}{sep}{}",
                text(lang, "export.page.shortcomings_nothing_addresses"),
                unaddressed.join(&text(lang, "list.separator"))
            ),
        )?;
    }
    Ok(())
}

/// "（进行中，40%）": a task's status and progress, as the shortcomings section shows them.
fn state(status: Status, kind: Kind, progress: u8, lang: Lang) -> String {
    crate::tr!(
        lang,
        "export.docx.state",
        status = status.shown(kind, lang),
        progress = progress
    )
}

/// A selected shortcoming as its section prints it.
struct Short {
    id: i64,
    label: Box<str>,
    title: Box<str>,
    /// "（未启动，0%）".
    state: Box<str>,
}

/// A task that addresses a shortcoming, as the line printed under it.
struct By {
    line: Box<str>,
    finished: bool,
}

/// The shortcomings section, gathered while the rows stream, in a compact form: the same
/// content as `YearStatus::shortcomings` (what addresses each shortcoming, the earlier ones
/// it repeats and whether those were closed off), but a few strings per item instead of whole
/// rows, so that the 41,555 shortcomings of a million-task ledger's year stay within the
/// export's memory bound. The rules are `stream`'s: a link counts as it stood on the day, an
/// earlier shortcoming is closed off when it was finished or everything addressing it was.
struct Shortcomings {
    /// Confirmed recurrences: (later, earlier).
    repeats: Vec<(i64, i64)>,
    wanted: std::collections::HashSet<i64>,
    list: Vec<Short>,
    chosen: std::collections::HashSet<i64>,
    by: std::collections::HashMap<i64, Vec<By>>,
    /// The earlier shortcomings that are repeated: label, plan year, status on the day.
    earlier: std::collections::HashMap<i64, (Box<str>, i32, Status)>,
}

impl Shortcomings {
    fn new(repeats: Vec<(i64, i64)>) -> Shortcomings {
        Shortcomings {
            wanted: repeats.iter().map(|p| p.1).collect(),
            repeats,
            list: Vec::new(),
            chosen: Default::default(),
            by: Default::default(),
            earlier: Default::default(),
        }
    }

    /// Every replayed task, in id order, before its row (if selected) reaches the sink.
    fn see(&mut self, r: &crate::db::replay::Replayed, lang: Lang) {
        let t = &r.task;
        let label = || t.reference.clone().unwrap_or_else(|| format!("#{}", t.id));
        if self.wanted.contains(&t.id) {
            self.earlier
                .insert(t.id, (label().into(), t.year, t.status));
        }
        // Tasks come in id order: a link to an earlier shortcoming that was not selected
        // (nor repeated) can never be shown.
        let keep: Vec<i64> = r
            .addresses
            .iter()
            .copied()
            .filter(|s| *s > t.id || self.chosen.contains(s) || self.wanted.contains(s))
            .collect();
        if keep.is_empty() {
            return;
        }
        let due = t
            .deadline
            .map(|d| d.to_string())
            .unwrap_or_else(|| crate::tr!(lang, "export.continuous"));
        let line: Box<str> = crate::tr!(
            lang,
            "export.docx.addressed",
            label = label(),
            title = t.title,
            status = t.status.shown(t.kind, lang),
            progress = t.progress,
            due = due
        )
        .into();
        for s in keep {
            self.by.entry(s).or_default().push(By {
                line: line.clone(),
                finished: t.status.is_finished(),
            });
        }
    }

    /// A selected row.
    fn selected(&mut self, r: &Row, lang: Lang) {
        if r.kind == Kind::Shortcoming {
            self.chosen.insert(r.id);
            self.list.push(Short {
                id: r.id,
                label: label_of(r).into(),
                title: r.title.as_str().into(),
                state: state(r.status, r.kind, r.progress, lang).into(),
            });
        }
    }

    /// What addresses shortcoming `id`.
    fn by(&self, id: i64) -> &[By] {
        self.by.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    /// The 重复出现 flags of shortcoming `id`.
    fn recurs(&self, id: i64, lang: Lang) -> Vec<String> {
        self.repeats
            .iter()
            .filter(|p| p.0 == id)
            .filter_map(|&(_, e)| {
                let (label, year, status) = self.earlier.get(&e)?;
                let by = self.by(e);
                let closed =
                    status.is_finished() || (!by.is_empty() && by.iter().all(|a| a.finished));
                Some(super::outline::recurrence_text(*year, label, closed, lang))
            })
            .collect()
    }
}

/// A table of groups (areas or units) with their figures and a total row.
fn group_table(
    w: &mut dyn Write,
    first: &str,
    groups: &[Group],
    total: &Group,
    owner: bool,
    lang: Lang,
) -> io::Result<()> {
    let heads = [
        first.to_string(),
        text(lang, "export.page.tasks_2"),
        text(lang, "export.page.completion"),
        text(lang, "export.page.mean_progress"),
        text(lang, "table.overdue"),
    ];
    let cols: Vec<Col> = docx::widths(&[8, 2, 2, 2, 2], OPENING.text_width())
        .into_iter()
        .enumerate()
        .map(|(i, width)| Col {
            width,
            center: i > 0,
        })
        .collect();
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    docx::table_start(w, &cols, &heads, Style::Head)?;
    for g in groups.iter().chain(std::iter::once(total)) {
        let c = &g.counts;
        let row = [
            group_name(g, owner, lang),
            c.total.to_string(),
            format!("{:.1}%", c.completion_rate),
            format!("{:.1}%", c.progress),
            c.overdue.to_string(),
        ];
        docx::table_row(w, &cols, &row, Style::Cell)?;
    }
    docx::table_end(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The task table fills the landscape page's text width exactly, whatever columns
    /// `CELLS` holds.
    #[test]
    fn the_task_table_fills_the_text_width() {
        for lang in [Lang::Zh, Lang::En] {
            let cols = task_columns(lang);
            assert_eq!(cols.len(), CELLS.len());
            assert_eq!(
                cols.iter().map(|c| c.width).sum::<u32>(),
                TABLE.text_width()
            );
        }
    }

    /// In Chinese a date, a status word and the two-character headings keep one line: their
    /// columns are at least as wide as the text at the table's size (before, with shares by
    /// weight alone, "2025-12-31" broke after "2025-12-" and 未启动 after 未启 in LibreOffice).
    #[test]
    fn fixed_columns_hold_their_values_on_one_line() {
        let cols = task_columns(Lang::Zh);
        let cjk = ROW.half_points() * 10;
        for (c, col) in CELLS.iter().zip(&cols) {
            let chars_x2 = match c {
                Cell::Task(Column::Deadline | Column::CompletedAt) | Cell::OriginalDeadline => 10,
                Cell::Task(Column::Status) => 6,
                Cell::No | Cell::Overdue | Cell::Task(Column::Kind) => 4,
                _ => continue,
            };
            assert!(
                col.width >= chars_x2 * cjk / 2 + 114,
                "{c:?} is {} twips wide",
                col.width
            );
        }
        let title = CELLS
            .iter()
            .position(|c| *c == Cell::Task(Column::Title))
            .and_then(|i| cols.get(i))
            .map_or(0, |c| c.width);
        assert!(
            title >= 10 * cjk,
            "the task column holds ten characters a line"
        );
    }
}

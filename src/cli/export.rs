use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::{emit_json, Ctx, Format};
use crate::db::{self, bulk, Ledger};
use crate::export::{self, YearStatus};
use crate::fsio::{self, Place};
use crate::model::date::end_of_year;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Export {
    /// The year whose status to export: its tasks as they stood on 31 December (or --as-of).
    /// With --format jsonl it is optional and limits the export to that plan year.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub year: Option<i32>,
    /// Write to FILE (atomically) instead of stdout ("-" is stdout); its extension picks the
    /// format when --format is not given. It is never the ledger or one of its files, and
    /// never a symlink, device or pipe.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the 填报 fill sheets: per unit, a workbook of its open tasks for the period
    /// ending on --as-of (default today), to -o DIR (one file per unit) or -o FILE.xlsx (one
    /// unit). The unit fills it in and `taizhang import` reads it back. 填报表
    #[arg(long, conflicts_with_all = ["year", "outline"])]
    pub fill: bool,
    /// The closing evaluation of an outline period (收官评估), e.g. --outline 2021-2025: per
    /// year, area and unit what was committed, done, verified, cancelled, carried over and
    /// left open, each year's shortcomings and the carried items (md, html, xlsx or json).
    #[arg(long, value_name = "START-END", conflicts_with = "year")]
    pub outline: Option<crate::model::Outline>,
    #[command(flatten)]
    pub scope: super::list::ScopeArgs,
}

/// The format to write: --format, else the output file's extension, else Markdown.
fn pick_format(given: Option<Format>, output: Option<&Path>) -> Result<Format> {
    if let Some(f) = given {
        return Ok(f);
    }
    let ext = output
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    Ok(match ext.as_deref() {
        None => Format::Md,
        Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        Some("docx") => Format::Docx,
        Some("md" | "markdown") => Format::Md,
        Some("html" | "htm") => Format::Html,
        Some("json") => Format::Json,
        Some("jsonl") => Format::Jsonl,
        Some(other) => {
            return Err(Error::usage(crate::msg!(
                "export.unknown_extension",
                ext = other
            )))
        }
    })
}

impl Export {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        // An export read on a terminal is escaped like every table: the text of a report
        // must not drive the terminal. Piped or written with -o, it keeps the text exactly.
        let to_stdout = self
            .output
            .as_deref()
            .is_none_or(|p| p.as_os_str() == fsio::DASH);
        if to_stdout && std::io::stdout().is_terminal() {
            use crate::render::escape::{Escaping, Mode};
            let json = matches!(ctx.format_given, Some(Format::Json | Format::Jsonl));
            let mut w = Escaping::new(out, if json { Mode::Json } else { Mode::Text });
            self.export(ledger, ctx, &mut w)?;
            return w.finish().map_err(|e| Error::io("writing the export", e));
        }
        self.export(ledger, ctx, out)
    }

    fn export(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        if self.fill {
            // A fill sheet is a unit's: --lead and --person do not pick one.
            if !self.scope.leads.is_empty() || self.scope.person.is_some() {
                return Err(Error::usage(crate::msg!("export.fill_scope")));
            }
            return super::fill::export(
                ledger,
                ctx,
                &self.scope.owners,
                self.output.as_deref(),
                out,
            );
        }
        let output = self
            .output
            .as_deref()
            .filter(|p| p.as_os_str() != fsio::DASH);
        if let Some(p) = output {
            fsio::check_output(p, ledger.path())?;
        }
        let format = pick_format(ctx.format_given, output)?;
        if format == Format::Xlsx && output.is_none() && std::io::stdout().is_terminal() {
            return Err(Error::usage(crate::msg!("export.xlsx_to_terminal")));
        }
        if format == Format::Docx && output.is_none() && std::io::stdout().is_terminal() {
            return Err(Error::usage(crate::msg!("export.docx_to_terminal")));
        }
        if let Some(span) = self.outline {
            return self.evaluation(ledger, ctx, span, format, output, out);
        }
        if format == Format::Jsonl {
            if !self.scope.is_empty() {
                return Err(Error::Usage(
                    "--format jsonl exports the whole ledger; --owner, --lead and --person are for the other formats".into(),
                ));
            }
            return match output {
                Some(p) => write_atomically(p, |w| {
                    ledger.read(|c| bulk::export(c, self.year, w)).map(|_| ())
                }),
                None => ledger.read(|c| bulk::export(c, self.year, out)).map(|_| ()),
            };
        }
        let Some(year) = self.year else {
            return Err(Error::usage(crate::msg!("export.needs_year")));
        };
        let year_end = end_of_year(year)
            .ok_or_else(|| Error::refused(crate::msg!("export.bad_year", year = year)))?;
        // As it stood at the year's end, unless a day was asked for; a year not over yet is
        // shown as it stands today.
        let as_of = if ctx.as_of_given {
            ctx.as_of
        } else {
            year_end.min(ctx.as_of)
        };
        let path = ledger.path().display().to_string();
        let lang = ctx.lang;
        let header = |c: &rusqlite::Connection| -> Result<export::Header> {
            // The period of the year shown, not the ledger's latest: a 2025 export keeps
            // saying 2021-2025 and its closing year after a 2026-2030 period is added.
            let period = db::periods::of_year(c, year)?;
            let outline = match &period {
                Some(p) => p.span(),
                None => db::outline(c)?,
            };
            let mut h = export::header(path.clone(), year, as_of, outline, &ctx.meta.at);
            h.outline_name = period.map(|p| p.name);
            h.timezone = db::timezone(c)?;
            h.scope = self.scope.scope(c)?;
            h.name = db::settings::name(c)?;
            Ok(h)
        };
        match format {
            // Rows stream from the replay into the file: memory stays flat however many.
            Format::Csv => {
                let mut run = |w: &mut dyn Write| {
                    ledger.read(|c| export::csv::stream(c, header(c)?, lang, w).map(|_| ()))
                };
                match output {
                    Some(p) => write_atomically(p, run),
                    None => run(out),
                }
            }
            Format::Xlsx => {
                let mut wb = ledger.read(|c| export::xlsx::workbook(c, header(c)?, lang))?;
                match output {
                    // The workbook writer panics on a write error (a full disk), so it
                    // writes through a latch that keeps the error for after it is done.
                    Some(p) => fsio::write_file_with(p, Place::Replace, |file| {
                        let mut w = fsio::Latch::new(file);
                        wb.save_to_writer(&mut w).map_err(xlsx_error)?;
                        w.finish()
                            .map_err(|e| Error::io(format!("cannot write {}", p.display()), e))
                    }),
                    None => {
                        let bytes = wb.save_to_buffer().map_err(xlsx_error)?;
                        out.write_all(&bytes)
                            .map_err(|e| Error::io("writing the export", e))
                    }
                }
            }
            // Rows stream from the replay into the document's body: memory stays bounded.
            Format::Docx => {
                let mut run = |file: &mut std::fs::File| -> Result<()> {
                    let w = ledger.read(|c| {
                        export::word::write(c, header(c)?, lang, std::io::BufWriter::new(file))
                    })?;
                    w.into_inner()
                        .map(|_| ())
                        .map_err(|e| Error::io("writing the Word document", e.into_error()))
                };
                match output {
                    Some(p) => fsio::write_file_with(p, Place::Replace, run),
                    None => {
                        // A zip is written with seeks back to each part's header, so for a
                        // pipe it is made in an anonymous temporary file and then copied.
                        use std::io::{Seek, SeekFrom};
                        let io = |e| Error::io("writing the export", e);
                        let mut tmp = tempfile::tempfile().map_err(io)?;
                        run(&mut tmp)?;
                        tmp.seek(SeekFrom::Start(0)).map_err(io)?;
                        std::io::copy(&mut tmp, out).map(|_| ()).map_err(io)
                    }
                }
            }
            _ => {
                let status =
                    ledger.read(|c| export::stream(c, header(c)?, true, &mut |_| Ok(())))?;
                match output {
                    Some(p) => write_atomically(p, |w| render(&status, format, ctx, w)),
                    None => render(&status, format, ctx, out),
                }
            }
        }
    }
}

impl Export {
    /// `export --outline START-END`: the closing evaluation of that period.
    fn evaluation(
        &self,
        ledger: &mut Ledger,
        ctx: &Ctx,
        span: crate::model::Outline,
        format: Format,
        output: Option<&Path>,
        out: &mut dyn Write,
    ) -> Result<()> {
        use crate::export::outline as eval;
        let lang = ctx.lang;
        let path = ledger.path().display().to_string();
        let e = ledger.read(|c| {
            let period = db::periods::with_span(c, span)?.ok_or_else(|| {
                Error::NotFound(crate::tr!(lang, "export.no_such_period", span = span))
            })?;
            // Each year is counted as it stood at its own end; the as-of day (today unless
            // --as-of) decides what was carried over since and whether shortcomings were
            // closed, since carry-over and late work happen after the period ends.
            let mut e = eval::evaluate(c, &period, ctx.as_of, path.clone(), &ctx.meta.at)?;
            e.header.unit = db::settings::name(c)?;
            e.header.timezone = db::timezone(c)?;
            Ok(e)
        })?;
        let io = |e| Error::io("writing the evaluation", e);
        let write = |w: &mut dyn Write| -> Result<()> {
            match format {
                Format::Md => eval::write_md(&e, lang, w).map_err(io),
                Format::Html => eval::write_html(&e, lang, w).map_err(io),
                Format::Json => emit_json(w, &e),
                Format::Xlsx => {
                    let mut wb = eval::workbook(&e, lang)?;
                    let bytes = wb.save_to_buffer().map_err(xlsx_error)?;
                    w.write_all(&bytes).map_err(io)
                }
                _ => Err(Error::Usage(
                    "export --outline writes md, html, xlsx or json".into(),
                )),
            }
        };
        match output {
            Some(p) => write_atomically(p, write),
            None => write(out),
        }
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::write("the workbook", e)
}

/// The document formats, rendered from the whole yearly status.
fn render(s: &YearStatus, format: Format, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let io = |e| Error::io("writing the export", e);
    match format {
        Format::Md => export::md::write(s, ctx.lang, out).map_err(io),
        Format::Html => export::html::write(s, ctx.lang, out).map_err(io),
        Format::Json => emit_json(out, s),
        _ => Err(Error::usage(crate::msg!("export.formats"))),
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it.
fn write_atomically(path: &Path, f: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    fsio::write_with(path, Place::Replace, f)
}

//! `notice`: the supervision notice (督办通知) for a unit with red or yellow warnings, or one
//! file per such unit with `--all`. The warnings are `warn`'s (db/warn.rs), the one rule of
//! red and yellow; this command only gathers what a notice shows of each task and writes it.
//! It only reads the ledger.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::warn::Colour;
use crate::db::Ledger;
use crate::export::notice::{self, Heading, Notice, Role, Warned};
use crate::fsio::{self, Place};
use crate::{Error, Result};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("whom").required(true).args(["owner", "all"])))]
pub struct NoticeCmd {
    /// The unit to notify, by its name or an alias. The notice lists the red and yellow tasks
    /// it leads and those it supports, with its role marked in the table. A unit with none
    /// gets one line saying so, no file, and exit 0.
    #[arg(long, value_name = "UNIT", value_parser = super::parse_name)]
    pub owner: Option<String>,
    /// One notice per unit with red or yellow tasks, written into the folder -o DIR (created
    /// if missing; default ./notices); prints the files written and the units skipped.
    #[arg(long)]
    pub all: bool,
    /// Write to FILE (atomically; "-" is stdout), or with --all into the folder DIR. The
    /// extension picks the format when --format is not given (.md, .html, .docx). Markdown
    /// goes to stdout without it; html and docx need it.
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    /// The day the reply is due (default: five working days, Monday to Friday, after
    /// --as-of; public holidays are not counted, so give the day around them).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    pub reply_by: Option<NaiveDate>,
    /// The sender in the signature block (default: the ledger's name, `config name`,
    /// followed by 法治政府建设领导小组办公室).
    #[arg(long, value_name = "TEXT", value_parser = super::parse_name)]
    pub from: Option<String>,
    /// The issuing office's code for the document number line, e.g. 天法办督: the line then
    /// reads 天法办督〔2025〕　　号 with the as-of year (default: 〔　　〕　　号, all left blank).
    #[arg(long, value_name = "TEXT", value_parser = super::parse_name)]
    pub doc_prefix: Option<String>,
}

/// The formats a notice is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Md,
    Html,
    Json,
    Docx,
}

impl Kind {
    fn ext(self) -> &'static str {
        match self {
            Kind::Md => "md",
            Kind::Html => "html",
            Kind::Json => "json",
            Kind::Docx => "docx",
        }
    }
}

/// The format: --format, else the output file's extension, else Markdown.
fn pick(given: Option<Format>, output: Option<&Path>, all: bool) -> Result<Kind> {
    match given {
        Some(Format::Md) => return Ok(Kind::Md),
        Some(Format::Html) => return Ok(Kind::Html),
        Some(Format::Json) => return Ok(Kind::Json),
        Some(Format::Docx) => return Ok(Kind::Docx),
        Some(_) => return Err(Error::usage(crate::msg!("notice.formats"))),
        None => {}
    }
    if all {
        return Ok(Kind::Md);
    }
    let ext = output
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        None | Some("md" | "markdown") => Ok(Kind::Md),
        Some("html" | "htm") => Ok(Kind::Html),
        Some("json") => Ok(Kind::Json),
        Some("docx") => Ok(Kind::Docx),
        Some(other) => Err(Error::usage(crate::msg!(
            "notice.unknown_extension",
            ext = other
        ))),
    }
}

impl NoticeCmd {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let output = self
            .output
            .as_deref()
            .filter(|p| p.as_os_str() != fsio::DASH);
        let kind = pick(ctx.format_given, output, self.all)?;
        if self.all {
            return self.all_units(ledger, ctx, kind, out);
        }
        let Some(owner) = self.owner.as_deref() else {
            return Err(Error::usage(crate::msg!("notice.whom")));
        };
        if matches!(kind, Kind::Html | Kind::Docx) && output.is_none() {
            return Err(Error::usage(crate::msg!(
                "notice.needs_output",
                format = kind.ext()
            )));
        }
        if let Some(p) = output {
            fsio::check_output(p, ledger.path())?;
        }
        // The unit as the register knows it: its current name and every name it went by.
        let (unit, names) = ledger.read(|c| {
            let names = crate::db::units::names_of(c, owner)?;
            let known = crate::db::units::find(c, owner)?;
            if known.is_none() && !crate::db::notice::any_task_names(c, &names)? {
                return Err(Error::not_found(crate::msg!(
                    "notice.unknown_unit",
                    name = owner
                )));
            }
            let unit = known.map_or_else(|| owner.to_string(), |(_, name)| name);
            Ok((unit, names))
        })?;
        let scope = crate::db::tasks::Scope {
            owners: names,
            ..Default::default()
        };
        let warned = gather(ledger, ctx, &scope)?;
        let mine: Vec<Warned> = warned
            .into_iter()
            .filter_map(|w| role_of(&w.task, &unit).map(|role| Warned { role, ..w }))
            .collect();
        if mine.is_empty() {
            return emit(
                out,
                crate::tr!(
                    ctx.lang,
                    "notice.nothing",
                    unit = crate::render::printable(&unit),
                    day = ctx.as_of
                ),
            );
        }
        let heading = self.heading(ledger, ctx, unit)?;
        let n = Notice::new(&heading, &mine, ctx.lang);
        match output {
            Some(p) => fsio::write_with(p, Place::Replace, |w| write(&n, kind, ctx, w)),
            None if std::io::stdout().is_terminal() => {
                // On a terminal the text must not drive it, as with `export`.
                use crate::render::escape::{Escaping, Mode};
                let mode = if kind == Kind::Json {
                    Mode::Json
                } else {
                    Mode::Text
                };
                let mut w = Escaping::new(out, mode);
                write(&n, kind, ctx, &mut w)?;
                w.finish().map_err(|e| Error::io("writing the notice", e))
            }
            None => write(&n, kind, ctx, out),
        }
    }

    /// `--all`: one notice per unit with red or yellow tasks, into a folder.
    fn all_units(
        &self,
        ledger: &mut Ledger,
        ctx: &Ctx,
        kind: Kind,
        out: &mut dyn Write,
    ) -> Result<()> {
        if self.owner.is_some() {
            return Err(Error::usage(crate::msg!("notice.whom")));
        }
        let dir = self
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("notices"));
        let warned = gather(ledger, ctx, &crate::db::tasks::Scope::default())?;
        // Each warned task goes to its lead unit and to each supporting unit, by current name.
        let mut by_unit: BTreeMap<String, Vec<Warned>> = BTreeMap::new();
        // A warned task with no unit goes to nobody: said at the end, so it is not lost.
        let mut unowned = 0usize;
        for w in warned {
            if w.task.owner.is_none() && w.task.co_owners.is_empty() {
                unowned += 1;
                continue;
            }
            let mut units: Vec<(String, Role)> = Vec::new();
            if let Some(o) = w.task.owner.clone() {
                units.push((o, Role::Lead));
            }
            for c in &w.task.co_owners {
                if !units.iter().any(|(u, _)| u == c) {
                    units.push((c.clone(), Role::Support));
                }
            }
            for (u, role) in units {
                by_unit
                    .entry(u)
                    .or_default()
                    .push(Warned { role, ..w.clone() });
            }
        }
        // The units of the register with nothing to warn are the ones skipped.
        let register: Vec<String> = ledger.read(|c| {
            Ok(crate::db::units::list(c)?
                .into_iter()
                .map(|u| u.name)
                .collect())
        })?;
        let skipped: Vec<&String> = register
            .iter()
            .filter(|u| !by_unit.contains_key(*u))
            .collect();
        // Every notice is rendered before any is written, so that a failure in the ledger or
        // the templates writes nothing; each file then appears whole or not at all.
        let mut taken: HashSet<String> = HashSet::new();
        let mut files: Vec<(PathBuf, &String, &Vec<Warned>, Vec<u8>)> = Vec::new();
        for (unit, list) in &by_unit {
            let heading = self.heading(ledger, ctx, unit.clone())?;
            let n = Notice::new(&heading, list, ctx.lang);
            let mut bytes = Vec::new();
            write(&n, kind, ctx, &mut bytes)?;
            let stem = notice::unique(notice::safe_file_stem(unit), &mut taken);
            files.push((
                dir.join(format!("{stem}.{}", kind.ext())),
                unit,
                list,
                bytes,
            ));
        }
        if !files.is_empty() {
            if dir.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                return Err(Error::refused(crate::msg!(
                    "notice.not_a_folder",
                    path = dir.display()
                )));
            }
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::io(format!("cannot create the folder {}", dir.display()), e))?;
        }
        for (path, _, _, _) in &files {
            fsio::check_output(path, ledger.path())?;
        }
        for (path, unit, list, bytes) in &files {
            fsio::write_with(path, Place::Replace, |w| {
                w.write_all(bytes)
                    .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
            })?;
            let count = |c: Colour| list.iter().filter(|w| w.colour == c).count();
            emit(
                out,
                crate::tr!(
                    ctx.lang,
                    "notice.written",
                    path = path.display(),
                    unit = crate::render::printable(unit),
                    red = count(Colour::Red),
                    yellow = count(Colour::Yellow)
                ),
            )?;
        }
        for unit in &skipped {
            emit(
                out,
                crate::tr!(
                    ctx.lang,
                    "notice.skipped",
                    unit = crate::render::printable(unit)
                ),
            )?;
        }
        if unowned > 0 {
            emit(out, crate::tr!(ctx.lang, "notice.unowned", count = unowned))?;
        }
        emit(
            out,
            crate::tr!(
                ctx.lang,
                "notice.all_summary",
                written = files.len(),
                skipped = skipped.len(),
                day = ctx.as_of
            ),
        )
    }

    fn heading(&self, ledger: &mut Ledger, ctx: &Ctx, unit: String) -> Result<Heading> {
        let name = ledger.read(crate::db::settings::name)?;
        Ok(Heading {
            unit,
            ledger: name,
            as_of: ctx.as_of,
            reply_by: self
                .reply_by
                .unwrap_or_else(|| notice::working_days_after(ctx.as_of, 5)),
            from: self.from.clone(),
            doc_prefix: self.doc_prefix.clone(),
        })
    }
}

/// The unit's role in a task (its units shown by current names), None when it has none.
fn role_of(t: &crate::model::Task, unit: &str) -> Option<Role> {
    if t.owner.as_deref() == Some(unit) {
        Some(Role::Lead)
    } else if t.co_owners.iter().any(|c| c == unit) {
        Some(Role::Support)
    } else {
        None
    }
}

/// The red and yellow tasks in `scope` at the as-of day, by warn's rule (as they stood then
/// with --as-of, as they stand without), with their units under current names, their latest
/// progress note, first deadline and pending extension request. The role is filled in later.
fn gather(ledger: &mut Ledger, ctx: &Ctx, scope: &crate::db::tasks::Scope) -> Result<Vec<Warned>> {
    let cutoff = ctx
        .as_of_given
        .then(|| crate::db::replay::end_of_day(ctx.as_of));
    ledger.read(|c| {
        let found = if ctx.as_of_given {
            crate::db::warn::warnings_then(c, ctx.as_of, 0, None, scope)?
        } else {
            crate::db::warn::warnings(c, ctx.as_of, 0, None, scope)?
        };
        let current = crate::db::units::Current::load(c)?;
        let pending: HashMap<i64, NaiveDate> = match &cutoff {
            Some(cut) => crate::db::requests::pending_at(c, cut)?,
            None => crate::db::requests::pending(c)?,
        }
        .into_iter()
        .map(|r| (r.task_id, r.deadline))
        .collect();
        let mut out = Vec::new();
        for w in found.warnings {
            if w.colour == Colour::Blue {
                continue;
            }
            let mut task = w.task;
            current.relabel(&mut task);
            let first = crate::db::notice::first_deadline(c, task.id, cutoff.as_deref())?;
            let note = crate::db::notice::latest_note(c, task.id, cutoff.as_deref())?;
            out.push(Warned {
                colour: w.colour,
                role: Role::Lead,
                days_left: w.days_left,
                first_deadline: first,
                note,
                pending: pending.get(&task.id).copied(),
                task,
            });
        }
        Ok(out)
    })
}

fn write(n: &Notice, kind: Kind, ctx: &Ctx, w: &mut dyn Write) -> Result<()> {
    let io = |e| Error::io("writing the notice", e);
    match kind {
        Kind::Md => n.write_md(w).map_err(io),
        Kind::Html => n.write_html(w).map_err(io),
        Kind::Json => emit_json(w, n),
        Kind::Docx => w
            .write_all(&n.docx(Some(ctx.meta.at.clone()), ctx.lang)?)
            .map_err(io),
    }
}

//! `import LEDGER.xlsx|.xls|.ods|.csv`: the office's own ledger. The dry run prints the column
//! mapping, the sections, each task with what will happen to it, counts per kind and status,
//! and the rows left out; the import applies exactly that in one transaction.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::Import;
use crate::cli::{emit, emit_json, Ctx, Format};
use crate::db::{Access, Ledger};
use crate::import::ledger_sheet::apply::{self, Action, Plan};
use crate::import::ledger_sheet::{self as sheet, Book, Options};
use crate::model::Word;
use crate::render::{fit, printable};
use crate::{Error, Result};

fn options(c: &Import, ctx: &Ctx) -> Options {
    Options {
        sheet: c.sheet.clone(),
        map: c.map.clone(),
        status_map: c.status_map.clone(),
        year: c.year,
        lang: ctx.lang,
    }
}

/// Reads the book, or refuses it with one line per problem on stderr.
fn read(c: &Import, ctx: &Ctx) -> Result<Book> {
    match sheet::read(&c.file, &options(c, ctx))? {
        Ok(b) => Ok(b),
        Err(problems) => {
            for p in &problems {
                eprintln!("taizhang: {}", printable(p));
            }
            Err(Error::Refused(crate::tr!(
                ctx.lang,
                "import.sheet.not_imported",
                file = c.file.display(),
                count = problems.len()
            )))
        }
    }
}

/// Every row a new task, for a ledger that does not exist yet.
fn all_new(book: &Book) -> Plan {
    let actions = book
        .sheets
        .iter()
        .enumerate()
        .flat_map(|(si, s)| (0..s.rows.len()).map(move |ri| (si, ri, Action::Create)))
        .collect();
    Plan {
        already: None,
        actions,
        missing: Vec::new(),
    }
}

pub fn preview(c: &Import, path: &Path, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let book = read(c, ctx)?;
    let plan = if path.is_file() {
        let mut ledger = Ledger::open(path, Access::Read, &ctx.meta.at)?;
        ledger.read(|conn| apply::plan(conn, &book, ctx.as_of))?
    } else {
        all_new(&book)
    };
    if ctx.format == Format::Json {
        return emit_json(out, &serde_json::json!({ "ledger": book, "plan": plan }));
    }
    print(&book, &plan, ctx, out)?;
    emit(out, crate::tr!(ctx.lang, "import.sheet.dry_run"))
}

pub fn run(c: &Import, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let book = read(c, ctx)?;
    let path = c.file.display().to_string();
    let done = ledger.write(&ctx.meta, |w| {
        // Every task belongs to an outline period: a sheet whose plan year lies outside every
        // period is refused, with the command that adds it, before anything is written.
        for s in book.sheets.iter().filter(|s| !s.rows.is_empty()) {
            crate::db::periods::require_year(w.conn(), s.year, ctx.lang)?;
        }
        apply::apply(w, &book, &path, ctx.as_of)
    })?;
    if ctx.format == Format::Json {
        return emit_json(out, &done);
    }
    let title = printable(&book.title);
    let doc = done.document.unwrap_or_default();
    emit(
        out,
        if done.already_imported {
            crate::tr!(
                ctx.lang,
                "import.sheet.already_imported",
                title = title,
                doc = doc
            )
        } else {
            crate::tr!(
                ctx.lang,
                "import.sheet.imported",
                title = title,
                doc = doc,
                created = done.created.len(),
                updated = done.updated.len(),
                unchanged = done.unchanged
            )
        },
    )
}

/// The dry run's text.
fn print(book: &Book, plan: &Plan, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let unit = book
        .unit
        .as_deref()
        .map(|u| {
            format!(
                "  {} {}",
                crate::tr!(ctx.lang, "import.sheet.unit"),
                printable(u)
            )
        })
        .unwrap_or_default();
    emit(
        out,
        format!(
            "{} {}: {}{unit}",
            crate::tr!(ctx.lang, "import.sheet.ledger"),
            printable(&book.file),
            printable(&book.title)
        ),
    )?;
    if !book.merges_read {
        emit(
            out,
            format!("  {}", crate::tr!(ctx.lang, "import.sheet.merges_unknown")),
        )?;
    }
    if let Some(doc) = plan.already {
        emit(
            out,
            format!(
                "  {}",
                crate::tr!(ctx.lang, "import.sheet.version_imported", doc = doc)
            ),
        )?;
    }
    for (name, why) in &book.skipped_sheets {
        emit(
            out,
            format!(
                "  {} {}: {}",
                crate::tr!(ctx.lang, "import.sheet.sheet_left_out"),
                printable(name),
                why
            ),
        )?;
    }
    let actions: std::collections::HashMap<(usize, usize), &Action> = plan
        .actions
        .iter()
        .map(|(si, ri, a)| ((*si, *ri), a))
        .collect();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<crate::model::Status, usize> = BTreeMap::new();
    for (si, s) in book.sheets.iter().enumerate() {
        let rows = if s.header_rows.0 == s.header_rows.1 {
            format!("{}", s.header_rows.0)
        } else {
            format!("{}-{}", s.header_rows.0, s.header_rows.1)
        };
        emit(
            out,
            format!(
                "\n{} {}  {} {rows}  {} {}",
                crate::tr!(ctx.lang, "import.sheet.sheet"),
                printable(&s.name),
                crate::tr!(ctx.lang, "import.sheet.header_row"),
                crate::tr!(ctx.lang, "import.sheet.plan_year"),
                s.year
            ),
        )?;
        emit(
            out,
            format!("  {}", crate::tr!(ctx.lang, "import.sheet.mapping")),
        )?;
        for col in &s.columns {
            if col.header.is_empty() && col.target.is_none() {
                continue;
            }
            let to = match (col.target, col.duplicate) {
                (Some(t), false) => {
                    let by = if col.mapped { " (--map)" } else { "" };
                    format!("{}{by}", t.name())
                }
                (Some(t), true) => format!(
                    "{} {}",
                    t.name(),
                    crate::tr!(ctx.lang, "import.sheet.duplicate_column")
                ),
                (None, _) => crate::tr!(ctx.lang, "import.sheet.unknown_column"),
            };
            emit(
                out,
                format!("    {:<3} {} → {to}", col.letter, printable(&col.header)),
            )?;
        }
        if !s.sections.is_empty() {
            emit(
                out,
                format!("  {}", crate::tr!(ctx.lang, "import.sheet.sections")),
            )?;
            for sec in &s.sections {
                emit(
                    out,
                    format!(
                        "    {} {:>3}  {} ({})",
                        crate::tr!(ctx.lang, "import.sheet.row"),
                        sec.row,
                        fit(&printable(&sec.title), 50),
                        sec.tasks
                    ),
                )?;
            }
        }
        emit(
            out,
            format!("  {}", crate::tr!(ctx.lang, "import.sheet.tasks")),
        )?;
        for (ri, r) in s.rows.iter().enumerate() {
            let action = actions.get(&(si, ri)).copied();
            let tag = match action {
                Some(Action::Create) => crate::tr!(ctx.lang, "import.sheet.action_new"),
                Some(Action::Update { task, .. }) => format!(
                    "{} #{task}",
                    crate::tr!(ctx.lang, "import.sheet.action_update")
                ),
                Some(Action::Unchanged { task }) => format!(
                    "{} #{task}",
                    crate::tr!(ctx.lang, "import.sheet.action_same")
                ),
                None => "-".into(),
            };
            let mut depth = 0;
            let mut p = r.parent;
            while let Some(i) = p {
                depth += 1;
                p = s.rows.get(i).and_then(|x| x.parent);
            }
            let due = match (r.continuous, r.deadline) {
                (true, _) => crate::tr!(ctx.lang, "import.sheet.continuous"),
                (false, Some(d)) => d.to_string(),
                (false, None) => "-".into(),
            };
            let words = r
                .deadline_text
                .as_deref()
                .map(|t| format!("（{}）", printable(t)))
                .unwrap_or_default();
            let co = if r.co_owners.is_empty() {
                String::new()
            } else {
                format!(" + {}", printable(&r.co_owners.join("、")))
            };
            emit(
                out,
                format!(
                    "    {} {:>3} {}{} [{tag}] {} | {} | {}{co} | {due}{words} | {}",
                    crate::tr!(ctx.lang, "import.sheet.row"),
                    r.row,
                    "  ".repeat(depth),
                    printable(&apply::key(s, r)),
                    fit(&printable(&r.title), 40),
                    r.area
                        .as_deref()
                        .map(printable)
                        .unwrap_or_else(|| "-".into()),
                    r.owner
                        .as_deref()
                        .map(printable)
                        .unwrap_or_else(|| "-".into()),
                    r.status.label(ctx.lang),
                ),
            )?;
            let mut extra = Vec::new();
            if let Some(w) = &r.status_word {
                extra.push(format!(
                    "{} {}",
                    crate::tr!(ctx.lang, "import.sheet.status_word"),
                    printable(w)
                ));
            }
            if let Some(p) = &r.person {
                extra.push(format!(
                    "{} {}",
                    crate::tr!(ctx.lang, "import.sheet.person"),
                    printable(p)
                ));
            }
            if let Some(e) = &r.evidence {
                extra.push(format!(
                    "{} {}",
                    crate::tr!(ctx.lang, "import.sheet.evidence"),
                    fit(&printable(e), 30)
                ));
            }
            if let Some(n) = &r.progress_note {
                extra.push(format!(
                    "{} {}",
                    crate::tr!(ctx.lang, "import.sheet.progress"),
                    fit(&printable(n), 30)
                ));
            }
            if !extra.is_empty() {
                emit(out, format!("          {}", extra.join("; ")))?;
            }
            if let Some(Action::Update { cells, .. }) = action {
                for cell in cells {
                    emit(
                        out,
                        format!(
                            "          {}: {} → {}",
                            cell.field,
                            fit(&printable(&cell.old), 30),
                            fit(&printable(&cell.new), 30)
                        ),
                    )?;
                }
            }
            *kinds.entry(r.kind.label(ctx.lang)).or_default() += 1;
            *statuses.entry(r.status).or_default() += 1;
        }
        if !s.skipped.is_empty() {
            emit(
                out,
                format!("  {}", crate::tr!(ctx.lang, "import.sheet.rows_not_read")),
            )?;
            for (row, why) in &s.skipped {
                emit(
                    out,
                    format!(
                        "    {} {:>3}: {}",
                        crate::tr!(ctx.lang, "import.sheet.row"),
                        row,
                        printable(why)
                    ),
                )?;
            }
        }
    }
    let total: usize = book.sheets.iter().map(|s| s.rows.len()).sum();
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let statuses: Vec<String> = statuses
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label(ctx.lang)))
        .collect();
    emit(
        out,
        format!(
            "\n{}: {total} ({}); {}: {}",
            crate::tr!(ctx.lang, "import.sheet.total"),
            kinds.join(", "),
            crate::tr!(ctx.lang, "import.sheet.status"),
            statuses.join(", ")
        ),
    )?;
    if !plan.missing.is_empty() {
        emit(
            out,
            crate::tr!(ctx.lang, "import.sheet.missing", count = plan.missing.len()),
        )?;
        for (id, r) in &plan.missing {
            emit(out, format!("  #{id} {}", printable(r)))?;
        }
    }
    let created = plan.count(|a| matches!(a, Action::Create));
    let updated = plan.count(|a| matches!(a, Action::Update { .. }));
    let same = plan.count(|a| matches!(a, Action::Unchanged { .. }));
    emit(
        out,
        crate::tr!(
            ctx.lang,
            "import.sheet.would_import",
            created = created,
            updated = updated,
            same = same
        ),
    )
}

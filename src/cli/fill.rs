//! The 填报 fill-sheet round trip on the command line: `export --fill` writes each unit's
//! workbook, and `import SHEET.xlsx` previews or applies one the unit sent back.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{emit, emit_json, Ctx, Format};
use crate::db::fill::{self as store, Key};
use crate::db::{Access, Ledger};
use crate::export::fill::{self as layout, Row, Sheet};
use crate::fsio::{self, Place};
use crate::import::fill::FillSheet;
use crate::ledger::fill::{self as domain, Plan};
use crate::model::{Lang, Word};
use crate::render::printable;
use crate::{Error, Result};

/// Random bytes as lower-case hex, from the operating system.
fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| Error::refused(crate::msg!("fill.no_random", reason = e)))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The ledger's fill-sheet key, made on the first `export --fill`. Export otherwise only
/// reads, so the key is stored through a writing connection of its own, as a setting
/// without history.
fn key_of(ledger: &mut Ledger, ctx: &Ctx) -> Result<Key> {
    if let Some(k) = ledger.read(store::key)? {
        return Ok(k);
    }
    let fresh = Key {
        ledger_id: random_hex(16)?,
        secret: random_hex(32)?,
    };
    let mut w = Ledger::open(ledger.path(), Access::Write, &ctx.meta.at)
        .map_err(|e| Error::refused(crate::msg!("fill.no_key_read_only", reason = e)))?;
    w.write(&ctx.meta, |wr| store::ensure_key(wr.conn(), &fresh))
}

/// `export --fill`: one workbook per unit of its open tasks, for the period ending on the
/// as-of day.
pub fn export(
    ledger: &mut Ledger,
    ctx: &Ctx,
    owners: &[String],
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    if ctx.format_given.is_some_and(|f| f != Format::Xlsx) {
        return Err(Error::usage(crate::msg!("fill.not_with_format")));
    }
    let Some(output) = output.filter(|p| p.as_os_str() != fsio::DASH) else {
        return Err(Error::usage(crate::msg!("fill.needs_output")));
    };
    let to_dir = output.is_dir();
    let xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !to_dir && !xlsx {
        return Err(Error::usage(crate::msg!(
            "fill.bad_output",
            path = output.display()
        )));
    }
    let as_of = ctx.as_of;
    let key = key_of(ledger, ctx)?;
    let (units, unowned): (Vec<(String, Vec<Row>)>, usize) = ledger.read(|c| {
        // Each unit given once, by its current name, whichever of its names was given.
        let mut given = Vec::new();
        for o in owners {
            let n = store::unit_name(c, o)?;
            if !given.contains(&n) {
                given.push(n);
            }
        }
        let open = store::open_tasks(c, as_of, &given)?;
        let unowned = open
            .iter()
            .filter(|t| t.owner.is_none() && t.co_owners.is_empty())
            .count();
        let names: Vec<String> = if owners.is_empty() {
            let mut all = BTreeSet::new();
            for t in &open {
                all.extend(t.owner.iter().cloned());
                all.extend(t.co_owners.iter().cloned());
            }
            all.into_iter().collect()
        } else {
            given
        };
        names
            .into_iter()
            .map(|unit| {
                let rows = open
                    .iter()
                    .filter(|t| store::serves(t, &unit))
                    .map(|t| {
                        Ok(Row {
                            version: store::version(c, t.id)?,
                            latest_note: store::latest_note(c, t.id)?,
                            task: t.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok((unit, rows))
            })
            .collect::<Result<Vec<_>>>()
            .map(|u| (u, unowned))
    })?;
    if let Some((unit, _)) = units.iter().find(|(_, rows)| rows.is_empty()) {
        return Err(Error::not_found(crate::msg!(
            "fill.not_a_unit",
            unit = printable(unit)
        )));
    }
    if units.is_empty() {
        return Err(Error::not_found(crate::msg!("fill.no_units")));
    }
    if !to_dir && units.len() > 1 {
        return Err(Error::usage(crate::msg!(
            "fill.many_units",
            count = units.len()
        )));
    }
    // Open work that names no unit goes to nobody: the office should know.
    if owners.is_empty() && unowned > 0 {
        ctx.warn(&crate::tr!(ctx.lang, "fill.unowned", count = unowned));
    }
    let ledger_name = ledger
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut used = BTreeSet::new();
    for (unit, rows) in &units {
        let path = if to_dir {
            output.join(unique(layout::file_name(unit), &mut used))
        } else {
            output.to_path_buf()
        };
        fsio::check_output(&path, ledger.path())?;
        let sheet = Sheet {
            key: &key,
            unit,
            as_of,
            made_at: &ctx.meta.at,
            ledger: &ledger_name,
        };
        let mut wb = layout::workbook(&sheet, rows)?;
        // The workbook writer panics on a write error (a full disk), so it writes through a
        // latch that keeps the error for after it is done.
        fsio::write_file_with(&path, Place::Replace, |file| {
            let mut w = fsio::Latch::new(file);
            wb.save_to_writer(&mut w)
                .map_err(|e| Error::write(path.display().to_string(), e))?;
            w.finish()
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
        })?;
        emit(
            out,
            crate::tr!(
                ctx.lang,
                "fill.wrote",
                path = path.display(),
                unit = printable(unit),
                count = rows.len(),
                as_of = as_of
            ),
        )?;
    }
    Ok(())
}

/// A file name not used yet in this export: two units whose names differ only in
/// characters a file name cannot hold get "-2", "-3", ….
fn unique(name: String, used: &mut BTreeSet<String>) -> PathBuf {
    let stem = name.trim_end_matches(".xlsx").to_string();
    let mut candidate = name;
    let mut n = 1;
    while !used.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{stem}-{n}.xlsx");
    }
    PathBuf::from(candidate)
}

/// `import SHEET.xlsx` for a fill sheet: prints what would change and, with `--apply`,
/// applies it.
pub fn import(
    ledger: &mut Ledger,
    ctx: &Ctx,
    path: &Path,
    apply: bool,
    skip_conflicts: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let sheet = crate::import::fill::read(path)?;
    let lang = ctx.lang;
    let plan = if apply {
        domain::apply(ledger, &ctx.meta, &sheet, skip_conflicts, lang)?
    } else {
        ledger.read(|c| domain::plan(c, &sheet, lang))?
    };
    refuse(&plan, path, apply, ctx)?;
    if ctx.format == Format::Json {
        return emit_json(out, &plan);
    }
    print_plan(&plan, &sheet, ctx, out)?;
    // Refused rows are named whether the others were applied (--skip-conflicts) or not.
    print_conflicts(&plan, ctx)?;
    // On a terminal the clerk who just read the preview is asked, instead of having to run
    // the command again with --apply; piped or scripted, it stays a preview.
    let would_apply = !plan.changes.is_empty() && (plan.conflicts.is_empty() || skip_conflicts);
    if !apply && would_apply && std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        out.flush().map_err(|e| Error::io("writing output", e))?;
        eprint!("{}", crate::tr!(lang, "msg.fill.apply_these_y_n"));
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| Error::io("reading the answer", e))?;
        if matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            // Checked again inside the write: the ledger may have changed while it asked.
            let done = domain::apply(ledger, &ctx.meta, &sheet, skip_conflicts, lang)?;
            refuse(&done, path, true, ctx)?;
            return summary(&done, ctx, out);
        }
    }
    summary(&plan, ctx, out)
}

/// Refuses a sheet with bad rows, or one whose rows conflict when it was to be applied, with
/// the rows named on stderr.
fn refuse(plan: &Plan, path: &Path, apply: bool, ctx: &Ctx) -> Result<()> {
    if !plan.bad.is_empty() {
        for b in &plan.bad {
            eprintln!("taizhang: {}", printable(b));
        }
        return Err(Error::refused(crate::msg!(
            "fill.bad_rows",
            path = path.display(),
            count = plan.bad.len()
        )));
    }
    if apply && !plan.applied {
        print_conflicts(plan, ctx)?;
        return Err(Error::conflict(crate::msg!(
            "fill.conflicts",
            path = path.display(),
            count = plan.conflicts.len()
        )));
    }
    Ok(())
}

/// The closing line: what was imported, or how to apply a preview.
fn summary(plan: &Plan, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    let n = plan.changes.len();
    emit(
        out,
        if plan.applied {
            crate::tr!(
                lang,
                "fill.imported",
                unit = printable(&plan.unit),
                as_of = plan.as_of,
                count = n,
                actor = printable(&domain::actor(&plan.unit, &ctx.meta.actor))
            )
        } else {
            crate::tr!(lang, "fill.preview", count = n)
        },
    )
}

fn name_of(reference: Option<&str>, id: i64, title: &str) -> String {
    let r = reference
        .map(|r| format!(" {}", printable(r)))
        .unwrap_or_default();
    format!("#{id}{r} 「{}」", crate::render::fit(&printable(title), 30))
}

/// Conflicting rows go to stderr, by name: the person must see them even when stdout is a
/// file.
fn print_conflicts(p: &Plan, ctx: &Ctx) -> Result<()> {
    for c in &p.conflicts {
        let name = name_of(c.reference.as_deref(), c.task, &c.title);
        eprintln!(
            "taizhang: {}",
            crate::tr!(ctx.lang, "fill.row_conflict", row = c.row, name = name)
        );
    }
    Ok(())
}

fn print_plan(p: &Plan, sheet: &FillSheet, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let zh = ctx.lang == Lang::Zh;
    emit(
        out,
        crate::tr!(
            ctx.lang,
            "fill.sheet_head",
            unit = printable(&sheet.unit),
            as_of = sheet.as_of,
            made = printable(&sheet.made_at)
        ),
    )?;
    for c in &p.changes {
        let name = name_of(c.reference.as_deref(), c.task, &c.title);
        emit(
            out,
            crate::tr!(ctx.lang, "fill.row", row = c.row, name = name),
        )?;
        if let Some((a, b)) = c.progress {
            emit(
                out,
                format!("    {} {a}% → {b}%", crate::tr!(ctx.lang, "fill.progress")),
            )?;
        }
        if let Some((a, b)) = c.status {
            emit(
                out,
                format!(
                    "    {} {} → {}",
                    crate::tr!(ctx.lang, "fill.status"),
                    a.label(ctx.lang),
                    b.label(ctx.lang)
                ),
            )?;
        }
        let line = |label: &str, v: &str| {
            format!("    {label}：{}", crate::render::fit(&printable(v), 70))
        };
        if let Some(r) = &c.report {
            emit(out, line(&crate::tr!(ctx.lang, "fill.report"), r))?;
        }
        if let Some(r) = &c.problems {
            emit(out, line(&crate::tr!(ctx.lang, "fill.problems"), r))?;
        }
        if !c.evidence.is_empty() {
            emit(
                out,
                line(
                    &crate::tr!(ctx.lang, "fill.evidence"),
                    &c.evidence.join(if zh { "；" } else { "; " }),
                ),
            )?;
        }
        if let Some((d, why)) = &c.extension {
            emit(
                out,
                line(
                    &format!("{} {d}", crate::tr!(ctx.lang, "fill.extension_to")),
                    why,
                ),
            )?;
        }
    }
    if p.unchanged > 0 {
        emit(
            out,
            crate::tr!(ctx.lang, "fill.unchanged", count = p.unchanged),
        )?;
    }
    Ok(())
}

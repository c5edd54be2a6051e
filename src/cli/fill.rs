//! The 填报 fill-sheet round trip on the command line: `export --fill` writes each unit's
//! workbook, and `import SHEET.xlsx` previews or applies one the unit sent back.

use std::collections::BTreeSet;
use std::io::Write;
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
    getrandom::fill(&mut buf).map_err(|e| {
        Error::Refused(format!(
            "the system's random source failed ({e}); a fill-sheet key cannot be made here"
        ))
    })?;
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
    let mut w = Ledger::open(ledger.path(), Access::Write, &ctx.meta.at).map_err(|e| {
        Error::Refused(match ctx.lang {
            Lang::Zh => format!("本台账还没有填报表密钥，而此处无法写入台账（{e}）；请在可写入台账的地方先运行一次 taizhang export --fill"),
            Lang::En => format!("the ledger has no fill-sheet key yet and cannot be written here ({e}); run `taizhang export --fill` once where the ledger can be written"),
        })
    })?;
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
        return Err(Error::Usage(
            ctx.t(
                "填报表是 Excel 工作簿：--fill 不能与 --format 同用（或用 --format xlsx）",
                "fill sheets are Excel workbooks: drop --format (or give --format xlsx) with --fill",
            )
            .into(),
        ));
    }
    let Some(output) = output.filter(|p| p.as_os_str() != fsio::DASH) else {
        return Err(Error::Usage(
            ctx.t(
                "export --fill 写出工作簿：请用 -o 目录（每个单位一份）或 -o 文件.xlsx（一个单位）",
                "export --fill writes workbooks: give -o DIR (one file per unit) or -o FILE.xlsx (one unit)",
            )
            .into(),
        ));
    };
    let to_dir = output.is_dir();
    let xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !to_dir && !xlsx {
        return Err(Error::Usage(match ctx.lang {
            Lang::Zh => format!(
                "{} 既不是已有目录也不是 .xlsx 文件；请用 -o 目录 或 -o 文件.xlsx",
                output.display()
            ),
            Lang::En => format!(
                "{} is neither an existing folder nor an .xlsx file; give -o DIR or -o FILE.xlsx",
                output.display()
            ),
        }));
    }
    let as_of = ctx.as_of;
    let key = key_of(ledger, ctx)?;
    let (units, unowned): (Vec<(String, Vec<Row>)>, usize) = ledger.read(|c| {
        let open = store::open_tasks(c, as_of)?;
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
            // Each unit once, by its current name, whichever of its names was given.
            let mut seen = BTreeSet::new();
            let mut names = Vec::new();
            for o in owners {
                let n = store::unit_name(c, o)?;
                if seen.insert(n.clone()) {
                    names.push(n);
                }
            }
            names
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
        return Err(Error::NotFound(match ctx.lang {
            Lang::Zh => format!(
                "「{}」不是任何未完成任务的牵头或配合单位；用 taizhang list 查看单位名称",
                printable(unit)
            ),
            Lang::En => format!(
                "'{}' is not the lead or a supporting unit of any open task; see the unit names with `taizhang list`",
                printable(unit)
            ),
        }));
    }
    if units.is_empty() {
        return Err(Error::NotFound(
            ctx.t(
                "没有任何未完成任务写明了牵头或配合单位，没有可发出的填报表",
                "no open task names a lead or supporting unit: there is no fill sheet to send",
            )
            .into(),
        ));
    }
    if !to_dir && units.len() > 1 {
        return Err(Error::Usage(match ctx.lang {
            Lang::Zh => format!(
                "有 {} 个单位有未完成任务：写一个文件请加 --owner 单位，或用 -o 目录 为每个单位各写一份",
                units.len()
            ),
            Lang::En => format!(
                "{} units have open tasks: give --owner UNIT for one file, or -o DIR for one file per unit",
                units.len()
            ),
        }));
    }
    // Open work that names no unit goes to nobody: the office should know.
    if owners.is_empty() && unowned > 0 {
        ctx.warn(&match ctx.lang {
            Lang::Zh => format!("{unowned} 项未完成任务没有牵头或配合单位，不在任何填报表中"),
            Lang::En => format!(
                "{unowned} open tasks name no lead or supporting unit and are in no fill sheet"
            ),
        });
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
            match ctx.lang {
                Lang::Zh => format!(
                    "已写出 {}：{}，{} 项任务，截至 {as_of}",
                    path.display(),
                    printable(unit),
                    rows.len()
                ),
                Lang::En => format!(
                    "Wrote {} for {}: {} tasks, period ending {as_of}",
                    path.display(),
                    printable(unit),
                    rows.len()
                ),
            },
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
    if !plan.bad.is_empty() {
        for b in &plan.bad {
            eprintln!("taizhang: {}", printable(b));
        }
        return Err(Error::Refused(match lang {
            Lang::Zh => format!(
                "{} 未导入：{} 行有误（见上），台账未改动；请单位改正后重新报送，或只填写白色列",
                path.display(),
                plan.bad.len()
            ),
            Lang::En => format!(
                "{} was not imported: {} bad rows (listed above); the ledger is unchanged. Have the unit correct them and send the sheet again",
                path.display(),
                plan.bad.len()
            ),
        }));
    }
    if apply && !plan.applied {
        print_conflicts(&plan, ctx)?;
        return Err(Error::Conflict(match lang {
            Lang::Zh => format!(
                "{} 未导入：{} 行的任务在生成填报表后已有变更（见上），台账未改动；加 --skip-conflicts 只导入其余各行，或重新生成填报表",
                path.display(),
                plan.conflicts.len()
            ),
            Lang::En => format!(
                "{} was not imported: the tasks of {} rows changed after the sheet was made (listed above); the ledger is unchanged. Add --skip-conflicts to apply the other rows, or send the unit a new sheet",
                path.display(),
                plan.conflicts.len()
            ),
        }));
    }
    if ctx.format == Format::Json {
        return emit_json(out, &plan);
    }
    print_plan(&plan, &sheet, ctx, out)?;
    // Refused rows are named whether the others were applied (--skip-conflicts) or not.
    print_conflicts(&plan, ctx)?;
    let n = plan.changes.len();
    emit(
        out,
        match (lang, plan.applied) {
            (Lang::Zh, true) => format!(
                "已导入 {} 的填报表（截至 {}）：{n} 项任务，记为「{}」。",
                printable(&plan.unit),
                plan.as_of,
                printable(&domain::actor(&plan.unit, &ctx.meta.actor))
            ),
            (Lang::En, true) => format!(
                "Imported the fill sheet of {} (period ending {}): {n} tasks, recorded as \"{}\".",
                printable(&plan.unit),
                plan.as_of,
                printable(&domain::actor(&plan.unit, &ctx.meta.actor))
            ),
            (Lang::Zh, false) => format!("（预览：{n} 项任务将更新，台账未改动；加 --apply 写入）"),
            (Lang::En, false) => format!(
                "(preview: {n} tasks would change; nothing was written. Add --apply to apply it)"
            ),
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
            match ctx.lang {
                Lang::Zh => format!(
                    "第 {} 行 {name}：生成填报表后该任务已有变更，此行未导入",
                    c.row
                ),
                Lang::En => format!(
                    "row {} {name}: the task changed after the sheet was made; this row is refused",
                    c.row
                ),
            }
        );
    }
    Ok(())
}

fn print_plan(p: &Plan, sheet: &FillSheet, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let zh = ctx.lang == Lang::Zh;
    emit(
        out,
        match ctx.lang {
            Lang::Zh => format!(
                "填报表：{}，截至 {}，生成于 {}",
                printable(&sheet.unit),
                sheet.as_of,
                printable(&sheet.made_at)
            ),
            Lang::En => format!(
                "Fill sheet of {}, period ending {}, made {}",
                printable(&sheet.unit),
                sheet.as_of,
                printable(&sheet.made_at)
            ),
        },
    )?;
    for c in &p.changes {
        let name = name_of(c.reference.as_deref(), c.task, &c.title);
        emit(
            out,
            match ctx.lang {
                Lang::Zh => format!("  第 {} 行 {name}", c.row),
                Lang::En => format!("  row {} {name}", c.row),
            },
        )?;
        if let Some((a, b)) = c.progress {
            emit(
                out,
                format!("    {} {a}% → {b}%", ctx.t("进度", "progress")),
            )?;
        }
        if let Some((a, b)) = c.status {
            emit(
                out,
                format!(
                    "    {} {} → {}",
                    ctx.t("状态", "status"),
                    a.label(ctx.lang),
                    b.label(ctx.lang)
                ),
            )?;
        }
        let line = |label: &str, v: &str| {
            format!("    {label}：{}", crate::render::fit(&printable(v), 70))
        };
        if let Some(r) = &c.report {
            emit(out, line(ctx.t("本期进展", "progress report"), r))?;
        }
        if let Some(r) = &c.problems {
            emit(out, line(ctx.t("存在问题", "problems"), r))?;
        }
        if !c.evidence.is_empty() {
            emit(
                out,
                line(
                    ctx.t("佐证材料", "evidence"),
                    &c.evidence.join(if zh { "；" } else { "; " }),
                ),
            )?;
        }
        if let Some((d, why)) = &c.extension {
            emit(
                out,
                line(
                    &format!("{} {d}", ctx.t("申请延期至", "extension asked to")),
                    why,
                ),
            )?;
        }
    }
    if p.unchanged > 0 {
        emit(
            out,
            match ctx.lang {
                Lang::Zh => format!("  未填写的行 {} 行（不变）", p.unchanged),
                Lang::En => format!("  {} rows left empty (no change)", p.unchanged),
            },
        )?;
    }
    Ok(())
}

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
use crate::model::{Lang, Word};
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
            Err(Error::Refused(match ctx.lang {
                Lang::Zh => format!(
                    "{} 未导入：{} 处问题（见上）；在表中改正，或用 --map / --status-map 说明，然后再导入",
                    c.file.display(),
                    problems.len()
                ),
                Lang::En => format!(
                    "{} was not imported: {} problems (listed above); correct them in the workbook or explain them with --map / --status-map, then import it again",
                    c.file.display(),
                    problems.len()
                ),
            }))
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
    emit(
        out,
        ctx.t("（预览，未写入台账）", "(dry run: nothing was written)"),
    )
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
        match (ctx.lang, done.already_imported) {
            (Lang::Zh, true) => format!(
                "台账《{title}》的这一版本已导入过（文档 #{doc}），未新增或更改任何任务。"
            ),
            (Lang::En, true) => format!(
                "This version of the ledger \"{title}\" was already imported (document #{doc}); nothing was created or changed."
            ),
            (Lang::Zh, false) => format!(
                "已导入台账《{title}》（文档 #{doc}）：新增任务 {} 项，更新 {} 项，未变 {} 项。",
                done.created.len(),
                done.updated.len(),
                done.unchanged
            ),
            (Lang::En, false) => format!(
                "Imported the ledger \"{title}\" as document #{doc}: {} tasks created, {} updated, {} unchanged.",
                done.created.len(),
                done.updated.len(),
                done.unchanged
            ),
        },
    )
}

/// The dry run's text.
fn print(book: &Book, plan: &Plan, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let unit = book
        .unit
        .as_deref()
        .map(|u| format!("  {} {}", ctx.t("填报单位", "unit"), printable(u)))
        .unwrap_or_default();
    emit(
        out,
        format!(
            "{} {}: {}{unit}",
            ctx.t("台账", "Ledger"),
            printable(&book.file),
            printable(&book.title)
        ),
    )?;
    if !book.merges_read {
        emit(
            out,
            ctx.t(
                "  注意：此格式不提供合并单元格信息，合并单元格只在左上格有值；需要时另存为 .xlsx",
                "  note: this format does not say which cells are merged; a merged cell counts for its top-left cell only (save as .xlsx to spread it)",
            ),
        )?;
    }
    if let Some(doc) = plan.already {
        emit(
            out,
            match ctx.lang {
                Lang::Zh => format!("  这一版本已导入过（文档 #{doc}）：导入不会新增或更改任何任务"),
                Lang::En => format!(
                    "  this version was already imported (document #{doc}): importing it creates and changes nothing"
                ),
            },
        )?;
    }
    for (name, why) in &book.skipped_sheets {
        emit(
            out,
            format!(
                "  {} {}: {}",
                ctx.t("跳过工作表", "sheet left out"),
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
                ctx.t("工作表", "Sheet"),
                printable(&s.name),
                ctx.t("表头行", "header row"),
                ctx.t("计划年度", "plan year"),
                s.year
            ),
        )?;
        emit(out, format!("  {}", ctx.t("列映射：", "Mapping:")))?;
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
                    ctx.t("（重复，不导入）", "(duplicate, left out)")
                ),
                (None, _) => ctx
                    .t("（未识别，不导入）", "(not recognised, left out)")
                    .into(),
            };
            emit(
                out,
                format!("    {:<3} {} → {to}", col.letter, printable(&col.header)),
            )?;
        }
        if !s.sections.is_empty() {
            emit(
                out,
                format!("  {}", ctx.t("分部（领域）：", "Sections (areas):")),
            )?;
            for sec in &s.sections {
                emit(
                    out,
                    format!(
                        "    {} {:>3}  {} ({})",
                        ctx.t("行", "row"),
                        sec.row,
                        fit(&printable(&sec.title), 50),
                        sec.tasks
                    ),
                )?;
            }
        }
        emit(out, format!("  {}", ctx.t("任务：", "Tasks:")))?;
        for (ri, r) in s.rows.iter().enumerate() {
            let action = actions.get(&(si, ri)).copied();
            let tag = match action {
                Some(Action::Create) => ctx.t("新增", "new").to_string(),
                Some(Action::Update { task, .. }) => format!("{} #{task}", ctx.t("更新", "update")),
                Some(Action::Unchanged { task }) => format!("{} #{task}", ctx.t("未变", "same")),
                None => "-".into(),
            };
            let mut depth = 0;
            let mut p = r.parent;
            while let Some(i) = p {
                depth += 1;
                p = s.rows.get(i).and_then(|x| x.parent);
            }
            let due = match (r.continuous, r.deadline) {
                (true, _) => ctx.t("长期", "continuous").to_string(),
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
                    ctx.t("行", "row"),
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
                    ctx.t("状态原文", "status word"),
                    printable(w)
                ));
            }
            if let Some(p) = &r.person {
                extra.push(format!("{} {}", ctx.t("责任人", "person"), printable(p)));
            }
            if let Some(e) = &r.evidence {
                extra.push(format!(
                    "{} {}",
                    ctx.t("佐证材料", "evidence"),
                    fit(&printable(e), 30)
                ));
            }
            if let Some(n) = &r.progress_note {
                extra.push(format!(
                    "{} {}",
                    ctx.t("进展", "progress"),
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
                format!("  {}", ctx.t("未读取的行：", "Rows not read:")),
            )?;
            for (row, why) in &s.skipped {
                emit(
                    out,
                    format!("    {} {:>3}: {}", ctx.t("行", "row"), row, printable(why)),
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
            ctx.t("合计", "Total"),
            kinds.join(", "),
            ctx.t("状态", "status"),
            statuses.join(", ")
        ),
    )?;
    if !plan.missing.is_empty() {
        emit(
            out,
            match ctx.lang {
                Lang::Zh => format!(
                    "此前版本中的 {} 项任务不在本版本中，保持不变（如已撤销，用 update --status cancelled --note 原因）：",
                    plan.missing.len()
                ),
                Lang::En => format!(
                    "{} tasks of earlier versions are not in this version and are left as they are (cancel them with update --status cancelled --note REASON if they were dropped):",
                    plan.missing.len()
                ),
            },
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
        match ctx.lang {
            Lang::Zh => format!("导入将新增 {created} 项，更新 {updated} 项，{same} 项不变"),
            Lang::En => {
                format!("Import would create {created}, update {updated}, leave {same} unchanged")
            }
        },
    )
}

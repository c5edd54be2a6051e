use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{emit, emit_json, parse_name, Ctx, Format};

mod ledger_sheet;
use crate::db::progress::{self, GroupBy};
use crate::db::tasks::Filter;
use crate::db::Ledger;
use crate::import::apply::{self, Options, Prepared};
use crate::import::review;
use crate::import::{Encoding, Item, Section};
use crate::model::Lang;
use crate::render::{fit, printable};
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct Import {
    #[command(flatten)]
    pub who: super::Who,
    /// The report as a text file (UTF-8 or GBK; LF, CRLF or CR line ends), or - for standard
    /// input (at most 10 MB). 年度报告文本
    pub file: PathBuf,
    /// Print what was found (parts, sections, items with refs and deadlines) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The plan year of the commitments (default: the year the report's plans name).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub year: Option<i32>,
    /// The lead unit for tasks whose text names none (otherwise unassigned).
    #[arg(long, value_parser = parse_name)]
    pub owner: Option<String>,
    /// The file's text encoding.
    #[arg(long, default_value = "auto", value_parser = parse_encoding)]
    pub encoding: Encoding,
    /// Apply the suggested links between commitments and the shortcomings they address.
    #[arg(long)]
    pub link: bool,
    /// For a JSON Lines file (another ledger's `export --format jsonl`): a label prefixed to
    /// its refs ("天宁区/2025-C1.1"), so refs stay unique when ledgers are merged.
    #[arg(long, value_parser = parse_name, value_name = "LABEL")]
    pub source: Option<String>,
    /// Import even when sentences inside a shortcomings or plans part were not assigned to any
    /// item (they are listed; by default the import is refused).
    #[arg(long)]
    pub accept_unassigned: bool,
    /// Print the report's outline with the rule that fired for each part, and write nothing.
    #[arg(long)]
    pub explain: bool,
    /// The file is a corrected text of a report already imported (same issuer and report
    /// year): store it and update the titles and bodies of the existing tasks, with history.
    #[arg(long)]
    pub new_version: bool,
    /// Write a review sheet (审核表, .xlsx) of the items found, for the office to correct in
    /// Excel or WPS, and write nothing to the ledger; `import SHEET.xlsx` then applies it.
    #[arg(long, value_name = "XLSX")]
    pub review: Option<PathBuf>,
    /// For a 填报 fill sheet a unit sent back: apply it (without --apply the changes are only
    /// printed). 写入
    #[arg(long)]
    pub apply: bool,
    /// For a fill sheet: apply the other rows when some rows' tasks changed after the sheet
    /// was made (those rows are refused by name; by default the whole sheet is).
    #[arg(long)]
    pub skip_conflicts: bool,
    /// For an office's own ledger (.xlsx, .xls, .ods, .csv): read only this sheet (by default
    /// every sheet with a recognisable header).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// For an office's own ledger: what a column holds when its header is not in the table of
    /// synonyms, as 列名=field (fields: seq, source, area, title, problem, measures, owner,
    /// co-owners, person, deadline, progress, status, done-flag, verified-flag, evidence,
    /// remark, ignore). Repeatable.
    #[arg(long = "map", value_name = "列名=FIELD", value_parser = crate::import::ledger_sheet::parse_map)]
    pub map: Vec<(String, crate::import::ledger_sheet::columns::Target)>,
    /// For an office's own ledger: the status a word of its status column means, as
    /// 词=status (todo, doing, blocked, done, verified), e.g. 基本完成=doing. Repeatable.
    #[arg(long = "status-map", value_name = "词=STATUS", value_parser = crate::import::ledger_sheet::parse_status_map)]
    pub status_map: Vec<(String, crate::model::Status)>,
    /// Tag each task with the outline area (纲要领域 FZ01–FZ10) suggested for it (shown by
    /// --dry-run; only areas whose suggestions proved right at least four times in five).
    #[arg(long)]
    pub tag: bool,
}

/// Whether the file is a review sheet: a workbook written as .xlsx, which the office may send
/// back saved as .xls (WPS, older Excel) or .ods (LibreOffice's own format).
fn is_review_sheet(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| {
        ["xlsx", "xls", "ods"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Whether the file is a JSON Lines ledger export rather than a report: by its extension,
/// else by its first bytes.
fn is_jsonl(path: &std::path::Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
    {
        return true;
    }
    // Only a regular file is opened to look: opening a FIFO would wait for a writer.
    if path.as_os_str() == crate::fsio::DASH || !std::fs::metadata(path).is_ok_and(|m| m.is_file())
    {
        return false;
    }
    let mut head = [0u8; 32];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .map(|n| head[..n].starts_with(br#"{"type":"header""#))
        .unwrap_or(false)
}

fn parse_encoding(s: &str) -> std::result::Result<Encoding, crate::i18n::Msg> {
    s.parse::<Encoding>().map_err(|e| e.msg())
}

impl Import {
    /// Whether the file is a 填报 fill sheet (by its hidden marker), not a review sheet.
    fn is_fill(&self) -> bool {
        is_review_sheet(&self.file) && crate::import::fill::is_fill_sheet(&self.file)
    }

    /// Whether the file is an office's own ledger: a CSV file, or a workbook that is not a
    /// review sheet or a fill sheet (taizhang's own layouts are recognised first, by their
    /// marks).
    fn is_office_ledger(&self) -> bool {
        use crate::import::ledger_sheet::grid::Format as F;
        match F::of(&self.file) {
            Some(F::Csv) => true,
            Some(_) => {
                !review::is_review(&self.file) && !crate::import::fill::is_fill_sheet(&self.file)
            }
            None => false,
        }
    }

    /// Reads the report, or the review sheet the office corrected.
    fn prepare(&self) -> Result<Prepared> {
        if is_review_sheet(&self.file) {
            return match review::read(&self.file)? {
                Ok(p) => Ok(p),
                Err(rows) => {
                    // One line per bad row, then the refusal itself.
                    for r in &rows {
                        eprintln!("taizhang: {}", printable(r));
                    }
                    Err(Error::refused(crate::msg!(
                        "import.bad_rows",
                        path = self.file.display(),
                        count = rows.len()
                    )))
                }
            };
        }
        let bytes = apply::read(&self.file)?;
        apply::prepare(&bytes, self.encoding, self.year)
    }

    /// Refuses a report path that cannot be read with a limit (a folder, device, FIFO or
    /// socket) before the ledger is opened, so such a command creates no ledger.
    pub fn check_input(&self) -> Result<()> {
        crate::fsio::check_input(&self.file)?;
        let sheet_options =
            self.sheet.is_some() || !self.map.is_empty() || !self.status_map.is_empty();
        let office = self.is_office_ledger();
        if office && (self.review.is_some() || self.new_version || self.explain) {
            return Err(Error::Usage(
                "--review, --explain and --new-version are for a report's text; an office's ledger is previewed with --dry-run, and a later version of it is recognised by itself (仅用于年度报告)".into(),
            ));
        }
        // A review sheet carries the office's choice in its 纲要领域 column, and the other
        // files have no report text to suggest from.
        if self.tag
            && (office
                || is_review_sheet(&self.file)
                || is_jsonl(&self.file)
                || self.review.is_some())
        {
            return Err(Error::Usage(
                "--tag applies the suggested outline areas of a report's text; a review sheet carries them in its 纲要领域 column, other files have none (仅用于年度报告文本)".into(),
            ));
        }
        if sheet_options && !office {
            return Err(Error::Usage(
                "--sheet, --map and --status-map are for an office's own ledger (.xlsx, .xls, .ods or .csv); leave them out for a report or a review sheet (仅用于导入单位台账)".into(),
            ));
        }
        Ok(())
    }

    /// Refuses a `--review` path that `export -o` would refuse: the ledger or one of its
    /// files, a symbolic link (writing would replace what it points to), a folder or device,
    /// or a path in a folder that does not exist.
    pub fn check_review_output(&self, ledger: &std::path::Path) -> Result<()> {
        match &self.review {
            Some(sheet) => crate::fsio::check_output(sheet, ledger),
            None => Ok(()),
        }
    }

    /// `--dry-run`: reads and parses the report and prints what was found, without opening
    /// (or creating) the ledger. An office's ledger is compared with the ledger at `path`
    /// when it exists (read only), to show what a later version would change.
    pub fn preview(&self, path: &std::path::Path, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        if self.is_fill() {
            return Err(Error::usage(crate::msg!("import.fill_preview_flags")));
        }
        if self.is_office_ledger() {
            return ledger_sheet::preview(self, path, ctx, out);
        }
        let prepared = self.prepare()?;
        warn_unmatched(&prepared, ctx);
        if self.tag {
            refuse_tag_without_suggestions(&prepared, ctx)?;
        }
        if let Some(sheet) = &self.review {
            let n = review::write(&prepared, sheet)?;
            return emit(
                out,
                crate::tr!(
                    ctx.lang,
                    "import.review_written",
                    sheet = sheet.display(),
                    rows = n
                ),
            );
        }
        if self.explain {
            return match ctx.format {
                Format::Json => emit_json(out, &prepared.report.outline),
                _ => print_explain(&prepared, ctx, out),
            };
        }
        match ctx.format {
            Format::Json => emit_json(
                out,
                &serde_json::json!({
                    "report": prepared.report,
                    "suggested_links": prepared.suggestions,
                    "suggested_outline_areas": suggested_areas(&prepared)
                        .into_iter()
                        .map(|(r, a)| serde_json::json!({"ref": r, "outline_area": a}))
                        .collect::<Vec<_>>(),
                }),
            ),
            _ => print_tree(&prepared, ctx, out),
        }
    }

    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        if is_jsonl(&self.file) {
            return self.bulk(ledger, ctx, out);
        }
        if self.is_fill() {
            return super::fill::import(
                ledger,
                ctx,
                &self.file,
                self.apply,
                self.skip_conflicts,
                out,
            );
        }
        if self.apply || self.skip_conflicts {
            return Err(Error::usage(crate::msg!("import.apply_only_fill")));
        }
        if self.is_office_ledger() {
            return ledger_sheet::run(self, ledger, ctx, out);
        }
        let prepared = self.prepare()?;
        warn_unmatched(&prepared, ctx);
        refuse_unassigned(&prepared, ctx, self.accept_unassigned)?;
        if self.tag {
            refuse_tag_without_suggestions(&prepared, ctx)?;
        }
        let reviewed = is_review_sheet(&self.file);
        let opts = Options {
            owner: self.owner.clone(),
            link: self.link,
            path: Some(self.file.display().to_string()),
            new_version: self.new_version,
            note: reviewed
                .then(|| "经审核表审核后导入 / imported through the review sheet".to_string()),
            lang: ctx.lang,
            tag: self.tag,
        };
        let outcome =
            crate::ledger::import::report(ledger, &ctx.meta, &prepared, &opts, ctx.as_of)?;
        if ctx.format == Format::Json {
            return emit_json(out, &outcome);
        }
        let r = &prepared.report;
        let title = printable(&r.title);
        let headline = match (ctx.lang, outcome.already_imported) {
            (Lang::Zh, true) if outcome.same_report => format!(
                "《{}》已导入过（文档 #{}，发文机关和报告年度相同），未新增任何任务；如为更正稿，加 --new-version 更新原有任务。",
                title, outcome.document
            ),
            (Lang::En, true) if outcome.same_report => format!(
                "\"{}\" was already imported (document #{}) under the same issuer and report year; nothing was created. If this is a corrected text, import it again with --new-version.",
                title, outcome.document
            ),
            (Lang::Zh, false) if outcome.same_report => format!(
                "已导入《{}》的新版本（文档 #{}）：更新任务 {} 项，新增 {} 项。",
                title,
                outcome.document,
                outcome.updated.len(),
                outcome.created.len()
            ),
            (Lang::En, false) if outcome.same_report => format!(
                "Imported a new version of \"{}\" as document #{}: {} tasks updated, {} created.",
                title,
                outcome.document,
                outcome.updated.len(),
                outcome.created.len()
            ),
            (Lang::Zh, true) => format!(
                "《{}》已导入过（文档 #{}），未新增任何任务。",
                title, outcome.document
            ),
            (Lang::En, true) => format!(
                "\"{}\" was already imported (document #{}); nothing was created.",
                title, outcome.document
            ),
            (Lang::Zh, false) => format!(
                "已导入《{}》（文档 #{}）：新增任务 {} 项。",
                title,
                outcome.document,
                outcome.created.len()
            ),
            (Lang::En, false) => format!(
                "Imported \"{}\" as document #{}: {} tasks created.",
                title,
                outcome.document,
                outcome.created.len()
            ),
        };
        emit(out, headline)?;
        if !reviewed {
            print_coverage(&prepared, ctx, out)?;
        }
        if !outcome.already_imported {
            print_suggestions(&prepared, ctx, out, self.link)?;
        }
        let f = Filter {
            document: Some(outcome.document),
            ..Filter::default()
        };
        let table = ledger.read(|c| progress::compute(c, GroupBy::Area, &f, ctx.as_of))?;
        super::report::print(&table, ctx, out)
    }
}

impl Import {
    /// Reads a JSON Lines ledger export in one transaction, streaming, with a progress bar on
    /// a terminal.
    fn bulk(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let open = || {
            std::fs::File::open(&self.file)
                .map_err(|e| Error::io(format!("cannot read {}", self.file.display()), e))
        };
        let len = open()?.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = if std::io::stderr().is_terminal() {
            let b = ProgressBar::new(len);
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {bytes}/{total_bytes} {wide_bar} {eta} {msg}",
            ) {
                b.set_style(style);
            }
            b
        } else {
            ProgressBar::hidden()
        };
        let mut tick = |n: u64| {
            if n % 1000 == 0 {
                bar.set_message(format!("{n}"));
            }
        };
        let done = crate::ledger::import::jsonl(
            ledger,
            &ctx.meta,
            || {
                Ok(std::io::BufReader::with_capacity(
                    1 << 20,
                    bar.wrap_read(open()?),
                ))
            },
            self.source.as_deref(),
            &mut tick,
            ctx.lang,
        )?;
        bar.finish_and_clear();
        match ctx.format {
            Format::Json => emit_json(out, &done),
            _ => emit(
                out,
                crate::tr!(
                    ctx.lang,
                    "import.jsonl_done",
                    tasks = done.tasks,
                    history = done.history,
                    documents = done.documents
                ),
            ),
        }
    }
}

fn print_suggestions(p: &Prepared, ctx: &Ctx, out: &mut dyn Write, applied: bool) -> Result<()> {
    if p.suggestions.is_empty() {
        return Ok(());
    }
    emit(
        out,
        match (ctx.lang, applied) {
            (Lang::Zh, true) => "已关联（承诺 → 针对的短板）：",
            (Lang::Zh, false) => "建议关联（承诺 → 针对的短板；加 --link 应用）：",
            (Lang::En, true) => "Linked (commitment → shortcoming it addresses):",
            (Lang::En, false) => {
                "Suggested links (commitment → shortcoming it addresses; --link applies them):"
            }
        },
    )?;
    for s in &p.suggestions {
        emit(
            out,
            format!(
                "  {} → {}  「{}」",
                printable(&s.commitment_ref),
                printable(&s.shortcoming_ref),
                printable(&s.phrase)
            ),
        )?;
    }
    Ok(())
}

/// The tree `--dry-run` prints: part › section › item, with refs, deadlines and counts.
fn print_tree(p: &Prepared, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let r = &p.report;
    let inferred = if r.title_derived {
        &crate::tr!(ctx.lang, "msg.import.title_inferred")
    } else {
        ""
    };
    emit(out, format!("{}{inferred}", printable(&r.title)))?;
    emit(
        out,
        format!(
            "{} {}  {} {}  {} {}  {} {}",
            &crate::tr!(ctx.lang, "msg.import.issuer"),
            r.issuer
                .as_deref()
                .map(printable)
                .unwrap_or_else(|| "-".into()),
            &crate::tr!(ctx.lang, "msg.import.date"),
            r.issued_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            &crate::tr!(ctx.lang, "msg.import.report_year"),
            r.report_year,
            &crate::tr!(ctx.lang, "msg.import.plan_year"),
            r.plan_year,
        ),
    )?;
    let report_end = format!("{}-12-31", r.report_year);
    let plan_end = format!("{}-12-31", r.plan_year);
    print_part(
        &crate::tr!(ctx.lang, "msg.import.achievements"),
        &r.achievements,
        &report_end,
        ctx,
        out,
    )?;
    emit(
        out,
        format!(
            "\n{} ({})",
            &crate::tr!(ctx.lang, "msg.import.shortcomings"),
            r.shortcomings.len()
        ),
    )?;
    for it in &r.shortcomings {
        print_item(it, &plan_end, ctx, out)?;
    }
    print_part(
        &crate::tr!(ctx.lang, "msg.import.commitments"),
        &r.plans,
        &plan_end,
        ctx,
        out,
    )?;
    emit(
        out,
        format!(
            "\n{}: {} {} / {} {} / {} {}",
            &crate::tr!(ctx.lang, "table.sum"),
            count(&r.achievements),
            &crate::tr!(ctx.lang, "msg.import.achievements_2"),
            r.shortcomings.len(),
            &crate::tr!(ctx.lang, "msg.import.shortcomings_2"),
            count(&r.plans),
            &crate::tr!(ctx.lang, "msg.import.commitments_2"),
        ),
    )?;
    print_suggestions(p, ctx, out, false)?;
    let areas = suggested_areas(p);
    if !areas.is_empty() {
        emit(
            out,
            crate::tr!(ctx.lang, "import.area_suggestions", count = areas.len()),
        )?;
    }
    print_coverage(p, ctx, out)?;
    emit(
        out,
        crate::tr!(ctx.lang, "msg.import.dry_run_nothing_was_written"),
    )
}

/// One line saying where every sentence of the body went, then each sentence no item took,
/// with its line number.
fn print_coverage(p: &Prepared, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let c = &p.report.coverage;
    let line = crate::tr!(
        ctx.lang,
        "import.coverage",
        sentences = c.sentences,
        achievements = c.achievements,
        shortcomings = c.shortcomings,
        commitments = c.commitments,
        headings = c.headings,
        causes = c.causes,
        first = c.first_responsibility,
        other = c.other,
        unassigned = c.unassigned
    );
    emit(out, line)?;
    for u in &p.report.unassigned {
        let mark = if u.blocking { "!" } else { " " };
        emit(
            out,
            format!(
                " {mark} {} {}: {}",
                &crate::tr!(ctx.lang, "msg.import.line"),
                u.line,
                fit(&printable(&u.text), 70)
            ),
        )?;
    }
    Ok(())
}

/// Parts no rule names are reported on stderr, naming their heading.
fn warn_unmatched(p: &Prepared, ctx: &Ctx) {
    for (line, title) in &p.report.unmatched_parts {
        let title = printable(title);
        ctx.warn(&crate::tr!(
            ctx.lang,
            "import.unknown_part",
            line = line,
            title = title
        ));
    }
}

/// Refuses an import that would silently drop sentences of a shortcomings or plans part.
fn refuse_unassigned(p: &Prepared, ctx: &Ctx, accept: bool) -> Result<()> {
    let blocking: Vec<_> = p.report.unassigned.iter().filter(|u| u.blocking).collect();
    if accept || blocking.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = blocking
        .iter()
        .take(5)
        .map(|u| {
            format!(
                "{} {}「{}」",
                &crate::tr!(ctx.lang, "msg.import.line"),
                u.line,
                fit(&printable(&u.text), 30)
            )
        })
        .collect();
    let more = if blocking.len() > 5 { " …" } else { "" };
    Err(Error::refused(
        crate::msg!("import.unassigned", count = blocking.len(), more = more).word(
            "listed",
            &listed.join("；"),
            &listed.join("; "),
        ),
    ))
}

/// `--explain`: the outline, one line per marked line or cue paragraph, with the rule that
/// fired for each part.
fn print_explain(p: &Prepared, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    emit(out, printable(&p.report.title))?;
    for row in &p.report.outline {
        let rule = match (&row.rule, row.role) {
            (Some(name), Some(role)) => {
                format!("  ← {name} ({})", role.label(ctx.lang == Lang::Zh))
            }
            (Some(name), None) => format!(
                "  ← {name} ({})",
                &crate::tr!(ctx.lang, "msg.import.no_rule_matched")
            ),
            _ => String::new(),
        };
        emit(
            out,
            format!(
                "{:>5} {}{} {}{rule}",
                row.line,
                "  ".repeat(row.depth),
                row.marker,
                fit(&printable(&row.title), 50)
            ),
        )?;
    }
    print_coverage(p, ctx, out)
}

/// The outline area suggested for each item, by ref, in report order.
fn suggested_areas(p: &Prepared) -> Vec<(String, &'static str)> {
    let r = &p.report;
    r.achievements
        .iter()
        .flat_map(|s| &s.items)
        .chain(&r.shortcomings)
        .chain(r.plans.iter().flat_map(|s| &s.items))
        .filter_map(|it| {
            crate::import::areas::suggest(&it.title, &it.body).map(|a| (it.r#ref.clone(), a))
        })
        .collect()
}

/// `--tag` on a report none of whose items has a suggestion would tag nothing: said rather
/// than done silently, so the office knows to tag by hand.
fn refuse_tag_without_suggestions(p: &Prepared, ctx: &Ctx) -> Result<()> {
    if !suggested_areas(p).is_empty() {
        return Ok(());
    }
    Err(Error::Refused(crate::tr!(
        ctx.lang,
        "import.tag_without_suggestions"
    )))
}

fn count(sections: &[Section]) -> usize {
    sections.iter().map(|s| s.items.len()).sum()
}

fn print_part(
    name: &str,
    sections: &[Section],
    default_due: &str,
    ctx: &Ctx,
    out: &mut dyn Write,
) -> Result<()> {
    emit(out, format!("\n{name} ({})", count(sections)))?;
    for s in sections {
        emit(
            out,
            format!("  {}. {} ({})", s.number, fit(&s.title, 60), s.items.len()),
        )?;
        for it in &s.items {
            print_item(it, default_due, ctx, out)?;
        }
    }
    Ok(())
}

fn print_item(it: &Item, default_due: &str, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let due = match (it.continuous, it.deadline) {
        (true, _) => crate::tr!(ctx.lang, "value.continuous"),
        (false, Some(d)) => d.to_string(),
        (false, None) => default_due.to_string(),
    };
    let owner = it
        .owner
        .as_deref()
        .map(|o| format!("  [{}]", printable(o)))
        .unwrap_or_default();
    let area = it
        .outline_area
        .as_deref()
        .or_else(|| crate::import::areas::suggest(&it.title, &it.body))
        .map(|a| format!("  〈{a}〉"))
        .unwrap_or_default();
    emit(
        out,
        format!(
            "    {:<12} {:<10} {}{owner}{area}",
            printable(&it.r#ref),
            due,
            fit(&it.title, 60)
        ),
    )
}

//! The command line: clap types here and in one file per subcommand, each with a `run` that
//! receives the open ledger, the context of the invocation and an output writer. Subcommands
//! never open the ledger themselves: `run` below opens it once, for reading or for writing.

mod add;
mod approve;
mod backup;
mod carry_over;
mod check;
mod choices;
mod completions;
mod config;
mod evidence;
mod export;
mod fill;
pub mod help;
mod history;
pub mod ids;
mod import;
mod init;
mod link;
mod list;
mod note;
mod notice;
mod outline;
mod reject;
mod report;
mod request_extension;
mod show;
mod undo;
mod unit;
mod update;
mod warn;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::db::{Access, ChangeMeta, Ledger};
use crate::i18n::Msg;
use crate::model::Lang;
use crate::render::Style;
use crate::{clock, Error, Result};

pub use completions::dynamic_command;

/// taizhang (台账): track the commitments, shortcomings and achievements of a rule-of-law
/// government report, with owners, deadlines, progress and a full audit trail.
#[derive(Debug, Parser)]
#[command(name = "taizhang", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The ledger file (default ./taizhang.db). 台账文件路径
    #[arg(long, global = true, env = "TAIZHANG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Who makes the change, as recorded in the history (default: TAIZHANG_USER, else the OS
    /// user). 操作人
    #[arg(long, global = true, env = "TAIZHANG_USER", value_name = "NAME")]
    pub user: Option<String>,

    /// The old way to name the actor, now refused with a pointer to --user: `--by` means only
    /// the grouping of `report`.
    #[arg(long = "by", value_name = "NAME", hide = true)]
    pub by: Option<String>,

    /// Language of labels, headers and status words (default zh when LANG or LC_ALL starts
    /// with zh, else en).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    /// The day overdue and warnings are computed for (default today; TAIZHANG_NOW sets the
    /// clock). 统计日期
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,

    /// The day the change took effect, for add, update, note, link, unlink, import,
    /// request-extension, approve, reject and carry-over (default: when it is recorded). Not
    /// after today, not before the task took effect. 生效日期
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date_arg)]
    pub on: Option<NaiveDate>,

    /// Output format: table or json for commands that print data; csv, xlsx, docx, md, html or
    /// json for export (default: from the -o file's extension, else md).
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,

    /// Show every column of a table even when it is wider than the terminal (by default the
    /// least important columns are left out to fit). 显示全部列
    #[arg(long, global = true)]
    pub wide: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// How data is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table for people.
    Table,
    /// JSON for programs (field names in README).
    Json,
    /// CSV with a byte-order mark, for Excel and WPS (export).
    Csv,
    /// An Excel workbook (export).
    Xlsx,
    /// A Word document for the annual report, A4 with the task table on landscape pages
    /// (export).
    Docx,
    /// Markdown for the annual report draft (export).
    Md,
    /// A self-contained HTML page (export).
    Html,
    /// JSON Lines: the whole ledger (or one plan year) with its history, for bulk exchange
    /// and merging (export; import reads it back).
    Jsonl,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a ledger (or change its outline period). 新建台账
    Init(init::Init),
    /// Import a yearly report: every commitment and shortcoming becomes a task. 导入年度报告
    Import(import::Import),
    /// Add a task and print its id. 新增任务
    Add(add::Add),
    /// Change one or more tasks, all or nothing. 更新任务
    Update(update::Update),
    /// Record a progress note (进展情况) without changing any field.
    Note(note::Note),
    /// Record that a task addresses a shortcoming. 关联短板
    Link(link::Link),
    /// Remove a link between a task and a shortcoming. 取消关联
    Unlink(link::Link),
    /// List tasks, filtered and sorted. 任务列表
    List(list::List),
    /// Show every field of a task, its sub-tasks, links and history. 任务详情
    Show(show::Show),
    /// Print the progress table, grouped. 进度汇总表
    Report(report::ReportCmd),
    /// Print the audit trail. 变更记录
    History(history::History),
    /// Export a year's status as it stood at the year's end (CSV, Excel, Markdown, HTML,
    /// JSON). 年度完成情况导出
    Export(export::Export),
    /// Three-colour warnings (三色预警): red overdue, yellow behind schedule, blue due soon.
    Warn(warn::Warn),
    /// The supervision notice (督办通知) for a unit with red or yellow warnings, to sign and
    /// print (md, html, docx).
    Notice(notice::NoticeCmd),
    /// Check the ledger's integrity and its own invariants; exit 1 on any problem. 台账自检
    Check(check::Check),
    /// Take back your last command (recorded as new history, never deleted). 撤销
    Undo(undo::Undo),
    /// Write a consistent copy of the live ledger to a new file (mode 0600). 备份
    Backup(backup::Backup),
    /// Replace the ledger with a checked backup, keeping the replaced file beside it. 恢复
    Restore(backup::Restore),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(completions::Completions),
    /// The units register: list, rename, alias, unalias, short. 单位库
    Unit(unit::UnitCmd),
    /// Ask for a later deadline with a reason; it stays pending until approved. 申请延期
    RequestExtension(request_extension::RequestExtension),
    /// Approve a task's pending extension request: the deadline moves. 批准延期
    Approve(approve::Approve),
    /// Reject what waits for the office: a pending extension request, or a done task awaiting
    /// 销号 (sent back to doing); with a note. 驳回
    Reject(reject::Reject),
    /// Stored evidence files (佐证材料): `evidence get ID SHA256 -o FILE`.
    Evidence(evidence::Evidence),
    /// The outline periods (纲要期间): list, add, rename.
    Outline(outline::OutlineCmd),
    /// Carry a year's open tasks into the next plan year (结转), e.g. --from 2025.
    CarryOver(carry_over::CarryOver),
    /// Read or set a ledger setting: config name [VALUE] (the unit named in export titles).
    /// 台账设置
    Config(config::Config),
}

/// The old `--by NAME` after a writing command's name. It is kept, hidden, only so that it is
/// refused with a line that names `--user`, instead of clap's generic "unexpected argument".
#[derive(Debug, Args, Clone, Default)]
pub struct Who {
    #[arg(long = "by", value_name = "NAME", hide = true)]
    pub by: Option<String>,
}

impl Command {
    /// The actor named after the subcommand, if any.
    fn who(&self) -> Option<&str> {
        let w = match self {
            Command::Init(c) => &c.who,
            Command::Add(c) => &c.who,
            Command::Import(c) => &c.who,
            Command::Undo(c) => &c.who,
            Command::Restore(c) => &c.who,
            Command::Update(c) => &c.who,
            Command::Note(c) => &c.who,
            Command::Link(c) | Command::Unlink(c) => &c.who,
            Command::RequestExtension(c) => &c.who,
            Command::Approve(c) => &c.who,
            Command::Reject(c) => &c.who,
            Command::CarryOver(c) => &c.who,
            _ => return None,
        };
        w.by.as_deref()
    }
}

/// The effective time `--on` gives this command's change, refused on commands that do not
/// change the ledger and for a day after today.
fn effective_arg(
    cli: &Cli,
    now: &chrono::DateTime<chrono::FixedOffset>,
    lang: Lang,
) -> Result<Option<String>> {
    let Some(day) = cli.on else {
        return Ok(None);
    };
    let changes = matches!(
        cli.command,
        Command::Add(_)
            | Command::Update(_)
            | Command::Note(_)
            | Command::Link(_)
            | Command::Unlink(_)
            | Command::Import(_)
            | Command::RequestExtension(_)
            | Command::Approve(_)
            | Command::Reject(_)
            | Command::CarryOver(_)
    );
    crate::ledger::effective::on(day, now, changes, lang).map(Some)
}

/// Parses a date argument in any of the accepted forms; a form without a year ("6月底前")
/// means the current year, since such an argument belongs to no task.
pub fn parse_date_arg(s: &str) -> std::result::Result<NaiveDate, Msg> {
    use crate::model::date;
    date::parse_day(s, date::current_year()).map_err(|_| date::refusal_msg(s))
}

/// Parses a progress figure: a whole number from 0 to 100, with or without "%".
pub fn parse_progress(s: &str) -> std::result::Result<u8, Msg> {
    let t = crate::model::date::ascii_digits(s.trim());
    let t = t.trim_end_matches(['%', '％']);
    match t.parse::<i64>() {
        Ok(n) if (0..=100).contains(&n) => {
            u8::try_from(n).map_err(|_| crate::msg!("arg.progress_range", n = n))
        }
        Ok(n) => Err(crate::msg!("arg.progress_range", n = n)),
        Err(_) => Err(crate::msg!("arg.not_progress", value = s)),
    }
}

/// Parses an outline area tag: FZ01 … FZ10 (case-insensitive).
pub fn parse_outline_area(s: &str) -> std::result::Result<String, Msg> {
    let t = s.trim().to_ascii_uppercase();
    let ok = t.len() == 4
        && t.starts_with("FZ")
        && t[2..]
            .parse::<u8>()
            .is_ok_and(|n| (1..=10).contains(&n) && t.as_bytes()[2].is_ascii_digit());
    if ok {
        Ok(t)
    } else {
        Err(crate::msg!("arg.not_outline_area", value = s))
    }
}

/// The longest texts accepted, in characters: a title is a line of a ledger, a name is a
/// unit or area, a text is a note or a body. Longer input is refused, not cut.
pub const MAX_TITLE: usize = 500;
pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 20_000;

/// A text that is not blank and at most `max` characters; `what` names it in both languages
/// (zh, en) for the refusal.
fn bounded(s: &str, max: usize, what: (&str, &str)) -> std::result::Result<String, Msg> {
    if s.trim().is_empty() {
        return Err(crate::msg!("arg.empty"));
    }
    let n = s.chars().count();
    if n > max {
        return Err(crate::msg!("arg.too_long", n = n, max = max).word("what", what.0, what.1));
    }
    Ok(s.to_string())
}

/// Parses a non-empty text argument (a note, a reason, a body).
pub fn parse_text(s: &str) -> std::result::Result<String, Msg> {
    bounded(s, MAX_TEXT, ("内容", "the text"))
}

/// Parses a title: not blank, at most `MAX_TITLE` characters (the full text goes in --body).
pub fn parse_title(s: &str) -> std::result::Result<String, Msg> {
    if !s.trim().is_empty() && s.chars().count() > MAX_TITLE {
        return Err(crate::msg!(
            "arg.title_too_long",
            n = s.chars().count(),
            max = MAX_TITLE
        ));
    }
    bounded(s, MAX_TITLE, ("标题", "the title"))
}

/// Parses a name: a unit, an area, a ref or a source label.
pub fn parse_name(s: &str) -> std::result::Result<String, Msg> {
    bounded(s, MAX_NAME, ("名称", "the name"))
}

/// What every subcommand gets besides the ledger: the settings of this invocation.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub as_of: NaiveDate,
    /// Whether --as-of was given (export then reports that day instead of the year's end).
    pub as_of_given: bool,
    /// The output format: table unless --format said otherwise.
    pub format: Format,
    /// The --format given, if any.
    pub format_given: Option<Format>,
    pub color: bool,
    /// The width tables must fit in (see `table_width`).
    pub width: Option<usize>,
    /// `--wide`: tables show every column.
    pub wide: bool,
    /// The change stamp for commands that write.
    pub meta: ChangeMeta,
    /// When this command's change took effect, from `--on`; `None` means when recorded.
    pub on: Option<String>,
}

impl Ctx {
    /// The table style for this invocation.
    pub fn style(&self) -> Style {
        Style {
            lang: self.lang,
            color: self.color,
            width: self.width,
            wide: self.wide,
        }
    }

    /// Picks the message for this invocation's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// Prints a warning on stderr: it goes to the person, not into piped output.
    pub fn warn(&self, msg: &str) {
        eprintln!(
            "taizhang: {}: {}",
            crate::tr!(self.lang, "cli.warning"),
            crate::render::escape::one_line(msg)
        );
    }
}

/// Writes a line of output, mapping I/O errors.
pub fn emit(out: &mut dyn Write, s: impl std::fmt::Display) -> Result<()> {
    writeln!(out, "{s}").map_err(|e| Error::io("writing output", e))
}

/// Writes a value as pretty JSON. Control and bidi characters in strings are written as
/// JSON escapes (`\u202e`): the same text, which can never drive a terminal.
pub fn emit_json<T: serde::Serialize>(out: &mut dyn Write, v: &T) -> Result<()> {
    let mut w = crate::render::escape::Escaping::new(out, crate::render::escape::Mode::Json);
    serde_json::to_writer_pretty(&mut w, v)?;
    w.finish().map_err(|e| Error::io("writing output", e))?;
    emit(out, "")
}

/// The OS user, for the history when neither --user nor TAIZHANG_USER says who acts.
fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// A short description of the command line, stored with each change so that undo and audits
/// can say what was run.
fn describe(cmd: &Command) -> String {
    let name = match cmd {
        Command::Init(_) => "init",
        Command::Import(_) => "import",
        Command::Add(_) => "add",
        Command::Update(_) => "update",
        Command::Note(_) => "note",
        Command::Link(_) => "link",
        Command::Unlink(_) => "unlink",
        Command::List(_) => "list",
        Command::Show(_) => "show",
        Command::Report(_) => "report",
        Command::History(_) => "history",
        Command::Export(_) => "export",
        Command::Warn(_) => "warn",
        Command::Notice(_) => "notice",
        Command::Check(_) => "check",
        Command::Undo(_) => "undo",
        Command::Backup(_) => "backup",
        Command::Restore(_) => "restore",
        Command::Completions(_) => "completions",
        Command::Unit(_) => "unit",
        Command::RequestExtension(_) => "request-extension",
        Command::Approve(_) => "approve",
        Command::Reject(_) => "reject",
        Command::Evidence(_) => "evidence",
        Command::Outline(_) => "outline",
        Command::CarryOver(_) => "carry-over",
        Command::Config(_) => "config",
    };
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let line = args.join(" ");
    if line.is_empty() {
        name.to_string()
    } else {
        line.chars().take(500).collect()
    }
}

/// The width tables must fit in: the terminal's, else COLUMNS, else none (output to a pipe or
/// a file gets whole rows). A size of 0, as some ptys report, means unknown: fitting to it
/// would make every column one character wide.
fn table_width() -> Option<usize> {
    let term = if std::io::stdout().is_terminal() {
        comfy_table::Table::new()
            .width()
            .map(usize::from)
            .filter(|w| *w > 0)
    } else {
        None
    };
    term.or_else(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|w| *w > 0)
    })
}

/// Runs a parsed command line, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    if let Command::Completions(c) = &cli.command {
        return c.run(out);
    }
    if cli.by.is_some() || cli.command.who().is_some() {
        return Err(Error::usage(crate::msg!("cli.by_is_not_user")));
    }
    let is_export = matches!(cli.command, Command::Export(_));
    // A notice is a document too: md and html are its formats (checked by the command).
    let is_notice = matches!(cli.command, Command::Notice(_));
    if let Some(f) = cli.format {
        if !is_export && !is_notice && !matches!(f, Format::Table | Format::Json) {
            return Err(Error::usage(crate::msg!(
                "cli.format_is_for_export",
                format = f
                    .to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default()
            )));
        }
        if is_export && f == Format::Table {
            return Err(Error::usage(crate::msg!("cli.table_not_for_export")));
        }
    }
    let now = clock::now()?;
    let stamp = clock::stamp(&now);
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let actor = cli
        .user
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map_or_else(os_user, str::to_string);
    // NO_COLOR turns colour off only when it is set to a non-empty value (no-color.org).
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let ctx = Ctx {
        lang,
        as_of: cli.as_of.unwrap_or_else(|| now.date_naive()),
        as_of_given: cli.as_of.is_some(),
        format: cli.format.unwrap_or(Format::Table),
        format_given: cli.format,
        color,
        width: table_width(),
        wide: cli.wide,
        meta: ChangeMeta {
            at: stamp.clone(),
            actor,
            command: describe(&cli.command),
            undoes: None,
        },
        on: effective_arg(&cli, &now, lang)?,
    };
    let path = cli
        .db
        .clone()
        .unwrap_or_else(|| PathBuf::from("taizhang.db"));
    let access = match cli.command {
        Command::List(_)
        | Command::Show(_)
        | Command::Report(_)
        | Command::History(_)
        | Command::Export(_)
        | Command::Warn(_)
        | Command::Notice(_)
        | Command::Check(_)
        | Command::Backup(_)
        | Command::Evidence(_) => Access::Read,
        Command::Outline(ref c) if c.reads_only() => Access::Read,
        Command::Unit(ref u) if u.reads_only() => Access::Read,
        Command::Config(ref c) if c.reads_only() => Access::Read,
        _ => Access::Write,
    };
    if let Command::Import(c) = &cli.command {
        c.check_input()?;
        c.check_review_output(&path)?;
        if c.dry_run || c.explain || c.review.is_some() {
            return c.preview(&path, &ctx, out);
        }
    }
    let missing = path
        .symlink_metadata()
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    let result = if missing && access == Access::Write {
        first_command(&cli.command, &path, &ctx, out)
    } else {
        Ledger::open(&path, access, &ctx.meta.at)
            .and_then(|mut ledger| dispatch(&cli.command, &mut ledger, &ctx, out))
    };
    result.map_err(crate::db::typed_busy)
}

/// Runs a writing command on a ledger that does not exist yet: on a new ledger built aside and
/// put in place only when the command succeeds, so that a failed first command leaves nothing
/// (and removes nothing). Its output is held back until then. When another process created
/// the ledger meanwhile, the command runs again on that one.
fn first_command(
    command: &Command,
    path: &std::path::Path,
    ctx: &Ctx,
    out: &mut dyn Write,
) -> Result<()> {
    let mut held = Vec::new();
    let created = Ledger::create_with(path, &ctx.meta.at, |ledger| {
        dispatch(command, ledger, ctx, &mut held)
    })?;
    match created {
        Some(()) => out
            .write_all(&held)
            .map_err(|e| Error::io("writing output", e)),
        None => {
            let mut ledger = Ledger::open(path, Access::Write, &ctx.meta.at)?;
            dispatch(command, &mut ledger, ctx, out)
        }
    }
}

fn dispatch(command: &Command, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let ctx = ctx.clone();
    ledger.set_effective(ctx.on.clone());
    match command {
        Command::Init(c) => c.run(ledger, &ctx, out),
        Command::Import(c) => c.run(ledger, &ctx, out),
        Command::Add(c) => c.run(ledger, &ctx, out),
        Command::Update(c) => c.run(ledger, &ctx, out),
        Command::Note(c) => c.run(ledger, &ctx, out),
        Command::Link(c) => c.run(ledger, &ctx, out, true),
        Command::Unlink(c) => c.run(ledger, &ctx, out, false),
        Command::List(c) => c.run(ledger, &ctx, out),
        Command::Show(c) => c.run(ledger, &ctx, out),
        Command::Report(c) => c.run(ledger, &ctx, out),
        Command::History(c) => c.run(ledger, &ctx, out),
        Command::Export(c) => c.run(ledger, &ctx, out),
        Command::Warn(c) => c.run(ledger, &ctx, out),
        Command::Notice(c) => c.run(ledger, &ctx, out),
        Command::Check(c) => c.run(ledger, &ctx, out),
        Command::Undo(c) => c.run(ledger, &ctx, out),
        Command::Backup(c) => c.run(ledger, &ctx, out),
        Command::Restore(c) => c.run(ledger, &ctx, out),
        Command::Completions(c) => c.run(out),
        Command::Unit(c) => c.run(ledger, &ctx, out),
        Command::RequestExtension(c) => c.run(ledger, &ctx, out),
        Command::Approve(c) => c.run(ledger, &ctx, out),
        Command::Reject(c) => c.run(ledger, &ctx, out),
        Command::Evidence(c) => c.run(ledger, &ctx, out),
        Command::Outline(c) => c.run(ledger, &ctx, out),
        Command::CarryOver(c) => c.run(ledger, &ctx, out),
        Command::Config(c) => c.run(ledger, &ctx, out),
    }
}

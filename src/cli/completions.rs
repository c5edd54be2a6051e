use std::io::Write;

use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory, ValueHint};
use clap_complete::Shell;

use super::Cli;
use crate::Result;

#[derive(Debug, Args)]
pub struct Completions {
    /// The shell: bash, zsh, fish or powershell.
    pub shell: Shell,
}

/// The formats `export` writes; every other command prints table or json (see `run` in
/// cli/mod.rs, which refuses the rest).
const EXPORT_FORMATS: [&str; 7] = ["csv", "xlsx", "docx", "md", "html", "json", "jsonl"];
const PRINT_FORMATS: [&str; 2] = ["table", "json"];
/// The formats of `notice` (the supervision notice is a document, like an export).
const NOTICE_FORMATS: [&str; 4] = ["md", "html", "docx", "json"];

/// Options whose value is free text (unit names, areas, people, search words). The scripts
/// are static, so they cannot offer the ledger's own unit names; marking the values as text
/// at least stops the shell from offering file names.
const FREE_TEXT: [&str; 12] = [
    "owner",
    "owners",
    "leads",
    "person",
    "contact",
    "co_owner",
    "co_owners",
    "area",
    "outline_area",
    "user",
    "search",
    "note",
];

impl Completions {
    pub fn run(&self, out: &mut dyn Write) -> Result<()> {
        let mut cmd = Cli::command();
        // Build first so that the global options (--format, --user) exist on every
        // subcommand, then narrow them per subcommand.
        cmd.build();
        for id in FREE_TEXT {
            if cmd.get_arguments().any(|a| a.get_id() == id) {
                cmd = cmd.mut_arg(id, |a| a.value_hint(ValueHint::Other));
            }
        }
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in names {
            cmd = cmd.mut_subcommand(&name, |mut sub| {
                let formats: &[&str] = match sub.get_name() {
                    "export" => &EXPORT_FORMATS,
                    "notice" => &NOTICE_FORMATS,
                    _ => &PRINT_FORMATS,
                };
                let ids: Vec<String> = sub
                    .get_arguments()
                    .map(|a| a.get_id().to_string())
                    .collect();
                for id in ids {
                    if id == "format" {
                        sub = sub.mut_arg("format", |a| {
                            a.value_parser(PossibleValuesParser::new(formats.iter().copied()))
                        });
                    } else if FREE_TEXT.contains(&id.as_str()) {
                        sub = sub.mut_arg(&id, |a| a.value_hint(ValueHint::Other));
                    }
                }
                sub
            });
        }
        clap_complete::generate(self.shell, &mut cmd, "taizhang", out);
        Ok(())
    }
}

/// Options completed from the ledger by the dynamic engine (`COMPLETE=bash taizhang`): what
/// each offers.
#[derive(Clone, Copy)]
enum FromLedger {
    Units,
    Areas,
    Tasks,
}

/// The option ids completed from the ledger, in every command that has them.
const FROM_LEDGER: [(&str, FromLedger); 10] = [
    ("owner", FromLedger::Units),
    ("owners", FromLedger::Units),
    ("leads", FromLedger::Units),
    ("co_owners", FromLedger::Units),
    ("area", FromLedger::Areas),
    ("id", FromLedger::Tasks),
    ("ids", FromLedger::Tasks),
    ("parent", FromLedger::Tasks),
    ("addresses", FromLedger::Tasks),
    ("reference", FromLedger::Tasks),
];

/// The command line for clap_complete's dynamic engine: the same options, with the unit
/// names, areas and task ids of the ledger offered as values. Shells without the dynamic
/// engine use the static scripts of `taizhang completions SHELL`.
pub fn dynamic_command() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    attach(cmd)
}

fn attach(mut cmd: clap::Command) -> clap::Command {
    for (id, what) in FROM_LEDGER {
        if cmd.get_arguments().any(|a| a.get_id() == id) {
            cmd = cmd.mut_arg(id, |a| {
                a.add(clap_complete::engine::ArgValueCandidates::new(move || {
                    candidates(what)
                }))
            });
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, attach);
    }
    cmd
}

/// The ledger's names of one sort. A completion never fails loudly: with no ledger, or one
/// that cannot be read, it offers nothing.
fn candidates(what: FromLedger) -> Vec<clap_complete::engine::CompletionCandidate> {
    use clap_complete::engine::CompletionCandidate as C;
    let read = || -> Result<Vec<C>> {
        let now = crate::clock::stamp(&crate::clock::now()?);
        let mut ledger = crate::db::Ledger::open(&ledger_path(), crate::db::Access::Read, &now)?;
        ledger.read(|c| {
            Ok(match what {
                FromLedger::Units => crate::db::names::units(c)?
                    .into_iter()
                    .map(C::new)
                    .collect(),
                FromLedger::Areas => crate::db::names::areas(c)?
                    .into_iter()
                    .map(C::new)
                    .collect(),
                FromLedger::Tasks => crate::db::names::tasks(c)?
                    .into_iter()
                    .map(|(id, reference, title)| {
                        let help = match reference {
                            Some(r) => format!("{r} {title}"),
                            None => title,
                        };
                        C::new(id.to_string()).help(Some(crate::render::fit(&help, 60).into()))
                    })
                    .collect(),
            })
        })
    };
    read().unwrap_or_default()
}

/// The ledger the command being completed names: its `--db`, else TAIZHANG_DB, else
/// ./taizhang.db, as for a command that runs.
fn ledger_path() -> std::path::PathBuf {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--db" {
            if let Some(p) = it.next() {
                return p.into();
            }
        } else if let Some(p) = a.to_str().and_then(|s| s.strip_prefix("--db=")) {
            return p.into();
        }
    }
    std::env::var_os("TAIZHANG_DB")
        .filter(|p| !p.is_empty())
        .map(Into::into)
        .unwrap_or_else(|| "taizhang.db".into())
}

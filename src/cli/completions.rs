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
const EXPORT_FORMATS: [&str; 6] = ["csv", "xlsx", "md", "html", "json", "jsonl"];
const PRINT_FORMATS: [&str; 2] = ["table", "json"];

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
                let formats: &[&str] = if sub.get_name() == "export" {
                    &EXPORT_FORMATS
                } else {
                    &PRINT_FORMATS
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

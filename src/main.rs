//! The taizhang binary: parses the command line, runs the library and maps errors to exit codes
//! (2 for usage errors, 1 for every other failure) with one line on stderr.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::FromArgMatches;

fn main() -> ExitCode {
    // `COMPLETE=bash taizhang` prints the shell's registration, and the shell then asks for
    // completions through it; nothing else runs on those calls.
    clap_complete::CompleteEnv::with_factory(taizhang::cli::dynamic_command).complete();
    // Help and errors are shown in the language of the output: --lang, else the locale. The
    // help is built in that language before parsing, so `--lang zh --help` is Chinese.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = taizhang::cli::help::lang_of(&args);
    let parsed = taizhang::cli::help::command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| taizhang::cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e, lang),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = taizhang::cli::run(cli, &mut out).and_then(|()| {
        out.flush()
            .map_err(|e| taizhang::Error::io("writing output", e))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`taizhang list | head`) is not a failure.
        Err(taizhang::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("taizhang: {}", one_line_text(&e.message(lang)));
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

/// Help and version go to stdout as clap renders them; usage errors are folded into one line.
fn clap_exit(e: clap::Error, lang: taizhang::model::Lang) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            // In Chinese the kinds people meet are said from the catalogue; the rest, and
            // English, are clap's own line.
            let line = taizhang::cli::help::usage_error(&e, lang)
                .unwrap_or_else(|| one_line(&e.render().to_string()));
            eprintln!("taizhang: {}", one_line_text(&line));
            ExitCode::from(2)
        }
    }
}

/// A message as one printable line: user text quoted in it may hold newlines, terminal
/// escape sequences or bidi overrides, which are written as escapes.
fn one_line_text(s: &str) -> String {
    taizhang::render::escape::one_line(s).into_owned()
}

/// Joins the lines of clap's message up to its usage hint: "error: the following required
/// arguments were not provided: <TITLE>".
fn one_line(msg: &str) -> String {
    let parts: Vec<&str> = msg
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect();
    let line = parts.join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    shorten_value(line)
}

/// clap quotes the refused value in full: a 100,000-character title would fill the screen.
/// Keeps its first 40 characters.
fn shorten_value(line: &str) -> String {
    const KEEP: usize = 40;
    let Some(rest) = line.strip_prefix("invalid value '") else {
        return line.to_string();
    };
    let Some(end) = rest.rfind("' for '") else {
        return line.to_string();
    };
    let value = &rest[..end];
    if value.chars().count() <= KEEP {
        return line.to_string();
    }
    let short: String = value.chars().take(KEEP).collect();
    format!(
        "invalid value '{short}…' for '{}",
        &rest[end + "' for '".len()..]
    )
}

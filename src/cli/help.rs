//! `--help` in the user's language. clap's derive help is the English doc comments of the
//! argument structs, fixed at compile time; for another language the built command is walked
//! once before parsing and every about and flag help is replaced by the catalogue's text
//! (`help.COMMAND.ID`, else `help.ID` for an option many commands share). English help stays
//! the doc comments as they are.

use std::ffi::OsString;

use clap::{Command, CommandFactory};

use crate::model::Lang;

/// The language of the help and messages for these arguments: `--lang zh` / `--lang=zh`
/// anywhere on the line (before the command is parsed, so help can follow it), else the
/// locale.
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(v) => v.strip_prefix('=').map(str::to_string),
            None => None,
        };
        match value.as_deref() {
            Some("zh") => return Lang::Zh,
            Some("en") => return Lang::En,
            _ => {}
        }
    }
    Lang::from_env()
}

/// The command line with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = super::Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    // Built first, so that the help and version flags and the global options copied into
    // every subcommand exist and can be given their text too.
    cmd.build();
    localize(cmd, lang, "")
}

/// clap's notes on an option, in `lang`: its environment variable, default and accepted values
/// (the latter unless the help text names them).
fn notes(a: &clap::Arg, described: bool, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(env) = a.get_env().filter(|_| !a.is_hide_env_set()) {
        out.push_str(&crate::tr!(
            lang,
            "help.note.env",
            name = env.to_string_lossy()
        ));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    // A flag's "false" is no default a person sets; clap leaves it out too.
    if !defaults.is_empty() && !a.is_hide_default_value_set() && a.get_action().takes_values() {
        out.push_str(&crate::tr!(
            lang,
            "help.note.default",
            value = defaults.join(", ")
        ));
    }
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && !described && !a.is_hide_possible_values_set() {
        out.push_str(&crate::tr!(
            lang,
            "help.note.values",
            values = values.join(", ")
        ));
    }
    out
}

/// The catalogue's text for the first of these keys that it has.
fn lookup(lang: Lang, keys: &[String]) -> Option<String> {
    keys.iter()
        .find_map(|k| crate::_rust_i18n_try_translate(lang.name(), k))
        .map(|t| t.into_owned())
}

fn localize(mut cmd: Command, lang: Lang, path: &str) -> Command {
    let last = path.rsplit('.').next().unwrap_or_default();
    let about = if path.is_empty() {
        vec!["help.about".to_string()]
    } else {
        // `help update` shows the about of `update`.
        vec![
            format!("help.{path}.about"),
            // `help unit rename` shows the about of `unit rename`.
            format!("help.{}.about", path.replace("help.", "")),
            format!("help.{last}.about"),
        ]
    };
    if let Some(t) = lookup(lang, &about) {
        cmd = cmd.about(t.clone()).long_about(t);
    }
    let usage = crate::i18n::text(lang, "help.usage");
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage}{{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(crate::i18n::text(lang, "help.heading.commands").into_owned());
    let args: Vec<(String, bool, String)> = cmd
        .get_arguments()
        .map(|a| {
            let described = a
                .get_possible_values()
                .iter()
                .any(|v| v.get_help().is_some());
            (
                a.get_id().to_string(),
                a.is_positional(),
                notes(a, described, lang),
            )
        })
        .collect();
    let arguments = crate::i18n::text(lang, "help.heading.arguments");
    let options = crate::i18n::text(lang, "help.heading.options");
    for (id, positional, notes) in args {
        let keys = if path.is_empty() {
            vec![format!("help.{id}")]
        } else {
            vec![format!("help.{path}.{id}"), format!("help.{id}")]
        };
        let text = lookup(lang, &keys);
        let heading = if positional { &arguments } else { &options };
        cmd = cmd.mut_arg(&id, |a| {
            let a = a.help_heading(heading.to_string());
            // clap's notes ("[env: …]", "[default: …]", "[possible values: …]") are English:
            // they are said in the help text instead (the values' own descriptions are
            // English doc comments, and the text names them).
            let a = a
                .hide_possible_values(true)
                .hide_env(true)
                .hide_default_value(true);
            match text {
                Some(t) => {
                    let t = format!("{t}{notes}");
                    a.help(t.clone()).long_help(t)
                }
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        cmd = cmd.mut_subcommand(&name, |c| localize(c, lang, &sub));
    }
    cmd
}

/// A usage error of clap as one line in `lang`, for the kinds people meet (an unknown option
/// or command, a missing argument, a refused value, options that conflict); `None` leaves
/// clap's own English line. The context clap gives (the option, the value, a suggestion)
/// fills the catalogue's message.
pub fn usage_error(e: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind as K, ContextValue, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let get = |k: K| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => shorten(s),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let suggested = [K::SuggestedArg, K::SuggestedSubcommand, K::SuggestedValue]
        .into_iter()
        .map(get)
        .find(|s| !s.is_empty());
    let line = match e.kind() {
        ErrorKind::UnknownArgument => {
            crate::tr!(lang, "usage.unknown_argument", arg = get(K::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => crate::tr!(
            lang,
            "usage.unknown_command",
            command = get(K::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => {
            crate::tr!(lang, "usage.missing_argument", args = get(K::InvalidArg))
        }
        ErrorKind::InvalidValue => crate::tr!(
            lang,
            "usage.invalid_value",
            arg = get(K::InvalidArg),
            value = get(K::InvalidValue),
            valid = get(K::ValidValue)
        ),
        ErrorKind::ValueValidation => crate::tr!(
            lang,
            "usage.value_refused",
            arg = get(K::InvalidArg),
            value = get(K::InvalidValue),
            reason = value_reason(e, &get(K::InvalidArg), &get(K::InvalidValue), lang)
        ),
        ErrorKind::ArgumentConflict => crate::tr!(
            lang,
            "usage.conflict",
            arg = get(K::InvalidArg),
            other = get(K::PriorArg)
        ),
        _ => return None,
    };
    Some(match suggested {
        Some(s) => format!(
            "{line}{}",
            crate::tr!(lang, "usage.suggested", suggested = s)
        ),
        None => line,
    })
}

/// Why a value was refused, in `lang`: the value parsers of words and dates know no
/// language (they run inside clap), so for those the reason is said again here; other
/// parsers' reasons are kept.
fn value_reason(e: &clap::Error, arg: &str, value: &str, lang: Lang) -> String {
    use crate::model::{Kind, Status, Word};
    fn words<W: Word>(lang: Lang) -> String {
        W::ALL
            .iter()
            .map(|w| format!("{}/{}", w.zh(), w.en()))
            .collect::<Vec<_>>()
            .join(&crate::tr!(lang, "list.separator"))
    }
    let option = arg.split_whitespace().next().unwrap_or_default();
    match option {
        "--status" => crate::tr!(
            lang,
            "usage.bad_word",
            value = value,
            words = words::<Status>(lang)
        ),
        "--kind" => crate::tr!(
            lang,
            "usage.bad_word",
            value = value,
            words = words::<Kind>(lang)
        ),
        "--timezone" => crate::tr!(lang, "time.bad_zone", zone = value),
        "--deadline" | "--as-of" | "--on" | "--since" => {
            crate::msg!("date.not_a_date", shown = value)
                .word(
                    "forms",
                    crate::model::date::ACCEPTED_FORMS_ZH,
                    crate::model::date::ACCEPTED_FORMS,
                )
                .text(lang)
        }
        // The project's own parsers refuse with a catalogue message, said here in `lang`.
        _ => std::error::Error::source(e)
            .map(|s| match s.downcast_ref::<crate::i18n::Msg>() {
                Some(m) => m.text(lang),
                None => s.to_string(),
            })
            .unwrap_or_default(),
    }
}

/// clap quotes a refused value in full: a 100,000-character title would fill the screen.
fn shorten(s: &str) -> String {
    const KEEP: usize = 40;
    match s.char_indices().nth(KEEP) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        assert_eq!(
            lang_of(&args(&["taizhang", "--lang", "zh", "--help"])),
            Lang::Zh
        );
        assert_eq!(
            lang_of(&args(&["taizhang", "update", "--lang=zh"])),
            Lang::Zh
        );
        assert_eq!(
            lang_of(&args(&["taizhang", "--lang", "en", "-h"])),
            Lang::En
        );
        // A note that reads "--lang" after `--` is text, not the option.
        assert_ne!(
            lang_of(&args(&["taizhang", "note", "1", "--", "--lang", "zh"])),
            Lang::Zh
        );
    }

    /// Every about and every visible option of every command has a Chinese text: a new
    /// option without one fails here.
    #[test]
    fn every_help_text_has_chinese() {
        let mut cmd = super::super::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        fn walk(c: &Command, path: &str, missing: &mut Vec<String>) {
            let last = path.rsplit('.').next().unwrap_or_default();
            let about = if path.is_empty() {
                vec!["help.about".to_string()]
            } else {
                vec![
                    format!("help.{path}.about"),
                    // `help unit rename` shows the about of `unit rename`.
                    format!("help.{}.about", path.replace("help.", "")),
                    format!("help.{last}.about"),
                ]
            };
            if lookup(Lang::Zh, &about).is_none() {
                missing.push(about[0].clone());
            }
            for a in c.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = a.get_id();
                let keys = if path.is_empty() {
                    vec![format!("help.{id}")]
                } else {
                    vec![format!("help.{path}.{id}"), format!("help.{id}")]
                };
                if lookup(Lang::Zh, &keys).is_none() {
                    missing.push(keys[0].clone());
                }
            }
            for s in c.get_subcommands() {
                let p = if path.is_empty() {
                    s.get_name().to_string()
                } else {
                    format!("{path}.{}", s.get_name())
                };
                walk(s, &p, missing);
            }
        }
        walk(&cmd, "", &mut missing);
        assert!(missing.is_empty(), "help without Chinese: {missing:?}");
    }
}

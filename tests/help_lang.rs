//! `--help` in the user's language (issue 16): with `--lang zh` (or a Chinese locale) every
//! about and option help is Chinese; English help stays the doc comments. Snapshots of the top
//! level and three commands in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn help(env_lang: Option<&str>, args: &[&str]) -> String {
    let mut c = common::bare_cmd();
    if let Some(l) = env_lang {
        c.env("LANG", l);
    }
    let o = c.args(args).output().expect("run taizhang");
    assert!(o.status.success(), "{args:?}: {o:?}");
    String::from_utf8(o.stdout).expect("utf-8")
}

/// Runs of three or more English words outside clap's own bracketed notes ("[env: …]",
/// "[possible values: …]") and the usage line: English prose left in a Chinese help.
fn english_prose(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut l = line.to_string();
        while let (Some(s), Some(e)) = (l.find('['), l.find(']')) {
            if e < s {
                break;
            }
            l.replace_range(s..=e, " ");
        }
        if l.trim_start().starts_with("用法") {
            continue;
        }
        let mut run = 0;
        for w in l.split_whitespace() {
            let w = w.trim_matches(|c: char| ",.;:()'\"".contains(c));
            if w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                run += 1;
                if run == 3 {
                    found.push(line.trim().to_string());
                    break;
                }
            } else if !w.is_empty() {
                run = 0;
            }
        }
    }
    found
}

const COMMANDS: [&[&str]; 4] = [&[], &["update"], &["list"], &["import"]];

/// Before: `--lang zh --help` printed the English doc comments ("Change one or more tasks,
/// all or nothing", "The tasks to change; …"). Now every line is Chinese.
#[test]
fn help_is_chinese_with_lang_zh_or_a_chinese_locale() {
    for cmd in COMMANDS {
        let mut args = vec!["--lang", "zh"];
        args.extend_from_slice(cmd);
        args.push("--help");
        let zh = help(None, &args);
        let prose = english_prose(&zh);
        assert!(
            prose.is_empty(),
            "{cmd:?}: English in the Chinese help: {prose:#?}"
        );
        let name = if cmd.is_empty() { "top" } else { cmd[0] };
        insta::assert_snapshot!(format!("help_zh_{name}"), zh);
        // The locale alone gives the same help, and so does the short form's language.
        let mut args: Vec<&str> = cmd.to_vec();
        args.push("--help");
        assert_eq!(help(Some("zh_CN.UTF-8"), &args), zh, "{cmd:?}");
        let mut short: Vec<&str> = vec!["--lang", "zh"];
        short.extend_from_slice(cmd);
        short.push("-h");
        assert!(english_prose(&help(None, &short)).is_empty(), "{cmd:?} -h");
    }
}

/// English help is the doc comments as they were.
#[test]
fn help_stays_english_otherwise() {
    for cmd in COMMANDS {
        let mut args: Vec<&str> = cmd.to_vec();
        args.push("--help");
        let en = help(None, &args);
        assert!(en.contains("Usage: taizhang"), "{en}");
        let name = if cmd.is_empty() { "top" } else { cmd[0] };
        insta::assert_snapshot!(format!("help_en_{name}"), en);
        let mut with_lang = vec!["--lang", "en"];
        with_lang.extend_from_slice(&args);
        assert_eq!(help(None, &with_lang), en);
    }
}

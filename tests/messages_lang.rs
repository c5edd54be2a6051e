//! Every message in the user's language (issue 16): errors come from the one catalogue
//! (locales/app.yml) and are shown in `--lang`, else the locale's language; each message is
//! in one language, never Chinese and English mixed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// Whether a text holds a Chinese character.
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// English words of a message (flags, paths and placeholders like `--on` aside).
fn english_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphabetic() && c != '-')
        .filter(|w| w.len() > 2 && !w.starts_with('-') && *w != "taizhang")
        .map(str::to_string)
        .collect()
}

/// Before: `--lang zh show 99` printed "task #99 does not exist …" in English, because an
/// error's text was fixed at its `Display`. Now the edge renders it in the chosen language.
#[test]
fn errors_are_shown_in_the_chosen_language() {
    let l = Ledger::init();
    let before = l.dump();
    let zh = l.fail(&["--lang", "zh", "show", "99"]);
    zh.check(1, &["任务 #99 不存在"]);
    let by_locale = run_fail_locale(&l, "zh_CN.UTF-8", &["show", "99"]);
    by_locale.check(1, &["任务 #99 不存在"]);
    let en = l.fail(&["--lang", "en", "show", "99"]);
    en.check(1, &["task #99 does not exist"]);
    // A message built deep in the library (a refused link) follows the language too.
    let a = l.add("推进行政执法三项制度", &[]).to_string();
    let b = l.add("建立合法性审核机制", &[]).to_string();
    let f = l.fail(&["--lang", "zh", "link", &a, "--addresses", &b]);
    f.check(1, &["不是短板", "任务"]);
    assert!(!f.stderr.contains("task"), "{f:?}");
    let f = l.fail(&["--lang", "en", "link", &a, "--addresses", &b]);
    f.check(1, &["is not a shortcoming", "its kind is task"]);
    let _ = before;
}

fn run_fail_locale(l: &Ledger, locale: &str, args: &[&str]) -> common::Failure {
    let mut c = l.cmd();
    c.env("LANG", locale).args(args);
    common::run_fail(&mut c)
}

/// Before: a `--on` day before the task's latest change was refused with an English line
/// ending in a Chinese parenthesis ("… give --on 2025-03-01 or later (早于该任务最近一次变更
/// 的生效日期)") whatever the language. Now each language gets its own whole line.
#[test]
fn an_on_refusal_is_in_one_language() {
    let l = Ledger::init();
    let id = l
        .add("推进行政执法三项制度", &["--on", "2025-02-20"])
        .to_string();
    l.run_ok(&["update", &id, "--progress", "20", "--on", "2025-02-25"]);
    let before = l.dump();
    let args = |lang: &'static str| {
        vec![
            "--lang",
            lang,
            "update",
            id.as_str(),
            "--progress",
            "30",
            "--on",
            "2025-02-22",
        ]
    };
    let zh = l.fail(&args("zh"));
    zh.check(1, &["2025-02-25", "早于"]);
    let words = english_words(zh.stderr.trim_start_matches("taizhang: "));
    assert!(words.is_empty(), "English words {words:?} in {zh:?}");
    let en = l.fail(&args("en"));
    en.check(1, &["2025-02-25", "is before the latest change"]);
    assert!(!has_cjk(&en.stderr), "Chinese in {en:?}");
    // Before the task existed: the same, and the ledger is unchanged by either refusal.
    let early = |lang: &'static str| {
        vec![
            "--lang",
            lang,
            "note",
            id.as_str(),
            "补记",
            "--on",
            "2025-02-10",
        ]
    };
    let zh = l.fail(&early("zh"));
    zh.check(1, &["2025-02-20"]);
    assert!(
        english_words(zh.stderr.trim_start_matches("taizhang: ")).is_empty(),
        "{zh:?}"
    );
    let en = l.fail(&early("en"));
    assert!(!has_cjk(&en.stderr), "Chinese in {en:?}");
    assert_eq!(l.dump(), before, "a refused --on changed the ledger");
}

/// Before: an import refusal was English whatever the language ("the input is empty or
/// contains only whitespace: …"). Now the import pipeline's errors come from the catalogue.
#[test]
fn import_errors_follow_the_language() {
    let l = Ledger::init();
    let empty = l.sibling("empty.txt");
    std::fs::write(&empty, "   \n").unwrap();
    let before = l.dump();
    let f = l.fail(&["--lang", "zh", "import", empty.to_str().unwrap()]);
    f.check(1, &["输入为空"]);
    let f = l.fail(&["--lang", "en", "import", empty.to_str().unwrap()]);
    f.check(1, &["the input is empty"]);
    assert_eq!(l.dump(), before);
}

/// Before: clap's usage errors were English also with `--lang zh` ("unexpected argument
/// '--bogus' found", "invalid value 'finished' for '--status <STATUSES>': unknown status …").
/// Now the kinds people meet are Chinese; English keeps clap's own line.
#[test]
fn usage_errors_follow_the_language() {
    let l = Ledger::init();
    let before = l.dump();
    for (args, needles) in [
        (
            &["update", "1", "--bogus"][..],
            &["未知选项", "--bogus"][..],
        ),
        (
            &["update", "1", "--progres", "5"],
            &["未知选项", "--progress"],
        ),
        (&["frobnicate"], &["未知命令", "frobnicate"]),
        (&["add"], &["缺少必需的参数"]),
        (
            &["list", "--status", "finished"],
            &["finished", "未启动/todo"],
        ),
        (
            &["add", "x", "--deadline", "2025-13-45"],
            &["不是可识别的日期"],
        ),
        (
            &["add", "x", "--continuous", "--deadline", "2025-01-01"],
            &["不能与"],
        ),
    ] {
        let mut all = vec!["--lang", "zh"];
        all.extend_from_slice(args);
        let f = l.fail(&all);
        f.check(2, needles);
        // The words the command accepts are named in both languages; clap's English
        // sentences are gone.
        for english in [
            "unexpected",
            "invalid value",
            "required",
            "cannot be used",
            "unknown status",
            "not a date",
            "tip:",
            "unrecognized",
        ] {
            assert!(!f.stderr.contains(english), "{english:?} in {f:?}");
        }
    }
    let f = l.fail(&["--lang", "en", "update", "1", "--bogus"]);
    f.check(2, &["unexpected argument '--bogus' found"]);
    assert_eq!(l.dump(), before);
}

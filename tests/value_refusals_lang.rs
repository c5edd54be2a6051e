//! A value refused while the command line is parsed is said in the user's language. Before,
//! the Chinese frame quoted the project's own parsers in English: "<ID|REF> 的值“1-20000”无效：
//! the range 1-20000 names 20000 tasks; at most 10000 are taken at once".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn refusal(lang: &str, args: &[&str]) -> String {
    let l = common::Ledger::new();
    let before = l.dump();
    let mut full = vec!["--lang", lang];
    full.extend_from_slice(args);
    let o = l.cmd().args(&full).output().expect("run taizhang");
    assert_eq!(o.status.code(), Some(2), "{args:?}: {o:?}");
    assert!(o.stdout.is_empty(), "{args:?}: {o:?}");
    assert_eq!(l.dump(), before, "{args:?} changed the ledger");
    let err = String::from_utf8(o.stderr).expect("utf-8");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

/// Latin words of two letters or more, outside option names and clap's value names
/// (`<PROGRESS>`, all capitals) and the value typed.
fn english_words(line: &str, typed: &[&str]) -> Vec<String> {
    line.split(|c: char| !c.is_ascii_alphabetic() && c != '-')
        .filter(|w| w.len() >= 2 && !w.starts_with('-'))
        .filter(|w| !w.chars().all(|c| c.is_ascii_uppercase()))
        .filter(|w| !["taizhang", "body"].contains(w) && !typed.contains(w))
        .map(str::to_string)
        .collect()
}

const CASES: [&[&str]; 8] = [
    &["show", "1-20000"],
    &["show", "18-16"],
    &["show", "0"],
    &["show", "a b"],
    &["update", "1", "--progress", "200"],
    &["update", "1", "--progress", "lots"],
    &["update", "1", "--outline-area", "FZ11"],
    &["note", "1", "   "],
];

#[test]
fn refusals_of_ids_progress_areas_and_texts_are_chinese_under_lang_zh() {
    for args in CASES {
        let err = refusal("zh", args);
        let words = english_words(&err, args);
        assert!(
            words.is_empty(),
            "{args:?}: English words {words:?} in {err}"
        );
    }
    let err = refusal("zh", &["show", "1-20000"]);
    assert!(err.contains("一次最多 10000 项"), "{err}");
    let long = "长".repeat(600);
    let err = refusal("zh", &["add", &long]);
    assert!(
        err.contains("最多 500 个") && err.contains("--body"),
        "{err}"
    );
}

#[test]
fn the_same_refusals_stay_english_under_lang_en() {
    let err = refusal("en", &["show", "1-20000"]);
    assert!(
        err.contains("the range 1-20000 names 20000 tasks; at most 10000 are taken at once"),
        "{err}"
    );
    let err = refusal("en", &["update", "1", "--progress", "200"]);
    assert!(err.contains("progress 200 is outside 0–100"), "{err}");
    let err = refusal("en", &["note", "1", "   "]);
    assert!(err.contains("this value cannot be empty"), "{err}");
}

/// A date refused under `--lang en` is English whatever the locale says (before, the date
/// grammar picked the language from the locale, so a Chinese locale put Chinese inside clap's
/// English line).
#[test]
fn a_refused_date_follows_lang_not_the_locale() {
    let l = common::Ledger::new();
    let o = l
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .args(["--lang", "en", "update", "1", "--deadline", "2025-13-45"])
        .output()
        .expect("run taizhang");
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8(o.stderr).expect("utf-8");
    assert!(err.contains("is not a date taizhang understands"), "{err}");
}

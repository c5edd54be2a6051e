//! Errors that were written in English only (`Error::Usage(format!(…))`) now come from the
//! catalogue like every other message, so `--lang zh` shows them in Chinese (issue 16).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run_fail, Ledger};

/// Whether a text holds a Chinese character.
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Before: a bad TAIZHANG_NOW was refused in English whatever the language. Now `--lang zh`
/// names the variable and the accepted forms in Chinese, `--lang en` keeps the English line,
/// and the ledger is unchanged.
#[test]
fn a_bad_clock_variable_is_refused_in_the_chosen_language() {
    let l = Ledger::init();
    let before = l.dump();
    let zh = run_fail(
        l.cmd()
            .env("TAIZHANG_NOW", "soon")
            .args(["--lang", "zh", "add", "甲"]),
    );
    zh.check(2, &["TAIZHANG_NOW=soon", "不是日期时间"]);
    assert!(!zh.stderr.contains("is not a date-time"), "{zh:?}");
    let en = run_fail(
        l.cmd()
            .env("TAIZHANG_NOW", "soon")
            .args(["--lang", "en", "add", "甲"]),
    );
    en.check(2, &["TAIZHANG_NOW=soon", "is not a date-time"]);
    assert!(!has_cjk(&en.stderr), "{en:?}");
    assert_eq!(l.dump(), before, "a refused command changed the ledger");
}

/// Before: undoing an extension request was refused in English whatever the language. Now
/// `--lang zh` says in Chinese that the request stays on record and how to answer it, and
/// nothing is written.
#[test]
fn undoing_a_recorded_request_is_refused_in_the_chosen_language() {
    let l = Ledger::init();
    let id = l
        .add("落实重大行政决策程序", &["--deadline", "2025-06-30"])
        .to_string();
    l.run_ok(&[
        "request-extension",
        &id,
        "--to",
        "2025-09-30",
        "--note",
        "等待上级批复",
    ]);
    let before = l.dump();
    let zh = l.fail(&["--lang", "zh", "undo"]);
    zh.check(1, &["无法撤销", "申请延期", "reject"]);
    assert!(!zh.stderr.contains("cannot undo"), "{zh:?}");
    let en = l.fail(&["--lang", "en", "undo"]);
    en.check(1, &["cannot undo change", "stays on record"]);
    assert_eq!(l.dump(), before, "a refused command changed the ledger");
}

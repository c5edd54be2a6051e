//! The history shows values whole and in the reader's language (issue 16): the table engine
//! cuts a value to the width, never the history formatter before it; status and kind words,
//! co-owners and the empty value read as words of the language.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

const TITLE: &str = "健全重大行政决策程序制度并推进重大行政决策事项目录管理和决策后评估工作全覆盖";
const AREA: &str = "依法全面履行政府职能和优化法治化营商环境的各项具体措施落实";

fn ledger() -> (Ledger, String) {
    let l = Ledger::init();
    let id = l.add(TITLE, &[]).to_string();
    l.run_ok(&["update", &id, "--area", AREA, "--status", "doing"]);
    l.run_ok(&[
        "update",
        &id,
        "--co-owner",
        "区城管局",
        "--co-owner",
        "区司法局",
    ]);
    (l, id)
}

/// Before: `history` cut the title at 30 columns and other values at 24 ("健全重大行政决策程
/// 序制度并推…") before the table was laid out, so even a pipe or a 200-column terminal never
/// showed them whole. Now a pipe gets them whole and a wide terminal too.
#[test]
fn history_values_are_never_cut_before_the_table() {
    let (l, id) = ledger();
    for columns in [None, Some("300")] {
        let mut c = l.cmd();
        if let Some(w) = columns {
            c.env("COLUMNS", w);
        }
        let out = c.args(["--lang", "zh", "history", &id]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(TITLE),
            "title cut at COLUMNS={columns:?}:\n{text}"
        );
        assert!(
            text.contains(AREA),
            "area cut at COLUMNS={columns:?}:\n{text}"
        );
    }
    // At 80 columns the table still fits, cutting with "…".
    let mut c = l.cmd();
    c.env("COLUMNS", "80");
    let out = c.args(["--lang", "zh", "history", &id]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "wider than 80: {line}"
        );
    }
    assert!(text.contains('…'), "{text}");
}

/// Before: history printed raw values ("todo" → "doing", co-owners as `[]` →
/// `["区城管局","区司法局"]`) in Chinese output. Now words of the language.
#[test]
fn history_values_read_in_the_language() {
    let (l, id) = ledger();
    let zh = l.run_ok(&["--lang", "zh", "history", &id]);
    assert!(zh.contains("未启动") && zh.contains("推进中"), "{zh}");
    assert!(zh.contains("区城管局、区司法局"), "{zh}");
    assert!(!zh.contains("[\""), "{zh}");
    assert!(zh.contains("（无）"), "{zh}");
    let en = l.run_ok(&["--lang", "en", "history", &id]);
    assert!(en.contains("todo") && en.contains("doing"), "{en}");
    assert!(en.contains("区城管局, 区司法局"), "{en}");
}

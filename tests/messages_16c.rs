//! The messages of `config`, `history`'s period changes and the export title read word for
//! word as before they moved into the catalogue, in both languages.

mod common;

use common::{run_fail, Ledger};

/// An unset name says how to set it, in one sentence per language.
#[test]
fn config_unset_name_says_how_to_set_it() {
    let l = Ledger::init();
    let zh = l.run_ok(&["--lang", "zh", "config", "name"]);
    assert_eq!(zh.trim(), "未设置；用 config name VALUE 设置");
    let en = l.run_ok(&["--lang", "en", "config", "name"]);
    assert_eq!(en.trim(), "not set; set it with config name VALUE");
}

/// A name with a line break is refused in the reader's language and changes nothing.
#[test]
fn config_name_on_two_lines_is_refused_in_both_languages() {
    let l = Ledger::init();
    let before = l.dump();
    let zh = run_fail(l.cmd().args(["--lang", "zh", "config", "name", "甲\n乙"]));
    assert_eq!(zh.code, 2, "{zh:?}");
    assert!(
        zh.stderr
            .contains("台账名称不能含换行或控制字符；请写成一行，如 常州市天宁区"),
        "{zh:?}"
    );
    let en = run_fail(l.cmd().args(["--lang", "en", "config", "name", "a\nb"]));
    en.check(
        2,
        &["the ledger name cannot hold line breaks or control characters; give one line, e.g. 常州市天宁区"],
    );
    assert_eq!(l.dump(), before);
}

/// The ledger's history lists added and renamed outline periods in both languages.
#[test]
fn history_lists_period_changes_in_both_languages() {
    let l = Ledger::init();
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l.run_ok(&["outline", "rename", "2026-2030", "新名"]);
    let zh = l.run_ok(&["--lang", "zh", "history"]);
    assert!(zh.contains("纲要期间变更：\n"), "{zh}");
    assert!(zh.contains(" 添加 "), "{zh}");
    assert!(zh.contains(" 更名 十五五 → 新名"), "{zh}");
    let en = l.run_ok(&["--lang", "en", "history"]);
    assert!(en.contains("Outline period changes:\n"), "{en}");
    assert!(en.contains(" added "), "{en}");
    assert!(en.contains(" renamed 十五五 → 新名"), "{en}");
}

//! Issue 13, part A (1): every task has a responsible person (责任人) and a contact (联系方式),
//! set by `add` and `update`, kept in the history, shown by `show`, filtered by `--person` on
//! list, report, warn and export, written in every export format and carried by JSON Lines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// A ledger with three tasks: two of 张主任 (one overdue on the test clock), one of 李科长.
fn ledger() -> Ledger {
    let l = Ledger::init();
    l.add(
        "推行行政执法三项制度",
        &[
            "--owner",
            "区司法局",
            "--person",
            "张主任",
            "--contact",
            "0519-1234",
            "--deadline",
            "2025-02-01",
        ],
    );
    l.add(
        "规范涉企检查",
        &["--owner", "区市场监管局", "--person", "李科长"],
    );
    l.add(
        "复议案件办理",
        &["--owner", "区司法局", "--deadline", "2025-03-20"],
    );
    l
}

#[test]
fn update_sets_the_person_and_the_history_keeps_it() {
    let l = ledger();
    // Refused before issue 13: "unexpected argument '--person'".
    l.run_ok(&["update", "3", "--person", "张主任"]);
    let t = l.show(3);
    assert_eq!(t["person"], "张主任", "{t}");
    l.run_ok(&["update", "3", "--contact", "13800000000"]);
    let t = l.show(3);
    assert_eq!(t["contact"], "13800000000", "{t}");
    let fields: Vec<String> = common::history_of(&t).iter().map(|c| c.0.clone()).collect();
    assert!(fields.contains(&"person".to_string()), "{fields:?}");
    assert!(fields.contains(&"contact".to_string()), "{fields:?}");
    // The replay of the history ends in the stored row.
    l.run_ok(&["check"]);
    // show prints both, in both languages.
    let zh = l.run_ok(&["--lang", "zh", "show", "1"]);
    assert!(
        zh.contains("责任人") && zh.contains("张主任") && zh.contains("0519-1234"),
        "{zh}"
    );
    let en = l.run_ok(&["show", "1"]);
    assert!(en.contains("person") && en.contains("contact"), "{en}");
    // Undo takes the contact back.
    l.run_ok(&["undo", "--yes"]);
    assert!(l.show(3)["contact"].is_null());
    l.run_ok(&["check"]);
}

#[test]
fn person_filters_list_report_warn_and_export() {
    let l = ledger();
    let ids = |v: serde_json::Value| common::ids(&v);
    assert_eq!(ids(l.json(&["list", "--person", "张主任"])), [1]);
    assert_eq!(ids(l.json(&["list", "--person", "李科长"])), [2]);
    let r = l.json(&["report", "--person", "张主任", "--by", "owner"]);
    let total: u64 = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["total"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 1, "{r}");
    let w = l.json(&["warn", "--person", "张主任"]);
    assert_eq!(w["red"], 1, "{w}");
    let w = l.json(&["warn", "--person", "李科长"]);
    assert_eq!(w["red"], 0, "{w}");
    let w = l.json(&["--as-of", "2025-03-01", "warn", "--person", "李科长"]);
    assert_eq!(w["red"], 0, "{w}");
    let csv = l.run_ok(&["export", "--year", "2025", "--format", "csv"]);
    let head = csv.lines().next().unwrap();
    assert!(head.contains("Person"), "{head}");
    let zh = l.run_ok(&[
        "--lang",
        "zh",
        "export",
        "--year",
        "2025",
        "--format",
        "csv",
        "--person",
        "张主任",
    ]);
    assert!(zh.lines().next().unwrap().contains("责任人"), "{zh}");
    assert_eq!(zh.lines().count(), 2, "header and one task: {zh}");
    assert!(zh.contains("张主任") && !zh.contains("李科长"), "{zh}");
    for format in ["md", "html", "json"] {
        let out = l.run_ok(&["export", "--year", "2025", "--format", format]);
        assert!(out.contains("张主任"), "{format}: {out}");
    }
}

#[test]
fn json_lines_carry_the_person_and_contact() {
    let l = ledger();
    let file = l.sibling("all.jsonl");
    l.run_ok(&["export", "--format", "jsonl", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"person\":\"张主任\""), "{text}");
    let other = Ledger::new();
    other.run_ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.show(1)["contact"], "0519-1234");
    other.run_ok(&["check"]);
    // A jsonl export is the whole ledger: a person filter is refused, nothing written.
    let f = l.fail(&["export", "--format", "jsonl", "--person", "张主任"]);
    f.check(2, &["jsonl"]);
}

#[test]
fn a_blank_person_is_refused_and_changes_nothing() {
    let l = ledger();
    let before = l.dump();
    let f = l.fail(&["update", "1", "--person", " "]);
    assert_eq!(f.code, 2, "{f:?}");
    assert_eq!(l.dump(), before);
}

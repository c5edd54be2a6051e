//! Issue 17: what an office prints. The ledger's name in every export's title, the Excel
//! workbook's page setup read back from its XML, the HTML page's print rules, and the mode
//! of files written with -o.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// A ledger with a name and a few tasks of 2025, one of them overdue at the year's end.
fn named() -> Ledger {
    let l = Ledger::new();
    l.run_ok(&["init", "--name", "常州市天宁区"]);
    l.add(
        "健全重大行政决策程序制度，严格落实公众参与、专家论证、风险评估、合法性审查和集体讨论决定等法定程序",
        &["--owner", "区司法局", "--deadline", "2025-06-30", "--area", "依法行政"],
    );
    let done = l.add(
        "完善行政执法公示制度",
        &["--owner", "区城管局", "--deadline", "2025-09-30"],
    );
    l.run_ok(&["update", &done.to_string(), "--status", "done"]);
    l
}

#[test]
fn init_name_is_read_back_and_changed_by_config() {
    let l = named();
    assert_eq!(l.run_ok(&["config", "name"]).trim(), "常州市天宁区");
    let before = l.dump();
    l.run_ok(&["config", "name", "常州市武进区"]);
    assert_ne!(before, l.dump());
    assert_eq!(l.run_ok(&["config", "name"]).trim(), "常州市武进区");
    let v = l.json(&["config", "name"]);
    assert_eq!(v["key"], "name");
    assert_eq!(v["value"], "常州市武进区");
    // The ledger with its name passes its own check.
    l.run_ok(&["check"]);
}

#[test]
fn config_refuses_an_unknown_key_and_a_multi_line_name_and_changes_nothing() {
    let l = named();
    let before = l.dump();
    l.fail(&["config", "colour", "red"]).check(2, &["name"]);
    l.fail(&["config", "name", "常州市\n天宁区"])
        .check(2, &["one line"]);
    assert_eq!(before, l.dump());
}

#[test]
fn config_name_on_a_ledger_without_one_says_how_to_set_it() {
    let l = Ledger::init();
    let out = l.run_ok(&["config", "name"]);
    assert!(out.contains("config name"), "{out}");
    assert_eq!(
        l.json(&["config", "name"])["value"],
        serde_json::Value::Null
    );
}

#[test]
fn every_export_title_names_the_unit_not_the_file() {
    let l = named();
    let want = "常州市天宁区2025年度法治政府建设任务完成情况";
    for format in ["md", "html"] {
        let out = l.run_ok(&[
            "--lang", "zh", "export", "--year", "2025", "--format", format,
        ]);
        assert!(out.contains(want), "{format}: {out}");
        assert!(out.contains("填报单位：常州市天宁区"), "{format}: {out}");
        assert!(
            !out.contains("台账：") && !out.contains("taizhang.db"),
            "{format}: {out}"
        );
        // The generated time is a local time to the minute, not a raw RFC 3339 stamp.
        assert!(
            out.contains("生成时间：2025-03-01 09:00"),
            "{format}: {out}"
        );
        assert!(!out.contains("09:00:00+08:00"), "{format}: {out}");
    }
    let en = l.run_ok(&["--lang", "en", "export", "--year", "2025", "--format", "md"]);
    assert!(
        en.contains("常州市天宁区: rule-of-law government tasks, status for 2025"),
        "{en}"
    );
    let json = l.json(&["export", "--year", "2025"]);
    assert_eq!(json["header"]["name"], "常州市天宁区");
}

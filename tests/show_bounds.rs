//! Issue 9, case 13: `show` of a task with a huge text prints a bounded amount and says how
//! to get the whole text; `check` stays linear in the depth of the sub-task tree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

/// The Tianning report with one plan sentence grown to about `n` characters, the way an
/// 8 MB report written as one paragraph arrives.
fn report_with_a_huge_sentence(l: &Ledger, n: usize) -> std::path::PathBuf {
    let text = std::fs::read_to_string("fixtures/tianning-2024-report.txt").unwrap();
    let key = "实施提升行政执法质量三年行动计划";
    assert!(text.contains(key));
    let filler = "依法行政扎实推进".repeat(n / 8);
    let grown = text.replace(key, &format!("{key}，{filler}"));
    let path = l.sibling("big.txt");
    std::fs::write(&path, grown).unwrap();
    path
}

#[test]
fn show_caps_a_huge_body_and_says_how_to_get_it() {
    let l = Ledger::new();
    let report = report_with_a_huge_sentence(&l, 400_000);
    l.run_ok(&["import", report.to_str().unwrap()]);
    let tasks = l.json(&["list"]);
    let big = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["body"]
                .as_str()
                .is_some_and(|b| b.chars().count() > 100_000)
        })
        .expect("a task with the huge sentence");
    let id = big["id"].as_i64().unwrap().to_string();
    let body_len = big["body"].as_str().unwrap().len();

    for lang in ["en", "zh"] {
        let out = l.run_ok(&["--lang", lang, "show", &id]);
        assert!(
            out.len() < 100 * 1024,
            "{lang}: show printed {} bytes for a {body_len}-byte body",
            out.len()
        );
        assert!(
            out.contains(&format!("taizhang show {id} --format json")),
            "{lang}: show must say how to get the whole text:\n{}",
            &out[out.len().saturating_sub(2000)..]
        );
    }
    // JSON keeps the whole text.
    let full = l.show(id.parse().unwrap());
    assert_eq!(full["body"].as_str().unwrap().len(), body_len);
}

#[test]
fn show_prints_a_normal_task_whole_without_a_hint() {
    let l = Ledger::init();
    let body = "区城管局牵头开展执法案卷评查。".repeat(100);
    l.add("案卷评查", &["--body", &body]);
    let out = l.run_ok(&["show", "1"]);
    assert!(out.contains(&body), "{out}");
    assert!(!out.contains("--format json"), "{out}");
}

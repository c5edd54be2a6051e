//! The account of every sentence (the coverage line, unassigned sentences, the refusal and
//! `--accept-unassigned`), `--explain`, and the report shapes the issue names one by one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/tianning-2024-report.txt"
);

/// Writes a report text beside the ledger and returns its path.
fn report(l: &Ledger, name: &str, text: &str) -> String {
    let p = l.sibling(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn count_items(v: &Value, part: &str) -> usize {
    v["report"][part]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["items"].as_array().map_or(1, |a| a.len()))
        .sum()
}

#[test]
fn dry_run_prints_one_coverage_line() {
    let l = Ledger::new();
    let out = l.run_ok(&["import", "--dry-run", REFERENCE]);
    assert!(
        out.contains("\nCoverage: 94 sentences in the body: 77 in achievements, 1 in shortcomings, 6 in commitments, 10 headings and intros, 0 causes, 0 first responsibility, 0 other, 0 unassigned\n"),
        "{out}"
    );
    let zh = l.run_ok(&["--lang", "zh", "import", "--dry-run", REFERENCE]);
    assert!(zh.contains("句子覆盖：正文 94 句，成效 77，"), "{zh}");
}

const UNASSIGNED: &str = "2024年法治政府建设情况报告\n\
一、主要成效\n\
（一）深化改革。完成机构改革。\n\
二、存在的问题\n\
我区法治建设仍不平衡，部分干部学法不够。\n\
1、执法力量不足。\n\
2、信息化水平不高。\n\
三、2025年工作安排\n\
1、加强执法队伍。组织轮训。\n";

#[test]
fn an_unassigned_sentence_in_a_shortcomings_part_refuses_the_import() {
    let l = Ledger::new();
    let f = report(&l, "report.txt", UNASSIGNED);
    let out = l.run_ok(&["import", "--dry-run", &f]);
    assert!(out.contains(", 1 unassigned\n"), "{out}");
    assert!(
        out.contains(" ! line 5: 我区法治建设仍不平衡，部分干部学法不够。\n"),
        "{out}"
    );
    let fail = l.fail(&["import", &f]);
    assert_eq!(fail.code, 1, "{fail:?}");
    let lines: Vec<&str> = fail.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{fail:?}");
    assert!(lines[0].contains("line 5"), "{fail:?}");
    assert!(lines[0].contains("--accept-unassigned"), "{fail:?}");
    assert!(!l.path.exists(), "a refused import created the ledger");

    let out = l.run_ok(&["import", "--accept-unassigned", &f]);
    assert!(out.contains("4 tasks created"), "{out}");
    assert!(out.contains(", 1 unassigned\n"), "{out}");
}

#[test]
fn explain_prints_the_tree_with_the_rule_of_each_part() {
    let l = Ledger::new();
    let out = l.run_ok(&["import", "--explain", REFERENCE]);
    assert!(
        out.contains("    4 一、 深化改革加快政府职能转变,促进优化协同高效  ← implicit-achievements (achievements)\n"),
        "{out}"
    );
    assert!(out.contains("    5   1. 压茬推进重点改革任务\n"), "{out}");
    assert!(
        out.contains("← shortcomings-paragraph (shortcomings)"),
        "{out}"
    );
    assert!(out.contains("← plans-paragraph (plans)"), "{out}");
    assert!(
        out.contains("   26   一、 强化统筹,加力建设法治政府\n"),
        "{out}"
    );
    assert!(!l.path.exists(), "--explain created the ledger");
}

#[test]
fn a_part_no_rule_names_is_a_warning_naming_its_heading() {
    let l = Ledger::new();
    let text = format!("{UNASSIGNED}四、关于有关事项的说明\n本报告数据截至12月。\n");
    let f = report(&l, "report.txt", &text);
    let (out, err) = l.run_ok_err(&["import", "--dry-run", &f]);
    assert!(
        err.contains("the part \"关于有关事项的说明\" at line 10 matches no known part"),
        "{err}"
    );
    // Its text is not merged into the plan area above it.
    assert!(out.contains("Commitments (1)"), "{out}");
    assert!(out.contains("   line 11: 本报告数据截至12月。"), "{out}");
}

#[test]
fn plan_headings_with_their_sentences_on_one_line_keep_every_sentence() {
    let l = Ledger::new();
    let mut text = String::from("2024年法治政府建设情况报告\n");
    for k in 1..=2000 {
        text.push_str(&format!(
            "一、第{k}方面工作安排。推进甲项{k}。推进乙项{k}。推进丙项{k}。\n"
        ));
    }
    let f = report(&l, "report.txt", &text);
    let v = l.json(&["import", "--dry-run", &f]);
    assert_eq!(count_items(&v, "plans"), 6000);
    assert_eq!(v["report"]["coverage"]["unassigned"], 0);
    assert_eq!(
        v["report"]["plans"][1999]["items"][2]["ref"],
        "2025-C2000.3"
    );
    assert_eq!(
        v["report"]["plans"][1999]["items"][2]["title"],
        "推进丙项2000"
    );
}

#[test]
fn other_matters_under_the_plans_are_not_commitments() {
    let l = Ledger::new();
    let text = "2024年法治政府建设情况报告\n\
一、主要成效\n\
（一）深化改革。完成机构改革。\n\
二、存在的主要问题\n\
1、执法力量不足。\n\
2、信息化水平不高。\n\
3、普法针对性不强。\n\
三、下步打算\n\
1、加强执法队伍。组织轮训。\n\
其他需要报告的情况\n\
无\n";
    let f = report(&l, "report.txt", text);
    let v = l.json(&["import", "--dry-run", &f]);
    // "存在的主要问题" names shortcomings: three, not one achievement.
    assert_eq!(count_items(&v, "achievements"), 1);
    assert_eq!(v["report"]["shortcomings"].as_array().unwrap().len(), 3);
    assert_eq!(count_items(&v, "plans"), 1);
    assert_eq!(v["report"]["plans"][0]["items"][0]["title"], "组织轮训");
    assert_eq!(v["report"]["coverage"]["other"], 2);
    assert_eq!(v["report"]["coverage"]["unassigned"], 0);
}

#[test]
fn causes_stay_out_of_the_last_shortcoming_and_a_table_stays_in_its_achievement() {
    let l = Ledger::new();
    let f = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/shapes/baishui-2025-web-copy.txt"
    );
    let v = l.json(&["import", "--dry-run", f]);
    let r = &v["report"];
    assert_eq!(
        r["shortcomings"][2]["body"],
        "法治宣传教育针对性不强。普法宣传形式相对单一，以案释法、精准普法不够。"
    );
    assert_eq!(r["coverage"]["causes"], 1);
    let a13 = r["achievements"][0]["items"][2]["body"].as_str().unwrap();
    assert!(
        a13.ends_with("\n行政执法案卷优秀率\t78%\t86%\t+8个百分点"),
        "{a13}"
    );
    assert_eq!(r["achievements"][0]["items"].as_array().unwrap().len(), 4);
    // The web page's footer is not text of the report, and the issue date is found.
    assert_eq!(r["issued_on"], "2026-02-10");
    assert_eq!(r["issuer"], "白水县人民政府");
}

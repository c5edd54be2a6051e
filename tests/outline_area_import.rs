//! Outline-area suggestions on import, as a user sees them: the dry run and the review sheet
//! propose an area (FZ01–FZ10) per item; only `--tag` or the review sheet's 纲要领域 column
//! applies one. `--tag` where nothing is suggested, or on a file that is not a report's text,
//! is refused in one line with the ledger unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use common::Ledger;
use rust_xlsxwriter::Workbook;

const LINJIANG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/linjiang-2025-report.txt"
);

/// A report none of whose items names a phrase of the keyword table.
const PLAIN: &str = "青石县2024年法治政府建设年度报告\n\n2024年，青石县法治政府建设取得新进展。现将有关情况报告如下。\n\n一、主要成效\n1.植树造林。全年新增绿地120公顷。\n2.修缮道路。全年修缮乡村道路36公里。\n\n二、存在的不足\n一是农村道路养护资金不足；二是绿化管护人员偏少。\n\n三、2025年工作安排\n1.年内完成乡村道路养护资金筹措。\n2.上半年充实绿化管护人员。\n\n青石县人民政府\n2025年2月20日\n";

fn areas(l: &Ledger) -> Vec<(String, Option<String>)> {
    let v = l.json(&["list", "--limit", "1000"]);
    let mut out: Vec<(String, Option<String>)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["ref"].as_str().unwrap().to_string(),
                t["outline_area"].as_str().map(str::to_string),
            )
        })
        .collect();
    out.sort();
    out
}

/// A ledger whose periods hold the 2025 report's plan year 2026.
fn ledger() -> Ledger {
    let l = Ledger::init();
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l
}

fn area_of(l: &Ledger, r: &str) -> Option<String> {
    areas(l)
        .into_iter()
        .find(|(x, _)| x == r)
        .and_then(|(_, a)| a)
}

#[test]
fn the_dry_run_proposes_areas_and_an_import_without_tag_applies_none() {
    let l = ledger();
    let out = l.run_ok(&["import", LINJIANG, "--dry-run"]);
    assert!(
        out.contains("2026-C4.1") && out.contains("〈FZ07〉"),
        "{out}"
    );
    assert!(out.contains("outline-area suggestions"), "{out}");
    let v = l.json(&["import", LINJIANG, "--dry-run"]);
    let s = v["suggested_outline_areas"].as_array().unwrap();
    assert!(s
        .iter()
        .any(|x| x["ref"] == "2026-C2.2" && x["outline_area"] == "FZ04"));
    // Areas whose measured precision is below 80 % are never proposed.
    for x in s {
        let a = x["outline_area"].as_str().unwrap();
        assert!(["FZ03", "FZ04", "FZ05", "FZ07", "FZ10"].contains(&a), "{x}");
    }
    l.run_ok(&["import", LINJIANG]);
    assert!(
        areas(&l).iter().all(|(_, a)| a.is_none()),
        "{:?}",
        areas(&l)
    );
}

#[test]
fn tag_applies_the_suggestions_and_leaves_the_rest_untagged() {
    let l = ledger();
    l.run_ok(&["import", LINJIANG, "--tag"]);
    assert_eq!(area_of(&l, "2026-C2.2").as_deref(), Some("FZ04"));
    assert_eq!(area_of(&l, "2026-C4.1").as_deref(), Some("FZ07"));
    assert_eq!(area_of(&l, "2025-A1.1").as_deref(), Some("FZ10"));
    // FZ02's suggestions were wrong too often to be shown, so 放管服 stays untagged.
    assert_eq!(area_of(&l, "2025-A1.2"), None);
}

#[test]
fn tag_without_any_suggestion_is_refused_and_changes_nothing() {
    let l = ledger();
    let report = l.sibling("plain.txt");
    std::fs::write(&report, PLAIN).unwrap();
    let before = l.dump();
    l.fail(&["import", report.to_str().unwrap(), "--tag"])
        .check(1, &["--tag", "outline-area"]);
    assert_eq!(l.dump(), before);
    // The same report imports without --tag.
    l.run_ok(&["import", report.to_str().unwrap()]);
}

#[test]
fn tag_on_a_file_that_is_not_a_report_text_is_a_usage_error() {
    let l = ledger();
    let sheet = l.sibling("审核表.xlsx");
    let before = l.dump();
    l.fail(&[
        "import",
        LINJIANG,
        "--tag",
        "--review",
        sheet.to_str().unwrap(),
    ])
    .check(2, &["--tag"]);
    assert!(!sheet.exists());
    assert_eq!(l.dump(), before);
}

type Sheet = Vec<Vec<Data>>;

fn read_sheets(path: &Path) -> Vec<(String, Sheet)> {
    let mut wb = open_workbook_auto(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            (name, range.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

fn write_sheets(path: &Path, sheets: &[(String, Sheet)]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

fn cell(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

#[test]
fn the_review_sheet_carries_the_suggestion_and_imports_what_the_office_chose() {
    let l = ledger();
    let sheet = l.sibling("审核表.xlsx");
    l.run_ok(&["import", LINJIANG, "--review", sheet.to_str().unwrap()]);
    let mut sheets = read_sheets(&sheet);
    let items = &mut sheets[0].1;
    assert_eq!(cell(items[0].get(11)), "纲要领域");
    let row = |items: &Sheet, r: &str| items.iter().position(|row| cell(row.get(2)) == r).unwrap();
    let c41 = row(items, "2026-C4.1");
    assert_eq!(cell(items[c41].get(11)), "FZ07");
    // The office keeps FZ07 on 2026-C4.1, tags 2025-A1.2 (no suggestion) FZ02 and clears
    // the suggestion of 2026-C2.2.
    let a12 = row(items, "2025-A1.2");
    let c22 = row(items, "2026-C2.2");
    for r in [a12, c22] {
        items[r].resize(12, Data::Empty);
    }
    items[a12][11] = Data::String("fz02".into());
    items[c22][11] = Data::Empty;
    write_sheets(&sheet, &sheets);
    l.run_ok(&["import", sheet.to_str().unwrap()]);
    assert_eq!(area_of(&l, "2026-C4.1").as_deref(), Some("FZ07"));
    assert_eq!(area_of(&l, "2025-A1.2").as_deref(), Some("FZ02"));
    assert_eq!(area_of(&l, "2026-C2.2"), None);
}

#[test]
fn a_review_sheet_with_an_unknown_area_is_refused_whole() {
    let l = ledger();
    let sheet = l.sibling("审核表.xlsx");
    l.run_ok(&["import", LINJIANG, "--review", sheet.to_str().unwrap()]);
    let mut sheets = read_sheets(&sheet);
    let items = &mut sheets[0].1;
    items[1].resize(12, Data::Empty);
    items[1][11] = Data::String("FZ11".into());
    write_sheets(&sheet, &sheets);
    let before = l.dump();
    let f = l.fail(&["import", sheet.to_str().unwrap()]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("纲要领域 must be FZ01 … FZ10"), "{f:?}");
    assert_eq!(l.dump(), before);
}

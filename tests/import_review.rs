//! The review sheet round trip: `import REPORT --review 审核表.xlsx` writes the items found;
//! a program changes rows as the office would in Excel (deletes one, edits an owner and a
//! deadline, adds one); `import 审核表.xlsx` applies exactly the included rows as edited. A bad
//! row refuses the whole sheet, one line per bad row, and writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use common::Ledger;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/tianning-2024-report.txt"
);

type Sheet = Vec<Vec<Data>>;

fn read_sheets(path: &Path) -> Vec<(String, Sheet)> {
    let mut wb = open_workbook_auto(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

/// Writes the sheets back as a program (or Excel) would, cell by cell.
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
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

fn s(v: &str) -> Data {
    Data::String(v.to_string())
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn tasks(l: &Ledger) -> Vec<Value> {
    l.json(&["list", "--limit", "1000"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn write_review(l: &Ledger) -> std::path::PathBuf {
    let sheet = l.sibling("审核表.xlsx");
    let out = l.run_ok(&["import", REFERENCE, "--review", sheet.to_str().unwrap()]);
    assert!(out.contains("with 24 rows"), "{out}");
    assert!(!l.path.exists(), "--review wrote the ledger");
    sheet
}

#[test]
fn review_sheet_round_trip() {
    let l = Ledger::new();
    let sheet = write_review(&l);
    let mut sheets = read_sheets(&sheet);
    assert_eq!(sheets[0].0, "审核表");
    assert_eq!(sheets[1].0, "报告");
    let items = &mut sheets[0].1;
    assert_eq!(items.len(), 25);
    assert_eq!(text(&items[0][0]), "导入");
    assert_eq!(text(&items[1][2]), "2024-A1.1");
    assert_eq!(text(&items[24][2]), "2025-C3.2");

    // Delete one row, edit an owner and a deadline, add a row.
    let row_of = |items: &Sheet, r: &str| items.iter().position(|x| text(&x[2]) == r).unwrap();
    let gone = row_of(items, "2024-A1.2");
    items.remove(gone);
    let c11 = row_of(items, "2025-C1.1");
    items[c11][6] = s("区司法局");
    items[c11][8] = s("2025年6月底前");
    let mut new = vec![Data::Empty; 11];
    new[0] = s("是");
    new[1] = s("承诺");
    new[3] = s("执法监督");
    new[4] = s("建成区级行政执法监督平台");
    new[6] = s("区司法局");
    new[7] = s("区数据局、区城管局");
    new[8] = s("2025-09-30");
    items.push(new);
    let edited = l.sibling("审核表-改.xlsx");
    write_sheets(&edited, &sheets);

    let out = l.run_ok(&["import", edited.to_str().unwrap()]);
    assert!(out.contains("24 tasks created"), "{out}");
    let all = tasks(&l);
    assert_eq!(all.len(), 24);
    assert!(all.iter().all(|t| t["ref"] != "2024-A1.2"));
    let c11 = all.iter().find(|t| t["ref"] == "2025-C1.1").unwrap();
    assert_eq!(c11["owner"], "区司法局");
    assert_eq!(c11["deadline"], "2025-06-30");
    let added = all
        .iter()
        .find(|t| t["title"] == "建成区级行政执法监督平台")
        .unwrap();
    assert_eq!(added["kind"], "commitment");
    assert_eq!(added["owner"], "区司法局");
    assert_eq!(
        added["co_owners"],
        serde_json::json!(["区数据局", "区城管局"])
    );
    assert_eq!(added["deadline"], "2025-09-30");
    assert_eq!(added["area"], "执法监督");
    // The rows as written agree with a direct import where untouched.
    let a11 = all.iter().find(|t| t["ref"] == "2024-A1.1").unwrap();
    assert_eq!(a11["status"], "done");
    assert_eq!(a11["title"], "压茬推进重点改革任务");
    // History says the items came through review; the document is stored.
    let shown = l.show(added["id"].as_i64().unwrap());
    assert!(shown.to_string().contains("审核表"), "{shown}");
    assert_eq!(
        shown["document"]["title"],
        "常州市天宁区人民政府2024年法治政府建设年度报告"
    );
}

#[test]
fn bad_rows_refuse_the_whole_sheet_one_line_each() {
    let l = Ledger::new();
    let sheet = write_review(&l);
    l.run_ok(&["init"]);
    let mut sheets = read_sheets(&sheet);
    let items = &mut sheets[0].1;
    items[2][1] = s("其他");
    items[3][8] = s("2025-13-45");
    items[4][2] = s("2024-A1.1");
    items[5][4] = Data::Empty;
    let edited = l.sibling("bad.xlsx");
    write_sheets(&edited, &sheets);
    l.checkpoint();
    let before = l.dump();
    let f = l.fail(&["import", edited.to_str().unwrap()]);
    assert_eq!(f.code, 1, "{f:?}");
    let lines: Vec<&str> = f.stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{f:?}");
    assert!(
        lines[0].contains("row 3") && lines[0].contains("其他"),
        "{f:?}"
    );
    assert!(
        lines[1].contains("row 4") && lines[1].contains("2025-13-45"),
        "{f:?}"
    );
    assert!(
        lines[2].contains("row 5") && lines[2].contains("used twice"),
        "{f:?}"
    );
    assert!(
        lines[3].contains("row 6") && lines[3].contains("title"),
        "{f:?}"
    );
    assert!(lines[4].contains("4 bad rows"), "{f:?}");
    assert_eq!(l.dump(), before, "a refused sheet changed the ledger");
}

#[test]
fn a_sheet_of_another_layout_is_refused() {
    let l = Ledger::init();
    l.run_ok(&["import", REFERENCE]);
    let export = l.sibling("export.xlsx");
    l.run_ok(&[
        "export",
        "--year",
        "2025",
        "--output",
        export.to_str().unwrap(),
    ]);
    l.checkpoint();
    let before = l.dump();
    let f = l.fail(&["import", export.to_str().unwrap()]);
    assert_eq!(f.code, 1, "{f:?}");
    assert_eq!(f.stderr.lines().count(), 1, "{f:?}");
    assert!(f.stderr.contains("not a review sheet"), "{f:?}");
    assert_eq!(l.dump(), before);
}

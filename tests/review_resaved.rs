//! A review sheet edited by another program imports with its edits. The fixture
//! `fixtures/review-resaved-libreoffice.xlsx` is a sheet written by `import --review` from the
//! Tianning report, edited by openpyxl (`fixtures/review-resaved-libreoffice.py`) and then
//! resaved by LibreOffice headless: one deadline is a date cell, one a date shown as its serial
//! number, one a year typed as a number, the 导入 column holds TRUE and FALSE cells, and some
//! cells were emptied. The .ods and .xls fixtures are that file saved again by LibreOffice in
//! those formats. Those are cell types a person's spreadsheet program produces; each must
//! mean what the person saw.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

const RESAVED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/review-resaved-libreoffice.xlsx"
);

fn task<'a>(tasks: &'a [Value], r: &str) -> Option<&'a Value> {
    tasks.iter().find(|t| t["ref"] == r)
}

#[test]
fn a_sheet_resaved_by_libreoffice_imports_with_its_edits() {
    imports_with_its_edits(RESAVED);
}

/// The same sheet saved by LibreOffice as OpenDocument (.ods, its own format) and as the
/// older Excel format (.xls, what WPS and old Excel offer): the office may send either back.
#[test]
fn the_same_sheet_as_ods_or_xls_imports_too() {
    for ext in ["ods", "xls"] {
        imports_with_its_edits(&RESAVED.replace(".xlsx", &format!(".{ext}")));
    }
}

fn imports_with_its_edits(sheet: &str) {
    let l = Ledger::init();
    l.run_ok(&["import", sheet]);
    let v = l.json(&["list", "--kind", "commitment", "--format", "json"]);
    let tasks = v.as_array().unwrap();

    // A date cell and a date left as its serial number are the same day.
    assert_eq!(task(tasks, "2025-C1.1").unwrap()["deadline"], "2025-09-30");
    assert_eq!(task(tasks, "2025-C1.2").unwrap()["deadline"], "2025-10-31");
    // A TRUE cell in 导入 keeps the row, a FALSE cell drops it.
    assert!(task(tasks, "2025-C2.1").is_some(), "TRUE keeps the row");
    assert!(task(tasks, "2025-C2.2").is_none(), "FALSE drops the row");
    // A year typed as a number is the end of that year; emptied cells are empty.
    let c31 = task(tasks, "2025-C3.1").unwrap();
    assert_eq!(c31["deadline"], "2025-12-31");
    assert_eq!(
        c31["body"], c31["title"],
        "an emptied 内容 falls back to the title"
    );
    assert_eq!(c31["deadline_text"], Value::Null);
    // Owners typed into empty cells.
    let c32 = task(tasks, "2025-C3.2").unwrap();
    assert_eq!(c32["owner"], "区司法局");
    assert_eq!(
        c32["co_owners"],
        serde_json::json!(["区财政局", "区城管局"])
    );
}

#[test]
fn importing_the_resaved_sheet_again_changes_nothing() {
    let l = Ledger::init();
    l.run_ok(&["import", RESAVED]);
    let before = l.dump();
    let out = l.run_ok(&["import", RESAVED]);
    assert!(out.to_lowercase().contains("already"), "{out}");
    assert_eq!(l.dump(), before);
}

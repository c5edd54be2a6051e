//! The year export names its outline period (issue 14, second round): "纲要期间：
//! 法治政府建设实施纲要（2021—2025年） 2021-2025（纲要收官之年）" in Markdown, HTML and xlsx, and
//! `outline_name` beside `outline` in the JSON header; a year of a later period names that one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{open_workbook_auto, Data, Reader};
use common::Ledger;

const NAME: &str = "法治政府建设实施纲要（2021—2025年）";

fn ledger() -> Ledger {
    let l = Ledger::init();
    l.add("任务", &["--year", "2025"]);
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l.add("新任务", &["--year", "2026"]);
    l
}

#[test]
fn markdown_and_html_name_the_period_and_its_closing_year() {
    let l = ledger();
    let md = l.run_ok(&["--lang", "zh", "export", "--year", "2025", "--format", "md"]);
    assert!(
        md.contains(&format!("纲要期间：{NAME} 2021-2025（纲要收官之年）")),
        "{md}"
    );
    let md26 = l.run_ok(&["--lang", "zh", "export", "--year", "2026", "--format", "md"]);
    assert!(md26.contains("纲要期间：十五五 2026-2030\n"), "{md26}");
    let html = l.run_ok(&["export", "--year", "2025", "--format", "html"]);
    assert!(html.contains(&format!("{NAME} 2021-2025")), "{html}");
}

#[test]
fn json_carries_the_name_beside_the_span() {
    let l = ledger();
    let v = l.json(&["export", "--year", "2025", "--format", "json"]);
    assert_eq!(v["header"]["outline"], "2021-2025");
    assert_eq!(v["header"]["outline_name"], NAME);
    assert_eq!(v["header"]["closing_year"], true);
    let v = l.json(&["export", "--year", "2026", "--format", "json"]);
    assert_eq!(v["header"]["outline_name"], "十五五");
}

#[test]
fn xlsx_names_the_period() {
    let l = ledger();
    let file = l.sibling("2025.xlsx");
    l.run_ok(&[
        "--lang",
        "zh",
        "export",
        "--year",
        "2025",
        "-o",
        file.to_str().unwrap(),
    ]);
    let mut wb = open_workbook_auto(&file).unwrap();
    let mut found = false;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                if let Data::String(s) = c {
                    found |= s.contains(&format!("{NAME} 2021-2025（收官之年）"));
                }
            }
        }
    }
    assert!(found, "no cell names the period");
}

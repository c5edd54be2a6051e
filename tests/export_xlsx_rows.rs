//! Issue 18: the task sheet of the Excel export is written row by row in rust_xlsxwriter's
//! constant-memory mode. Each row's height is set as it is written; the writer used to keep
//! every height until the workbook was saved (the memory of the 1M export) and wrote the last
//! row's height a second time as an empty duplicate `<row>`. These tests read the sheet's XML
//! back and check that every row appears once, in order, with its height.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// The text of one part of a zip file (an xlsx), e.g. "xl/worksheets/sheet1.xml".
fn part(file: &std::path::Path, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// A ledger of `n` tasks of 2025 whose titles wrap in the 标题 column.
fn wrapping(n: usize) -> Ledger {
    common::tasks_of_2025(n, |i| {
        format!("第{i}项任务：推进行政执法规范化建设，全面落实行政执法三项制度")
    })
}

/// The `<row ...>` start tags of a sheet, in order.
fn row_tags(sheet: &str) -> Vec<&str> {
    sheet
        .match_indices("<row ")
        .map(|(at, _)| {
            let end = sheet[at..].find('>').unwrap();
            &sheet[at..=at + end]
        })
        .collect()
}

/// The row number in a `<row r="N" ...>` tag.
fn row_number(tag: &str) -> u32 {
    let from = tag.find("r=\"").unwrap() + 3;
    let to = from + tag[from..].find('"').unwrap();
    tag[from..to].parse().unwrap()
}

fn export(l: &Ledger) -> String {
    let file = l.sibling("2025.xlsx");
    l.run_ok(&["export", "--year", "2025", "-o", file.to_str().unwrap()]);
    part(&file, "xl/worksheets/sheet1.xml")
}

#[test]
fn every_row_of_the_task_sheet_is_written_once_in_order() {
    let l = wrapping(3);
    let sheet = export(&l);
    let rows: Vec<u32> = row_tags(&sheet).into_iter().map(row_number).collect();
    // The header row and one row per task; a row written twice is a broken workbook that
    // Excel offers to repair.
    assert_eq!(rows, vec![1, 2, 3, 4], "{sheet}");
}

#[test]
fn every_wrapping_row_keeps_its_height_however_many_rows() {
    let n = 400;
    let l = wrapping(n);
    let sheet = export(&l);
    let tags = row_tags(&sheet);
    assert_eq!(tags.len(), n + 1, "a row is missing or doubled");
    // The header row keeps the default height; each task row is as tall as its wrapped
    // title, set as the row was streamed and still there after the rows before it left
    // memory.
    assert!(!tags[0].contains("ht="), "{}", tags[0]);
    for (i, tag) in tags.iter().enumerate().skip(1) {
        assert_eq!(row_number(tag), i as u32 + 1, "{tag}");
        assert!(tag.contains(r#"customHeight="1""#), "{tag}");
    }
}

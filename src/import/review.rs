//! The review sheet (审核表): the items the parser found, one row each, for the office to
//! correct in Excel or WPS (delete, add, merge, reassign owners, change deadlines) before they
//! enter the ledger. `import FILE --review 审核表.xlsx` writes it; `import 审核表.xlsx` applies
//! exactly the included rows as edited.
//!
//! The sheet carries the report's text and its facts in a hidden second sheet, so that the
//! document stored at import is the one the items came from; its fingerprint is checked.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};
use sha2::{Digest, Sha256};

use super::apply::Prepared;
use super::parse::Coverage;
use super::{suggest_links, Item, ParsedReport, Section};
use crate::fsio::{self, Place};
use crate::model::date::{self, Due};
use crate::model::Kind;
use crate::{Error, Result};

/// Name of the sheet of items.
pub const ITEMS_SHEET: &str = "审核表";
/// Name of the hidden sheet with the report's facts and text.
const REPORT_SHEET: &str = "报告";
/// The first cell of the report sheet: what this file is and which layout it has.
const MARK: &str = "taizhang-review-v1";
/// The columns of the items sheet. 纲要领域 came last, so a sheet written before it (eleven
/// columns) is still read: its items simply have no outline area.
pub const HEADER: [&str; 12] = [
    "导入",
    "类型",
    "编号",
    "领域",
    "标题",
    "内容",
    "牵头单位",
    "配合单位",
    "完成时限",
    "时限原文",
    "来源行",
    "纲要领域",
];
/// The column of the outline area, the one a sheet of the first layout lacks.
const AREA_COLUMN: usize = 11;
/// Rows of facts before the text in the report sheet.
const FACTS: [&str; 6] = [
    "标题",
    "发文机关",
    "发文日期",
    "报告年度",
    "计划年度",
    "原文SHA256",
];
/// A cell holds at most 32,767 characters; the text is stored in pieces below that.
const PIECE: usize = 30_000;
/// What the deadline cell says for continuous work.
const CONTINUOUS: &str = "长期";

fn xlsx_error(path: &Path, e: XlsxError) -> Error {
    Error::write(path.display().to_string(), e)
}

/// One row per item, in report order: (kind word, area, item).
fn rows(r: &ParsedReport) -> Vec<(&'static str, &str, &Item)> {
    let mut out = Vec::new();
    for s in &r.achievements {
        out.extend(s.items.iter().map(|i| ("成效", s.title.as_str(), i)));
    }
    out.extend(
        r.shortcomings
            .iter()
            .map(|i| ("短板", super::apply::SHORTCOMING_AREA, i)),
    );
    for s in &r.plans {
        out.extend(s.items.iter().map(|i| ("承诺", s.title.as_str(), i)));
    }
    out
}

/// Writes the review sheet of a prepared report. Returns the number of item rows.
pub fn write(p: &Prepared, path: &Path) -> Result<usize> {
    let e = |x| xlsx_error(path, x);
    let r = &p.report;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let rows = rows(r);
    let n = rows.len();
    {
        let ws = wb.add_worksheet();
        ws.set_name(ITEMS_SHEET).map_err(e)?;
        for (c, h) in (0u16..).zip(HEADER) {
            ws.write_string_with_format(0, c, h, &bold).map_err(e)?;
        }
        for (row, (kind, area, it)) in (1u32..).zip(&rows) {
            let due = match (it.continuous, it.deadline) {
                (true, _) => CONTINUOUS.to_string(),
                (false, Some(d)) => d.to_string(),
                (false, None) => String::new(),
            };
            let cells = [
                "是".to_string(),
                (*kind).to_string(),
                it.r#ref.clone(),
                (*area).to_string(),
                it.title.clone(),
                it.body.clone(),
                it.owner.clone().unwrap_or_default(),
                it.co_owners.join("、"),
                due,
                it.deadline_text.clone().unwrap_or_default(),
            ];
            for (c, v) in (0u16..).zip(cells.iter()) {
                let v: String = v.chars().take(PIECE).collect();
                ws.write_string_with_format(row, c, v, &wrap).map_err(e)?;
            }
            ws.write_number(row, 10, it.line as f64).map_err(e)?;
            // The suggestion is written for the office to keep, change or clear; only what
            // the column holds when the sheet is imported is applied.
            if let Some(tag) = super::areas::suggest(&it.title, &it.body) {
                ws.write_string_with_format(row, AREA_COLUMN as u16, tag, &wrap)
                    .map_err(e)?;
            }
        }
        // Drop-downs on the first two columns, for rows already there and rows the office adds.
        let last = (n as u32).max(1) + 500;
        let yes_no = DataValidation::new()
            .allow_list_strings(&["是", "否"])
            .map_err(e)?;
        ws.add_data_validation(1, 0, last, 0, &yes_no).map_err(e)?;
        let kinds = DataValidation::new()
            .allow_list_strings(&["成效", "短板", "承诺"])
            .map_err(e)?;
        ws.add_data_validation(1, 1, last, 1, &kinds).map_err(e)?;
        let tags: Vec<String> = (1..=10).map(|n| format!("FZ{n:02}")).collect();
        let areas = DataValidation::new().allow_list_strings(&tags).map_err(e)?;
        ws.add_data_validation(1, AREA_COLUMN as u16, last, AREA_COLUMN as u16, &areas)
            .map_err(e)?;
        ws.set_column_width(4, 40).map_err(e)?;
        ws.set_column_width(5, 60).map_err(e)?;
        ws.set_freeze_panes(1, 0).map_err(e)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(REPORT_SHEET).map_err(e)?;
        ws.write_string(0, 0, MARK).map_err(e)?;
        let facts = [
            r.title.clone(),
            r.issuer.clone().unwrap_or_default(),
            r.issued_on.map(|d| d.to_string()).unwrap_or_default(),
            r.report_year.to_string(),
            r.plan_year.to_string(),
            p.sha256.clone(),
        ];
        for (row, (k, v)) in (1u32..).zip(FACTS.iter().zip(facts.iter())) {
            ws.write_string(row, 0, *k).map_err(e)?;
            ws.write_string(row, 1, v).map_err(e)?;
        }
        let start = FACTS.len() as u32 + 2;
        ws.write_string(start - 1, 0, "原文").map_err(e)?;
        for (row, piece) in (start..).zip(pieces(&p.text)) {
            ws.write_string(row, 0, piece).map_err(e)?;
        }
        ws.set_hidden(true);
    }
    // Written whole or not at all, like `export -o`: under a temporary name beside it, then
    // renamed. The workbook writer panics on a write error (a full disk), so it writes
    // through a latch that keeps the error for after it is done.
    fsio::write_file_with(path, Place::Replace, |file| {
        let mut w = fsio::Latch::new(file);
        wb.save_to_writer(&mut w).map_err(e)?;
        w.finish()
            .map_err(|x| Error::io(format!("cannot write {}", path.display()), x))
    })?;
    Ok(n)
}

/// The text in pieces of at most [`PIECE`] characters, cut at character boundaries.
fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut n = 0;
    for c in text.chars() {
        cur.push(c);
        n += 1;
        if n == PIECE {
            out.push(std::mem::take(&mut cur));
            n = 0;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub(super) fn cell(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{f:.0}"),
        Some(Data::DateTime(d)) => {
            excel_date(d.as_f64()).map_or_else(String::new, |x| x.to_string())
        }
        // An OpenDocument date is ISO text with a time; the day is what the person typed.
        Some(Data::DateTimeIso(s)) => s.split('T').next().unwrap_or_default().to_string(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

/// The 完成时限 cell. A spreadsheet program may keep a typed date as its serial day number
/// shown as a plain number (LibreOffice does when the cell's format is a number); a number
/// too large to be a year (1900–9999) can only be such a day, so it is read as one. A
/// smaller number stays a year ("2025" is the end of 2025).
fn due_cell(d: Option<&Data>) -> String {
    let serial = match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    };
    match serial.filter(|f| *f >= 10_000.0).and_then(excel_date) {
        Some(day) => day.to_string(),
        None => cell(d),
    }
}

/// An Excel serial day number as a date (days since 1899-12-30).
pub(super) fn excel_date(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// Whether a workbook is a review sheet written by `--review`: its hidden report sheet starts
/// with the mark. Any other workbook (an office's own ledger) is read by `ledger_sheet`.
pub fn is_review(path: &Path) -> bool {
    let Ok(mut wb) = open_workbook_auto(path) else {
        return false;
    };
    wb.worksheet_range(REPORT_SHEET)
        .is_ok_and(|r| cell(r.get_value((0, 0))) == MARK)
}

fn not_a_sheet(path: &Path) -> Error {
    Error::refused(crate::msg!(
        "review.not_a_sheet",
        path = path.display(),
        items = ITEMS_SHEET,
        report = REPORT_SHEET
    ))
}

/// Reads an edited review sheet into a prepared report: exactly the rows marked 是, as
/// edited. A bad row (unknown kind, bad date, duplicate ref, empty title) refuses the whole
/// sheet: the inner error holds one line per bad row, for the caller to print.
pub fn read(path: &Path) -> Result<std::result::Result<Prepared, Vec<String>>> {
    // A missing or unreadable file is said as such, not as a sheet of the wrong layout.
    std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let mut wb = open_workbook_auto(path).map_err(|_| not_a_sheet(path))?;
    let items = wb
        .worksheet_range(ITEMS_SHEET)
        .map_err(|_| not_a_sheet(path))?;
    let report = wb
        .worksheet_range(REPORT_SHEET)
        .map_err(|_| not_a_sheet(path))?;
    let at = |r: u32, c: u32| cell(report.get_value((r, c)));
    if at(0, 0) != MARK {
        return Err(not_a_sheet(path));
    }
    let header: Vec<String> = (0..HEADER.len() as u32)
        .map(|c| cell(items.get_value((0, c))))
        .collect();
    // The first layout had no 纲要领域 column; its twelfth header cell is empty.
    let first_layout = header[..AREA_COLUMN] == HEADER[..AREA_COLUMN]
        && header.get(AREA_COLUMN).is_some_and(String::is_empty);
    if header != HEADER && !first_layout {
        return Err(not_a_sheet(path));
    }
    let fact = |k: usize| at(k as u32 + 1, 1);
    let title = fact(0);
    let issuer = Some(fact(1)).filter(|s| !s.is_empty());
    let issued_on = NaiveDate::parse_from_str(&fact(2), "%Y-%m-%d").ok();
    let (Ok(report_year), Ok(plan_year)) = (fact(3).parse::<i32>(), fact(4).parse::<i32>()) else {
        return Err(not_a_sheet(path));
    };
    let sha = fact(5);
    let start = FACTS.len() as u32 + 2;
    let text = raw_pieces(&report, start).ok_or_else(|| not_a_sheet(path))?;
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let got: String = Sha256::digest(normalised.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if got != sha {
        return Err(Error::refused(crate::msg!(
            "review.report_changed",
            path = path.display(),
            items = ITEMS_SHEET,
            report = REPORT_SHEET
        )));
    }

    let plan_end = NaiveDate::from_ymd_opt(plan_year, 12, 31);
    let mut bad: Vec<String> = Vec::new();
    let mut seen_refs: Vec<String> = Vec::new();
    let mut achievements: Vec<Section> = Vec::new();
    let mut shortcomings: Vec<Item> = Vec::new();
    let mut plans: Vec<Section> = Vec::new();
    let mut added = 0;
    let (rows_n, _) = items.get_size();
    for r in 1..rows_n as u32 {
        let c = |k: u32| match k {
            8 => due_cell(items.get_value((r, k))),
            _ => cell(items.get_value((r, k))),
        };
        let row: Vec<String> = (0..HEADER.len() as u32).map(c).collect();
        if row.iter().all(String::is_empty) {
            continue;
        }
        let n = r + 1;
        let get = |k: usize| row.get(k).cloned().unwrap_or_default();
        // A TRUE or FALSE cell (a program's check box, or LibreOffice's reading of a typed
        // TRUE) reads as "true" or "false", or as 1 or 0 once saved as .xls or .ods, and
        // means yes or no.
        match get(0).to_lowercase().as_str() {
            "是" | "" | "yes" | "y" | "true" | "1" => {}
            "否" | "no" | "n" | "false" | "0" => continue,
            other => {
                bad.push(format!("row {n}: 导入 must be 是 or 否, not '{other}'"));
                continue;
            }
        }
        let kind = match get(1).parse::<Kind>() {
            Ok(k @ (Kind::Achievement | Kind::Shortcoming | Kind::Commitment)) => k,
            _ => {
                bad.push(format!(
                    "row {n}: unknown kind '{}'; use 成效, 短板 or 承诺",
                    get(1)
                ));
                continue;
            }
        };
        let title = get(4);
        if title.is_empty() {
            bad.push(format!("row {n}: the title (标题) is empty"));
            continue;
        }
        let year = if kind == Kind::Commitment {
            plan_year
        } else {
            report_year
        };
        let due = get(8);
        // Forms without a year ("6月底前") take the row's plan year; "长期" is continuous.
        let (deadline, continuous) = if due.is_empty() {
            (None, false)
        } else {
            match date::parse(&due, year) {
                Ok(Due::Day(d)) => (Some(d), false),
                Ok(Due::Continuous) => (None, true),
                Err(e) => {
                    bad.push(format!("row {n}: {e}"));
                    continue;
                }
            }
        };
        let letter = match kind {
            Kind::Achievement => "A",
            Kind::Shortcoming => "S",
            _ => "C",
        };
        let r#ref = match get(2) {
            s if s.is_empty() => {
                added += 1;
                format!("{year}-{letter}R{added}")
            }
            s => s,
        };
        if seen_refs.contains(&r#ref) {
            bad.push(format!("row {n}: the ref (编号) {ref} is used twice", ref = r#ref));
            continue;
        }
        seen_refs.push(r#ref.clone());
        let body = Some(get(5))
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| title.clone());
        let owner = Some(get(6)).filter(|o| !o.is_empty());
        let co_owners: Vec<String> = get(7)
            .split(['、', ',', '，', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let item = Item {
            r#ref,
            title,
            body,
            deadline: match kind {
                Kind::Achievement => None,
                Kind::Shortcoming => deadline.or(plan_end),
                _ => deadline,
            },
            deadline_text: Some(get(9)).filter(|t| !t.is_empty()),
            continuous,
            owner,
            co_owners,
            person: None,
            contact: None,
            recurring: None,
            outline_area: None,
            line: get(10).parse().unwrap_or(0),
        };
        let outline_area = match get(AREA_COLUMN) {
            s if s.is_empty() => None,
            s => match crate::cli::parse_outline_area(&s) {
                Ok(tag) => Some(tag),
                Err(_) => {
                    bad.push(format!(
                        "row {n}: 纲要领域 must be FZ01 … FZ10 or empty, not '{s}'"
                    ));
                    continue;
                }
            },
        };
        let area = get(3);
        let item = Item {
            outline_area,
            ..item
        };
        match kind {
            Kind::Shortcoming => shortcomings.push(item),
            Kind::Achievement => push_to_area(&mut achievements, area, item),
            _ => push_to_area(&mut plans, area, item),
        }
    }
    if !bad.is_empty() {
        return Ok(Err(bad));
    }
    let report = ParsedReport {
        title,
        title_derived: false,
        issuer,
        issued_on,
        report_year,
        plan_year,
        achievements,
        shortcomings,
        plans,
        coverage: Coverage::default(),
        unassigned: Vec::new(),
        unmatched_parts: Vec::new(),
        outline: Vec::new(),
    };
    let suggestions = suggest_links(&report);
    Ok(Ok(Prepared {
        text,
        sha256: sha,
        report,
        suggestions,
    }))
}

/// The text pieces exactly as stored (strings are not trimmed: a piece may start or end with
/// a space or a line end).
fn raw_pieces(range: &calamine::Range<Data>, start: u32) -> Option<String> {
    let (height, _) = range.get_size();
    let mut out = String::new();
    for r in start..height as u32 {
        match range.get_value((r, 0)) {
            Some(Data::String(s)) => out.push_str(s),
            None | Some(Data::Empty) => {}
            Some(_) => return None,
        }
    }
    Some(out)
}

fn push_to_area(sections: &mut Vec<Section>, area: String, item: Item) {
    match sections.iter_mut().find(|s| s.title == area) {
        Some(s) => s.items.push(item),
        None => {
            let number = sections.len() as u32 + 1;
            sections.push(Section {
                number,
                title: area,
                items: vec![item],
            });
        }
    }
}

//! Reading a 填报 fill sheet back (the layout is in src/export/fill.rs): the facts of its
//! hidden info sheet and each row's cells as the unit left them. Whether the rows may be
//! applied is the domain's question (src/ledger/fill.rs).

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use chrono::NaiveDate;

use super::review::{cell, excel_date};
use crate::export::fill::{self as layout, FACTS, HEADER_ROW, INFO_SHEET, MARK, SHEET};
use crate::{Error, Result};

/// A fill sheet as read.
#[derive(Debug, Clone)]
pub struct FillSheet {
    pub ledger_id: String,
    pub unit: String,
    pub as_of: NaiveDate,
    pub made_at: String,
    pub rows: Vec<SheetRow>,
}

/// One row of a fill sheet, as the unit left it.
#[derive(Debug, Clone)]
pub struct SheetRow {
    /// The row's number as the spreadsheet shows it (1-based).
    pub number: u32,
    /// The grey cells, normalised as they are signed.
    pub locked: Vec<String>,
    /// The cells the unit fills, in the order of `layout::FILL`; a date cell is given as
    /// YYYY-MM-DD.
    pub fill: Vec<String>,
    /// The hidden id, version and check code, as text.
    pub id: String,
    pub version: String,
    pub code: String,
}

impl SheetRow {
    /// Whether the unit filled anything in this row.
    pub fn filled(&self) -> bool {
        self.fill.iter().any(|c| !c.is_empty())
    }
}

/// Whether the file is a fill sheet: a workbook whose hidden info sheet starts with the mark.
pub fn is_fill_sheet(path: &Path) -> bool {
    let Ok(mut wb) = open_workbook_auto(path) else {
        return false;
    };
    wb.worksheet_range(INFO_SHEET)
        .is_ok_and(|r| cell(r.get_value((0, 0))) == MARK)
}

fn changed_layout(path: &Path) -> Error {
    Error::Refused(format!(
        "{}: the fill sheet's layout was changed (its {SHEET} sheet, header row or hidden {INFO_SHEET} sheet); fill in only the white cells, or ask the office for a new sheet (填报表格式被改动，请只填写白色单元格)",
        path.display()
    ))
}

/// A fill cell's text: a date cell as YYYY-MM-DD, a number without a needless ".0".
fn fill_cell(d: Option<&Data>) -> String {
    match d {
        Some(Data::DateTime(x)) => {
            excel_date(x.as_f64()).map_or_else(String::new, |d| d.to_string())
        }
        _ => cell(d),
    }
}

/// Reads a fill sheet. A file that is not one, or whose layout was changed, is refused.
pub fn read(path: &Path) -> Result<FillSheet> {
    std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let mut wb = open_workbook_auto(path).map_err(|_| changed_layout(path))?;
    let info = wb
        .worksheet_range(INFO_SHEET)
        .map_err(|_| changed_layout(path))?;
    if cell(info.get_value((0, 0))) != MARK {
        return Err(changed_layout(path));
    }
    let fact = |k: usize| cell(info.get_value((k as u32 + 1, 1)));
    let labels: Vec<String> = (0..FACTS.len())
        .map(|k| cell(info.get_value((k as u32 + 1, 0))))
        .collect();
    if labels != FACTS {
        return Err(changed_layout(path));
    }
    let as_of =
        NaiveDate::parse_from_str(&fact(2), "%Y-%m-%d").map_err(|_| changed_layout(path))?;
    let rows_range = wb
        .worksheet_range(SHEET)
        .map_err(|_| changed_layout(path))?;
    let headers = layout::headers();
    let got: Vec<String> = (0..headers.len() as u32)
        .map(|c| cell(rows_range.get_value((HEADER_ROW, c))))
        .collect();
    if got != headers {
        return Err(changed_layout(path));
    }
    let (height, _) = rows_range.get_size();
    let (locked_n, fill_n) = (layout::LOCKED.len() as u32, layout::FILL.len() as u32);
    let mut rows = Vec::new();
    for r in HEADER_ROW + 1..height as u32 {
        let get = |c: u32| cell(rows_range.get_value((r, c)));
        let locked: Vec<String> = (0..locked_n).map(|c| layout::normal(&get(c))).collect();
        let fill: Vec<String> = (locked_n..locked_n + fill_n)
            .map(|c| fill_cell(rows_range.get_value((r, c))))
            .collect();
        let at = locked_n + fill_n;
        let row = SheetRow {
            number: r + 1,
            locked,
            fill,
            id: get(at),
            version: get(at + 1),
            code: get(at + 2),
        };
        let empty = row.locked.iter().all(String::is_empty)
            && !row.filled()
            && row.id.is_empty()
            && row.version.is_empty()
            && row.code.is_empty();
        if !empty {
            rows.push(row);
        }
    }
    Ok(FillSheet {
        ledger_id: fact(0),
        unit: fact(1),
        as_of,
        made_at: fact(3),
        rows,
    })
}

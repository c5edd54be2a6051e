//! Reading an office's workbook or CSV file into plain grids of cells, one per sheet, with
//! merged cells spread over the cells they cover.
//!
//! What each format tells: .xlsx and .xls give their merged regions, so a merged 领域 or 牵头单位
//! cell counts for every row it spans; .ods (LibreOffice) does not expose them through the
//! reader, so there only the top-left cell of a merge holds the value (the others read empty);
//! CSV has no merges. Hidden columns and rows are read like visible ones (the readers do not
//! say which are hidden); a column whose header names no field is listed and left out.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Dimensions, Reader, SheetVisible, Sheets};

use crate::import::{decode, Encoding};
use crate::model::Lang;
use crate::{Error, Result};

/// The most rows and columns of one sheet that are read: an office ledger has hundreds of rows;
/// a sheet larger than this is not a ledger.
const MAX_ROWS: u32 = 100_000;
const MAX_COLS: u32 = 200;

/// One cell: its text as shown, and the number behind it when it holds a number or a date
/// (an Excel date is a serial day number).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: Option<f64>,
    /// The cell was a date cell (not a plain number).
    pub date: bool,
}

/// One sheet as a grid; `rows[r][c]` is the cell at row r + 1 and column c + 1 of the sheet.
#[derive(Debug, Clone)]
pub struct Grid {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// The cell at (row, column), both from 0; an empty cell outside the grid.
    pub fn at(&self, r: usize, c: usize) -> &str {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or("", |x| x.text.as_str())
    }

    pub fn cell(&self, r: usize, c: usize) -> Option<&Cell> {
        self.rows.get(r).and_then(|row| row.get(c))
    }

    /// The number of columns: every row of a grid has the same length (`load` makes it so).
    pub fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }
}

/// The file's format, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let e = path.extension()?.to_str()?.to_ascii_lowercase();
        match e.as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// Whether merged regions are read in this format.
    pub fn merges(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xls)
    }
}

fn text_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell {
            text: s.trim().to_string(),
            ..Cell::default()
        },
        Data::Float(f) => Cell {
            text: if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            },
            number: Some(*f),
            date: false,
        },
        Data::Int(i) => Cell {
            text: i.to_string(),
            number: Some(*i as f64),
            date: false,
        },
        Data::Bool(b) => Cell {
            text: if *b { "是" } else { "否" }.to_string(),
            ..Cell::default()
        },
        Data::DateTime(d) => {
            let serial = d.as_f64();
            Cell {
                text: super::rows::excel_day(serial)
                    .map_or_else(|| serial.to_string(), |x| x.to_string()),
                number: Some(serial),
                date: true,
            }
        }
        // An OpenDocument date is ISO text with a time; the day is what the person typed.
        Data::DateTimeIso(s) => Cell {
            text: s.split('T').next().unwrap_or_default().to_string(),
            number: None,
            date: true,
        },
        Data::DurationIso(s) => Cell {
            text: s.clone(),
            ..Cell::default()
        },
        Data::Error(e) => Cell {
            text: format!("#{e:?}"),
            ..Cell::default()
        },
    }
}

/// The refusal of a file that cannot be read as a workbook, saying how to fix it.
fn unreadable(path: &Path, e: &calamine::Error, lang: Lang) -> Error {
    let password = matches!(
        e,
        calamine::Error::Xlsx(calamine::XlsxError::Password)
            | calamine::Error::Xls(calamine::XlsError::Password)
            | calamine::Error::Ods(calamine::OdsError::Password)
    );
    if password {
        return Error::Refused(crate::tr!(
            lang,
            "import.sheet.password",
            path = path.display()
        ));
    }
    Error::Refused(crate::tr!(
        lang,
        "import.sheet.unreadable",
        path = path.display(),
        error = e
    ))
}

/// Reads every sheet of a workbook, or the one table of a CSV file.
pub fn load(path: &Path, format: Format, lang: Lang) -> Result<Vec<Grid>> {
    if format == Format::Csv {
        return load_csv(path, lang);
    }
    std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let mut wb = open_workbook_auto(path).map_err(|e| unreadable(path, &e, lang))?;
    let meta: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    if let Sheets::Xlsx(x) = &mut wb {
        x.load_merged_regions()
            .map_err(|e| unreadable(path, &calamine::Error::Xlsx(e), lang))?;
    }
    let mut out = Vec::new();
    for (name, hidden) in meta {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| unreadable(path, &e, lang))?;
        let merges: Vec<Dimensions> = match &wb {
            Sheets::Xlsx(x) => x
                .merged_regions_by_sheet(&name)
                .into_iter()
                .map(|(_, _, d)| *d)
                .collect(),
            Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        // Only cells with content size the grid: a sheet formatted down to its last row has
        // a million empty cells that are no part of the ledger.
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (r, c, d) in range.used_cells() {
            let (r, c) = (r + r0 as usize, c + c0 as usize);
            let cell = text_of(d);
            if r <= MAX_ROWS as usize && c <= MAX_COLS as usize && !cell.text.is_empty() {
                cells.push((r, c, cell));
            }
        }
        let height = cells.iter().map(|(r, _, _)| r + 1).max().unwrap_or(0);
        let width = cells.iter().map(|(_, c, _)| c + 1).max().unwrap_or(0);
        let mut rows = vec![vec![Cell::default(); width]; height];
        for (r, c, cell) in cells {
            rows[r][c] = cell;
        }
        spread(&mut rows, &merges);
        out.push(Grid { name, hidden, rows });
    }
    Ok(out)
}

/// Copies the top-left cell of each merged region into every cell it covers.
fn spread(rows: &mut [Vec<Cell>], merges: &[Dimensions]) {
    for m in merges {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let Some(first) = rows.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        let r1 = (m.end.0 as usize).min(rows.len().saturating_sub(1));
        for row in rows.iter_mut().take(r1 + 1).skip(r0) {
            let c1 = (m.end.1 as usize).min(row.len().saturating_sub(1));
            for cell in row.iter_mut().take(c1 + 1).skip(c0) {
                *cell = first.clone();
            }
        }
    }
}

/// A CSV file in UTF-8 (with or without BOM) or GBK: one grid named after the file.
fn load_csv(path: &Path, lang: Lang) -> Result<Vec<Grid>> {
    let bytes = crate::import::apply::read(path)?;
    let text = decode(&bytes, Encoding::Auto)?;
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::Refused(crate::tr!(
                lang,
                "import.sheet.bad_csv_row",
                path = path.display(),
                line = i + 1,
                error = e
            ))
        })?;
        rows.push(
            rec.iter()
                .map(|s| Cell {
                    text: s.trim().to_string(),
                    ..Cell::default()
                })
                .collect(),
        );
        if rows.len() > MAX_ROWS as usize {
            break;
        }
    }
    // Every row gets the same length, as in a workbook's grid.
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for r in &mut rows {
        r.resize(width, Cell::default());
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(vec![Grid {
        name,
        hidden: false,
        rows,
    }])
}

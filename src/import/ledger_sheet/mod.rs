//! The office's own ledger (台账) in Excel, WPS or CSV: title rows, one- or two-row headers in
//! the office's words, merged cells, section rows, 序号 hierarchies, free status words and
//! dates in any form. `grid` reads the file, `columns` finds the header and what each column
//! holds, `rows` reads the tasks; `apply` turns them into ledger rows. Everything up to
//! `apply` is pure: it never touches the ledger.

pub mod apply;
pub mod columns;
pub mod grid;
pub mod rows;

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{Lang, Status};
use crate::{Error, Result};
use columns::{Column, Overrides, Target};
use grid::{Format, Grid};
use rows::{Row, SectionRow, StatusMap};

/// What the user adds to the tables: `--sheet`, `--map`, `--status-map`, `--year`.
#[derive(Debug, Clone)]
pub struct Options {
    pub sheet: Option<String>,
    pub map: Overrides,
    pub status_map: StatusMap,
    pub year: Option<i32>,
    /// The language of the messages.
    pub lang: Lang,
}

/// Parses a `--map 列名=field` entry.
pub fn parse_map(s: &str) -> std::result::Result<(String, Target), String> {
    let (h, f) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}' is not 列名=field (for example 工作要点=title)"))?;
    let t = Target::parse(f).ok_or_else(|| {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        format!(
            "unknown field '{}' in --map; use one of {}",
            f.trim(),
            names.join(", ")
        )
    })?;
    let h = columns::normalise(h);
    if h.is_empty() {
        return Err(format!("'{s}' names no column; write 列名=field"));
    }
    Ok((h, t))
}

/// Parses a `--status-map 词=status` entry.
pub fn parse_status_map(s: &str) -> std::result::Result<(String, Status), String> {
    let (w, st) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}' is not 词=status (for example 基本完成=doing)"))?;
    let status: Status = st.trim().parse()?;
    if status == Status::Cancelled || w.trim().is_empty() {
        return Err(format!(
            "'{s}': map a word to todo, doing, blocked, done or verified"
        ));
    }
    Ok((w.trim().to_string(), status))
}

/// One sheet read.
#[derive(Debug, Serialize)]
pub struct Sheet {
    pub name: String,
    /// 1-based rows of the header (one or two).
    pub header_rows: (usize, usize),
    /// The plan year of its tasks.
    pub year: i32,
    pub columns: Vec<Column>,
    pub sections: Vec<SectionRow>,
    pub rows: Vec<Row>,
    pub skipped: Vec<(usize, String)>,
}

/// A workbook read: its title (the merged title row, else the file name), the 填报单位 if a row
/// names one, its sheets, and the sheets left out with the reason.
#[derive(Debug, Serialize)]
pub struct Book {
    pub file: String,
    pub title: String,
    pub unit: Option<String>,
    pub sheets: Vec<Sheet>,
    pub skipped_sheets: Vec<(String, String)>,
    /// What was read, as text: the stored document, and its fingerprint recognises the same
    /// content again whatever the file is called or saved as.
    #[serde(skip)]
    pub text: String,
    pub sha256: String,
    /// Whether merged cells were read (.xlsx, .xls) or not (.ods, .csv).
    pub merges_read: bool,
}

impl Book {
    pub fn rows(&self) -> impl Iterator<Item = (&Sheet, &Row)> {
        self.sheets
            .iter()
            .flat_map(|s| s.rows.iter().map(move |r| (s, r)))
    }
}

/// Whether a path is read by this reader: a CSV file, or a workbook that is not a review sheet
/// (the caller asks the review reader first).
pub fn is_sheet_file(path: &Path) -> bool {
    Format::of(path).is_some()
}

/// The first year (1900–2100) a text names: "XX区2025年…台账" → 2025.
fn year_in(text: &str) -> Option<i32> {
    let t = crate::model::date::ascii_digits(text);
    let b = t.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = t.get(i..i + 4)?;
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        w.parse::<i32>()
            .ok()
            .filter(|y| before && after && (1900..=2100).contains(y))
    })
}

/// Reads a workbook or CSV file. Problems that refuse the import (no header, no task column,
/// an unknown status word, an unreadable date) come back as the inner error, one line each,
/// naming the sheet and row.
pub fn read(path: &Path, opts: &Options) -> Result<std::result::Result<Book, Vec<String>>> {
    let lang = opts.lang;
    let format = Format::of(path).ok_or_else(|| {
        Error::Refused(crate::tr!(
            lang,
            "import.sheet.not_a_workbook",
            path = path.display()
        ))
    })?;
    let grids = grid::load(path, format, lang)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(want) = &opts.sheet {
        if !grids.iter().any(|g| &g.name == want) {
            let names: Vec<&str> = grids.iter().map(|g| g.name.as_str()).collect();
            return Err(Error::NotFound(crate::tr!(
                lang,
                "import.sheet.no_such_sheet",
                file = file,
                want = want,
                names = names.join(if lang == Lang::Zh { "、" } else { ", " })
            )));
        }
    }
    if is_own_export(&grids) {
        return Err(Error::Refused(crate::tr!(
            lang,
            "import.sheet.own_export",
            file = file
        )));
    }
    let mut problems = Vec::new();
    let mut sheets = Vec::new();
    let mut skipped_sheets = Vec::new();
    let mut title: Option<String> = None;
    let mut unit: Option<String> = None;
    let mut text = String::new();
    let fallback_year = opts.year.unwrap_or_else(crate::model::date::current_year);
    for g in &grids {
        if opts.sheet.as_ref().is_some_and(|w| w != &g.name) {
            continue;
        }
        if g.rows.iter().all(|r| r.iter().all(|c| c.text.is_empty())) {
            skipped_sheets.push((g.name.clone(), crate::tr!(lang, "import.sheet.empty")));
            continue;
        }
        let Some(h) = columns::find(g, &opts.map) else {
            // A sheet of notes beside the ledger is left out; a ledger with no header at all
            // is refused below.
            skipped_sheets.push((g.name.clone(), crate::tr!(lang, "import.sheet.no_header")));
            continue;
        };
        if g.hidden && opts.sheet.is_none() {
            skipped_sheets.push((g.name.clone(), crate::tr!(lang, "import.sheet.hidden")));
            continue;
        }
        let has_text = h
            .columns
            .iter()
            .any(|c| matches!(c.target, Some(Target::Title | Target::Problem)));
        if !has_text {
            problems.push(crate::tr!(
                lang,
                "import.sheet.no_text_column",
                sheet = g.name,
                row = h.first + 1
            ));
            continue;
        }
        // Rows above the header: the title (one text across the row) and a 填报单位 row.
        let mut sheet_title = None;
        for r in 0..h.first {
            let cells: Vec<&str> = (0..g.width())
                .map(|c| g.at(r, c))
                .filter(|t| !t.is_empty())
                .collect();
            for c in &cells {
                if let Some(rest) = c.strip_prefix("填报单位") {
                    let u = rest
                        .trim_start_matches(['：', ':', ' '])
                        .split(|ch: char| ch.is_whitespace() || ch == '（')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    if !u.is_empty() && unit.is_none() {
                        unit = Some(u);
                    }
                }
            }
            if sheet_title.is_none()
                && !cells.is_empty()
                && cells.iter().all(|c| *c == cells[0])
                && !cells[0].starts_with("填报")
            {
                sheet_title = Some(cells[0].to_string());
            }
        }
        let year = opts
            .year
            .or_else(|| year_in(&g.name))
            .or_else(|| sheet_title.as_deref().and_then(year_in))
            .unwrap_or(fallback_year);
        if title.is_none() {
            title = sheet_title.clone();
        }
        let read = rows::read(g, &h, year, &opts.status_map, lang);
        for (row, why) in &read.problems {
            problems.push(crate::tr!(
                lang,
                "import.sheet.row_problem",
                sheet = g.name,
                row = row,
                why = why
            ));
        }
        canonical(&mut text, g);
        sheets.push(Sheet {
            name: g.name.clone(),
            header_rows: (h.first + 1, h.last + 1),
            year,
            columns: h.columns,
            sections: read.sections,
            rows: read.rows,
            skipped: read.skipped,
        });
    }
    if sheets.is_empty() && problems.is_empty() {
        let first = skipped_sheets
            .first()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        problems.push(crate::tr!(
            lang,
            "import.sheet.no_header_anywhere",
            sheet = first
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let title = title.unwrap_or_else(|| {
        path.file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    Ok(Ok(Book {
        file,
        title,
        unit,
        sheets,
        skipped_sheets,
        text,
        sha256,
        merges_read: format.merges(),
    }))
}

/// Appends a sheet as text: its name, then each row's cells separated by tabs (merged cells
/// spread, trailing empty cells and empty rows left out).
fn canonical(out: &mut String, g: &Grid) {
    out.push_str("## ");
    out.push_str(&g.name);
    out.push('\n');
    for (i, row) in g.rows.iter().enumerate() {
        let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
        let end = cells.iter().rposition(|c| !c.is_empty());
        if let Some(end) = end {
            let line: Vec<String> = cells[..=end]
                .iter()
                .map(|c| c.replace(['\t', '\n', '\r'], " "))
                .collect();
            out.push_str(&format!("{}\t{}\n", i + 1, line.join("\t")));
        }
    }
}

/// Whether the workbook is taizhang's own `export -o FILE.xlsx`: its summary sheet holds the
/// year, as-of and outline lines under the title (or, in workbooks of earlier versions, the
/// ledger, year, as-of and outline rows from the top). Importing it as an office ledger would
/// duplicate every task of the ledger it came from.
fn is_own_export(grids: &[Grid]) -> bool {
    let lines = |g: &Grid, first: usize, words: [&str; 3]| {
        words
            .iter()
            .enumerate()
            .all(|(i, w)| g.at(first + i, 0).starts_with(w))
    };
    grids.iter().any(|g| match g.name.as_str() {
        "汇总" => {
            lines(g, 1, ["年度", "统计截至", "纲要期间"])
                || (g.at(0, 0) == "台账" && lines(g, 2, ["统计截至", "纲要期间", ""]))
        }
        "Summary" => {
            lines(g, 1, ["Year", "As of", "Outline period"])
                || (g.at(0, 0) == "Ledger" && lines(g, 2, ["As of", "Outline period", ""]))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::grid::{Cell, Grid};
    use super::*;

    /// A small deterministic generator, so the test needs no extra crate and fails
    /// reproducibly.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// Any grid of header words, markers, dates and status words is read without a panic.
    #[test]
    fn random_grids_never_panic() {
        const WORDS: &[&str] = &[
            "",
            "",
            "",
            "序号",
            "工作任务",
            "存在问题",
            "牵头单位",
            "配合单位",
            "完成时限",
            "状态",
            "是否销号",
            "进展情况",
            "一、深化改革",
            "（一）",
            "①",
            "1",
            "1.1",
            "2.3.4",
            "是",
            "否",
            "已完成",
            "基本完成",
            "2025年6月底前",
            "明年",
            "45930",
            "长期坚持",
            "每季度",
            "填报人：张三",
            "XX区2025年台账",
            "（",
            "）",
            "、",
            "。",
        ];
        let mut rng = XorShift(0x5EED_0015);
        let opts = Options {
            sheet: None,
            map: Vec::new(),
            status_map: Vec::new(),
            year: Some(2025),
            lang: Lang::En,
        };
        for _ in 0..500 {
            let (h, w) = (rng.below(12), rng.below(8));
            let rows: Vec<Vec<Cell>> = (0..h)
                .map(|_| {
                    (0..w)
                        .map(|_| {
                            let t = WORDS[rng.below(WORDS.len())];
                            Cell {
                                text: t.to_string(),
                                number: t.parse().ok(),
                                date: false,
                            }
                        })
                        .collect()
                })
                .collect();
            let g = Grid {
                name: "S".into(),
                hidden: false,
                rows,
            };
            if let Some(header) = columns::find(&g, &opts.map) {
                let _ = rows::read(&g, &header, 2025, &opts.status_map, Lang::Zh);
            }
            let mut text = String::new();
            canonical(&mut text, &g);
        }
    }
}

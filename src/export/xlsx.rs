//! The Excel workbook offices keep and print: a 台账 sheet with the usual ledger columns and a
//! 汇总 sheet with the summary and the per-area and per-unit tables. The task sheet is written
//! in rust_xlsxwriter's constant-memory mode, so its memory does not grow with the number of
//! rows; each row's height is set as the row is written, the one moment that mode allows it.
//! (rust_xlsxwriter 0.92.4 kept every such height until the save, 190 MB at 1M tasks; the
//! copy in vendor/rust_xlsxwriter drops it once the row is on disk, see its PATCH.md.)
//!
//! Both sheets are set up for printing: A4 landscape, one page wide and as many pages tall as
//! needed, the header row repeated on every page, page numbers in the footer.

use rust_xlsxwriter::{
    utility::column_number_to_name, Color, ConditionalFormatFormula, DataValidation, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::{cells, columns, completed_day, group_name, Cell, Group, Row, YearStatus, CELLS};
use crate::model::field::Column;
use crate::model::{Lang, Status, Word};
use crate::{Error, Result};

fn xerr(e: XlsxError) -> Error {
    Error::write("the workbook", e)
}

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// The height of one line of wrapped text in points: Excel's default row (11-point font)
/// with room for the taller CJK glyphs of the fallback fonts.
const LINE_HEIGHT: f64 = 15.0;

/// Column widths in Excel's character units for the ledger columns, chosen for Chinese text
/// (a CJK character is two units) and so that the whole row fits an A4 landscape page at a
/// readable scale. The task sheet streams its rows in constant-memory mode, where widths must
/// be set before the first row, so they cannot be measured from the data.
fn width_of(c: Cell, lang: Lang) -> f64 {
    match c {
        Cell::No => 6.0,
        Cell::Task(Column::Ref) => 11.0,
        // English kind and status words ("shortcoming", "cancelled") are longer.
        Cell::Task(Column::Kind) => match lang {
            Lang::Zh => 7.0,
            Lang::En => 12.0,
        },
        Cell::Task(Column::Status) => match lang {
            Lang::Zh => 8.0,
            Lang::En => 10.0,
        },
        Cell::Task(Column::Area) => 14.0,
        Cell::Task(Column::Title) => 44.0,
        Cell::Task(Column::Owner) => 14.0,
        Cell::Task(Column::CoOwners) => 16.0,
        Cell::Task(Column::Deadline) => 11.0,
        Cell::Task(Column::Year) => 7.0,
        Cell::OriginalDeadline => 11.0,
        Cell::Extended => 7.0,
        Cell::Task(Column::CompletedAt) => 11.0,
        Cell::Task(Column::Progress) => 7.0,
        Cell::Overdue => 6.0,
        Cell::LatestNote => 30.0,
        Cell::Task(Column::Person) => 9.0,
        Cell::Extension => 18.0,
        Cell::Evidence => 18.0,
        Cell::Task(_) => 12.0,
    }
}

/// The lines a text takes in a wrapped cell `width` characters wide: each of its own lines
/// wraps at the column's width, measured in display columns (a CJK character counts two).
pub fn lines_in(text: &str, width: f64) -> usize {
    // A cell keeps about one character of padding.
    let usable = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|line| {
            let w = line.width() as f64;
            // Wrapping happens at character boundaries, so a line rarely fills the width.
            (w / usable).ceil().max(1.0) as usize
        })
        .sum()
}

/// The widths of the export's columns in the sheet: the chosen width, or wider where a word
/// of the heading would not fit ("Progress", "Overdue" in English).
fn widths(lang: Lang) -> Vec<f64> {
    CELLS
        .iter()
        .zip(columns(lang))
        .map(|(c, label)| {
            let word = label.split(' ').map(|w| w.width()).max().unwrap_or(0);
            width_of(*c, lang).max(word as f64 + 2.0)
        })
        .collect()
}

/// The height in points that shows every line of the row's wrapped cells; `None` for a row
/// of one line, which keeps the default height.
fn row_height(cells: &[String], widths: &[f64]) -> Option<f64> {
    let lines = widths
        .iter()
        .zip(cells)
        .map(|(w, text)| lines_in(text, *w))
        .max()
        .unwrap_or(1);
    (lines > 1).then_some(LINE_HEIGHT * lines as f64 + 2.0)
}

/// The last column of the task sheet.
const LAST_COL: u16 = CELLS.len() as u16 - 1;

/// Where a column sits in the sheet.
fn col_of(c: Cell) -> u16 {
    CELLS
        .iter()
        .position(|x| *x == c)
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0)
}

/// An Excel date from a calendar date.
fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime> {
    use chrono::Datelike;
    let y = u16::try_from(d.year())
        .map_err(|_| Error::Refused(format!("{d} is outside the years Excel can show")))?;
    ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).map_err(xerr)
}

/// The test for "overdue on the export's day" as an Excel formula on Excel row `row` (the
/// conditional format gives the range's first row, and Excel moves it to each row): a date
/// deadline before the day and a status that is not finished or cancelled. It follows the
/// data: an office that marks a task done in the workbook sees its row lose the red and its
/// 逾期 cell empty.
fn overdue_rule(as_of: chrono::NaiveDate, lang: Lang, row: u32) -> String {
    use chrono::Datelike;
    let deadline = column_number_to_name(col_of(Cell::Task(Column::Deadline)));
    let status = column_number_to_name(col_of(Cell::Task(Column::Status)));
    let mut parts = vec![
        format!("ISNUMBER(${deadline}{row})"),
        format!(
            "${deadline}{row}<DATE({},{},{})",
            as_of.year(),
            as_of.month(),
            as_of.day()
        ),
    ];
    for st in Status::ALL.iter().filter(|s| s.is_closed()) {
        parts.push(format!("${status}{row}<>\"{}\"", st.label(lang)));
    }
    format!("AND({})", parts.join(","))
}

/// Sets up a sheet for printing: A4 landscape, one page wide, the title in the page header
/// (so a loose page still says what it belongs to), page numbers in the footer.
fn print_setup(sheet: &mut Worksheet, title: &str, lang: Lang) {
    sheet
        .set_paper_size(A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.7, 0.6, 0.3, 0.3)
        .set_footer(crate::tr!(lang, "export.xlsx.footer"));
    // "&" starts a code in a page header; Excel allows 255 characters in all.
    let header = format!("&C{}", title.replace('&', "&&"));
    if header.chars().count() <= 255 {
        sheet.set_header(header);
    }
}

/// The workbook's properties, from the ledger's clock rather than the computer's: the same
/// ledger at the same moment gives the same workbook.
fn properties(h: &super::Header, lang: Lang) -> Result<DocProperties> {
    let mut p = DocProperties::new().set_title(h.title(lang));
    if let Some(name) = &h.name {
        p = p.set_company(name);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&h.generated_at) {
        use chrono::Timelike;
        let u = t.naive_utc();
        let at = excel_date(u.date())?
            .and_hms(u.hour() as u16, u.minute() as u8, u.second())
            .map_err(xerr)?;
        p = p.set_creation_datetime(&at);
    }
    Ok(p)
}

/// Builds the workbook, streaming the task rows of the year from the replay into the 台账
/// sheet, then writing the 汇总 sheet from the totals.
pub fn workbook(conn: &rusqlite::Connection, h: super::Header, lang: Lang) -> Result<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(&h, lang)?);
    let as_of = h.as_of;
    let cols = columns(lang);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let text = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let center = text.clone().set_align(FormatAlign::Center);
    let date = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_num_format("yyyy-mm-dd");
    let pct = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_num_format("0%");
    let late = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));

    let sheet = wb.add_worksheet_with_constant_memory();
    sheet
        .set_name(crate::tr!(lang, "export.xlsx.ledger_sheet"))
        .map_err(xerr)?;
    print_setup(sheet, &h.title(lang), lang);
    sheet.set_repeat_rows(0, 0).map_err(xerr)?;
    // A 逾期 formula whose answer is "not overdue" caches an empty text, not Excel's 0.
    sheet.set_formula_result_default("");
    let widths = widths(lang);
    for (i, w) in widths.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.set_column_width(col, *w).map_err(xerr)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xerr)?;
    // The drop-down of status words covers the whole column, however many rows follow.
    let words: Vec<&str> = Status::ALL.iter().map(|st| st.label(lang)).collect();
    let dv = DataValidation::new()
        .allow_list_strings(&words)
        .map_err(xerr)?;
    let status_col = col_of(Cell::Task(Column::Status));
    sheet
        .add_data_validation(1, status_col, 1_048_575, status_col, &dv)
        .map_err(xerr)?;
    for (i, c) in cols.iter().copied().enumerate() {
        sheet
            .write_string_with_format(0, u16::try_from(i).unwrap_or(0), c, &header)
            .map_err(xerr)?;
    }
    let mut last = 0u32;
    let status = super::stream(conn, h, false, &mut |task| {
        let r = u32::try_from(task.no)
            .ok()
            .filter(|r| *r <= 1_048_575)
            .ok_or_else(|| {
                Error::Refused(
                    "too many rows for one Excel sheet (1,048,575); export csv instead".into(),
                )
            })?;
        last = r;
        let texts = cells(task, lang);
        if let Some(ht) = row_height(&texts, &widths) {
            sheet.set_row_height(r, ht).map_err(xerr)?;
        }
        for (i, (c, s)) in CELLS.iter().zip(&texts).enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            write_cell(
                sheet,
                r,
                col,
                *c,
                s,
                task,
                as_of,
                &Formats {
                    text: &text,
                    center: &center,
                    date: &date,
                    pct: &pct,
                },
                lang,
            )?;
        }
        Ok(())
    })?;
    let last_col = LAST_COL;
    sheet
        .autofilter(0, 0, last.max(1), last_col)
        .map_err(xerr)?;
    if last > 0 {
        let cf = ConditionalFormatFormula::new()
            .set_rule(format!("={}", overdue_rule(as_of, lang, 2)).as_str())
            .set_format(&late);
        sheet
            .add_conditional_format(1, 0, last, last_col, &cf)
            .map_err(xerr)?;
    }
    summary_sheet(wb.add_worksheet(), &status, lang, &header, &text)?;
    Ok(wb)
}

/// The cell formats of the task rows.
struct Formats<'a> {
    text: &'a Format,
    center: &'a Format,
    date: &'a Format,
    pct: &'a Format,
}

/// Writes one cell of a task row: numbers as numbers, dates as dates, the 逾期 mark as a
/// formula (with the export's answer cached), every other cell as text.
#[allow(clippy::too_many_arguments)]
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    col: u16,
    c: Cell,
    s: &str,
    task: &Row,
    as_of: chrono::NaiveDate,
    f: &Formats,
    lang: Lang,
) -> Result<()> {
    match c {
        // A task's 序号 is a number; a sub-task's ("3.1") is text, so it never reads as 3.1.
        Cell::No => match task.number.parse::<u32>() {
            Ok(n) => sheet.write_number_with_format(r, col, f64::from(n), f.center),
            Err(_) => sheet.write_string_with_format(r, col, s, f.center),
        },
        // The day a task was finished, as a date the sheet can sort and filter by.
        Cell::Task(Column::CompletedAt) => match completed_day(task) {
            Some(d) => sheet.write_date_with_format(r, col, &excel_date(d)?, f.date),
            None => sheet.write_blank(r, col, f.text),
        },
        Cell::OriginalDeadline if task.original_deadline.is_some() => {
            let Some(d) = task.original_deadline else {
                return Ok(());
            };
            sheet.write_date_with_format(r, col, &excel_date(d)?, f.date)
        }
        Cell::Task(Column::Year) => {
            sheet.write_number_with_format(r, col, f64::from(task.year), f.center)
        }
        Cell::Task(Column::Progress) => {
            sheet.write_number_with_format(r, col, f64::from(task.progress) / 100.0, f.pct)
        }
        Cell::Task(Column::Deadline) if task.deadline.is_some() => {
            let Some(d) = task.deadline else {
                return Ok(());
            };
            sheet.write_date_with_format(r, col, &excel_date(d)?, f.date)
        }
        Cell::Overdue => {
            let yes = super::yes(true, lang);
            let formula = Formula::new(format!(
                "=IF({},\"{yes}\",\"\")",
                overdue_rule(as_of, lang, r + 1)
            ))
            .set_result(s);
            sheet.write_formula_with_format(r, col, formula, f.center)
        }
        Cell::Task(Column::Kind | Column::Status) => {
            sheet.write_string_with_format(r, col, s, f.center)
        }
        _ => sheet.write_string_with_format(r, col, s, f.text),
    }
    .map_err(xerr)?;
    Ok(())
}

/// The 汇总 sheet: the title, the header lines, and the per-area and per-unit tables, each
/// with its total. Not streamed (it is small), so its widths are measured from what it holds.
fn summary_sheet(
    sh: &mut Worksheet,
    s: &YearStatus,
    lang: Lang,
    header: &Format,
    text: &Format,
) -> Result<()> {
    sh.set_name(crate::tr!(lang, "export.xlsx.summary"))
        .map_err(xerr)?;
    print_setup(sh, &s.header.title(lang), lang);
    let h = &s.header;
    let title = h.title(lang);
    let mut info = Vec::new();
    if let Some(name) = &h.name {
        info.push(crate::tr!(lang, "export.xlsx.unit_line", name = name));
    }
    info.push(crate::tr!(lang, "export.xlsx.year_line", year = h.year));
    info.push(crate::tr!(lang, "export.xlsx.as_of_line", day = h.as_of));
    // The closing year of the outline is said in the same line, as one sentence.
    info.push(if h.closing_year {
        crate::tr!(
            lang,
            "export.xlsx.outline_line_closing",
            outline = h.outline_label()
        )
    } else {
        crate::tr!(
            lang,
            "export.xlsx.outline_line",
            outline = h.outline_label()
        )
    });
    info.push(crate::tr!(
        lang,
        "export.xlsx.generated_line",
        at = h.generated_local(lang)
    ));

    let mut heads = vec![
        crate::tr!(lang, "export.xlsx.tasks"),
        crate::tr!(lang, "export.xlsx.completion"),
        crate::tr!(lang, "export.xlsx.mean_progress"),
        crate::tr!(lang, "export.xlsx.overdue"),
    ];
    heads.extend(Status::ALL.iter().map(|st| st.label(lang).to_string()));
    let total = Group {
        name: Some(crate::tr!(lang, "export.xlsx.total")),
        counts: s.summary.counts.clone(),
    };
    // Each table with the rule its rows are sorted by, stated under it as in every format.
    let tables = [
        (
            crate::tr!(lang, "export.xlsx.area"),
            &s.areas,
            false,
            crate::tr!(lang, "export.page.areas_rule"),
        ),
        (
            crate::tr!(lang, "export.xlsx.owner"),
            &s.owners,
            true,
            crate::tr!(lang, "export.page.units_rule"),
        ),
    ];

    // Widths that fit: the first column holds the group names (the title and header lines
    // run across the row, they are not measured), the others their heading.
    let mut first = 10usize;
    for (head, groups, owner, _) in &tables {
        first = first.max(head.width());
        for g in groups.iter() {
            first = first.max(group_name(g, *owner, lang).width());
        }
    }
    sh.set_column_width(0, (first + 2).min(60) as f64)
        .map_err(xerr)?;
    for (i, hd) in heads.iter().enumerate() {
        let col = u16::try_from(i + 1).unwrap_or(0);
        sh.set_column_width(col, (hd.width() + 3).max(9) as f64)
            .map_err(xerr)?;
    }

    let bold = Format::new().set_bold().set_font_size(14);
    sh.write_string_with_format(0, 0, &title, &bold)
        .map_err(xerr)?;
    let mut r = 1u32;
    for line in &info {
        sh.write_string(r, 0, line).map_err(xerr)?;
        r += 1;
    }
    let rate = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0%");
    let count = Format::new().set_border(FormatBorder::Thin);
    for (head, groups, owner, rule) in tables {
        r += 1;
        sh.write_string_with_format(r, 0, &head, header)
            .map_err(xerr)?;
        for (i, hd) in heads.iter().enumerate() {
            sh.write_string_with_format(r, u16::try_from(i + 1).unwrap_or(0), hd, header)
                .map_err(xerr)?;
        }
        r += 1;
        for g in groups.iter().chain(std::iter::once(&total)) {
            let c = &g.counts;
            sh.write_string_with_format(r, 0, group_name(g, owner, lang), text)
                .map_err(xerr)?;
            let mut nums = vec![
                c.total as f64,
                c.completion_rate / 100.0,
                c.progress / 100.0,
                c.overdue as f64,
            ];
            nums.extend(
                Status::ALL
                    .iter()
                    .map(|st| c.by_status.get(st.en()).copied().unwrap_or(0) as f64),
            );
            for (i, v) in nums.iter().enumerate() {
                let col = u16::try_from(i + 1).unwrap_or(0);
                let f = if matches!(i, 1 | 2) { &rate } else { &count };
                sh.write_number_with_format(r, col, *v, f).map_err(xerr)?;
            }
            r += 1;
        }
        // The note runs across the row, like the header lines, and is not measured.
        sh.write_string(r, 0, &rule).map_err(xerr)?;
        r += 1;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_cjk_as_two_columns_and_keep_line_breaks() {
        assert_eq!(lines_in("", 10.0), 1);
        assert_eq!(lines_in("一二三四", 10.0), 1);
        // 20 CJK characters are 40 columns: five lines of 9 usable columns.
        assert_eq!(lines_in(&"法".repeat(20), 10.0), 5);
        assert_eq!(lines_in("甲\n乙", 10.0), 2);
    }

    #[test]
    fn the_overdue_rule_moves_to_each_row_but_keeps_the_date() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let at = overdue_rule(day, Lang::Zh, 42);
        // 完成时限 is column J and 状态 column L since issue 17 added 计划年度, 原定时限 and 延期.
        assert!(at.contains("$J42<DATE(2025,12,31)"), "{at}");
        assert!(at.contains("$L42<>\"已完成\""), "{at}");
    }
}

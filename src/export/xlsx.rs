//! The Excel workbook offices keep: a 台账 sheet with the usual ledger columns and a 汇总 sheet
//! with the summary and the per-area table. The task sheet is written in rust_xlsxwriter's
//! constant-memory mode, so its memory does not grow with the number of rows.

use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::{cells, columns, group_name, YearStatus};
use crate::model::{Lang, Status, Word};
use crate::{Error, Result};

fn xerr(e: XlsxError) -> Error {
    Error::write("the workbook", e)
}

/// Column widths in Excel's character units for the ledger columns, chosen for Chinese text
/// (a CJK character is two units). The task sheet streams its rows in constant-memory mode,
/// where widths must be set before the first row, so they cannot be measured from the data.
const WIDTHS: [f64; super::CELLS.len()] = [
    6.0, 12.0, 8.0, 26.0, 52.0, 18.0, 24.0, 12.0, 9.0, 8.0, 6.0, 40.0, 10.0, 30.0, 30.0,
];

/// Builds the workbook, streaming the task rows of the year from the replay into the 台账
/// sheet, then writing the 汇总 sheet from the totals.
pub fn workbook(conn: &rusqlite::Connection, h: super::Header, lang: Lang) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let cols = columns(lang);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let text = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let late = text.clone().set_background_color(Color::RGB(0xFFC7CE));
    let pct = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0%");
    let late_pct = pct.clone().set_background_color(Color::RGB(0xFFC7CE));

    let sheet = wb.add_worksheet_with_constant_memory();
    sheet
        .set_name(crate::tr!(lang, "export.page.ledger"))
        .map_err(xerr)?;
    for (i, (w, c)) in WIDTHS.iter().zip(cols).enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        let fit = (c.width() + 2) as f64;
        sheet.set_column_width(col, w.max(fit)).map_err(xerr)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xerr)?;
    // The drop-down of status words covers the whole column, however many rows follow.
    let words: Vec<&str> = Status::ALL.iter().map(|st| st.label(lang)).collect();
    let dv = DataValidation::new()
        .allow_list_strings(&words)
        .map_err(xerr)?;
    let status_col = super::CELLS
        .iter()
        .position(|c| *c == super::Cell::Task(crate::model::field::Column::Status))
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0);
    sheet
        .add_data_validation(1, status_col, 1_048_575, status_col, &dv)
        .map_err(xerr)?;
    for (i, c) in cols.iter().enumerate() {
        sheet
            .write_string_with_format(0, u16::try_from(i).unwrap_or(0), *c, &header)
            .map_err(xerr)?;
    }
    let status = super::stream(conn, h, false, &mut |task| {
        let r = u32::try_from(task.no)
            .map_err(|_| Error::refused(crate::msg!("export.too_many_rows")))?;
        let (tf, pf) = if task.overdue {
            (&late, &late_pct)
        } else {
            (&text, &pct)
        };
        for (i, c) in cells(task, lang).iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            // The number and the progress are numbers in Excel; every other cell is text.
            match super::CELLS.get(i) {
                Some(super::Cell::No) => sheet.write_number_with_format(r, col, task.no as f64, tf),
                Some(super::Cell::Task(crate::model::field::Column::Progress)) => {
                    sheet.write_number_with_format(r, col, f64::from(task.progress) / 100.0, pf)
                }
                _ => sheet.write_string_with_format(r, col, c, tf),
            }
            .map_err(xerr)?;
        }
        Ok(())
    })?;
    summary_sheet(wb.add_worksheet(), &status, lang, &header, &text)?;
    Ok(wb)
}

fn summary_sheet(
    sh: &mut Worksheet,
    s: &YearStatus,
    lang: Lang,
    header: &Format,
    text: &Format,
) -> Result<()> {
    let t = |key: &'static str| crate::i18n::text(lang, key).into_owned();
    sh.set_name(t("export.xlsx.summary")).map_err(xerr)?;
    sh.set_column_width(0, 40).map_err(xerr)?;
    for c in 1..12u16 {
        sh.set_column_width(c, 10).map_err(xerr)?;
    }
    let h = &s.header;
    let info = [
        (t("export.page.ledger"), h.ledger.clone()),
        (t("table.year"), h.year.to_string()),
        (t("export.page.as_of"), h.as_of.to_string()),
        (
            t("export.page.outline_period"),
            format!(
                "{}{}",
                h.outline_label(),
                if h.closing_year {
                    t("export.xlsx.closing_year")
                } else {
                    String::new()
                }
            ),
        ),
        (t("export.page.generated"), h.generated_local(lang)),
    ];
    let mut r = 0u32;
    for (k, v) in info {
        sh.write_string_with_format(r, 0, k, header).map_err(xerr)?;
        sh.write_string_with_format(r, 1, v, text).map_err(xerr)?;
        r += 1;
    }
    r += 1;
    let mut heads = vec![
        t("table.area"),
        t("export.page.tasks_2"),
        t("export.page.completion"),
        t("export.page.mean_progress"),
        t("table.overdue"),
    ];
    heads.extend(Status::ALL.iter().map(|st| st.label(lang).to_string()));
    for (i, hd) in heads.iter().enumerate() {
        sh.write_string_with_format(r, u16::try_from(i).unwrap_or(0), hd, header)
            .map_err(xerr)?;
    }
    r += 1;
    let total = super::Group {
        name: Some(t("table.sum").to_string()),
        counts: s.summary.counts.clone(),
    };
    for g in s.areas.iter().chain(std::iter::once(&total)) {
        let c = &g.counts;
        sh.write_string_with_format(r, 0, group_name(g, false, lang), text)
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
            if matches!(i, 1 | 2) {
                let f = Format::new()
                    .set_border(FormatBorder::Thin)
                    .set_num_format("0.0%");
                sh.write_number_with_format(r, col, *v, &f).map_err(xerr)?;
            } else {
                sh.write_number_with_format(r, col, *v, text)
                    .map_err(xerr)?;
            }
        }
        r += 1;
    }
    Ok(())
}

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
    Error::Invalid(format!("cannot write the workbook: {e}"))
}

/// Column width in Excel's character units for text of this display width (CJK counts two).
fn width_for(w: usize) -> f64 {
    (w.clamp(4, 60) + 2) as f64
}

/// Builds the workbook.
pub fn workbook(s: &YearStatus, lang: Lang) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let cols = columns(lang);
    let rows: Vec<[String; 12]> = s.tasks.iter().map(|r| cells(r, lang)).collect();

    // Widths that fit the text, measured in display columns so that Chinese fits.
    let mut widths: Vec<usize> = cols.iter().map(|c| c.width()).collect();
    for row in &rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }

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
    sheet.set_name(lang.pick("台账", "Ledger")).map_err(xerr)?;
    for (i, w) in widths.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.set_column_width(col, width_for(*w)).map_err(xerr)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xerr)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX - 1).max(1);
    let words: Vec<&str> = Status::ALL.iter().map(|st| st.label(lang)).collect();
    let dv = DataValidation::new()
        .allow_list_strings(&words)
        .map_err(xerr)?;
    sheet
        .add_data_validation(1, 8, last_row, 8, &dv)
        .map_err(xerr)?;
    for (i, c) in cols.iter().enumerate() {
        sheet
            .write_string_with_format(0, u16::try_from(i).unwrap_or(0), *c, &header)
            .map_err(xerr)?;
    }
    for (n, (row, task)) in rows.iter().zip(&s.tasks).enumerate() {
        let r =
            u32::try_from(n + 1).map_err(|_| Error::Invalid("too many rows for Excel".into()))?;
        let (tf, pf) = if task.overdue {
            (&late, &late_pct)
        } else {
            (&text, &pct)
        };
        for (i, c) in row.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            match i {
                0 => sheet.write_number_with_format(r, col, task.no as f64, tf),
                9 => sheet.write_number_with_format(r, col, f64::from(task.progress) / 100.0, pf),
                _ => sheet.write_string_with_format(r, col, c, tf),
            }
            .map_err(xerr)?;
        }
    }

    summary_sheet(wb.add_worksheet(), s, lang, &header, &text)?;
    Ok(wb)
}

fn summary_sheet(
    sh: &mut Worksheet,
    s: &YearStatus,
    lang: Lang,
    header: &Format,
    text: &Format,
) -> Result<()> {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    sh.set_name(t("汇总", "Summary")).map_err(xerr)?;
    sh.set_column_width(0, 40).map_err(xerr)?;
    for c in 1..12u16 {
        sh.set_column_width(c, 10).map_err(xerr)?;
    }
    let h = &s.header;
    let info = [
        (t("台账", "Ledger"), h.ledger.clone()),
        (t("年度", "Year"), h.year.to_string()),
        (t("统计截至", "As of"), h.as_of.to_string()),
        (
            t("纲要期间", "Outline period"),
            format!(
                "{}{}",
                h.outline,
                if h.closing_year {
                    t("（收官之年）", " (closing year)")
                } else {
                    ""
                }
            ),
        ),
        (t("生成时间", "Generated"), h.generated_at.clone()),
    ];
    let mut r = 0u32;
    for (k, v) in info {
        sh.write_string_with_format(r, 0, k, header).map_err(xerr)?;
        sh.write_string_with_format(r, 1, v, text).map_err(xerr)?;
        r += 1;
    }
    r += 1;
    let mut heads = vec![
        t("领域", "Area"),
        t("任务数", "Tasks"),
        t("完成率", "Completion"),
        t("平均进度", "Mean progress"),
        t("逾期", "Overdue"),
    ];
    heads.extend(Status::ALL.iter().map(|st| st.label(lang)));
    for (i, hd) in heads.iter().enumerate() {
        sh.write_string_with_format(r, u16::try_from(i).unwrap_or(0), *hd, header)
            .map_err(xerr)?;
    }
    r += 1;
    let total = super::Group {
        name: Some(t("合计", "Total").to_string()),
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

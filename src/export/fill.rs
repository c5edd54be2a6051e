//! The 填报 fill sheet: one workbook per unit of its open tasks for a period, sent out each
//! month or quarter and read back by `import` (src/import/fill.rs). The grey columns are
//! the ledger's and are locked; the white ones are the unit's to fill. Every row carries, in
//! hidden columns, the task's id, its version (its latest history id) and an HMAC-SHA256
//! over the ledger, the unit, the period, the id, the version and the grey cells' text, keyed
//! by a secret the ledger keeps: a changed id, a row copied from another unit's sheet, an
//! edited grey cell or a row made before the task last changed is recognised on import.

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Workbook,
    XlsxError,
};
use sha2::Sha256;

use crate::db::fill::Key;
use crate::model::{Status, Task, Word};
use crate::{Error, Result};

/// The name of the sheet of rows.
pub const SHEET: &str = "填报";
/// The name of the hidden sheet that marks the file as a fill sheet and names its facts.
pub const INFO_SHEET: &str = "填报信息";
/// The first cell of the info sheet: what this file is and which layout it has.
pub const MARK: &str = "taizhang-fill-v1";
/// The facts of the info sheet, one a row under the mark: label, then value in column B.
pub const FACTS: [&str; 5] = ["台账标识", "填报单位", "截至", "生成时间", "台账文件"];
/// The row (0-based) of the column headers; the rows of tasks follow it.
pub const HEADER_ROW: u32 = 3;
/// The grey columns, written from the ledger and locked.
pub const LOCKED: [&str; 8] = [
    "编号",
    "任务",
    "牵头单位",
    "配合单位",
    "完成时限",
    "当前状态",
    "上次进度",
    "最近进展",
];
/// The columns the unit fills, after the grey ones.
pub const FILL: [&str; 7] = [
    "进度",
    "状态",
    "本期进展",
    "存在问题",
    "佐证材料",
    "申请延期至",
    "延期理由",
];
/// The hidden columns, after the fill columns.
pub const HIDDEN: [&str; 3] = ["任务ID", "版本", "校验码"];
/// The statuses a unit may report. 已销号 is the office's word after checking evidence, and
/// 已取消 needs the office's decision, so neither is offered.
pub const UNIT_STATUSES: [Status; 4] = [Status::Todo, Status::Doing, Status::Blocked, Status::Done];
/// What the deadline cell says for continuous work.
pub const CONTINUOUS: &str = "长期";

/// The first fill column and the first hidden column.
pub const FILL_AT: u16 = LOCKED.len() as u16;
pub const HIDDEN_AT: u16 = FILL_AT + FILL.len() as u16;

/// Every header, in column order.
pub fn headers() -> Vec<&'static str> {
    LOCKED
        .iter()
        .chain(FILL.iter())
        .chain(HIDDEN.iter())
        .copied()
        .collect()
}

/// A cell's text as it is signed: trimmed, with line ends as "\n", since spreadsheet
/// programs may trim a cell or rewrite its line ends on saving.
pub fn normal(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// The grey cells of a task's row, in the order of [`LOCKED`].
pub fn locked_cells(t: &Task, latest_note: Option<&str>) -> [String; 8] {
    [
        t.reference.clone().unwrap_or_default(),
        t.title.clone(),
        t.owner.clone().unwrap_or_default(),
        t.co_owners.join("、"),
        t.deadline
            .map_or_else(|| CONTINUOUS.to_string(), |d| d.to_string()),
        t.status.zh().to_string(),
        format!("{}%", t.progress),
        latest_note.unwrap_or_default().to_string(),
    ]
    .map(|s| normal(&s))
}

/// What a row is signed for: the sheet it belongs to and the task it stands for.
pub struct Signed<'a> {
    pub ledger_id: &'a str,
    pub unit: &'a str,
    pub as_of: NaiveDate,
    pub task: i64,
    pub version: i64,
}

/// The HMAC of a row, before it is finalised: over the layout mark, the ledger id, the unit,
/// the period end, the task id, its version and the grey cells, each followed by U+001F
/// (which no cell of the sheet holds as typed), so text moved between cells changes it too.
fn hmac_of(key: &Key, s: &Signed<'_>, locked: &[String]) -> Option<Hmac<Sha256>> {
    // HMAC takes a key of any length, so this never fails.
    let mut m = Hmac::<Sha256>::new_from_slice(key.secret.as_bytes()).ok()?;
    let head = [
        MARK.to_string(),
        s.ledger_id.to_string(),
        s.unit.to_string(),
        s.as_of.to_string(),
        s.task.to_string(),
        s.version.to_string(),
    ];
    for part in head.iter().chain(locked) {
        m.update(part.as_bytes());
        m.update(b"\x1f");
    }
    Some(m)
}

/// The row's check code: its HMAC-SHA256 in lower-case hex.
pub fn mac(key: &Key, s: &Signed<'_>, locked: &[String]) -> String {
    hmac_of(key, s, locked).map_or_else(String::new, |m| {
        m.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    })
}

/// Whether a check code is the right one (compared in constant time by the hmac crate).
pub fn verify(key: &Key, s: &Signed<'_>, locked: &[String], code: &str) -> bool {
    let code = code.trim();
    if code.len() != 64 || !code.is_ascii() {
        return false;
    }
    let bytes: Option<Vec<u8>> = (0..32)
        .map(|i| u8::from_str_radix(&code[i * 2..i * 2 + 2], 16).ok())
        .collect();
    match (bytes, hmac_of(key, s, locked)) {
        (Some(b), Some(m)) => m.verify_slice(&b).is_ok(),
        _ => false,
    }
}

/// One task row of a unit's sheet.
pub struct Row {
    pub task: Task,
    pub version: i64,
    pub latest_note: Option<String>,
}

/// What the sheet says about itself.
pub struct Sheet<'a> {
    pub key: &'a Key,
    pub unit: &'a str,
    pub as_of: NaiveDate,
    /// When it was made (the command's time).
    pub made_at: &'a str,
    /// The ledger file's name, for the person reading the header.
    pub ledger: &'a str,
}

fn xerr(e: XlsxError) -> Error {
    Error::write("the fill sheet", e)
}

/// Builds a unit's fill workbook.
pub fn workbook(s: &Sheet<'_>, rows: &[Row]) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let grey = Color::RGB(0xD9D9D9);
    let title = Format::new().set_bold().set_font_size(14);
    let label = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let head_locked = header.clone().set_background_color(grey);
    let head_fill = header.clone().set_background_color(Color::RGB(0xFFF2CC));
    let locked = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(grey);
    let fill = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_unlocked();
    let fill_number = fill.clone().set_num_format("0");
    let fill_date = fill.clone().set_num_format("yyyy-mm-dd");
    let hidden = Format::new();

    let n = u32::try_from(rows.len())
        .map_err(|_| Error::Refused("too many rows for one Excel sheet".into()))?;
    let first = HEADER_ROW + 1;
    let last = first + n.max(1) - 1;
    {
        let ws = wb.add_worksheet();
        ws.set_name(SHEET).map_err(xerr)?;
        ws.write_string_with_format(
            0,
            0,
            format!("法治政府建设任务进展填报表 — {}", s.unit),
            &title,
        )
        .map_err(xerr)?;
        let facts = [
            ("填报单位", s.unit.to_string()),
            ("截至", s.as_of.to_string()),
            ("台账", s.ledger.to_string()),
        ];
        for (i, (k, v)) in (0u16..).zip(facts) {
            ws.write_string_with_format(1, i * 2, k, &label)
                .map_err(xerr)?;
            ws.write_string(1, i * 2 + 1, v).map_err(xerr)?;
        }
        ws.write_string(
            2,
            0,
            "灰色列为台账内容，已锁定，请勿修改；请在白色列填写本期进度、状态、进展、问题、佐证材料，需延期的填写申请延期至和延期理由。隐藏列用于校验，请勿删除。",
        )
        .map_err(xerr)?;
        for (c, h) in (0u16..).zip(headers()) {
            let f = if (FILL_AT..HIDDEN_AT).contains(&c) {
                &head_fill
            } else {
                &head_locked
            };
            ws.write_string_with_format(HEADER_ROW, c, h, f)
                .map_err(xerr)?;
        }
        for (r, row) in (first..).zip(rows) {
            let cells = locked_cells(&row.task, row.latest_note.as_deref());
            for (c, v) in (0u16..).zip(cells.iter()) {
                ws.write_string_with_format(r, c, v, &locked)
                    .map_err(xerr)?;
            }
            for c in FILL_AT..HIDDEN_AT {
                let f = match c - FILL_AT {
                    0 => &fill_number,
                    5 => &fill_date,
                    _ => &fill,
                };
                ws.write_blank(r, c, f).map_err(xerr)?;
            }
            let signed = Signed {
                ledger_id: &s.key.ledger_id,
                unit: s.unit,
                as_of: s.as_of,
                task: row.task.id,
                version: row.version,
            };
            let hidden_cells = [
                row.task.id.to_string(),
                row.version.to_string(),
                mac(s.key, &signed, &cells),
            ];
            for (c, v) in (HIDDEN_AT..).zip(hidden_cells) {
                ws.write_string_with_format(r, c, v, &hidden)
                    .map_err(xerr)?;
            }
        }
        // The drop-down of the status words a unit may report, and whole percentages.
        let words: Vec<&str> = UNIT_STATUSES.iter().map(|st| st.zh()).collect();
        let dv = DataValidation::new()
            .allow_list_strings(&words)
            .map_err(xerr)?
            .set_error_message("请从下拉列表中选择状态")
            .map_err(xerr)?;
        ws.add_data_validation(first, FILL_AT + 1, last, FILL_AT + 1, &dv)
            .map_err(xerr)?;
        let pct = DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, 100))
            .set_error_message("进度填 0 到 100 的整数（百分比）")
            .map_err(xerr)?;
        ws.add_data_validation(first, FILL_AT, last, FILL_AT, &pct)
            .map_err(xerr)?;
        let widths: [f64; 18] = [
            12.0, 30.0, 12.0, 12.0, 11.0, 8.0, 7.0, 24.0, 6.0, 8.0, 30.0, 20.0, 20.0, 11.0, 20.0,
            8.0, 8.0, 20.0,
        ];
        for (c, w) in (0u16..).zip(widths) {
            ws.set_column_width(c, w).map_err(xerr)?;
        }
        for c in HIDDEN_AT..HIDDEN_AT + HIDDEN.len() as u16 {
            ws.set_column_hidden(c).map_err(xerr)?;
        }
        ws.set_freeze_panes(first, 2).map_err(xerr)?;
        // A4 landscape, one page wide, the header row on every page.
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(HEADER_ROW, HEADER_ROW).map_err(xerr)?;
        ws.set_header(format!("&L{}&R截至 {}", s.unit, s.as_of));
        ws.set_footer("&C第 &P 页，共 &N 页");
        // Only the white cells can be changed: the grey and hidden ones are locked.
        ws.protect();
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(INFO_SHEET).map_err(xerr)?;
        ws.write_string(0, 0, MARK).map_err(xerr)?;
        let facts = [
            s.key.ledger_id.clone(),
            s.unit.to_string(),
            s.as_of.to_string(),
            s.made_at.to_string(),
            s.ledger.to_string(),
        ];
        for (r, (k, v)) in (1u32..).zip(FACTS.iter().zip(facts)) {
            ws.write_string(r, 0, *k).map_err(xerr)?;
            ws.write_string(r, 1, v).map_err(xerr)?;
        }
        ws.set_hidden(true);
        ws.protect();
    }
    Ok(wb)
}

/// A file name for a unit's sheet: the unit's name with the characters file systems refuse
/// (and control characters) replaced by "_", without leading dots or spaces, at most 80
/// characters, then ".xlsx".
pub fn file_name(unit: &str) -> String {
    let mut s: String = unit
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    s = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if s.is_empty() {
        s = "unit".into();
    }
    format!("{s}.xlsx")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("区司法局"), "区司法局.xlsx");
        assert_eq!(file_name("../a/b"), "_a_b.xlsx");
        assert_eq!(file_name("a:b*c?\u{7}"), "a_b_c__.xlsx");
        assert_eq!(file_name(" .. "), "unit.xlsx");
    }

    #[test]
    fn the_check_code_covers_every_part() {
        let key = Key {
            ledger_id: "L".into(),
            secret: "s".into(),
        };
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let s = |unit, task, version| Signed {
            ledger_id: "L",
            unit,
            as_of: day,
            task,
            version,
        };
        let cells = vec!["a".to_string(), "b".to_string()];
        let code = mac(&key, &s("甲", 1, 5), &cells);
        assert_eq!(code.len(), 64);
        assert!(verify(&key, &s("甲", 1, 5), &cells, &code));
        assert!(!verify(&key, &s("乙", 1, 5), &cells, &code));
        assert!(!verify(&key, &s("甲", 2, 5), &cells, &code));
        assert!(!verify(&key, &s("甲", 1, 6), &cells, &code));
        let edited = vec!["a".to_string(), "c".to_string()];
        assert!(!verify(&key, &s("甲", 1, 5), &edited, &code));
        // Moving text between cells changes the code too.
        let moved = vec!["ab".to_string(), String::new()];
        assert!(!verify(&key, &s("甲", 1, 5), &moved, &code));
        assert!(!verify(&key, &s("甲", 1, 5), &cells, "x"));
    }
}

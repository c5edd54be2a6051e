//! The monthly 填报 round trip: the office sends each unit its fill sheet (`export --fill`),
//! the units fill them in (here a program: the sheet is read with calamine and written again
//! with the filled cells, keeping the hidden columns and the hidden info sheet), and the
//! office imports them. The ledger then holds exactly the units' changes, recorded as the
//! units and effective on the period end; a tampered row, an edited grey cell, a sheet of
//! another ledger and a row whose task changed after the export are refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use common::Ledger;
use rusqlite::Connection;

/// The office works on 3 April; the sheets are for the period ending 31 March.
const EXPORT_NOW: &str = "2026-04-03T10:00:00+08:00";
const IMPORT_NOW: &str = "2026-04-08T15:00:00+08:00";
const PERIOD: &str = "2026-03-31";
const EFFECTIVE: &str = "2026-03-31T00:00:00+08:00";

/// Columns of the fill sheet (0-based): the grey ones, then the white ones, then hidden.
const C_TITLE: u32 = 1;
const C_PROGRESS: u32 = 8;
const C_STATUS: u32 = 9;
const C_REPORT: u32 = 10;
const C_PROBLEMS: u32 = 11;
const C_EVIDENCE: u32 = 12;
const C_EXTEND_TO: u32 = 13;
const C_REASON: u32 = 14;
const C_ID: u32 = 15;
/// The first row of tasks (0-based): a title, the facts, a hint and the header come first.
const FIRST: u32 = 4;

/// Every sheet of a workbook as rows of cells, with the sheet names in order.
fn read_all(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb = open_workbook_auto(path).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            // Rows from A1, so that row and column numbers are the sheet's own.
            let (h, w) = r.end().map_or((0, 0), |(h, w)| (h + 1, w + 1));
            let rows = (0..h)
                .map(|i| {
                    (0..w)
                        .map(|j| r.get_value((i, j)).cloned().unwrap_or(Data::Empty))
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

/// A cell as text, as a person would read it.
fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

/// The rows of the 填报 sheet as text.
fn rows_of(path: &Path) -> Vec<Vec<String>> {
    read_all(path)
        .into_iter()
        .find(|(n, _)| n == "填报")
        .unwrap()
        .1
        .iter()
        .map(|r| r.iter().map(text).collect())
        .collect()
}

/// The row (0-based) of a task in a sheet, by its hidden id.
fn row_of(path: &Path, id: i64) -> u32 {
    let rows = rows_of(path);
    let i = rows
        .iter()
        .position(|r| r.get(C_ID as usize).is_some_and(|c| *c == id.to_string()))
        .unwrap_or_else(|| panic!("task #{id} has no row in {}", path.display()));
    u32::try_from(i).unwrap()
}

/// A value the unit types: text, or a number (as Excel keeps a typed figure).
#[derive(Clone)]
enum Cell {
    Text(&'static str),
    Number(f64),
}

/// Writes the workbook at `from` again to `to` with `edits` (row, column → value) in its fill
/// sheet, as a unit's spreadsheet program would save it: every other cell, the hidden columns
/// and the hidden info sheet are kept as they were.
fn fill(from: &Path, to: &Path, edits: &[(u32, u32, Cell)]) {
    let edits: HashMap<(u32, u32), Cell> = edits
        .iter()
        .map(|(r, c, v)| ((*r, *c), v.clone()))
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in read_all(from) {
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        let height = rows
            .len()
            .max(edits.keys().map(|k| k.0 as usize + 1).max().unwrap_or(0));
        for r in 0..height {
            let width = rows.get(r).map_or(0, Vec::len).max(C_ID as usize + 3);
            for c in 0..width {
                let (r32, c16) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
                let edit = (name == "填报")
                    .then(|| edits.get(&(r32, u32::from(c16))))
                    .flatten();
                match edit {
                    Some(Cell::Text(s)) => {
                        ws.write_string(r32, c16, *s).unwrap();
                    }
                    Some(Cell::Number(n)) => {
                        ws.write_number(r32, c16, *n).unwrap();
                    }
                    None => match rows.get(r).and_then(|row| row.get(c)) {
                        Some(Data::String(s)) => {
                            ws.write_string(r32, c16, s).unwrap();
                        }
                        Some(Data::Float(f)) => {
                            ws.write_number(r32, c16, *f).unwrap();
                        }
                        Some(Data::Int(i)) => {
                            ws.write_number(r32, c16, *i as f64).unwrap();
                        }
                        Some(Data::Empty) | None => {}
                        Some(other) => panic!("unexpected cell {other:?}"),
                    },
                }
            }
        }
    }
    wb.save(to).unwrap();
}

/// The history rows of the ledger after a given id, as (task, actor, field, old, new, note,
/// effective).
type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
fn history_after(l: &Ledger, after: i64) -> Vec<Row> {
    let c = Connection::open(&l.path).unwrap();
    let mut s = c
        .prepare(
            "SELECT task_id, actor, field, old, new, note, effective FROM history
             WHERE id > ?1 ORDER BY id",
        )
        .unwrap();
    s.query_map([after], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn last_history_id(l: &Ledger) -> i64 {
    let c = Connection::open(&l.path).unwrap();
    c.query_row("SELECT coalesce(max(id), 0) FROM history", [], |r| r.get(0))
        .unwrap()
}

/// A ledger of seven tasks of three units, two of them closed, as of 1 March 2026.
struct Month {
    l: Ledger,
    /// 推行行政执法三项制度: 区司法局 leads, 区市场监管局 supports.
    t1: i64,
    /// 规范性文件备案审查: 区司法局.
    t2: i64,
    /// 公平竞争审查: 区市场监管局.
    t3: i64,
    /// 校外培训机构执法: 区教育局.
    t4: i64,
    /// 教育行政复议案件办理: 区教育局.
    t5: i64,
    /// Done and cancelled tasks are not sent.
    t6: i64,
    t7: i64,
    sheets: PathBuf,
}

fn month() -> Month {
    let l = Ledger::new().at("2026-03-01T09:00:00+08:00");
    l.run_ok(&["init"]);
    let t1 = l.add(
        "推行行政执法三项制度",
        &[
            "--owner",
            "区司法局",
            "--co-owner",
            "区市场监管局",
            "--deadline",
            "2026-06-30",
            "--ref",
            "2026-C1.1",
        ],
    );
    let t2 = l.add(
        "规范性文件备案审查",
        &["--owner", "区司法局", "--deadline", "2026-09-30"],
    );
    let t3 = l.add(
        "公平竞争审查",
        &["--owner", "区市场监管局", "--deadline", "2026-12-31"],
    );
    let t4 = l.add(
        "校外培训机构执法",
        &["--owner", "区教育局", "--deadline", "2026-05-31"],
    );
    let t5 = l.add(
        "教育行政复议案件办理",
        &["--owner", "区教育局", "--deadline", "2026-10-31"],
    );
    let t6 = l.add(
        "执法人员培训",
        &[
            "--owner",
            "区司法局",
            "--status",
            "done",
            "--progress",
            "100",
        ],
    );
    let t7 = l.add("撤并的任务", &["--owner", "区教育局"]);
    l.run_ok(&[
        "update",
        &t7.to_string(),
        "--status",
        "cancelled",
        "--note",
        "并入 #4",
    ]);
    l.run_ok(&["note", &t2.to_string(), "已梳理 12 件规范性文件"]);
    let mut l = l;
    l.set_now(EXPORT_NOW);
    let sheets = l.sibling("sheets");
    std::fs::create_dir(&sheets).unwrap();
    // Open work that names no unit is in no sheet, and the export says so.
    l.add("无人认领的任务", &[]);
    let (out, err) = l.run_ok_err(&[
        "--as-of",
        PERIOD,
        "export",
        "--fill",
        "-o",
        sheets.to_str().unwrap(),
    ]);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        err.contains("1 open tasks name no lead or supporting unit"),
        "{err}"
    );
    Month {
        l,
        t1,
        t2,
        t3,
        t4,
        t5,
        t6,
        t7,
        sheets,
    }
}

impl Month {
    fn sheet(&self, unit: &str) -> PathBuf {
        self.sheets.join(format!("{unit}.xlsx"))
    }

    /// A filled copy of a unit's sheet.
    fn filled(&self, unit: &str, name: &str, edits: &[(u32, u32, Cell)]) -> PathBuf {
        let to = self.l.sibling(name);
        fill(&self.sheet(unit), &to, edits);
        to
    }
}

#[test]
fn one_month_of_fill_sheets_round_trips() {
    let mut m = month();
    let (t1, t2, t3, t4, t5) = (m.t1, m.t2, m.t3, m.t4, m.t5);
    let sj = m.sheet("区司法局");
    let jy = m.sheet("区教育局");
    let sc = m.sheet("区市场监管局");

    // Each unit gets its open tasks as lead or supporting unit, and nothing else.
    let ids = |p: &Path| -> Vec<String> {
        rows_of(p)
            .iter()
            .skip(FIRST as usize)
            .map(|r| r[C_ID as usize].clone())
            .collect()
    };
    assert_eq!(ids(&sj), [t1.to_string(), t2.to_string()]);
    assert_eq!(ids(&sc), [t1.to_string(), t3.to_string()]);
    assert_eq!(ids(&jy), [t4.to_string(), t5.to_string()]);
    assert!(!ids(&jy).contains(&m.t7.to_string()) && !ids(&sj).contains(&m.t6.to_string()));
    let rows = rows_of(&sj);
    for r in rows.iter().take(FIRST as usize + 2) {
        eprintln!("{}", r.join(" | "));
    }
    assert!(rows[0][0].contains("区司法局"), "{:?}", rows[0]);
    assert_eq!(rows[1][..4], ["填报单位", "区司法局", "截至", PERIOD]);
    assert_eq!(
        rows[3][..8],
        [
            "编号",
            "任务",
            "牵头单位",
            "配合单位",
            "完成时限",
            "当前状态",
            "上次进度",
            "最近进展"
        ]
    );
    let r2 = &rows[FIRST as usize + 1];
    assert_eq!(r2[1], "规范性文件备案审查");
    assert_eq!(r2[7], "已梳理 12 件规范性文件", "the latest note is shown");
    assert_eq!(r2[5], "未启动");

    // 区司法局: progress with a report and evidence on #1, blocked with a problem on #2.
    let sj_row1 = row_of(&sj, t1);
    let sj_row2 = row_of(&sj, t2);
    let sj_filled = m.filled(
        "区司法局",
        "sj-filled.xlsx",
        &[
            (sj_row1, C_PROGRESS, Cell::Number(60.0)),
            (sj_row1, C_REPORT, Cell::Text("已在 3 个执法部门试点")),
            (
                sj_row1,
                C_EVIDENCE,
                Cell::Text("天宁司法〔2026〕3号\nhttps://example.gov.cn/zf/1"),
            ),
            (sj_row2, C_STATUS, Cell::Text("受阻")),
            (sj_row2, C_PROBLEMS, Cell::Text("上级文件尚未出台")),
        ],
    );
    // 区市场监管局: progress on #3 and, in the same sheet, a row whose hidden id was changed
    // to another task's (a tampered row).
    let sc_row1 = row_of(&sc, t1);
    let sc_row3 = row_of(&sc, t3);
    let sc_tampered = m.filled(
        "区市场监管局",
        "sc-tampered.xlsx",
        &[
            (sc_row3, C_PROGRESS, Cell::Text("30%")),
            (sc_row3, C_REPORT, Cell::Text("完成存量政策清理")),
            (sc_row1, C_ID, Cell::Text("4")),
            (sc_row1, C_PROGRESS, Cell::Number(100.0)),
            (sc_row1, C_REPORT, Cell::Text("已完成")),
        ],
    );
    let sc_good = m.filled(
        "区市场监管局",
        "sc-good.xlsx",
        &[
            (sc_row3, C_PROGRESS, Cell::Text("30%")),
            (sc_row3, C_REPORT, Cell::Text("完成存量政策清理")),
        ],
    );
    // 区教育局: progress on #4, and progress on #5, which the office changes after the export
    // (a stale row).
    let jy_row4 = row_of(&jy, t4);
    let jy_row5 = row_of(&jy, t5);
    let jy_filled = m.filled(
        "区教育局",
        "jy-filled.xlsx",
        &[
            (jy_row4, C_PROGRESS, Cell::Number(50.0)),
            (jy_row4, C_REPORT, Cell::Text("检查培训机构 40 家")),
            (jy_row4, C_EXTEND_TO, Cell::Text("2026年8月底")),
            (jy_row4, C_REASON, Cell::Text("暑期集中整治后验收")),
            (jy_row5, C_PROGRESS, Cell::Number(40.0)),
            (jy_row5, C_REPORT, Cell::Text("办结 2 件")),
        ],
    );

    m.l.set_now(IMPORT_NOW);
    m.l.run_ok(&["update", &t5.to_string(), "--progress", "20"]);
    let mark = last_history_id(&m.l);
    let before = m.l.dump();

    // Without --apply: a preview per task, and nothing written.
    let preview = m.l.run_ok(&["import", sj_filled.to_str().unwrap()]);
    assert!(preview.contains("0% → 60%"), "{preview}");
    assert!(
        preview.contains("未启动") || preview.contains("todo"),
        "{preview}"
    );
    assert!(preview.contains("天宁司法〔2026〕3号"), "{preview}");
    assert!(preview.contains("--apply"), "{preview}");
    assert_eq!(m.l.dump(), before, "a preview writes nothing");

    // The tampered sheet is refused whole, with the row number; the ledger is unchanged.
    let f =
        m.l.fail(&["import", sc_tampered.to_str().unwrap(), "--apply"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains(&format!("row {}:", sc_row1 + 1)), "{f:?}");
    assert!(f.stderr.contains("hidden task id"), "{f:?}");
    assert!(
        !f.stderr.contains(&format!("row {}:", sc_row3 + 1)),
        "{f:?}"
    );
    assert_eq!(m.l.dump(), before);

    // The stale row is refused by name; without --skip-conflicts nothing is applied.
    let f =
        m.l.fail(&["import", jy_filled.to_str().unwrap(), "--apply"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("教育行政复议案件办理"), "{f:?}");
    assert!(f.stderr.contains("--skip-conflicts"), "{f:?}");
    assert_eq!(m.l.dump(), before);

    // Applied: 司法局 whole, 市场监管局 resent without the tampered row, 教育局 without #5.
    m.l.run_ok(&["import", sj_filled.to_str().unwrap(), "--apply"]);
    m.l.run_ok(&["import", sc_good.to_str().unwrap(), "--apply"]);
    let (out, err) = m.l.run_ok_err(&[
        "import",
        jy_filled.to_str().unwrap(),
        "--apply",
        "--skip-conflicts",
    ]);
    assert!(out.contains("1 tasks"), "{out}");
    assert!(err.contains(&format!("row {}", jy_row5 + 1)), "{err}");

    let by = |unit: &str| format!("{unit}（经 {} 导入）", common::USER);
    let s = |x: &str| Some(x.to_string());
    // Progress above 0 starts a task (issue 13): each first progress row comes with its
    // status row todo → doing, in the same change.
    let expected: Vec<Row> = vec![
        (
            t1,
            by("区司法局"),
            "status".into(),
            s("todo"),
            s("doing"),
            s("本期进展：已在 3 个执法部门试点\n佐证材料：天宁司法〔2026〕3号；https://example.gov.cn/zf/1"),
            s(EFFECTIVE),
        ),
        (
            t1,
            by("区司法局"),
            "progress".into(),
            s("0"),
            s("60"),
            s("本期进展：已在 3 个执法部门试点\n佐证材料：天宁司法〔2026〕3号；https://example.gov.cn/zf/1"),
            s(EFFECTIVE),
        ),
        // The 佐证材料 names become the task's evidence references, in the same change.
        (
            t1,
            by("区司法局"),
            "evidence".into(),
            None,
            s("天宁司法〔2026〕3号"),
            None,
            s(EFFECTIVE),
        ),
        (
            t1,
            by("区司法局"),
            "evidence".into(),
            None,
            s("https://example.gov.cn/zf/1"),
            None,
            s(EFFECTIVE),
        ),
        (
            t2,
            by("区司法局"),
            "status".into(),
            s("todo"),
            s("blocked"),
            s("存在问题：上级文件尚未出台"),
            s(EFFECTIVE),
        ),
        (
            t3,
            by("区市场监管局"),
            "status".into(),
            s("todo"),
            s("doing"),
            s("本期进展：完成存量政策清理"),
            s(EFFECTIVE),
        ),
        (
            t3,
            by("区市场监管局"),
            "progress".into(),
            s("0"),
            s("30"),
            s("本期进展：完成存量政策清理"),
            s(EFFECTIVE),
        ),
        (
            t4,
            by("区教育局"),
            "status".into(),
            s("todo"),
            s("doing"),
            s("本期进展：检查培训机构 40 家"),
            s(EFFECTIVE),
        ),
        (
            t4,
            by("区教育局"),
            "progress".into(),
            s("0"),
            s("50"),
            s("本期进展：检查培训机构 40 家"),
            s(EFFECTIVE),
        ),
        (
            t4,
            by("区教育局"),
            "extension_request".into(),
            s("2026-05-31"),
            s("2026-08-31"),
            s("暑期集中整治后验收"),
            s(EFFECTIVE),
        ),
    ];
    assert_eq!(history_after(&m.l, mark), expected);
    // show lists the references as the task's evidence, attached by the unit.
    let ev = m.l.show(t1)["evidence"].clone();
    let refs: Vec<&str> = ev
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reference"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        ["天宁司法〔2026〕3号", "https://example.gov.cn/zf/1"],
        "{ev}"
    );
    assert_eq!(ev[0]["actor"], by("区司法局"));
    // The stale task keeps the office's change only.
    assert_eq!(m.l.show(t5)["progress"], 20);
    m.l.run_ok(&["check"]);

    // The extension is pending, the deadline unchanged, until the office approves it.
    let t = m.l.show(t4);
    assert_eq!(t["deadline"], "2026-05-31");
    let req = &t["extension_requests"][0];
    assert_eq!(req["state"], "pending", "{t}");
    assert_eq!(req["deadline"], "2026-08-31");
    assert_eq!(req["actor"], by("区教育局"));
    m.l.run_ok(&["approve", &t4.to_string()]);
    assert_eq!(m.l.show(t4)["deadline"], "2026-08-31");
    assert_eq!(m.l.show(t4)["extension_requests"][0]["state"], "approved");

    // The same sheet again: every filled row's task has changed since, so all conflict.
    let f =
        m.l.fail(&["import", sj_filled.to_str().unwrap(), "--apply"]);
    assert_eq!(f.code, 1, "{f:?}");
}

#[test]
fn an_edited_grey_cell_and_bad_values_are_refused_by_row() {
    let m = month();
    let sj = m.sheet("区司法局");
    let r1 = row_of(&sj, m.t1);
    let r2 = row_of(&sj, m.t2);
    let edited = m.filled(
        "区司法局",
        "edited.xlsx",
        &[
            (r1, C_TITLE, Cell::Text("推行行政执法三项制度（已完成）")),
            (r1, C_PROGRESS, Cell::Number(100.0)),
            (r2, C_PROGRESS, Cell::Number(10.0)),
        ],
    );
    let before = m.l.dump();
    let f = m.l.fail(&["import", edited.to_str().unwrap(), "--apply"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(
        f.stderr.contains(&format!(
            "row {}: a locked (grey) column was edited: 任务",
            r1 + 1
        )),
        "{f:?}"
    );
    assert_eq!(m.l.dump(), before);

    // Bad values: a status a unit may not set, progress over 100, an extension without a
    // reason, done without saying what was done. Each row is named; nothing is written.
    let bad = m.filled(
        "区司法局",
        "bad.xlsx",
        &[
            (r1, C_STATUS, Cell::Text("已销号")),
            (r2, C_PROGRESS, Cell::Number(120.0)),
            (r2, C_EXTEND_TO, Cell::Text("2026-12-31")),
        ],
    );
    let f = m.l.fail(&["import", bad.to_str().unwrap()]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains(&format!("row {}:", r1 + 1)), "{f:?}");
    assert!(f.stderr.contains(&format!("row {}:", r2 + 1)), "{f:?}");
    assert_eq!(m.l.dump(), before);
    let done = m.filled(
        "区司法局",
        "done.xlsx",
        &[(r2, C_STATUS, Cell::Text("已完成"))],
    );
    let f =
        m.l.fail(&["--lang", "zh", "import", done.to_str().unwrap(), "--apply"]);
    assert!(f.stderr.contains("本期进展"), "{f:?}");
    let no_reason = m.filled(
        "区司法局",
        "noreason.xlsx",
        &[(r2, C_EXTEND_TO, Cell::Text("2026-12-31"))],
    );
    let f =
        m.l.fail(&["import", no_reason.to_str().unwrap(), "--apply"]);
    assert!(f.stderr.contains("needs a reason"), "{f:?}");
    assert_eq!(m.l.dump(), before);
}

#[test]
fn a_row_copied_from_another_units_sheet_and_another_ledgers_sheet_are_refused() {
    let m = month();
    // 区市场监管局's row of #1 pasted, hidden cells and all, into 区司法局's sheet: the
    // grey cells are the same task's, but the row was signed for another unit.
    let sc = m.sheet("区市场监管局");
    let sj = m.sheet("区司法局");
    let sc_rows = rows_of(&sc);
    let from = &sc_rows[row_of(&sc, m.t1) as usize];
    let r2 = row_of(&sj, m.t2);
    let leak =
        |c: u32| -> Cell { Cell::Text(Box::leak(from[c as usize].clone().into_boxed_str())) };
    let mut edits: Vec<(u32, u32, Cell)> = (0..18).map(|c| (r2, c, leak(c))).collect();
    edits.push((r2, C_PROGRESS, Cell::Number(80.0)));
    let copied = m.filled("区司法局", "copied.xlsx", &edits);
    let before = m.l.dump();
    let f = m.l.fail(&["import", copied.to_str().unwrap(), "--apply"]);
    assert!(f.stderr.contains(&format!("row {}:", r2 + 1)), "{f:?}");
    assert!(f.stderr.contains("another unit"), "{f:?}");
    assert_eq!(m.l.dump(), before);

    // A sheet of another ledger: refused whole before any row is looked at.
    let other = Ledger::init();
    other.add("别的台账的任务", &["--owner", "区司法局"]);
    let theirs = other.sibling("theirs.xlsx");
    other.run_ok(&[
        "export",
        "--fill",
        "--owner",
        "区司法局",
        "-o",
        theirs.to_str().unwrap(),
    ]);
    let f = m.l.fail(&["import", theirs.to_str().unwrap(), "--apply"]);
    f.check(1, &["another ledger"]);
    assert_eq!(m.l.dump(), before);
}

/// A sheet opened and saved by LibreOffice, filled, and saved by LibreOffice again imports
/// with its changes: the hidden columns, the hidden info sheet and the grey text survive.
#[test]
fn a_sheet_saved_by_libreoffice_still_imports() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        common::skip("LibreOffice (soffice) is not installed");
        return;
    };
    let mut m = month();
    let profile = tempfile::tempdir().unwrap();
    let folder = m.l.dir.path().to_path_buf();
    let convert = |from: &Path, dir: &str, ext: &str| -> PathBuf {
        let out = folder.join(dir);
        std::fs::create_dir_all(&out).unwrap();
        let st = std::process::Command::new(soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.path().display()
            ))
            .args(["--headless", "--convert-to", ext, "--outdir"])
            .arg(&out)
            .arg(from)
            .output()
            .unwrap();
        assert!(st.status.success(), "{st:?}");
        let p = out.join(from.with_extension(ext).file_name().unwrap());
        assert!(p.exists(), "LibreOffice wrote nothing: {st:?}");
        p
    };
    let once = convert(&m.sheet("区司法局"), "lo1", "xlsx");
    let r1 = row_of(&once, m.t1);
    let filled = m.l.sibling("lo-filled.xlsx");
    fill(
        &once,
        &filled,
        &[
            (r1, C_PROGRESS, Cell::Number(70.0)),
            (r1, C_REPORT, Cell::Text("试点扩大到 5 个部门")),
        ],
    );
    let twice = convert(&filled, "lo2", "xlsx");
    m.l.set_now(IMPORT_NOW);
    // Saved as OpenDocument (LibreOffice's own format), it reads the same.
    let ods = convert(&twice, "lo3", "ods");
    let preview = m.l.run_ok(&["import", ods.to_str().unwrap()]);
    assert!(preview.contains("0% → 70%"), "{preview}");
    let out = m.l.run_ok(&["import", twice.to_str().unwrap(), "--apply"]);
    assert!(out.contains("1 tasks"), "{out}");
    assert_eq!(m.l.show(m.t1)["progress"], 70);
}

/// A unit's 申请延期至 with its 延期理由 becomes a pending request (the month's round trip
/// shows it approved). A second request while one is pending, and one for continuous work,
/// are refused by row; nothing is written.
#[test]
fn extension_requests_from_a_sheet() {
    let mut m = month();
    let sj = m.sheet("区司法局");
    let r2 = row_of(&sj, m.t2);
    let asked = m.filled(
        "区司法局",
        "extension.xlsx",
        &[
            (r2, C_EXTEND_TO, Cell::Text("2026年12月底")),
            (r2, C_REASON, Cell::Text("上级文件尚未出台")),
        ],
    );
    m.l.set_now(IMPORT_NOW);
    // The preview shows the request with its day and reason.
    let preview = m.l.run_ok(&["import", asked.to_str().unwrap()]);
    assert!(preview.contains("2026-12-31"), "{preview}");
    assert!(preview.contains("上级文件尚未出台"), "{preview}");
    m.l.run_ok(&["import", asked.to_str().unwrap(), "--apply"]);
    let t = m.l.show(m.t2);
    assert_eq!(
        t["deadline"], "2026-09-30",
        "a request does not move the deadline"
    );
    assert_eq!(t["extension_requests"][0]["state"], "pending");

    // Next month's sheet asks again while the request is still pending.
    let again_dir = m.l.sibling("next");
    std::fs::create_dir(&again_dir).unwrap();
    m.l.run_ok(&[
        "--as-of",
        "2026-04-30",
        "export",
        "--fill",
        "--owner",
        "区司法局",
        "-o",
        again_dir.to_str().unwrap(),
    ]);
    let next = again_dir.join("区司法局.xlsx");
    let r2 = row_of(&next, m.t2);
    let again = m.l.sibling("again.xlsx");
    fill(
        &next,
        &again,
        &[
            (r2, C_EXTEND_TO, Cell::Text("2027-03-31")),
            (r2, C_REASON, Cell::Text("再次延期")),
        ],
    );
    let before = m.l.dump();
    let f = m.l.fail(&["import", again.to_str().unwrap(), "--apply"]);
    assert!(
        f.stderr.contains(&format!(
            "row {}: task #{} already has a pending extension request",
            r2 + 1,
            m.t2
        )),
        "{f:?}"
    );
    assert_eq!(m.l.dump(), before);
}

/// Wrong arguments to `export --fill` get one line that says what to give, and write nothing.
#[test]
fn export_fill_arguments_are_checked() {
    let m = month();
    let one = m.l.sibling("one.xlsx");
    let one_s = one.to_str().unwrap();
    m.l.fail(&["export", "--fill", "-o", one_s])
        .check(2, &["3 units", "--owner"]);
    m.l.fail(&["export", "--fill"]).check(2, &["-o dir"]);
    m.l.fail(&[
        "export",
        "--fill",
        "-o",
        m.l.sibling("x.csv").to_str().unwrap(),
    ])
    .check(2, &["neither an existing folder nor an .xlsx file"]);
    m.l.fail(&["export", "--fill", "--owner", "区财政局", "-o", one_s])
        .check(1, &["区财政局", "not the lead or a supporting unit"]);
    m.l.fail(&["export", "--fill", "--lead", "区司法局", "-o", one_s])
        .check(2, &["--owner unit"]);
    assert!(!one.exists());
    // A unit given by name gets its own file.
    let out =
        m.l.run_ok(&["export", "--fill", "--owner", "区教育局", "-o", one_s]);
    assert!(out.contains("2 tasks"), "{out}");
    assert_eq!(rows_of(&one)[1][1], "区教育局");
}

/// The clerk who imported a sheet can take it back with `undo`, although its changes are
/// recorded as the unit: the import was the clerk's command.
#[test]
fn the_importer_can_undo_an_imported_sheet() {
    let mut m = month();
    let sj = m.sheet("区司法局");
    let r1 = row_of(&sj, m.t1);
    let filled = m.filled(
        "区司法局",
        "undo.xlsx",
        &[
            (r1, C_PROGRESS, Cell::Number(40.0)),
            (r1, C_REPORT, Cell::Text("已试点")),
        ],
    );
    m.l.set_now(IMPORT_NOW);
    m.l.run_ok(&["import", filled.to_str().unwrap(), "--apply"]);
    assert_eq!(m.l.show(m.t1)["progress"], 40);
    let out = m.l.run_ok(&["undo", "--yes"]);
    assert!(out.contains("区司法局（经"), "{out}");
    assert_eq!(m.l.show(m.t1)["progress"], 0);
    m.l.run_ok(&["check"]);
}

/// `--on` names the day the sheet's changes took effect instead of the period end, like
/// every writing command; a day before the task's latest change is refused.
#[test]
fn on_overrides_the_period_end() {
    let mut m = month();
    let sj = m.sheet("区司法局");
    let r1 = row_of(&sj, m.t1);
    let filled = m.filled(
        "区司法局",
        "on.xlsx",
        &[(r1, C_PROGRESS, Cell::Number(45.0))],
    );
    m.l.set_now(IMPORT_NOW);
    let before = m.l.dump();
    m.l.fail(&[
        "--on",
        "2026-02-01",
        "import",
        filled.to_str().unwrap(),
        "--apply",
    ])
    .check(1, &["--on 2026-02-01"]);
    assert_eq!(m.l.dump(), before);
    let mark = last_history_id(&m.l);
    m.l.run_ok(&[
        "--on",
        "2026-04-02",
        "import",
        filled.to_str().unwrap(),
        "--apply",
    ]);
    let rows = history_after(&m.l, mark);
    // Progress and, since it starts the task, status.
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.6.as_deref() == Some("2026-04-02T00:00:00+08:00")),
        "{rows:?}"
    );
}

/// Units go by the register: a task that names a unit by an alias is in that unit's sheet,
/// `--owner` takes any of its names, and the sheet shows the current name.
#[test]
fn a_unit_is_found_by_any_of_its_names() {
    let m = month();
    let t8 = m.l.add(
        "司法所规范化建设",
        &["--owner", "司法局", "--co-owner", "教育局"],
    );
    m.l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    m.l.run_ok(&["unit", "alias", "区教育局", "教育局"]);
    let dir = m.l.sibling("alias");
    std::fs::create_dir(&dir).unwrap();
    let out = m.l.run_ok(&[
        "--as-of",
        PERIOD,
        "export",
        "--fill",
        "--owner",
        "司法局",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.contains("区司法局"), "{out}");
    let sheet = dir.join("区司法局.xlsx");
    let rows = rows_of(&sheet);
    let r8 = row_of(&sheet, t8) as usize;
    assert_eq!(
        rows[r8][2], "区司法局",
        "the lead unit under its current name"
    );
    assert_eq!(
        rows[r8][3], "区教育局",
        "the supporting unit under its current name"
    );
    assert_eq!(rows.len() - FIRST as usize, 3, "#1, #2 and #8");
    // Every unit's sheet: the alias is no unit of its own.
    let all = m.l.sibling("all");
    std::fs::create_dir(&all).unwrap();
    let out =
        m.l.run_ok(&["export", "--fill", "-o", all.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(!all.join("司法局.xlsx").exists());
}

/// Runs `taizhang ARGS` on a pty (through `script`) with `input` typed in, in English; None
/// where `script` is missing.
fn on_pty(l: &Ledger, args: &str, input: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    if Command::new("script").arg("--version").output().is_err() {
        common::skip("`script` (util-linux) is not installed, so no pty can be made");
        return None;
    }
    let line = format!(
        "'{}' --lang en --db '{}' {args}",
        env!("CARGO_BIN_EXE_taizhang"),
        l.path.display()
    );
    let mut c = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("TAIZHANG_NOW", &l.now)
        .env("TAIZHANG_USER", common::USER)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run script");
    c.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let o = c.wait_with_output().unwrap();
    Some(String::from_utf8_lossy(&o.stdout).replace('\r', ""))
}

#[test]
fn the_import_asks_on_a_terminal() {
    let mut m = month();
    let r1 = row_of(&m.sheet("区司法局"), m.t1);
    let f = m.filled(
        "区司法局",
        "sj-asked.xlsx",
        &[
            (r1, C_PROGRESS, Cell::Number(60.0)),
            (r1, C_REPORT, Cell::Text("已试点")),
        ],
    );
    m.l.set_now(IMPORT_NOW);
    let before = m.l.dump();
    let arg = format!("import '{}'", f.display());
    // Answered no: the preview and the question, nothing written.
    let Some(no) = on_pty(&m.l, &arg, "n\n") else {
        return;
    };
    assert!(no.contains("0% → 60%"), "{no}");
    assert!(no.contains("Apply these changes? [y/N]"), "{no}");
    assert_eq!(m.l.dump(), before, "{no}");
    // Not a terminal: the preview only, as before, and no question.
    let piped = m.l.run_ok(&["import", f.to_str().unwrap()]);
    assert!(!piped.contains("[y/N]"), "{piped}");
    assert_eq!(m.l.dump(), before);
    // Answered yes: applied, as with --apply.
    let yes = on_pty(&m.l, &arg, "y\n").unwrap();
    assert!(yes.contains("Imported the fill sheet"), "{yes}");
    assert_eq!(m.l.show(m.t1)["progress"], 60);
    m.l.run_ok(&["check"]);
}

/// The lead (区司法局) and a supporting unit (区市场监管局) both report on #1 in one month.
fn two_units_on_one_task(
    m: &Month,
    sj_edits: &[(u32, u32, Cell)],
    sc_edits: &[(u32, u32, Cell)],
) -> (PathBuf, PathBuf) {
    let sj = m.filled("区司法局", "sj-both.xlsx", sj_edits);
    let sc = m.filled("区市场监管局", "sc-both.xlsx", sc_edits);
    (sj, sc)
}

#[test]
fn another_units_note_does_not_make_a_row_stale() {
    let mut m = month();
    let sj_row = row_of(&m.sheet("区司法局"), m.t1);
    let sc_row = row_of(&m.sheet("区市场监管局"), m.t1);
    let (sj, sc) = two_units_on_one_task(
        &m,
        &[(sj_row, C_REPORT, Cell::Text("牵头制定实施方案"))],
        &[
            (sc_row, C_PROGRESS, Cell::Number(40.0)),
            (sc_row, C_REPORT, Cell::Text("配合完成市场领域试点")),
        ],
    );
    m.l.set_now(IMPORT_NOW);
    m.l.run_ok(&["import", sj.to_str().unwrap(), "--apply"]);
    // The lead's note came in after the export; the supporting unit's row changes progress,
    // which nobody else changed, so it applies.
    m.l.run_ok(&["import", sc.to_str().unwrap(), "--apply"]);
    assert_eq!(m.l.show(m.t1)["progress"], 40);
    m.l.run_ok(&["check"]);
}

#[test]
fn another_units_progress_still_makes_a_row_stale() {
    let mut m = month();
    let sj_row = row_of(&m.sheet("区司法局"), m.t1);
    let sc_row = row_of(&m.sheet("区市场监管局"), m.t1);
    let (sj, sc) = two_units_on_one_task(
        &m,
        &[
            (sj_row, C_PROGRESS, Cell::Number(60.0)),
            (sj_row, C_REPORT, Cell::Text("已在 3 个执法部门试点")),
        ],
        &[(sc_row, C_REPORT, Cell::Text("配合完成市场领域试点"))],
    );
    m.l.set_now(IMPORT_NOW);
    m.l.run_ok(&["import", sj.to_str().unwrap(), "--apply"]);
    // Progress and status changed since the export: the row was written against what the
    // unit saw then, so it is stale even though it only adds a note.
    let before = m.l.dump();
    let f = m.l.fail(&["import", sc.to_str().unwrap(), "--apply"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("推行行政执法三项制度"), "{f:?}");
    assert!(f.stderr.contains("--skip-conflicts"), "{f:?}");
    assert_eq!(m.l.dump(), before);
}

/// Evidence names a sheet brought are records of what the unit sent, kept like any attached
/// evidence: the import that attached them is not undone (one line, ledger unchanged).
#[test]
fn an_imported_sheet_with_evidence_names_is_not_undone() {
    let mut m = month();
    let r1 = row_of(&m.sheet("区司法局"), m.t1);
    let filled = m.filled(
        "区司法局",
        "undo-evidence.xlsx",
        &[
            (r1, C_PROGRESS, Cell::Number(40.0)),
            (r1, C_REPORT, Cell::Text("已试点")),
            (r1, C_EVIDENCE, Cell::Text("天宁司法〔2026〕3号")),
        ],
    );
    m.l.set_now(IMPORT_NOW);
    m.l.run_ok(&["import", filled.to_str().unwrap(), "--apply"]);
    let before = m.l.dump();
    let f = m.l.fail(&["undo", "--yes"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stderr.contains("evidence"), "{f:?}");
    assert_eq!(f.stderr.trim().lines().count(), 1, "{f:?}");
    assert_eq!(m.l.dump(), before);
}

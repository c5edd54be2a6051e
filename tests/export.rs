//! `taizhang export` end to end (issue 4): the yearly status as it stood at the year's end, in
//! CSV (read back with the csv crate), xlsx (read back with calamine), JSON, HTML and Markdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

const T2024: &str = "2024-11-01T10:00:00+08:00";
const T2025A: &str = "2025-03-01T09:00:00+08:00";
const T2025B: &str = "2025-05-10T09:00:00+08:00";
const T2025C: &str = "2025-06-01T09:00:00+08:00";
/// After the year's end, before anything changed in 2026.
const T2026: &str = "2026-01-05T09:00:00+08:00";

/// The ids of the tasks the 2025 export of `ledger_2025` holds, in order.
const IDS_2025: [i64; 14] = [2, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];

/// A ledger with a year of work, every change made in 2024 or 2025:
/// - 1 cancelled in 2024 and never reopened (plan year 2025, due 2025-06-30);
/// - 2 cancelled in 2024, reopened (doing) in 2025;
/// - 3–17 the reference report's achievements (2024), 18–20 its shortcomings S1–S3,
///   21–26 its commitments C1.1–C3.2; 21 addresses 18; 23 is blocked;
/// - 27 "落实行政执法三项制度": 区司法局 with 区城管局, due 2025-06-30, doing 40%, a note;
/// - 28 done (progress 100) in May; 29 continuous work; 30 a sub-task of 29 at 60%.
fn ledger_2025() -> Ledger {
    let mut l = Ledger::new().at(T2024);
    l.run_ok(&["init"]);
    assert_eq!(
        l.add(
            "已撤销的旧任务",
            &["--kind", "commitment", "--deadline", "2025-06-30"]
        ),
        1
    );
    l.run_ok(&["update", "1", "--status", "cancelled", "--note", "并入他项"]);
    assert_eq!(l.add("重新启动的任务", &["--kind", "task"]), 2);
    l.run_ok(&["update", "2", "--status", "cancelled", "--note", "暂缓"]);

    l.set_now(T2025A);
    l.run_ok(&["update", "2", "--status", "doing", "--note", "重新启动"]);
    l.run_ok(&[
        "import",
        fixture("tianning-2024-report.txt").to_str().unwrap(),
    ]);
    assert_eq!(
        l.add(
            "落实行政执法三项制度",
            &[
                "--kind",
                "承诺",
                "--owner",
                "区司法局",
                "--co-owner",
                "区城管局",
                "--deadline",
                "2025-06-30",
                "--area",
                "执法监督",
            ],
        ),
        27
    );
    l.run_ok(&["update", "27", "--status", "doing", "--progress", "40"]);
    l.run_ok(&["note", "27", "已完成案卷评查"]);
    l.run_ok(&["link", "21", "--addresses", "18"]);
    l.run_ok(&["update", "23", "--status", "blocked"]);

    l.set_now(T2025B);
    assert_eq!(
        l.add(
            "推进合法性审查全覆盖",
            &[
                "--kind",
                "commitment",
                "--owner",
                "区司法局",
                "--area",
                "执法监督",
                "--deadline",
                "2025-09-30",
            ],
        ),
        28
    );
    l.run_ok(&["update", "28", "--progress", "100", "--note", "已完成"]);

    l.set_now(T2025C);
    assert_eq!(
        l.add(
            "常态化开展普法宣传",
            &["--continuous", "--owner", "区普法办"]
        ),
        29
    );
    assert_eq!(
        l.add(
            "镇街普法阵地建设",
            &["--parent", "29", "--owner", "区普法办"]
        ),
        30
    );
    l.run_ok(&["update", "30", "--progress", "60"]);

    l.set_now(T2026);
    l.checkpoint();
    l
}

fn s(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_default()
}

fn kind_word(k: &str, zh: bool) -> &'static str {
    match (k, zh) {
        ("commitment", false) => "commitment",
        ("shortcoming", false) => "shortcoming",
        ("achievement", false) => "achievement",
        ("task", false) => "task",
        ("commitment", true) => "承诺",
        ("shortcoming", true) => "短板",
        ("achievement", true) => "成效",
        ("task", true) => "任务",
        _ => panic!("kind {k}"),
    }
}

fn status_word(st: &str, zh: bool) -> &'static str {
    match (st, zh) {
        ("todo", false) => "todo",
        ("doing", false) => "doing",
        ("blocked", false) => "blocked",
        // A done task awaits 销号 by a second person (issue 13).
        ("done", false) => "done, to verify",
        ("verified", false) => "verified",
        ("cancelled", false) => "cancelled",
        ("todo", true) => "未启动",
        ("doing", true) => "推进中",
        ("blocked", true) => "受阻",
        ("done", true) => "待销号",
        ("verified", true) => "已销号",
        ("cancelled", true) => "已取消",
        _ => panic!("status {st}"),
    }
}

// Issue 17 added 计划年度, 原定时限, 延期 and 完成时间 (the workbook's own column before).
const HEAD_ZH: [&str; 19] = [
    "序号",
    "来源",
    "类型",
    "领域",
    "任务",
    "牵头单位",
    "配合单位",
    "计划年度",
    "原定时限",
    "完成时限",
    "延期",
    "状态",
    "进度",
    "完成时间",
    "逾期",
    "最新进展",
    "责任人",
    "申请延期",
    "佐证材料",
];
const HEAD_EN: [&str; 19] = [
    "No.",
    "Ref",
    "Kind",
    "Area",
    "Title",
    "Owner",
    "Co-owners",
    "Plan year",
    "Original deadline",
    "Deadline",
    "Extended",
    "Status",
    "Progress",
    "Completed",
    "Overdue",
    "Latest note",
    "Person",
    "Extension request",
    "Evidence",
];

/// The latest progress notes of `ledger_2025` at the end of 2025.
fn notes_2025() -> BTreeMap<i64, &'static str> {
    // 28's is the note its completion needs (issue 13: done needs a note).
    BTreeMap::from([(2, "重新启动"), (27, "已完成案卷评查"), (28, "已完成")])
}

/// The rows the export should hold, built from `list --format json` as of 2025-12-31.
fn expected_rows(
    l: &Ledger,
    zh: bool,
    ids: &[i64],
    notes: &BTreeMap<i64, &str>,
) -> Vec<Vec<String>> {
    let all = l.json(&["list", "--as-of", "2025-12-31"]);
    let by_id: BTreeMap<i64, &Value> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_i64().unwrap(), t))
        .collect();
    // 序号: 1, 2 … and a sub-task numbered under its parent (3.1), when its parent is a row.
    let mut numbers: BTreeMap<i64, String> = BTreeMap::new();
    let mut kids: BTreeMap<i64, usize> = BTreeMap::new();
    let mut top = 0;
    ids.iter()
        .map(|id| {
            let t = by_id[id];
            let number = match t["parent_id"].as_i64().filter(|p| numbers.contains_key(p)) {
                Some(p) => {
                    let k = kids.entry(p).or_default();
                    *k += 1;
                    format!("{}.{k}", numbers[&p])
                }
                None => {
                    top += 1;
                    top.to_string()
                }
            };
            numbers.insert(*id, number.clone());
            // The completion stamp as a local time of the ledger's zone (Beijing here).
            let completed = t["completed_at"]
                .as_str()
                .map(|c| c[..19].replace('T', " "))
                .unwrap_or_default();
            let co: Vec<String> = t["co_owners"].as_array().unwrap().iter().map(s).collect();
            let deadline = match t["deadline"].as_str() {
                Some(d) => d.to_string(),
                None => if zh { "长期坚持" } else { "continuous" }.to_string(),
            };
            let overdue = match (t["overdue"].as_bool().unwrap(), zh) {
                (true, true) => "是",
                (true, false) => "yes",
                (false, _) => "",
            };
            vec![
                number,
                s(&t["ref"]),
                kind_word(t["kind"].as_str().unwrap(), zh).to_string(),
                s(&t["area"]),
                s(&t["title"]),
                s(&t["owner"]),
                co.join("、"),
                t["year"].to_string(),
                // No deadline of these ledgers moved: the first is the last.
                deadline.clone(),
                deadline,
                String::new(),
                status_word(t["status"].as_str().unwrap(), zh).to_string(),
                format!("{}%", t["progress"]),
                completed,
                overdue.to_string(),
                notes.get(id).copied().unwrap_or("").to_string(),
                s(&t["person"]),
                // No extension request is pending and no evidence attached in these ledgers.
                String::new(),
                String::new(),
            ]
        })
        .collect()
}

/// Parses CSV bytes that must start with the UTF-8 byte-order mark: (headers, rows).
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "CSV must start with the UTF-8 BOM: {:?}",
        &bytes[..bytes.len().min(8)]
    );
    assert!(
        !bytes[3..].starts_with(b"\xEF\xBB\xBF"),
        "exactly one byte-order mark"
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

fn export_bytes(l: &Ledger, args: &[&str]) -> Vec<u8> {
    let out = l.cmd().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn csv_equals_the_ledger_for_the_year() {
    let l = ledger_2025();
    for (lang, zh) in [("en", false), ("zh", true)] {
        let bytes = export_bytes(
            &l,
            &[
                "--lang", lang, "export", "--year", "2025", "--format", "csv",
            ],
        );
        let (headers, rows) = read_csv(&bytes);
        assert_eq!(headers, if zh { HEAD_ZH } else { HEAD_EN });
        let want = expected_rows(&l, zh, &IDS_2025, &notes_2025());
        assert_eq!(rows.len(), want.len(), "{rows:#?}");
        for (got, want) in rows.iter().zip(&want) {
            assert_eq!(got, want);
        }
    }
}

#[test]
fn csv_pins_known_rows() {
    let l = ledger_2025();
    let bytes = export_bytes(
        &l,
        &[
            "--lang", "zh", "export", "--year", "2025", "--format", "csv",
        ],
    );
    let (_, rows) = read_csv(&bytes);
    let row = |title: &str| -> Vec<String> {
        rows.iter()
            .find(|r| r[4] == title)
            .unwrap_or_else(|| panic!("no row {title}: {rows:#?}"))
            .clone()
    };
    assert_eq!(
        row("落实行政执法三项制度"),
        [
            "11",
            "2025-T3",
            "承诺",
            "执法监督",
            "落实行政执法三项制度",
            "区司法局",
            "区城管局",
            "2025",
            "2025-06-30",
            "2025-06-30",
            "",
            "推进中",
            "40%",
            "",
            "是",
            "已完成案卷评查",
            "",
            "",
            ""
        ]
    );
    assert_eq!(
        row("推进合法性审查全覆盖")[7..15],
        [
            "2025",
            "2025-09-30",
            "2025-09-30",
            "",
            "待销号",
            "100%",
            "2025-05-10 09:00:00",
            ""
        ]
    );
    let parent = row("常态化开展普法宣传");
    // The sub-task at 60% has started, and so has its parent (issue 13: status follows the
    // work; it read 未启动 before).
    assert_eq!(parent[9..13], ["长期坚持", "", "推进中", "60%"]);
    // The sub-task comes right under its parent, numbered under it (issue 17).
    let kid = row("镇街普法阵地建设");
    assert_eq!((kid[0].as_str(), kid[12].as_str()), ("13.1", "60%"));
    assert_eq!(parent[0], "13");
    let s1 = row("法治政府建设深度有待进一步拓展，亮点、难点工作仍需突破");
    assert_eq!(s1[..4], ["2", "2024-S1", "短板", "存在的不足"]);
    assert_eq!(s1[9..15], ["2025-12-31", "", "未启动", "0%", "", ""]);
    assert_eq!(
        row("自觉把改革摆在更加突出的位置，贯彻法治理念，深化数字化和一体化建设，推进政府职能更加优化协同高效")[11],
        "受阻"
    );
    // Neither the task cancelled in 2024 nor the 2024 achievements are in 2025.
    assert!(rows.iter().all(|r| r[4] != "已撤销的旧任务"));
    assert!(rows.iter().all(|r| r[2] != "成效"));
    assert_eq!(row("重新启动的任务")[11], "推进中");
}

#[test]
fn csv_to_a_file_is_the_same_as_stdout() {
    let l = ledger_2025();
    let stdout = export_bytes(&l, &["export", "--year", "2025", "--format", "csv"]);
    let p = l.sibling("status-2025.csv");
    let out = l.run_ok(&["export", "--year", "2025", "-o", p.to_str().unwrap()]);
    assert!(out.is_empty(), "nothing on stdout with -o: {out}");
    let file = std::fs::read(&p).unwrap();
    assert_eq!(file, stdout);
    // --format wins over the extension.
    let p2 = l.sibling("status.txt");
    l.run_ok(&[
        "export",
        "--year",
        "2025",
        "--format",
        "csv",
        "-o",
        p2.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&p2).unwrap(), stdout);
    // No temporary file is left beside the output.
    let mut names: Vec<String> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("taizhang.db"))
        .collect();
    names.sort();
    assert_eq!(names, ["status-2025.csv", "status.txt"]);
}

#[test]
fn csv_defuses_formula_text() {
    let l = ledger_2025();
    let titles = [
        "=HYPERLINK(\"http://evil\",\"x\")",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t制表符开头",
    ];
    for t in titles {
        l.json(&["add", "--kind", "commitment", "--", t]);
    }
    l.add("落实=制度", &[]);
    let id = l.add("有注入进展的任务", &[]);
    l.run_ok(&["note", &id.to_string(), "=1+2"]);
    l.run_ok(&["note", &id.to_string(), "--", "-2"]);
    let bytes = export_bytes(&l, &["export", "--year", "2026", "--format", "csv"]);
    let (_, rows) = read_csv(&bytes);
    let got: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    for t in titles {
        let want = format!("'{t}");
        assert!(got.contains(&want.as_str()), "{want:?} not in {got:?}");
        assert!(!got.contains(&t), "{t:?} came out raw");
    }
    let noted = rows.iter().find(|r| r[4] == "有注入进展的任务").unwrap();
    assert_eq!(noted[15], "'-2");
    // Text that merely contains = further in is left alone.
    assert!(got.contains(&"落实=制度"), "{got:?}");
}

/// A calamine cell as the text the CSV would hold (numbers as numbers).
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        // Deadlines and completion days are date cells (issue 17): compared as ISO dates.
        Data::DateTime(d) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            (epoch + chrono::Duration::days(d.as_f64() as i64)).to_string()
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

fn check_workbook<R: std::io::Read + std::io::Seek>(wb: &mut Xlsx<R>, l: &Ledger) {
    assert_eq!(wb.sheet_names(), ["台账", "汇总"]);
    let range = wb.worksheet_range("台账").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let head: Vec<String> = rows[0].iter().map(cell_text).collect();
    // The export's columns, 完成时间 among them (issue 17).
    assert_eq!(head, HEAD_ZH);
    let want = expected_rows(l, true, &IDS_2025, &notes_2025());
    assert_eq!(rows.len() - 1, want.len());
    for (got, want) in rows[1..].iter().zip(&want) {
        assert_eq!(got.len(), 19);
        // 序号 is a number for a task and text for a sub-task ("13.1"), 计划年度 a number,
        // 进度 a fraction formatted as a percentage.
        match want[0].parse::<u32>().map(f64::from) {
            Ok(n) => assert_eq!(got[0], Data::Float(n), "{want:?}"),
            Err(_) => assert_eq!(got[0], Data::String(want[0].clone()), "{want:?}"),
        }
        let pct: f64 = want[12].trim_end_matches('%').parse().unwrap();
        match &got[12] {
            Data::Float(f) => assert!((f - pct / 100.0).abs() < 1e-9, "{f} vs {pct}"),
            other => panic!("progress is not a number: {other:?}"),
        }
        let text: Vec<String> = got.iter().map(cell_text).collect();
        assert_eq!(text[1..12], want[1..12]);
        // 完成时间 is a date cell: its day.
        assert_eq!(text[13], want[13].get(..10).unwrap_or_default());
        assert_eq!(text[14..], want[14..]);
    }
    let p27 = rows[11];
    assert_eq!(cell_text(&p27[4]), "落实行政执法三项制度");
    assert_eq!(p27[12], Data::Float(0.4));

    let summary = wb.worksheet_range("汇总").unwrap();
    let srows: Vec<Vec<String>> = summary
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    // The title, then the header lines (a ledger without a name has no 填报单位 line).
    assert_eq!(srows[0][0], "2025年度法治政府建设任务完成情况");
    assert_eq!(srows[1][0], "年度：2025");
    assert_eq!(srows[2][0], "统计截至：2025-12-31");
    assert_eq!(
        srows[3][0],
        "纲要期间：法治政府建设实施纲要（2021—2025年） 2021-2025（收官之年）"
    );
    let area = srows
        .iter()
        .find(|r| r[0] == "执法监督")
        .expect("a row for the area 执法监督");
    // total 2, completion 50%, mean progress 70%, overdue 1.
    assert_eq!(area[1..5], ["2", "0.5", "0.7", "1"]);
    let total = srows.iter().find(|r| r[0] == "合计").expect("total row");
    // Per unit too, each table with its total.
    assert!(srows.iter().any(|r| r[0] == "牵头单位"), "{srows:?}");
    assert_eq!(srows.iter().filter(|r| r[0] == "合计").count(), 2);
    assert_eq!(total[1], "14");
}

#[test]
fn xlsx_file_holds_the_same_rows() {
    let l = ledger_2025();
    let p = l.sibling("台账2025.xlsx");
    let out = l.run_ok(&[
        "--lang",
        "zh",
        "export",
        "--year",
        "2025",
        "-o",
        p.to_str().unwrap(),
    ]);
    assert!(out.is_empty());
    let bytes = std::fs::read(&p).unwrap();
    assert!(bytes.starts_with(b"PK"));
    let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
    check_workbook(&mut wb, &l);
}

#[test]
fn xlsx_to_a_pipe_works() {
    let l = ledger_2025();
    let bytes = export_bytes(
        &l,
        &[
            "--lang", "zh", "export", "--year", "2025", "--format", "xlsx",
        ],
    );
    assert!(bytes.starts_with(b"PK\x03\x04"), "{:?}", &bytes[..4]);
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    check_workbook(&mut wb, &l);
}

#[test]
fn xlsx_sheet_names_follow_the_language() {
    let l = ledger_2025();
    let bytes = export_bytes(
        &l,
        &[
            "--lang", "en", "export", "--year", "2025", "--format", "xlsx",
        ],
    );
    let mut wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Ledger", "Summary"]);
    let range = wb.worksheet_range("Ledger").unwrap();
    let head: Vec<String> = range.rows().next().unwrap().iter().map(cell_text).collect();
    assert_eq!(head, HEAD_EN);
}

fn export_json(l: &Ledger, extra: &[&str]) -> Value {
    let mut args = vec!["export", "--format", "json"];
    args.extend_from_slice(extra);
    let out = l.run_ok(&args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON {e}: {out}"))
}

fn row_ids(rows: &Value) -> Vec<i64> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

fn row_of(v: &Value, id: i64) -> Value {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("task {id} not in the export"))
}

#[test]
fn json_matches_the_ledger() {
    let l = ledger_2025();
    let v = export_json(&l, &["--year", "2025"]);
    assert_eq!(v["schema_version"], 2);
    let h = &v["header"];
    assert_eq!(h["year"], 2025);
    assert_eq!(h["as_of"], "2025-12-31");
    assert_eq!(h["outline"], "2021-2025");
    assert_eq!(h["closing_year"], true);
    assert_eq!(h["generated_at"], T2026);
    assert_eq!(h["ledger"], l.path.display().to_string());

    assert_eq!(row_ids(&v["tasks"]), IDS_2025);
    let nos: Vec<u64> = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["no"].as_u64().unwrap())
        .collect();
    assert_eq!(nos, (1..=14).collect::<Vec<u64>>());

    let sm = &v["summary"];
    assert_eq!(sm["total"], 14);
    assert_eq!(
        sm["by_status"],
        json!({"todo": 8, "doing": 4, "blocked": 1, "done": 1, "verified": 0, "cancelled": 0})
    );
    assert_eq!(
        sm["by_kind"],
        json!({"commitment": 8, "shortcoming": 3, "achievement": 0, "task": 3})
    );
    // 1 of 14 finished; overdue at 2025-12-31: only 27 (due 2025-06-30, doing).
    assert_eq!(sm["completion_rate"], 7.1);
    assert_eq!(sm["overdue"], 1);
    // (40 + 100 + 60 + 60) / 14 = 18.57…
    assert_eq!(sm["progress"], 18.6);

    // The counts agree with the rows.
    let tasks = v["tasks"].as_array().unwrap();
    for st in ["todo", "doing", "blocked", "done", "verified", "cancelled"] {
        let n = tasks.iter().filter(|r| r["status"] == st).count();
        assert_eq!(sm["by_status"][st], n, "{st}");
    }
    assert_eq!(tasks.iter().filter(|r| r["overdue"] == true).count(), 1);

    let t27 = row_of(&v, 27);
    // Added by hand: its ref was given on creation (issue 17).
    assert_eq!(t27["ref"], "2025-T3");
    assert_eq!(t27["kind"], "commitment");
    assert_eq!(t27["owner"], "区司法局");
    assert_eq!(t27["co_owners"], json!(["区城管局"]));
    assert_eq!(t27["deadline"], "2025-06-30");
    assert_eq!(t27["status"], "doing");
    assert_eq!(t27["progress"], 40);
    assert_eq!(t27["overdue"], true);
    assert_eq!(t27["latest_note"], "已完成案卷评查");
    assert_eq!(row_of(&v, 29)["deadline"], Value::Null);
    assert_eq!(row_of(&v, 29)["progress"], 60);

    let area = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "执法监督")
        .unwrap()
        .clone();
    assert_eq!(area["total"], 2);
    assert_eq!(area["completion_rate"], 50.0);
    assert_eq!(area["progress"], 70.0);
    assert_eq!(area["overdue"], 1);
    let area_names: Vec<Value> = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].clone())
        .collect();
    assert_eq!(
        area_names,
        // In the report's order, the tasks without an area last (issue 17).
        vec![
            "存在的不足".into(),
            "强化统筹，加力建设法治政府".into(),
            "深化改革，持续转变政府职能".into(),
            "活化路径，提升满意度获得感".into(),
            "执法监督".into(),
            Value::Null,
        ]
    );
    let areas_total: u64 = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["total"].as_u64().unwrap())
        .sum();
    assert_eq!(areas_total, 14);
    let owner = v["owners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "区司法局")
        .unwrap()
        .clone();
    assert_eq!(owner["total"], 2);

    // Shortcomings: S1 is addressed by C1.1; S2 and S3 by nothing.
    let sc = v["shortcomings"].as_array().unwrap();
    let refs: Vec<String> = sc.iter().map(|x| s(&x["shortcoming"]["ref"])).collect();
    assert_eq!(refs, ["2024-S1", "2024-S2", "2024-S3"]);
    assert_eq!(row_ids(&sc[0]["addressed_by"]), [21]);
    assert_eq!(sc[0]["addressed_by"][0]["ref"], "2025-C1.1");
    assert_eq!(sc[0]["addressed_by"][0]["status"], "todo");
    assert_eq!(sc[1]["addressed_by"], json!([]));
    assert_eq!(sc[2]["addressed_by"], json!([]));
    assert_eq!(v["unaddressed"], json!(["2024-S2", "2024-S3"]));
}

#[test]
fn closing_year_is_only_the_outline_end() {
    let l = ledger_2025();
    let v = export_json(&l, &["--year", "2024"]);
    assert_eq!(v["header"]["closing_year"], false);
    assert_eq!(v["header"]["as_of"], "2024-12-31");
    // In 2024 only the two tasks created then existed, and the 2024 achievements of the
    // report imported in 2025, which took effect on 31 December 2024 (issue 12); 1 and 2 were
    // cancelled in 2024 but open for part of it.
    let ids = row_ids(&v["tasks"]);
    assert_eq!(ids[..2], [1, 2]);
    for id in &ids[2..] {
        assert_eq!(row_of(&v, *id)["kind"], "achievement", "{id}");
    }
    assert_eq!(row_of(&v, 1)["status"], "cancelled");
    // A ledger for the next outline.
    let n = Ledger::init();
    n.run_ok(&["init", "--outline", "2026-2030"]);
    let v = export_json(&n, &["--year", "2030"]);
    assert_eq!(v["header"]["closing_year"], true);
    assert_eq!(v["header"]["outline"], "2026-2030");
    let v = export_json(&n, &["--year", "2025"]);
    assert_eq!(v["header"]["closing_year"], false);
}

#[test]
fn html_is_self_contained() {
    let l = ledger_2025();
    for lang in ["zh", "en"] {
        let out = l.run_ok(&[
            "--lang", lang, "export", "--year", "2025", "--format", "html",
        ]);
        assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
        for bad in [
            "http://", "https://", "src=", "<script", "<link", "url(", "@import", "<iframe",
            "<object",
        ] {
            assert!(
                !out.to_lowercase().contains(bad),
                "{lang}: HTML holds {bad:?}"
            );
        }
        // One bar per area (6) and per owner (3), drawn inline.
        assert_eq!(out.matches("<svg").count(), 9, "{out}");
        assert!(out.contains("落实行政执法三项制度"));
        assert!(out.contains("2024-S2"));
        assert!(out.trim_end().ends_with("</html>"));
    }
    let zh = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "html",
    ]);
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    assert!(zh.contains("<th>最新进展</th>"));
}

#[test]
fn html_escapes_user_text() {
    let l = ledger_2025();
    l.json(&[
        "add",
        "<script>alert(1)</script> & <img src=x>",
        "--kind",
        "commitment",
    ]);
    let out = l.run_ok(&["export", "--year", "2026", "--format", "html"]);
    assert!(!out.contains("<script"), "{out}");
    assert!(!out.contains("<img"), "{out}");
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x&gt;"));
}

#[test]
fn markdown_has_the_area_table_and_the_rows() {
    let l = ledger_2025();
    let out = l.run_ok(&["--lang", "zh", "export", "--year", "2025", "--format", "md"]);
    assert!(
        out.starts_with("# 2025年度法治政府建设任务完成情况\n"),
        "{out}"
    );
    assert!(out.contains("\n## 分领域情况\n"), "{out}");
    assert!(
        out.contains("| 领域 | 任务数 | 完成率 | 平均进度 | 逾期 |\n|---|---:|---:|---:|---:|\n")
    );
    for line in [
        "| 存在的不足 | 3 | 0.0% | 0.0% | 0 |",
        "| 强化统筹，加力建设法治政府 | 2 | 0.0% | 0.0% | 0 |",
        "| 执法监督 | 2 | 50.0% | 70.0% | 1 |",
        "| 14 | 7.1% | 18.6% | 1 | 8 | 4 | 1 | 1 | 0 | 0 |",
        "| 序号 | 来源 | 类型 | 领域 | 任务 | 牵头单位 | 配合单位 | 计划年度 | 原定时限 | 完成时限 | 延期 | 状态 | 进度 | 完成时间 | 逾期 | 最新进展 | 责任人 | 申请延期 | 佐证材料 |",
        "| 11 | 2025-T3 | 承诺 | 执法监督 | 落实行政执法三项制度 | 区司法局 | 区城管局 | 2025 | 2025-06-30 | 2025-06-30 |  | 推进中 | 40% |  | 是 | 已完成案卷评查 |  |  |  |",
        "| 2 | 2024-S1 | 短板 | 存在的不足 | 法治政府建设深度有待进一步拓展，亮点、难点工作仍需突破 |  |  | 2025 | 2025-12-31 | 2025-12-31 |  | 未启动 | 0% |  |  |  |  |  |  |",
        // Indented to the parent item's content column, four in (issue 17).
        "    -   2025-C1.1 持续推动党政主要负责人履行推进法治建设第一责任人职责，贯彻落实《纲要》及其实施方案和年度要点，加快推进法治政府建设各项任务（未启动，0%，时限 2025-12-31）",
        "尚无整改措施的短板：2024-S2、2024-S3",
    ] {
        assert!(out.lines().any(|l| l == line), "missing line {line:?} in\n{out}");
    }
    // One task row per task.
    let rows = out
        .lines()
        .filter(|l| l.starts_with("| ") && l.split(" | ").count() == 19)
        .count();
    assert_eq!(rows, 1 + 14, "{out}");
}

/// `ledger_2025` and then, in 2026: a new task (plan year 2025), task 27 extended, handed to
/// another owner and finished, the sub-task 30 finished, 22 linked to S2, 21 unlinked from S1.
fn ledger_changed_in_2026() -> Ledger {
    let mut l = ledger_2025();
    l.set_now("2026-01-15T09:00:00+08:00");
    assert_eq!(l.add("2026年新增任务", &["--kind", "commitment"]), 31);
    l.set_now("2026-02-01T09:00:00+08:00");
    l.run_ok(&[
        "update",
        "27",
        "--deadline",
        "2026-03-31",
        "--note",
        "项目审批延后，申请延期",
    ]);
    l.run_ok(&["update", "27", "--owner", "区市场监管局"]);
    l.run_ok(&["update", "27", "--status", "done", "--note", "已完成"]);
    l.run_ok(&["update", "30", "--progress", "100", "--note", "已完成"]);
    l.run_ok(&["link", "22", "--addresses", "19"]);
    l.run_ok(&["unlink", "21", "--addresses", "18"]);
    l.set_now("2026-02-10T09:00:00+08:00");
    l
}

#[test]
fn export_shows_the_year_as_it_stood() {
    let l = ledger_changed_in_2026();
    // Today the task is done, elsewhere, later.
    let now = l.show(27);
    assert_eq!(
        (s(&now["status"]), s(&now["owner"]), s(&now["deadline"])),
        ("done".into(), "区市场监管局".into(), "2026-03-31".into())
    );

    let v = export_json(&l, &["--year", "2025"]);
    assert_eq!(v["header"]["as_of"], "2025-12-31");
    assert_eq!(
        row_ids(&v["tasks"]),
        IDS_2025,
        "the task created in 2026 is out"
    );
    let t = row_of(&v, 27);
    assert_eq!(t["status"], "doing");
    assert_eq!(t["progress"], 40);
    assert_eq!(t["owner"], "区司法局");
    assert_eq!(t["deadline"], "2025-06-30");
    assert_eq!(t["overdue"], true);
    assert_eq!(t["completed_at"], Value::Null);
    assert_eq!(t["latest_note"], "已完成案卷评查");
    assert_eq!(row_of(&v, 30)["progress"], 60);
    assert_eq!(row_of(&v, 29)["progress"], 60);
    assert_eq!(row_ids(&v["shortcomings"][0]["addressed_by"]), [21]);
    assert_eq!(v["shortcomings"][1]["addressed_by"], json!([]));
    assert_eq!(v["unaddressed"], json!(["2024-S2", "2024-S3"]));
    assert_eq!(v["summary"]["by_status"]["done"], 1);
    assert_eq!(v["summary"]["overdue"], 1);

    // The same in the CSV.
    let bytes = export_bytes(&l, &["export", "--year", "2025", "--format", "csv"]);
    let (_, rows) = read_csv(&bytes);
    assert_eq!(rows.len(), 14);
    assert_eq!(
        rows[10][5..16],
        [
            "区司法局",
            "区城管局",
            "2025",
            "2025-06-30",
            "2025-06-30",
            "",
            "doing",
            "40%",
            "",
            "yes",
            "已完成案卷评查"
        ]
    );
    // Row for row what the unchanged ledger exports.
    let want = expected_rows(&ledger_2025(), false, &IDS_2025, &notes_2025());
    assert_eq!(rows, want);

    // --as-of after the changes shows them.
    let v = export_json(&l, &["--year", "2025", "--as-of", "2026-02-02"]);
    assert_eq!(v["header"]["as_of"], "2026-02-02");
    let t = row_of(&v, 27);
    assert_eq!(t["status"], "done");
    assert_eq!(t["progress"], 100);
    assert_eq!(t["owner"], "区市场监管局");
    assert_eq!(t["deadline"], "2026-03-31");
    assert_eq!(t["overdue"], false);
    // The note its completion needs is the latest (issue 13: done needs a note).
    assert_eq!(t["latest_note"], "已完成");
    assert!(s(&t["completed_at"]).starts_with("2026-02-01"), "{t}");
    assert_eq!(row_of(&v, 31)["title"], "2026年新增任务");
    assert_eq!(row_of(&v, 30)["progress"], 100);
    assert_eq!(v["shortcomings"][0]["addressed_by"], json!([]));
    assert_eq!(row_ids(&v["shortcomings"][1]["addressed_by"]), [22]);
    assert_eq!(v["unaddressed"], json!(["2024-S1", "2024-S3"]));
}

#[test]
fn cancelled_before_the_year_is_excluded_and_reopened_is_included() {
    let l = ledger_2025();
    let v = export_json(&l, &["--year", "2025"]);
    let ids = row_ids(&v["tasks"]);
    assert!(
        !ids.contains(&1),
        "cancelled in 2024, never reopened: {ids:?}"
    );
    assert!(
        ids.contains(&2),
        "cancelled in 2024, reopened in 2025: {ids:?}"
    );
    assert_eq!(row_of(&v, 2)["status"], "doing");
    // Still visible in the ledger itself.
    assert_eq!(l.show(1)["status"], "cancelled");
    assert_eq!(l.show(1)["year"], 2025);
}

#[test]
fn a_task_open_during_the_year_is_included() {
    // Plan year 2026 and due in 2026, created in 2025 and open then: it belongs to 2025 too.
    let mut l = ledger_2025();
    // Adding the period is a change too: it is made on the day of the adds after it, since a
    // change's recorded time never goes back behind the last change.
    l.set_now("2025-07-01T09:00:00+08:00");
    l.run_ok(&["outline", "add", "2026-2030"]);
    assert_eq!(
        l.add(
            "跨年度任务",
            &["--year", "2026", "--deadline", "2026-06-30"]
        ),
        31
    );
    // Finished in 2025 before the year ended: still part of 2025.
    assert_eq!(
        l.add(
            "年中完成的跨年任务",
            &["--year", "2026", "--deadline", "2026-06-30"]
        ),
        32
    );
    l.run_ok(&["update", "32", "--progress", "100", "--note", "已完成"]);
    l.set_now(T2026);
    let v = export_json(&l, &["--year", "2025"]);
    let ids = row_ids(&v["tasks"]);
    assert!(ids.contains(&31), "{ids:?}");
    assert!(ids.contains(&32), "{ids:?}");
    assert_eq!(row_of(&v, 32)["status"], "done");
}

#[test]
fn output_into_a_missing_folder_fails_and_writes_nothing() {
    let l = ledger_2025();
    let before = l.dump();
    let target = l.sibling("no-such-folder").join("status.csv");
    let f = l.fail(&["export", "--year", "2025", "-o", target.to_str().unwrap()]);
    f.check(1, &[]);
    assert!(!target.exists());
    assert!(!l.sibling("no-such-folder").exists());
    assert_eq!(l.dump(), before);
}

#[test]
fn export_never_changes_the_ledger() {
    let l = ledger_changed_in_2026();
    l.checkpoint();
    let before = l.dump();
    let bytes = l.bytes();
    for args in [
        vec!["export", "--year", "2025", "--format", "csv"],
        vec!["export", "--year", "2025", "--format", "json"],
        vec!["export", "--year", "2025", "--format", "md"],
        vec!["export", "--year", "2025", "--format", "html"],
        vec!["export", "--year", "2025", "--format", "xlsx"],
        vec![
            "export",
            "--year",
            "2025",
            "--as-of",
            "2026-02-02",
            "--format",
            "json",
        ],
        vec!["export", "--year", "2026"],
    ] {
        export_bytes(&l, &args);
    }
    let p = l.sibling("out.xlsx");
    l.run_ok(&["export", "--year", "2025", "-o", p.to_str().unwrap()]);
    assert_eq!(l.dump(), before, "export changed the ledger");
    assert!(l.bytes() == bytes, "export changed the ledger's bytes");
}

#[test]
fn export_of_a_missing_ledger_creates_nothing() {
    let l = Ledger::new();
    l.fail(&["export", "--year", "2025", "--format", "csv"])
        .check(1, &[]);
    assert!(!l.path.exists());
}

#[test]
fn unknown_output_extension_is_a_usage_error() {
    let l = ledger_2025();
    let p = l.sibling("status.odt");
    l.fail(&["export", "--year", "2025", "-o", p.to_str().unwrap()])
        .check(2, &[".odt"]);
    assert!(!p.exists());
}

#[test]
fn the_reference_report_alone_exports_its_2025_commitments() {
    let l = Ledger::init();
    l.run_ok(&[
        "import",
        "--link",
        fixture("tianning-2024-report.txt").to_str().unwrap(),
    ]);
    let mut l = l;
    l.set_now(T2026);
    let v = export_json(&l, &["--year", "2025"]);
    let refs: Vec<String> = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| s(&r["ref"]))
        .collect();
    assert_eq!(
        refs,
        [
            "2024-S1",
            "2024-S2",
            "2024-S3",
            "2025-C1.1",
            "2025-C1.2",
            "2025-C2.1",
            "2025-C2.2",
            "2025-C3.1",
            "2025-C3.2"
        ]
    );
    // Nothing was done in 2025: at year end all nine are overdue.
    assert_eq!(
        v["summary"]["overdue"], 0,
        "due 2025-12-31 is not overdue on 2025-12-31"
    );
    assert_eq!(v["unaddressed"], json!(["2024-S1", "2024-S2"]));
    assert_eq!(row_ids(&v["shortcomings"][2]["addressed_by"]), [23]);
    // Imported in 2025: of its items only the 2024 achievements stood in 2024 (issue 12).
    let v = export_json(&l, &["--year", "2024"]);
    let tasks = v["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 15, "the report's 2024 achievements");
    assert!(tasks.iter().all(|t| t["kind"] == "achievement"));
}

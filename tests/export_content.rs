//! Issue 17: one content model for the year export. Every task has a ref (hand-added tasks get
//! `<year>-T<n>` on creation, an older ledger gets them in the upgrade to version 15, `check`
//! names a task without one), and every format shows the same rows and columns.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

/// The JSON export of `year`.
fn export_json(l: &Ledger, year: &str) -> Value {
    let out = l.run_ok(&["export", "--year", year, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

/// A task added by hand gets `<plan year>-T<n>`, numbered per year, in `show`, in the export
/// (never "#id") and in JSON `unaddressed`.
#[test]
fn hand_added_tasks_get_a_ref_on_creation() {
    let l = Ledger::init();
    let a = l.add("案卷评查", &["--year", "2025"]);
    let b = l.add("涉企检查规范", &["--year", "2025"]);
    let c = l.add("上年度任务", &["--year", "2024"]);
    let s = l.add(
        "执法质量有待提升",
        &["--year", "2025", "--kind", "shortcoming"],
    );
    let given = l.add("有编号的任务", &["--year", "2025", "--ref", "2025-C1.1"]);
    let d = l.add("其后的任务", &["--year", "2025"]);
    let refs: Vec<Value> = [a, b, c, s, given, d]
        .iter()
        .map(|id| l.show(*id)["ref"].clone())
        .collect();
    assert_eq!(
        refs,
        [
            "2025-T1",
            "2025-T2",
            "2024-T1",
            "2025-T3",
            "2025-C1.1",
            "2025-T4"
        ],
        "{refs:?}"
    );
    let j = export_json(&l, "2025");
    assert_eq!(j["unaddressed"], serde_json::json!(["2025-T3"]), "{j}");
    let md = l.run_ok(&["export", "--year", "2025", "--format", "md"]);
    assert!(!md.contains(&format!("#{s}")), "{md}");
    assert!(md.contains("2025-T3"), "{md}");
    assert!(l.run_ok(&["check"]).contains("sound"));
}

/// A carried task keeps its ref: the 2026 export names it as before, with its plan year.
#[test]
fn a_carried_task_keeps_its_ref() {
    let mut l = Ledger::init().at("2025-12-31T17:00:00+08:00");
    let t = l.add("跨年任务", &["--year", "2025"]);
    assert_eq!(l.show(t)["ref"], "2025-T1");
    l.set_now("2026-01-05T09:00:00+08:00");
    l.run_ok(&["outline", "add", "2026-2030", "--name", "十五五"]);
    l.run_ok(&["carry-over", "--from", "2025"]);
    assert_eq!(l.show(t)["ref"], "2025-T1");
    assert_eq!(l.show(t)["year"], 2026);
    // A task added to 2026 afterwards is numbered in 2026.
    let n = l.add("新年度任务", &["--year", "2026"]);
    assert_eq!(l.show(n)["ref"], "2026-T1");
    assert!(l.run_ok(&["check"]).contains("sound"));
}

/// A ledger file's tasks without a ref get one on import, recorded so that `check` agrees.
#[test]
fn ledger_import_gives_ref_less_tasks_a_ref() {
    let l = Ledger::init();
    let file = l.sibling("in.jsonl");
    let src = Ledger::init();
    src.add("带编号", &["--year", "2025", "--ref", "2025-C9"]);
    src.add("手工", &["--year", "2025"]);
    // A file written before refs were given on creation: the second task's ref is dropped
    // (from the task line and from its creation row).
    let text = src.run_ok(&["export", "--format", "jsonl"]);
    let text = text
        .replace(r#""ref":"2025-T1","#, "")
        .replace(r#"\"ref\":\"2025-T1\","#, "");
    assert!(!text.contains("2025-T1"), "{text}");
    std::fs::write(&file, text).unwrap();
    l.run_ok(&["import", file.to_str().unwrap()]);
    let refs: Vec<Value> = (1..=2).map(|id| l.show(id)["ref"].clone()).collect();
    assert_eq!(refs, ["2025-C9", "2025-T1"]);
    assert!(l.run_ok(&["check"]).contains("sound"));
}

/// The upgrade of a version-4 ledger gives its two hand-added tasks 2025-T1 and 2025-T2, the
/// replay agrees (`check` is sound), and an export of the year names them by ref.
#[test]
fn the_upgrade_gives_older_tasks_refs() {
    let l = Ledger::new().at("2026-01-05T09:00:00+08:00");
    let fixture = format!("{}/fixtures/ledger-v4.db", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(fixture, &l.path).unwrap();
    // Writing upgrades the ledger.
    l.run_ok(&["note", "1", "升级后的第一条进展"]);
    assert_eq!(l.show(25)["ref"], "2025-T1");
    assert_eq!(l.show(26)["ref"], "2025-T2");
    let out = l.run_ok(&["check"]);
    assert!(out.contains("sound"), "{out}");
    // The ref takes effect when the task was created: an export as of an earlier day
    // names the task by it too.
    let j = export_json(&l, "2025");
    let refs: Vec<&str> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["ref"].as_str())
        .collect();
    assert!(refs.contains(&"2025-T1"), "{refs:?}");
    assert!(j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["ref"].is_string()));
}

/// `check` names a task without a ref (the ledger was changed outside taizhang).
#[test]
fn check_reports_a_task_without_a_ref() {
    let l = Ledger::init();
    let id = l.add("手工", &["--year", "2025"]);
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    conn.execute("UPDATE task SET ref = NULL WHERE id = ?1", [id])
        .unwrap();
    drop(conn);
    let f = l.fail(&["check"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stdout.contains("have no ref (#1)"), "{f:?}");
}

/// A parent (1), an unrelated task (2), then the parent's sub-task (3, without an area):
/// the sub-task comes right under its parent as 1.1 and holds the parent's area; the
/// unrelated task is 2.
fn family() -> Ledger {
    let l = Ledger::init();
    l.add(
        "推进合法性审查",
        &[
            "--year",
            "2025",
            "--area",
            "执法监督",
            "--owner",
            "区司法局",
        ],
    );
    l.add("普法宣传", &["--year", "2025", "--owner", "区普法办"]);
    l.add("镇街审查", &["--year", "2025", "--parent", "1"]);
    l
}

#[test]
fn sub_tasks_are_numbered_under_their_parent_in_every_format() {
    let l = family();
    // CSV (streamed).
    let out = l
        .cmd()
        .args(["export", "--year", "2025", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::ReaderBuilder::new().from_reader(&text.as_bytes()[3..]);
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let firsts: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[4].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        firsts,
        [
            ("1", "推进合法性审查", "执法监督"),
            ("1.1", "镇街审查", "执法监督"),
            ("2", "普法宣传", "")
        ]
    );
    // JSON: the same order and numbers.
    let j = export_json(&l, "2025");
    let nums: Vec<(&str, i64)> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["number"].as_str().unwrap(), t["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(nums, [("1", 1), ("1.1", 3), ("2", 2)]);
    assert_eq!(j["tasks"][1]["area"], "执法监督");
    assert_eq!(j["tasks"][1]["parent_id"], 1);
    // Markdown and HTML.
    let md = l.run_ok(&["export", "--year", "2025", "--format", "md"]);
    let at = |s: &str, needle: &str| s.find(needle).unwrap_or_else(|| panic!("{needle}: {s}"));
    assert!(
        at(&md, "| 1 | 2025-T1 |") < at(&md, "| 1.1 | 2025-T3 |"),
        "{md}"
    );
    assert!(
        at(&md, "| 1.1 | 2025-T3 |") < at(&md, "| 2 | 2025-T2 |"),
        "{md}"
    );
    let html = l.run_ok(&["export", "--year", "2025", "--format", "html"]);
    assert!(
        at(&html, r#"<td class="n">1.1</td><td class="u">2025-T3</td>"#)
            < at(&html, r#"<td class="n">2</td><td class="u">2025-T2</td>"#),
        "{html}"
    );
    // xlsx (streamed), read back with calamine: a sub-task's 序号 is the text "1.1".
    use calamine::{Data, Reader, Xlsx};
    let out = l
        .cmd()
        .args(["export", "--year", "2025", "--format", "xlsx"])
        .output()
        .unwrap();
    let mut wb = Xlsx::new(std::io::Cursor::new(out.stdout)).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let col: Vec<Data> = range.rows().skip(1).map(|r| r[0].clone()).collect();
    assert_eq!(
        col,
        [
            Data::Float(1.0),
            Data::String("1.1".into()),
            Data::Float(2.0)
        ]
    );
}

/// A sub-task whose parent is outside the export (another unit's, with `--owner`) keeps a
/// number of its own at the top level.
#[test]
fn a_sub_task_without_its_parent_in_scope_is_numbered_at_the_top() {
    let l = family();
    l.run_ok(&["update", "3", "--owner", "区普法办"]);
    let j: Value = serde_json::from_str(&l.run_ok(&[
        "export",
        "--year",
        "2025",
        "--format",
        "json",
        "--owner",
        "区普法办",
    ]))
    .unwrap();
    let nums: Vec<&str> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(nums, ["1", "2"]);
}

/// An approved extension shows the first deadline as 原定时限 and marks 延期; a second one
/// counts twice; moving a deadline earlier is no extension.
#[test]
fn an_approved_extension_shows_the_original_deadline_and_the_mark() {
    let l = Ledger::init();
    l.add(
        "案卷评查",
        &[
            "--year",
            "2025",
            "--deadline",
            "2025-06-30",
            "--owner",
            "区城管局",
        ],
    );
    l.add(
        "提前完成的任务",
        &["--year", "2025", "--deadline", "2025-12-31"],
    );
    l.run_ok(&[
        "--user",
        "区城管局",
        "request-extension",
        "1",
        "--to",
        "2025-09-30",
        "--note",
        "审批延后",
    ]);
    l.run_ok(&["--user", "法治办", "approve", "1", "--note", "同意"]);
    l.run_ok(&["update", "2", "--deadline", "2025-05-31", "--note", "提前"]);
    let csv = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "csv",
    ]);
    let mut r = csv::ReaderBuilder::new().from_reader(&csv.as_bytes()[3..]);
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let (o, d, e) = (col("原定时限"), col("完成时限"), col("延期"));
    assert_eq!(
        [&rows[0][o], &rows[0][d], &rows[0][e]],
        ["2025-06-30", "2025-09-30", "延期"]
    );
    assert_eq!(
        [&rows[1][o], &rows[1][d], &rows[1][e]],
        ["2025-12-31", "2025-05-31", ""]
    );
    // A second extension, by update, counts too.
    l.run_ok(&["update", "1", "--deadline", "2025-11-30", "--note", "再延"]);
    let j = export_json(&l, "2025");
    assert_eq!(j["tasks"][0]["original_deadline"], "2025-06-30");
    assert_eq!(j["tasks"][0]["extended"], 2);
    let md = l.run_ok(&["--lang", "zh", "export", "--year", "2025", "--format", "md"]);
    assert!(md.contains("| 2025-06-30 | 2025-11-30 | 延期2次 |"), "{md}");
}

/// A 2025 export holds a 2024 task still open in 2025 with its plan year 2024, and a task
/// carried from 2024 with plan year 2025 and the carry marked in its title.
#[test]
fn the_plan_year_of_tasks_from_earlier_years() {
    let mut l = Ledger::init().at("2024-06-01T09:00:00+08:00");
    l.add("2024年的任务", &["--year", "2024"]);
    l.add("结转的任务", &["--year", "2024"]);
    l.set_now("2025-01-10T09:00:00+08:00");
    l.run_ok(&["update", "2", "--year", "2025", "--note", "结转"]);
    l.set_now("2026-01-05T09:00:00+08:00");
    let j = export_json(&l, "2025");
    let years: Vec<(&str, i64)> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["ref"].as_str().unwrap(), t["year"].as_i64().unwrap()))
        .collect();
    assert_eq!(years, [("2024-T1", 2024), ("2024-T2", 2025)]);
    let csv = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "csv",
    ]);
    assert!(csv.contains(",2024-T1,"), "{csv}");
    let line = csv.lines().find(|x| x.contains("2024-T1")).unwrap();
    assert!(line.contains(",2024,"), "{line}");
}

/// The workbook's 汇总 holds the per-area and per-unit tables with the rule each is sorted by:
/// units by count (区司法局 leads two), the unassigned last.
#[test]
fn the_xlsx_summary_states_the_sort_rules() {
    use calamine::{Reader, Xlsx};
    let l = Ledger::init();
    l.add("甲", &["--year", "2025", "--owner", "区城管局"]);
    l.add("乙", &["--year", "2025", "--owner", "区司法局"]);
    l.add("丙", &["--year", "2025", "--owner", "区司法局"]);
    l.add("丁", &["--year", "2025"]);
    let out = l
        .cmd()
        .args([
            "--lang", "zh", "export", "--year", "2025", "--format", "xlsx",
        ])
        .output()
        .unwrap();
    let mut wb = Xlsx::new(std::io::Cursor::new(out.stdout)).unwrap();
    let range = wb.worksheet_range("汇总").unwrap();
    let first: Vec<String> = range.rows().map(|r| r[0].to_string()).collect();
    let at = |s: &str| {
        first
            .iter()
            .position(|x| x.starts_with(s))
            .unwrap_or_else(|| panic!("{s}: {first:?}"))
    };
    assert!(at("区司法局") < at("区城管局"), "{first:?}");
    assert!(at("区城管局") < at("（未分配）"), "{first:?}");
    assert!(
        at("单位按牵头任务数从多到少排列") > at("（未分配）"),
        "{first:?}"
    );
    assert!(first.iter().any(|x| x.starts_with("领域按")), "{first:?}");
}

/// A version-13 ledger whose ref-less task changed after its creation: the upgrade's ref row
/// takes effect at the creation, before those changes, and `check` still finds the ledger
/// sound (it reported "takes effect before an earlier change" for every such task at first).
#[test]
fn the_upgrade_of_a_task_changed_since_its_creation_is_sound() {
    let mut l = Ledger::init();
    let id = l.add("手工任务", &["--year", "2025"]);
    l.set_now("2025-05-01T09:00:00+08:00");
    l.run_ok(&["update", &id.to_string(), "--progress", "40"]);
    // Make it a version-13 ledger whose task was created without a ref.
    as_version_13(&l);
    l.set_now("2025-06-01T09:00:00+08:00");
    l.run_ok(&["note", &id.to_string(), "升级后"]);
    assert_eq!(l.show(id)["ref"], "2025-T1");
    let out = l.run_ok(&["check"]);
    assert!(out.contains("sound"), "{out}");
    // An export as of a day before the change names the task by its ref too.
    let j: Value = serde_json::from_str(&l.run_ok(&[
        "export",
        "--year",
        "2025",
        "--as-of",
        "2025-04-01",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(j["tasks"][0]["ref"], "2025-T1");
    // And the ledger travels: its JSON Lines import into another ledger, check sound.
    let file = l.sibling("out.jsonl");
    std::fs::write(&file, l.run_ok(&["export", "--format", "jsonl"])).unwrap();
    let m = Ledger::init();
    m.run_ok(&["import", file.to_str().unwrap()]);
    assert!(m.run_ok(&["check"]).contains("sound"));
}

/// Turns a ledger into a version-13 one whose tasks were created without refs (the creation
/// rows lose theirs), as a ledger made before issue 17 was.
fn as_version_13(l: &Ledger) {
    let conn = rusqlite::Connection::open(&l.path).unwrap();
    let trigger: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'history_no_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER history_no_update;
         UPDATE history SET new = json_remove(new, '$.ref') WHERE field = 'created';
         {trigger};
         UPDATE task SET ref = NULL;
         PRAGMA user_version = 13;"
    ))
    .unwrap();
}

/// A task of 2024 finished in 2025 belongs to the 2025 export after the upgrade too: the ref
/// row, last in id order but effective at the creation, is no state at the window's start
/// (the 20k ledger's 2025 export lost 252 such tasks at first).
#[test]
fn an_upgraded_task_finished_in_the_year_stays_in_its_export() {
    let mut l = Ledger::init().at("2024-06-01T09:00:00+08:00");
    let id = l.add("上年度任务", &["--year", "2024"]);
    l.set_now("2025-05-01T09:00:00+08:00");
    l.run_ok(&[
        "update",
        &id.to_string(),
        "--status",
        "done",
        "--note",
        "完成",
    ]);
    as_version_13(&l);
    l.set_now("2025-06-01T09:00:00+08:00");
    l.run_ok(&["config", "name", "测试区"]);
    assert!(l.run_ok(&["check"]).contains("sound"));
    let j = export_json(&l, "2025");
    let refs: Vec<&str> = j["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["2024-T1"]);
}

/// Two ledgers with hand-added tasks merge: the file's 2025-T1 that the ledger already holds
/// is renumbered (2025-T2), in the task and its history, and `check` is sound (refused before
/// with "ref 2025-T1 is already in the ledger").
#[test]
fn a_merge_renumbers_clashing_sequence_refs() {
    let a = Ledger::init();
    a.add("甲的任务", &["--year", "2025"]);
    let b = Ledger::init();
    b.add("乙的任务", &["--year", "2025"]);
    let file = b.sibling("b.jsonl");
    std::fs::write(&file, b.run_ok(&["export", "--format", "jsonl"])).unwrap();
    a.run_ok(&["import", file.to_str().unwrap()]);
    let refs: Vec<Value> = (1..=2).map(|id| a.show(id)["ref"].clone()).collect();
    assert_eq!(refs, ["2025-T1", "2025-T2"]);
    assert!(a.run_ok(&["check"]).contains("sound"));
}

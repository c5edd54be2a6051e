//! `taizhang import` end to end (issue 3): the reference report and the other fixtures build the
//! ledger they describe, a second import creates nothing, `--dry-run` writes nothing, and bad
//! input is refused with one line, exit 1 and nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const REFERENCE: &str = "tianning-2024-report.txt";
const REFERENCE_GBK: &str = "tianning-2024-report-gbk-crlf.txt";
const LINJIANG: &str = "linjiang-2025-report.txt";
const DONGHU: &str = "donghu-2023-report-bom.txt";
const NANXI: &str = "nanxi-2022-report-no-plans.txt";
const NEWS: &str = "not-a-report-news.txt";

const REFERENCE_TITLE: &str = "常州市天宁区人民政府2024年法治政府建设年度报告";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn fx(name: &str) -> String {
    fixture(name).display().to_string()
}

/// Every task of the ledger, as `list --format json` prints it, in id order.
fn all_tasks(l: &Ledger) -> Vec<Value> {
    let v = l.json(&["list"]);
    let tasks = v.as_array().expect("list is an array").clone();
    for t in &tasks {
        assert_task_shape(t);
    }
    tasks
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn refs(tasks: &[Value]) -> Vec<String> {
    tasks.iter().map(|t| s(&t["ref"]).to_string()).collect()
}

fn of_kind<'a>(tasks: &'a [Value], kind: &str) -> Vec<&'a Value> {
    tasks.iter().filter(|t| t["kind"] == kind).collect()
}

fn by_ref<'a>(tasks: &'a [Value], r: &str) -> &'a Value {
    tasks
        .iter()
        .find(|t| t["ref"] == r)
        .unwrap_or_else(|| panic!("no task with ref {r}"))
}

/// Distinct values of a field, in order of first appearance.
fn distinct(tasks: &[&Value], field: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tasks {
        let v = s(&t[field]).to_string();
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

const ACHIEVEMENTS: [(&str, &str); 15] = [
    ("2024-A1.1", "压茬推进重点改革任务"),
    ("2024-A1.2", "高效履职助力产业发展"),
    ("2024-A1.3", "优化营商环境政策供给"),
    ("2024-A2.1", "优化行政执法体制机制"),
    ("2024-A2.2", "专项整治执法突出问题"),
    ("2024-A2.3", "加强区域行政执法协作"),
    ("2024-A3.1", "依法作出重大行政决策"),
    ("2024-A3.2", "发挥行政复议主渠道作用"),
    ("2024-A3.3", "完善多元监督机制"),
    ("2024-A4.1", "妥善预防和化解矛盾纠纷"),
    ("2024-A4.2", "整治社会治理风险隐患"),
    ("2024-A4.3", "聚焦关切领域提升治理能力"),
    ("2024-A5.1", "领导干部带头厉行法治"),
    ("2024-A5.2", "提升全民法治意识和素养"),
    ("2024-A5.3", "大力加强数字政府建设"),
];

const ACHIEVEMENT_AREAS: [&str; 5] = [
    "深化改革加快政府职能转变，促进优化协同高效",
    "推进严格规范公正文明执法，提升行政执法质量",
    "健全行政权力制约监督体系，确保法治轨道运行",
    "创新社会治理践行法治为民，切实提升法治满意度",
    "学思践悟习近平法治思想，厚植依法办事思维",
];

const SHORTCOMINGS: [(&str, &str); 3] = [
    (
        "2024-S1",
        "法治政府建设深度有待进一步拓展，亮点、难点工作仍需突破",
    ),
    (
        "2024-S2",
        "基层法治建设较为薄弱，法治队伍力量保障、能力素质尚未完全适应当前法治政府建设的新要求",
    ),
    (
        "2024-S3",
        "执法质量有待进一步提升，个别地区和部门对严格规范公正文明这一标准执行还不够到位",
    ),
];

const COMMITMENTS: [(&str, &str, &str); 6] = [
    ("2025-C1.1", "强化统筹，加力建设法治政府", "持续推动党政主要负责人履行推进法治建设第一责任人职责，贯彻落实《纲要》及其实施方案和年度要点，加快推进法治政府建设各项任务"),
    ("2025-C1.2", "强化统筹，加力建设法治政府", "评估《纲要》实施以来法治政府建设总体情况，固根基、扬优势、补短板、强弱项，为“十五五”时期高质量发展打下更加扎实的法治基础"),
    ("2025-C2.1", "深化改革，持续转变政府职能", "自觉把改革摆在更加突出的位置，贯彻法治理念，深化数字化和一体化建设，推进政府职能更加优化协同高效"),
    ("2025-C2.2", "深化改革，持续转变政府职能", "坚持统筹发展与安全，持续凝聚行政权力制约监督合力，协同推进立法、执法、司法、守法各环节改革，全面推进各方面工作法治化"),
    ("2025-C3.1", "活化路径，提升满意度获得感", "实施提升行政执法质量三年行动计划，规范涉企行政检查，发挥行政复议作为化解行政争议的主渠道作用，多措并举提升人民群众对行政执法的满意度"),
    ("2025-C3.2", "活化路径，提升满意度获得感", "加大法治供给，持续消除隐形门槛和壁垒，优化运行民商事纠纷多元调处机制，切实增强人民群众的法治获得感"),
];

/// Checks a ledger holding exactly the reference report, imported with plan year `plan`.
fn assert_reference_tasks(tasks: &[Value], plan: i32) {
    assert_eq!(
        tasks.len(),
        24,
        "15 achievements + 3 shortcomings + 6 commitments"
    );
    let plan_end = format!("{plan}-12-31");

    let ach = of_kind(tasks, "achievement");
    assert_eq!(ach.len(), 15);
    let got: Vec<(String, String)> = ach
        .iter()
        .map(|t| (s(&t["ref"]).to_string(), s(&t["title"]).to_string()))
        .collect();
    let want: Vec<(String, String)> = ACHIEVEMENTS
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(distinct(&ach, "area"), ACHIEVEMENT_AREAS);
    for t in &ach {
        assert_eq!(t["status"], "done", "{t}");
        assert_eq!(t["progress"], 100, "{t}");
        assert_eq!(t["year"], 2024, "{t}");
        assert_eq!(t["deadline"], "2024-12-31", "{t}");
        assert!(
            s(&t["completed_at"]).starts_with("2024"),
            "completed in 2024: {t}"
        );
        assert_eq!(t["overdue"], false);
    }
    // Three items in each area.
    for area in ACHIEVEMENT_AREAS {
        assert_eq!(
            ach.iter().filter(|t| t["area"] == area).count(),
            3,
            "{area}"
        );
    }

    let sh = of_kind(tasks, "shortcoming");
    let got: Vec<(String, String)> = sh
        .iter()
        .map(|t| (s(&t["ref"]).to_string(), s(&t["title"]).to_string()))
        .collect();
    let want: Vec<(String, String)> = SHORTCOMINGS
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    assert_eq!(got, want);
    for t in &sh {
        assert_eq!(t["status"], "todo", "{t}");
        assert_eq!(t["progress"], 0, "{t}");
        assert_eq!(t["deadline"], plan_end.as_str(), "{t}");
        assert_eq!(t["completed_at"], Value::Null, "{t}");
    }

    let cm = of_kind(tasks, "commitment");
    let got: Vec<(String, String, String)> = cm
        .iter()
        .map(|t| {
            (
                s(&t["ref"]).to_string(),
                s(&t["area"]).to_string(),
                s(&t["title"]).to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = COMMITMENTS
        .iter()
        .map(|(r, a, t)| {
            (
                r.replacen("2025", &plan.to_string(), 1),
                a.to_string(),
                t.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(distinct(&cm, "area").len(), 3);
    for t in &cm {
        assert_eq!(t["status"], "todo", "{t}");
        assert_eq!(t["progress"], 0, "{t}");
        assert_eq!(t["deadline"], plan_end.as_str(), "{t}");
        assert_eq!(t["year"], plan, "{t}");
        assert_eq!(t["deadline_text"], Value::Null, "{t}");
    }

    // Report order: achievements, then shortcomings, then commitments; one document.
    let kinds: Vec<&str> = tasks.iter().map(|t| s(&t["kind"])).collect();
    let mut want_kinds = vec!["achievement"; 15];
    want_kinds.extend(["shortcoming"; 3]);
    want_kinds.extend(["commitment"; 6]);
    assert_eq!(kinds, want_kinds);
    let docs: Vec<&Value> = tasks.iter().map(|t| &t["document_id"]).collect();
    assert!(docs.iter().all(|d| *d == docs[0]), "one document");
}

#[test]
fn reference_report_builds_the_ledger_and_prints_the_table() {
    // No init: import creates the ledger.
    let l = Ledger::new();
    let out = l.run_ok(&["import", &fx(REFERENCE)]);
    assert!(
        out.starts_with(&format!(
            "Imported \"{REFERENCE_TITLE}\" as document #1: 24 tasks created.\n"
        )),
        "{out}"
    );
    assert!(out.contains("Suggested links"), "{out}");
    assert!(
        out.contains("  2025-C3.1 → 2024-S3  「执法质量」\n"),
        "{out}"
    );
    assert!(out.contains("\nProgress as of 2025-03-01\n"), "{out}");
    // The output ends with the progress table: its last row is the total.
    let last = out.trim_end().lines().last().unwrap();
    assert!(last.starts_with("| Total "), "last line: {last}");
    let cells: Vec<&str> = last.split('|').map(str::trim).collect();
    assert_eq!(
        &cells[1..11],
        &["Total", "24", "9", "0", "0", "15", "0", "0", "0", "62.5%"],
        "{last}"
    );
    for area in [
        "存在的不足",
        "强化统筹，加力建设法治政府",
        "深化改革，持续转变政府职能",
        "活化路径，提升满意度获得感",
    ] {
        assert!(out.contains(&format!("| {area} ")), "{area} row: {out}");
    }

    let tasks = all_tasks(&l);
    assert_reference_tasks(&tasks, 2025);
    for t in &tasks {
        assert_eq!(t["owner"], Value::Null, "no --owner: unassigned: {t}");
        assert_eq!(t["co_owners"], serde_json::json!([]));
        assert_eq!(t["document_id"], 1);
    }
    // Without --link nothing is linked.
    let c31 = by_ref(&tasks, "2025-C3.1")["id"].as_i64().unwrap();
    assert_eq!(l.show(c31)["addresses"], serde_json::json!([]));
}

#[test]
fn import_json_lists_the_created_ids() {
    let l = Ledger::new();
    let v = l.json(&["import", &fx(REFERENCE)]);
    assert_eq!(v["document"], 1);
    assert_eq!(v["already_imported"], false);
    let created: Vec<i64> = v["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect();
    assert_eq!(created, (1..=24).collect::<Vec<i64>>());
    assert_eq!(v["linked"], serde_json::json!([]));
}

#[test]
fn a_second_import_creates_nothing_and_says_so() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(REFERENCE)]);
    l.checkpoint();
    let before = l.dump();
    let out = l.run_ok(&["import", &fx(REFERENCE)]);
    assert!(
        out.starts_with(&format!(
            "\"{REFERENCE_TITLE}\" was already imported (document #1); nothing was created.\n"
        )),
        "{out}"
    );
    assert!(!out.contains("Suggested links"), "{out}");
    assert_eq!(count(&l.path, "task"), 24);
    assert_eq!(count(&l.path, "document"), 1);
    assert_eq!(l.dump(), before, "a second import changed the ledger");

    let v = l.json(&["import", &fx(REFERENCE)]);
    assert_eq!(v["already_imported"], true);
    assert_eq!(v["document"], 1);
    assert_eq!(v["created"], serde_json::json!([]));
    assert_eq!(l.dump(), before);

    // In Chinese too.
    let out = l.run_ok(&["--lang", "zh", "import", &fx(REFERENCE)]);
    assert!(
        out.starts_with(&format!(
            "《{REFERENCE_TITLE}》已导入过（文档 #1），未新增任何任务。\n"
        )),
        "{out}"
    );
}

/// The fields that must agree between the UTF-8 and the GBK imports.
fn essentials(tasks: &[Value]) -> Vec<Value> {
    tasks
        .iter()
        .map(|t| {
            serde_json::json!([
                t["ref"],
                t["kind"],
                t["title"],
                t["area"],
                t["deadline"],
                t["status"],
                t["progress"],
                t["year"],
                t["owner"],
                t["body"]
            ])
        })
        .collect()
}

#[test]
fn gbk_crlf_fullwidth_report_gives_the_same_ledger() {
    let utf8 = Ledger::new();
    utf8.run_ok(&["import", &fx(REFERENCE)]);
    let gbk = Ledger::new();
    let out = gbk.run_ok(&["import", &fx(REFERENCE_GBK)]);
    assert!(out.contains("24 tasks created"), "{out}");
    let tasks = all_tasks(&gbk);
    assert_reference_tasks(&tasks, 2025);
    assert_eq!(essentials(&tasks), essentials(&all_tasks(&utf8)));
    let doc = &gbk.show(1)["document"];
    assert_eq!(doc["title"], REFERENCE_TITLE);
    assert_eq!(doc["report_year"], 2024);
    assert_eq!(doc["plan_year"], 2025);
    // Forcing GBK on the GBK file works too.
    let forced = Ledger::new();
    forced.run_ok(&["import", "--encoding", "gbk", &fx(REFERENCE_GBK)]);
    assert_eq!(essentials(&all_tasks(&forced)), essentials(&tasks));
}

#[test]
fn dry_run_prints_the_tree_and_counts() {
    let l = Ledger::init();
    let out = l.run_ok(&["import", "--dry-run", &fx(REFERENCE)]);
    assert!(
        out.starts_with(&format!("{REFERENCE_TITLE} (title inferred)\n")),
        "{out}"
    );
    assert!(
        out.contains(
            "issuer 常州市天宁区人民政府  date 2025-02-21  report year 2024  plan year 2025"
        ),
        "{out}"
    );
    assert!(out.contains("\nAchievements (15)\n"), "{out}");
    assert!(out.contains("\nShortcomings (3)\n"), "{out}");
    assert!(out.contains("\nCommitments (6)\n"), "{out}");
    assert!(
        out.contains("Total: 15 achievements / 3 shortcomings / 6 commitments"),
        "{out}"
    );
    assert!(
        out.contains("    2024-A1.1    2024-12-31 压茬推进重点改革任务\n"),
        "{out}"
    );
    assert!(
        out.contains("    2024-S3      2025-12-31 执法质量有待进一步提升"),
        "{out}"
    );
    for (r, _, _) in COMMITMENTS {
        assert!(
            out.contains(&format!("    {r}    2025-12-31 ")),
            "{r}: {out}"
        );
    }
    assert!(out.contains("  2025-C3.1 → 2024-S3  「执法质量」"), "{out}");
    assert!(
        out.trim_end().ends_with("(dry run: nothing was written)"),
        "{out}"
    );
}

#[test]
fn dry_run_leaves_an_existing_ledger_unchanged() {
    let l = Ledger::init();
    l.run_ok(&["import", &fx(LINJIANG)]);
    l.checkpoint();
    let before = l.dump();
    let bytes = l.bytes();
    l.run_ok(&["import", "--dry-run", &fx(REFERENCE)]);
    l.run_ok(&[
        "import",
        "--dry-run",
        "--link",
        "--owner",
        "区司法局",
        &fx(REFERENCE),
    ]);
    l.json(&["import", "--dry-run", &fx(REFERENCE)]);
    assert_eq!(l.dump(), before, "--dry-run changed the ledger");
    assert!(l.bytes() == bytes, "--dry-run changed the ledger's bytes");
    assert_eq!(count(&l.path, "task"), 16);
}

#[test]
fn dry_run_creates_no_ledger_file() {
    let l = Ledger::new();
    let out = l.run_ok(&["import", "--dry-run", &fx(REFERENCE)]);
    assert!(out.contains("(dry run: nothing was written)"), "{out}");
    assert!(!l.path.exists(), "--dry-run created {}", l.path.display());
    let names: Vec<_> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(names.is_empty(), "--dry-run left files: {names:?}");
}

#[test]
fn dry_run_json_describes_the_report() {
    let l = Ledger::init();
    let v = l.json(&["import", "--dry-run", &fx(REFERENCE)]);
    let r = &v["report"];
    assert_eq!(r["title"], REFERENCE_TITLE);
    assert_eq!(r["issuer"], "常州市天宁区人民政府");
    assert_eq!(r["issued_on"], "2025-02-21");
    assert_eq!(r["report_year"], 2024);
    assert_eq!(r["plan_year"], 2025);
    let ach = r["achievements"].as_array().unwrap();
    assert_eq!(ach.len(), 5);
    let titles: Vec<&str> = ach.iter().map(|x| s(&x["title"])).collect();
    assert_eq!(titles, ACHIEVEMENT_AREAS);
    let items: Vec<&str> = ach
        .iter()
        .flat_map(|x| x["items"].as_array().unwrap())
        .map(|i| s(&i["ref"]))
        .collect();
    assert_eq!(items, ACHIEVEMENTS.map(|(r, _)| r));
    let sh: Vec<&str> = r["shortcomings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["ref"]))
        .collect();
    assert_eq!(sh, ["2024-S1", "2024-S2", "2024-S3"]);
    let plans = r["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 3);
    let c: Vec<&str> = plans
        .iter()
        .flat_map(|x| x["items"].as_array().unwrap())
        .map(|i| s(&i["ref"]))
        .collect();
    assert_eq!(c, COMMITMENTS.map(|(r, _, _)| r));
    assert_eq!(
        v["suggested_links"],
        serde_json::json!([{"commitment_ref": "2025-C3.1", "shortcoming_ref": "2024-S3", "phrase": "执法质量"}])
    );
    assert_eq!(count(&l.path, "task"), 0);
}

#[test]
fn owner_option_sets_the_owner_of_every_task() {
    let l = Ledger::new();
    l.run_ok(&["import", "--owner", "区司法局", &fx(REFERENCE)]);
    let tasks = all_tasks(&l);
    assert_eq!(tasks.len(), 24);
    for t in &tasks {
        assert_eq!(t["owner"], "区司法局", "{t}");
    }
    let v = l.json(&["list", "--owner", "区司法局"]);
    assert_eq!(v.as_array().unwrap().len(), 24);
}

#[test]
fn link_option_applies_the_suggested_link_and_records_it() {
    let l = Ledger::new();
    let out = l.run_ok(&["import", "--link", &fx(REFERENCE)]);
    assert!(
        out.contains("Linked (commitment → shortcoming it addresses):\n  2025-C3.1 → 2024-S3  「执法质量」\n"),
        "{out}"
    );
    let tasks = all_tasks(&l);
    let c31 = by_ref(&tasks, "2025-C3.1")["id"].as_i64().unwrap();
    let s3 = by_ref(&tasks, "2024-S3")["id"].as_i64().unwrap();
    assert_eq!((c31, s3), (23, 18));

    let show = l.show(c31);
    assert_eq!(ids(&show["addresses"]), vec![s3]);
    assert_eq!(show["addresses"][0]["ref"], "2024-S3");
    let hist = history_of(&show);
    let links: Vec<_> = hist.iter().filter(|h| h.0 == "addresses").collect();
    assert_eq!(links.len(), 1, "{hist:?}");
    assert_eq!(links[0].1, None);
    assert_eq!(links[0].2.as_deref(), Some(s3.to_string().as_str()));
    // And from the shortcoming's side.
    assert_eq!(ids(&l.show(s3)["addressed_by"]), vec![c31]);
    // Only that one link.
    for t in &tasks {
        let id = t["id"].as_i64().unwrap();
        if id != c31 {
            assert_eq!(l.show(id)["addresses"], serde_json::json!([]), "{id}");
        }
    }
    // The whole ledger's history holds the link as field "addresses".
    let h = l.json(&["history"]);
    let rows: Vec<&Value> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "addresses")
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["task_id"], c31);
    assert_eq!(rows[0]["new"], s3.to_string());
}

#[test]
fn link_option_in_json_lists_the_link() {
    let l = Ledger::new();
    let v = l.json(&["import", "--link", &fx(REFERENCE)]);
    assert_eq!(v["linked"], serde_json::json!([[23, 18, "执法质量"]]));
}

#[test]
fn show_names_the_document_and_ref() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(REFERENCE)]);
    let out = l.run_ok(&["show", "16"]);
    assert!(
        out.contains(&format!("#1 《{REFERENCE_TITLE}》 2025-02-21")),
        "{out}"
    );
    assert!(out.contains("| ref "), "{out}");
    assert!(out.contains("2024-S1"), "{out}");

    let v = l.show(16);
    assert_eq!(v["ref"], "2024-S1");
    assert_eq!(v["document_id"], 1);
    let d = &v["document"];
    assert_eq!(d["id"], 1);
    assert_eq!(d["title"], REFERENCE_TITLE);
    assert_eq!(d["issuer"], "常州市天宁区人民政府");
    assert_eq!(d["issued_on"], "2025-02-21");
    assert_eq!(d["report_year"], 2024);
    assert_eq!(d["plan_year"], 2025);
    let sha = s(&d["sha256"]);
    assert_eq!(sha.len(), 64);
    assert!(sha.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(s(&d["path"]).ends_with(REFERENCE), "{d}");
    assert_eq!(d["imported_at"], NOW);
    // A task added by hand has no document.
    let id = l.add("手工任务", &[]);
    assert_eq!(l.show(id)["document"], Value::Null);
}

#[test]
fn the_body_is_the_exact_source_text() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(REFERENCE)]);
    let text = std::fs::read_to_string(fixture(REFERENCE)).unwrap();
    for t in all_tasks(&l) {
        let body = s(&t["body"]);
        assert!(!body.is_empty());
        assert!(text.contains(body), "body not in the source: {body}");
    }
}

#[test]
fn year_option_moves_the_plan_year() {
    let l = Ledger::new();
    l.run_ok(&["import", "--year", "2026", &fx(REFERENCE)]);
    let tasks = all_tasks(&l);
    assert_reference_tasks(&tasks, 2026);
    assert_eq!(
        refs(&tasks)[15..],
        [
            "2024-S1",
            "2024-S2",
            "2024-S3",
            "2026-C1.1",
            "2026-C1.2",
            "2026-C2.1",
            "2026-C2.2",
            "2026-C3.1",
            "2026-C3.2"
        ]
    );
    for t in of_kind(&tasks, "shortcoming") {
        assert_eq!(t["deadline"], "2026-12-31");
        assert_eq!(t["year"], 2026);
    }
    assert_eq!(l.show(1)["document"]["plan_year"], 2026);
}

/// (ref, deadline, deadline_text, owner, co_owners) of the commitments.
fn dues(tasks: &[Value]) -> Vec<Value> {
    of_kind(tasks, "commitment")
        .iter()
        .map(|t| {
            serde_json::json!([
                t["ref"],
                t["deadline"],
                t["deadline_text"],
                t["owner"],
                t["co_owners"]
            ])
        })
        .collect()
}

#[test]
fn linjiang_report() {
    let l = Ledger::new();
    let out = l.run_ok(&["import", "--owner", "区政府办", &fx(LINJIANG)]);
    assert!(
        out.starts_with("Imported \"江南市临江区2025年法治政府建设年度报告\" as document #1: 16 tasks created.\n"),
        "{out}"
    );
    let tasks = all_tasks(&l);
    assert_eq!(tasks.len(), 16);
    assert_eq!(
        refs(&tasks),
        [
            "2025-A1.1",
            "2025-A1.2",
            "2025-A1.3",
            "2025-A1.4",
            "2025-S1",
            "2025-S2",
            "2025-S3",
            "2026-C1.1",
            "2026-C1.2",
            "2026-C2.1",
            "2026-C2.2",
            "2026-C3.1",
            "2026-C3.2",
            "2026-C4.1",
            "2026-C4.2",
            "2026-C5.1"
        ]
    );
    assert_eq!(of_kind(&tasks, "achievement").len(), 4);
    assert_eq!(of_kind(&tasks, "shortcoming").len(), 3);
    assert_eq!(of_kind(&tasks, "commitment").len(), 9);
    for t in of_kind(&tasks, "achievement") {
        assert_eq!(t["status"], "done");
        assert_eq!(t["deadline"], "2025-12-31");
        assert_eq!(t["area"], "2025年法治政府建设主要成效");
    }
    assert_eq!(
        by_ref(&tasks, "2025-S2")["title"],
        "镇（街道）合法性审查力量较为薄弱，专业人员缺乏"
    );
    for t in of_kind(&tasks, "shortcoming") {
        assert_eq!(t["deadline"], "2026-12-31");
    }
    let a = "区政府办";
    let co = serde_json::json!([]);
    assert_eq!(
        dues(&tasks),
        vec![
            serde_json::json!(["2026-C1.1", null, "长期坚持", a, co]),
            serde_json::json!(["2026-C1.2", "2026-12-31", null, a, co]),
            serde_json::json!(["2026-C2.1", "2026-06-30", "6月底前", a, co]),
            serde_json::json!(["2026-C2.2", "2026-06-30", "上半年", a, co]),
            serde_json::json!([
                "2026-C3.1",
                "2026-03-31",
                "一季度",
                "区司法局",
                ["区市场监管局", "区城管局"]
            ]),
            serde_json::json!(["2026-C3.2", null, "常态化", a, co]),
            serde_json::json!(["2026-C4.1", "2026-09-30", "2026年9月底前", a, co]),
            serde_json::json!(["2026-C4.2", "2026-12-31", "年内", a, co]),
            serde_json::json!(["2026-C5.1", "2026-12-31", "四季度", a, co]),
        ]
    );
    assert_eq!(by_ref(&tasks, "2026-C3.1")["area"], "全面提升行政执法质效");
}

#[test]
fn donghu_report_with_bom() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(DONGHU)]);
    let tasks = all_tasks(&l);
    // The 第一责任人 part is reported, not tracked: it yields no tasks.
    assert_eq!(tasks.len(), 13);
    assert_eq!(of_kind(&tasks, "achievement").len(), 5);
    assert_eq!(of_kind(&tasks, "shortcoming").len(), 3);
    assert_eq!(of_kind(&tasks, "commitment").len(), 5);
    assert_eq!(
        refs(&tasks),
        [
            "2023-A1.1",
            "2023-A1.2",
            "2023-A2.1",
            "2023-A2.2",
            "2023-A2.3",
            "2023-S1",
            "2023-S2",
            "2023-S3",
            "2024-C1.1",
            "2024-C1.2",
            "2024-C2.1",
            "2024-C2.2",
            "2024-C3.1"
        ]
    );
    let n = Value::Null;
    let co = serde_json::json!([]);
    assert_eq!(
        dues(&tasks),
        vec![
            serde_json::json!(["2024-C1.1", "2024-03-31", "一季度", n, co]),
            serde_json::json!(["2024-C1.2", null, "常态化", n, co]),
            serde_json::json!(["2024-C2.1", "2024-06-30", "上半年", n, co]),
            serde_json::json!(["2024-C2.2", "2024-09-30", "2024年9月", n, co]),
            serde_json::json!(["2024-C3.1", null, "持续推进", "区信访局", ["各镇（街道）"]]),
        ]
    );
    for t in of_kind(&tasks, "shortcoming") {
        assert_eq!(t["deadline"], "2024-12-31");
    }
    assert_eq!(by_ref(&tasks, "2023-S1")["title"], "依法行政意识有待加强");
    let d = &l.show(1)["document"];
    assert_eq!(
        d["title"],
        "云川市东湖区人民政府关于2023年度法治政府建设工作情况的报告"
    );
    assert_eq!(d["issued_on"], "2024-03-15");
    // The title does not start with the byte-order mark.
    assert!(!s(&tasks[0]["title"]).starts_with('\u{feff}'));
}

#[test]
fn nanxi_report_without_plans() {
    let l = Ledger::new();
    let out = l.run_ok(&["import", &fx(NANXI)]);
    assert!(out.contains("8 tasks created"), "{out}");
    let tasks = all_tasks(&l);
    assert_eq!(
        refs(&tasks),
        [
            "2022-A1.1",
            "2022-A1.2",
            "2022-A2.1",
            "2022-A2.2",
            "2022-A2.3",
            "2022-S1",
            "2022-S2",
            "2022-S3"
        ]
    );
    assert!(of_kind(&tasks, "commitment").is_empty());
    for t in of_kind(&tasks, "shortcoming") {
        assert_eq!(t["deadline"], "2023-12-31");
        assert_eq!(t["year"], 2023);
    }
    assert_eq!(
        by_ref(&tasks, "2022-S3")["title"],
        "行政执法人员素质参差不齐，个别执法人员程序意识淡薄"
    );
    for t in of_kind(&tasks, "achievement") {
        assert_eq!(t["deadline"], "2022-12-31");
        assert_eq!(t["status"], "done");
    }
}

#[test]
fn a_different_file_adds_a_new_document() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(REFERENCE)]);
    let out = l.run_ok(&["import", &fx(LINJIANG)]);
    assert!(out.contains("as document #2: 16 tasks created."), "{out}");
    assert_eq!(count(&l.path, "document"), 2);
    let tasks = all_tasks(&l);
    assert_eq!(tasks.len(), 40);
    assert!(tasks[..24].iter().all(|t| t["document_id"] == 1));
    assert!(tasks[24..].iter().all(|t| t["document_id"] == 2));
    assert_eq!(
        l.show(25)["document"]["title"],
        "江南市临江区2025年法治政府建设年度报告"
    );
    // The progress table printed is that of the new document only.
    let last = out.trim_end().lines().last().unwrap();
    assert!(last.starts_with("| Total "), "{last}");
    assert_eq!(last.split('|').map(str::trim).nth(2), Some("16"), "{last}");

    // The GBK copy of the reference is other bytes of the same report (same issuer and report
    // year): already imported, no duplicates (issue 11; it used to become a third document).
    let out = l.run_ok(&["import", &fx(REFERENCE_GBK)]);
    assert!(out.contains("was already imported (document #1)"), "{out}");
    assert_eq!(count(&l.path, "document"), 2);
    let tasks = all_tasks(&l);
    assert_eq!(tasks.len(), 40);
    let mut all = refs(&tasks);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 40, "refs stay unique");
}

// ---------------------------------------------------------------------------------------------
// Bad input.

/// A bad input file in its own folder.
struct Bad {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn bad_file(name: &str, bytes: &[u8]) -> Bad {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    Bad { _dir: dir, path }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82";

/// Runs an import that must be refused on a ledger that already holds a report, and checks that
/// the ledger is exactly as it was.
fn refused_on_existing(args: &[&str], code: i32, needles: &[&str]) {
    let l = Ledger::init();
    l.run_ok(&["import", &fx(NANXI)]);
    l.checkpoint();
    let before = l.dump();
    let bytes = l.bytes();
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let f = l.fail(&all);
    f.check(code, needles);
    assert_eq!(l.dump(), before, "{args:?} changed the ledger");
    assert!(l.bytes() == bytes, "{args:?} changed the ledger's bytes");
}

#[test]
fn empty_file_is_refused() {
    let b = bad_file("empty.txt", b"");
    refused_on_existing(&[b.path.to_str().unwrap()], 1, &["empty"]);
}

#[test]
fn whitespace_only_file_is_refused() {
    let b = bad_file("blank.txt", " \n\t\r\n　\n  ".as_bytes());
    refused_on_existing(&[b.path.to_str().unwrap()], 1, &["empty"]);
}

#[test]
fn binary_file_is_refused() {
    let b = bad_file("scan.png", PNG);
    refused_on_existing(&[b.path.to_str().unwrap()], 1, &["binary"]);
}

#[test]
fn news_article_is_not_a_report() {
    refused_on_existing(&[&fx(NEWS)], 1, &["no report structure"]);
}

#[test]
fn file_over_ten_megabytes_is_refused() {
    // A real report repeated past the limit: it would parse, but it is too big to be one.
    let one = std::fs::read(fixture(REFERENCE)).unwrap();
    let mut bytes = Vec::new();
    while bytes.len() <= 10 * 1024 * 1024 {
        bytes.extend_from_slice(&one);
    }
    let b = bad_file("huge.txt", &bytes);
    refused_on_existing(&[b.path.to_str().unwrap()], 1, &["10 MB"]);
}

#[test]
fn missing_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("no-such-report.txt");
    refused_on_existing(&[p.to_str().unwrap()], 1, &["no-such-report.txt"]);
}

#[test]
fn directory_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused_on_existing(&[dir.path().to_str().unwrap()], 1, &["directory"]);
}

#[test]
fn forcing_utf8_on_the_gbk_file_is_refused() {
    refused_on_existing(
        &["--encoding", "utf-8", &fx(REFERENCE_GBK)],
        1,
        &["utf-8", "--encoding gbk"],
    );
}

#[test]
fn unknown_encoding_is_a_usage_error() {
    refused_on_existing(&["--encoding", "latin1", &fx(REFERENCE)], 2, &["latin1"]);
}

#[test]
fn bad_plan_year_is_a_usage_error() {
    refused_on_existing(&["--year", "20x6", &fx(REFERENCE)], 2, &["20x6"]);
}

/// Every bad input, run with no ledger file: none may create one.
fn bad_inputs() -> (Vec<Bad>, Vec<Vec<String>>) {
    let empty = bad_file("empty.txt", b"");
    let blank = bad_file("blank.txt", b"  \n\n ");
    let png = bad_file("scan.png", PNG);
    let big = bad_file("huge.txt", &vec![b'a'; 10 * 1024 * 1024 + 1]);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let argv = |p: &Path| vec![p.display().to_string()];
    let runs = vec![
        argv(&empty.path),
        argv(&blank.path),
        argv(&png.path),
        argv(&big.path),
        argv(&fixture(NEWS)),
        argv(&missing),
        argv(dir.path()),
        vec!["--encoding".into(), "utf-8".into(), fx(REFERENCE_GBK)],
    ];
    let keep = Bad {
        _dir: dir,
        path: missing,
    };
    (vec![empty, blank, png, big, keep], runs)
}

#[test]
fn bad_input_creates_no_ledger_file() {
    let (_keep, runs) = bad_inputs();
    for args in runs {
        let l = Ledger::new();
        let mut all = vec!["import".to_string()];
        all.extend(args.iter().cloned());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        l.fail(&all).check(1, &[]);
        assert!(!l.path.exists(), "{args:?} created {}", l.path.display());
        let left: Vec<_> = std::fs::read_dir(l.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "{args:?} left {left:?}");
    }
}

#[test]
fn usage_error_creates_no_ledger_file() {
    let l = Ledger::new();
    l.fail(&["import", "--encoding", "latin1", &fx(REFERENCE)])
        .check(2, &["latin1"]);
    assert!(!l.path.exists());
}

#[test]
fn the_same_content_with_other_line_ends_is_the_same_document() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(REFERENCE)]);
    l.checkpoint();
    let before = l.dump();
    let text = std::fs::read_to_string(fixture(REFERENCE)).unwrap();
    let crlf = bad_file("copy-crlf.txt", text.replace('\n', "\r\n").as_bytes());
    let v = l.json(&["import", crlf.path.to_str().unwrap()]);
    assert_eq!(v["already_imported"], true, "{v}");
    assert_eq!(v["document"], 1);
    assert_eq!(l.dump(), before);
}

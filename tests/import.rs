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

fn by_ref<'a>(tasks: &'a [Value], r: &str) -> &'a Value {
    tasks
        .iter()
        .find(|t| t["ref"] == r)
        .unwrap_or_else(|| panic!("no task with ref {r}"))
}

/// The imported tasks as a snapshot holds them, one line each in id order: ref, kind, area,
/// title, status and progress, deadline (and the words it came from), plan year, owner and
/// co-owners, completion date, overdue flag and document.
fn items(tasks: &[Value]) -> String {
    let text = |v: &Value| match v {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    tasks
        .iter()
        .map(|t| {
            format!(
                "{} | {} | {} | {} | {} {}% | due {} ({}) | year {} | owner {} co {} | completed {} | overdue {} | doc {}\n",
                text(&t["ref"]),
                text(&t["kind"]),
                text(&t["area"]),
                text(&t["title"]),
                text(&t["status"]),
                text(&t["progress"]),
                text(&t["deadline"]),
                text(&t["deadline_text"]),
                text(&t["year"]),
                text(&t["owner"]),
                text(&t["co_owners"]),
                text(&t["completed_at"]),
                text(&t["overdue"]),
                text(&t["document_id"]),
            )
        })
        .collect()
}

/// Checks a ledger holding exactly the reference report, imported with plan year `plan`: 15
/// achievements, 3 shortcomings and 6 commitments in report order, every value in the snapshot.
fn assert_reference_tasks(tasks: &[Value], plan: i32) {
    assert_eq!(
        tasks.len(),
        24,
        "15 achievements + 3 shortcomings + 6 commitments"
    );
    insta::assert_snapshot!(format!("reference_plan_{plan}"), items(tasks));
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
    // The title, issuer and years, each section with its count and items (ref, deadline,
    // title), the totals, the suggested link and the closing "nothing was written".
    insta::assert_snapshot!("reference_dry_run", out);
}

#[test]
fn dry_run_leaves_an_existing_ledger_unchanged() {
    let l = Ledger::init();
    // Its plan year 2026 lies in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
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
    // Each section as "part | area title | item refs": 5 achievement areas of 3 items, the
    // shortcomings, and 3 plan areas of 2 commitments.
    let refs = |items: &Value| -> String {
        let refs: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| s(&i["ref"]))
            .collect();
        refs.join(" ")
    };
    let mut sections = Vec::new();
    for part in ["achievements", "plans"] {
        for sec in r[part].as_array().unwrap() {
            sections.push(format!(
                "{part} | {} | {}",
                s(&sec["title"]),
                refs(&sec["items"])
            ));
        }
    }
    sections.push(format!("shortcomings | {}", refs(&r["shortcomings"])));
    insta::assert_snapshot!("reference_dry_run_sections", sections.join("\n"));
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
    // Its plan year 2026 lies in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
    l.run_ok(&["import", "--year", "2026", &fx(REFERENCE)]);
    let tasks = all_tasks(&l);
    assert_reference_tasks(&tasks, 2026);
    assert_eq!(l.show(1)["document"]["plan_year"], 2026);
}

#[test]
fn linjiang_report() {
    let l = Ledger::new();
    // Its plan year 2026 lies in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
    let out = l.run_ok(&["import", "--owner", "区政府办", &fx(LINJIANG)]);
    assert!(
        out.starts_with("Imported \"江南市临江区2025年法治政府建设年度报告\" as document #1: 16 tasks created.\n"),
        "{out}"
    );
    let tasks = all_tasks(&l);
    insta::assert_snapshot!("linjiang", items(&tasks));
    // Refs, kinds, titles, areas, deadlines with their words, owners and co-owners: all in the
    // snapshot.
    assert_eq!(tasks.len(), 16);
}

#[test]
fn donghu_report_with_bom() {
    let l = Ledger::new();
    l.run_ok(&["import", &fx(DONGHU)]);
    let tasks = all_tasks(&l);
    insta::assert_snapshot!("donghu", items(&tasks));
    // The 第一责任人 part is reported, not tracked: it yields no tasks.
    assert_eq!(tasks.len(), 13);
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
    insta::assert_snapshot!("nanxi", items(&tasks));
    // No plans: shortcomings are due at the end of the following year, as the snapshot shows.
    assert_eq!(tasks.len(), 8);
}

#[test]
fn a_different_file_adds_a_new_document() {
    let l = Ledger::new();
    // Its plan year 2026 lies in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
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

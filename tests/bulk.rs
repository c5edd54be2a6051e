//! JSON Lines bulk exchange: the round trip is exact, merging keeps refs unique and the
//! merged ledger proves sound, a year-limited file stands on its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{count, dump_db, Ledger};

const REPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/tianning-2024-report.txt"
);

/// A ledger with some of everything: an imported report with a link, sub-tasks, a re-parented
/// task, notes, a cancelled task, a deadline change, an undo.
fn busy_ledger() -> Ledger {
    let l = Ledger::init();
    l.run_ok(&["import", REPORT, "--link"]);
    l.add(
        "区城管局案卷评查",
        &["--parent", "23", "--owner", "区城管局", "--progress", "30"],
    );
    l.add(
        "区市场监管局案卷评查",
        &["--parent", "23", "--co-owner", "区司法局"],
    );
    l.add(
        "临时任务",
        &["--deadline", "2025年6月底前", "--outline-area", "FZ05"],
    );
    l.run_ok(&["update", "25", "--parent", "24"]);
    l.run_ok(&["note", "23", "已部署三年行动"]);
    l.run_ok(&["update", "27", "--deadline", "2025-09", "--note", "延期"]);
    l.run_ok(&["update", "26", "--status", "cancelled", "--note", "并入"]);
    l.run_ok(&["update", "19", "--progress", "20"]);
    l.run_ok(&["undo", "--yes"]);
    l
}

fn export_jsonl(l: &Ledger, extra: &[&str]) -> String {
    let mut args = vec!["export", "--format", "jsonl"];
    args.extend_from_slice(extra);
    l.run_ok(&args)
}

#[test]
fn export_import_export_is_identical() {
    let a = busy_ledger();
    let first = export_jsonl(&a, &[]);
    let file = a.dir.path().join("a.jsonl");
    std::fs::write(&file, &first).unwrap();

    let b = Ledger::new();
    let out = b.run_ok(&["--lang", "en", "import", file.to_str().unwrap()]);
    assert!(out.contains("Imported 27 tasks"), "{out}");
    assert_eq!(export_jsonl(&b, &[]), first);
    b.run_ok(&["check"]);
    // The same ledger, seen through the ordinary commands.
    assert_eq!(
        a.json(&["list", "--format", "json"]),
        b.json(&["list", "--format", "json"])
    );
    assert_eq!(
        a.json(&["history", "--format", "json"]),
        b.json(&["history", "--format", "json"])
    );
    // And to a file with -o: the same bytes.
    let out = a.dir.path().join("o.jsonl");
    a.run_ok(&["export", "--format", "jsonl", "-o", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
}

#[test]
fn merging_a_district_keeps_refs_unique_and_the_ledger_sound() {
    let district = busy_ledger();
    let file = district.dir.path().join("d.jsonl");
    std::fs::write(&file, export_jsonl(&district, &[])).unwrap();

    let city = Ledger::init();
    city.run_ok(&["import", REPORT]);
    city.add("市级任务", &[]);
    let before = dump_db(&city.path);

    // Without a label the refs collide: refused, nothing written.
    let f = city.fail(&["import", file.to_str().unwrap()]);
    f.check(1, &["--source"]);
    assert_eq!(dump_db(&city.path), before);

    city.run_ok(&["import", file.to_str().unwrap(), "--source", "天宁区"]);
    city.run_ok(&["check"]);
    assert_eq!(count(&city.path, "task"), 25 + 27);
    let t = city.json(&["list", "--search", "天宁区/2025-C3.1", "--format", "json"]);
    let t = &t.as_array().unwrap()[0];
    assert_eq!(t["ref"], "天宁区/2025-C3.1");
    let id = t["id"].as_i64().unwrap();
    assert_eq!(id, 25 + 23, "ids shifted past the city's own");
    // Its link and sub-tasks came along, pointing at the shifted ids.
    let s = city.show(id);
    assert_eq!(s["addresses"][0]["ref"], "天宁区/2024-S3");
    let kids: Vec<i64> = s["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(kids, [25 + 26], "25 was moved under 24; 26 stayed");
    // The same report's document is not stored twice.
    assert_eq!(count(&city.path, "document"), 1);
}

#[test]
fn a_year_limited_file_imports_on_its_own() {
    let a = busy_ledger();
    let text = export_jsonl(&a, &["--year", "2025"]);
    let file = a.dir.path().join("y.jsonl");
    std::fs::write(&file, &text).unwrap();
    let b = Ledger::new();
    b.run_ok(&["import", file.to_str().unwrap()]);
    b.run_ok(&["check"]);
    // The plan year's tasks, plus what their history refers to (none of the 2024 ones here).
    let tasks = b.json(&["list", "--format", "json"]);
    let years: Vec<i64> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years.len(), 12);
    assert!(years.iter().all(|&y| y == 2025));
}

#[test]
fn a_newer_or_foreign_file_is_refused() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let before = dump_db(&l.path);
    let newer = l.dir.path().join("newer.jsonl");
    std::fs::write(
        &newer,
        "{\"type\":\"header\",\"format\":\"taizhang-jsonl\",\"version\":9,\"outline\":\"2021-2025\",\"year\":null}\n",
    )
    .unwrap();
    l.fail(&["import", newer.to_str().unwrap()])
        .check(1, &["newer taizhang"]);
    let foreign = l.dir.path().join("foreign.jsonl");
    std::fs::write(&foreign, "{\"name\":\"x\"}\n").unwrap();
    l.fail(&["import", foreign.to_str().unwrap()])
        .check(1, &["line 1"]);
    assert_eq!(dump_db(&l.path), before);
}

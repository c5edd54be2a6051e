//! `export --fill --owner UNIT` reads only that unit's tasks (through the unit index) instead
//! of every open task of the ledger. These tests prove that the narrower read changes no sheet:
//! the workbook for one unit, named by its name, an alias or a former name, is the same as the
//! one the export of every unit writes for it, part by part (all but the workbook's creation
//! time in docProps/core.xml, which is the wall clock).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::Ledger;

/// The office works on 3 April; the sheets are for the period ending 31 March.
const NOW: &str = "2026-04-03T10:00:00+08:00";

/// Every part of a workbook by name, but the one that holds the wall-clock creation time.
fn parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().to_string();
        if name == "docProps/core.xml" {
            continue;
        }
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(name, bytes);
    }
    out
}

/// The names of the parts in which two workbooks differ (empty when they are the same), so
/// that a failure names the parts instead of printing their bytes.
fn differing(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (parts(a), parts(b));
    let mut names: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names.retain(|n| a.get(n) != b.get(n));
    names
}

/// A ledger of several units with leads, supporting units, closed tasks, an alias and a
/// renamed unit: every way a task can belong to a unit under another of its names.
fn ledger() -> Ledger {
    let l = Ledger::init().at("2026-01-05T09:00:00+08:00");
    fn with<'a>(owner: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec![
            "--owner",
            owner,
            "--deadline",
            "2026-06-30",
            "--kind",
            "commitment",
        ];
        a.extend_from_slice(extra);
        a
    }
    l.add("司法局牵头的任务", &with("区司法局", &[]));
    l.add(
        "城管局牵头、司法局配合",
        &with("区城管局", &["--co-owner", "区司法局"]),
    );
    l.add(
        "教育局牵头、城管局配合",
        &with("区教育局", &["--co-owner", "区城管局"]),
    );
    let done = l.add("司法局已完成的任务", &with("区司法局", &[]));
    l.run_ok(&[
        "update",
        &done.to_string(),
        "--status",
        "done",
        "--note",
        "已完成",
    ]);
    let doing = l.add("司法局推进中的任务", &with("区司法局", &[]));
    l.run_ok(&["update", &doing.to_string(), "--progress", "40"]);
    l.add(
        "财政局牵头的任务",
        &with("区财政局", &["--co-owner", "区教育局"]),
    );
    // A task written with the alias before it was declared, and a unit renamed afterwards.
    l.add("以简称填写的司法局任务", &with("司法局", &[]));
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    l.run_ok(&["unit", "rename", "区城管局", "区城市管理局"]);
    l.at(NOW)
}

/// The sheet of each unit, asked for alone by any of its names, equals its sheet in the export
/// of every unit.
#[test]
fn one_unit_sheet_equals_its_sheet_in_the_export_of_all_units() {
    let l = ledger();
    let all = l.sibling("all");
    std::fs::create_dir(&all).unwrap();
    l.run_ok(&["export", "--fill", "-o", all.to_str().unwrap()]);

    for (asked, current, tasks) in [
        ("区司法局", "区司法局", 4),
        ("司法局", "区司法局", 4),
        ("区城管局", "区城市管理局", 2),
        ("区城市管理局", "区城市管理局", 2),
        ("区教育局", "区教育局", 2),
        ("区财政局", "区财政局", 1),
    ] {
        let one = l.sibling(&format!("one-{asked}.xlsx"));
        let out = l.run_ok(&[
            "export",
            "--fill",
            "--owner",
            asked,
            "-o",
            one.to_str().unwrap(),
        ]);
        assert!(
            out.contains(&format!("for {current}: {tasks} tasks")),
            "{asked}: {out}"
        );
        let whole = all.join(format!("{current}.xlsx"));
        assert!(
            whole.exists(),
            "no sheet for {current} in the export of all units"
        );
        assert_eq!(
            differing(&one, &whole),
            Vec::<String>::new(),
            "the sheet for {asked} differs from {current}'s sheet in the export of all units"
        );
    }
}

/// Two units asked for together into a folder get the same sheets as in the export of all.
#[test]
fn several_units_into_a_folder_equal_their_sheets_in_the_export_of_all_units() {
    let l = ledger();
    let all = l.sibling("all");
    let two = l.sibling("two");
    std::fs::create_dir(&all).unwrap();
    std::fs::create_dir(&two).unwrap();
    l.run_ok(&["export", "--fill", "-o", all.to_str().unwrap()]);
    l.run_ok(&[
        "export",
        "--fill",
        "--owner",
        "司法局",
        "--owner",
        "区城管局",
        "-o",
        two.to_str().unwrap(),
    ]);
    for unit in ["区司法局", "区城市管理局"] {
        let name = format!("{unit}.xlsx");
        let (two, all) = (two.join(&name), all.join(&name));
        assert_eq!(differing(&two, &all), Vec::<String>::new(), "{unit}");
    }
    assert_eq!(std::fs::read_dir(&two).unwrap().count(), 2);
}

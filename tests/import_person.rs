//! Issue 13, part A (1): a report that names a responsible person (责任人：…) or a contact
//! (联系人：…, 联系电话：…) in a lead-unit bracket gives its commitments that person and
//! contact; the units of the same bracket stay the units. The fixture's expected commitments
//! are a snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/shapes/wujin-2025-responsible-persons.txt"
);

#[test]
fn brackets_name_the_responsible_person_and_contact() {
    let l = Ledger::new();
    let v = l.json(&["import", "--dry-run", FIXTURE]);
    let mut lines = Vec::new();
    for s in v["report"]["plans"].as_array().unwrap() {
        for i in s["items"].as_array().unwrap() {
            let text = |k: &str| i[k].as_str().unwrap_or("-").to_string();
            let co: Vec<&str> = i["co_owners"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            lines.push(format!(
                "{} | {} | {} | {} | {} | {} | {}",
                text("ref"),
                text("deadline"),
                text("owner"),
                co.join("、"),
                text("person"),
                text("contact"),
                text("title")
            ));
        }
    }
    insta::assert_snapshot!("wujin", lines.join("\n"));
}

#[test]
fn imported_tasks_carry_the_person_and_contact() {
    let l = Ledger::new();
    // Its plan year 2026 lies in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
    l.run_ok(&["import", FIXTURE]);
    let mine = l.json(&["list", "--person", "张主任"]);
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["owner"], "区司法局");
    assert_eq!(mine[0]["contact"], "李科长 0519-86001234");
    // The person is not read as a unit.
    let units = l.json(&["unit", "list"]);
    let names: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["区司法局", "区政府办公室", "区综合执法局"]);
    l.run_ok(&["check"]);
}

//! JSON Lines import validates what it writes (issue 9, case 6): every file below was accepted
//! with exit 0 before, and each must now be refused whole with one line naming the first bad
//! line, leaving the ledger exactly as it was. A merge records a change of its own, which
//! `undo` takes back whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use common::{dump_db, Ledger};
use serde_json::{json, Value};

/// A small ledger with a shortcoming (#1), a sub-task of it (#2) whose progress changed, and a
/// task (#3) that addresses the shortcoming and carries a note.
fn source() -> Ledger {
    let l = Ledger::init();
    l.add("甲", &["--kind", "shortcoming"]);
    l.add("乙", &["--parent", "1"]);
    l.add("丙", &[]);
    l.run_ok(&["link", "3", "--addresses", "1"]);
    l.run_ok(&["update", "2", "--progress", "30"]);
    l.run_ok(&["note", "3", "已部署"]);
    l
}

/// The exported lines of `source()`: [header, task 1, task 2, task 3]. The file line of
/// `lines[i]` is i + 1.
fn lines() -> Vec<Value> {
    let l = source();
    l.run_ok(&["export", "--format", "jsonl"])
        .lines()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect()
}

fn write(l: &Ledger, name: &str, lines: &[Value]) -> PathBuf {
    let mut text = String::new();
    for v in lines {
        text.push_str(&serde_json::to_string(v).unwrap());
        text.push('\n');
    }
    let p = l.sibling(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A ledger with work of its own that a merge must not touch: two tasks, three changes.
fn city() -> Ledger {
    let l = Ledger::init();
    l.add("市级任务", &[]);
    l.add("市级任务二", &[]);
    l.run_ok(&["update", "1", "--progress", "10"]);
    l
}

/// Imports `lines` into a ledger with tasks and into a new one: both must refuse with one line
/// (exit 1) holding every needle, and change nothing.
fn refused(lines: &[Value], needles: &[&str]) {
    let l = city();
    let file = write(&l, "bad.jsonl", lines);
    let before = dump_db(&l.path);
    let f = l.fail(&["import", file.to_str().unwrap(), "--source", "外区"]);
    f.check(1, needles);
    assert_eq!(
        dump_db(&l.path),
        before,
        "a refused merge changed the ledger"
    );
    l.run_ok(&["check"]);

    let fresh = Ledger::new();
    let f = fresh.fail(&["import", file.to_str().unwrap()]);
    f.check(1, needles);
    assert_eq!(
        dump_db(&fresh.path),
        "MISSING",
        "a refused first import left a ledger"
    );
}

/// A history row of a change of its own, at the time every row of `source()` has (so the
/// task's updated_at stays that of its latest row).
fn row(id: i64, field: &str, old: Value, new: Value) -> Value {
    json!({
        "id": id, "change_id": id, "at": "2025-03-01T09:00:00+08:00", "actor": "外区",
        "command": "update", "undoes": null, "field": field, "old": old, "new": new, "note": null
    })
}

fn history(v: &mut Value) -> &mut Vec<Value> {
    v["history"].as_array_mut().unwrap()
}

#[test]
fn the_unchanged_file_imports_and_is_sound() {
    let l = city();
    let file = write(&l, "ok.jsonl", &lines());
    l.run_ok(&["import", file.to_str().unwrap(), "--source", "外区"]);
    l.run_ok(&["check"]);
    let fresh = Ledger::new();
    fresh.run_ok(&["import", file.to_str().unwrap()]);
    fresh.run_ok(&["check"]);
}

#[test]
fn a_parent_cycle_is_refused() {
    let mut ls = lines();
    // #2 is under #1; putting #1 under #2, with the history that says so, closes a loop.
    ls[1]["parent_id"] = json!(2);
    history(&mut ls[1]).push(row(100, "parent_id", json!(null), json!("2")));
    refused(&ls, &["line 2", "cycle"]);
}

#[test]
fn a_self_parent_is_refused() {
    let mut ls = lines();
    ls[3]["parent_id"] = json!(3);
    history(&mut ls[3]).push(row(100, "parent_id", json!(null), json!("3")));
    refused(&ls, &["line 4", "cycle"]);
}

#[test]
fn current_fields_that_disagree_with_the_history_are_refused() {
    let mut ls = lines();
    ls[3]["title"] = json!("改过的标题");
    refused(&ls, &["line 4", "title", "history"]);
}

#[test]
fn a_task_without_a_creation_row_is_refused() {
    let mut ls = lines();
    history(&mut ls[3]).remove(0);
    refused(&ls, &["line 4", "creation"]);
}

#[test]
fn a_task_with_two_creation_rows_is_refused() {
    let mut ls = lines();
    let mut again = history(&mut ls[3])[0].clone();
    again["id"] = json!(100);
    again["change_id"] = json!(100);
    history(&mut ls[3]).push(again);
    refused(&ls, &["line 4", "creation"]);
}

#[test]
fn history_pointing_at_missing_tasks_is_refused() {
    // A link to #999 made and taken back: the end state is fine, the history is not.
    let mut ls = lines();
    history(&mut ls[3]).push(row(100, "addresses", json!(null), json!("999")));
    history(&mut ls[3]).push(row(101, "addresses", json!("999"), json!(null)));
    refused(&ls, &["line 4", "999"]);

    // A sub-task created under #999 and moved under #1.
    let mut ls = lines();
    let created = &mut history(&mut ls[2])[0];
    let mut fields: Value = serde_json::from_str(created["new"].as_str().unwrap()).unwrap();
    fields["parent_id"] = json!(999);
    created["new"] = json!(fields.to_string());
    history(&mut ls[2]).push(row(100, "parent_id", json!("999"), json!("1")));
    refused(&ls, &["line 3", "999"]);
}

#[test]
fn an_unknown_status_in_the_history_is_refused() {
    let mut ls = lines();
    history(&mut ls[3]).push(row(100, "status", json!("todo"), json!("exploded")));
    history(&mut ls[3]).push(row(101, "status", json!("exploded"), json!("todo")));
    refused(&ls, &["line 4", "exploded"]);
}

#[test]
fn an_impossible_deadline_is_refused() {
    let mut ls = lines();
    ls[3]["deadline"] = json!("9999-99-99");
    let created = &mut history(&mut ls[3])[0];
    let mut fields: Value = serde_json::from_str(created["new"].as_str().unwrap()).unwrap();
    fields["deadline"] = json!("9999-99-99");
    created["new"] = json!(fields.to_string());
    refused(&ls, &["line 4", "9999-99-99"]);
}

#[test]
fn change_ids_that_would_reach_local_changes_are_refused() {
    // change_id -1 would attach to the city's own change, undoes -2 would mark its change #1
    // undone.
    let mut ls = lines();
    let note = history(&mut ls[3]).last_mut().unwrap();
    note["change_id"] = json!(-1);
    note["undoes"] = json!(-2);
    refused(&ls, &["line 4", "change"]);

    // An undo of a change this task never had.
    let mut ls = lines();
    let note = history(&mut ls[3]).last_mut().unwrap();
    note["undoes"] = json!(1);
    refused(&ls, &["line 4", "undoes"]);
}

#[test]
fn a_task_id_out_of_range_is_refused() {
    let mut ls = lines();
    ls[3]["id"] = json!(i64::MAX);
    refused(&ls, &["line 4", "id"]);
    let mut ls = lines();
    ls[3]["id"] = json!(0);
    refused(&ls, &["line 4", "id"]);
}

#[test]
fn a_title_longer_than_the_command_line_allows_is_refused() {
    let mut ls = lines();
    let long = "长".repeat(501);
    ls[3]["title"] = json!(long);
    let created = &mut history(&mut ls[3])[0];
    let mut fields: Value = serde_json::from_str(created["new"].as_str().unwrap()).unwrap();
    fields["title"] = json!(long);
    created["new"] = json!(fields.to_string());
    refused(&ls, &["line 4", "title", "500"]);
}

#[test]
fn a_line_beyond_the_byte_limit_is_refused_without_reading_it_whole() {
    // 65 MiB of title on one line: more than any export writes (a report is at most 10 MB).
    let mut ls = lines();
    ls[3]["title"] = json!("a".repeat(65 << 20));
    refused(&ls, &["line 4", "longer than"]);
}

#[test]
fn undo_after_a_merge_takes_back_the_whole_import() {
    let l = city();
    let file = write(&l, "ok.jsonl", &lines());
    l.run_ok(&["import", file.to_str().unwrap(), "--source", "外区"]);
    // The file's own changes were made by the same person: undo must still take back the
    // import, not the file's last note.
    let out = l.run_ok(&["undo", "--yes"]);
    assert!(out.contains("import"), "{out}");
    for id in [3, 4, 5] {
        assert_eq!(l.show(id)["status"], "cancelled", "task #{id}");
    }
    for id in [1, 2] {
        assert_ne!(l.show(id)["status"], "cancelled", "local task #{id}");
    }
    l.run_ok(&["check"]);
}

#[test]
fn a_history_row_whose_old_value_was_never_held_is_refused() {
    // Task 2's progress went 0 → 30; a file that says it went 55 → 30 would make `undo` refuse
    // the row later and the trail tell something that never was.
    let mut ls = lines();
    let progress = history(&mut ls[2]).last_mut().unwrap();
    assert_eq!(progress["field"], "progress");
    progress["old"] = json!("55");
    refused(&ls, &["line 3", "old value"]);
}

#[test]
fn the_first_bad_line_is_named_even_when_found_later() {
    // Task 1 is put under task 2, which the file leaves out; task 3 (now line 3) is bad too.
    // Line 2 is the first bad line, though only line 3 shows that task 2 never comes.
    let mut ls = lines();
    ls[1]["parent_id"] = json!(2);
    history(&mut ls[1]).push(row(100, "parent_id", json!(null), json!("2")));
    ls[3]["deadline"] = json!("9999-99-99");
    ls.remove(2);
    refused(&ls, &["line 2", "task 2", "not in the file"]);
}

#[test]
fn a_document_whose_text_does_not_match_its_sha256_is_refused() {
    let l = Ledger::init();
    l.run_ok(&[
        "import",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/tianning-2024-report.txt"
        ),
    ]);
    let mut ls: Vec<Value> = l
        .run_ok(&["export", "--format", "jsonl"])
        .lines()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect();
    assert_eq!(ls[1]["type"], "document");
    let text = ls[1]["text"].as_str().unwrap().replacen("法治", "人治", 1);
    ls[1]["text"] = json!(text);
    refused(&ls, &["line 2", "sha256"]);
}

#[test]
fn the_highest_id_allowed_leaves_room_for_later_tasks() {
    // 2^53 - 1 is the last id a file may hold: the ledger can still add after it, where an id
    // of 2^63 - 1 made every later `add` fail with "database or disk is full".
    let mut ls = lines();
    let max = (1_i64 << 53) - 1;
    ls[3]["id"] = json!(max);
    let l = Ledger::new();
    let file = write(&l, "max.jsonl", &ls);
    l.run_ok(&["import", file.to_str().unwrap()]);
    assert_eq!(l.add("之后的任务", &[]), max + 1);
    l.run_ok(&["check"]);
    // Merged into a ledger with tasks, the same id would be shifted past the limit: refused.
    let city = city();
    let before = dump_db(&city.path);
    city.fail(&["import", file.to_str().unwrap(), "--source", "外区"])
        .check(1, &["line 4", "beyond"]);
    assert_eq!(dump_db(&city.path), before);
}

/// Rows and changes as `check` proves them across a ledger: a change's rows share its time
/// and actor, rows never go back to an earlier change, a task's updated_at is its latest
/// row's time, and times are RFC 3339.
#[test]
fn history_rows_that_disagree_with_their_change_are_refused() {
    // A second row of the note's change, an hour later.
    let mut ls = lines();
    let mut again = history(&mut ls[3]).last().unwrap().clone();
    again["id"] = json!(100);
    again["at"] = json!("2025-03-01T10:00:00+08:00");
    history(&mut ls[3]).push(again);
    ls[3]["updated_at"] = json!("2025-03-01T10:00:00+08:00");
    refused(&ls, &["line 4", "time", "change"]);

    // A note of change 1 (the creation of task 1) after rows of later changes.
    let mut ls = lines();
    let mut early = history(&mut ls[3]).last().unwrap().clone();
    let first = ls[1]["history"][0].clone();
    early["id"] = json!(100);
    early["change_id"] = json!(1);
    early["at"] = first["at"].clone();
    early["actor"] = first["actor"].clone();
    early["command"] = first["command"].clone();
    history(&mut ls[3]).push(early);
    refused(&ls, &["line 4", "later change"]);
}

#[test]
fn an_updated_at_that_no_history_row_has_is_refused() {
    let mut ls = lines();
    ls[3]["updated_at"] = json!("2025-03-02T00:00:00+08:00");
    refused(&ls, &["line 4", "updated_at"]);
}

#[test]
fn a_history_time_that_is_not_rfc_3339_is_refused() {
    let mut ls = lines();
    let note = history(&mut ls[3]).last_mut().unwrap();
    note["at"] = json!("2025-03-01T09:00:00");
    ls[3]["updated_at"] = json!("2025-03-01T09:00:00");
    refused(&ls, &["line 4", "RFC 3339"]);
}

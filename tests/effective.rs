//! Recorded time and effective time (issue 12): every change is recorded at the clock's time
//! and takes effect on the day `--on` gives (default: when recorded). TAIZHANG_NOW is only the
//! test clock here; back-dating is done with `--on`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::Ledger;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn export_json(l: &Ledger, extra: &[&str]) -> Value {
    let mut args = vec!["export", "--format", "json"];
    args.extend_from_slice(extra);
    let out = l.run_ok(&args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON {e}: {out}"))
}

fn tasks_of(v: &Value) -> Vec<Value> {
    v["tasks"].as_array().cloned().unwrap_or_default()
}

/// The issue's first failure: a clock set behind the ledger (the old way of back-dating) used
/// to write a row before its task's creation, after which `export` failed for the whole
/// ledger. The recorded time now never goes back, so the ledger stays replayable.
#[test]
fn a_clock_behind_the_ledger_cannot_break_the_history() {
    let mut l = Ledger::init().at("2026-01-10T10:00:00+08:00");
    let id = l
        .add("推进行政执法三项制度", &["--year", "2025"])
        .to_string();
    l.set_now("2025-11-01T10:00:00+08:00");
    l.run_ok(&[
        "update",
        &id,
        "--status",
        "doing",
        "--progress",
        "50",
        "--note",
        "推进中",
    ]);
    l.run_ok(&["note", &id, "已召开推进会"]);
    // Two clocks an hour apart in different time zones.
    l.set_now("2026-01-10T09:30:00+07:00");
    l.run_ok(&["update", &id, "--progress", "60"]);
    l.set_now("2026-02-01T10:00:00+08:00");
    // Recorded in 2026 whatever the clock said: the task did not stand in 2025.
    let v = export_json(&l, &["--year", "2025"]);
    assert_eq!(tasks_of(&v).len(), 0, "{v}");
    let v = export_json(&l, &["--year", "2026"]);
    assert_eq!(tasks_of(&v).len(), 1, "{v}");
    l.run_ok(&["check"]);
    let t = l.show(id.parse().unwrap());
    assert_eq!(t["progress"], 60, "{t}");
}

/// `--on` back-dates a change: it is recorded now and takes effect on that day, and history
/// and show print both times.
#[test]
fn on_records_now_and_takes_effect_that_day() {
    let l = Ledger::init().at("2026-04-10T15:00:00+08:00");
    let id = l
        .add("落实重大行政决策程序", &["--on", "2026-03-01"])
        .to_string();
    l.run_ok(&["update", &id, "--progress", "40", "--on", "2026-03-31"]);
    let h = l.json(&["history", &id]);
    let rows = h.as_array().unwrap();
    let last = rows.last().unwrap();
    assert!(
        last["at"].as_str().unwrap().starts_with("2026-04-10"),
        "{last}"
    );
    assert!(
        last["effective"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-31"),
        "{last}"
    );
    let table = l.run_ok(&["history", &id]);
    assert!(
        table.contains("recorded 2026-04-10, effective 2026-03-31"),
        "{table}"
    );
    let zh = l.run_ok(&["--lang", "zh", "history", &id]);
    assert!(zh.contains("2026-04-10 录入，2026-03-31 生效"), "{zh}");
    l.run_ok(&["check"]);
}

/// Bad `--on`: unreadable, in the future, before the task existed, before a later change,
/// or on a command that changes nothing. One line, exit 2 or 1, ledger unchanged.
#[test]
fn bad_on_is_refused_and_changes_nothing() {
    let l = Ledger::init().at("2026-04-10T15:00:00+08:00");
    let id = l.add("甲", &["--on", "2026-03-01"]).to_string();
    l.run_ok(&["update", &id, "--progress", "40", "--on", "2026-03-31"]);
    let before = l.dump();
    l.fail(&["update", &id, "--progress", "50", "--on", "not-a-day"])
        .check(2, &["--on"]);
    l.fail(&["update", &id, "--progress", "50", "--on", "2026-04-11"])
        .check(2, &["future"]);
    l.fail(&["note", &id, "早", "--on", "2026-02-28"])
        .check(1, &["before task", "2026-03-01"]);
    l.fail(&["update", &id, "--progress", "50", "--on", "2026-03-15"])
        .check(1, &["latest change", "2026-03-31"]);
    l.fail(&["list", "--on", "2026-03-15"])
        .check(2, &["--as-of"]);
    l.fail(&["undo", "--on", "2026-03-15"]).check(2, &["--on"]);
    assert_eq!(before, l.dump(), "a refused --on changed the ledger");
    // A note may come in out of order (it changes no field), as long as the task existed.
    l.run_ok(&["note", &id, "三月中旬已启动", "--on", "2026-03-15"]);
    l.run_ok(&["check"]);
}

/// The issue's fourth failure: a report imported in 2025 holds 2024 achievements, which a
/// 2024 year-end export must show; the report's other items take effect on its issue date.
#[test]
fn a_year_end_export_holds_the_achievements_of_a_report_imported_later() {
    let l = Ledger::init().at("2025-03-10T09:00:00+08:00");
    l.run_ok(&[
        "import",
        fixture("tianning-2024-report.txt").to_str().unwrap(),
    ]);
    let v = export_json(&l, &["--year", "2024"]);
    let kinds: Vec<String> = tasks_of(&v)
        .iter()
        .map(|t| t["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        kinds.iter().any(|k| k == "achievement"),
        "2024 export without the 2024 achievements: {v}"
    );
    let h = l.json(&["history"]);
    let created: Vec<&Value> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "created")
        .collect();
    assert!(created
        .iter()
        .all(|r| r["at"].as_str().unwrap().starts_with("2025-03-10")));
    assert!(created
        .iter()
        .any(|r| r["effective"].as_str().unwrap().starts_with("2025-02-21")));
    assert!(created
        .iter()
        .any(|r| r["effective"].as_str().unwrap().starts_with("2024-12-31")));
    l.run_ok(&["check"]);
}

/// An export as of a day before a back-dated change shows the task as it stood then, and
/// one after shows the change: the cut-off compares effective times.
#[test]
fn export_as_of_follows_effective_days() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let id = l
        .add("清理规范性文件", &["--on", "2025-06-01", "--year", "2025"])
        .to_string();
    l.run_ok(&[
        "update",
        &id,
        "--status",
        "blocked",
        "--note",
        "经费未到位",
        "--on",
        "2025-08-01",
    ]);
    let status = |v: &Value| tasks_of(v)[0]["status"].as_str().unwrap().to_string();
    let june = export_json(&l, &["--year", "2025", "--as-of", "2025-06-20"]);
    let dec = export_json(&l, &["--year", "2025"]);
    assert_ne!(status(&june), status(&dec), "{june}\n{dec}");
}

/// The issue's second failure: `warn --as-of` showed today's status. A task blocked (and
/// behind) in August is not shown blocked in June, and a task added later is not there.
#[test]
fn warn_as_of_shows_the_tasks_as_they_stood_that_day() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let id = l
        .add(
            "清理规范性文件",
            &[
                "--on",
                "2025-01-02",
                "--year",
                "2025",
                "--deadline",
                "2025-06-25",
            ],
        )
        .to_string();
    l.run_ok(&["update", &id, "--progress", "90", "--on", "2025-06-01"]);
    l.run_ok(&[
        "update",
        &id,
        "--status",
        "blocked",
        "--progress",
        "30",
        "--note",
        "经费未到位",
        "--on",
        "2025-08-01",
    ]);
    l.add(
        "后来加的任务",
        &["--deadline", "2025-12-25", "--year", "2025"],
    );
    let june = l.json(&["warn", "--as-of", "2025-06-20"]);
    let w = june["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{june}");
    assert_eq!(w[0]["colour"], "blue", "{june}");
    // Progress 90 on a todo task started it (issue 13: status follows the work).
    assert_eq!(w[0]["task"]["status"], "doing", "{june}");
    assert_eq!(w[0]["task"]["progress"], 90, "{june}");
    let now = l.json(&["warn"]);
    let w = now["warnings"].as_array().unwrap();
    assert!(w.iter().any(|x| x["task"]["status"] == "blocked"), "{now}");
}

/// The issue's third failure: `report` ignored `--as-of` except for overdue. With it, the
/// table counts the tasks as they stood that day; `list` and `show` do the same.
#[test]
fn report_list_and_show_as_of_count_the_tasks_as_they_stood() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let a = l
        .add(
            "甲",
            &["--on", "2025-01-02", "--owner", "司法局", "--year", "2025"],
        )
        .to_string();
    l.run_ok(&[
        "update",
        &a,
        "--status",
        "done",
        "--note",
        "完成",
        "--on",
        "2025-09-01",
    ]);
    l.add(
        "乙",
        &["--on", "2025-07-01", "--owner", "司法局", "--year", "2025"],
    );
    let june = l.json(&["report", "--by", "owner", "--as-of", "2025-06-30"]);
    assert_eq!(june["total"]["total"], 1, "{june}");
    assert_eq!(june["total"]["todo"], 1, "{june}");
    let now = l.json(&["report", "--by", "owner"]);
    assert_eq!(now["total"]["total"], 2, "{now}");
    assert_eq!(now["total"]["done"], 1, "{now}");
    let list = l.json(&["list", "--owner", "司法局", "--as-of", "2025-06-30"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["status"], "todo", "{list}");
    let shown = l.json(&["show", &a, "--as-of", "2025-08-31"]);
    assert_eq!(shown["status"], "todo", "{shown}");
    l.fail(&["show", &a, "--as-of", "2024-12-31"])
        .check(1, &["not taken effect"]);
}

/// A ledger of an earlier version that the old TAIZHANG_NOW back-dating left with a row
/// recorded before its task's creation is repaired by the upgrade to version 6: that row takes
/// effect at the latest earlier row of its task (here the creation), so the history replays
/// again and equals the stored task, and `check` and `export` work.
#[test]
fn the_upgrade_repairs_rows_recorded_before_their_task() {
    let l = Ledger::new().at("2025-07-01T09:00:00+08:00");
    std::fs::copy(fixture("ledger-v4.db"), &l.path).unwrap();
    let (id, created_at) = {
        let c = rusqlite::Connection::open(&l.path).unwrap();
        let (id, progress): (i64, i64) = c
            .query_row(
                "SELECT id, progress FROM task WHERE status IN ('todo', 'doing')
                 AND parent_id IS NULL AND id NOT IN (SELECT parent_id FROM task
                 WHERE parent_id IS NOT NULL) ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let created_at: String = c
            .query_row(
                "SELECT at FROM history WHERE task_id = ?1 AND field = 'created'",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        let new = if progress == 30 { 40 } else { 30 };
        let early = "2025-05-01T09:00:00+08:00";
        c.execute(
            "INSERT INTO change(at, actor, command) VALUES (?1, 'old clock', 'update')",
            [early],
        )
        .unwrap();
        let change = c.last_insert_rowid();
        c.execute(
            "INSERT INTO history(change_id, task_id, at, actor, field, old, new)
             VALUES (?1, ?2, ?3, 'old clock', 'progress', ?4, ?5)",
            rusqlite::params![change, id, early, progress.to_string(), new.to_string()],
        )
        .unwrap();
        c.execute(
            "UPDATE task SET progress = ?1, updated_at = ?2 WHERE id = ?3",
            rusqlite::params![new, early, id],
        )
        .unwrap();
        (id, created_at)
    };
    l.run_ok(&["check"]);
    // Between the early row and the creation: the old replay met the row first and failed.
    l.run_ok(&[
        "export",
        "--format",
        "json",
        "--year",
        "2025",
        "--as-of",
        "2025-05-15",
    ]);
    l.run_ok(&["export", "--format", "json", "--year", "2025"]);
    let c = rusqlite::Connection::open(&l.path).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, taizhang::db::schema::CURRENT_VERSION);
    let effective: Option<String> = c
        .query_row(
            "SELECT effective FROM history WHERE task_id = ?1 ORDER BY id DESC LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        effective
            .as_deref()
            .is_some_and(|e| e >= created_at.as_str()),
        "{effective:?} < {created_at}"
    );
    // Every other row keeps effective = recorded (but the refs the upgrade to version 15
    // gives, which take effect at their task's creation).
    let repaired: i64 = c
        .query_row(
            "SELECT count(*) FROM history WHERE effective IS NOT NULL AND field <> 'ref'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(repaired, 1);
}

/// undo takes back the last recorded command, also when it was back-dated, and the views as
/// of any day then show neither the change nor its undo.
#[test]
fn undo_takes_back_a_back_dated_change() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let id = l
        .add("甲", &["--on", "2025-01-02", "--year", "2025"])
        .to_string();
    l.run_ok(&["update", &id, "--progress", "70", "--on", "2025-06-01"]);
    l.run_ok(&["undo", "--yes"]);
    assert_eq!(l.show(id.parse().unwrap())["progress"], 0);
    let july = l.json(&["show", &id, "--as-of", "2025-07-01"]);
    assert_eq!(july["progress"], 0, "{july}");
    l.run_ok(&["check"]);
}

/// JSON Lines carries both times: a back-dated change survives an export and an import into
/// another ledger, and a file that makes a change take effect before its task is refused.
#[test]
fn json_lines_carry_the_effective_time() {
    let a = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let id = a
        .add("甲", &["--on", "2025-01-02", "--year", "2025"])
        .to_string();
    a.run_ok(&["update", &id, "--progress", "70", "--on", "2025-06-01"]);
    let file = a.sibling("a.jsonl");
    a.run_ok(&[
        "export",
        "--format",
        "jsonl",
        "--year",
        "2025",
        "-o",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(r#""effective":"2025-06-01T00:00:00+08:00""#),
        "{text}"
    );
    let b = Ledger::init().at("2025-12-21T09:00:00+08:00");
    b.run_ok(&["import", file.to_str().unwrap()]);
    let june = b.json(&["list", "--as-of", "2025-05-31"]);
    assert_eq!(june[0]["progress"], 0, "{june}");
    let july = b.json(&["list", "--as-of", "2025-07-01"]);
    assert_eq!(july[0]["progress"], 70, "{july}");
    b.run_ok(&["check"]);

    let bad = text.replace(
        r#""effective":"2025-06-01T00:00:00+08:00""#,
        r#""effective":"2024-06-01T00:00:00+08:00""#,
    );
    let bad_file = b.sibling("bad.jsonl");
    std::fs::write(&bad_file, bad).unwrap();
    let c = Ledger::init();
    let before = c.dump();
    c.fail(&["import", bad_file.to_str().unwrap()])
        .check(1, &["effect"]);
    assert_eq!(before, c.dump());
}

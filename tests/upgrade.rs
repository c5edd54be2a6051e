//! A ledger made by schema version 1 (fixtures/ledger-v1.db) is upgraded in place on open,
//! after an automatic backup beside it, and keeps every task and history row.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use rusqlite::Connection;

fn taizhang(db: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("taizhang").unwrap();
    c.env_remove("TAIZHANG_DB")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("TAIZHANG_NOW", "2025-04-01T09:00:00+08:00")
        .env("TAIZHANG_USER", "tester")
        .arg("--db")
        .arg(db);
    c
}

fn version(db: &std::path::Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn version_1_ledger_is_upgraded_with_a_backup_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledger-v1.db"),
        &db,
    )
    .unwrap();
    assert_eq!(version(&db), 1);
    let original = std::fs::read(&db).unwrap();

    // A read command upgrades too: the ledger must be usable as it is found.
    let out = taizhang(&db)
        .args(["list", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let tasks: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let titles: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["落实行政执法三项制度", "执法质量有待进一步提升", "案卷评查"]
    );
    assert_eq!(tasks[0]["progress"], 60, "rolled up from its sub-task");
    assert_eq!(version(&db), taizhang::db::schema::CURRENT_VERSION);

    // The backup is the ledger as it was.
    let backup = dir.path().join("old.db.v1.bak");
    let mut kept = Connection::open(&backup).unwrap();
    let v: i64 = kept
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1);
    let n: i64 = kept
        .transaction()
        .unwrap()
        .query_row("SELECT count(*) FROM history", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 7);
    assert!(!original.is_empty());

    // History survives and the upgraded ledger proves sound; undo works on old changes.
    taizhang(&db).arg("check").assert().success();
    let out = taizhang(&db)
        .args(["history", "1", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let fields: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["field"].as_str().unwrap())
        .collect();
    // The upgrade to version 15 gave the ref-less task its ref (issue 17).
    assert_eq!(fields, ["created", "addresses", "note", "ref"]);
    taizhang(&db)
        .args(["undo", "--yes", "--user", "fixture"])
        .assert()
        .success();
    taizhang(&db).arg("check").assert().success();
}

#[test]
fn version_2_ledger_is_upgraded_and_its_undo_history_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v2.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledger-v2.db"),
        &db,
    )
    .unwrap();
    assert_eq!(version(&db), 2);
    taizhang(&db).arg("check").assert().success();
    assert_eq!(version(&db), taizhang::db::schema::CURRENT_VERSION);
    assert!(dir.path().join("v2.db.v2.bak").exists());
    // The undo recorded in version 2 is still an undo: task 3 is back at 60, and the next
    // undo of the same person goes further back (to the update before it).
    let out = taizhang(&db)
        .args(["show", "3", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let t: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(t["progress"], 60);
    // The covering indexes of version 3 are in place.
    let conn = Connection::open(&db).unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'task_area'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.contains("status, deadline, progress"), "{sql}");
    taizhang(&db)
        .args(["undo", "--yes", "--user", "fixture"])
        .assert()
        .success();
    taizhang(&db).arg("check").assert().success();
}

#[test]
fn a_ledger_from_a_newer_taizhang_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    taizhang(&db).arg("init").assert().success();
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [&["list"][..], &["add", "x"], &["init"]] {
        let out = taizhang(&db)
            .args(args)
            .assert()
            .code(1)
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("newer taizhang"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn every_earlier_version_upgrades_to_a_sound_ledger() {
    for (v, tasks) in [(1, 3), (2, 3), (3, 26), (4, 26)] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db");
        std::fs::copy(
            format!("{}/fixtures/ledger-v{v}.db", env!("CARGO_MANIFEST_DIR")),
            &db,
        )
        .unwrap();
        assert_eq!(version(&db), v);
        taizhang(&db).arg("check").assert().success();
        assert_eq!(version(&db), taizhang::db::schema::CURRENT_VERSION, "v{v}");
        assert!(dir.path().join(format!("l.db.v{v}.bak")).exists(), "v{v}");
        let n: i64 = Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM task", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, tasks, "v{v}");
        // The year-end export replays the upgraded history.
        taizhang(&db)
            .args(["export", "--year", "2025", "--format", "json"])
            .assert()
            .success();
    }
}

//! The ledger file: where it lives (--db, TAIZHANG_DB, ./taizhang.db), created private (0600), in
//! WAL mode, never written by reading commands, with an append-only history enforced by the
//! schema, and safe under concurrent writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rusqlite::{Connection, OpenFlags};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_new_ledger_is_private_to_its_owner() {
    let l = Ledger::new();
    let out = l.run_ok(&["--lang", "en", "init"]);
    assert!(
        out.contains(l.path.to_str().unwrap()),
        "init says where: {out}"
    );
    assert_eq!(mode(&l.path), 0o600);
    // Created on first use by another writing command: private too.
    let l = Ledger::new();
    l.run_ok(&["add", "政府工作底稿"]);
    assert_eq!(mode(&l.path), 0o600);
    // Whatever the umask says.
    let l = Ledger::new();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$0\" --db \"$1\" init")
        .arg(env!("CARGO_BIN_EXE_taizhang"))
        .arg(&l.path)
        .env_remove("TAIZHANG_DB")
        .env("TAIZHANG_NOW", NOW)
        .env("TAIZHANG_USER", USER)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&l.path), 0o600);
}

#[test]
fn the_ledger_is_in_wal_mode_with_a_schema_version() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let c = Connection::open_with_flags(&l.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert!(v >= 1, "the ledger records its schema version: {v}");
    // The WAL flag is in the file header (bytes 18 and 19 are 2).
    l.checkpoint();
    let b = l.bytes().unwrap();
    assert_eq!(&b[..16], b"SQLite format 3\0");
    assert_eq!((b[18], b[19]), (2, 2));
}

#[test]
fn reading_commands_never_write_to_the_file() {
    let l = Ledger::init();
    l.add("甲", &["--kind", "commitment", "--deadline", "2025-01-31"]);
    l.add("乙", &["--kind", "shortcoming", "--parent", "1"]);
    l.run_ok(&["link", "1", "--addresses", "2"]);
    l.checkpoint();
    let bytes = l.bytes().unwrap();
    let dump = l.dump();
    let reads: &[&[&str]] = &[
        &["list"],
        &["--format", "json", "list", "--overdue"],
        &["--lang", "zh", "list", "--sort", "deadline"],
        &["show", "1"],
        &["--format", "json", "show", "2"],
        &["report"],
        &["--format", "json", "report", "--by", "owner"],
        &["--lang", "zh", "report", "--by", "outline-area"],
        &["history"],
        &["--format", "json", "history", "1", "--limit", "1"],
        &["history", "--since", "2025-01-01"],
    ];
    for args in reads {
        l.run_ok(args);
        assert!(
            l.bytes().unwrap() == bytes,
            "{args:?} changed the bytes of the ledger file"
        );
        let wal = l.sibling("taizhang.db-wal");
        if wal.exists() {
            assert_eq!(
                std::fs::metadata(&wal).unwrap().len(),
                0,
                "{args:?} wrote to the WAL"
            );
        }
    }
    assert_eq!(l.dump(), dump);
    // A read-only file can still be read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&l.path, std::fs::Permissions::from_mode(0o400)).unwrap();
        let v = l.json(&["list"]);
        assert_eq!(ids(&v), [1, 2]);
        std::fs::set_permissions(&l.path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn taizhang_db_selects_the_ledger_and_db_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let env_db = dir.path().join("env.db");
    let flag_db = dir.path().join("flag.db");
    let out = bare_cmd()
        .current_dir(dir.path())
        .env("TAIZHANG_DB", &env_db)
        .args(["add", "来自环境变量"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(env_db.exists());
    assert!(!dir.path().join("taizhang.db").exists());
    let out = bare_cmd()
        .current_dir(dir.path())
        .env("TAIZHANG_DB", &env_db)
        .args(["--format", "json", "list"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["title"], "来自环境变量");
    // --db wins over the environment.
    let out = bare_cmd()
        .current_dir(dir.path())
        .env("TAIZHANG_DB", &env_db)
        .arg("--db")
        .arg(&flag_db)
        .args(["add", "来自参数"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let l = Ledger {
        dir: tempfile::tempdir().unwrap(),
        path: flag_db.clone(),
        now: NOW.into(),
    };
    let v = l.json(&["list"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["title"], "来自参数");
    assert_eq!(count(&env_db, "task"), 1);
}

#[test]
fn the_default_ledger_is_taizhang_db_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = bare_cmd()
        .current_dir(dir.path())
        .args(["add", "默认位置"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let db = dir.path().join("taizhang.db");
    assert!(db.exists());
    assert_eq!(count(&db, "task"), 1);
}

#[test]
fn init_twice_keeps_the_ledger() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let before = l.dump();
    l.run_ok(&["init"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn history_is_append_only_in_the_file_itself() {
    let l = Ledger::init();
    l.add("甲", &[]);
    l.run_ok(&["update", "1", "--status", "doing"]);
    let before = l.dump();
    let c = Connection::open(&l.path).unwrap();
    let e = c
        .execute("UPDATE history SET actor = 'someone else'", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = c.execute("DELETE FROM history", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(c.execute("DELETE FROM task WHERE id = 1", []).is_err());
    drop(c);
    assert_eq!(l.dump(), before);
    assert_eq!(count(&l.path, "history"), 2);
}

#[test]
fn ids_are_never_reused() {
    let l = Ledger::init();
    l.add("甲", &[]);
    l.add("乙", &[]);
    l.run_ok(&["update", "2", "--status", "cancelled", "--note", "重复录入"]);
    assert_eq!(l.add("丙", &[]), 3);
    let schema: String = Connection::open(&l.path)
        .unwrap()
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'task'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(schema.to_uppercase().contains("AUTOINCREMENT"), "{schema}");
}

#[test]
fn concurrent_writers_all_succeed() {
    let l = Ledger::new();
    let children: Vec<_> = (0..6)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"))
                .arg("--db")
                .arg(&l.path)
                .args(["add", &format!("并发任务{i}")])
                .env_remove("TAIZHANG_DB")
                .env("TAIZHANG_NOW", NOW)
                .env("TAIZHANG_USER", USER)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v = l.json(&["list"]);
    assert_eq!(ids(&v), [1, 2, 3, 4, 5, 6]);
    assert_eq!(count(&l.path, "history"), 6);
}

//! The edges of the ledger file (issue 9, part A): creating a new ledger while others do the
//! same, a FIFO given as the ledger, writers that start while another holds the ledger, a WAL
//! with committed content on a read-only medium, and a hot journal left by an interrupted write.
//! Everything runs the real binary in real processes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, dump_db, process, text, Ledger};
use rusqlite::Connection;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Asserts that a finished process failed with exit 1 and one line on stderr holding `needle`.
fn assert_one_line_failure(out: &Output, needle: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.starts_with("taizhang: "), "stderr: {stderr}");
    assert!(
        stderr.to_lowercase().contains(&needle.to_lowercase()),
        "stderr should mention {needle:?}: {stderr}"
    );
}

/// The names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Waits for a child for at most `limit`; kills it and returns None when it is still running
/// then (a test must never hang on a command that blocks).
fn wait_bounded(mut child: std::process::Child, limit: Duration) -> Option<Output> {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------------
// Read-only media: a folder bind-mounted read-only in a private mount namespace, so that the
// mount disappears with the process even when a test fails.

/// The ids of the tasks `list --format json` printed.
fn listed_ids(out: &Output) -> Vec<i64> {
    assert!(out.status.success(), "list failed: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

// ---------------------------------------------------------------------------------------------
// Case 1: creation race.

/// Bounded stress: one import, two adds and three failing first commands start at once on a
/// new ledger, round after round. Whenever a command says it saved, its work is in the ledger,
/// which passes `check`; the failing commands leave nothing of their own behind.
#[test]
fn parallel_first_commands_on_a_new_ledger_never_lose_a_reported_success() {
    if common::skip_slow("a bounded stress race") {
        return;
    }
    const ROUNDS: usize = 12;
    let report = fixture("tianning-2024-report.txt");
    let imported = {
        let l = Ledger::new();
        l.run_ok(&["import", report.to_str().unwrap()]);
        common::count(&l.path, "task")
    };
    let mut lost = Vec::new();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("taizhang.db");
        let mut children = Vec::new();
        for i in 0..6 {
            let args: Vec<String> = if i == 1 {
                vec!["import".into(), report.display().to_string()]
            } else if i >= 4 {
                vec!["add".into(), format!("新增{i}")]
            } else {
                // A first command that fails inside its transaction: the parent does not exist.
                vec![
                    "add".into(),
                    format!("失败{i}"),
                    "--parent".into(),
                    "999".into(),
                ]
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            children.push(
                process(&db, &args)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            );
        }
        let outs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        for (i, out) in outs.iter().enumerate() {
            if i == 1 || i >= 4 {
                assert!(out.status.success(), "{i}: {}", text(&out.stderr));
            } else {
                assert_one_line_failure(out, "#999");
            }
        }
        let tasks = if db.exists() {
            common::count(&db, "task")
        } else {
            0
        };
        if tasks != imported + 2 {
            lost.push((round, tasks));
            continue;
        }
        let check = process(&db, &["check"]).output().unwrap();
        assert!(check.status.success(), "check: {}", text(&check.stdout));
        // Only the ledger remains (with the -wal and -shm SQLite may keep beside it): no
        // temporary file of any command.
        let left: Vec<String> = names_in(dir.path())
            .into_iter()
            .filter(|n| {
                !["taizhang.db", "taizhang.db-wal", "taizhang.db-shm"].contains(&n.as_str())
            })
            .collect();
        assert!(left.is_empty(), "round {round} left {left:?}");
    }
    assert!(
        lost.is_empty(),
        "commands reported success but the ledger lacks their tasks in (round, tasks found) \
         {lost:?} of {ROUNDS} rounds; expected {} tasks",
        imported + 2
    );
}

#[test]
fn a_failed_first_command_leaves_nothing_behind() {
    let l = Ledger::new();
    let f = l.fail(&["add", "甲", "--parent", "7"]);
    f.check(1, &["#7"]);
    assert!(
        names_in(l.dir.path()).is_empty(),
        "{:?}",
        names_in(l.dir.path())
    );
}

#[test]
fn a_new_ledger_appears_whole_and_private() {
    let l = Ledger::new();
    l.run_ok(&["add", "甲"]);
    assert_eq!(names_in(l.dir.path()), vec!["taizhang.db".to_string()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&l.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let c = Connection::open(&l.path).unwrap();
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(common::count(&l.path, "task"), 1);
}

// ---------------------------------------------------------------------------------------------
// Case 8: a FIFO as the ledger.

#[cfg(unix)]
#[test]
fn a_fifo_as_the_ledger_is_refused_and_left_alone() {
    let l = Ledger::new();
    let made = Process::new("mkfifo").arg(&l.path).status();
    if !made.is_ok_and(|s| s.success()) {
        common::skip("mkfifo is not available here");
        return;
    }
    for args in [&["list"][..], &["add", "甲"][..], &["check"][..]] {
        let child = process(&l.path, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = wait_bounded(child, Duration::from_secs(30))
            .unwrap_or_else(|| panic!("{args:?} on a FIFO still runs after 30 s"));
        assert_one_line_failure(&out, "not a regular file");
        assert!(out.stdout.is_empty());
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&l.path)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(names_in(l.dir.path()), vec!["taizhang.db".to_string()]);
}

/// A link to a file that does not exist is refused: SQLite would otherwise create a ledger
/// wherever the link points.
#[cfg(unix)]
#[test]
fn a_link_to_nothing_as_the_ledger_is_refused() {
    let l = Ledger::new();
    let target = l.sibling("elsewhere.db");
    std::os::unix::fs::symlink(&target, &l.path).unwrap();
    let out = process(&l.path, &["add", "甲"]).output().unwrap();
    assert_one_line_failure(&out, "symbolic link");
    assert!(!target.exists());
    assert_eq!(names_in(l.dir.path()), vec!["taizhang.db".to_string()]);
}

// ---------------------------------------------------------------------------------------------
// Case 9: busy handling from open to commit.

/// Another process holds the write lock for longer than one busy timeout (5 s), as a long bulk
/// import does: a writer started meanwhile waits and then succeeds.
#[test]
fn a_writer_started_during_a_long_write_waits_and_succeeds() {
    if common::skip_slow("a race with a long write") {
        return;
    }
    let l = Ledger::init();
    l.add("甲", &[]);
    let holder = Connection::open(&l.path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = process(&l.path, &["add", "乙"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(6500));
    holder.execute_batch("COMMIT").unwrap();
    drop(holder);
    let out = wait_bounded(child, Duration::from_secs(60)).expect("add still runs after 60 s");
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("database is locked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
    assert_eq!(common::count(&l.path, "task"), 2);
}

// ---------------------------------------------------------------------------------------------
// Case 4: a WAL with committed content, without -shm, on a read-only medium.

/// Builds, in a new folder, a ledger of three tasks whose third task is committed only in the
/// -wal file and which has no -shm: what a copy taken while taizhang ran looks like.
fn ledger_with_wal_content() -> (tempfile::TempDir, PathBuf) {
    let l = Ledger::init();
    l.add("甲", &[]);
    l.add("乙", &[]);
    l.checkpoint();
    // A connection held open keeps the WAL from being folded into the file when `add` ends.
    let keep = Connection::open(&l.path).unwrap();
    keep.query_row("SELECT count(*) FROM task", [], |r| r.get::<_, i64>(0))
        .unwrap();
    l.add("丙", &[]);
    let copy = tempfile::tempdir().unwrap();
    let folder = copy.path().join("archive");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&l.path, folder.join("taizhang.db")).unwrap();
    let wal = l.sibling("taizhang.db-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the WAL holds the third task"
    );
    std::fs::copy(&wal, folder.join("taizhang.db-wal")).unwrap();
    drop(keep);
    (copy, folder)
}

#[test]
fn wal_content_on_a_read_only_medium_is_read_never_silently_stale() {
    if common::read_only_mounter().is_none() {
        common::skip(common::NO_READ_ONLY_MOUNT);
        return;
    }
    let (copy, folder) = ledger_with_wal_content();
    let mnt = copy.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let before = names_in(&folder);

    let out = common::run_read_only(&folder, &mnt, &["list", "--format", "json"]);
    assert_eq!(
        listed_ids(&out),
        vec![1, 2, 3],
        "the task in the WAL is listed"
    );

    let out = common::run_read_only(&folder, &mnt, &["check"]);
    assert!(out.status.success(), "check: {}", text(&out.stderr));

    // A backup written elsewhere holds all three tasks too.
    let bk = copy.path().join("bk.db");
    let out = common::run_read_only(&folder, &mnt, &["backup", bk.to_str().unwrap()]);
    assert!(out.status.success(), "backup: {}", text(&out.stderr));
    assert_eq!(common::count(&bk, "task"), 3);

    // Nothing was written beside the read-only ledger (the mount refused it anyway), and the
    // private copies are gone from the temporary folder.
    assert_eq!(names_in(&folder), before);
    assert!(names_in(&copy.path().join("tmp")).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Case 10: a hot journal from an interrupted write, and an old ledger on a read-only medium.

/// Copies the version-1 fixture into a new folder and leaves a hot journal beside it: the state
/// a SIGKILL in the middle of a rollback-journal write leaves (the file already half-changed,
/// the journal holding the pages to put back).
fn v1_with_hot_journal() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let live = work.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let db = live.join("taizhang.db");
    std::fs::copy(fixture("ledger-v1.db"), &db).unwrap();
    let c = Connection::open(&db).unwrap();
    // A tiny page cache makes SQLite write changed pages into the file before the commit,
    // after syncing their old content to the journal.
    c.execute_batch(
        "PRAGMA cache_size = 2;
         BEGIN IMMEDIATE;
         CREATE TABLE junk(x);
         INSERT INTO junk VALUES (zeroblob(400000));
         UPDATE task SET title = 'half-written';",
    )
    .unwrap();
    let folder = work.path().join("crashed");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(&db, folder.join("taizhang.db")).unwrap();
    let journal = live.join("taizhang.db-journal");
    assert!(std::fs::metadata(&journal).unwrap().len() > 0);
    std::fs::copy(&journal, folder.join("taizhang.db-journal")).unwrap();
    c.execute_batch("ROLLBACK").unwrap();
    drop(c);
    (work, folder)
}

/// The task titles of the version-1 fixture, as a reader must see them.
fn fixture_titles() -> Vec<String> {
    let c = Connection::open_with_flags(
        fixture("ledger-v1.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut s = c.prepare("SELECT title FROM task ORDER BY id").unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn listed_titles(out: &Output) -> Vec<String> {
    assert!(out.status.success(), "list failed: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rows: Vec<(i64, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, t)| t).collect()
}

#[test]
fn a_hot_journal_is_rolled_back_before_reading() {
    let (_work, folder) = v1_with_hot_journal();
    let db = folder.join("taizhang.db");
    let out = process(&db, &["list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(listed_titles(&out), fixture_titles());
    let out = process(&db, &["check"]).output().unwrap();
    assert!(out.status.success(), "check: {}", text(&out.stderr));
    assert!(!folder.join("taizhang.db-journal").exists());
}

#[test]
fn an_old_ledger_with_a_hot_journal_on_a_read_only_medium_is_read() {
    if common::read_only_mounter().is_none() {
        common::skip(common::NO_READ_ONLY_MOUNT);
        return;
    }
    let (work, folder) = v1_with_hot_journal();
    let mnt = work.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let before = dump_db_raw(&folder);

    let out = common::run_read_only(&folder, &mnt, &["list", "--format", "json"]);
    assert_eq!(listed_titles(&out), fixture_titles());
    let out = common::run_read_only(&folder, &mnt, &["check"]);
    assert!(out.status.success(), "check: {}", text(&out.stderr));

    assert_eq!(
        dump_db_raw(&folder),
        before,
        "the read-only files are untouched"
    );
    assert!(names_in(&work.path().join("tmp")).is_empty());
}

#[test]
fn an_old_ledger_on_a_read_only_medium_is_read() {
    if common::read_only_mounter().is_none() {
        common::skip(common::NO_READ_ONLY_MOUNT);
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("archive");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(fixture("ledger-v1.db"), folder.join("taizhang.db")).unwrap();
    let mnt = work.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();

    let out = common::run_read_only(&folder, &mnt, &["list", "--format", "json"]);
    assert_eq!(listed_titles(&out), fixture_titles());
    // Writing is refused with the one line that says why.
    let out = common::run_read_only(&folder, &mnt, &["add", "甲"]);
    assert_one_line_failure(&out, "read-only");
    assert_eq!(names_in(&folder), vec!["taizhang.db".to_string()]);
}

/// Every file of a folder with its bytes, for "untouched" checks of files that SQLite cannot
/// open without changing them.
fn dump_db_raw(folder: &Path) -> Vec<(String, Vec<u8>)> {
    names_in(folder)
        .into_iter()
        .map(|n| {
            let b = std::fs::read(folder.join(&n)).unwrap();
            (n, b)
        })
        .collect()
}

/// The automatic copy taken before an upgrade appears whole or not at all: a process killed
/// while writing it (here by the file-size limit's SIGXFSZ, a kill in the middle of a write)
/// leaves no partial copy under the final name, and the ledger as it was.
#[test]
fn an_upgrade_copy_cut_short_leaves_no_partial_copy() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("taizhang.db");
    std::fs::copy(fixture("ledger-v1.db"), &db).unwrap();
    let before = dump_db(&db);
    // 64 blocks of 512 bytes: less than the 96 KiB fixture, so the copy cannot be finished.
    let script = format!(
        "ulimit -f 64; exec '{}' --db '{}' add 甲",
        bin().display(),
        db.display()
    );
    let out = Process::new("sh")
        .arg("-c")
        .arg(&script)
        .env("TAIZHANG_NOW", common::NOW)
        .env("TAIZHANG_USER", common::USER)
        .output()
        .unwrap();
    assert!(!out.status.success(), "the add cannot have finished");
    assert!(
        !work.path().join("taizhang.db.v1.bak").exists(),
        "a partial upgrade copy under its final name: {:?}",
        names_in(work.path())
    );
    assert_eq!(dump_db(&db), before);
    // The next run upgrades with a whole copy.
    let out = process(&db, &["add", "甲"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(dump_db(&work.path().join("taizhang.db.v1.bak")), before);
}

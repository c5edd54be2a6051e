//! Nothing lost: concurrent writers, a crash in the middle of a bulk write, undo, backup of a
//! live ledger, and hostile input. Everything runs the real binary in real processes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::{bare_cmd, bin, count, dump_db, process, Ledger};
use taizhang::db::bulk::{Header, HistoryLine, TaskLine, FORMAT, VERSION};
use taizhang::db::tasks::NewTask;
use taizhang::model::{Kind, Status};

fn check_passes(db: &Path) {
    let out = process(db, &["check"]).output().unwrap();
    assert!(
        out.status.success(),
        "check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn eight_processes_times_fifty_updates_all_land() {
    if common::skip_slow("a stress loop of concurrent writers") {
        return;
    }
    let l = Ledger::init();
    for i in 0..9 {
        l.add(&format!("任务{i}"), &[]);
    }
    let db = l.path.clone();
    // Even processes all change task 1; odd ones each their own task.
    let workers: Vec<_> = (0..8)
        .map(|p| {
            let db = db.clone();
            std::thread::spawn(move || {
                let task = if p % 2 == 0 { 1 } else { p + 2 };
                for i in 0..50 {
                    let title = format!("进程{p}第{i}次");
                    let out = process(&db, &["update", &task.to_string(), "--title", &title])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "process {p} update {i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let changes: i64 = conn
        .query_row(
            "SELECT count(*) FROM history WHERE field = 'title'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changes, 400);
    let per_command: i64 = conn
        .query_row(
            "SELECT count(DISTINCT change_id) FROM history WHERE field = 'title'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(per_command, 400, "one change per command");
    check_passes(&db);
}

#[test]
fn two_people_changing_different_fields_of_one_task_both_keep_their_change() {
    if common::skip_slow("a race between writers") {
        return;
    }
    let l = Ledger::init();
    l.add("共同任务", &[]);
    let db = l.path.clone();
    let a = {
        let db = db.clone();
        std::thread::spawn(move || {
            for i in 0..30 {
                let out = process(&db, &["update", "1", "--progress", &(i + 1).to_string()])
                    .output()
                    .unwrap();
                assert!(out.status.success());
            }
        })
    };
    for i in 0..30 {
        let owner = format!("单位{i}");
        let out = process(&db, &["update", "1", "--owner", &owner])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    a.join().unwrap();
    let t = l.show(1);
    assert_eq!(t["progress"], 30);
    assert_eq!(t["owner"], "单位29");
    check_passes(&db);
}

/// Writes a JSON Lines ledger of `n` plain tasks, each with its creation row.
fn bulk_file(path: &Path, n: i64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let header = Header {
        kind: "header".into(),
        format: FORMAT.into(),
        version: VERSION,
        outline: "2021-2025".into(),
        year: None,
        timezone: None,
        periods: Vec::new(),
    };
    serde_json::to_writer(&mut f, &header).unwrap();
    f.write_all(b"\n").unwrap();
    let at = "2025-03-01T09:00:00+08:00";
    for id in 1..=n {
        let t = NewTask {
            reference: Some(format!("B-{id}")),
            kind: Kind::Task,
            title: format!("批量任务{id}"),
            body: None,
            area: Some(format!("领域{}", id % 10)),
            outline_area: None,
            owner: Some(format!("单位{}", id % 50)),
            co_owners: vec![],
            person: None,
            contact: None,
            status: Status::Todo,
            progress: 0,
            deadline: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
            deadline_text: None,
            year: 2025,
            parent_id: None,
            document_id: None,
            completed_at: None,
        };
        let line = TaskLine {
            kind_of_line: "task".into(),
            evidence_files: Vec::new(),
            id,
            reference: t.reference.clone(),
            kind: t.kind,
            title: t.title.clone(),
            body: None,
            area: t.area.clone(),
            outline_area: None,
            owner: t.owner.clone(),
            co_owners: vec![],
            person: None,
            contact: None,
            status: t.status,
            progress: 0,
            deadline: Some("2025-12-31".into()),
            deadline_text: None,
            year: 2025,
            parent_id: None,
            document_id: None,
            created_at: at.into(),
            updated_at: at.into(),
            completed_at: None,
            links: vec![],
            history: vec![HistoryLine {
                id,
                change_id: id,
                at: at.into(),
                actor: "bulk".into(),
                command: "import".into(),
                undoes: None,
                field: "created".into(),
                old: None,
                new: Some(serde_json::to_string(&t).unwrap()),
                note: None,
                effective: None,
            }],
        };
        serde_json::to_writer(&mut f, &line).unwrap();
        f.write_all(b"\n").unwrap();
    }
    f.flush().unwrap();
}

#[test]
fn sigkill_during_a_bulk_write_leaves_all_or_nothing() {
    if common::skip_slow("SIGKILL rounds") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bulk.jsonl");
    const N: i64 = 100_000;
    bulk_file(&file, N);

    // How long a whole import takes here, to spread the kills over it.
    let probe = dir.path().join("probe.db");
    let started = Instant::now();
    let out = process(&probe, &["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = started.elapsed();
    assert_eq!(count(&probe, "task"), N);

    let rounds = 12;
    let (mut none, mut all) = (0, 0);
    for round in 0..rounds {
        let db = dir.path().join(format!("round{round}.db"));
        // A ledger with one task of its own, which must survive every crash.
        process(&db, &["add", "已有任务"]).output().unwrap();
        let mut child = process(&db, &["import", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = full.mul_f64(0.05 + 0.9 * f64::from(round) / f64::from(rounds));
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        check_passes(&db);
        let n = count(&db, "task");
        assert!(
            n == 1 || n == N + 1,
            "round {round}: {n} tasks after the kill"
        );
        if n == 1 {
            none += 1;
        } else {
            all += 1;
        }
    }
    // The kills must have hit the import in flight at least once, or the test proves nothing.
    assert!(
        none > 0,
        "no kill landed before the commit ({all} completed)"
    );
}

fn undo(l: &Ledger) -> common::Failure {
    let out = l.cmd().args(["undo", "--yes"]).output().unwrap();
    common::Failure {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

#[test]
fn undo_takes_back_add_update_link_and_import() {
    let l = Ledger::init();
    l.add("甲", &[]);
    l.add("乙", &["--kind", "shortcoming"]);
    l.add("丙", &["--owner", "区司法局"]);

    // update of several ids at once is one change: undo restores both.
    l.run_ok(&[
        "update",
        "1",
        "3",
        "--status",
        "doing",
        "--progress",
        "40",
        "--owner",
        "区城管局",
    ]);
    let r = undo(&l);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(l.show(1)["status"], "todo");
    assert_eq!(l.show(1)["progress"], 0);
    assert_eq!(l.show(1)["owner"], serde_json::Value::Null);
    assert_eq!(l.show(3)["owner"], "区司法局");
    // The original rows are still there; the undo added its own.
    let h = l.show(3)["history"].as_array().unwrap().clone();
    assert!(h.iter().any(|r| r["new"] == "区城管局"));
    assert!(h
        .iter()
        .any(|r| r["new"] == "区司法局" && r["note"].as_str().unwrap().contains("撤销")));

    // link
    l.run_ok(&["link", "1", "--addresses", "2"]);
    assert_eq!(l.show(1)["addresses"].as_array().unwrap().len(), 1);
    assert_eq!(undo(&l).code, 0);
    assert_eq!(l.show(1)["addresses"].as_array().unwrap().len(), 0);

    // add: there is no hard delete, so the task is cancelled with the undo as its reason.
    l.add("丁", &[]);
    assert_eq!(undo(&l).code, 0);
    assert_eq!(l.show(4)["status"], "cancelled");

    // import: every task it created is cancelled.
    l.run_ok(&[
        "import",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/tianning-2024-report.txt"
        ),
    ]);
    assert_eq!(undo(&l).code, 0);
    let imported = l.json(&["list", "--search", "2024-", "--format", "json"]);
    let imported = imported.as_array().unwrap();
    assert_eq!(imported.len(), 18);
    assert!(imported.iter().all(|t| t["status"] == "cancelled"));
    check_passes(&l.path);
}

#[test]
fn undo_is_refused_when_someone_changed_the_task_since() {
    let l = Ledger::init();
    l.add("甲", &[]);
    l.run_ok(&["update", "1", "--progress", "30"]);
    // Someone else changes the same task afterwards.
    l.cmd()
        .args(["update", "1", "--owner", "区司法局", "--user", "李四"])
        .assert()
        .success();
    let before = dump_db(&l.path);
    let r = undo(&l);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("changed since by 李四"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1);
    assert_eq!(dump_db(&l.path), before, "a refused undo changes nothing");

    // Without --yes and without a terminal, undo asks for it instead of guessing.
    l.cmd()
        .args(["undo", "--user", "李四"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--yes"));
    assert_eq!(dump_db(&l.path), before);
}

#[test]
fn backup_of_a_ledger_being_written_restores_and_checks() {
    if common::skip_slow("a race between backup and writers") {
        return;
    }
    let l = Ledger::init();
    for i in 0..20 {
        l.add(&format!("任务{i}"), &[]);
    }
    let db = l.path.clone();
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || {
            for i in 0..60 {
                let out = process(&db, &["add", &format!("并发新增{i}")])
                    .output()
                    .unwrap();
                assert!(out.status.success());
            }
        })
    };
    let mut backups = Vec::new();
    for k in 0..5 {
        let b = l.dir.path().join(format!("backup{k}.db"));
        let out = process(&db, &["backup", b.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        backups.push(b);
        std::thread::sleep(Duration::from_millis(30));
    }
    writer.join().unwrap();
    for b in &backups {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(b).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "backups are private too");
        }
        let n = count(b, "task");
        assert!((20..=80).contains(&n), "{n}");
        // Restore each into a fresh ledger and prove it sound.
        let target = l.dir.path().join("restored.db");
        let _ = std::fs::remove_file(&target);
        process(&target, &["init"]).output().unwrap();
        let out = process(&target, &["restore", b.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_passes(&target);
        assert_eq!(count(&target, "task"), n);
    }
    // A backup never overwrites a file.
    let out = process(&db, &["backup", backups[0].to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn restore_refuses_a_file_that_is_not_a_sound_ledger() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let junk = l.dir.path().join("junk.db");
    std::fs::write(&junk, "这不是数据库").unwrap();
    let before = dump_db(&l.path);
    let f = common::run_fail(l.cmd().args(["restore", junk.to_str().unwrap()]));
    f.check(1, &["junk.db"]);
    assert_eq!(dump_db(&l.path), before);
}

/// One hostile or malformed input: the arguments, and what the message must name.
struct Case {
    name: &'static str,
    args: Vec<std::ffi::OsString>,
    needle: &'static str,
}

fn case(name: &'static str, args: &[&str], needle: &'static str) -> Case {
    Case {
        name,
        args: args.iter().map(Into::into).collect(),
        needle,
    }
}

#[test]
fn hostile_and_malformed_inputs_change_nothing() {
    use std::os::unix::ffi::OsStringExt;
    let l = Ledger::init();
    l.add("甲", &["--owner", "区司法局"]);
    l.add("乙", &["--kind", "shortcoming"]);
    l.add("丙", &["--parent", "1"]);
    let dir = l.dir.path();
    // ASCII: a single argument may not exceed 128 KiB on Linux, and 100,000 CJK characters
    // would (3 bytes each).
    let long_title = "x".repeat(100_000);
    let long_note = "注".repeat(20_001);
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("nul.txt"), b"2024\0\0\0binary").unwrap();
    std::fs::write(dir.join("bad.jsonl"), "{\"type\":\"header\"\n").unwrap();
    std::fs::write(
        dir.join("other.jsonl"),
        "{\"type\":\"header\",\"format\":\"taizhang-jsonl\",\"version\":1,\"outline\":\"2021-2025\",\"year\":null}\n{\"type\":\"task\",\"id\":1}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.join("adir")).unwrap();
    let p = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let mut cases = vec![
        case(
            "title of 100,000 characters",
            &["add", &long_title],
            "100000 characters",
        ),
        case(
            "note over the limit",
            &["note", "1", &long_note],
            "20001 characters",
        ),
        case("blank title", &["add", "   "], "empty"),
        case(
            "escape sequence as status",
            &["update", "1", "--status", "\x1b[31mdone"],
            "unknown status",
        ),
        case(
            "newline in a kind word",
            &["add", "x", "--kind", "task\nrm -rf"],
            "unknown kind",
        ),
        case(
            "SQL in an id",
            &["show", "1; DROP TABLE task"],
            "invalid value",
        ),
        case(
            "SQL in a status",
            &["list", "--status", "done' OR '1'='1"],
            "unknown status",
        ),
        case("unknown id", &["update", "99", "--progress", "5"], "#99"),
        case("negative id", &["show", "-5"], "-5"),
        case(
            "huge id",
            &["show", "99999999999999999999"],
            "invalid value",
        ),
        case(
            "progress 101",
            &["update", "1", "--progress", "101"],
            "0–100",
        ),
        case(
            "progress as text",
            &["update", "1", "--progress", "很多"],
            "progress",
        ),
        case(
            "date 2025-02-30",
            &["update", "1", "--deadline", "2025-02-30", "--note", "x"],
            "2025年6月底(前)",
        ),
        case(
            "date in the year 99999",
            &["add", "x", "--deadline", "99999-01-01"],
            "2025年6月底(前)",
        ),
        case("as-of garbage", &["list", "--as-of", "昨天"], "昨天"),
        case(
            "outline backwards",
            &["init", "--outline", "2030-2026"],
            "2030",
        ),
        case(
            "outline area FZ11",
            &["add", "x", "--outline-area", "FZ11"],
            "FZ11",
        ),
        case("parent cycle", &["update", "1", "--parent", "3"], "cycle"),
        case("self link", &["link", "2", "--addresses", "2"], "itself"),
        case(
            "link to a non-shortcoming",
            &["link", "2", "--addresses", "1"],
            "not a shortcoming",
        ),
        case(
            "cancel without reason",
            &["update", "1", "--status", "已取消"],
            "--note",
        ),
        case(
            "extension without reason",
            &["update", "1", "--deadline", "2026"],
            "--note",
        ),
        case(
            "one bad id among good ones",
            &["update", "1", "2", "77", "--progress", "9"],
            "#77",
        ),
        case(
            "unknown flag",
            &["add", "x", "--priority", "high"],
            "--priority",
        ),
        case("unknown command", &["delete", "1"], "delete"),
        case(
            "ledger path is a directory",
            &["--db", &p("adir"), "add", "x"],
            "directory",
        ),
        case(
            "ledger in a missing folder",
            &["--db", &p("no/such/dir/l.db"), "add", "x"],
            "does not exist",
        ),
        case(
            "import an empty file",
            &["import", &p("empty.txt")],
            "empty",
        ),
        case(
            "import a file with NUL bytes",
            &["import", &p("nul.txt")],
            "binary",
        ),
        case("import a directory", &["import", &p("adir")], "directory"),
        case(
            "import a missing file",
            &["import", &p("missing.txt")],
            "missing.txt",
        ),
        case(
            "import a malformed JSON Lines file",
            &["import", &p("bad.jsonl")],
            "line 1",
        ),
        case(
            "import JSON Lines with a broken task",
            &["import", &p("other.jsonl")],
            "line 2",
        ),
        case(
            "export without a year",
            &["export", "--format", "csv"],
            "--year",
        ),
        case(
            "export to an unknown extension",
            &["export", "--year", "2025", "-o", &p("x.doc")],
            ".doc",
        ),
        case(
            "table format for export",
            &["export", "--year", "2025", "--format", "table"],
            "export",
        ),
        case(
            "csv format for list",
            &["list", "--format", "csv"],
            "export",
        ),
        case(
            "restore from a missing file",
            &["restore", &p("nothing.db")],
            "nothing.db",
        ),
        case(
            "backup over an existing file",
            &["backup", l.path.to_str().unwrap()],
            "already exists",
        ),
    ];
    cases.push(Case {
        name: "invalid UTF-8 in a title",
        args: vec![
            "add".into(),
            std::ffi::OsString::from_vec(vec![0xE4, 0xB8, 0xFF, 0x41]),
        ],
        needle: "UTF-8",
    });
    assert!(cases.len() >= 30);

    l.checkpoint();
    let before_dump = dump_db(&l.path);
    let before_bytes = std::fs::read(&l.path).unwrap();
    let mut report = String::new();
    for c in &cases {
        let mut cmd = bare_cmd();
        if !c.args.iter().any(|a| a == "--db") {
            cmd.arg("--db").arg(&l.path);
        }
        let out = cmd.args(&c.args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let code = out.status.code().unwrap_or(-1);
        report.push_str(&format!("{} → exit {code}: {}", c.name, stderr));
        assert_ne!(code, 0, "{}: succeeded", c.name);
        assert!(matches!(code, 1 | 2), "{}: exit {code}", c.name);
        assert_eq!(stderr.lines().count(), 1, "{}: {stderr}", c.name);
        assert!(stderr.starts_with("taizhang: "), "{}: {stderr}", c.name);
        assert!(
            !stderr.contains('\x1b'),
            "{}: a raw escape reached the terminal",
            c.name
        );
        assert!(stderr.contains(c.needle), "{}: {stderr}", c.name);
        assert_eq!(
            dump_db(&l.path),
            before_dump,
            "{}: the ledger changed",
            c.name
        );
    }
    l.checkpoint();
    assert_eq!(std::fs::read(&l.path).unwrap(), before_bytes);
    assert!(!dir.join("no").exists());
    println!("{report}");
}

#[test]
fn control_characters_in_data_are_shown_escaped() {
    let l = Ledger::init();
    l.add("危险\x1b[2J标题\x07", &["--owner", "单位\x1b]0;x\x07"]);
    for args in [
        &["list"][..],
        &["show", "1"],
        &["report", "--by", "owner"],
        &["history"],
    ] {
        let out = l.run_ok(args);
        assert!(!out.contains('\x1b'), "{args:?}: {out}");
        assert!(!out.contains('\x07'), "{args:?}: {out}");
    }
    assert!(l.run_ok(&["list"]).contains("\\u{1b}[2J"));
    // JSON keeps the data exactly, escaped the JSON way.
    assert_eq!(l.show(1)["title"], "危险\x1b[2J标题\x07");
}

#[test]
fn a_full_disk_fails_cleanly() {
    if common::skip_slow("a full-disk round") {
        return;
    }
    let l = Ledger::init();
    l.add("甲", &[]);
    let file = l.dir.path().join("bulk.jsonl");
    bulk_file(&file, 20_000);
    l.checkpoint();
    let before = dump_db(&l.path);
    // RLIMIT_FSIZE stands in for a full disk; SIGXFSZ is ignored so writes fail with EFBIG.
    let script = format!(
        "trap '' XFSZ; ulimit -f 400; exec '{}' --db '{}' import '{}'",
        bin().display(),
        l.path.display(),
        file.display()
    );
    let out = Process::new("sh")
        .arg("-c")
        .arg(&script)
        .env("TAIZHANG_NOW", common::NOW)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("taizhang: "), "{stderr}");
    assert_eq!(dump_db(&l.path), before);
    check_passes(&l.path);
}

#[test]
fn a_ledger_on_a_read_only_medium_is_read_but_never_written() {
    // The ledger's folder, mounted again read-only in a private mount namespace (an archived
    // copy, a read-only share): as root or in a user namespace, else the test records a skip.
    if common::read_only_mounter().is_none() {
        common::skip(common::NO_READ_ONLY_MOUNT);
        return;
    }
    let l = Ledger::init();
    l.add("甲", &["--owner", "区司法局"]);
    l.checkpoint();
    let folder = l.path.parent().unwrap().to_path_buf();
    let work = tempfile::tempdir().unwrap();
    let ro = work.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let before = dump_db(&l.path);

    let out = common::run_read_only(&folder, &ro, &["add", "乙"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");

    // Reading still works: list and check straight from the read-only copy.
    let out = common::run_read_only(&folder, &ro, &["list", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tasks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tasks[0]["owner"], "区司法局");
    let out = common::run_read_only(&folder, &ro, &["check"]);
    assert!(
        out.status.success(),
        "check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dump_db(&l.path), before);
}

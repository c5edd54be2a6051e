//! Shared helpers for the black-box tests: a private ledger per test, a command builder with a
//! pinned environment, and a logical dump of the ledger for "unchanged" checks.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::{types::ValueRef, Connection, OpenFlags};
use serde_json::Value;
use tempfile::TempDir;

/// The moment every test runs at, unless it says otherwise.
pub const NOW: &str = "2025-03-01T09:00:00+08:00";
/// The actor every test acts as.
pub const USER: &str = "法治办测试员";

/// A command for the binary with an environment that does not depend on the machine: the clock
/// and the user are pinned, and locale, colour and ledger-path variables are removed.
pub fn bare_cmd() -> Command {
    let mut c = Command::cargo_bin("taizhang").expect("binary taizhang");
    c.env_remove("TAIZHANG_DB")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("TAIZHANG_NOW", NOW)
        .env("TAIZHANG_USER", USER);
    c
}

/// A ledger in its own temporary folder.
pub struct Ledger {
    pub dir: TempDir,
    pub path: PathBuf,
    pub now: String,
}

/// The result of a command that was expected to fail.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ledger {
    /// A ledger path in a fresh folder; the file does not exist yet.
    pub fn new() -> Ledger {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("taizhang.db");
        Ledger {
            dir,
            path,
            now: NOW.to_string(),
        }
    }

    /// A ledger created with `init`.
    pub fn init() -> Ledger {
        let l = Ledger::new();
        l.run_ok(&["init"]);
        l
    }

    /// Runs later commands at another moment.
    pub fn at(mut self, now: &str) -> Ledger {
        self.now = now.to_string();
        self
    }

    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    /// A command on this ledger (`--db` set, English unless the args say otherwise).
    pub fn cmd(&self) -> Command {
        let mut c = bare_cmd();
        c.env("TAIZHANG_NOW", &self.now).arg("--db").arg(&self.path);
        c
    }

    /// Runs the command, asserts exit 0 and returns stdout.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run taizhang");
        assert!(
            out.status.success(),
            "taizhang {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs the command, asserts exit 0, returns (stdout, stderr).
    pub fn run_ok_err(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd().args(args).output().expect("run taizhang");
        assert!(
            out.status.success(),
            "taizhang {args:?} failed with {:?}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).expect("utf-8 stdout"),
            String::from_utf8(out.stderr).expect("utf-8 stderr"),
        )
    }

    /// Runs the command with `--format json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = self.run_ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: bad JSON {e}: {out}"))
    }

    /// Adds a task and returns its id, parsed from the JSON output.
    pub fn add(&self, title: &str, extra: &[&str]) -> i64 {
        let mut args = vec!["add", title];
        args.extend_from_slice(extra);
        let t = self.json(&args);
        t["id"].as_i64().expect("id of the new task")
    }

    /// One task as `show --format json` prints it.
    pub fn show(&self, id: i64) -> Value {
        self.json(&["show", &id.to_string()])
    }

    /// Runs a command that must fail; returns its exit code and output.
    pub fn fail(&self, args: &[&str]) -> Failure {
        run_fail(self.cmd().args(args))
    }

    /// A logical dump of the ledger: user_version, the schema and every row of every table.
    pub fn dump(&self) -> String {
        dump_db(&self.path)
    }

    /// The raw bytes of the main ledger file (None when it does not exist).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(&self.path).ok()
    }

    /// Moves everything in the WAL into the main file and truncates the WAL, so that the main
    /// file's bytes are the whole ledger.
    pub fn checkpoint(&self) {
        let c = Connection::open(&self.path).expect("open for checkpoint");
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            let busy: i64 = r.get(0)?;
            assert_eq!(busy, 0, "checkpoint was blocked");
            Ok(())
        })
        .expect("checkpoint");
    }

    /// A second path in this ledger's folder.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::new()
    }
}

/// Runs a command that must fail and checks the shape every failure shares: a non-zero exit,
/// nothing on stdout and exactly one line on stderr starting with "taizhang: ".
pub fn run_fail(cmd: &mut Command) -> Failure {
    let out = cmd.output().expect("run taizhang");
    let f = Failure {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!out.status.success(), "expected a failure, got {f:?}");
    f
}

impl Failure {
    /// Asserts the exit code, that stderr is one line "taizhang: …" containing every needle
    /// (case-insensitive), and that stdout is empty.
    pub fn check(&self, code: i32, needles: &[&str]) {
        assert_eq!(self.code, code, "exit code; {self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "stderr must be exactly one line: {self:?}");
        assert!(
            self.stderr.ends_with('\n'),
            "stderr line must end with a newline: {self:?}"
        );
        assert!(
            lines[0].starts_with("taizhang: "),
            "stderr must start with 'taizhang: ': {self:?}"
        );
        let low = lines[0].to_lowercase();
        for n in needles {
            assert!(
                low.contains(&n.to_lowercase()),
                "stderr should mention {n:?}: {self:?}"
            );
        }
        assert!(self.stdout.is_empty(), "stdout must be empty: {self:?}");
    }
}

/// A logical dump of a ledger file, opened read-only: "MISSING" when there is no file.
pub fn dump_db(path: &Path) -> String {
    if !path.exists() {
        return "MISSING".into();
    }
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open the ledger read-only");
    let mut out = String::new();
    let uv: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("user_version");
    out.push_str(&format!("user_version={uv}\n"));
    let schema: Vec<(String, String, String, Option<String>)> = {
        let mut s = c
            .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid")
            .expect("schema");
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("schema rows")
            .collect::<Result<_, _>>()
            .expect("schema rows")
    };
    for (ty, name, tbl, sql) in &schema {
        out.push_str(&format!(
            "{ty} {name} on {tbl}: {}\n",
            sql.as_deref().unwrap_or("")
        ));
    }
    for (ty, name, _, _) in &schema {
        if ty != "table" {
            continue;
        }
        let has_rowid = c
            .prepare(&format!("SELECT rowid FROM \"{name}\" LIMIT 0"))
            .is_ok();
        let sql = if has_rowid {
            format!("SELECT * FROM \"{name}\" ORDER BY rowid")
        } else {
            let n = c
                .prepare(&format!("SELECT * FROM \"{name}\" LIMIT 0"))
                .expect("columns")
                .column_count();
            let cols: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            format!("SELECT * FROM \"{name}\" ORDER BY {}", cols.join(", "))
        };
        out.push_str(&format!("== {name}\n"));
        let mut stmt = c.prepare(&sql).expect("select rows");
        let n = stmt.column_count();
        let mut rows = stmt.query([]).expect("rows");
        while let Some(r) = rows.next().expect("row") {
            let cells: Vec<String> = (0..n)
                .map(|i| match r.get_ref(i).expect("cell") {
                    ValueRef::Null => "NULL".to_string(),
                    ValueRef::Integer(v) => v.to_string(),
                    ValueRef::Real(v) => format!("{v:?}"),
                    ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("blob{b:?}"),
                })
                .collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    out
}

/// Counts rows of a table in a ledger (read-only).
pub fn count(path: &Path, table: &str) -> i64 {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    c.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })
    .expect("count")
}

/// The ids of a JSON array of tasks.
pub fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect()
}

/// The field names every task object in the JSON contract carries.
pub const TASK_FIELDS: &[&str] = &[
    "id",
    "ref",
    "kind",
    "title",
    "body",
    "area",
    "outline_area",
    "owner",
    "co_owners",
    "status",
    "progress",
    "deadline",
    "year",
    "parent_id",
    "created_at",
    "updated_at",
    "completed_at",
    "overdue",
];

/// The field names of a history row in the JSON contract.
pub const HISTORY_FIELDS: &[&str] = &["task_id", "at", "actor", "field", "old", "new", "note"];

/// The field names of a report group (and of the total) in the JSON contract.
pub const GROUP_FIELDS: &[&str] = &[
    "group",
    "total",
    "todo",
    "doing",
    "blocked",
    "done",
    "verified",
    "cancelled",
    "overdue",
    "progress",
];

/// Asserts that a JSON task has every contract field.
pub fn assert_task_shape(t: &Value) {
    let o = t
        .as_object()
        .unwrap_or_else(|| panic!("task is not an object: {t}"));
    for f in TASK_FIELDS {
        assert!(o.contains_key(*f), "task lacks field {f}: {t}");
    }
    assert!(t["co_owners"].is_array(), "co_owners is a list: {t}");
    assert!(t["overdue"].is_boolean(), "overdue is a boolean: {t}");
    assert!(t["progress"].is_u64(), "progress is a number: {t}");
}

/// Asserts that a JSON history row has every contract field.
pub fn assert_history_shape(h: &Value) {
    let o = h
        .as_object()
        .unwrap_or_else(|| panic!("row is not an object: {h}"));
    for f in HISTORY_FIELDS {
        assert!(o.contains_key(*f), "history row lacks field {f}: {h}");
    }
}

/// One history row as (field, old, new, note).
pub type Change = (String, Option<String>, Option<String>, Option<String>);

/// The history rows of a task from `show`, as (field, old, new, note) strings.
pub fn history_of(show: &Value) -> Vec<Change> {
    show["history"]
        .as_array()
        .expect("history array")
        .iter()
        .map(|h| {
            assert_history_shape(h);
            let s = |k: &str| h[k].as_str().map(str::to_string);
            (
                h["field"].as_str().expect("field").to_string(),
                s("old"),
                s("new"),
                s("note"),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Skips and the fast tier.

/// The environment variable naming a file where tests that could not run record themselves,
/// one line each. cargo test shows a test that returned early as "ok" and hides its output, so
/// .ci/run sets this variable and counts the lines: a skip is reported as a skip, never as a
/// pass.
pub const SKIP_LOG: &str = "TAIZHANG_SKIP_LOG";

/// The environment variable that selects the fast tier: when it is set (and not "0"), the slow
/// rounds (SIGKILL rounds, stress loops, long property runs, full-disk and race tests) record a
/// skip and return, so that a contributor's run after a build takes well under a minute.
pub const FAST: &str = "TAIZHANG_FAST";

/// Why the read-only medium tests cannot run on a machine.
pub const NO_READ_ONLY_MOUNT: &str =
    "this machine cannot bind-mount a folder read-only (needs root or a user namespace)";

/// Records that the calling test cannot run here: prints "SKIPPED: file::test: reason" on
/// stderr and appends that line to the file named by `TAIZHANG_SKIP_LOG` when it is set. The
/// caller returns right after. A test that can run only part of its checks calls it too: it is
/// then counted as skipped, because not all of it ran; .ci/run counts each test once.
pub fn skip(reason: &str) {
    use std::io::Write;
    // libtest names each test's thread after the test; a test run on the main thread (one
    // test thread) falls back to a generic name, and the reason still says what was skipped.
    let name = std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("a test")
        .to_string();
    let line = format!("SKIPPED: {}::{name}: {reason}", env!("CARGO_CRATE_NAME"));
    eprintln!("{line}");
    if let Some(log) = std::env::var_os(SKIP_LOG).filter(|v| !v.is_empty()) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap_or_else(|e| panic!("cannot open the skip log {log:?}: {e}"));
        writeln!(f, "{line}").expect("write the skip log");
    }
}

/// True when the fast tier runs (`TAIZHANG_FAST` set and not "0").
pub fn fast_tier() -> bool {
    std::env::var_os(FAST).is_some_and(|v| !v.is_empty() && v != "0")
}

/// For a slow test: in the fast tier records a skip naming `what` and returns true, so the test
/// returns at once; in the full run returns false and the test runs.
pub fn skip_slow(what: &str) -> bool {
    if fast_tier() {
        skip(&format!(
            "slow ({what}); it runs in the full suite, without {FAST}"
        ));
        true
    } else {
        false
    }
}

// ---------------------------------------------------------------------------------------------
// Read-only media: a folder bind-mounted read-only in a private mount namespace, so that the
// mount disappears with the process even when a test fails.

/// How `unshare` gives this test a private mount namespace where it may bind-mount a folder
/// read-only: as root directly, else inside a user namespace (`-r`). None when neither works
/// on this machine.
pub fn read_only_mounter() -> Option<&'static [&'static str]> {
    const WAYS: [&[&str]; 2] = [
        &["-m", "--propagation", "private"],
        &["-r", "-m", "--propagation", "private"],
    ];
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let mnt = dir.path().join("mnt");
    std::fs::create_dir(&src).unwrap();
    std::fs::create_dir(&mnt).unwrap();
    WAYS.into_iter().find(|way| {
        std::process::Command::new("unshare")
            .args(*way)
            .args(["sh", "-c"])
            .arg(r#"mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && ! touch "$2/probe" 2>/dev/null"#)
            .arg("sh")
            .arg(&src)
            .arg(&mnt)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs taizhang on `folder/taizhang.db` with `folder` mounted read-only over `mnt`, with
/// "tmp" beside `mnt` as its temporary folder (where private copies go).
pub fn run_read_only(folder: &Path, mnt: &Path, args: &[&str]) -> std::process::Output {
    let way = read_only_mounter().expect("checked by the test");
    let db = mnt.join("taizhang.db");
    let tmp = mnt.with_file_name("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut p = std::process::Command::new("unshare");
    p.args(way)
        .args(["sh", "-c"])
        .arg(r#"mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && shift 2 && exec "$@""#)
        .arg("sh")
        .arg(folder)
        .arg(mnt)
        .arg(assert_cmd::cargo::cargo_bin("taizhang"))
        .arg("--db")
        .arg(&db)
        .args(args)
        .env_remove("TAIZHANG_DB")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("TAIZHANG_NOW", NOW)
        .env("TAIZHANG_USER", USER)
        .env("TMPDIR", &tmp)
        .stdin(std::process::Stdio::null());
    p.output().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Parsed reports: the one summary format the shape snapshots (tests/import_shapes.rs,
// tests/import_unseen.rs) are written in.

fn shape_path(name: &str) -> String {
    format!("{}/fixtures/shapes/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn summary_text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.is_empty() => "-".into(),
        Value::Array(a) => a.iter().map(summary_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// What `import --dry-run --format json` found, one line per item: the counts, then each
/// achievement (ref, section, title), shortcoming (ref, title) and commitment (ref, area,
/// deadline, owner, co-owners, recurring words, title).
pub fn shape_summary(file: &str) -> String {
    let l = Ledger::new();
    let v = l.json(&["import", "--dry-run", &shape_path(file)]);
    let r = &v["report"];
    let items = |part: &str| -> Vec<(String, Value)> {
        r[part]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .flat_map(|s| {
                let t = summary_text(&s["title"]);
                s["items"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |i| (t.clone(), i))
            })
            .collect()
    };
    let ach = items("achievements");
    let plans = items("plans");
    let short = r["shortcomings"].as_array().cloned().unwrap_or_default();
    let mut out = vec![
        format!(
            "report {} plan {} issuer {} issued {}",
            summary_text(&r["report_year"]),
            summary_text(&r["plan_year"]),
            summary_text(&r["issuer"]),
            summary_text(&r["issued_on"])
        ),
        format!(
            "achievements {} shortcomings {} commitments {} unassigned {}",
            ach.len(),
            short.len(),
            plans.len(),
            summary_text(&r["coverage"]["unassigned"])
        ),
    ];
    for (sec, i) in &ach {
        out.push(format!(
            "A {} | {} | {}",
            summary_text(&i["ref"]),
            sec,
            summary_text(&i["title"])
        ));
    }
    for i in &short {
        out.push(format!(
            "S {} | {}",
            summary_text(&i["ref"]),
            summary_text(&i["title"])
        ));
    }
    for (area, i) in &plans {
        let due = if i["continuous"] == Value::Bool(true) {
            "长期".to_string()
        } else {
            summary_text(&i["deadline"])
        };
        out.push(format!(
            "C {} | {} | {} | {} | {} | {} | {}",
            summary_text(&i["ref"]),
            area,
            due,
            summary_text(&i["owner"]),
            summary_text(&i["co_owners"]),
            summary_text(&i["recurring"]),
            summary_text(&i["title"])
        ));
    }
    out.join("\n")
}

// ---------------------------------------------------------------------------------------------
// The reference ledger that table and export snapshots are taken of.

/// The moment the snapshots are taken: after every change below.
pub const LATER: &str = "2025-06-30T17:00:00+08:00";

/// The reference ledger of the table and export snapshots (tests/snapshots_cli.rs,
/// tests/table_fit.rs): the reference report imported at NOW, then: a commitment started with an owner, a progress
/// note, a second commitment with an early deadline (overdue by LATER) linked to the shortcoming
/// it addresses, and a shortcoming blocked. Each step a month apart, so the history is ordered
/// by time.
pub fn reference_ledger() -> Ledger {
    let mut l = Ledger::new();
    let report = format!(
        "{}/fixtures/tianning-2024-report.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    l.run_ok(&["import", &report]);
    l.set_now("2025-04-01T10:00:00+08:00");
    l.run_ok(&[
        "update",
        "19",
        "--status",
        "doing",
        "--progress",
        "40",
        "--owner",
        "区司法局",
    ]);
    l.run_ok(&["note", "19", "已召开专题会议部署年度重点任务"]);
    l.set_now("2025-05-01T10:00:00+08:00");
    l.run_ok(&[
        "update",
        "23",
        "--deadline",
        "2025-05-31",
        "--owner",
        "区城管局",
        "--co-owner",
        "区市场监管局",
        "--note",
        "按区委部署提前完成",
    ]);
    l.run_ok(&["link", "23", "--addresses", "18"]);
    l.set_now("2025-06-01T10:00:00+08:00");
    l.run_ok(&["update", "17", "--status", "blocked"]);
    l.set_now(LATER);
    l
}

// ---------------------------------------------------------------------------------------------
// Processes of the binary for the crash, race and file-edge tests, which need to spawn, kill
// and wait on it themselves rather than go through assert_cmd.

/// The path of the binary under test.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("taizhang")
}

/// A process of the binary on `db`, with the pinned environment of the other tests.
pub fn process(db: &Path, args: &[&str]) -> std::process::Command {
    let mut p = std::process::Command::new(bin());
    p.env_remove("TAIZHANG_DB")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("TAIZHANG_NOW", NOW)
        .env("TAIZHANG_USER", USER)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::null());
    p
}

/// Output bytes as text, with invalid UTF-8 shown rather than refused.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A ledger of `n` open tasks of 2025 owned by 区司法局, titled by `title(i)`, made through one
/// JSON Lines import (one process, not `n`).
pub fn tasks_of_2025(n: usize, title: impl Fn(usize) -> String) -> Ledger {
    let l = Ledger::new();
    let file = l.sibling("many.jsonl");
    let mut text = String::from(
        r#"{"type":"header","format":"taizhang-jsonl","version":1,"outline":"2021-2025","year":null}"#,
    );
    text.push('\n');
    for i in 1..=n {
        let title = title(i);
        let created = serde_json::json!({
            "kind": "task", "title": title, "owner": "区司法局", "status": "todo",
            "progress": 0, "deadline": "2025-06-30", "year": 2025
        });
        let line = serde_json::json!({
            "type": "task", "id": i, "ref": null, "kind": "task", "title": title,
            "body": null, "area": null, "outline_area": null, "owner": "区司法局",
            "co_owners": [], "status": "todo", "progress": 0, "deadline": "2025-06-30",
            "deadline_text": null, "year": 2025, "parent_id": null, "document_id": null,
            "created_at": NOW, "updated_at": NOW, "completed_at": null,
            "links": [],
            "history": [{
                "id": i, "change_id": i, "at": NOW, "actor": USER,
                "command": "add", "undoes": null, "field": "created", "old": null,
                "new": created.to_string(), "note": null
            }]
        });
        text.push_str(&line.to_string());
        text.push('\n');
    }
    std::fs::write(&file, text).unwrap();
    l.run_ok(&["import", file.to_str().unwrap()]);
    l
}

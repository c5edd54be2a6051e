//! The paths a JSON Lines import takes (issue 18): into a new ledger (built under a temporary
//! name with a rollback journal, then given back its WAL), into an empty `init`ed ledger
//! (secondary indexes dropped and rebuilt inside the one transaction) and into a ledger that
//! holds work (a merge). All three give a ledger `check` finds sound, and a file refused at
//! its last line leaves the ledger exactly as it was, its indexes included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{dump_db, Ledger};

const REPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/tianning-2024-report.txt"
);

/// A source ledger with sub-tasks, links, a re-parented task, notes and a cancelled task,
/// exported as JSON Lines.
fn source_file() -> (Ledger, std::path::PathBuf) {
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
    l.run_ok(&["update", "25", "--parent", "24"]);
    l.run_ok(&["note", "23", "已部署三年行动"]);
    l.run_ok(&["update", "25", "--status", "cancelled", "--note", "并入"]);
    let file = l.sibling("ledger.jsonl");
    std::fs::write(&file, l.run_ok(&["export", "--format", "jsonl"])).unwrap();
    (l, file)
}

fn journal_mode(path: &std::path::Path) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// Files in the ledger's folder other than the ledger, its WAL files and the given file.
fn leftovers(l: &Ledger, keep: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(l.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            !["taizhang.db", "taizhang.db-wal", "taizhang.db-shm"].contains(&n.as_str())
                && !keep.contains(&n.as_str())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_new_an_empty_and_a_busy_ledger_all_import_sound() {
    let (src, file) = source_file();
    let file = file.to_str().unwrap();
    let original = src.run_ok(&["export", "--format", "jsonl"]);

    // A new ledger: built under a temporary name, published in WAL mode, nothing left over.
    let new = Ledger::new();
    new.run_ok(&["import", file]);
    assert_eq!(journal_mode(&new.path), "wal");
    assert_eq!(leftovers(&new, &[]), Vec::<String>::new());
    assert!(new.run_ok(&["check"]).contains("sound"));
    assert_eq!(new.run_ok(&["export", "--format", "jsonl"]), original);

    // An empty ledger made by `init`: the same ledger, with the same schema (the indexes
    // dropped for the import are all back, with their text; they are listed last now).
    let empty = Ledger::init();
    empty.run_ok(&["import", file]);
    assert!(empty.run_ok(&["check"]).contains("sound"));
    assert_eq!(empty.run_ok(&["export", "--format", "jsonl"]), original);
    let schema = |l: &Ledger| -> Vec<(String, Option<String>)> {
        let c = rusqlite::Connection::open(&l.path).unwrap();
        let mut s = c
            .prepare("SELECT name, sql FROM sqlite_schema ORDER BY name")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(schema(&empty), schema(&new));
    assert_eq!(schema(&empty), schema(&src));

    // A ledger that holds work: a merge, with its refs labelled.
    let busy = Ledger::init();
    busy.add("本地任务", &["--owner", "区司法局"]);
    busy.run_ok(&["import", file, "--source", "天宁区"]);
    assert!(busy.run_ok(&["check"]).contains("sound"));
    assert_eq!(schema(&busy), schema(&src));
}

#[test]
fn a_file_refused_at_its_last_line_changes_nothing() {
    let (_src, file) = source_file();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("{\"type\":\"bogus\"}\n");
    let bad = file.with_file_name("bad.jsonl");
    std::fs::write(&bad, text).unwrap();
    let bad = bad.to_str().unwrap();

    // Into an empty ledger, whose indexes the import drops and rebuilds: all still there.
    let empty = Ledger::init();
    let before = dump_db(&empty.path);
    empty
        .fail(&["import", bad])
        .check(1, &["unknown line type 'bogus'"]);
    assert_eq!(dump_db(&empty.path), before);
    assert!(empty.run_ok(&["check"]).contains("sound"));

    // Into a ledger that holds work.
    let busy = Ledger::init();
    busy.add("本地任务", &[]);
    let before = dump_db(&busy.path);
    busy.fail(&["import", bad, "--source", "天宁区"])
        .check(1, &["unknown line type 'bogus'"]);
    assert_eq!(dump_db(&busy.path), before);

    // Into a new ledger: no ledger appears, and no temporary file or journal is left.
    let new = Ledger::new();
    new.fail(&["import", bad])
        .check(1, &["unknown line type 'bogus'"]);
    assert!(!new.path.exists());
    assert_eq!(leftovers(&new, &[]), Vec::<String>::new());
}

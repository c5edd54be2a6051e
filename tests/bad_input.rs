//! Bad input, one test each: the exit code (2 for usage errors, 1 for the rest), exactly one
//! line on stderr that starts with "taizhang: " and names the problem, nothing on stdout, and the
//! ledger exactly as it was (a logical dump of every table, and the bytes of the main file).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rusqlite::Connection;

/// A ledger with: 1 a commitment (doing, due 2025-06-30), 2 a shortcoming, 3 a sub-task of 1,
/// 4 a sub-task of 3; 1 addresses 2.
fn fixture() -> Ledger {
    let l = Ledger::init();
    l.add(
        "严格规范公正文明执法",
        &[
            "--kind",
            "commitment",
            "--status",
            "doing",
            "--deadline",
            "2025-06-30",
        ],
    );
    l.add("执法监督不够有力", &["--kind", "shortcoming"]);
    l.add("公安执法规范化", &["--parent", "1", "--progress", "30"]);
    l.add("执法记录仪全覆盖", &["--parent", "3"]);
    l.run_ok(&["link", "1", "--addresses", "2"]);
    l.run_ok(&["note", "1", "已部署"]);
    l.checkpoint();
    l
}

/// Runs a command that must be refused and checks the failure and that nothing changed.
fn refused(l: &Ledger, args: &[&str], code: i32, needles: &[&str]) {
    let before = l.dump();
    let bytes = l.bytes();
    let f = l.fail(args);
    f.check(code, needles);
    assert_eq!(l.dump(), before, "{args:?} changed the ledger");
    assert!(
        l.bytes() == bytes,
        "{args:?} changed the bytes of the ledger file"
    );
}

macro_rules! refused {
    ($name:ident, [$($arg:expr),* $(,)?], $code:expr, [$($needle:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            let l = fixture();
            refused(&l, &[$($arg),*], $code, &[$($needle),*]);
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Unknown ids: exit 1

refused!(
    update_unknown_id,
    ["update", "99", "--status", "done"],
    1,
    ["#99", "does not exist"]
);
refused!(
    show_unknown_id,
    ["show", "99"],
    1,
    ["#99", "does not exist"]
);
refused!(
    note_unknown_id,
    ["note", "99", "已部署"],
    1,
    ["#99", "does not exist"]
);
refused!(
    link_unknown_task,
    ["link", "99", "--addresses", "2"],
    1,
    ["#99", "does not exist"]
);
refused!(
    link_unknown_shortcoming,
    ["link", "1", "--addresses", "99"],
    1,
    ["#99", "does not exist"]
);
refused!(
    unlink_unknown_id,
    ["unlink", "99", "--addresses", "2"],
    1,
    ["#99", "does not exist"]
);
refused!(
    history_unknown_id,
    ["history", "99"],
    1,
    ["#99", "does not exist"]
);

// ---------------------------------------------------------------------------------------------
// Unknown words: clap value errors, exit 2

refused!(
    update_unknown_status,
    ["update", "1", "--status", "finished"],
    2,
    ["finished", "status", "done/已完成"]
);
refused!(
    update_unknown_chinese_status,
    ["update", "1", "--status", "完工了"],
    2,
    ["完工了", "status"]
);
refused!(
    overdue_is_not_a_status,
    ["update", "1", "--status", "逾期"],
    2,
    ["逾期", "status"]
);
refused!(
    add_unknown_status,
    ["add", "新任务", "--status", "started"],
    2,
    ["started"]
);
refused!(
    list_unknown_status,
    ["list", "--status", "nope"],
    2,
    ["nope", "status"]
);
refused!(
    add_unknown_kind,
    ["add", "新任务", "--kind", "goal"],
    2,
    ["goal", "kind", "shortcoming/短板"]
);
refused!(
    list_unknown_kind,
    ["list", "--kind", "目标"],
    2,
    ["目标", "kind"]
);
refused!(
    report_unknown_grouping,
    ["report", "--by", "colour"],
    2,
    ["colour"]
);

// ---------------------------------------------------------------------------------------------
// Progress outside 0–100: exit 2

refused!(
    progress_101,
    ["update", "1", "--progress", "101"],
    2,
    ["101", "0–100"]
);
refused!(
    progress_minus_1,
    ["update", "1", "--progress=-1"],
    2,
    ["-1", "0–100"]
);
refused!(
    progress_minus_1_separate,
    ["update", "1", "--progress", "-1"],
    2,
    ["-1"]
);
refused!(
    progress_abc,
    ["update", "1", "--progress", "abc"],
    2,
    ["abc", "progress"]
);
refused!(
    progress_fraction,
    ["update", "1", "--progress", "12.5"],
    2,
    ["12.5"]
);
refused!(
    add_progress_101,
    ["add", "新任务", "--progress", "101"],
    2,
    ["101"]
);

// ---------------------------------------------------------------------------------------------
// Malformed dates: exit 2, and the message lists the accepted forms

refused!(
    date_word,
    ["add", "新任务", "--deadline", "tomorrow"],
    2,
    ["tomorrow", "2025年6月底"]
);
refused!(
    date_month_13,
    ["add", "新任务", "--deadline", "2025-13-01"],
    2,
    ["2025-13-01", "2025-12-31"]
);
refused!(
    date_feb_30,
    ["add", "新任务", "--deadline", "2025-02-30"],
    2,
    ["2025-02-30", "2025年6月底"]
);
refused!(
    date_two_digit_year,
    ["add", "新任务", "--deadline", "25-12-31"],
    2,
    ["25-12-31"]
);
refused!(
    date_chinese_month_13,
    ["add", "新任务", "--deadline", "2025年13月"],
    2,
    ["2025年13月", "2025年6月底"]
);
refused!(
    date_no_such_day,
    ["add", "新任务", "--deadline", "12月32日"],
    2,
    ["12月32日"]
);
refused!(
    date_quarter_5,
    ["add", "新任务", "--deadline", "2025年五季度"],
    2,
    ["五季度"]
);
refused!(
    update_malformed_deadline,
    ["update", "1", "--deadline", "下个月", "--note", "延期"],
    2,
    ["下个月", "2025年6月底"]
);
refused!(
    as_of_malformed,
    ["--as-of", "2025-06-31", "list"],
    2,
    ["2025-06-31"]
);
refused!(
    history_since_malformed,
    ["history", "--since", "yesterday"],
    2,
    ["yesterday"]
);

// ---------------------------------------------------------------------------------------------
// Empty text: exit 2

refused!(empty_title, ["add", ""], 2, ["empty"]);
refused!(blank_title, ["add", "   "], 2, ["empty"]);
refused!(
    update_empty_title,
    ["update", "1", "--title", ""],
    2,
    ["empty"]
);
refused!(empty_note, ["note", "1", " "], 2, ["empty"]);

// ---------------------------------------------------------------------------------------------
// Parents and links: exit 1

refused!(
    add_parent_missing,
    ["add", "子任务", "--parent", "99"],
    1,
    ["#99", "does not exist"]
);
refused!(
    update_parent_missing,
    ["update", "2", "--parent", "99"],
    1,
    ["#99"]
);
refused!(
    parent_cycle_child,
    ["update", "1", "--parent", "3"],
    1,
    ["cycle"]
);
refused!(
    parent_cycle_grandchild,
    ["update", "1", "--parent", "4"],
    1,
    ["cycle"]
);
refused!(parent_self, ["update", "1", "--parent", "1"], 1, ["cycle"]);
refused!(
    link_to_itself,
    ["link", "2", "--addresses", "2"],
    1,
    ["itself"]
);
refused!(
    link_to_a_commitment,
    ["link", "3", "--addresses", "1"],
    1,
    ["#1", "not a shortcoming"]
);

// ---------------------------------------------------------------------------------------------
// Reasons the ledger requires: exit 2

refused!(
    deadline_change_without_note,
    ["update", "1", "--deadline", "2025-09-30"],
    2,
    ["--note"]
);
refused!(
    cancel_without_note,
    ["update", "1", "--status", "cancelled"],
    2,
    ["--note"]
);
refused!(
    cancel_in_chinese_without_note,
    ["update", "1", "--status", "已取消"],
    2,
    ["--note"]
);
refused!(
    cancel_several_without_note,
    ["update", "1", "3", "--status", "取消"],
    2,
    ["--note"]
);
refused!(
    add_as_cancelled,
    ["add", "新任务", "--status", "cancelled"],
    2,
    ["cancel"]
);

// ---------------------------------------------------------------------------------------------
// Other usage errors: exit 2

refused!(
    outline_area_11,
    ["add", "新任务", "--outline-area", "FZ11"],
    2,
    ["FZ11"]
);
refused!(
    update_without_ids,
    ["update", "--status", "doing"],
    2,
    ["ID"]
);
refused!(unknown_subcommand, ["delete", "1"], 2, ["delete"]);
refused!(
    outline_backwards,
    ["init", "--outline", "2030-2026"],
    2,
    ["2030-2026"]
);
refused!(
    deadline_and_continuous,
    ["add", "新任务", "--deadline", "2025-06-30", "--continuous"],
    2,
    ["--continuous"]
);

#[test]
fn malformed_taizhang_now() {
    let l = fixture();
    let before = l.dump();
    let f = run_fail(
        l.cmd()
            .env("TAIZHANG_NOW", "next tuesday")
            .args(["add", "新任务"]),
    );
    f.check(2, &["TAIZHANG_NOW"]);
    assert_eq!(l.dump(), before);
}

// ---------------------------------------------------------------------------------------------
// All or nothing

#[test]
fn update_of_several_ids_with_one_unknown_changes_none() {
    let l = fixture();
    let before = l.show(2);
    refused(
        &l,
        &["update", "2", "99", "--status", "done", "--note", "完成"],
        1,
        &["#99"],
    );
    refused(&l, &["update", "99", "2", "--progress", "80"], 1, &["#99"]);
    let after = l.show(2);
    assert_eq!(after, before);
    assert_eq!(after["status"], "todo");
    assert_eq!(after["progress"], 0);
    assert_eq!(after["history"].as_array().unwrap().len(), 1);
}

#[test]
fn update_of_several_ids_failing_on_the_last_changes_none() {
    let l = fixture();
    // 2 may become a sub-task of 4, but 1 may not (4 descends from 1): nothing happens.
    refused(&l, &["update", "2", "1", "--parent", "4"], 1, &["cycle"]);
    assert_eq!(l.show(2)["parent_id"], serde_json::Value::Null);
}

// ---------------------------------------------------------------------------------------------
// The ledger file itself: exit 1

#[test]
fn ledger_in_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no-such-folder").join("taizhang.db");
    for args in [&["init"][..], &["add", "新任务"], &["list"], &["report"]] {
        let f = run_fail(bare_cmd().arg("--db").arg(&db).args(args));
        f.check(1, &["no-such-folder"]);
        assert!(
            !db.parent().unwrap().exists(),
            "{args:?} created the folder"
        );
    }
    let f = run_fail(bare_cmd().arg("--db").arg(&db).args(["add", "新任务"]));
    f.check(1, &["does not exist"]);
}

/// A file that is not SQLite: every command refuses it and leaves it (and its folder) as it was.
#[test]
fn a_file_that_is_not_sqlite() {
    for text in [
        "这不是数据库\n".repeat(400),
        "not a db".to_string(),
        "SQLite format 3 but not really\n".repeat(50),
    ] {
        let l = Ledger::new();
        std::fs::write(&l.path, &text).unwrap();
        let listing = || {
            let mut v: Vec<_> = std::fs::read_dir(l.dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            v.sort();
            v
        };
        let files = listing();
        for args in [
            &["init"][..],
            &["add", "新任务"],
            &["update", "1", "--status", "doing"],
            &["note", "1", "进展"],
            &["list"],
            &["show", "1"],
            &["report"],
            &["history"],
        ] {
            let f = l.fail(args);
            f.check(1, &["not", "sqlite"]);
            assert_eq!(std::fs::read_to_string(&l.path).unwrap(), text, "{args:?}");
            assert_eq!(listing(), files, "{args:?} left files behind");
        }
    }
}

fn other_programs_db(l: &Ledger) {
    let c = Connection::open(&l.path).unwrap();
    c.execute_batch("CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('张三');")
        .unwrap();
}

/// An SQLite database of another program (tables, no taizhang version) is not a ledger either:
/// refused, with its content as it was.
#[test]
fn an_sqlite_file_of_another_program() {
    let l = Ledger::new();
    other_programs_db(&l);
    let before = l.dump();
    let bytes = l.bytes();
    for args in [&["list"][..], &["show", "1"], &["report"]] {
        let f = l.fail(args);
        f.check(1, &["not a taizhang ledger"]);
        assert!(l.bytes() == bytes, "{args:?} changed the file");
    }
    for args in [&["add", "新任务"][..], &["init"], &["note", "1", "x"]] {
        let f = l.fail(args);
        f.check(1, &["not a taizhang ledger"]);
        assert_eq!(l.dump(), before, "{args:?}");
    }
}

#[test]
fn an_sqlite_file_of_another_program_keeps_its_bytes() {
    let l = Ledger::new();
    other_programs_db(&l);
    let bytes = l.bytes();
    for args in [&["add", "新任务"][..], &["init"]] {
        let f = l.fail(args);
        f.check(1, &["not a taizhang ledger"]);
        assert!(l.bytes() == bytes, "{args:?} changed the file");
    }
}

fn set_user_version(path: &std::path::Path, v: i64) {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "user_version", v).unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

const EVERY_COMMAND: &[&[&str]] = &[
    &["init"],
    &["add", "新任务"],
    &["update", "1", "--status", "done"],
    &["note", "1", "进展"],
    &["link", "3", "--addresses", "2"],
    &["unlink", "1", "--addresses", "2"],
    &["list"],
    &["show", "1"],
    &["report"],
    &["history"],
];

#[test]
fn a_ledger_from_a_newer_version() {
    let l = fixture();
    set_user_version(&l.path, 99);
    let before = l.dump();
    assert!(before.starts_with("user_version=99\n"));
    let bytes = l.bytes();
    for args in EVERY_COMMAND {
        let f = l.fail(args);
        f.check(1, &["newer", "99"]);
        assert_eq!(l.dump(), before, "{args:?}");
        assert!(l.bytes() == bytes, "{args:?} changed the file");
    }
}

#[test]
fn a_newer_ledger_in_rollback_journal_mode_is_left_as_it_was() {
    let l = fixture();
    {
        let c = Connection::open(&l.path).unwrap();
        let mode: String = c
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let bytes = l.bytes();
    for args in EVERY_COMMAND {
        let f = l.fail(args);
        f.check(1, &["newer", "99"]);
        assert!(l.bytes() == bytes, "{args:?} changed the file");
    }
}

#[test]
fn a_read_command_on_a_missing_ledger_creates_nothing() {
    for args in [
        &["list"][..],
        &["show", "1"],
        &["report"],
        &["history"],
        &["history", "1"],
    ] {
        let l = Ledger::new();
        let f = l.fail(args);
        f.check(1, &["no ledger", "init"]);
        assert!(!l.path.exists(), "{args:?} created the ledger");
        assert_eq!(
            std::fs::read_dir(l.dir.path()).unwrap().count(),
            0,
            "{args:?}"
        );
    }
    // Also when the path comes from TAIZHANG_DB.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let f = run_fail(bare_cmd().env("TAIZHANG_DB", &db).arg("list"));
    f.check(1, &["no ledger"]);
    assert!(!db.exists());
}

#[test]
fn a_folder_given_as_the_ledger() {
    let l = Ledger::new();
    for args in [&["add", "新任务"][..], &["list"]] {
        let f = run_fail(bare_cmd().arg("--db").arg(l.dir.path()).args(args));
        f.check(1, &["directory"]);
    }
    assert_eq!(std::fs::read_dir(l.dir.path()).unwrap().count(), 0);
}

/// A refused writing command on a path where no ledger exists (a mistyped --db) must not leave a
/// new, empty ledger behind.
#[test]
fn a_refused_write_on_a_missing_ledger_creates_nothing() {
    for args in [
        &["update", "1", "--status", "cancelled"][..],
        &["update", "1", "--deadline", "2025-09-30"],
        &["update", "1", "--status", "done"],
        &["note", "5", "进展"],
        &["link", "1", "--addresses", "2"],
        &["add", "子任务", "--parent", "9"],
    ] {
        let l = Ledger::new();
        let f = l.fail(args);
        assert!(f.code == 1 || f.code == 2, "{f:?}");
        assert!(!l.path.exists(), "{args:?} created {}", l.path.display());
    }
}

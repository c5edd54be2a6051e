//! `check`'s problem lines follow the user's language (issue 16); its JSON keeps English.
//! The ledger is damaged with SQLite directly, as tests/check_corruption.rs does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run_fail, Ledger};
use rusqlite::Connection;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A ledger with one task whose title was edited behind taizhang's back and a setting
/// taizhang does not know.
fn damaged() -> Ledger {
    let l = Ledger::init();
    l.add("推进行政执法三项制度", &[]);
    let c = Connection::open(&l.path).unwrap();
    c.execute("UPDATE task SET title = '被改动的标题' WHERE id = 1", [])
        .unwrap();
    c.execute("INSERT INTO meta(key, value) VALUES ('bogus', '1')", [])
        .unwrap();
    l
}

/// Before: `--lang zh check` printed "task #1 differs from the replay of its history in:
/// title" and "unknown setting 'bogus'" in English. Now each problem is a Chinese line, the
/// English run stays English, and JSON keeps English words.
#[test]
fn check_problems_are_shown_in_the_chosen_language() {
    let l = damaged();
    let zh = run_fail(l.cmd().args(["--lang", "zh", "check"]));
    let lines: Vec<&str> = zh.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{zh:?}");
    assert!(lines.iter().all(|s| has_cjk(s)), "{zh:?}");
    assert!(zh.stdout.contains("#1"), "{zh:?}");
    assert!(zh.stdout.contains("bogus"), "{zh:?}");
    assert!(!zh.stdout.contains("differs from the replay"), "{zh:?}");
    assert!(!zh.stdout.contains("unknown setting"), "{zh:?}");

    let en = run_fail(l.cmd().args(["--lang", "en", "check"]));
    assert!(
        en.stdout
            .contains("task #1 differs from the replay of its history in: title"),
        "{en:?}"
    );
    assert!(en.stdout.contains("unknown setting 'bogus'"), "{en:?}");
    assert!(!has_cjk(&en.stdout), "{en:?}");

    let json = run_fail(l.cmd().args(["--lang", "zh", "--format", "json", "check"]));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let problems: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        problems.contains(&"task #1 differs from the replay of its history in: title"),
        "{problems:?}"
    );
    assert!(
        problems.contains(&"unknown setting 'bogus'"),
        "{problems:?}"
    );
}

//! The upgrade to version 10 (index `history_field`, for `list --as-of`): a version-9 ledger
//! gets the index on open, stays sound for `check`, and its as-of list is unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Ledger;

#[test]
fn a_version_9_ledger_gets_the_field_index_and_stays_sound() {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let a = l
        .add("甲", &["--owner", "司法局", "--on", "2025-01-02"])
        .to_string();
    l.add("乙", &["--owner", "财政局", "--on", "2025-01-02"]);
    l.run_ok(&["update", &a, "--owner", "财政局", "--on", "2025-09-01"]);
    let asked = ["list", "--owner", "司法局", "--as-of", "2025-06-30"];
    let before = l.json(&asked);
    l.checkpoint();
    // Version 9 is this schema without the index.
    {
        let c = rusqlite::Connection::open(&l.path).unwrap();
        c.execute_batch("DROP INDEX history_field; PRAGMA user_version = 9;")
            .unwrap();
    }
    l.run_ok(&["check"]);
    let c = rusqlite::Connection::open(&l.path).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, taizhang::db::schema::CURRENT_VERSION);
    let has: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'history_field'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has, 1);
    let after = l.json(&asked);
    assert_eq!(after, before);
    assert_eq!(common::ids(&after), vec![a.parse::<i64>().unwrap()]);
}

/// The partial index serves the query of `list --as-of` and no query on `field = 'x'` alone:
/// the sub-task roll-up keeps reading a task's rows by history_task.
#[test]
fn only_the_as_of_list_uses_the_field_index() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let c = rusqlite::Connection::open(&l.path).unwrap();
    let plan = |sql: &str| -> String {
        let mut s = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = s
            .query_map(["owner", "2025-06-30T23:59:59"], |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("\n")
    };
    let p = plan(taizhang::db::tasks::CHANGED_AFTER);
    assert!(p.contains("history_field"), "{p}");
    let p = plan(
        "SELECT h.task_id, h.new FROM history h WHERE h.task_id IN (1, 2)
           AND h.field IN ('created', 'status', 'progress', 'parent_id')
           AND ?1 IS NOT NULL AND ?2 IS NOT NULL ORDER BY h.task_id, h.id",
    );
    assert!(!p.contains("history_field"), "{p}");
    let p = plan("SELECT task_id FROM history WHERE field = ?1 AND at > ?2");
    assert!(!p.contains("history_field"), "{p}");
}

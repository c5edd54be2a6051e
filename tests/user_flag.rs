//! One meaning per flag: the person making a change is the global `--user` (or TAIZHANG_USER);
//! `--by` is only the grouping of `report`. The old actor `--by NAME`, before or after the
//! command name, is refused with one line that names `--user`, and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

#[test]
fn user_names_the_actor_in_the_history() {
    let l = Ledger::init();
    let id = l.add("整改执法短板", &[]);
    l.run_ok(&[
        "--user",
        "张三",
        "update",
        &id.to_string(),
        "--progress",
        "10",
    ]);
    // Global: it may also come after the command name.
    l.run_ok(&["note", &id.to_string(), "已部署", "--user", "李四"]);
    let h = l.json(&["history", &id.to_string(), "--format", "json"]);
    let actors: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    assert!(actors.contains(&"张三"), "{actors:?}");
    assert!(actors.contains(&"李四"), "{actors:?}");
    assert!(actors.contains(&common::USER), "TAIZHANG_USER: {actors:?}");
}

#[test]
fn the_old_actor_by_is_refused_and_names_user() {
    let l = Ledger::init();
    let id = l.add("整改执法短板", &[]).to_string();
    let before = l.dump();
    for args in [
        vec!["--by", "owner", "report"],
        vec!["--by", "张三", "update", &id, "--progress", "10"],
        vec!["update", &id, "--progress", "10", "--by", "张三"],
        vec!["note", &id, "已部署", "--by", "张三"],
    ] {
        let f = l.fail(&args);
        assert_eq!(f.code, 2, "{args:?}: {f:?}");
        assert!(f.stderr.contains("--user"), "{args:?}: {}", f.stderr);
        assert_eq!(f.stderr.trim().lines().count(), 1, "{args:?}: {}", f.stderr);
        assert_eq!(l.dump(), before, "{args:?} changed the ledger");
    }
}

#[test]
fn report_by_still_groups() {
    let l = Ledger::init();
    l.add("整改执法短板", &["--owner", "区司法局"]);
    let out = l.run_ok(&["report", "--by", "owner"]);
    assert!(out.contains("区司法局"), "{out}");
}

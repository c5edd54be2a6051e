//! Dynamic completion from the ledger (issue 16): with clap_complete's dynamic engine
//! (`COMPLETE=bash taizhang`), `--owner` and `--co-owner` offer the ledger's unit names,
//! `--area` its areas and task arguments its ids; the static scripts stay for other shells.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// What the dynamic engine offers for the word at `index` of `words` (the command line being
/// completed, starting with "taizhang"), as bash asks for it.
fn complete(l: &Ledger, words: &[&str], index: usize) -> Vec<String> {
    let o = common::bare_cmd()
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_IFS", "\n")
        .current_dir(l.dir.path())
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .filter(|s| !s.is_empty())
        .collect()
}

fn ledger() -> Ledger {
    let l = Ledger::init();
    l.add(
        "推进行政执法三项制度",
        &["--owner", "区司法局", "--area", "行政执法"],
    );
    l.add(
        "优化营商环境",
        &[
            "--owner",
            "区城管局",
            "--co-owner",
            "区市场监管局",
            "--co-owner",
            "市生态环境局",
        ],
    );
    l
}

#[test]
fn owner_completes_the_ledgers_units() {
    let l = ledger();
    let db = l.path.to_str().unwrap();
    let got = complete(&l, &["taizhang", "--db", db, "list", "--owner", "区"], 5);
    assert_eq!(got, ["区司法局", "区城管局", "区市场监管局"]);
    let got = complete(
        &l,
        &["taizhang", "--db", db, "update", "1", "--co-owner", ""],
        6,
    );
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got.contains(&"市生态环境局".to_string()), "{got:?}");
    let got = complete(&l, &["taizhang", "--db", db, "report", "--area", ""], 5);
    assert_eq!(got, ["行政执法"]);
    // A task argument offers the ids (the options follow them).
    let got = complete(&l, &["taizhang", "--db", db, "show", ""], 4);
    assert_eq!(got[..2], ["1", "2"], "{got:?}");
    // TAIZHANG_DB names the ledger as for a command that runs.
    let o = common::bare_cmd()
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "3")
        .env("_CLAP_IFS", "\n")
        .env("TAIZHANG_DB", &l.path)
        .args(["--", "taizhang", "list", "--owner", "区司"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap().trim(), "区司法局");
}

/// Completing never creates or changes a ledger: with none there, nothing is offered.
#[test]
fn completion_without_a_ledger_offers_nothing_and_creates_nothing() {
    let l = Ledger::new();
    let db = l.path.to_str().unwrap();
    let got = complete(&l, &["taizhang", "--db", db, "list", "--owner", ""], 5);
    assert!(got.is_empty(), "{got:?}");
    assert!(!l.path.exists());
    let l = ledger();
    let before = l.dump();
    complete(
        &l,
        &[
            "taizhang",
            "--db",
            l.path.to_str().unwrap(),
            "list",
            "--owner",
            "",
        ],
        5,
    );
    assert_eq!(l.dump(), before);
}

/// The registration script a shell sources: `COMPLETE=bash taizhang`.
#[test]
fn the_shell_registration_is_printed() {
    let o = common::bare_cmd().env("COMPLETE", "bash").output().unwrap();
    assert!(o.status.success());
    let script = String::from_utf8(o.stdout).unwrap();
    assert!(
        script.contains("complete -o nospace -o bashdefault") || script.contains("complete "),
        "{script}"
    );
    assert!(script.contains("taizhang"), "{script}");
}

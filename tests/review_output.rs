//! Where `import REPORT --review FILE.xlsx` may write. The review sheet is an output file like
//! `export -o`: it must never be the ledger or one of its files, never go through a symbolic
//! link (it would overwrite whatever the link points to), and never a folder; each refusal is
//! one line, exit 1, and leaves the ledger, the link and its target as they were.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/tianning-2024-report.txt"
);

#[test]
fn the_review_sheet_never_overwrites_the_ledger() {
    let l = Ledger::init();
    l.run_ok(&["add", "a task that must survive"]);
    let before = l.dump();
    let ledger = l.path.to_str().unwrap().to_string();
    l.fail(&["import", REFERENCE, "--review", &ledger])
        .check(1, &["ledger"]);
    assert_eq!(l.dump(), before, "the ledger must be unchanged");
}

#[cfg(unix)]
#[test]
fn the_review_sheet_never_writes_through_a_symbolic_link() {
    let l = Ledger::init();
    let target = l.sibling("precious.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    let link = l.sibling("审核表.xlsx");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let before = l.dump();
    l.fail(&["import", REFERENCE, "--review", link.to_str().unwrap()])
        .check(1, &["symbolic link"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(l.dump(), before);
}

#[test]
fn the_review_sheet_into_a_missing_folder_says_so() {
    let l = Ledger::init();
    let before = l.dump();
    let dest = l.sibling("no-such-folder/审核表.xlsx");
    l.fail(&["import", REFERENCE, "--review", dest.to_str().unwrap()])
        .check(1, &["folder", "does not exist"]);
    assert!(!dest.exists());
    assert_eq!(l.dump(), before);
}

#[test]
fn a_review_sheet_is_still_written_and_read_back() {
    let l = Ledger::init();
    let dest = l.sibling("审核表.xlsx");
    l.run_ok(&["import", REFERENCE, "--review", dest.to_str().unwrap()]);
    l.run_ok(&["import", dest.to_str().unwrap()]);
    let tasks = l.json(&["list", "--format", "json"]);
    assert_eq!(tasks.as_array().unwrap().len(), 24);
}

//! The closing line of .ci/run (`.ci/tally`): a test that recorded a skip is counted as
//! skipped, never as passed, and a test that skipped several parts counts once.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// Runs .ci/tally on a cargo log and a skip log and returns its one line.
fn tally(log: &str, skips: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let log_path = dir.path().join("log");
    std::fs::write(&log_path, log).expect("write log");
    let skip_path = dir.path().join("skips");
    if let Some(s) = skips {
        std::fs::write(&skip_path, s).expect("write skips");
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/tally");
    let out = Command::new("bash")
        .arg(script)
        .arg(&log_path)
        .arg(&skip_path)
        .output()
        .expect("run .ci/tally");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

const LOG: &str = "\
running 11 tests
test result: ok. 11 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.4s
running 4 tests
test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s
";

#[test]
fn without_skips_the_line_is_passed_and_failed() {
    assert_eq!(tally(LOG, None), "tests: 14 passed, 1 failed\n");
    assert_eq!(tally(LOG, Some("")), "tests: 14 passed, 1 failed\n");
}

#[test]
fn a_skipped_test_is_counted_as_skipped_not_passed() {
    let skips = "\
SKIPPED: robustness::a_ledger_on_a_read_only_medium_is_read_but_never_written: no mount
SKIPPED: file_writes::export_refuses_symlinks: mkfifo is not available here
SKIPPED: file_writes::export_refuses_symlinks: cannot create a device node here
";
    assert_eq!(
        tally(LOG, Some(skips)),
        "tests: 12 passed, 1 failed, 2 skipped\n"
    );
}

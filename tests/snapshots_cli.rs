//! What users see of the reference ledger, as insta snapshots: the tables of `list`, `report`,
//! `show`, `warn` and `history`, and the md/html/csv/json exports. The reference ledger is the
//! reference report (Tianning District, 2024) imported, then a few changes a month apart, with
//! the clock pinned (TAIZHANG_NOW) so every date in the output is fixed. A change to what a
//! command prints is a reviewed diff of a file under tests/snapshots/.
//!
//! Table width: tables are drawn with comfy-table's dynamic arrangement, which limits the width
//! only on a terminal; the tests' stdout is a pipe and COLUMNS is removed (`bare_cmd`), so every
//! table is drawn at the full width of its content, the same on every machine.

mod common;

use common::{reference_ledger, Ledger};

/// Runs a read-only command on the ledger and returns its stdout, with the ledger's temporary
/// path (which differs between runs) written as [LEDGER].
fn out(l: &Ledger, args: &[&str]) -> String {
    let text = l.run_ok(args);
    let path = l.path.display().to_string();
    let dir = l.dir.path().display().to_string();
    text.replace(&path, "[LEDGER]").replace(&dir, "[DIR]")
}

#[test]
fn tables_of_the_reference_ledger() {
    let l = reference_ledger();
    insta::assert_snapshot!("list", out(&l, &["list"]));
    insta::assert_snapshot!("list_zh", out(&l, &["--lang", "zh", "list"]));
    insta::assert_snapshot!("report", out(&l, &["report"]));
    insta::assert_snapshot!("report_zh", out(&l, &["--lang", "zh", "report"]));
    insta::assert_snapshot!("show", out(&l, &["show", "19"]));
    insta::assert_snapshot!("show_linked", out(&l, &["show", "23"]));
    insta::assert_snapshot!("warn", out(&l, &["warn"]));
    insta::assert_snapshot!("history", out(&l, &["history"]));
    insta::assert_snapshot!("history_task", out(&l, &["history", "19"]));
}

#[test]
fn exports_of_the_reference_ledger() {
    let l = reference_ledger();
    for format in ["md", "html", "csv", "json"] {
        insta::assert_snapshot!(
            format!("export_{format}"),
            out(&l, &["export", "--year", "2025", "--format", format])
        );
    }
    insta::assert_snapshot!(
        "export_md_zh",
        out(
            &l,
            &["--lang", "zh", "export", "--year", "2025", "--format", "md"]
        )
    );
}

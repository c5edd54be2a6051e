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

use common::Ledger;

/// The moment the snapshots are taken: after every change below.
const LATER: &str = "2025-06-30T17:00:00+08:00";

/// The reference report imported at NOW, then: a commitment started with an owner, a progress
/// note, a second commitment with an early deadline (overdue by LATER) linked to the shortcoming
/// it addresses, and a shortcoming blocked. Each step a month apart, so the history is ordered
/// by time.
fn reference_ledger() -> Ledger {
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

//! Extension requests (申请延期, issue 13 part B): a request does not move the deadline; it is
//! pending until `approve` moves it or `reject --note` refuses it, shows in show, warn and the
//! exports, and bad requests change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// A ledger with one task due 2025-06-30, as of 2025-03-01.
fn one_task() -> (Ledger, String) {
    let l = Ledger::init();
    let id = l.add(
        "推行行政执法三项制度",
        &["--deadline", "2025-06-30", "--owner", "区司法局"],
    );
    (l, id.to_string())
}

#[test]
fn a_request_waits_and_approval_moves_the_deadline_with_the_old_day_kept() {
    let (l, id) = one_task();
    let out = l.run_ok(&[
        "--user",
        "区城管局",
        "request-extension",
        &id,
        "--to",
        "2025-09-30",
        "--note",
        "项目审批延后",
    ]);
    assert!(out.contains("2025-06-30 → 2025-09-30"), "{out}");
    // The deadline has not moved; the request is pending in show.
    let t = l.show(1);
    assert_eq!(t["deadline"], "2025-06-30");
    let reqs = t["extension_requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0]["state"], "pending");
    assert_eq!(reqs[0]["deadline"], "2025-09-30");
    assert_eq!(reqs[0]["reason"], "项目审批延后");
    assert_eq!(reqs[0]["actor"], "区城管局");
    let shown = l.run_ok(&["--lang", "zh", "show", &id]);
    assert!(
        shown.contains("延期申请") && shown.contains("待审批"),
        "{shown}"
    );

    // In warn, as its own line, and in the exports, as a column.
    let warn = l.run_ok(&["--lang", "zh", "warn"]);
    assert!(
        warn.lines()
            .any(|l| l.starts_with("申请延期待审批：#1") && l.contains("2025-09-30")),
        "{warn}"
    );
    let w = l.json(&["warn"]);
    assert_eq!(w["pending_extensions"][0]["task_id"], 1);
    let csv = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "csv",
    ]);
    assert!(csv.lines().next().unwrap().contains("申请延期"), "{csv}");
    assert!(
        csv.contains("待审批：至 2025-09-30（项目审批延后）"),
        "{csv}"
    );
    let json = l.json(&["export", "--year", "2025"]);
    assert_eq!(json["tasks"][0]["pending_extension"]["to"], "2025-09-30");

    // A second request while one is pending is refused.
    let before = l.dump();
    l.fail(&[
        "request-extension",
        &id,
        "--to",
        "2025-10-31",
        "--note",
        "再延",
    ])
    .check(1, &["pending", "approve or reject"]);
    assert_eq!(l.dump(), before);

    // Approval moves the deadline; history keeps the old day (延期 visible).
    let out = l.run_ok(&["--user", "法治办", "approve", &id, "--note", "同意"]);
    assert!(out.contains("2025-06-30 → 2025-09-30"), "{out}");
    let t = l.show(1);
    assert_eq!(t["deadline"], "2025-09-30");
    assert_eq!(t["extension_requests"][0]["state"], "approved");
    assert_eq!(t["extension_requests"][0]["decided_by"], "法治办");
    let moved = t["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["field"] == "deadline")
        .expect("a deadline row");
    assert_eq!(moved["old"], "2025-06-30");
    assert_eq!(moved["new"], "2025-09-30");
    assert!(moved["note"].as_str().unwrap().contains("项目审批延后"));
    // Nothing pending any more: not in warn, not in the export, and approve refuses.
    let warn = l.run_ok(&["--lang", "zh", "warn"]);
    assert!(!warn.contains("申请延期待审批"), "{warn}");
    let json = l.json(&["export", "--year", "2025"]);
    assert!(json["tasks"][0]["pending_extension"].is_null());
    l.run_ok(&["check"]);
}

#[test]
fn a_rejected_request_leaves_the_deadline_and_a_new_one_may_follow() {
    let (l, id) = one_task();
    l.run_ok(&[
        "request-extension",
        &id,
        "--to",
        "2025-12-31",
        "--note",
        "人手不足",
    ]);
    let before = l.dump();
    // A rejection needs a reason.
    l.fail(&["reject", &id]).check(2, &["--note"]);
    assert_eq!(l.dump(), before);
    let out = l.run_ok(&["reject", &id, "--note", "理由不充分"]);
    assert!(out.contains("2025-06-30"), "{out}");
    let t = l.show(1);
    assert_eq!(t["deadline"], "2025-06-30");
    assert_eq!(t["extension_requests"][0]["state"], "rejected");
    assert_eq!(t["extension_requests"][0]["decision_note"], "理由不充分");
    let fields: Vec<&str> = t["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["created", "extension_request", "extension_rejected"]
    );
    // Decided: a new request may be made.
    l.run_ok(&[
        "request-extension",
        &id,
        "--to",
        "2025-08-31",
        "--note",
        "补充理由",
    ]);
    l.run_ok(&["check"]);
}

#[test]
fn bad_requests_are_one_line_and_change_nothing() {
    let (l, id) = one_task();
    let before = l.dump();
    // No reason.
    l.fail(&["request-extension", &id, "--to", "2025-09-30"])
        .check(2, &["reason", "--note"]);
    // A day not after the deadline.
    l.fail(&[
        "request-extension",
        &id,
        "--to",
        "2025-05-31",
        "--note",
        "x",
    ])
    .check(2, &["2025-05-31", "not after", "2025-06-30"]);
    l.fail(&[
        "request-extension",
        &id,
        "--to",
        "2025-06-30",
        "--note",
        "x",
    ])
    .check(2, &["not after"]);
    // Approve or reject with nothing pending.
    l.fail(&["approve", &id])
        .check(1, &["no pending extension request"]);
    l.fail(&["reject", &id, "--note", "x"])
        .check(1, &["no pending extension request"]);
    // An unknown task.
    l.fail(&[
        "request-extension",
        "9",
        "--to",
        "2025-09-30",
        "--note",
        "x",
    ])
    .check(1, &["#9"]);
    // Chinese messages too.
    l.fail(&[
        "--lang",
        "zh",
        "request-extension",
        &id,
        "--to",
        "2025-09-30",
    ])
    .check(2, &["理由"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn requests_honour_on_and_as_of_and_are_not_undone() {
    let (mut l, id) = one_task();
    l.set_now("2025-04-10T09:00:00+08:00");
    l.run_ok(&[
        "--on",
        "2025-03-31",
        "request-extension",
        &id,
        "--to",
        "2025-09-30",
        "--note",
        "延后",
    ]);
    let t = l.show(1);
    let row = t["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(row["field"], "extension_request");
    assert!(
        row["effective"].as_str().unwrap().starts_with("2025-03-31"),
        "{row}"
    );
    // As of a day before the request, nothing was pending; as of after it, it was.
    let then = l.json(&["--as-of", "2025-03-15", "warn"]);
    assert_eq!(then["pending_extensions"].as_array().unwrap().len(), 0);
    let after = l.json(&["--as-of", "2025-04-10", "warn"]);
    assert_eq!(after["pending_extensions"].as_array().unwrap().len(), 1);
    // A request is answered, not taken back.
    let before = l.dump();
    l.fail(&["undo"]).check(1, &["cannot undo", "reject"]);
    assert_eq!(l.dump(), before);
}

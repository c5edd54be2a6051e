//! 销号 with evidence and a second reviewer (issue 13 part B): done needs a note; evidence
//! files are stored by SHA-256 and come back byte for byte; verified (已销号) only by another
//! person than the one who set done, with a note; reject sends a done task back (驳回); a done
//! task awaiting 销号 shows as 待销号. Bad input is one line and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use sha2::{Digest, Sha256};

fn sha(b: &[u8]) -> String {
    format!("{:x}", Sha256::digest(b))
}

/// A ledger with one task in progress, by the clerk of the unit.
fn doing() -> Ledger {
    let l = Ledger::init();
    l.add(
        "落实行政执法三项制度",
        &["--deadline", "2025-06-30", "--owner", "区司法局"],
    );
    l.run_ok(&["update", "1", "--progress", "50"]);
    l
}

#[test]
fn evidence_round_trips_by_sha256_and_is_stored_once() {
    let l = doing();
    let a = l.sibling("评查报告.pdf");
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&a, &bytes).unwrap();
    let b = l.sibling("same-content.pdf");
    std::fs::write(&b, &bytes).unwrap();
    let out = l.run_ok(&[
        "update",
        "1",
        "--evidence",
        a.to_str().unwrap(),
        "--evidence",
        b.to_str().unwrap(),
        "--evidence-ref",
        "天司发〔2025〕12号",
    ]);
    assert!(out.contains("3"), "{out}");
    let t = l.show(1);
    let ev = t["evidence"].as_array().unwrap();
    assert_eq!(ev.len(), 3);
    assert_eq!(ev[0]["sha256"], sha(&bytes));
    assert_eq!(ev[0]["name"], "评查报告.pdf");
    assert_eq!(ev[0]["size"], 200_000);
    assert_eq!(ev[2]["reference"], "天司发〔2025〕12号");
    // Identical content is stored once.
    assert_eq!(common::count(&l.path, "evidence_blob"), 1);
    // Listed in show and the exports.
    let shown = l.run_ok(&["--lang", "zh", "show", "1"]);
    assert!(
        shown.contains("佐证材料") && shown.contains(&sha(&bytes)),
        "{shown}"
    );
    let csv = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "csv",
    ]);
    assert!(csv.lines().next().unwrap().contains("佐证材料"), "{csv}");
    assert!(csv.contains("天司发〔2025〕12号"), "{csv}");
    // Written back out, the same bytes, by the full hash or a prefix.
    let back = l.sibling("back.pdf");
    l.run_ok(&[
        "evidence",
        "get",
        "1",
        &sha(&bytes),
        "-o",
        back.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&back).unwrap(), bytes);
    let back2 = l.sibling("back2.pdf");
    l.run_ok(&[
        "evidence",
        "get",
        "1",
        &sha(&bytes)[..12],
        "-o",
        back2.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&back2).unwrap(), bytes);
    // Never onto the ledger itself, and an unknown hash is refused.
    let before = l.dump();
    l.fail(&[
        "evidence",
        "get",
        "1",
        &sha(&bytes),
        "-o",
        l.path.to_str().unwrap(),
    ])
    .check(1, &[]);
    l.fail(&[
        "evidence",
        "get",
        "1",
        "00000000",
        "-o",
        back.to_str().unwrap(),
    ])
    .check(1, &["00000000"]);
    assert_eq!(l.dump(), before);
    l.run_ok(&["check"]);
}

#[test]
fn bad_evidence_changes_nothing() {
    let l = doing();
    let before = l.dump();
    // Unreadable: missing, a folder.
    l.fail(&[
        "update",
        "1",
        "--evidence",
        l.sibling("nope.pdf").to_str().unwrap(),
    ])
    .check(1, &["nope.pdf"]);
    l.fail(&["update", "1", "--evidence", l.dir.path().to_str().unwrap()])
        .check(1, &["directory"]);
    // Over the 20 MiB limit (a sparse file: no disk is used).
    let big = l.sibling("big.bin");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(20 * 1024 * 1024 + 1).unwrap();
    l.fail(&[
        "update",
        "1",
        "--evidence",
        big.to_str().unwrap(),
        "--progress",
        "60",
    ])
    .check(1, &["20 MiB"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn done_needs_a_note_and_verified_a_second_person() {
    let l = doing();
    let before = l.dump();
    // Done without a note, by status or by progress 100.
    l.fail(&["update", "1", "--status", "done"])
        .check(2, &["--note"]);
    l.fail(&["update", "1", "--progress", "100"])
        .check(2, &["--note"]);
    l.fail(&["--lang", "zh", "update", "1", "--status", "已完成"])
        .check(2, &["说明"]);
    // Verified straight from doing: refused.
    l.fail(&[
        "--user",
        "复核人",
        "update",
        "1",
        "--status",
        "verified",
        "--note",
        "x",
    ])
    .check(1, &["done"]);
    assert_eq!(l.dump(), before);

    l.run_ok(&[
        "--user",
        "张三",
        "update",
        "1",
        "--status",
        "done",
        "--note",
        "三项制度全部落实",
    ]);
    // A done task awaiting 销号 shows as 待销号 in tables and exports.
    let list = l.run_ok(&["--lang", "zh", "list"]);
    assert!(list.contains("待销号"), "{list}");
    let csv = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "csv",
    ]);
    assert!(csv.contains("待销号"), "{csv}");
    let before = l.dump();
    // By the same person: refused; without a note: refused.
    l.fail(&[
        "--user", "张三", "update", "1", "--status", "verified", "--note", "已核",
    ])
    .check(1, &["张三", "--user"]);
    l.fail(&["--user", "李四", "update", "1", "--status", "verified"])
        .check(2, &["--note"]);
    assert_eq!(l.dump(), before);
    // By another: accepted.
    l.run_ok(&[
        "--user",
        "李四",
        "update",
        "1",
        "--status",
        "verified",
        "--note",
        "佐证齐全，同意销号",
    ]);
    let t = l.show(1);
    assert_eq!(t["status"], "verified");
    let list = l.run_ok(&["--lang", "zh", "list"]);
    assert!(
        list.contains("已销号") && !list.contains("待销号"),
        "{list}"
    );
    l.run_ok(&["check"]);
}

#[test]
fn reject_sends_a_done_task_back_and_decides_between_kinds() {
    let l = doing();
    l.run_ok(&["update", "1", "--status", "done", "--note", "已完成"]);
    let out = l.run_ok(&["--user", "李四", "reject", "1", "--note", "佐证不足"]);
    assert!(out.contains("#1"), "{out}");
    let t = l.show(1);
    assert_eq!(t["status"], "doing");
    let last = t["history"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|h| h["field"] == "status")
        .unwrap()
        .clone();
    assert_eq!(
        (last["old"].as_str(), last["new"].as_str()),
        (Some("done"), Some("doing"))
    );
    assert!(last["note"].as_str().unwrap().contains("佐证不足"));
    // Nothing to reject now.
    let before = l.dump();
    l.fail(&["reject", "1", "--note", "x"])
        .check(1, &["nothing to reject"]);
    assert_eq!(l.dump(), before);

    // Both a pending extension and a done task: reject must be told which.
    l.run_ok(&[
        "request-extension",
        "1",
        "--to",
        "2025-09-30",
        "--note",
        "补材料",
    ]);
    l.run_ok(&["update", "1", "--status", "done", "--note", "补齐"]);
    let before = l.dump();
    l.fail(&["reject", "1", "--note", "x"])
        .check(2, &["--extension", "--closing"]);
    assert_eq!(l.dump(), before);
    l.run_ok(&["reject", "1", "--extension", "--note", "无需延期"]);
    assert_eq!(l.show(1)["status"], "done");
    assert_eq!(l.show(1)["extension_requests"][0]["state"], "rejected");
    l.run_ok(&["reject", "1", "--closing", "--note", "再补"]);
    assert_eq!(l.show(1)["status"], "doing");
    l.run_ok(&["check"]);
}

#[test]
fn requests_and_evidence_travel_through_json_lines() {
    let l = doing();
    l.add("第二项", &["--deadline", "2025-06-30"]);
    let a = l.sibling("a.bin");
    let bytes: Vec<u8> = (0..5000u32).map(|i| (i % 256) as u8).collect();
    std::fs::write(&a, &bytes).unwrap();
    l.run_ok(&[
        "--user",
        "张三",
        "update",
        "1",
        "--status",
        "done",
        "--note",
        "完成",
        "--evidence",
        a.to_str().unwrap(),
        "--evidence-ref",
        "https://example.org/x",
    ]);
    l.run_ok(&[
        "--user", "李四", "update", "1", "--status", "verified", "--note", "核实",
    ]);
    l.run_ok(&[
        "request-extension",
        "2",
        "--to",
        "2025-09-30",
        "--note",
        "延后",
    ]);
    let file = l.sibling("all.jsonl");
    l.run_ok(&["export", "--format", "jsonl", "-o", file.to_str().unwrap()]);

    // Into an empty ledger: the same ledger, and the same file again.
    let m = Ledger::new();
    m.run_ok(&["import", file.to_str().unwrap()]);
    m.run_ok(&["check"]);
    let t = m.show(1);
    assert_eq!(t["evidence"].as_array().unwrap().len(), 2);
    assert_eq!(t["evidence"][0]["sha256"], sha(&bytes));
    assert_eq!(m.show(2)["extension_requests"][0]["state"], "pending");
    let back = m.sibling("back.bin");
    m.run_ok(&[
        "evidence",
        "get",
        "1",
        &sha(&bytes),
        "-o",
        back.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&back).unwrap(), bytes);
    let again = m.sibling("again.jsonl");
    m.run_ok(&["export", "--format", "jsonl", "-o", again.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&again).unwrap()
    );
    // The request can be decided there.
    m.run_ok(&["approve", "2"]);
    assert_eq!(m.show(2)["deadline"], "2025-09-30");

    // A file whose evidence does not hash to its name is refused whole.
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered = text.replacen("\"content_hex\":\"00", "\"content_hex\":\"01", 1);
    assert_ne!(tampered, text);
    let bad = l.sibling("bad.jsonl");
    std::fs::write(&bad, tampered).unwrap();
    let n = Ledger::new();
    n.fail(&["import", bad.to_str().unwrap()])
        .check(1, &["does not hash"]);
    assert_eq!(n.dump(), "MISSING");
}

#[test]
fn check_finds_a_changed_evidence_file_or_request() {
    let l = doing();
    let a = l.sibling("a.txt");
    std::fs::write(&a, b"evidence").unwrap();
    l.run_ok(&["update", "1", "--evidence", a.to_str().unwrap()]);
    l.run_ok(&[
        "request-extension",
        "1",
        "--to",
        "2025-09-30",
        "--note",
        "延后",
    ]);
    l.run_ok(&["check"]);
    // Behind taizhang's back (the append-only triggers dropped first).
    let c = rusqlite::Connection::open(&l.path).unwrap();
    c.execute_batch(
        "DROP TRIGGER evidence_blob_no_update; DROP TRIGGER extension_request_no_update;
         UPDATE evidence_blob SET content = X'00';
         UPDATE extension_request SET deadline = '2026-12-31';",
    )
    .unwrap();
    drop(c);
    let out = l.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("does not match its sha256"), "{text}");
    assert!(text.contains("extension request #1"), "{text}");
}

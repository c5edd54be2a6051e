//! A fuzz target for JSON Lines import, as a proptest: any input is either refused whole (the
//! ledger exactly as before, per `dump`) or imported into a ledger that `taizhang check` finds
//! sound. Inputs are a valid export mutated (lines dropped, repeated or swapped; fields set to
//! hostile numbers, ids, dates and words, or swapped; history rows changed, dropped or
//! repeated) and arbitrary bytes.
//!
//! CI runs a bounded number of cases (a few seconds); a longer local run sets
//! `PROPTEST_CASES`, e.g. `PROPTEST_CASES=2000 cargo test --release --test bulk_fuzz`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{dump_db, Ledger};
use proptest::prelude::*;
use serde_json::{json, Value};

const REPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/tianning-2024-report.txt"
);

/// The valid file every case starts from, and a ledger with work of its own to merge into:
/// built once, kept for the whole run.
struct Fixture {
    _keep: Ledger,
    lines: Vec<Value>,
    city: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let src = Ledger::init();
        src.run_ok(&["import", REPORT, "--link"]);
        src.add("子任务", &["--parent", "23", "--progress", "30"]);
        src.add(
            "临时任务",
            &["--deadline", "2025年6月底前", "--outline-area", "FZ05"],
        );
        src.run_ok(&["update", "25", "--parent", "24"]);
        src.run_ok(&["note", "23", "已部署"]);
        src.run_ok(&["update", "19", "--status", "cancelled", "--note", "并入"]);
        src.run_ok(&["update", "20", "--progress", "20"]);
        src.run_ok(&["undo", "--yes"]);
        let lines = src
            .run_ok(&["export", "--format", "jsonl"])
            .lines()
            .map(|s| serde_json::from_str(s).unwrap())
            .collect();

        let city = Ledger::init();
        city.add("市级任务", &[]);
        city.add("市级短板", &["--kind", "shortcoming"]);
        city.run_ok(&["update", "1", "--progress", "10"]);
        city.checkpoint();
        let path = src.sibling("city.db");
        std::fs::copy(&city.path, &path).unwrap();
        Fixture {
            _keep: src,
            lines,
            city: path,
        }
    })
}

/// Values that break things: out-of-range and odd ids, impossible dates, unknown words, long
/// and empty text, wrong types.
fn hostile() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(2)),
        Just(json!(3)),
        Just(json!(23)),
        Just(json!(999)),
        Just(json!(i64::MAX)),
        Just(json!(1_i64 << 53)),
        Just(json!(101)),
        Just(json!("")),
        Just(json!(" ")),
        Just(json!("2")),
        Just(json!("999")),
        Just(json!("-1")),
        Just(json!("exploded")),
        Just(json!("cancelled")),
        Just(json!("done")),
        Just(json!("shortcoming")),
        Just(json!("created")),
        Just(json!("9999-99-99")),
        Just(json!("2025-02-30")),
        Just(json!("2025-12-31")),
        Just(json!("+12345-01-01")),
        Just(json!("FZ11")),
        Just(json!("FZ05")),
        Just(json!("2025-03-01T09:00:00+08:00")),
        Just(json!("not a time")),
        Just(json!("长".repeat(501))),
        Just(json!([])),
        Just(json!([1, 2])),
        Just(json!({"kind": "task"})),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-z0-9 -]{0,12}".prop_map(|s| json!(s)),
    ]
}

const TASK_KEYS: &[&str] = &[
    "id",
    "ref",
    "kind",
    "title",
    "body",
    "area",
    "outline_area",
    "owner",
    "co_owners",
    "status",
    "progress",
    "deadline",
    "deadline_text",
    "year",
    "parent_id",
    "document_id",
    "created_at",
    "updated_at",
    "completed_at",
    "links",
    "type",
];

const ROW_KEYS: &[&str] = &[
    "id",
    "change_id",
    "at",
    "actor",
    "command",
    "undoes",
    "field",
    "old",
    "new",
    "note",
];

#[derive(Debug, Clone)]
enum Mutation {
    DropLine(usize),
    RepeatLine(usize),
    SwapLines(usize, usize),
    SetField(usize, usize, Value),
    SwapFields(usize, usize, usize),
    SetRow(usize, usize, usize, Value),
    DropRow(usize, usize),
    RepeatRow(usize, usize),
    /// A key of the creation row's JSON set to a value.
    SetCreated(usize, usize, Value),
    /// A key set to the same value in the task's columns and its creation row, so that the
    /// history still agrees and the value itself is what is tried.
    SetBoth(usize, usize, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = || 0..64usize;
    prop_oneof![
        i().prop_map(Mutation::DropLine),
        i().prop_map(Mutation::RepeatLine),
        (i(), i()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (i(), i(), hostile()).prop_map(|(a, b, v)| Mutation::SetField(a, b, v)),
        (i(), i(), i()).prop_map(|(a, b, c)| Mutation::SwapFields(a, b, c)),
        (i(), i(), i(), hostile()).prop_map(|(a, b, c, v)| Mutation::SetRow(a, b, c, v)),
        (i(), i()).prop_map(|(a, b)| Mutation::DropRow(a, b)),
        (i(), i()).prop_map(|(a, b)| Mutation::RepeatRow(a, b)),
        (i(), i(), hostile()).prop_map(|(a, b, v)| Mutation::SetCreated(a, b, v)),
        (i(), i(), hostile()).prop_map(|(a, b, v)| Mutation::SetBoth(a, b, v)),
    ]
}

fn rows(v: &mut Value) -> Option<&mut Vec<Value>> {
    v.get_mut("history").and_then(Value::as_array_mut)
}

fn apply(lines: &mut Vec<Value>, m: &Mutation) {
    let n = lines.len();
    if n == 0 {
        return;
    }
    match m {
        Mutation::DropLine(a) => {
            lines.remove(a % n);
        }
        Mutation::RepeatLine(a) => {
            let l = lines[a % n].clone();
            lines.insert(a % n, l);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::SetField(a, k, v) => {
            lines[a % n][TASK_KEYS[k % TASK_KEYS.len()]] = v.clone();
        }
        Mutation::SwapFields(a, k1, k2) => {
            let (k1, k2) = (
                TASK_KEYS[k1 % TASK_KEYS.len()],
                TASK_KEYS[k2 % TASK_KEYS.len()],
            );
            let l = &mut lines[a % n];
            let v1 = l[k1].take();
            let v2 = l[k2].take();
            l[k1] = v2;
            l[k2] = v1;
        }
        Mutation::SetRow(a, r, k, v) => {
            if let Some(rs) = rows(&mut lines[a % n]).filter(|rs| !rs.is_empty()) {
                let len = rs.len();
                rs[r % len][ROW_KEYS[k % ROW_KEYS.len()]] = v.clone();
            }
        }
        Mutation::DropRow(a, r) => {
            if let Some(rs) = rows(&mut lines[a % n]).filter(|rs| !rs.is_empty()) {
                let len = rs.len();
                rs.remove(r % len);
            }
        }
        Mutation::RepeatRow(a, r) => {
            if let Some(rs) = rows(&mut lines[a % n]).filter(|rs| !rs.is_empty()) {
                let len = rs.len();
                let row = rs[r % len].clone();
                rs.push(row);
            }
        }
        Mutation::SetBoth(a, k, v) => {
            apply(lines, &Mutation::SetField(*a, *k, v.clone()));
            apply(lines, &Mutation::SetCreated(*a, *k, v.clone()));
        }
        Mutation::SetCreated(a, k, v) => {
            if let Some(created) = rows(&mut lines[a % n]).and_then(|rs| rs.first_mut()) {
                if let Some(mut fields) = created["new"]
                    .as_str()
                    .and_then(|s| serde_json::from_str::<Value>(s).ok())
                {
                    fields[TASK_KEYS[k % TASK_KEYS.len()]] = v.clone();
                    created["new"] = json!(fields.to_string());
                }
            }
        }
    }
}

fn text(lines: &[Value]) -> Vec<u8> {
    let mut out = String::new();
    for l in lines {
        out.push_str(&serde_json::to_string(l).unwrap());
        out.push('\n');
    }
    out.into_bytes()
}

/// Imports `bytes` into a copy of the city ledger (or a new one): refused whole, or sound.
fn holds(bytes: &[u8], merge: bool) -> Result<(), TestCaseError> {
    let l = Ledger::new();
    if merge {
        std::fs::copy(&fixture().city, &l.path).unwrap();
    }
    let file = l.sibling("in.jsonl");
    std::fs::write(&file, bytes).unwrap();
    let before = dump_db(&l.path);
    let mut args = vec!["import", file.to_str().unwrap()];
    if merge {
        args.extend(["--source", "外区"]);
    }
    let out = l.cmd().args(&args).output().unwrap();
    let code = out.status.code();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let check = l.cmd().arg("check").output().unwrap();
        prop_assert!(
            check.status.success(),
            "imported, but check fails: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    } else {
        prop_assert_eq!(code, Some(1), "{}", stderr);
        prop_assert_eq!(stderr.lines().count(), 1, "one line: {}", stderr);
        prop_assert!(stderr.starts_with("taizhang: "), "{}", stderr);
        prop_assert!(
            dump_db(&l.path) == before,
            "refused, but changed: {}",
            stderr
        );
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

fn path_of(p: &Path) -> &str {
    p.to_str().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_export_is_refused_whole_or_imported_sound(
        ms in proptest::collection::vec(mutation(), 1..4),
        merge in any::<bool>(),
    ) {
        let mut lines = fixture().lines.clone();
        for m in &ms {
            apply(&mut lines, m);
        }
        holds(&text(&lines), merge)?;
    }

    #[test]
    fn arbitrary_bytes_are_refused_whole_or_imported_sound(
        at in 0..4096usize,
        junk in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            // Text, so that the parsers behind the UTF-8 check see it too.
            "[ -~]{0,64}".prop_map(String::into_bytes),
            "[\\[\\]{}\",:0-9a-z\\n-]{0,64}".prop_map(String::into_bytes),
        ],
        whole in any::<bool>(),
        merge in any::<bool>(),
    ) {
        let bytes = if whole {
            // Bytes after a valid header, so the task parser sees them.
            let mut b = text(&fixture().lines[..1]);
            b.extend_from_slice(&junk);
            b
        } else {
            let mut b = text(&fixture().lines);
            let at = at % b.len();
            b.splice(at..at, junk);
            b
        };
        holds(&bytes, merge)?;
    }
}

#[test]
fn the_fixture_itself_imports_and_is_sound() {
    holds(&text(&fixture().lines), true).unwrap();
    holds(&text(&fixture().lines), false).unwrap();
    assert!(Path::new(path_of(&fixture().city)).exists());
}

//! Issue 9, case 11: text from a report or a name never drives the terminal. Tables, messages
//! and prompts show control and bidi-override characters as visible escapes whether or not
//! stdout is a terminal; an export written to a terminal is escaped the same way; JSON and
//! files written with `-o` keep the text exactly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

/// Right-to-left override, the Trojan Source character.
const RLO: char = '\u{202E}';
/// Right-to-left isolate.
const RLI: char = '\u{2067}';
/// Right-to-left mark.
const RLM: char = '\u{200F}';

/// Characters that must never reach a person's screen raw.
fn raw_dangers(s: &str) -> Vec<String> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\r')
                || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

fn assert_clean(what: &str, s: &str) {
    let bad = raw_dangers(s);
    assert!(bad.is_empty(), "{what} prints raw {bad:?}:\n{s}");
}

/// A ledger whose texts carry bidi controls and an escape sequence in every place a person
/// types: title, owner, area, ref, note, and the actor.
fn hostile() -> Ledger {
    let l = Ledger::init();
    let title = format!("整改{RLO}txt.exe{RLI}任务\x1b[2J");
    let owner = format!("区司法局{RLI}\x1b]0;pwn\x07");
    let area = format!("执法{RLM}监督");
    l.add(
        &title,
        &[
            "--owner",
            &owner,
            "--area",
            &area,
            "--deadline",
            "2025-03-10",
            "--user",
            &format!("张三{RLO}\x1b[31m"),
        ],
    );
    l.run_ok(&["note", "1", &format!("进展{RLO}说明")]);
    l
}

#[test]
fn tables_escape_bidi_and_control_characters() {
    let l = hostile();
    for args in [
        &["list"][..],
        &["show", "1"],
        &["history"],
        &["history", "1"],
        &["warn"],
        &["report", "--by", "owner"],
        &["report", "--by", "area"],
        &["report", "--by", "owner", "--year", "2025"],
    ] {
        let out = l.run_ok(args);
        assert_clean(&format!("{args:?}"), &out);
    }
    // Visible, not dropped: a reader can see that something odd is in the text.
    let list = l.run_ok(&["list"]);
    assert!(list.contains("\\u{202e}"), "{list}");
    let show = l.run_ok(&["show", "1"]);
    assert!(show.contains("\\u{2067}"), "{show}");
    assert!(show.contains("\\u{200f}"), "{show}");
}

#[test]
fn json_output_escapes_but_keeps_the_text_exactly() {
    let l = hostile();
    for args in [&["list"][..], &["show", "1"], &["history"], &["warn"]] {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = l.run_ok(&all);
        assert_clean(&format!("{all:?}"), &out);
    }
    let t = l.show(1);
    assert_eq!(
        t["title"].as_str().unwrap(),
        format!("整改{RLO}txt.exe{RLI}任务\x1b[2J")
    );
    assert_eq!(
        t["owner"].as_str().unwrap(),
        format!("区司法局{RLI}\x1b]0;pwn\x07")
    );
}

#[test]
fn the_undo_prompt_escapes_the_actor_and_the_command() {
    let l = Ledger::init();
    let actor = format!("李四{RLO}\x1b[31m");
    let out = l
        .cmd()
        .env("TAIZHANG_USER", &actor)
        .args(["add", &format!("甲{RLI}")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = l
        .cmd()
        .env("TAIZHANG_USER", &actor)
        .args(["undo", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_clean("undo", &String::from_utf8(out.stdout).unwrap());
    // With nothing left to undo, the refusal names the actor: escaped on stderr too.
    let out = l
        .cmd()
        .env("TAIZHANG_USER", &actor)
        .args(["undo", "--yes"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_clean("undo refusal", &String::from_utf8(out.stderr).unwrap());
}

#[test]
fn error_messages_escape_names() {
    let l = Ledger::init();
    let f = l.fail(&["import", &format!("/nonexistent/报告{RLO}txt.exe")]);
    assert_clean("stderr", &f.stderr);
    assert!(f.stderr.contains("\\u{202e}"), "{f:?}");
}

#[test]
fn check_problems_escape_names() {
    let l = hostile();
    // A history row written behind taizhang's back, whose value the replay quotes.
    let c = rusqlite::Connection::open(&l.path).unwrap();
    c.execute(
        "INSERT INTO history(change_id, task_id, at, actor, field, old, new)
         VALUES (1, 1, '2025-03-01T09:00:00+08:00', 'x', 'status', 'todo', ?1)",
        [format!("done{RLO}\x1b[2J")],
    )
    .unwrap();
    drop(c);
    let f = l.fail(&["check"]);
    assert_clean("check", &f.stdout);
    assert_clean("check stderr", &f.stderr);
    assert!(f.stdout.contains("\\u{202e}"), "{f:?}");
}

#[test]
fn html_export_neutralises_bidi_in_the_page() {
    let l = hostile();
    let html = l.run_ok(&["export", "--year", "2025", "--format", "html"]);
    assert_clean("html", &html);
    let file = l.sibling("y.html");
    l.run_ok(&["export", "--year", "2025", "-o", file.to_str().unwrap()]);
    assert_clean("html file", &std::fs::read_to_string(&file).unwrap());
}

#[test]
fn files_written_with_o_keep_the_text_exactly() {
    let l = hostile();
    let json = l.sibling("y.json");
    l.run_ok(&["export", "--year", "2025", "-o", json.to_str().unwrap()]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).expect("valid JSON");
    assert_eq!(
        v["tasks"][0]["title"].as_str().unwrap(),
        format!("整改{RLO}txt.exe{RLI}任务\x1b[2J")
    );
    let csv = l.sibling("y.csv");
    l.run_ok(&["export", "--year", "2025", "-o", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(&format!("整改{RLO}txt.exe{RLI}任务\x1b[2J")),
        "{text}"
    );
    let jsonl = l.sibling("all.jsonl");
    l.run_ok(&["export", "--format", "jsonl", "-o", jsonl.to_str().unwrap()]);
    let text = std::fs::read_to_string(&jsonl).unwrap();
    assert!(text.contains(RLO), "jsonl keeps the raw text: {text}");
}

/// Runs taizhang with stdout on a pseudo-terminal through util-linux `script`, and returns what
/// the terminal received; None (after saying so) when `script` is not there.
fn on_a_terminal(l: &Ledger, args: &[&str]) -> Option<String> {
    let have = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        skip("util-linux `script` is not installed; cannot give taizhang a terminal");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("taizhang");
    let mut line = format!("'{}' --db '{}'", bin.display(), l.path.display());
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    // stdin from /dev/null keeps `script` from waiting for the test's own input.
    let out = std::process::Command::new("script")
        .env_remove("TAIZHANG_DB")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("NO_COLOR")
        .env("TAIZHANG_NOW", &l.now)
        .env("TAIZHANG_USER", USER)
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script");
    assert!(out.status.success(), "{out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn exports_to_a_terminal_are_escaped() {
    let l = hostile();
    for format in ["md", "csv", "html", "json", "jsonl"] {
        let args: Vec<&str> = if format == "jsonl" {
            vec!["export", "--format", "jsonl"]
        } else {
            vec!["export", "--year", "2025", "--format", format]
        };
        let Some(out) = on_a_terminal(&l, &args) else {
            return;
        };
        assert!(out.contains("txt.exe"), "{format}: {out}");
        assert_clean(&format!("export {format} on a terminal"), &out);
        if format == "jsonl" {
            // Escaped the JSON way: each line still reads back to the exact text.
            let task = out
                .lines()
                .find(|l| l.contains("\"type\":\"task\""))
                .expect("a task line");
            let v: serde_json::Value = serde_json::from_str(task.trim()).expect("valid JSON");
            assert!(v.to_string().contains(RLO), "{v}");
        }
    }
}

#[test]
fn backup_and_restore_messages_escape_the_paths() {
    let l = hostile();
    let file = l.sibling(&format!("备份{RLO}gpj.db"));
    let out = l.run_ok(&["backup", file.to_str().unwrap()]);
    assert_clean("backup", &out);
    let out = l.run_ok(&["restore", file.to_str().unwrap()]);
    assert_clean("restore", &out);
}

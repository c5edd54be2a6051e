//! Shell completion that knows the words: `--status` and `--kind` offer the status and kind
//! words in both languages, `--format` offers only what the command accepts, and free-text
//! options (unit names, areas, the user) do not offer file names. Checked on the generated
//! bash script, where each option's values are one `COMPREPLY=` line after `--option)`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

/// The bash completion script.
fn bash() -> String {
    let o = common::bare_cmd()
        .args(["completions", "bash"])
        .output()
        .expect("run taizhang");
    assert!(o.status.success());
    String::from_utf8(o.stdout).expect("utf-8")
}

/// The completion lines for an option inside one subcommand's case in the bash script.
fn replies(script: &str, sub: &str, option: &str) -> Vec<String> {
    let start = script
        .find(&format!("\n        taizhang__subcmd__{sub})"))
        .unwrap_or_else(|| panic!("no case for {sub}"));
    let body = &script[start..];
    let end = body[1..]
        .find("\n        taizhang__")
        .map_or(body.len(), |e| e + 1);
    let body = &body[..end];
    let mut out = Vec::new();
    let mut lines = body.lines();
    while let Some(l) = lines.next() {
        if l.trim() == format!("{option})") {
            if let Some(next) = lines.next() {
                out.push(next.trim().to_string());
            }
        }
    }
    assert!(!out.is_empty(), "no {option} in {sub}:\n{body}");
    out
}

#[test]
fn status_and_kind_complete_their_words_in_both_languages() {
    let s = bash();
    for sub in ["list", "report", "update", "add"] {
        for r in replies(&s, sub, "--status") {
            for w in [
                "todo",
                "未启动",
                "doing",
                "推进中",
                "blocked",
                "受阻",
                "done",
                "已完成",
            ] {
                assert!(r.contains(w), "{sub} --status lacks {w}: {r}");
            }
        }
    }
    for sub in ["list", "add"] {
        for r in replies(&s, sub, "--kind") {
            for w in [
                "commitment",
                "承诺",
                "shortcoming",
                "短板",
                "achievement",
                "成效",
            ] {
                assert!(r.contains(w), "{sub} --kind lacks {w}: {r}");
            }
        }
    }
}

#[test]
fn format_offers_only_what_the_command_accepts() {
    let s = bash();
    for r in replies(&s, "list", "--format") {
        assert!(r.contains("\"table json\""), "list --format: {r}");
    }
    for r in replies(&s, "export", "--format") {
        // Every format export writes, the Word document included (before: docx was missing).
        for f in ["csv", "xlsx", "docx", "md", "html", "json", "jsonl"] {
            assert!(r.contains(f), "export --format lacks {f}: {r}");
        }
        assert!(!r.contains("table"), "export --format: {r}");
    }
}

#[test]
fn free_text_options_do_not_complete_file_names() {
    let s = bash();
    for (sub, opt) in [
        ("list", "--owner"),
        ("list", "--area"),
        ("update", "--owner"),
        ("update", "--user"),
    ] {
        for r in replies(&s, sub, opt) {
            assert!(!r.contains("compgen -f"), "{sub} {opt}: {r}");
        }
    }
}

//! Tables that fit the width they are given: snapshots of `list`, `report`, `show`, `warn` and
//! `history` of the reference ledger at 60, 80, 120 and 200 columns in Chinese and English, a
//! scan of every table cell for a date, ref or status word cut in two, and the rules for where
//! the width comes from (COLUMNS; 0 means unknown) and for colour (NO_COLOR).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{reference_ledger, Ledger};
use unicode_width::UnicodeWidthStr;

const WIDTHS: [usize; 4] = [60, 80, 120, 200];

/// Runs a command with COLUMNS set (stdout is a pipe, so COLUMNS is the width).
fn at(l: &Ledger, columns: Option<&str>, args: &[&str]) -> String {
    let mut c = l.cmd();
    if let Some(w) = columns {
        c.env("COLUMNS", w);
    }
    let o = c.args(args).output().expect("run taizhang");
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8 output")
}

const COMMANDS: [(&str, &[&str]); 6] = [
    ("list", &["list"]),
    ("report", &["report"]),
    ("show", &["show", "19"]),
    ("show_linked", &["show", "23"]),
    ("warn", &["warn"]),
    ("history", &["history"]),
];

#[test]
fn tables_fit_60_80_120_200_columns_in_zh_and_en() {
    let l = reference_ledger();
    for lang in ["zh", "en"] {
        for (name, args) in COMMANDS {
            for w in WIDTHS {
                let mut full = vec!["--lang", lang];
                full.extend_from_slice(args);
                let text = at(&l, Some(&w.to_string()), &full);
                for line in text.lines() {
                    assert!(
                        line.width() <= w,
                        "{name} {lang} at {w}: a line of {} columns:\n{line}\n\n{text}",
                        line.width()
                    );
                }
                insta::assert_snapshot!(format!("{name}_{lang}_{w}"), text);
            }
        }
    }
}

/// The words a table must never split: every date, ref, timestamp and status word that the
/// unlimited (pipe) output of the same command shows.
fn tokens(l: &Ledger, lang: &str) -> Vec<String> {
    let mut words: Vec<String> = [
        "todo",
        "doing",
        "blocked",
        "done",
        "verified",
        "cancelled",
        "未启动",
        "推进中",
        "受阻",
        "已完成",
        "已验收",
        "已取消",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (_, args) in COMMANDS {
        let mut full = vec!["--lang", lang];
        full.extend_from_slice(args);
        for word in at(l, None, &full).split(|c: char| c == '|' || c.is_whitespace()) {
            let w = word.trim();
            // Dates, timestamps and refs: an ASCII run with a digit and a '-'.
            if w.len() >= 6
                && w.is_ascii()
                && w.contains('-')
                && w.chars().any(|c| c.is_ascii_digit())
            {
                words.push(w.to_string());
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

#[test]
fn no_table_cell_ends_or_starts_with_half_a_word() {
    let l = reference_ledger();
    for lang in ["zh", "en"] {
        let words = tokens(&l, lang);
        for (name, args) in COMMANDS {
            for w in WIDTHS {
                let mut full = vec!["--lang", lang];
                full.extend_from_slice(args);
                let text = at(&l, Some(&w.to_string()), &full);
                for line in text.lines().filter(|x| x.starts_with('|')) {
                    for cell in line.split('|').map(str::trim).filter(|c| !c.is_empty()) {
                        for word in &words {
                            if cell.contains(word.as_str()) {
                                continue;
                            }
                            let chars: Vec<char> = word.chars().collect();
                            for k in 1..chars.len() {
                                let head: String = chars[..k].iter().collect();
                                let tail: String = chars[k..].iter().collect();
                                // A fragment counts when it is a piece of a date or
                                // ref (it holds a '-') or a whole cell of a status word.
                                let part = |frag: &str| {
                                    if frag.is_ascii() {
                                        frag.contains('-') && frag.parse::<i64>().is_err()
                                    } else {
                                        cell == frag
                                    }
                                };
                                let split =
                                    (cell.ends_with(&head) && !cell.ends_with('…') && part(&head))
                                        || (cell.starts_with(&tail) && part(&tail));
                                assert!(
                                    !split || cell == word,
                                    "{name} {lang} at {w}: cell {cell:?} holds part of {word:?}\n{text}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_width_of_zero_means_unknown_and_a_pipe_gets_whole_rows() {
    let l = reference_ledger();
    let whole = at(&l, None, &["list"]);
    assert_eq!(at(&l, Some("0"), &["list"]), whole);
    assert_eq!(at(&l, Some("junk"), &["list"]), whole);
    // One line per row: the header, the rule and 24 tasks.
    assert_eq!(whole.lines().count(), 26, "{whole}");
}

#[test]
fn wide_shows_every_column() {
    let l = reference_ledger();
    let narrow = at(&l, Some("60"), &["list"]);
    assert!(narrow.contains("--wide"), "{narrow}");
    let wide = at(&l, Some("60"), &["--wide", "list"]);
    assert!(!wide.contains("--wide"), "{wide}");
    for head in ["Kind", "Area", "Owner", "Overdue"] {
        assert!(wide.lines().next().unwrap_or("").contains(head), "{wide}");
    }
}

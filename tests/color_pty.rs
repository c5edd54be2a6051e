//! Colour and width on a real terminal. The binary runs under `script`, which gives it a pty:
//! colour is on unless NO_COLOR is set to a non-empty value (no-color.org: an empty NO_COLOR
//! does not count), and a pty that reports a size of 0×0 (as `script` without a terminal
//! does) is a width unknown, not a width of nothing. Where `script` is missing the tests
//! report a skip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::Ledger;

/// A ledger with one overdue task, which `list` marks in red.
fn ledger() -> Ledger {
    let l = Ledger::new();
    l.add("整改执法短板", &["--deadline", "2025-01-31"]);
    l
}

/// Runs `taizhang ARGS` on a pty with the given NO_COLOR, or None where `script` is missing.
fn on_pty(l: &Ledger, no_color: Option<&str>, args: &str) -> Option<String> {
    let available = Command::new("script").arg("--version").output().is_ok();
    if !available {
        common::skip("`script` (util-linux) is not installed, so no pty can be made");
        return None;
    }
    let line = format!(
        "stty rows 0 cols 0 2>/dev/null; '{}' --db '{}' {args}",
        env!("CARGO_BIN_EXE_taizhang"),
        l.path.display()
    );
    let mut c = Command::new("script");
    c.args(["-qec", &line, "/dev/null"])
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("TAIZHANG_NOW", &l.now)
        .env("TAIZHANG_USER", common::USER);
    if let Some(v) = no_color {
        c.env("NO_COLOR", v);
    }
    let o = c.output().expect("run script");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).replace('\r', ""))
}

#[test]
fn only_a_non_empty_no_color_turns_colour_off() {
    let l = ledger();
    let Some(unset) = on_pty(&l, None, "list") else {
        return;
    };
    assert!(unset.contains("\u{1b}["), "no colour on a pty:\n{unset}");
    let empty = on_pty(&l, Some(""), "list").unwrap();
    assert!(
        empty.contains("\u{1b}["),
        "an empty NO_COLOR turned colour off:\n{empty}"
    );
    let set = on_pty(&l, Some("1"), "list").unwrap();
    assert!(
        !set.contains("\u{1b}["),
        "NO_COLOR=1 left colour on:\n{set}"
    );
    // Not a terminal: no colour, whatever NO_COLOR says.
    let piped = l.run_ok(&["list"]);
    assert!(!piped.contains("\u{1b}["), "colour in a pipe:\n{piped}");
}

#[test]
fn a_pty_of_size_zero_gets_whole_rows() {
    let l = ledger();
    let Some(tty) = on_pty(&l, Some("1"), "list") else {
        return;
    };
    assert_eq!(tty, l.run_ok(&["list"]));
}

//! Times shown in the ledger's time zone (issue 16): stored times stay RFC 3339 with the
//! recording clock's offset; `history`, `show` and `undo` print local times of the ledger's
//! zone (a setting, `init --timezone`, default Asia/Shanghai) and name the zone once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// A clock in UTC, as on a server: 01:30 UTC is 09:30 in Beijing.
const UTC_NOW: &str = "2025-03-01T01:30:00+00:00";

fn ledger() -> (Ledger, String) {
    let l = Ledger::new().at(UTC_NOW);
    l.run_ok(&["init"]);
    let id = l.add("推进行政执法三项制度", &[]).to_string();
    l.run_ok(&["update", &id, "--status", "doing"]);
    (l, id)
}

/// Before: `history` and `show` printed the machine's "2025-03-01T01:30:00+00:00". Now the
/// local time in Beijing, with the zone named once; JSON keeps the stored time.
#[test]
fn times_are_shown_in_the_default_zone_and_named_once() {
    let (l, id) = ledger();
    let zh = l.run_ok(&["--lang", "zh", "history", &id]);
    assert!(zh.contains("2025-03-01 09:30:00"), "{zh}");
    assert!(!zh.contains("+00:00"), "{zh}");
    assert_eq!(
        zh.matches("时间：北京时间（Asia/Shanghai）").count(),
        1,
        "{zh}"
    );
    let en = l.run_ok(&["--lang", "en", "show", &id]);
    assert!(en.contains("2025-03-01 09:30:00"), "{en}");
    assert!(!en.contains("+00:00"), "{en}");
    assert_eq!(en.matches("Times: Asia/Shanghai").count(), 1, "{en}");
    let json = l.json(&["history", &id]);
    assert_eq!(json[0]["at"], UTC_NOW, "stored times stay RFC 3339");
    assert_eq!(l.show(id.parse().unwrap())["created_at"], UTC_NOW);
}

/// The zone is a setting of the ledger: `init --timezone UTC` shows UTC times, `check` accepts
/// it, and a zone that does not exist is refused with the ledger unchanged.
#[test]
fn the_zone_is_a_ledger_setting() {
    let (l, id) = ledger();
    let before = l.dump();
    let f = l.fail(&["init", "--timezone", "Mars/Olympus"]);
    f.check(2, &["Mars/Olympus", "Asia/Shanghai"]);
    assert_eq!(l.dump(), before);
    let f = l.fail(&["--lang", "zh", "init", "--timezone", "Mars/Olympus"]);
    f.check(2, &["不是时区", "Asia/Shanghai"]);
    assert_eq!(l.dump(), before);
    l.run_ok(&["init", "--timezone", "UTC"]);
    let en = l.run_ok(&["--lang", "en", "history", &id]);
    assert!(en.contains("2025-03-01 01:30:00"), "{en}");
    assert!(en.contains("Times: UTC"), "{en}");
    l.run_ok(&["check"]);
    l.run_ok(&["init", "--timezone", "Asia/Shanghai"]);
    let zh = l.run_ok(&["--lang", "zh", "history", &id]);
    assert!(zh.contains("2025-03-01 09:30:00"), "{zh}");
}

/// Before: the text exports printed the stored "…T01:30:00+00:00" as the time they were made.
/// Now the local time of the zone, named in the header; JSON keeps RFC 3339.
#[test]
fn text_exports_show_local_times() {
    let (l, id) = ledger();
    l.run_ok(&["update", &id, "--status", "done", "--note", "已完成"]);
    let md = l.run_ok(&["--lang", "zh", "export", "--year", "2025", "--format", "md"]);
    assert!(
        md.contains("2025-03-01 09:30:00 北京时间（Asia/Shanghai）"),
        "{md}"
    );
    assert!(!md.contains("+00:00"), "{md}");
    let json = l.run_ok(&["export", "--year", "2025", "--format", "json"]);
    assert!(json.contains(UTC_NOW), "{json}");
}

//! `link --on` and `unlink --on` (issue 12): the day a link took effect is recorded, `--as-of`
//! views before it do not show the link, and an `--on` before either task existed is
//! refused with the ledger unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Ledger;
use serde_json::Value;

/// The ids a task addressed, as `show --as-of day` (or the current state) gives them.
fn addresses(l: &Ledger, id: &str, day: Option<&str>) -> Vec<i64> {
    let mut args = vec!["show", id];
    if let Some(d) = day {
        args.extend(["--as-of", d]);
    }
    common::ids(&l.json(&args)["addresses"])
}

/// The ids that addressed a shortcoming, as `show --as-of day` gives them.
fn addressed_by(l: &Ledger, id: &str, day: &str) -> Vec<i64> {
    common::ids(&l.json(&["show", id, "--as-of", day])["addressed_by"])
}

/// The 'addresses' rows of a task's history: (old, new, effective day).
fn link_rows(l: &Ledger, id: &str) -> Vec<(Value, Value, String)> {
    let h = l.json(&["history", id]);
    h.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "addresses")
        .map(|r| {
            let eff = r["effective"].as_str().unwrap();
            (r["old"].clone(), r["new"].clone(), eff[..10].to_string())
        })
        .collect()
}

fn ledger() -> (Ledger, String, String) {
    let l = Ledger::init().at("2025-12-20T09:00:00+08:00");
    let s = l
        .add(
            "执法质量有待提升",
            &["--kind", "短板", "--on", "2025-02-01"],
        )
        .to_string();
    let c = l
        .add("落实三项制度", &["--kind", "承诺", "--on", "2025-01-10"])
        .to_string();
    (l, s, c)
}

#[test]
fn link_and_unlink_on_a_day_record_it_and_as_of_follows_it() {
    let (l, s, c) = ledger();
    l.run_ok(&["link", &c, "--addresses", &s, "--on", "2025-03-31"]);
    let sid: i64 = s.parse().unwrap();
    let cid: i64 = c.parse().unwrap();
    assert_eq!(
        link_rows(&l, &c),
        vec![(Value::Null, Value::String(s.clone()), "2025-03-31".into())]
    );
    assert_eq!(addresses(&l, &c, Some("2025-03-30")), Vec::<i64>::new());
    assert_eq!(addresses(&l, &c, Some("2025-03-31")), vec![sid]);
    assert_eq!(addresses(&l, &c, None), vec![sid]);
    assert_eq!(addressed_by(&l, &s, "2025-03-30"), Vec::<i64>::new());
    assert_eq!(addressed_by(&l, &s, "2025-03-31"), vec![cid]);

    l.run_ok(&["unlink", &c, "--addresses", &s, "--on", "2025-09-30"]);
    assert_eq!(
        link_rows(&l, &c)[1],
        (Value::String(s.clone()), Value::Null, "2025-09-30".into())
    );
    assert_eq!(addresses(&l, &c, Some("2025-09-29")), vec![sid]);
    assert_eq!(addresses(&l, &c, Some("2025-09-30")), Vec::<i64>::new());
    assert_eq!(addressed_by(&l, &s, "2025-09-29"), vec![cid]);
    assert_eq!(addressed_by(&l, &s, "2025-09-30"), Vec::<i64>::new());
    assert_eq!(addresses(&l, &c, None), Vec::<i64>::new());
    l.run_ok(&["check"]);
}

#[test]
fn link_on_a_day_before_the_commitment_existed_is_refused_unchanged() {
    let (l, s, c) = ledger();
    let before = l.dump();
    // The commitment took effect on 2025-01-10, the shortcoming on 2025-02-01: the day to
    // give instead is the later one, which both had reached.
    let f = l.fail(&["link", &c, "--addresses", &s, "--on", "2025-01-05"]);
    f.check(1, &["--on 2025-01-05", "before task #", "2025-02-01"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn link_on_a_day_before_the_shortcoming_existed_is_refused_unchanged() {
    let (l, s, c) = ledger();
    let before = l.dump();
    // After the commitment took effect, before the shortcoming did.
    let f = l.fail(&["link", &c, "--addresses", &s, "--on", "2025-01-20"]);
    f.check(1, &["--on 2025-01-20", &format!("#{s}"), "2025-02-01"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn unlink_on_a_day_before_the_link_took_effect_is_refused_unchanged() {
    let (l, s, c) = ledger();
    l.run_ok(&["link", &c, "--addresses", &s, "--on", "2025-03-31"]);
    let before = l.dump();
    let f = l.fail(&["unlink", &c, "--addresses", &s, "--on", "2025-03-01"]);
    f.check(1, &["--on 2025-03-01", "2025-03-31"]);
    assert_eq!(l.dump(), before);
}

//! Outline-area suggestions (纲要领域建议) measured against a hand-labelled sample of the report
//! fixtures (tests/data/outline_areas.tsv): for each area, the share of its suggestions that
//! match the label. An area shown to users must be right at least four times in five; the
//! table is printed so the numbers can be quoted (`cargo test --test outline_areas -- --nocapture`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use taizhang::import::areas::{best, suggest, TABLE};
use taizhang::import::{decode, parse, Encoding, Item};

fn fixture(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let top = root.join(name);
    if top.exists() {
        top
    } else {
        root.join("shapes").join(name)
    }
}

fn items(name: &str) -> Vec<Item> {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let text = decode(&bytes, Encoding::Auto).unwrap();
    let r = parse(&text, None).unwrap();
    let mut out: Vec<Item> = Vec::new();
    for s in r.achievements.into_iter().chain(r.plans) {
        out.extend(s.items);
    }
    out.extend(r.shortcomings);
    out
}

/// (fixture, ref, label) of each labelled line.
fn labels() -> Vec<(String, String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/outline_areas.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn every_shown_area_is_right_at_least_four_times_in_five() {
    let labels = labels();
    assert!(labels.len() >= 220, "the sample has {} items", labels.len());
    let mut cache: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    // area → (suggested, right)
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut labelled: BTreeMap<String, usize> = BTreeMap::new();
    for (file, r, label) in &labels {
        let its = cache.entry(file.clone()).or_insert_with(|| items(file));
        let it = its
            .iter()
            .find(|i| &i.r#ref == r)
            .unwrap_or_else(|| panic!("{file}: no item {r} (the fixture's items changed?)"));
        *labelled.entry(label.clone()).or_default() += 1;
        if let Some(tag) = best(&format!("{}\n{}", it.title, it.body)) {
            let e = tally.entry(tag).or_default();
            e.0 += 1;
            if tag == label {
                e.1 += 1;
            }
        }
    }
    eprintln!("area  labelled  suggested  right  precision  shown");
    let mut bad = Vec::new();
    for a in TABLE {
        let (n, ok) = tally.get(a.tag).copied().unwrap_or((0, 0));
        let p = if n == 0 { 0.0 } else { ok as f64 / n as f64 };
        eprintln!(
            "{}  {:>8}  {:>9}  {:>5}  {:>8.0}%  {}",
            a.tag,
            labelled.get(a.tag).copied().unwrap_or(0),
            n,
            ok,
            p * 100.0,
            if a.shown { "yes" } else { "no" }
        );
        // Five suggestions are the least that can show one wrong in five; an area measured on
        // fewer is not shown either.
        if a.shown && (n < 5 || ok * 5 < n * 4) {
            bad.push(format!("{}: {ok}/{n}", a.tag));
        }
    }
    let (n, ok) = tally.values().fold((0, 0), |s, v| (s.0 + v.0, s.1 + v.1));
    eprintln!(
        "all   {:>8}  {n:>9}  {ok:>5}  {:>8.0}%",
        labels.len(),
        ok as f64 * 100.0 / n.max(1) as f64
    );
    assert!(
        bad.is_empty(),
        "areas shown below 80% precision (or measured on fewer than 5 suggestions): {bad:?}"
    );
}

#[test]
fn a_hidden_area_is_never_suggested() {
    for a in TABLE.iter().filter(|a| !a.shown) {
        for p in a.phrases {
            assert_ne!(suggest(p, ""), Some(a.tag), "{p}");
        }
    }
}

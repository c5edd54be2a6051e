//! The one date grammar seen from the command line: every form of tests/data/date_forms.tsv
//! (the list the grammar's unit tests read) is accepted or refused by `add --deadline`, forms
//! without a year take the task's plan year, and a refusal changes nothing.

mod common;

use common::Ledger;

/// The shared list: (input, context year, expected day, "continuous" or "refused").
fn forms() -> Vec<(String, String, String)> {
    include_str!("data/date_forms.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad line in date_forms.tsv: {l:?}");
            (cols[0].into(), cols[1].into(), cols[2].into())
        })
        .collect()
}

#[test]
fn add_deadline_accepts_each_form_of_the_list() {
    let l = Ledger::init();
    // The list has plan years after 2025, which lie in the next outline period (issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
    let all = forms();
    assert!(all.len() > 50, "the list was not read");
    for (input, year, want) in all {
        // One argument "--deadline=X", so that "-2025" is a value and not an option.
        let deadline = format!("--deadline={input}");
        let args = ["add", "任务", "--year", &year, &deadline];
        if want == "refused" {
            let before = l.dump();
            let f = l.fail(&args);
            f.check(2, &[input.trim()]);
            // A form the grammar refuses lists the accepted forms; a well-formed day that the
            // plan year lacks (2月29日 in 2025) names the plan year instead.
            assert!(
                (f.stderr.contains("2025.6.30") && f.stderr.contains("长期坚持"))
                    || f.stderr.contains("plan year"),
                "{input}: {}",
                f.stderr
            );
            assert_eq!(
                l.dump(),
                before,
                "{input}: a refused deadline changed the ledger"
            );
            continue;
        }
        let id = l.add("任务", &args[2..]);
        let t = l.show(id);
        if want == "continuous" {
            assert!(t["deadline"].is_null(), "{input}: {t}");
            assert_eq!(t["deadline_text"], input.as_str(), "{input}");
        } else {
            assert_eq!(t["deadline"], want.as_str(), "{input} in {year}");
        }
    }
}

#[test]
fn deadline_without_year_takes_the_plan_year() {
    // A default ledger: the plan year is the outline's closing year, 2025.
    let l = Ledger::init();
    let id = l.add("任务", &["--deadline", "6月底前"]);
    let t = l.show(id);
    assert_eq!(t["deadline"], "2025-06-30");
    assert_eq!(t["deadline_text"], "6月底前");
    // --year sets the plan year, and with it the year of 年底前.
    let id = l.add("任务", &["--year", "2024", "--deadline", "年底前"]);
    assert_eq!(l.show(id)["deadline"], "2024-12-31");

    // The next outline: tasks default to 2030.
    let next = Ledger::new();
    next.run_ok(&["init", "--outline", "2026-2030"]);
    let id = next.add("任务", &["--deadline", "一季度"]);
    assert_eq!(next.show(id)["deadline"], "2030-03-31");
}

#[test]
fn update_deadline_without_year_takes_each_tasks_plan_year() {
    let l = Ledger::init();
    let a = l.add("甲", &["--year", "2024"]);
    let b = l.add("乙", &["--year", "2025"]);
    let (ids_a, ids_b) = (a.to_string(), b.to_string());
    l.run_ok(&[
        "update",
        &ids_a,
        &ids_b,
        "--deadline",
        "二月底前",
        "--note",
        "调整",
    ]);
    assert_eq!(l.show(a)["deadline"], "2024-02-29");
    assert_eq!(l.show(b)["deadline"], "2025-02-28");
    assert_eq!(l.show(b)["deadline_text"], "二月底前");
}

#[test]
fn refusals_that_depend_on_the_plan_year_change_nothing() {
    let l = Ledger::init();
    let id = l.add("任务", &["--year", "2025"]).to_string();
    let before = l.dump();
    // 29 February exists in 2024 (the grammar's provisional year) but not in 2025.
    l.fail(&["add", "任务", "--year", "2025", "--deadline", "2月29日"])
        .check(2, &["2月29日", "2025"]);
    // The ledger stores continuous work as no deadline; update only changes a deadline.
    l.fail(&[
        "update",
        &id,
        "--deadline",
        "长期坚持",
        "--note",
        "改为长期",
    ])
    .check(2, &["continuous"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn refusal_in_chinese_under_a_chinese_locale() {
    let l = Ledger::init();
    let before = l.dump();
    let f = common::run_fail(l.cmd().env("LANG", "zh_CN.UTF-8").args([
        "add",
        "任务",
        "--deadline",
        "明天",
    ]));
    f.check(2, &["明天", "可用写法", "2025.6.30", "长期坚持"]);
    assert_eq!(l.dump(), before);
}

#[test]
fn as_of_and_since_read_the_same_grammar() {
    let l = Ledger::init();
    l.add("任务", &["--deadline", "2025-06-30"]);
    // 2025.7.1 is after the deadline: the task is overdue on that day.
    let out = l.json(&["--as-of", "2025.7.1", "list", "--overdue"]);
    assert_eq!(out.as_array().map(Vec::len), Some(1), "{out}");
    // A form without a year belongs to no task: it is in the current year (the clock is
    // pinned to 2025-03-01), so 7月底前 is 2025-07-31 and the task is overdue then.
    let out = l.json(&["--as-of", "7月底前", "list", "--overdue"]);
    assert_eq!(out.as_array().map(Vec::len), Some(1), "{out}");
    l.run_ok(&["history", "--since", "2025/1/1"]);
}

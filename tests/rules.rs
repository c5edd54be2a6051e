//! The ledger's rules, one at a time, through the binary: overdue is derived, default plan years
//! and deadlines follow the outline period, past deadlines warn, the audit trail records one
//! row per changed field (and nothing for no change), tables align CJK text, and shell
//! completions are printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

// ---------------------------------------------------------------------------------------------
// Overdue is derived

fn overdue_of(l: &Ledger, id: i64, as_of: &str) -> bool {
    let t = l.json(&["--as-of", as_of, "show", &id.to_string()]);
    t["overdue"].as_bool().expect("overdue is a boolean")
}

#[test]
fn overdue_is_derived_from_deadline_and_as_of() {
    let l = Ledger::init();
    let id = l.add("上半年完成执法案卷评查", &["--deadline", "2025-06-30"]);
    assert!(overdue_of(&l, id, "2025-07-01"));
    assert!(!overdue_of(&l, id, "2025-06-30"), "due today is not late");
    assert!(!overdue_of(&l, id, "2025-03-01"));
    for status in ["doing", "blocked", "受阻"] {
        l.run_ok(&["update", &id.to_string(), "--status", status]);
        assert!(overdue_of(&l, id, "2025-07-01"), "{status} is still late");
    }
    // 销号 (verified) is by another person than the one who set done (issue 13).
    for (status, user) in [("done", "经办人"), ("verified", "复核人")] {
        l.run_ok(&[
            "--user",
            user,
            "update",
            &id.to_string(),
            "--status",
            status,
            "--note",
            "说明",
        ]);
        assert!(!overdue_of(&l, id, "2025-07-01"), "{status} is not late");
        assert!(
            l.json(&["--as-of", "2025-07-01", "list", "--overdue"])
                .as_array()
                .unwrap()
                .is_empty(),
            "{status}"
        );
    }
    l.run_ok(&["update", &id.to_string(), "--status", "todo"]);
    assert!(overdue_of(&l, id, "2025-07-01"), "reopened: late again");
    l.run_ok(&[
        "update",
        &id.to_string(),
        "--status",
        "已取消",
        "--note",
        "任务调整",
    ]);
    assert!(!overdue_of(&l, id, "2025-07-01"), "cancelled is not late");
    let r = l.json(&["--as-of", "2025-07-01", "report"]);
    assert_eq!(r["total"]["overdue"], 0);

    // Continuous work is never late, and the stored row never holds "overdue".
    let c = l.add("长期坚持依法行政", &["--continuous"]);
    assert!(!overdue_of(&l, c, "2099-01-01"));
    let dump = l.dump();
    assert!(!dump.contains("overdue"), "overdue is never stored");
}

#[test]
fn overdue_in_list_and_report_follows_as_of() {
    let l = Ledger::init();
    l.add("甲", &["--deadline", "2025-06-30"]);
    l.add("乙", &["--deadline", "2025-06-30", "--status", "done"]);
    l.add("丙", &["--deadline", "2025-07-31", "--status", "doing"]);
    let overdue = |as_of: &str| ids(&l.json(&["--as-of", as_of, "list", "--overdue"]));
    assert_eq!(overdue("2025-06-30"), Vec::<i64>::new());
    assert_eq!(overdue("2025-07-01"), [1]);
    assert_eq!(overdue("2025-08-01"), [1, 3]);
    let r = l.json(&["--as-of", "2025-08-01", "report", "--by", "status"]);
    assert_eq!(r["total"]["overdue"], 2);
    // The as-of date can be given in any accepted date form: 2025年7月 is 2025-07-31.
    assert_eq!(overdue("2025年7月"), [1]);
}

// ---------------------------------------------------------------------------------------------
// Defaults tied to the outline period

#[test]
fn default_plan_year_and_deadline_on_a_default_ledger() {
    let l = Ledger::init();
    let t = l.json(&["add", "推进严格规范公正文明执法"]);
    assert_eq!(t["year"], 2025);
    assert_eq!(t["deadline"], "2025-12-31");
    assert_eq!(t["kind"], "task");
    assert_eq!(t["status"], "todo");
    assert_eq!(t["progress"], 0);
    // A plan year given: 31 December of that year (2026 lies in the next outline period,
    // which a ledger holds once it is added: issue 14).
    l.run_ok(&["outline", "add", "2026-2030"]);
    let t = l.json(&["add", "下一年度工作", "--year", "2026"]);
    assert_eq!(
        (t["year"].clone(), t["deadline"].clone()),
        (2026.into(), "2026-12-31".into())
    );
    // A deadline given keeps the default plan year.
    let t = l.json(&["add", "三季度", "--deadline", "2025年三季度"]);
    assert_eq!(
        (t["year"].clone(), t["deadline"].clone()),
        (2025.into(), "2025-09-30".into())
    );
}

#[test]
fn a_plain_add_creates_the_ledger_with_the_default_outline() {
    let l = Ledger::new();
    let t = l.json(&["add", "无需先 init"]);
    assert_eq!(t["id"], 1);
    assert_eq!(t["deadline"], "2025-12-31");
}

#[test]
fn outline_2026_2030_moves_the_defaults() {
    let l = Ledger::new();
    let out = l.run_ok(&["--lang", "en", "init", "--outline", "2026-2030"]);
    assert!(out.contains("2026-2030"), "{out}");
    let t = l.json(&["add", "十五五期间法治政府建设"]);
    assert_eq!(t["year"], 2030);
    assert_eq!(t["deadline"], "2030-12-31");
    let init = l.json(&["init"]);
    assert_eq!(init["outline"], "2026-2030", "{init}");
}

#[test]
fn a_past_deadline_is_accepted_with_a_warning() {
    let l = Ledger::init().at("2026-02-01T10:00:00+08:00");
    let (out, err) = l.run_ok_err(&["--lang", "en", "add", "补录2025年任务"]);
    assert_eq!(out.trim(), "Added task #1");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("taizhang: "), "{err}");
    assert!(err.contains("2025-12-31"), "{err}");
    assert!(err.to_lowercase().contains("passed"), "{err}");
    let t = l.show(1);
    assert_eq!(t["deadline"], "2025-12-31");
    assert_eq!(t["overdue"], true);
    assert_eq!(t["created_at"], "2026-02-01T10:00:00+08:00");

    let (_, err) = l.run_ok_err(&["--lang", "zh", "add", "补录", "--deadline", "2025年6月底前"]);
    assert!(
        err.starts_with("taizhang: ") && err.contains("2025-06-30"),
        "{err}"
    );
    // A future deadline gives no warning; nor does a finished one in the past.
    let (_, err) = l.run_ok_err(&["add", "今年任务", "--deadline", "2026-06-30"]);
    assert_eq!(err, "");
    let (_, err) = l.run_ok_err(&["add", "已完成的补录", "--status", "done"]);
    assert_eq!(err, "");
}

// ---------------------------------------------------------------------------------------------
// Audit trail

#[test]
fn creation_is_one_history_row() {
    let l = Ledger::init();
    let id = l.add(
        "健全行政执法工作体系",
        &[
            "--kind",
            "commitment",
            "--owner",
            "区司法局",
            "--co-owner",
            "区公安分局",
        ],
    );
    let h = l.json(&["history", &id.to_string()]);
    let rows = h.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{h}");
    let r = &rows[0];
    assert_history_shape(r);
    assert_eq!(r["task_id"], id);
    assert_eq!(r["field"], "created");
    assert_eq!(r["at"], NOW);
    assert_eq!(r["actor"], USER);
    assert_eq!(r["old"], Value::Null);
    assert_eq!(r["note"], Value::Null);
    let init: Value = serde_json::from_str(r["new"].as_str().unwrap()).unwrap();
    assert_eq!(init["title"], "健全行政执法工作体系");
    assert_eq!(init["kind"], "commitment");
    assert_eq!(init["owner"], "区司法局");
}

#[test]
fn the_actor_is_user_else_taizhang_user() {
    let l = Ledger::init();
    l.run_ok(&["add", "甲"]);
    l.run_ok(&["add", "乙", "--user", "张科长"]);
    l.run_ok(&["--user", "李主任", "update", "1", "--status", "doing"]);
    l.run_ok(&["note", "2", "已部署", "--user", "王干事"]);
    let h = l.json(&["history"]);
    let actors: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, [USER, "张科长", "李主任", "王干事"]);
}

#[test]
fn an_update_writes_one_row_per_changed_field() {
    let l = Ledger::init();
    let id = l.add("原标题", &["--owner", "区司法局", "--area", "普法"]);
    let later = "2025-05-06T14:30:00+08:00";
    let l = l.at(later);
    let out = l.json(&[
        "update",
        &id.to_string(),
        "--title",
        "新标题",
        "--owner",
        "区政府办",
        "--co-owner",
        "区财政局",
        "--co-owner",
        "区审计局",
        "--area",
        "普法", // unchanged: no row
        "--outline-area",
        "FZ03",
        "--status",
        "doing",
        "--progress",
        "30",
        "--note",
        "按月报送",
    ]);
    let t = &out[0];
    assert_task_shape(t);
    assert_eq!(t["title"], "新标题");
    assert_eq!(t["co_owners"], serde_json::json!(["区财政局", "区审计局"]));
    assert_eq!(t["updated_at"], later);
    let h = l.json(&["history", &id.to_string(), "--since", "2025-05-01"]);
    let rows: Vec<(String, Option<String>, Option<String>)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["at"], later);
            assert_eq!(r["note"], "按月报送");
            assert_eq!(r["task_id"], id);
            let s = |k: &str| r[k].as_str().map(str::to_string);
            (s("field").unwrap(), s("old"), s("new"))
        })
        .collect();
    let mut fields: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "co_owners",
            "outline_area",
            "owner",
            "progress",
            "status",
            "title"
        ]
    );
    let get = |f: &str| rows.iter().find(|r| r.0 == f).unwrap();
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        (get("title").1.clone(), get("title").2.clone()),
        (s("原标题"), s("新标题"))
    );
    assert_eq!(
        (get("owner").1.clone(), get("owner").2.clone()),
        (s("区司法局"), s("区政府办"))
    );
    assert_eq!(
        (get("status").1.clone(), get("status").2.clone()),
        (s("todo"), s("doing"))
    );
    assert_eq!(
        (get("progress").1.clone(), get("progress").2.clone()),
        (s("0"), s("30"))
    );
    assert_eq!(get("outline_area").1, None);
    assert_eq!(get("outline_area").2, s("FZ03"));
    let co: Value = serde_json::from_str(get("co_owners").2.as_deref().unwrap()).unwrap();
    assert_eq!(co, serde_json::json!(["区财政局", "区审计局"]));
}

#[test]
fn a_change_that_changes_nothing_records_nothing() {
    let l = Ledger::init();
    l.add(
        "甲",
        &[
            "--status",
            "doing",
            "--progress",
            "20",
            "--owner",
            "区司法局",
        ],
    );
    l.add("乙", &[]);
    let before = l.dump();
    let out = l.run_ok(&[
        "--lang",
        "en",
        "update",
        "1",
        "--status",
        "推进中",
        "--progress",
        "20",
        "--owner",
        "区司法局",
    ]);
    assert!(out.contains("nothing changed"), "{out}");
    let out = l.run_ok(&["--lang", "zh", "update", "1", "2", "--status", "未启动"]);
    assert!(out.contains("#2: 无变化"), "{out}");
    assert!(out.contains("#1: 已更新"), "{out}");
    let h = l.json(&["history", "2"]);
    assert_eq!(
        h.as_array().unwrap().len(),
        1,
        "only the creation of 2: {h}"
    );
    // Re-running the same update now changes nothing at all.
    let before2 = l.dump();
    l.run_ok(&["update", "1", "2", "--status", "todo"]);
    assert_eq!(l.dump(), before2);
    assert_ne!(before, before2);
    // An existing link linked again records nothing either.
    l.add("短板", &["--kind", "短板"]);
    l.run_ok(&["link", "1", "--addresses", "3"]);
    let before = l.dump();
    let out = l.run_ok(&["--lang", "en", "link", "1", "--addresses", "3"]);
    assert!(out.contains("nothing changed"), "{out}");
    let out = l.run_ok(&["--lang", "en", "unlink", "2", "--addresses", "3"]);
    assert!(out.contains("nothing changed"), "{out}");
    assert_eq!(l.dump(), before);
}

#[test]
fn cancelling_and_moving_a_deadline_keep_their_reason() {
    let l = Ledger::init();
    l.add("甲", &["--deadline", "2025-06-30"]);
    l.run_ok(&[
        "update",
        "1",
        "--deadline",
        "2025年9月底前",
        "--note",
        "因机构改革申请延期",
    ]);
    l.run_ok(&["update", "1", "--status", "cancelled", "--note", "职能划转"]);
    let h = history_of(&l.show(1));
    assert_eq!(
        h[1..],
        [
            (
                "deadline".to_string(),
                Some("2025-06-30".to_string()),
                Some("2025-09-30".to_string()),
                Some("因机构改革申请延期".to_string())
            ),
            // The words the new deadline was given in are kept beside the date.
            (
                "deadline_text".to_string(),
                None,
                Some("2025年9月底前".to_string()),
                Some("因机构改革申请延期".to_string())
            ),
            (
                "status".to_string(),
                Some("todo".to_string()),
                Some("cancelled".to_string()),
                Some("职能划转".to_string())
            ),
        ]
    );
}

#[test]
fn progress_100_means_done_and_completed_at() {
    let l = Ledger::init().at("2025-06-01T08:00:00+08:00");
    l.add("甲", &[]);
    l.add("乙", &["--status", "doing"]);
    l.run_ok(&["update", "1", "2", "--progress", "100", "--note", "完成"]);
    for id in [1, 2] {
        let t = l.show(id);
        assert_eq!(t["status"], "done", "{t}");
        assert_eq!(t["progress"], 100);
        assert_eq!(t["completed_at"], "2025-06-01T08:00:00+08:00");
    }
    // Progress 100 with a status given keeps that status.
    l.add("丙", &[]);
    l.run_ok(&["update", "3", "--progress", "100", "--status", "doing"]);
    let t = l.show(3);
    assert_eq!(
        (t["status"].clone(), t["completed_at"].clone()),
        ("doing".into(), Value::Null)
    );
    // Verified is finished too; reopening clears completed_at. 销号 follows done, by another
    // person (issue 13).
    l.run_ok(&["update", "3", "--status", "done", "--note", "完成"]);
    l.run_ok(&[
        "--user",
        "复核人",
        "update",
        "3",
        "--status",
        "已销号",
        "--note",
        "核实",
    ]);
    assert_eq!(l.show(3)["completed_at"], "2025-06-01T08:00:00+08:00");
    l.run_ok(&["update", "3", "--status", "doing"]);
    assert_eq!(l.show(3)["completed_at"], Value::Null);
}

#[test]
fn parent_progress_is_the_mean_of_subtasks_without_cancelled_ones() {
    let l = Ledger::init();
    let p = l.add("总任务", &["--kind", "commitment"]);
    let ps = p.to_string();
    for progress in ["10", "25", "60"] {
        l.add("子任务", &["--parent", &ps, "--progress", progress]);
    }
    // (10 + 25 + 60) / 3 = 31.67, shown rounded.
    assert_eq!(l.show(p)["progress"], 32);
    l.run_ok(&["update", "2", "--status", "cancelled", "--note", "合并"]);
    // (25 + 60) / 2 = 42.5
    let shown = l.show(p)["progress"].as_u64().unwrap();
    assert!(shown == 42 || shown == 43, "{shown}");
    let r = l.json(&["report", "--by", "kind"]);
    let c = &r["groups"][0];
    assert_eq!(c["group"], "commitment");
    assert!((c["progress"].as_f64().unwrap() - 42.5).abs() < 0.01, "{r}");
    // A sub-task made with update --parent counts as well.
    let extra = l.add("后加子任务", &["--progress", "100"]);
    l.run_ok(&["update", &extra.to_string(), "--parent", &ps]);
    // (25 + 60 + 100) / 3 = 61.67
    assert_eq!(l.show(p)["progress"], 62);
    assert_eq!(ids(&l.show(p)["children"]), [2, 3, 4, extra]);
}

#[test]
fn list_sorted_by_progress_follows_the_progress_shown() {
    let l = Ledger::init();
    let p = l.add("总任务", &[]);
    l.add("子任务", &["--parent", &p.to_string(), "--progress", "80"]);
    l.add("单项", &["--progress", "50"]);
    let v = l.json(&["list", "--sort", "progress"]);
    let shown: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["progress"].as_u64().unwrap())
        .collect();
    let mut sorted = shown.clone();
    sorted.sort_unstable();
    assert_eq!(shown, sorted, "list --sort progress: {v}");
}

#[test]
fn history_since_a_day_includes_that_day() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let l = l.at("2025-04-10T00:00:01+08:00");
    l.run_ok(&["update", "1", "--status", "doing"]);
    let rows = |since: &str| {
        l.json(&["history", "--since", since])
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(rows("2025-04-10"), 1);
    assert_eq!(rows("2025年4月10日"), 1);
    assert_eq!(rows("2025-04-11"), 0);
    assert_eq!(rows("2025-03-01"), 2);
}

/// `--since` takes a day; a month or a year given as 2025-04 or 2025 should mean its first day,
/// not its last (the deadline parser reads them as the end of the period).
#[test]
fn history_since_a_month_or_year_starts_at_its_first_day() {
    let l = Ledger::init();
    l.add("甲", &[]);
    let l = l.at("2025-04-10T10:00:00+08:00");
    l.run_ok(&["update", "1", "--status", "doing"]);
    let rows = |since: &str| {
        l.json(&["history", "--since", since])
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        rows("2025-04"),
        1,
        "history --since 2025-04 must include 2025-04-10"
    );
    assert_eq!(
        rows("2025"),
        2,
        "history --since 2025 must include the whole year"
    );
}

// ---------------------------------------------------------------------------------------------
// Tables

fn assert_aligned(table: &str) {
    let widths: Vec<usize> = table.lines().map(UnicodeWidthStr::width).collect();
    assert!(widths.len() >= 3, "{table}");
    assert!(
        widths.iter().all(|w| *w == widths[0]),
        "every line has the same display width: {widths:?}\n{table}"
    );
}

#[test]
fn list_table_aligns_cjk_text() {
    let l = Ledger::init();
    l.add(
        "健全行政执法工作体系，全面推进严格规范公正文明执法（含三项制度、执法监督）",
        &[
            "--owner",
            "区司法局",
            "--area",
            "行政执法",
            "--kind",
            "承诺",
        ],
    );
    l.add(
        "Open data portal",
        &["--owner", "IT office", "--area", "digital"],
    );
    l.add(
        "混合 mixed 文本 text",
        &["--owner", "区市场监督管理局综合执法大队", "--continuous"],
    );
    l.add(
        "短",
        &[
            "--kind",
            "shortcoming",
            "--deadline",
            "2024-12-31",
            "--year",
            "2024",
        ],
    );
    for lang in ["zh", "en"] {
        let out = l.run_ok(&["--lang", lang, "--as-of", "2025-07-01", "list"]);
        assert_eq!(out.lines().count(), 2 + 4, "{out}");
        assert_aligned(&out);
        assert!(!out.contains('\u{1b}'), "no colour when piped: {out:?}");
        let out = l.run_ok(&[
            "--lang",
            lang,
            "--as-of",
            "2025-07-01",
            "report",
            "--by",
            "owner",
        ]);
        let table: String = out.lines().skip(1).map(|s| format!("{s}\n")).collect();
        assert_aligned(&table);
        let out = l.run_ok(&["--lang", lang, "history"]);
        // The line under the table names the time zone (issue 16); the table itself aligns.
        let (table, zone) = out.trim_end().rsplit_once('\n').unwrap();
        assert!(
            zone.starts_with("时间：") || zone.starts_with("Times: "),
            "{out}"
        );
        assert_aligned(table);
    }
}

#[test]
fn no_colour_when_no_color_is_set_or_output_is_piped() {
    let l = Ledger::init();
    l.add("逾期任务", &["--deadline", "2025-01-31"]);
    let out = l
        .cmd()
        .env("NO_COLOR", "1")
        .args(["--lang", "zh", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("逾期") && !s.contains('\u{1b}'), "{s:?}");
}

#[test]
fn language_defaults_follow_the_locale() {
    let l = Ledger::init();
    l.add("甲", &["--status", "doing"]);
    let run = |envs: &[(&str, &str)]| {
        let mut c = l.cmd();
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = c.arg("list").output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run(&[]).contains("doing"));
    assert!(run(&[("LANG", "zh_CN.UTF-8")]).contains("推进中"));
    assert!(run(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "C")]).contains("推进中"));
    assert!(run(&[("LANG", "en_US.UTF-8")]).contains("doing"));
}

// ---------------------------------------------------------------------------------------------
// Completions

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = bare_cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(s.len() > 200, "{shell}: {s}");
        assert!(s.contains("taizhang"), "{shell}");
        for sub in ["update", "report", "history"] {
            assert!(s.contains(sub), "{shell} completes {sub}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = bare_cmd()
        .current_dir(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "completions touch no ledger"
    );
    let f = run_fail(bare_cmd().args(["completions", "tcsh"]));
    f.check(2, &["tcsh"]);
}

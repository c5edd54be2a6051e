//! Issue 17: what an office prints. The ledger's name in every export's title, the Excel
//! workbook's page setup read back from its XML, the HTML page's print rules, and the mode
//! of files written with -o.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;

/// A ledger with a name and a few tasks of 2025, one of them overdue at the year's end.
fn named() -> Ledger {
    let l = Ledger::new();
    l.run_ok(&["init", "--name", "常州市天宁区"]);
    l.add(
        "健全重大行政决策程序制度，严格落实公众参与、专家论证、风险评估、合法性审查和集体讨论决定等法定程序",
        &["--owner", "区司法局", "--deadline", "2025-06-30", "--area", "依法行政"],
    );
    let done = l.add(
        "完善行政执法公示制度",
        &["--owner", "区城管局", "--deadline", "2025-09-30"],
    );
    l.run_ok(&[
        "update",
        &done.to_string(),
        "--status",
        "done",
        "--note",
        "已完成",
    ]);
    l
}

#[test]
fn init_name_is_read_back_and_changed_by_config() {
    let l = named();
    assert_eq!(l.run_ok(&["config", "name"]).trim(), "常州市天宁区");
    let before = l.dump();
    l.run_ok(&["config", "name", "常州市武进区"]);
    assert_ne!(before, l.dump());
    assert_eq!(l.run_ok(&["config", "name"]).trim(), "常州市武进区");
    let v = l.json(&["config", "name"]);
    assert_eq!(v["key"], "name");
    assert_eq!(v["value"], "常州市武进区");
    // The ledger with its name passes its own check.
    l.run_ok(&["check"]);
}

#[test]
fn config_refuses_an_unknown_key_and_a_multi_line_name_and_changes_nothing() {
    let l = named();
    let before = l.dump();
    l.fail(&["config", "colour", "red"]).check(2, &["name"]);
    l.fail(&["config", "name", "常州市\n天宁区"])
        .check(2, &["one line"]);
    assert_eq!(before, l.dump());
}

#[test]
fn config_name_on_a_ledger_without_one_says_how_to_set_it() {
    let l = Ledger::init();
    let out = l.run_ok(&["config", "name"]);
    assert!(out.contains("config name"), "{out}");
    assert_eq!(
        l.json(&["config", "name"])["value"],
        serde_json::Value::Null
    );
}

#[test]
fn every_export_title_names_the_unit_not_the_file() {
    let l = named();
    let want = "常州市天宁区2025年度法治政府建设任务完成情况";
    for format in ["md", "html"] {
        let out = l.run_ok(&[
            "--lang", "zh", "export", "--year", "2025", "--format", format,
        ]);
        assert!(out.contains(want), "{format}: {out}");
        assert!(out.contains("填报单位：常州市天宁区"), "{format}: {out}");
        assert!(
            !out.contains("台账：") && !out.contains("taizhang.db"),
            "{format}: {out}"
        );
        // The generated time is a local time to the minute, not a raw RFC 3339 stamp.
        assert!(
            out.contains("生成时间：2025-03-01 09:00"),
            "{format}: {out}"
        );
        assert!(!out.contains("09:00:00+08:00"), "{format}: {out}");
    }
    let en = l.run_ok(&["--lang", "en", "export", "--year", "2025", "--format", "md"]);
    assert!(
        en.contains("常州市天宁区: rule-of-law government tasks, status for 2025"),
        "{en}"
    );
    let json = l.json(&["export", "--year", "2025"]);
    assert_eq!(json["header"]["name"], "常州市天宁区");
}

/// The text of one part of a zip file (an xlsx), e.g. "xl/worksheets/sheet1.xml".
fn part(file: &std::path::Path, name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The reference ledger exported to a workbook, with its name set.
fn reference_xlsx(lang: &str) -> (Ledger, std::path::PathBuf) {
    let l = common::reference_ledger();
    l.run_ok(&["config", "name", "常州市天宁区"]);
    // One finished task, for a completion date.
    l.run_ok(&["update", "19", "--status", "done", "--note", "已完成"]);
    let file = l.sibling("2025.xlsx");
    l.run_ok(&[
        "--lang",
        lang,
        "export",
        "--year",
        "2025",
        "-o",
        file.to_str().unwrap(),
    ]);
    (l, file)
}

#[test]
fn xlsx_task_sheet_is_set_up_for_printing() {
    let (_l, file) = reference_xlsx("zh");
    let sheet = part(&file, "xl/worksheets/sheet1.xml");
    // A4 landscape, one page wide and any number of pages tall.
    assert!(sheet.contains(r#"paperSize="9""#), "{sheet}");
    assert!(sheet.contains(r#"orientation="landscape""#), "{sheet}");
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    assert!(sheet.contains(r#"fitToHeight="0""#), "{sheet}");
    // Autofilter over the header, panes frozen under it, overdue as a conditional format.
    assert!(sheet.contains("<autoFilter ref=\"A1:"), "{sheet}");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<conditionalFormatting"), "{sheet}");
    assert!(sheet.contains("DATE(2025,6,30)"), "{sheet}");
    // Rows whose wrapped text needs more than one line are made tall enough for it.
    assert!(sheet.contains(r#"customHeight="1""#), "{sheet}");
    // The header row is repeated on every printed page.
    let book = part(&file, "xl/workbook.xml");
    assert!(
        book.contains(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">台账!$1:$1</definedName>"#
        ),
        "{book}"
    );
    // Each printed page is headed by the title and numbered.
    assert!(
        sheet.contains("<oddHeader>&amp;C常州市天宁区2025年度法治政府建设任务完成情况</oddHeader>"),
        "{sheet}"
    );
    assert!(
        sheet.contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"),
        "{sheet}"
    );
    let summary = part(&file, "xl/worksheets/sheet2.xml");
    assert!(summary.contains(r#"orientation="landscape""#), "{summary}");
}

#[test]
fn xlsx_dates_are_date_cells_and_the_summary_has_area_and_unit_tables() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (_l, file) = reference_xlsx("zh");
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    let sheet = wb.worksheet_range("台账").unwrap();
    let head: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (deadline, done) = (col("完成时限"), col("完成时间"));
    let mut dates = 0;
    for row in sheet.rows().skip(1) {
        match &row[deadline] {
            Data::DateTime(d) => {
                assert!(d.is_datetime());
                dates += 1;
            }
            // Continuous work (长期坚持) has no date.
            Data::String(s) => assert_eq!(s, "长期坚持"),
            other => panic!("deadline cell {other:?}"),
        }
        assert!(
            matches!(
                &row[done],
                Data::DateTime(_) | Data::Empty | Data::String(_)
            ),
            "{:?}",
            row[done]
        );
    }
    assert!(dates > 5, "{dates} date cells");
    assert!(
        sheet
            .rows()
            .skip(1)
            .any(|r| matches!(&r[done], Data::DateTime(_))),
        "a finished task has its completion day as a date"
    );
    let summary = wb.worksheet_range("汇总").unwrap();
    let first: Vec<String> = summary.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(first[0], "常州市天宁区2025年度法治政府建设任务完成情况");
    assert!(first.iter().any(|c| c == "领域"), "{first:?}");
    assert!(first.iter().any(|c| c == "牵头单位"), "{first:?}");
    assert_eq!(
        first.iter().filter(|c| *c == "合计").count(),
        2,
        "{first:?}"
    );
    let rates = summary
        .rows()
        .filter(|r| r.get(2).map(|c| c.to_string()) == Some("完成率".into()))
        .count();
    assert_eq!(rates, 2, "完成率 in both tables");
}

#[test]
fn xlsx_properties_come_from_the_ledger_clock() {
    let (_l, file) = reference_xlsx("zh");
    let core = part(&file, "docProps/core.xml");
    // The reference ledger's clock (TAIZHANG_NOW), in UTC, not the machine's.
    assert!(core.contains("2025-06-30T09:00:00Z"), "{core}");
    assert!(
        core.contains("<dc:title>常州市天宁区2025年度法治政府建设任务完成情况</dc:title>"),
        "{core}"
    );
}

/// The percentages of the task tables' <col> widths, per table.
fn col_widths(html: &str) -> Vec<f64> {
    let group = html.split("<colgroup>").nth(1).unwrap();
    let group = group.split("</colgroup>").next().unwrap();
    group
        .split("width:")
        .skip(1)
        .map(|w| w.split('%').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn html_prints_on_a4_landscape_within_the_page_with_a_header_on_every_page() {
    let l = named();
    let html = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "html",
    ]);
    assert!(html.contains("@page{size:A4 landscape;margin:"), "{html}");
    assert!(html.contains("<thead><tr><th>序号</th>"), "{html}");
    assert!(html.contains("thead{display:table-header-group}"), "{html}");
    // Fixed layout with column widths that add up to the printable width.
    assert!(html.contains("table.tasks{table-layout:fixed"), "{html}");
    let widths = col_widths(&html);
    assert_eq!(widths.len(), 19);
    assert!(
        (widths.iter().sum::<f64>() - 100.0).abs() < 1e-9,
        "{widths:?}"
    );
    // Dates, refs and status words stay whole; unit names break only between units; the
    // task wraps.
    assert!(html.contains(r#"<td class="k">2025-06-30</td>"#), "{html}");
    assert!(html.contains(r#"<td class="k">未启动</td>"#), "{html}");
    assert!(html.contains(r#"<td class="u">区司法局</td>"#), "{html}");
    assert!(
        html.contains(r#"<td class="w">健全重大行政决策程序制度"#),
        "{html}"
    );
    assert!(html.contains("td.k{white-space:nowrap}"), "{html}");
    // The per-area and per-unit tables give the completion rate.
    assert_eq!(html.matches("<th>完成率</th>").count(), 3, "{html}");
}

#[test]
fn a_long_html_export_is_split_into_tables_that_each_have_the_header() {
    let l = common::tasks_of_2025(1_201, |i| {
        format!("第{i}项任务：推进行政执法规范化建设，落实三项制度")
    });
    let html = l.run_ok(&[
        "--lang", "zh", "export", "--year", "2025", "--format", "html",
    ]);
    assert_eq!(html.matches(r#"<table class="tasks">"#).count(), 3);
    assert_eq!(html.matches("<thead><tr><th>序号</th>").count(), 3);
    assert_eq!(html.matches(r#"<td class="w">第"#).count(), 1_201);
    assert!(html.contains(r#"<td class="n">1201</td>"#));
}

/// Runs the binary on the ledger under `umask`, through the shell (the umask is inherited).
#[cfg(unix)]
fn under_umask(l: &Ledger, umask: &str, args: &[&str]) {
    let bin = assert_cmd::cargo::cargo_bin("taizhang");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(bin)
        .arg("--db")
        .arg(&l.path)
        .args(args)
        .env("TAIZHANG_NOW", common::NOW)
        .env("TAIZHANG_USER", common::USER)
        .env_remove("TAIZHANG_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
fn mode_of(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn files_written_with_o_follow_the_umask_while_the_ledger_and_backups_stay_private() {
    for (umask, want) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let l = Ledger::new();
        under_umask(&l, umask, &["init", "--name", "常州市天宁区"]);
        under_umask(&l, umask, &["add", "甲", "--deadline", "2025-06-30"]);
        assert_eq!(mode_of(&l.path), 0o600, "the ledger under umask {umask}");
        for ext in ["xlsx", "html", "md", "csv", "json", "jsonl"] {
            let file = l.sibling(&format!("out.{ext}"));
            let f = file.to_str().unwrap();
            let year: &[&str] = if ext == "jsonl" {
                &[]
            } else {
                &["--year", "2025"]
            };
            let mut args = vec!["export", "-o", f];
            args.extend_from_slice(year);
            under_umask(&l, umask, &args);
            assert_eq!(mode_of(&file), want, "{ext} under umask {umask}");
            // Written again over the old file, it still follows the umask.
            under_umask(&l, umask, &args);
            assert_eq!(mode_of(&file), want, "{ext} rewritten under umask {umask}");
        }
        let eval = l.sibling("eval.md");
        under_umask(
            &l,
            umask,
            &[
                "export",
                "--outline",
                "2021-2025",
                "-o",
                eval.to_str().unwrap(),
            ],
        );
        assert_eq!(mode_of(&eval), want, "the evaluation under umask {umask}");
        let backup = l.sibling("copy.db");
        under_umask(&l, umask, &["backup", backup.to_str().unwrap()]);
        assert_eq!(mode_of(&backup), 0o600, "a backup under umask {umask}");
        assert_eq!(mode_of(&l.path), 0o600, "the ledger under umask {umask}");
    }
}

#[test]
fn the_closing_evaluation_names_the_unit_too() {
    let l = named();
    for format in ["md", "html"] {
        let out = l.run_ok(&[
            "--lang",
            "zh",
            "export",
            "--outline",
            "2021-2025",
            "--format",
            format,
        ]);
        assert!(out.contains("常州市天宁区"), "{format}: {out}");
        assert!(out.contains("收官评估"), "{format}: {out}");
        assert!(out.contains("填报单位：常州市天宁区"), "{format}: {out}");
        assert!(!out.contains("taizhang.db"), "{format}: {out}");
        assert!(
            out.contains("生成时间：2025-03-01 09:00"),
            "{format}: {out}"
        );
    }
}

#[test]
fn check_finds_a_ledger_name_that_is_not_one_line() {
    let l = named();
    l.run_ok(&["check"]);
    let c = rusqlite::Connection::open(&l.path).unwrap();
    c.execute(
        "UPDATE meta SET value = '常州\n天宁' WHERE key = 'name'",
        [],
    )
    .unwrap();
    drop(c);
    let f = l.fail(&["check"]);
    assert_eq!(f.code, 1, "{f:?}");
    assert!(f.stdout.contains("name setting"), "{f:?}");
}

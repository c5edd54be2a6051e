//! `notice`: the supervision notice (督办通知) for a unit with red or yellow warnings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ledger;
use serde_json::Value;

/// The day the notices are written.
const LATE: &str = "2025-06-30T17:00:00+08:00";

/// A ledger named 常州市天宁区 where, on 2025-06-30, 区司法局 leads two overdue tasks (one
/// of them extended from 04-15 to 05-20), supports a third led by 区城管局, and leads two
/// behind schedule (one with a pending extension request); 区财政局 is on time; a unit named
/// `a/b:c` leads an overdue task with a hostile title. 司法局 is an alias of 区司法局.
fn scene() -> Ledger {
    let mut l = Ledger::init();
    l.run_ok(&["config", "name", "常州市天宁区"]);
    l.add(
        "甲：完善行政执法公示制度",
        &[
            "--owner",
            "区司法局",
            "--deadline",
            "2025-04-30",
            "--person",
            "张三",
            "--ref",
            "2025-T1",
        ],
    );
    l.add(
        "乙：规范涉企行政检查",
        &[
            "--owner",
            "区城管局",
            "--co-owner",
            "区司法局",
            "--deadline",
            "2025-05-31",
            "--ref",
            "2025-T2",
        ],
    );
    l.add(
        "丙：推进行政复议规范化建设",
        &[
            "--owner",
            "区司法局",
            "--deadline",
            "2025-12-31",
            "--ref",
            "2025-T3",
        ],
    );
    l.add(
        "丁：清理规范性文件",
        &[
            "--owner",
            "区司法局",
            "--deadline",
            "2025-04-15",
            "--ref",
            "2025-T4",
        ],
    );
    l.add(
        "戊：预算公开",
        &[
            "--owner",
            "区财政局",
            "--deadline",
            "2025-12-31",
            "--progress",
            "60",
            "--ref",
            "2025-T5",
        ],
    );
    l.add(
        "己：建设行政执法监督平台",
        &[
            "--owner",
            "区司法局",
            "--deadline",
            "2025-09-30",
            "--ref",
            "2025-T6",
        ],
    );
    l.add(
        "<script>alert(1)</script> # *x* | [a](http://e) <img src=x onerror=alert(2)>",
        &[
            "--owner",
            "a/b:c",
            "--deadline",
            "2025-04-01",
            "--ref",
            "2025-T7",
        ],
    );
    l.add(
        "庚：无人认领的任务",
        &["--deadline", "2025-04-01", "--ref", "2025-T8"],
    );
    l.run_ok(&["unit", "alias", "区司法局", "司法局"]);
    l.set_now("2025-04-10T10:00:00+08:00");
    l.run_ok(&[
        "update",
        "2025-T4",
        "--deadline",
        "2025-05-20",
        "--note",
        "经批准延期",
    ]);
    l.set_now("2025-05-10T10:00:00+08:00");
    l.run_ok(&["note", "2025-T3", "已完成调研，正在起草方案"]);
    l.run_ok(&[
        "request-extension",
        "2025-T6",
        "--to",
        "2025-12-31",
        "--note",
        "平台招标推迟",
    ]);
    l.set_now(LATE);
    l
}

/// The notice as JSON (the content model every format renders).
fn notice_json(l: &Ledger, args: &[&str]) -> Value {
    let mut all = vec!["--lang", "zh", "notice"];
    all.extend_from_slice(args);
    l.json(&all)
}

fn items(n: &Value) -> Vec<(String, String, String)> {
    n["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap().clone())
        .map(|i| {
            (
                i["ref"].as_str().unwrap().to_string(),
                i["colour"].as_str().unwrap().to_string(),
                i["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn one_unit_by_name_and_by_alias_gives_the_same_notice() {
    let l = scene();
    let by_name = notice_json(&l, &["--owner", "区司法局"]);
    let by_alias = notice_json(&l, &["--owner", "司法局"]);
    assert_eq!(by_name, by_alias);
    assert_eq!(by_name["unit"], "区司法局");
    assert_eq!(by_name["addressee"], "区司法局：");
    let body = by_name["body"].as_str().unwrap();
    assert!(
        body.contains("常州市天宁区") && body.contains("2025年6月30日"),
        "{body}"
    );
    assert_eq!(by_name["from"], "常州市天宁区法治政府建设领导小组办公室");
    assert_eq!(by_name["date"], "二〇二五年六月三十日");
    // Five working days after Monday 30 June.
    assert_eq!(by_name["reply_by"], "2025-07-07");
}

#[test]
fn lead_and_supporting_roles_are_shown_red_before_yellow() {
    let l = scene();
    let n = notice_json(&l, &["--owner", "区司法局"]);
    let got = items(&n);
    let want: Vec<(String, String, String)> = [
        ("2025-T1", "red", "lead"),
        ("2025-T4", "red", "lead"),
        ("2025-T2", "red", "support"),
        ("2025-T6", "yellow", "lead"),
        ("2025-T3", "yellow", "lead"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want, "red by deadline, then yellow; {n:#}");
    assert_eq!(
        (n["red"].as_u64(), n["yellow"].as_u64()),
        (Some(3), Some(2))
    );

    let md = l.run_ok(&["--lang", "zh", "notice", "--owner", "区司法局"]);
    let red = md.find("## 逾期未完成任务（3项）").expect("red heading");
    let yellow = md.find("## 进度滞后任务（2项）").expect("yellow heading");
    assert!(red < yellow, "{md}");
    let row = |r: &str| md.lines().find(|x| x.contains(r)).unwrap().to_string();
    assert!(row("2025-T2").contains("| 配合 |"), "{md}");
    assert!(row("2025-T1").contains("| 牵头 |"), "{md}");
    assert!(row("2025-T1").contains("| 张三 |"), "{md}");
    assert!(
        row("2025-T3").contains("已完成调研，正在起草方案（2025-05-10）"),
        "{md}"
    );
    // The lead unit of 乙 sees the same task as its own.
    let cg = notice_json(&l, &["--owner", "区城管局"]);
    assert_eq!(
        items(&cg),
        vec![("2025-T2".into(), "red".into(), "lead".into())]
    );
}

#[test]
fn days_overdue_are_counted_at_as_of() {
    let l = scene();
    let days = |n: &Value| -> Vec<(String, Option<i64>)> {
        n["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap().clone())
            .map(|i| {
                (
                    i["ref"].as_str().unwrap().into(),
                    i["days_overdue"].as_i64(),
                )
            })
            .collect()
    };
    let now = notice_json(&l, &["--owner", "区司法局"]);
    assert_eq!(
        days(&now)[..3],
        [
            ("2025-T1".into(), Some(61)),
            ("2025-T4".into(), Some(41)),
            ("2025-T2".into(), Some(30))
        ]
    );
    // On 1 June 乙 (due 31 May) is one day late and 丁 twelve; on 10 May 乙 was not yet due.
    let june = notice_json(&l, &["--as-of", "2025-06-01", "--owner", "区司法局"]);
    assert_eq!(
        days(&june)[..3],
        [
            ("2025-T1".into(), Some(32)),
            ("2025-T4".into(), Some(12)),
            ("2025-T2".into(), Some(1))
        ]
    );
    assert_eq!(june["date"], "二〇二五年六月一日");
    let may = notice_json(&l, &["--as-of", "2025-05-10", "--owner", "区司法局"]);
    assert!(
        !items(&may).iter().any(|i| i.0 == "2025-T2" && i.1 == "red"),
        "乙 is not late on 10 May: {may:#}"
    );
    // Before its deadline moved (10 April) 丁 was due 15 April and shows no extension then.
    let april = notice_json(&l, &["--as-of", "2025-04-09", "--owner", "区司法局"]);
    assert!(!april.to_string().contains("延期，原定"), "{april:#}");
}

#[test]
fn an_extended_deadline_and_a_pending_request_are_marked() {
    let l = scene();
    let md = l.run_ok(&["--lang", "zh", "notice", "--owner", "区司法局"]);
    let row = |r: &str| md.lines().find(|x| x.contains(r)).unwrap().to_string();
    assert!(
        row("2025-T4").contains("2025-05-20（延期，原定2025-04-15）"),
        "{md}"
    );
    assert!(!row("2025-T1").contains("原定"), "{md}");
    assert!(
        row("2025-T6").contains("已申请延期至2025-12-31，待审批"),
        "{md}"
    );
    assert!(!row("2025-T3").contains("待审批"), "{md}");
    let en = l.run_ok(&["--lang", "en", "notice", "--owner", "区司法局"]);
    assert!(
        en.contains("2025-05-20 (extended; first due 2025-04-15)"),
        "{en}"
    );
    assert!(
        en.contains("extension to 2025-12-31 requested, awaiting approval"),
        "{en}"
    );
}

#[test]
fn a_unit_with_nothing_to_warn_gets_one_line_and_no_file() {
    let l = scene();
    let out_file = l.sibling("财政局.md");
    let out = l.run_ok(&[
        "notice",
        "--owner",
        "区财政局",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("no red or yellow warnings"), "{out}");
    assert!(!out_file.exists());
}

#[test]
fn all_writes_one_file_per_warned_unit_with_names_safe_for_windows() {
    let l = scene();
    let before = l.dump();
    let dir = l.sibling("通知");
    let out = l.run_ok(&[
        "--lang",
        "zh",
        "notice",
        "--all",
        "-o",
        dir.to_str().unwrap(),
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a_b_c.md", "区司法局.md", "区城管局.md"], "{out}");
    for n in &names {
        assert!(
            !n.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
            "{n}"
        );
    }
    assert!(out.contains("跳过 区财政局"), "{out}");
    assert!(out.contains("写出3份督办通知，跳过1个单位"), "{out}");
    assert!(
        out.contains("另有1项红色或黄色预警任务没有牵头或配合单位"),
        "{out}"
    );
    assert!(
        out.contains("区司法局.md（区司法局：红色3项，黄色2项）"),
        "{out}"
    );
    let sfj = std::fs::read_to_string(dir.join("区司法局.md")).unwrap();
    assert!(sfj.contains("2025-T6") && sfj.contains("2025-T2"), "{sfj}");
    let cg = std::fs::read_to_string(dir.join("区城管局.md")).unwrap();
    assert!(cg.contains("2025-T2") && !cg.contains("2025-T1"), "{cg}");
    // HTML files too, and the ledger is never written.
    let html_dir = l.sibling("html");
    l.run_ok(&[
        "notice",
        "--all",
        "--format",
        "html",
        "-o",
        html_dir.to_str().unwrap(),
    ]);
    assert!(html_dir.join("a_b_c.html").is_file());
    assert_eq!(before, l.dump(), "notice wrote to the ledger");
}

#[test]
fn hostile_titles_are_escaped_in_markdown_and_html() {
    use pulldown_cmark::{Event, Parser};
    let l = scene();
    let md = l.run_ok(&["notice", "--owner", "a/b:c"]);
    let mut text = String::new();
    for e in Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES) {
        match e {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h:?} in\n{md}"),
            Event::Start(pulldown_cmark::Tag::Link { .. }) => panic!("a link in\n{md}"),
            Event::Start(pulldown_cmark::Tag::Emphasis) => panic!("emphasis in\n{md}"),
            Event::Text(t) => text.push_str(&t),
            _ => {}
        }
    }
    assert!(
        text.contains(
            "<script>alert(1)</script> # *x* | [a](http://e) <img src=x onerror=alert(2)>"
        ),
        "the title reads as written: {text}"
    );
    let page = l.sibling("n.html");
    l.run_ok(&["notice", "--owner", "a/b:c", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("a/b:c"), "{html}");
}

#[test]
fn html_prints_on_a4_portrait_with_a_repeated_header() {
    let l = scene();
    let page = l.sibling("n.html");
    l.run_ok(&[
        "--lang",
        "zh",
        "notice",
        "--owner",
        "区司法局",
        "-o",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("@page{size:A4 portrait"), "{html}");
    assert_eq!(html.matches("<thead>").count(), 2, "one per table");
    assert!(html.contains("二〇二五年六月三十日"));
    // The file follows the umask like every document written with -o.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&page).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "a notice is shared: {mode:o}");
    }
}

#[test]
fn an_unknown_unit_fails_in_one_line_and_writes_nothing() {
    let l = scene();
    let before = l.dump();
    let out_file = l.sibling("x.md");
    let f = l.fail(&[
        "notice",
        "--owner",
        "区不存在局",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    f.check(1, &["区不存在局", "unit list"]);
    assert!(!out_file.exists());
    assert_eq!(before, l.dump());
}

#[test]
fn formats_that_need_a_file_or_do_not_exist_are_refused_in_one_line() {
    let l = scene();
    l.fail(&["notice", "--owner", "区司法局", "--format", "html"])
        .check(2, &["-o"]);
    l.fail(&["notice", "--owner", "区司法局", "--format", "docx"])
        .check(2, &["-o"]);
    l.fail(&["notice", "--owner", "区司法局", "--format", "csv"])
        .check(2, &["md, html, docx or json"]);
}

/// The Markdown notice of the reference ledger, with two tasks of 区司法局 made late.
#[test]
fn snapshot_of_the_reference_ledger_notice() {
    let mut l = common::reference_ledger();
    l.set_now("2025-06-02T10:00:00+08:00");
    l.run_ok(&[
        "update",
        "19",
        "--deadline",
        "2025-06-15",
        "--note",
        "区委要求提前完成",
    ]);
    l.run_ok(&[
        "update",
        "20",
        "--owner",
        "区司法局",
        "--co-owner",
        "区城管局",
        "--deadline",
        "2025-06-20",
        "--note",
        "明确责任分工",
    ]);
    l.run_ok(&["config", "name", "常州市天宁区"]);
    l.set_now(common::LATER);
    let md = l.run_ok(&[
        "--lang",
        "zh",
        "notice",
        "--owner",
        "区司法局",
        "--doc-prefix",
        "天法办督",
    ]);
    insta::assert_snapshot!("notice_reference_zh", md);
    let md = l.run_ok(&["--lang", "en", "notice", "--owner", "区城管局"]);
    insta::assert_snapshot!("notice_reference_en", md);
}

/// A table of a Word document: each row's cells as text, and whether the row is a heading
/// row repeated on every page (`w:tblHeader`).
type Table = Vec<(bool, Vec<String>)>;

/// The tables of `word/document.xml` and the page size (`w:pgSz` width, height) of its
/// sections, read with an XML parser (the file must be well-formed).
fn docx_tables(path: &std::path::Path) -> (Vec<Table>, Vec<(String, String)>) {
    use quick_xml::events::Event;
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut r = quick_xml::Reader::from_str(&xml);
    let (mut tables, mut pages): (Vec<Table>, Vec<(String, String)>) = (Vec::new(), Vec::new());
    let mut in_text = false;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:pgSz" => {
                let get = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
                        .unwrap_or_default()
                };
                pages.push((get(b"w:w"), get(b"w:h")));
            }
            Event::Start(e) => match e.name().as_ref() {
                b"w:tbl" => tables.push(Vec::new()),
                b"w:tr" => tables.last_mut().unwrap().push((false, Vec::new())),
                b"w:tc" => {
                    let row = tables.last_mut().unwrap().last_mut().unwrap();
                    row.1.push(String::new());
                }
                b"w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) if e.name().as_ref() == b"w:tblHeader" => {
                tables.last_mut().unwrap().last_mut().unwrap().0 = true;
            }
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Text(t) if in_text => {
                let t = t.xml_content().unwrap().into_owned();
                if let Some(cell) = tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.1.last_mut())
                {
                    cell.push_str(&t);
                }
            }
            Event::GeneralRef(g) if in_text => {
                let name = g.decode().unwrap().into_owned();
                let c = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("?");
                if let Some(cell) = tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.1.last_mut())
                {
                    cell.push_str(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (tables, pages)
}

#[test]
fn docx_has_a_repeated_header_row_and_the_unit_s_items_on_a4_portrait() {
    let l = scene();
    let before = l.dump();
    let out = l.sibling("司法局.docx");
    l.run_ok(&[
        "--lang",
        "zh",
        "notice",
        "--owner",
        "司法局",
        "-o",
        out.to_str().unwrap(),
    ]);
    let (tables, pages) = docx_tables(&out);
    assert_eq!(tables.len(), 2, "red, then yellow");
    for t in &tables {
        assert!(t[0].0, "the first row is a repeated heading row");
        assert_eq!(t[0].1[0], "序号");
        assert!(t[1..].iter().all(|r| !r.0), "only the first row repeats");
    }
    let refs = |t: &Table| t[1..].iter().map(|r| r.1[1].clone()).collect::<Vec<_>>();
    assert_eq!(refs(&tables[0]), ["2025-T1", "2025-T4", "2025-T2"]);
    assert_eq!(refs(&tables[1]), ["2025-T6", "2025-T3"]);
    let t2 = &tables[0][3].1;
    assert_eq!(t2[3], "配合");
    assert_eq!(t2[5], "30天");
    assert!(
        tables[0][2].1[4].contains("延期，原定2025-04-15"),
        "{tables:?}"
    );
    assert!(tables[1][1].1[4].contains("待审批"), "{tables:?}");
    // A4 portrait: 210 mm × 297 mm in twips.
    assert!(!pages.is_empty());
    assert!(
        pages.iter().all(|p| p == &("11906".into(), "16838".into())),
        "{pages:?}"
    );
    assert_eq!(before, l.dump());

    // A hostile title stays text in the Word document too.
    let bad = l.sibling("bad.docx");
    l.run_ok(&["notice", "--owner", "a/b:c", "-o", bad.to_str().unwrap()]);
    let (tables, _) = docx_tables(&bad);
    assert!(
        tables[0][1].1[2].starts_with("<script>alert(1)</script>"),
        "{tables:?}"
    );
}

#[test]
fn a_failed_write_leaves_nothing() {
    let l = scene();
    let before = l.dump();
    // A folder that does not exist: one line, no file.
    let missing = l.sibling("无此目录").join("n.html");
    l.fail(&[
        "notice",
        "--owner",
        "区司法局",
        "-o",
        missing.to_str().unwrap(),
    ])
    .check(1, &["无此目录"]);
    assert!(!missing.exists());
    // --all into a path that is a file: refused, the file kept as it was.
    let file = l.sibling("not-a-folder");
    std::fs::write(&file, "keep").unwrap();
    l.fail(&["notice", "--all", "-o", file.to_str().unwrap()])
        .check(1, &["not a folder"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    // The output may never be the ledger.
    let f = l.fail(&[
        "notice",
        "--owner",
        "区司法局",
        "--format",
        "md",
        "-o",
        l.path.to_str().unwrap(),
    ]);
    f.check(1, &["ledger"]);
    assert_eq!(before, l.dump());
}

#[test]
fn shell_completion_offers_the_notice_formats() {
    let out = common::bare_cmd()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(
        script.contains("md html docx json"),
        "notice --format values"
    );
}

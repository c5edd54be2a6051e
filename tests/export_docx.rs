//! Issue 17: the year export as a Word document. Each test writes a .docx with the binary,
//! unzips it and parses word/document.xml with a real XML parser (quick-xml), then checks the
//! page layout (a landscape section for the task table, the header row repeated, rows kept
//! whole, widths that fill the page), the content against the CSV export of the same scope,
//! and that hostile text stays text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::path::Path;

use common::{reference_ledger, Ledger};
use quick_xml::events::Event;

/// An element of a parsed document: its name (with prefix, "w:tbl"), attributes and children.
#[derive(Debug, Clone)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<Node>,
}

#[derive(Debug, Clone)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn children(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|k| match k {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.children().find(|e| e.name == name)
    }

    /// Every element named `name` below this one, in document order.
    fn all(&self, name: &str) -> Vec<&El> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if e.name == name {
                out.push(e);
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a El)) {
        for e in self.children() {
            f(e);
            e.walk(f);
        }
    }

    /// The text a reader sees: w:t contents, a w:br as a line break, a w:tab as a tab.
    fn text(&self) -> String {
        let mut s = String::new();
        self.text_into(&mut s);
        s
    }

    fn text_into(&self, s: &mut String) {
        match self.name.as_str() {
            "w:br" => s.push('\n'),
            "w:tab" => s.push('\t'),
            _ => {}
        }
        for k in &self.kids {
            match k {
                Node::Text(t) if self.name == "w:t" => s.push_str(t),
                Node::Text(_) => {}
                Node::El(e) => e.text_into(s),
            }
        }
    }
}

/// Parses XML into a tree, failing on anything not well-formed (mismatched tags, bad
/// references, a second root).
fn parse(xml: &str) -> El {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<El> = vec![El {
        name: String::new(),
        attrs: Vec::new(),
        kids: Vec::new(),
    }];
    let dec = r.decoder();
    let el = |e: &quick_xml::events::BytesStart| El {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.decode_and_unescape_value(dec)
                        .expect("attribute value")
                        .into_owned(),
                )
            })
            .collect(),
        kids: Vec::new(),
    };
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(el(&e)),
            Event::Empty(e) => {
                let e = el(&e);
                stack.last_mut().unwrap().kids.push(Node::El(e));
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().kids.push(Node::El(done));
            }
            Event::Text(t) => {
                let t = t.xml_content().expect("text").into_owned();
                stack.last_mut().unwrap().kids.push(Node::Text(t));
            }
            Event::GeneralRef(g) => {
                let c = match g.resolve_char_ref().expect("character reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = g.decode().unwrap().into_owned();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("undefined entity &{name};"))
                            .to_string()
                    }
                };
                stack.last_mut().unwrap().kids.push(Node::Text(c));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let root = stack.pop().unwrap();
    let els: Vec<&El> = root.children().collect();
    assert_eq!(els.len(), 1, "one root element");
    els[0].clone()
}

/// A part of a .docx as text.
fn part(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    part_of(f, name)
}

fn part_of<R: std::io::Read + std::io::Seek>(r: R, name: &str) -> String {
    let mut z = zip::ZipArchive::new(r).expect("a zip package");
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The parsed body of a document, after checking the raw XML holds no character XML 1.0
/// forbids.
fn body(xml: &str) -> El {
    for c in xml.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
                || c >= '\u{10000}',
            "forbidden character {c:?} in document.xml"
        );
    }
    let doc = parse(xml);
    assert_eq!(doc.name, "w:document");
    doc.child("w:body").expect("w:body").clone()
}

/// Writes `export --year 2025 ARGS -o out.docx` and returns the parsed body and raw XML.
fn export(l: &Ledger, args: &[&str]) -> (El, String) {
    let out = l.dir.path().join("out.docx");
    let mut a = vec!["export", "--year", "2025"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["-o", out.to_str().unwrap()]);
    l.run_ok(&a);
    let xml = part(&out, "word/document.xml");
    (body(&xml), xml)
}

/// The CSV export of the same scope, rows without the heading, as the docx cells should be.
fn csv_rows(l: &Ledger, args: &[&str]) -> Vec<Vec<String>> {
    let mut a = vec!["export", "--year", "2025", "--format", "csv"];
    a.extend_from_slice(args);
    let out = l.run_ok(&a);
    let out = out.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(out.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The task table: the last table of the body.
fn task_table(b: &El) -> El {
    b.all("w:tbl")
        .last()
        .copied()
        .expect("a task table")
        .clone()
}

/// The text of every cell of every row but the heading.
fn table_rows(t: &El) -> Vec<Vec<String>> {
    t.all("w:tr")
        .iter()
        .skip(1)
        .map(|tr| tr.all("w:tc").iter().map(|tc| tc.text()).collect())
        .collect()
}

fn named_reference() -> Ledger {
    let l = reference_ledger();
    l.run_ok(&["config", "name", "常州市天宁区"]);
    l
}

#[test]
fn the_task_table_is_landscape_with_its_header_repeated_and_the_rows_of_the_csv() {
    let l = named_reference();
    let (b, _) = export(&l, &["--lang", "zh"]);

    // The title leads, with the unit's name.
    let first = b.child("w:p").expect("a first paragraph");
    assert_eq!(first.text(), "常州市天宁区2025年度法治政府建设任务完成情况");
    // The header lines name the unit and the day.
    let all = b.text();
    assert!(all.contains("填报单位：常州市天宁区"), "{all}");
    assert!(all.contains("统计截至：2025-06-30"), "{all}");
    assert!(all.contains("北京时间"), "{all}");

    // Two sections: portrait pages first (a section break in a paragraph), the last one
    // (the body's own w:sectPr) A4 landscape.
    let sects = b.all("w:sectPr");
    assert_eq!(sects.len(), 2, "{sects:?}");
    let size = |s: &El| {
        let p = s.child("w:pgSz").unwrap();
        (
            p.attr("w:w").unwrap().to_string(),
            p.attr("w:h").unwrap().to_string(),
            p.attr("w:orient").map(str::to_string),
        )
    };
    assert_eq!(size(sects[0]), ("11906".into(), "16838".into(), None));
    let last = b.children().last().unwrap();
    assert_eq!(last.name, "w:sectPr", "the body ends with its last section");
    assert_eq!(
        size(last),
        ("16838".into(), "11906".into(), Some("landscape".into()))
    );
    for s in &sects {
        assert!(s.child("w:pgMar").is_some(), "margins");
        assert!(s.child("w:footerReference").is_some(), "page numbers");
    }

    // The task table: fixed layout, widths that add up to the landscape text width, the
    // heading row marked to repeat, and every row kept whole.
    let t = task_table(&b);
    let pr = t.child("w:tblPr").unwrap();
    assert_eq!(
        pr.child("w:tblLayout").unwrap().attr("w:type"),
        Some("fixed")
    );
    let mar = last.child("w:pgMar").unwrap();
    let margins: u32 = ["w:left", "w:right"]
        .iter()
        .map(|a| mar.attr(a).unwrap().parse::<u32>().unwrap())
        .sum();
    let grid: u32 = t
        .child("w:tblGrid")
        .unwrap()
        .children()
        .map(|g| g.attr("w:w").unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(grid, 16838 - margins);
    let rows = t.all("w:tr");
    let head = rows[0];
    assert!(head.child("w:trPr").unwrap().child("w:tblHeader").is_some());
    for r in &rows[1..] {
        let pr = r.child("w:trPr").unwrap();
        assert!(pr.child("w:cantSplit").is_some());
        assert!(
            pr.child("w:tblHeader").is_none(),
            "only the heading repeats"
        );
    }
    let heads: Vec<String> = head.all("w:tc").iter().map(|c| c.text()).collect();
    assert_eq!(heads[0], "序号");
    assert!(heads.contains(&"任务".to_string()), "{heads:?}");

    // The rows are the CSV export's, cell for cell: the same columns, from the one list.
    let want = csv_rows(&l, &["--lang", "zh"]);
    let got = table_rows(&t);
    assert_eq!(got.len(), 9, "the reference ledger's 2025 rows");
    assert_eq!(got, want);
    // A known task: 19 started by 区司法局 at 40%, with its note.
    let t19 = got
        .iter()
        .find(|r| r.iter().any(|c| c == "区司法局") && r.iter().any(|c| c == "40%"))
        .expect("task 19's row");
    assert!(
        t19.iter().any(|c| c == "已召开专题会议部署年度重点任务"),
        "{t19:?}"
    );

    // The per-area table: its heading, an area of the report and the total.
    let tables = b.all("w:tbl");
    let area = tables
        .iter()
        .find(|t| t.all("w:tc").first().is_some_and(|c| c.text() == "领域"))
        .expect("an area table");
    let area_text = area.text();
    assert!(area_text.contains("完成率"), "{area_text}");
    assert!(area_text.contains("合计"), "{area_text}");
    assert!(area.all("w:tr").len() >= 3);
    let unit = tables
        .iter()
        .find(|t| {
            t.all("w:tc")
                .first()
                .is_some_and(|c| c.text() == "牵头单位")
        })
        .expect("a unit table");
    assert!(unit.text().contains("区司法局"));

    // The shortcomings section names S2 with the task linked to it.
    assert!(all.contains("短板整改情况"), "{all}");

    // Every run that carries text names an East Asian font.
    for r in b.all("w:r") {
        if r.child("w:t").is_some() {
            let fonts = r
                .child("w:rPr")
                .and_then(|p| p.child("w:rFonts"))
                .and_then(|f| f.attr("w:eastAsia"));
            assert!(fonts.is_some(), "a run without an East Asian font: {r:?}");
        }
    }
}

#[test]
fn the_package_has_its_parts_and_a_page_number_footer() {
    let l = named_reference();
    let out = l.dir.path().join("y.docx");
    l.run_ok(&["export", "--year", "2025", "-o", out.to_str().unwrap()]);
    let types = part(&out, "[Content_Types].xml");
    parse(&types);
    assert!(types.contains("wordprocessingml.document.main+xml"));
    let footer = parse(&part(&out, "word/footer1.xml"));
    assert!(footer
        .all("w:instrText")
        .iter()
        .any(|i| i.text().is_empty() && format!("{i:?}").contains("PAGE")));
    let styles = part(&out, "word/styles.xml");
    parse(&styles);
    assert!(styles.contains(r#"w:eastAsia="宋体""#));
    // The properties come from the ledger's clock: the moment of the export, in UTC.
    let core = part(&out, "docProps/core.xml");
    parse(&core);
    assert!(core.contains("2025-06-30T09:00:00Z"), "{core}");
    assert!(core.contains("常州市天宁区"), "{core}");
    // An English export has the English title.
    let (b, _) = export(&l, &["--lang", "en"]);
    assert!(b.text().contains("rule-of-law"), "{}", b.text());
}

#[test]
fn a_hostile_title_stays_text_and_the_xml_well_formed() {
    let l = Ledger::init();
    let hostile = "<script>alert(1)</script> & \u{1}控制\u{b}字符\n第二行";
    let a = l.add(hostile, &["--deadline", "2025-06-30"]);
    // A title is at most 500 characters; a note has no such bound, so the 5,000-character
    // text (with markup and a control character at its end) goes in as the latest note.
    let long = format!("{}<b>&\u{7}", "长".repeat(5000));
    l.run_ok(&["note", &a.to_string(), &long]);
    let (b, xml) = export(&l, &["--lang", "zh"]);
    assert!(!xml.contains("<script"), "markup passed through");
    assert!(!xml.contains("<b>"), "markup passed through");
    let t = task_table(&b);
    let heads: Vec<String> = t.all("w:tr")[0]
        .all("w:tc")
        .iter()
        .map(|c| c.text())
        .collect();
    let col = |h: &str| heads.iter().position(|x| x == h).unwrap();
    let rows = table_rows(&t);
    assert_eq!(rows.len(), 1);
    // The control characters are dropped, the line break kept as a break.
    assert_eq!(
        rows[0][col("任务")],
        "<script>alert(1)</script> & 控制字符\n第二行"
    );
    assert_eq!(
        rows[0][col("最新进展")],
        format!("{}<b>&", "长".repeat(5000))
    );
}

#[test]
fn as_of_and_owner_scope_the_rows_as_in_the_other_formats() {
    let l = named_reference();
    for args in [
        &["--lang", "zh", "--as-of", "2025-04-15"][..],
        &["--lang", "zh", "--owner", "区司法局"][..],
    ] {
        let (b, _) = export(&l, args);
        let got = table_rows(&task_table(&b));
        let want = csv_rows(&l, args);
        assert_eq!(got, want, "{args:?}");
        if args.contains(&"--owner") {
            assert_eq!(got.len(), 1, "{got:?}");
        } else {
            // On 15 April task 19 was started but not yet noted, and 23 not yet moved.
            assert!(got.iter().any(|r| r.iter().any(|c| c == "40%")));
            assert!(!got.iter().any(|r| r.iter().any(|c| c == "区城管局")));
            assert!(b.text().contains("统计截至：2025-04-15"));
        }
    }
}

#[test]
fn a_pipe_gets_the_whole_package() {
    let l = named_reference();
    let out = l
        .cmd()
        .args(["export", "--year", "2025", "--format", "docx"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.starts_with(b"PK\x03\x04"));
    let xml = part_of(std::io::Cursor::new(out.stdout), "word/document.xml");
    let b = body(&xml);
    assert_eq!(table_rows(&task_table(&b)).len(), 9);
}

#[test]
fn an_unwritable_output_leaves_nothing_and_says_so_in_one_line() {
    let l = named_reference();
    let before = l.dump();
    // The file's place is taken by a folder: the document is written beside it and cannot
    // be moved there, and the temporary file must go again.
    let dir = l.dir.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let taken = dir.join("2025.docx");
    std::fs::create_dir(&taken).unwrap();
    let f = l.fail(&["export", "--year", "2025", "-o", taken.to_str().unwrap()]);
    f.check(1, &["2025.docx"]);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("2025.docx")],
        "{left:?}"
    );
    assert!(std::fs::read_dir(&taken).unwrap().next().is_none());
    // A folder that does not exist.
    let missing = l.dir.path().join("no-such-folder").join("2025.docx");
    l.fail(&["export", "--year", "2025", "-o", missing.to_str().unwrap()])
        .check(1, &["no-such-folder"]);
    assert!(!missing.exists());
    assert_eq!(before, l.dump());
}

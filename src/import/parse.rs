//! Parsing the text of an annual rule-of-law government report into achievements,
//! shortcomings and commitments.
//!
//! The parser works on lines. It first cuts off the page chrome and greeting at the top and the
//! closing formula, signature and date at the bottom, then walks the body and splits it into
//! zones: achievements (the year's measures and results), shortcomings, the duty of the heads
//! of government (reported as achievements too) and plans. Zones start either at a part
//! heading ("二、存在的不足", "三、2026年工作安排") or, in reports without part headings like the
//! reference, at a paragraph ("…仍然存在一些短板：A；B；C。", "2025年是…"). Each zone is then
//! read with the list markers it actually uses, because reports differ in which markers they
//! nest ("一、" › "1.", "一、" › "（一）", "一、" › "（一）" › "1、").

use chrono::NaiveDate;
use serde::Serialize;

use crate::import::deadline::deadline_for;
use crate::import::owners::owners;
use crate::import::text::{
    date_line, has_content, heading, is_colon, is_semicolon, lead_phrase, leading_year,
    trim_trailing_punct, widen_punct, years, Heading, Marker,
};

pub use crate::import::error::ImportError;
pub use crate::import::links::{suggest_links, LinkSuggestion};

/// A parsed report, ready for `import --dry-run` or for the database layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedReport {
    /// The title line, or a synthesised "{issuer}{report_year}年法治政府建设年度报告".
    pub title: String,
    /// True when the title was synthesised because the document has none.
    pub title_derived: bool,
    /// The issuing government, from the signature (or from the title "X关于…的报告").
    pub issuer: Option<String>,
    /// The date under the signature.
    pub issued_on: Option<NaiveDate>,
    /// The year the report covers.
    pub report_year: i32,
    /// The year the plans are for.
    pub plan_year: i32,
    /// Achievement sections with their items.
    pub achievements: Vec<Section>,
    /// Shortcomings, in the order written.
    pub shortcomings: Vec<Item>,
    /// Plan areas, each with its commitment sentences.
    pub plans: Vec<Section>,
}

/// A numbered section of achievements or an area of plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// 1-based position among the sections of its part (used in references).
    pub number: u32,
    /// The heading's lead phrase, without its list marker.
    pub title: String,
    /// The section's items.
    pub items: Vec<Item>,
}

/// One achievement, shortcoming or commitment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Stable reference: "2024-A1.2", "2024-S3" or "2025-C2.1".
    pub r#ref: String,
    /// Short title: the lead phrase, the clause or the sentence.
    pub title: String,
    /// The exact source text (after the list marker), lines joined with "\n".
    pub body: String,
    /// Due date; None for achievements and continuous commitments.
    pub deadline: Option<NaiveDate>,
    /// The words the deadline came from; None when the default applies.
    pub deadline_text: Option<String>,
    /// True for continuous work ("长期坚持", "持续推进", "常态化").
    pub continuous: bool,
    /// Lead unit named in the text.
    pub owner: Option<String>,
    /// Co-owners named in the text.
    pub co_owners: Vec<String>,
}

/// Parses the text of a report. `plan_year_override` replaces the plan year found in the text.
pub fn parse(text: &str, plan_year_override: Option<i32>) -> Result<ParsedReport, ImportError> {
    if let Some(y) = plan_year_override {
        if !(PLAUSIBLE_YEARS).contains(&y) {
            return Err(ImportError::InvalidPlanYear(y));
        }
    }
    let normalised = crate::import::decode::normalise_newlines(text);
    let body_text = normalised
        .strip_prefix('\u{FEFF}')
        .unwrap_or(normalised.as_str());
    let lines: Vec<&str> = body_text
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();

    let tail = read_tail(&lines);
    let head_end = lines.len().min(tail.start);
    let header = read_header(lines.get(..head_end).unwrap_or_default());
    let body = lines.get(header.end..tail.start).unwrap_or_default();

    let issuer = tail.issuer.clone().or_else(|| header.issuer.clone());
    let provisional_year = header
        .title
        .as_deref()
        .and_then(first_year)
        .or_else(|| tail.date.map(report_year_from_issue_date))
        .or_else(|| body.iter().find_map(|l| first_year(l)));

    let zones = split_zones(body, provisional_year);

    let mut raw_achievements = Vec::new();
    let mut raw_shortcomings = Vec::new();
    let mut raw_plans = Vec::new();
    let mut plan_year_found = None;
    for zone in &zones {
        match zone.kind {
            ZoneKind::Achievements => raw_achievements.extend(read_achievements(&zone.lines, None)),
            ZoneKind::Duty => raw_achievements
                .extend(read_achievements(&zone.lines, zone.head.map(|h| h.title()))),
            ZoneKind::Shortcomings => {
                raw_shortcomings.extend(read_shortcomings(&zone.lines, zone.head.is_some()))
            }
            ZoneKind::Plans => {
                if plan_year_found.is_none() {
                    plan_year_found = plan_year_of(zone, provisional_year);
                }
                raw_plans.extend(read_plans(zone));
            }
            ZoneKind::Other => {}
        }
    }
    raw_achievements.retain(|s| !s.items.is_empty());
    raw_plans.retain(|s| !s.items.is_empty());

    let item_count = raw_achievements
        .iter()
        .map(|s| s.items.len())
        .sum::<usize>()
        + raw_shortcomings.len()
        + raw_plans.iter().map(|s| s.items.len()).sum::<usize>();
    if item_count == 0 {
        return Err(ImportError::NoStructure);
    }

    let report_year = match provisional_year
        .or_else(|| plan_year_found.map(|y| y - 1))
        .or_else(|| plan_year_override.map(|y| y - 1))
    {
        Some(y) => y,
        None => return Err(ImportError::NoReportYear),
    };
    let plan_year = plan_year_override
        .or(plan_year_found)
        .unwrap_or(report_year + 1);

    let achievements = raw_achievements
        .into_iter()
        .zip(1u32..)
        .map(|(s, n)| Section {
            number: n,
            title: widen_punct(&s.title),
            items: s
                .items
                .into_iter()
                .zip(1u32..)
                .map(|(it, k)| plain_item(format!("{report_year}-A{n}.{k}"), it, None))
                .collect(),
        })
        .collect();
    let year_end = NaiveDate::from_ymd_opt(plan_year, 12, 31);
    let shortcomings = raw_shortcomings
        .into_iter()
        .zip(1u32..)
        .map(|(it, k)| plain_item(format!("{report_year}-S{k}"), it, year_end))
        .collect();
    let plans = raw_plans
        .into_iter()
        .zip(1u32..)
        .map(|(s, n)| Section {
            number: n,
            title: widen_punct(&s.title),
            items: s
                .items
                .into_iter()
                .zip(1u32..)
                .map(|(it, k)| commitment(format!("{plan_year}-C{n}.{k}"), it, plan_year))
                .collect(),
        })
        .collect();

    let (title, title_derived) = match header.title {
        Some(t) => (widen_punct(&t), false),
        None => (
            format!(
                "{}{}年法治政府建设年度报告",
                issuer.as_deref().unwrap_or(""),
                report_year
            ),
            true,
        ),
    };

    Ok(ParsedReport {
        title,
        title_derived,
        issuer,
        issued_on: tail.date,
        report_year,
        plan_year,
        achievements,
        shortcomings,
        plans,
    })
}

/// Years a report or plan can plausibly be about; the bounds also keep year arithmetic far from
/// overflow.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1949..=2200;

/// An item before references and deadlines are known.
#[derive(Debug, Clone)]
struct RawItem {
    title: String,
    body: String,
}

#[derive(Debug, Clone)]
struct RawSection {
    title: String,
    items: Vec<RawItem>,
}

fn plain_item(r#ref: String, it: RawItem, deadline: Option<NaiveDate>) -> Item {
    Item {
        r#ref,
        title: widen_punct(&it.title),
        body: it.body,
        deadline,
        deadline_text: None,
        continuous: false,
        owner: None,
        co_owners: Vec::new(),
    }
}

fn commitment(r#ref: String, it: RawItem, plan_year: i32) -> Item {
    let d = deadline_for(&it.body, plan_year);
    let (owner, co_owners) = owners(&it.body);
    Item {
        r#ref,
        title: widen_punct(&it.title),
        body: it.body,
        deadline: d.date,
        deadline_text: d.text,
        continuous: d.continuous,
        owner,
        co_owners,
    }
}

/// Reports are published early in the following year, so the date under the signature names
/// the year after the report year; a report signed in the last quarter covers its own year.
fn report_year_from_issue_date(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    if d.month() >= 10 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// The first plausible year a line mentions, ignoring the end of ranges like "2021-2025年".
fn first_year(s: &str) -> Option<i32> {
    years(s)
        .into_iter()
        .find(|h| !h.range_end && PLAUSIBLE_YEARS.contains(&h.year))
        .map(|h| h.year)
}

// ---------------------------------------------------------------------------------------------
// Header and tail

fn is_chrome(line: &str) -> bool {
    const PREFIXES: [&str; 12] = [
        "您当前的位置",
        "您现在的位置",
        "当前位置",
        "首页",
        "发布时间",
        "发布日期",
        "来源：",
        "来源:",
        "字号",
        "索引号",
        "【打印】",
        "分享到",
    ];
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    PREFIXES.iter().any(|p| compact.starts_with(p))
        || compact.contains("首页>")
        || compact.contains("首页»")
        || compact.contains("此件公开发布")
        || compact.contains("关闭窗口")
        || compact == "打印"
}

fn is_closing(line: &str) -> bool {
    let t = trim_trailing_punct(line);
    t.starts_with("特此报告") || t == "以上报告" || t.starts_with("附件")
}

/// A signature line: a short organisation name without punctuation.
fn is_signature(line: &str) -> bool {
    const SUFFIXES: [&str; 8] = ["政府", "委员会", "办公室", "管委会", "局", "委", "厅", "办"];
    let n = line.chars().count();
    (3..=30).contains(&n)
        && heading(line).is_none()
        && !line
            .chars()
            .any(|c| crate::import::text::is_clause_break(c) || c == '、' || c == '.')
        && SUFFIXES.iter().any(|s| line.ends_with(s))
}

struct Tail {
    start: usize,
    issuer: Option<String>,
    date: Option<NaiveDate>,
}

/// Reads the block at the end of the report: closing formula, signature, date and publication
/// notes. None of it is a task.
fn read_tail(lines: &[&str]) -> Tail {
    let mut start = lines.len();
    let mut issuer: Option<String> = None;
    let mut date = None;
    for (i, line) in lines.iter().enumerate().rev() {
        if lines.len() - i > 8 {
            break;
        }
        if is_chrome(line) || is_closing(line) {
            start = i;
        } else if let Some(d) = date_line(line) {
            date = date.or(Some(d));
            start = i;
        } else if is_signature(line) {
            // With joint signatures (Party committee and government), prefer the government.
            let better = match &issuer {
                None => true,
                Some(cur) => !cur.contains("政府") && line.contains("政府"),
            };
            if better {
                issuer = Some((*line).to_string());
            }
            start = i;
        } else {
            break;
        }
    }
    Tail {
        start,
        issuer,
        date,
    }
}

struct Header {
    end: usize,
    title: Option<String>,
    issuer: Option<String>,
}

fn is_title(line: &str) -> bool {
    let n = line.chars().count();
    (6..=80).contains(&n)
        && heading(line).is_none()
        && !line.ends_with('。')
        && !line.ends_with(|c: char| is_colon(c))
        && (line.contains("报告") || (line.contains("法治政府建设") && line.contains("情况")))
        && !line.contains('，')
}

/// A greeting such as "常州市人民政府:" or "区人大常委会：".
fn is_salutation(line: &str) -> bool {
    let n = line.chars().count();
    (2..=30).contains(&n)
        && line.ends_with(|c: char| is_colon(c))
        && !line.contains(['，', ',', '。', '；', ';'])
        && heading(line).is_none()
}

/// Reads the block at the top: page chrome, an optional title (possibly split over an issuer
/// line and a "关于…的报告" line) and the salutation.
fn read_header(lines: &[&str]) -> Header {
    let mut title: Option<String> = None;
    let mut issuer = None;
    let mut pending_org: Option<&str> = None;
    let mut end = 0;
    for (i, line) in lines.iter().enumerate() {
        if i >= 8 {
            break;
        }
        if is_chrome(line) || date_line(line).is_some() {
            end = i + 1;
        } else if title.is_none() && is_title(line) {
            let mut t = (*line).to_string();
            if let Some(org) = pending_org.take() {
                if line.starts_with("关于") {
                    t = format!("{org}{line}");
                }
                issuer = Some(org.to_string());
            } else if let Some(pos) = line.find("关于") {
                let org = line.get(..pos).unwrap_or("");
                if is_signature(org) {
                    issuer = Some(org.to_string());
                }
            }
            title = Some(t);
            end = i + 1;
        } else if title.is_none() && pending_org.is_none() && is_signature(line) {
            pending_org = Some(line);
            end = i + 1;
        } else if is_salutation(line) {
            end = i + 1;
            break;
        } else {
            break;
        }
    }
    // An organisation line that was not followed by a title is body text after all.
    if title.is_none() {
        if let Some(org) = pending_org {
            if let Some(pos) = lines.iter().position(|l| *l == org) {
                if pos + 1 == end {
                    end = pos;
                }
            }
        }
    }
    Header { end, title, issuer }
}

// ---------------------------------------------------------------------------------------------
// Zones

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZoneKind {
    Achievements,
    Duty,
    Shortcomings,
    Plans,
    Other,
}

#[derive(Debug, Clone)]
struct Zone<'a> {
    kind: ZoneKind,
    /// The part heading that opened the zone, if any.
    head: Option<Heading<'a>>,
    /// The paragraph that opened a plans zone without a part heading.
    intro: Option<&'a str>,
    lines: Vec<&'a str>,
}

impl<'a> Zone<'a> {
    fn new(kind: ZoneKind, head: Option<Heading<'a>>) -> Self {
        Zone {
            kind,
            head,
            intro: None,
            lines: Vec::new(),
        }
    }
}

/// Heading words that name the shortcomings part.
const SHORTCOMING_HEADS: [&str; 16] = [
    "存在的不足",
    "存在的问题",
    "存在问题",
    "存在不足",
    "问题和不足",
    "问题与不足",
    "不足和问题",
    "不足和原因",
    "不足与原因",
    "短板和不足",
    "不足和短板",
    "困难和问题",
    "问题和困难",
    "短板弱项",
    "薄弱环节",
    "差距和不足",
];

/// Heading words that name the plans part.
const PLAN_HEADS: [&str; 10] = [
    "工作安排",
    "工作打算",
    "工作计划",
    "工作思路",
    "下一步",
    "主要安排",
    "下一年度",
    "今后工作",
    "工作展望",
    "重点工作安排",
];

/// Words that, next to a future year, make a heading or paragraph about plans.
const PLAN_WORDS: [&str; 8] = ["将", "安排", "打算", "计划", "思路", "重点", "目标", "任务"];

/// Paragraph keywords that announce shortcomings.
const SHORTCOMING_WORDS: [&str; 6] = ["短板", "不足", "存在的问题", "存在问题", "差距", "薄弱环节"];

/// Classifies a heading that opens a part of the report, judging only its lead phrase so that
/// words in the body ("补短板", "第一责任人职责") do not count.
fn part_kind(h: &Heading<'_>, report_year: Option<i32>) -> Option<ZoneKind> {
    if !matches!(h.marker, Marker::CnTop | Marker::CnParen) {
        return None;
    }
    let title = h.title();
    if SHORTCOMING_HEADS.iter().any(|k| title.contains(k)) {
        return Some(ZoneKind::Shortcomings);
    }
    let future_year = years(title)
        .iter()
        .any(|y| !y.range_end && report_year.is_none_or(|r| y.year > r));
    if PLAN_HEADS.iter().any(|k| title.contains(k))
        || (future_year && PLAN_WORDS.iter().any(|k| title.contains(k)))
    {
        return Some(ZoneKind::Plans);
    }
    if h.marker == Marker::CnTop
        && title.contains("第一责任人")
        && (title.contains("职责") || title.contains("情况"))
    {
        return Some(ZoneKind::Duty);
    }
    None
}

/// A paragraph that opens the plans part: "2025年是…，我区将…", "下一步，…".
fn is_plan_intro(p: &str, report_year: Option<i32>) -> bool {
    if heading(p).is_some() {
        return false;
    }
    if let Some(y) = leading_year(p) {
        let later = report_year.is_none_or(|r| y > r && y <= r + 2);
        if later && PLAN_WORDS.iter().any(|k| p.contains(k)) {
            return true;
        }
    }
    const OPENERS: [&str; 6] = ["下一步", "今后", "新的一年", "明年", "展望", "下一年度"];
    OPENERS.iter().any(|o| p.starts_with(o))
}

/// Splits the body into zones.
fn split_zones<'a>(body: &[&'a str], report_year: Option<i32>) -> Vec<Zone<'a>> {
    let mut zones: Vec<Zone<'a>> = Vec::new();
    let mut cur: Option<Zone<'a>> = None;
    for &line in body {
        if is_chrome(line) {
            continue;
        }
        if let Some(h) = heading(line) {
            if let Some(kind) = part_kind(&h, report_year) {
                zones.extend(cur.take());
                cur = Some(Zone::new(kind, Some(h)));
                continue;
            }
            match cur.as_mut() {
                None => {
                    let mut z = Zone::new(ZoneKind::Achievements, None);
                    z.lines.push(line);
                    cur = Some(z);
                }
                Some(z) => {
                    let sibling_of_part = z
                        .head
                        .map(|ph| ph.marker == h.marker && z.kind != ZoneKind::Achievements)
                        .unwrap_or(false);
                    if sibling_of_part {
                        // A new part we have no name for ("四、其他需要报告的情况").
                        zones.extend(cur.take());
                        cur = Some(Zone::new(ZoneKind::Other, Some(h)));
                    } else if z.kind == ZoneKind::Shortcomings && z.head.is_none() {
                        // After a shortcomings paragraph, headings without a plans intro are
                        // the plans themselves.
                        zones.extend(cur.take());
                        let mut p = Zone::new(ZoneKind::Plans, None);
                        p.lines.push(line);
                        cur = Some(p);
                    } else {
                        z.lines.push(line);
                    }
                }
            }
            continue;
        }
        let kind = cur.as_ref().map(|z| z.kind);
        if kind != Some(ZoneKind::Plans) && is_plan_intro(line, report_year) {
            zones.extend(cur.take());
            let mut z = Zone::new(ZoneKind::Plans, None);
            z.intro = Some(line);
            cur = Some(z);
            continue;
        }
        if matches!(kind, None | Some(ZoneKind::Achievements))
            && !inline_clauses(line, false).is_empty()
        {
            zones.extend(cur.take());
            let mut z = Zone::new(ZoneKind::Shortcomings, None);
            z.lines.push(line);
            cur = Some(z);
            continue;
        }
        if let Some(z) = cur.as_mut() {
            z.lines.push(line);
        }
    }
    zones.extend(cur);
    zones
}

// ---------------------------------------------------------------------------------------------
// Achievements

/// The distinct markers used in some lines, in order of first appearance.
fn markers_in(lines: &[&str]) -> Vec<Marker> {
    let mut out = Vec::new();
    for l in lines {
        if let Some(h) = heading(l) {
            if !out.contains(&h.marker) {
                out.push(h.marker);
            }
        }
    }
    out
}

fn count_marker(lines: &[&str], m: Marker) -> usize {
    lines
        .iter()
        .filter(|l| heading(l).map(|h| h.marker) == Some(m))
        .count()
}

/// Items of one section: each line with `item` marker opens an item; other lines continue it.
/// Without item markers, each paragraph is an item.
fn items_of(lines: &[&str], item: Option<Marker>) -> Vec<RawItem> {
    let has_marked = item.is_some_and(|m| count_marker(lines, m) > 0);
    let mut out: Vec<RawItem> = Vec::new();
    let mut open = false;
    for l in lines {
        let h = heading(l);
        if has_marked {
            match h {
                Some(h) if Some(h.marker) == item => {
                    out.push(RawItem {
                        title: h.title().to_string(),
                        body: h.rest.to_string(),
                    });
                    open = true;
                }
                _ => {
                    if let (true, Some(last)) = (open, out.last_mut()) {
                        last.body.push('\n');
                        last.body.push_str(l);
                    }
                }
            }
        } else if h.is_none() && has_content(l) {
            out.push(RawItem {
                title: lead_phrase(l).to_string(),
                body: (*l).to_string(),
            });
        }
    }
    finish_items(out)
}

/// A marker alone on its line ("（一）" with the text on the next line) leaves an empty title;
/// the title is then taken from the text that follows. Items with no words at all are dropped.
fn finish_items(items: Vec<RawItem>) -> Vec<RawItem> {
    items
        .into_iter()
        .filter_map(|mut it| {
            if !has_content(&it.title) {
                it.title = lead_phrase(without_marker(it.body.trim_start())).to_string();
            }
            if has_content(&it.title) {
                Some(it)
            } else {
                None
            }
        })
        .collect()
}

/// Sections of lines, each opened by a line with marker `m`; lines before the first are
/// dropped as an introduction.
fn sections_by<'a, 'b>(lines: &'b [&'a str], m: Marker) -> Vec<(Heading<'a>, &'b [&'a str])> {
    let starts: Vec<(usize, Heading<'a>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| heading(l).filter(|h| h.marker == m).map(|h| (i, h)))
        .collect();
    let mut out = Vec::new();
    for (k, (i, h)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |(j, _)| *j);
        out.push((*h, lines.get(i + 1..end).unwrap_or_default()));
    }
    out
}

/// Reads achievements from a zone. `container` is the title of a part heading that holds the
/// zone (the duty part); otherwise a single outermost heading is recognised as a container
/// ("一、2024年法治政府建设主要成效" above "（一）…（五）").
fn read_achievements(lines: &[&str], container: Option<&str>) -> Vec<RawSection> {
    let mut container = container.map(str::to_string);
    let mut lines = lines;
    let mut kinds = markers_in(lines);
    if container.is_none() && kinds.len() >= 2 {
        if let Some(&top) = kinds.first() {
            if count_marker(lines, top) == 1 {
                if let Some(pos) = lines
                    .iter()
                    .position(|l| heading(l).map(|h| h.marker) == Some(top))
                {
                    container = heading(lines.get(pos).copied().unwrap_or(""))
                        .map(|h| h.title().to_string());
                    lines = lines.get(pos + 1..).unwrap_or_default();
                    kinds = markers_in(lines);
                }
            }
        }
    }
    let Some(&first) = kinds.first() else {
        return match container {
            Some(title) => vec![RawSection {
                title,
                items: items_of(lines, None),
            }],
            None => Vec::new(),
        };
    };
    let second = kinds.get(1).copied();
    // Inside a container, the first marker is a section level only if every such heading has
    // items of the next marker under it; otherwise the first marker numbers the items.
    let first_is_section = match (&container, second) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(_), Some(s)) => sections_by(lines, first)
            .iter()
            .all(|(_, body)| count_marker(body, s) > 0),
    };
    if first_is_section {
        sections_by(lines, first)
            .into_iter()
            .map(|(h, body)| RawSection {
                title: h.title().to_string(),
                items: items_of(body, second),
            })
            .collect()
    } else {
        vec![RawSection {
            title: container.unwrap_or_default(),
            items: items_of(lines, Some(first)),
        }]
    }
}

// ---------------------------------------------------------------------------------------------
// Shortcomings

const ORDINAL_MARKERS: [&str; 10] = [
    "一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是",
];

/// Clause text with separators and surrounding whitespace removed.
fn clause(s: &str) -> Option<RawItem> {
    let body = trim_trailing_punct(s.trim()).trim();
    if !has_content(body) {
        return None;
    }
    Some(RawItem {
        title: lead_phrase(body).to_string(),
        body: body.to_string(),
    })
}

/// "一是…；二是…；三是…": needs at least "一是" and "二是" in order, each at the start of the
/// paragraph or after punctuation (so that "统一是" is not a marker).
fn ordinal_clauses(p: &str) -> Vec<RawItem> {
    let mut positions: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for m in ORDINAL_MARKERS {
        let hay = p.get(from..).unwrap_or("");
        let found = hay.match_indices(m).map(|(i, _)| from + i).find(|&i| {
            i == 0
                || p.get(..i)
                    .and_then(|h| h.chars().next_back())
                    .is_some_and(|c| crate::import::text::is_clause_break(c) || c.is_whitespace())
        });
        match found {
            Some(i) => {
                positions.push((i, i + m.len()));
                from = i + m.len();
            }
            None => break,
        }
    }
    if positions.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, &(_, start)) in positions.iter().enumerate() {
        let end = positions.get(k + 1).map_or(p.len(), |&(s, _)| s);
        let mut text = p.get(start..end).unwrap_or("");
        // The last clause ends at its full stop; what follows is a closing remark.
        if k + 1 == positions.len() {
            if let Some(stop) = text.find('。') {
                text = text.get(..stop).unwrap_or(text);
            }
        }
        out.extend(clause(text));
    }
    out
}

/// "…存在一些短板：A；B；C。" — the list after the colon that follows a keyword. In a
/// shortcomings part (`headed`), a colon introducing a "；" list is enough.
fn colon_clauses(p: &str, headed: bool) -> Vec<RawItem> {
    let start = if headed {
        0
    } else {
        match SHORTCOMING_WORDS.iter().filter_map(|k| p.find(k)).min() {
            Some(i) => i,
            None => return Vec::new(),
        }
    };
    let after_kw = p.get(start..).unwrap_or("");
    let Some((ci, cc)) = after_kw
        .char_indices()
        .find(|&(_, c)| is_colon(c) || c == '。')
    else {
        return Vec::new();
    };
    if cc == '。' {
        return Vec::new();
    }
    let list = after_kw.get(ci + cc.len_utf8()..).unwrap_or("");
    let list = match list.find('。') {
        Some(stop) => list.get(..stop).unwrap_or(list),
        None => list,
    };
    let parts: Vec<&str> = list.split(is_semicolon).collect();
    if headed && parts.len() < 2 {
        return Vec::new();
    }
    parts.into_iter().filter_map(clause).collect()
}

/// Shortcomings written inside a paragraph.
fn inline_clauses(p: &str, headed: bool) -> Vec<RawItem> {
    if heading(p).is_some() {
        return Vec::new();
    }
    if !headed && !SHORTCOMING_WORDS.iter().any(|k| p.contains(k)) {
        return Vec::new();
    }
    let ordinal = ordinal_clauses(p);
    if !ordinal.is_empty() {
        if !headed {
            // Outside a shortcomings part, the keyword must come before the list.
            let first = ORDINAL_MARKERS.first().and_then(|m| p.find(m)).unwrap_or(0);
            let head = p.get(..first).unwrap_or("");
            if !SHORTCOMING_WORDS.iter().any(|k| head.contains(k)) {
                return Vec::new();
            }
        }
        return ordinal;
    }
    colon_clauses(p, headed)
}

fn read_shortcomings(lines: &[&str], headed: bool) -> Vec<RawItem> {
    let marker = markers_in(lines).first().copied();
    let mut out: Vec<RawItem> = Vec::new();
    let mut fallback: Vec<RawItem> = Vec::new();
    let mut open = false;
    for l in lines {
        match heading(l) {
            Some(h) if Some(h.marker) == marker => {
                let rest = h.rest;
                // A numbered shortcoming's title is its first clause up to "。" or "；".
                let cut = rest
                    .char_indices()
                    .find(|&(_, c)| c == '。' || is_semicolon(c))
                    .map_or(rest, |(i, _)| rest.get(..i).unwrap_or(rest));
                out.push(RawItem {
                    title: trim_trailing_punct(cut.trim()).to_string(),
                    body: rest.to_string(),
                });
                open = true;
            }
            _ => {
                let clauses = inline_clauses(l, headed);
                if !clauses.is_empty() {
                    out.extend(clauses);
                    open = false;
                } else if let (true, Some(last)) = (open, out.last_mut()) {
                    last.body.push('\n');
                    last.body.push_str(l);
                } else if headed && has_content(l) {
                    fallback.push(RawItem {
                        title: lead_phrase(l).to_string(),
                        body: (*l).to_string(),
                    });
                }
            }
        }
    }
    let out = finish_items(out);
    if out.is_empty() {
        fallback
    } else {
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

/// The plan year named by a plans zone: in its part heading, else in its intro paragraph or
/// the paragraphs before its first area heading.
fn plan_year_of(zone: &Zone<'_>, report_year: Option<i32>) -> Option<i32> {
    let pick = |s: &str| {
        years(s)
            .into_iter()
            .find(|h| !h.range_end && report_year.is_none_or(|r| h.year > r && h.year <= r + 2))
            .map(|h| h.year)
    };
    if let Some(y) = zone.head.and_then(|h| pick(h.title())) {
        return Some(y);
    }
    if let Some(y) = zone.intro.and_then(pick) {
        return Some(y);
    }
    zone.lines
        .iter()
        .take_while(|l| heading(l).is_none())
        .find_map(|l| pick(l))
}

/// Splits text into sentences ending with "。" (closing quotes and brackets that follow the
/// full stop stay with its sentence). Each slice is exact source text.
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '。' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if matches!(n, '”' | '’' | '」' | '』' | '）' | ')' | '》') {
                    end = j + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            out.push(s.get(start..end).unwrap_or(""));
            start = end;
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out.into_iter()
        .map(str::trim)
        .filter(|x| has_content(x))
        .collect()
}

fn sentence_item(s: &str) -> RawItem {
    let title = s.strip_suffix('。').unwrap_or(s).trim();
    RawItem {
        title: title.to_string(),
        body: s.to_string(),
    }
}

/// The text of a plan line without its list marker.
fn without_marker(l: &str) -> &str {
    heading(l).map_or(l, |h| h.rest)
}

fn read_plans(zone: &Zone<'_>) -> Vec<RawSection> {
    let lines = zone.lines.as_slice();
    let Some(area) = markers_in(lines).first().copied() else {
        // No area headings: all sentences form one area named after the part heading. When the
        // intro paragraph is the only plan text, its sentences are the commitments.
        let mut items: Vec<RawItem> = lines
            .iter()
            .flat_map(|l| sentences(l))
            .map(sentence_item)
            .collect();
        if items.is_empty() {
            items = zone
                .intro
                .map(|p| sentences(p).into_iter().map(sentence_item).collect())
                .unwrap_or_default();
        }
        let title = zone
            .head
            .map(|h| h.title().to_string())
            .unwrap_or_else(|| "工作安排".to_string());
        return vec![RawSection { title, items }];
    };
    let mut out = Vec::new();
    for (h, body) in sections_by(lines, area) {
        let title = h.title().to_string();
        // The heading line's own text after its lead phrase holds the first sentences.
        let own = match h.rest.find('。') {
            Some(i) => h.rest.get(i + '。'.len_utf8()..).unwrap_or(""),
            None => "",
        };
        let mut items: Vec<RawItem> = sentences(own).into_iter().map(sentence_item).collect();
        for l in body {
            items.extend(sentences(without_marker(l)).into_iter().map(sentence_item));
        }
        if items.is_empty() && has_content(&title) {
            // A heading with no sentences under it is itself the commitment.
            items.push(RawItem {
                title: title.clone(),
                body: h.rest.to_string(),
            });
        }
        out.push(RawSection { title, items });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::import::decode::{decode, Encoding};

    const REFERENCE: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tianning-2024-report.txt"
    ));
    const REFERENCE_GBK: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tianning-2024-report-gbk-crlf.txt"
    ));
    const LINJIANG: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/linjiang-2025-report.txt"
    ));
    const DONGHU: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/donghu-2023-report-bom.txt"
    ));
    const NANXI: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/nanxi-2022-report-no-plans.txt"
    ));
    const NEWS: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/not-a-report-news.txt"
    ));

    fn load(bytes: &[u8]) -> ParsedReport {
        parse(&decode(bytes, Encoding::Auto).unwrap(), None).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// (ref, title) of every item in some sections.
    fn refs_titles(sections: &[Section]) -> Vec<(String, String)> {
        sections
            .iter()
            .flat_map(|s| s.items.iter())
            .map(|i| (i.r#ref.clone(), i.title.clone()))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
            .collect()
    }

    /// (ref, deadline, deadline_text, continuous, owner, co_owners) of every commitment.
    type Due = (
        String,
        Option<NaiveDate>,
        Option<String>,
        bool,
        Option<String>,
        Vec<String>,
    );

    fn dues(r: &ParsedReport) -> Vec<Due> {
        r.plans
            .iter()
            .flat_map(|s| s.items.iter())
            .map(|i| {
                (
                    i.r#ref.clone(),
                    i.deadline,
                    i.deadline_text.clone(),
                    i.continuous,
                    i.owner.clone(),
                    i.co_owners.clone(),
                )
            })
            .collect()
    }

    fn due(
        r: &str,
        d: Option<NaiveDate>,
        text: Option<&str>,
        continuous: bool,
        owner: Option<&str>,
        co: &[&str],
    ) -> Due {
        (
            r.to_string(),
            d,
            text.map(str::to_string),
            continuous,
            owner.map(str::to_string),
            co.iter().map(|s| (*s).to_string()).collect(),
        )
    }

    #[test]
    fn reference_report() {
        let r = load(REFERENCE);
        assert_eq!(r.report_year, 2024);
        assert_eq!(r.plan_year, 2025);
        assert_eq!(r.issuer.as_deref(), Some("常州市天宁区人民政府"));
        assert_eq!(r.issued_on, date(2025, 2, 21));
        assert!(r.title_derived);
        assert_eq!(r.title, "常州市天宁区人民政府2024年法治政府建设年度报告");

        let section_titles: Vec<&str> = r.achievements.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            section_titles,
            [
                "深化改革加快政府职能转变，促进优化协同高效",
                "推进严格规范公正文明执法，提升行政执法质量",
                "健全行政权力制约监督体系，确保法治轨道运行",
                "创新社会治理践行法治为民，切实提升法治满意度",
                "学思践悟习近平法治思想，厚植依法办事思维",
            ]
        );
        assert!(r.achievements.iter().all(|s| s.items.len() == 3));
        assert_eq!(
            refs_titles(&r.achievements),
            pairs(&[
                ("2024-A1.1", "压茬推进重点改革任务"),
                ("2024-A1.2", "高效履职助力产业发展"),
                ("2024-A1.3", "优化营商环境政策供给"),
                ("2024-A2.1", "优化行政执法体制机制"),
                ("2024-A2.2", "专项整治执法突出问题"),
                ("2024-A2.3", "加强区域行政执法协作"),
                ("2024-A3.1", "依法作出重大行政决策"),
                ("2024-A3.2", "发挥行政复议主渠道作用"),
                ("2024-A3.3", "完善多元监督机制"),
                ("2024-A4.1", "妥善预防和化解矛盾纠纷"),
                ("2024-A4.2", "整治社会治理风险隐患"),
                ("2024-A4.3", "聚焦关切领域提升治理能力"),
                ("2024-A5.1", "领导干部带头厉行法治"),
                ("2024-A5.2", "提升全民法治意识和素养"),
                ("2024-A5.3", "大力加强数字政府建设"),
            ])
        );
        for item in r.achievements.iter().flat_map(|s| &s.items) {
            assert_eq!(item.deadline, None);
            assert!(!item.continuous);
        }
        // Bodies are exact source text after the list marker.
        let first = &r.achievements[0].items[0];
        assert!(first
            .body
            .starts_with("压茬推进重点改革任务。印发《常州市天宁区机构改革方案》"));
        assert!(first.body.ends_with("按时序进度推进各街道清单编制工作。"));
        let text = std::str::from_utf8(REFERENCE).unwrap();
        for item in r.achievements.iter().flat_map(|s| &s.items) {
            assert!(text.contains(&item.body));
        }

        let shortcomings: Vec<(&str, &str, Option<NaiveDate>)> = r
            .shortcomings
            .iter()
            .map(|i| (i.r#ref.as_str(), i.title.as_str(), i.deadline))
            .collect();
        assert_eq!(
            shortcomings,
            [
                ("2024-S1", "法治政府建设深度有待进一步拓展，亮点、难点工作仍需突破", date(2025, 12, 31)),
                ("2024-S2", "基层法治建设较为薄弱，法治队伍力量保障、能力素质尚未完全适应当前法治政府建设的新要求", date(2025, 12, 31)),
                ("2024-S3", "执法质量有待进一步提升，个别地区和部门对严格规范公正文明这一标准执行还不够到位", date(2025, 12, 31)),
            ]
        );
        assert_eq!(
            r.shortcomings[2].body,
            "执法质量有待进一步提升,个别地区和部门对严格规范公正文明这一标准执行还不够到位"
        );

        let areas: Vec<(u32, &str, usize)> = r
            .plans
            .iter()
            .map(|s| (s.number, s.title.as_str(), s.items.len()))
            .collect();
        assert_eq!(
            areas,
            [
                (1, "强化统筹，加力建设法治政府", 2),
                (2, "深化改革，持续转变政府职能", 2),
                (3, "活化路径，提升满意度获得感", 2),
            ]
        );
        assert_eq!(
            refs_titles(&r.plans),
            pairs(&[
                ("2025-C1.1", "持续推动党政主要负责人履行推进法治建设第一责任人职责，贯彻落实《纲要》及其实施方案和年度要点，加快推进法治政府建设各项任务"),
                ("2025-C1.2", "评估《纲要》实施以来法治政府建设总体情况，固根基、扬优势、补短板、强弱项，为“十五五”时期高质量发展打下更加扎实的法治基础"),
                ("2025-C2.1", "自觉把改革摆在更加突出的位置，贯彻法治理念，深化数字化和一体化建设，推进政府职能更加优化协同高效"),
                ("2025-C2.2", "坚持统筹发展与安全，持续凝聚行政权力制约监督合力，协同推进立法、执法、司法、守法各环节改革，全面推进各方面工作法治化"),
                ("2025-C3.1", "实施提升行政执法质量三年行动计划，规范涉企行政检查，发挥行政复议作为化解行政争议的主渠道作用，多措并举提升人民群众对行政执法的满意度"),
                ("2025-C3.2", "加大法治供给，持续消除隐形门槛和壁垒，优化运行民商事纠纷多元调处机制，切实增强人民群众的法治获得感"),
            ])
        );
        for (r#ref, d, text, continuous, owner, co) in dues(&r) {
            assert_eq!(d, date(2025, 12, 31), "{ref}");
            assert_eq!((text, continuous, owner), (None, false, None), "{ref}");
            assert!(co.is_empty());
        }
        assert_eq!(
            r.plans[2].items[1].body,
            "加大法治供给,持续消除隐形门槛和壁垒,优化运行民商事纠纷多元调处机制,切实增强人民群众的法治获得感。"
        );

        assert_eq!(
            suggest_links(&r),
            vec![LinkSuggestion {
                commitment_ref: "2025-C3.1".into(),
                shortcoming_ref: "2024-S3".into(),
                phrase: "执法质量".into(),
            }]
        );
    }

    #[test]
    fn reference_gbk_crlf_fullwidth_is_identical() {
        let gbk = load(REFERENCE_GBK);
        let utf8 = load(REFERENCE);
        assert_eq!(gbk.achievements.len(), 5);
        assert_eq!(gbk.shortcomings.len(), 3);
        assert_eq!(gbk.plans.iter().map(|s| s.items.len()).sum::<usize>(), 6);
        assert_eq!(
            refs_titles(&gbk.achievements),
            refs_titles(&utf8.achievements)
        );
        assert_eq!(refs_titles(&gbk.plans), refs_titles(&utf8.plans));
        // Markers are outside the bodies, so even the bodies agree.
        assert_eq!(gbk, utf8);
    }

    #[test]
    fn plan_year_override_wins() {
        let text = decode(REFERENCE, Encoding::Auto).unwrap();
        let r = parse(&text, Some(2026)).unwrap();
        assert_eq!((r.report_year, r.plan_year), (2024, 2026));
        assert_eq!(r.plans[0].items[0].r#ref, "2026-C1.1");
        assert_eq!(r.plans[0].items[0].deadline, date(2026, 12, 31));
        assert_eq!(r.shortcomings[0].r#ref, "2024-S1");
        assert_eq!(r.shortcomings[0].deadline, date(2026, 12, 31));
    }

    #[test]
    fn linjiang_paren_items_ordinal_shortcomings_paren_areas() {
        let r = load(LINJIANG);
        assert_eq!(r.title, "江南市临江区2025年法治政府建设年度报告");
        assert!(!r.title_derived);
        assert_eq!(r.issuer.as_deref(), Some("江南市临江区人民政府"));
        assert_eq!(r.issued_on, date(2026, 1, 20));
        assert_eq!((r.report_year, r.plan_year), (2025, 2026));

        assert_eq!(r.achievements.len(), 1);
        assert_eq!(r.achievements[0].title, "2025年法治政府建设主要成效");
        assert_eq!(
            refs_titles(&r.achievements),
            pairs(&[
                ("2025-A1.1", "坚持党的领导，压实法治建设责任"),
                ("2025-A1.2", "深化“放管服”改革，优化法治化营商环境"),
                ("2025-A1.3", "严格规范公正文明执法，提升执法质效"),
                ("2025-A1.4", "强化权力制约监督，促进权力规范运行"),
            ])
        );
        // A continuation paragraph belongs to the item above it.
        assert!(r.achievements[0].items[1]
            .body
            .ends_with("\n开展妨碍统一市场和公平竞争政策措施清理，修订或废止文件6件，新增政策措施全部经过公平竞争审查。"));

        let s: Vec<(&str, &str, Option<NaiveDate>)> = r
            .shortcomings
            .iter()
            .map(|i| (i.r#ref.as_str(), i.title.as_str(), i.deadline))
            .collect();
        assert_eq!(
            s,
            [
                (
                    "2025-S1",
                    "部分部门运用法治思维和法治方式推动工作的能力还不够强",
                    date(2026, 12, 31)
                ),
                (
                    "2025-S2",
                    "镇（街道）合法性审查力量较为薄弱，专业人员缺乏",
                    date(2026, 12, 31)
                ),
                (
                    "2025-S3",
                    "行政执法规范化水平有待提高，执法信息化建设相对滞后",
                    date(2026, 12, 31)
                ),
            ]
        );

        let areas: Vec<&str> = r.plans.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            areas,
            [
                "深入学习贯彻习近平法治思想",
                "健全依法行政制度体系",
                "全面提升行政执法质效",
                "推进矛盾纠纷多元化解",
                "加强法治工作队伍建设",
            ]
        );
        assert_eq!(
            refs_titles(&r.plans),
            pairs(&[
                ("2026-C1.1", "将习近平法治思想纳入区政府常务会议学法计划，长期坚持领导干部集体学法制度"),
                ("2026-C1.2", "组织开展法治政府建设示范创建“回头看”，巩固创建成果"),
                ("2026-C2.1", "6月底前完成区政府行政规范性文件全面清理，及时公布继续有效、修改和废止目录"),
                ("2026-C2.2", "上半年出台重大行政决策程序实施细则"),
                ("2026-C3.1", "深化“大综合一体化”行政执法改革，由区司法局牵头，区市场监管局、区城管局按职责分工负责，一季度完成执法事项目录动态调整"),
                ("2026-C3.2", "常态化开展行政执法案卷评查，每季度通报评查结果"),
                ("2026-C4.1", "2026年9月底前建成区级行政复议服务中心，推动行政复议案件繁简分流"),
                ("2026-C4.2", "年内实现镇（街道）公共法律服务工作站全覆盖"),
                ("2026-C5.1", "配齐配强镇（街道）合法性审查力量，四季度组织全区行政执法人员轮训"),
            ])
        );
        assert_eq!(
            dues(&r),
            vec![
                due("2026-C1.1", None, Some("长期坚持"), true, None, &[]),
                due("2026-C1.2", date(2026, 12, 31), None, false, None, &[]),
                due(
                    "2026-C2.1",
                    date(2026, 6, 30),
                    Some("6月底前"),
                    false,
                    None,
                    &[]
                ),
                due(
                    "2026-C2.2",
                    date(2026, 6, 30),
                    Some("上半年"),
                    false,
                    None,
                    &[]
                ),
                due(
                    "2026-C3.1",
                    date(2026, 3, 31),
                    Some("一季度"),
                    false,
                    Some("区司法局"),
                    &["区市场监管局", "区城管局"]
                ),
                due("2026-C3.2", None, Some("常态化"), true, None, &[]),
                due(
                    "2026-C4.1",
                    date(2026, 9, 30),
                    Some("2026年9月底前"),
                    false,
                    None,
                    &[]
                ),
                due(
                    "2026-C4.2",
                    date(2026, 12, 31),
                    Some("年内"),
                    false,
                    None,
                    &[]
                ),
                due(
                    "2026-C5.1",
                    date(2026, 12, 31),
                    Some("四季度"),
                    false,
                    None,
                    &[]
                ),
            ]
        );
        assert_eq!(
            suggest_links(&r),
            vec![LinkSuggestion {
                commitment_ref: "2026-C5.1".into(),
                shortcoming_ref: "2025-S2".into(),
                phrase: "合法性审查力量".into(),
            }]
        );
    }

    #[test]
    fn donghu_bom_three_levels_duty_numbered_shortcomings() {
        assert!(DONGHU.starts_with(b"\xEF\xBB\xBF"));
        let r = load(DONGHU);
        assert_eq!(
            r.title,
            "云川市东湖区人民政府关于2023年度法治政府建设工作情况的报告"
        );
        assert!(!r.title_derived);
        assert_eq!(r.issuer.as_deref(), Some("云川市东湖区人民政府"));
        assert_eq!(r.issued_on, date(2024, 3, 15));
        // No year in the plans part: the plan year defaults to the next year.
        assert_eq!((r.report_year, r.plan_year), (2023, 2024));

        let sections: Vec<&str> = r.achievements.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            sections,
            [
                "健全依法决策机制，提升决策科学化水平",
                "规范行政执法行为，提升执法公信力",
                "党政主要负责人履行推进法治建设第一责任人职责情况",
            ]
        );
        assert_eq!(
            refs_titles(&r.achievements),
            pairs(&[
                ("2023-A1.1", "严格落实重大行政决策程序"),
                ("2023-A1.2", "充分发挥法律顾问作用"),
                ("2023-A2.1", "全面落实行政执法责任制"),
                ("2023-A2.2", "开展执法突出问题专项整治"),
                ("2023-A2.3", "加强执法人员队伍建设"),
                ("2023-A3.1", "区政府主要负责同志带头学法用法，主持召开区政府常务会议专题学法12次，亲自研究部署法治政府建设年度重点任务"),
                ("2023-A3.2", "区政府分管负责同志定期听取法治政府建设工作汇报，协调解决基层法治建设中的重点难点问题"),
            ])
        );

        let s: Vec<(&str, &str, Option<NaiveDate>)> = r
            .shortcomings
            .iter()
            .map(|i| (i.r#ref.as_str(), i.title.as_str(), i.deadline))
            .collect();
        assert_eq!(
            s,
            [
                ("2023-S1", "依法行政意识有待加强", date(2024, 12, 31)),
                ("2023-S2", "行政复议应诉工作仍有短板", date(2024, 12, 31)),
                (
                    "2023-S3",
                    "基层执法力量不足，镇（街道）综合执法队伍专业化水平有待提升",
                    date(2024, 12, 31)
                ),
            ]
        );
        assert_eq!(
            r.shortcomings[1].body,
            "行政复议应诉工作仍有短板；部分行政机关负责人出庭应诉后“出庭不出声”现象仍然存在。"
        );

        let areas: Vec<&str> = r.plans.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            areas,
            [
                "着力提升依法决策水平",
                "着力规范行政执法",
                "着力化解矛盾纠纷"
            ]
        );
        assert_eq!(
            refs_titles(&r.plans),
            pairs(&[
                (
                    "2024-C1.1",
                    "一季度完成区政府重大行政决策事项目录编制并向社会公布"
                ),
                ("2024-C1.2", "常态化开展规范性文件备案审查"),
                ("2024-C2.1", "上半年完成全区行政执法人员轮训"),
                (
                    "2024-C2.2",
                    "2024年9月组织开展行政执法案卷集中评查，年底前实现执法监督平台全覆盖"
                ),
                (
                    "2024-C3.1",
                    "区信访局牵头，各镇（街道）配合，持续推进信访工作法治化"
                ),
            ])
        );
        assert_eq!(
            dues(&r),
            vec![
                due(
                    "2024-C1.1",
                    date(2024, 3, 31),
                    Some("一季度"),
                    false,
                    None,
                    &[]
                ),
                due("2024-C1.2", None, Some("常态化"), true, None, &[]),
                due(
                    "2024-C2.1",
                    date(2024, 6, 30),
                    Some("上半年"),
                    false,
                    None,
                    &[]
                ),
                due(
                    "2024-C2.2",
                    date(2024, 9, 30),
                    Some("2024年9月"),
                    false,
                    None,
                    &[]
                ),
                due(
                    "2024-C3.1",
                    None,
                    Some("持续推进"),
                    true,
                    Some("区信访局"),
                    &["各镇（街道）"]
                ),
            ]
        );
        assert!(suggest_links(&r).is_empty());
    }

    #[test]
    fn nanxi_indented_paren_items_no_plans() {
        let r = load(NANXI);
        assert!(r.title_derived);
        assert_eq!(r.title, "西岭市南溪县人民政府2022年法治政府建设年度报告");
        assert_eq!(r.issuer.as_deref(), Some("西岭市南溪县人民政府"));
        assert_eq!(r.issued_on, date(2023, 3, 28));
        assert_eq!((r.report_year, r.plan_year), (2022, 2023));
        assert_eq!(
            refs_titles(&r.achievements),
            pairs(&[
                ("2022-A1.1", "完善依法行政制度"),
                ("2022-A1.2", "深化政务公开"),
                ("2022-A2.1", "推进综合行政执法改革"),
                ("2022-A2.2", "规范涉企行政检查"),
                ("2022-A2.3", "加强执法监督"),
            ])
        );
        assert_eq!(
            r.achievements[1].items[0].body,
            "推进综合行政执法改革。整合组建县综合行政执法大队，将分散在12个部门的执法事项统一划转。\n乡镇综合执法队伍实现全覆盖，执法力量进一步下沉。"
        );
        let s: Vec<(&str, &str, Option<NaiveDate>)> = r
            .shortcomings
            .iter()
            .map(|i| (i.r#ref.as_str(), i.title.as_str(), i.deadline))
            .collect();
        assert_eq!(
            s,
            [
                (
                    "2022-S1",
                    "法治宣传教育的针对性和实效性不强",
                    date(2023, 12, 31)
                ),
                (
                    "2022-S2",
                    "乡镇合法性审查工作机制尚不健全",
                    date(2023, 12, 31)
                ),
                (
                    "2022-S3",
                    "行政执法人员素质参差不齐，个别执法人员程序意识淡薄",
                    date(2023, 12, 31)
                ),
            ]
        );
        assert!(r.plans.is_empty());
        assert!(suggest_links(&r).is_empty());
    }

    #[test]
    fn news_article_has_no_structure() {
        let text = decode(NEWS, Encoding::Auto).unwrap();
        assert!(matches!(parse(&text, None), Err(ImportError::NoStructure)));
    }

    #[test]
    fn other_texts_without_structure() {
        for text in [
            "",
            "\n\n",
            "您当前的位置:首页 > 内容\n常州市人民政府:\n特此报告。\n常州市天宁区人民政府\n2025年2月21日",
            "一、\n二、\n（一）\n（二）",
            "今天天气很好，我们去公园散步。",
        ] {
            assert!(
                matches!(parse(text, None), Err(ImportError::NoStructure)),
                "{text}"
            );
        }
    }

    #[test]
    fn marker_alone_on_its_line() {
        let text =
            "2024年工作报告\n一、加强学习\n（一）\n组织学法。全年学法10次。\n（二）开展培训。";
        let r = parse(text, None).unwrap();
        let t: Vec<&str> = r.achievements[0]
            .items
            .iter()
            .map(|i| i.title.as_str())
            .collect();
        assert_eq!(t, ["组织学法", "开展培训"]);
    }

    #[test]
    fn structure_without_any_year() {
        let text = "一、加强学习\n1.组织学法。全年学法。\n2.开展培训。";
        assert!(matches!(parse(text, None), Err(ImportError::NoReportYear)));
        let r = parse(text, Some(2025)).unwrap();
        assert_eq!((r.report_year, r.plan_year), (2024, 2025));
        assert_eq!(r.achievements[0].items[1].r#ref, "2024-A1.2");
    }

    #[test]
    fn implausible_override_is_refused() {
        let text = decode(REFERENCE, Encoding::Auto).unwrap();
        for y in [i32::MIN, -1, 0, 1800, 2201, i32::MAX] {
            assert!(matches!(
                parse(&text, Some(y)),
                Err(ImportError::InvalidPlanYear(v)) if v == y
            ));
        }
    }

    #[test]
    fn cr_only_line_ends() {
        let text = std::str::from_utf8(REFERENCE).unwrap().replace('\n', "\r");
        assert_eq!(parse(&text, None).unwrap(), load(REFERENCE));
    }

    #[test]
    fn headings_after_shortcoming_paragraph_are_plans() {
        // The reference without its plans intro: the headings after the shortcomings paragraph
        // must still be read as plans, not as more achievements.
        let text = std::str::from_utf8(REFERENCE).unwrap();
        let start = text.find("2025年是").unwrap();
        let end = start + text[start..].find('\n').unwrap() + 1;
        let cut = format!("{}{}", &text[..start], &text[end..]);
        let r = parse(&cut, None).unwrap();
        assert_eq!(r.achievements.len(), 5);
        assert_eq!(r.shortcomings.len(), 3);
        assert_eq!(r.plans.len(), 3);
        assert_eq!(r.plan_year, 2025);
    }

    #[test]
    fn explicit_title_and_plain_plans() {
        let text = "关于2024年法治政府建设情况的报告\n\
                    一、主要成效\n（一）深化改革。完成机构改革。\n（二）规范执法。\n\
                    二、存在的不足和原因\n一是基层力量薄弱；二是信息化水平不高。\n\
                    三、2025年工作打算\n2025年，我区将加强统筹。由区司法局负责，6月底前出台实施方案。";
        let r = parse(text, None).unwrap();
        assert_eq!(r.title, "关于2024年法治政府建设情况的报告");
        assert_eq!((r.report_year, r.plan_year), (2024, 2025));
        assert_eq!(r.achievements[0].title, "主要成效");
        assert_eq!(r.achievements[0].items.len(), 2);
        let s: Vec<&str> = r.shortcomings.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(s, ["基层力量薄弱", "信息化水平不高"]);
        assert_eq!(r.plans.len(), 1);
        assert_eq!(r.plans[0].title, "2025年工作打算");
        let c: Vec<(&str, Option<NaiveDate>, Option<&str>)> = r.plans[0]
            .items
            .iter()
            .map(|i| (i.title.as_str(), i.deadline, i.owner.as_deref()))
            .collect();
        assert_eq!(
            c,
            [
                ("2025年，我区将加强统筹", date(2025, 12, 31), None),
                (
                    "由区司法局负责，6月底前出台实施方案",
                    date(2025, 6, 30),
                    Some("区司法局")
                ),
            ]
        );
    }
}

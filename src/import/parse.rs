//! Parsing the text of an annual rule-of-law government report into achievements,
//! shortcomings and commitments, in two stages.
//!
//! Stage one ([`crate::import::body`], [`crate::import::lex`], [`crate::import::outline`])
//! finds the body between the title or salutation and the signature or date, cutting web-page
//! chrome at both ends, lexes each line once into (marker, text) and builds an outline tree by
//! marker order, with cue paragraphs ("…存在一些短板：", "2025年是…") as nodes of the same tree.
//! Stage two ([`crate::import::rules`], [`crate::import::extract`]) classifies each part by one
//! table of rules and takes its items, keeping an account of every sentence.

use chrono::NaiveDate;
use serde::Serialize;

use crate::import::body::{read_header, read_tail};
use crate::import::clauses::{
    bracket_fields, duty_bracket, listed_points, person_fields, recurring,
};
use crate::import::deadline::deadline_for;
use crate::import::extract::{extract, Class, Duty, OutlineRow, RawItem, RawSection, Unassigned};
use crate::import::lex::{lex_line, Lexed};
use crate::import::outline::{build, NodeKind, Outline};
use crate::import::owners::owners;
use crate::import::rules::Role;
use crate::import::text::{widen_punct, years};

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
    /// Where every sentence of the body went.
    pub coverage: Coverage,
    /// The sentences no item took, with their line numbers.
    pub unassigned: Vec<Unassigned>,
    /// Parts no rule names: (line, heading).
    pub unmatched_parts: Vec<(usize, String)>,
    /// The outline with the rule that fired for each part, for `--explain`.
    #[serde(skip)]
    pub outline: Vec<OutlineRow>,
}

/// How many sentences of the body went where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// All sentences of the body.
    pub sentences: usize,
    pub achievements: usize,
    pub shortcomings: usize,
    pub commitments: usize,
    /// Headings, introductions and closing remarks.
    pub headings: usize,
    pub causes: usize,
    pub first_responsibility: usize,
    pub other: usize,
    pub unassigned: usize,
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
    /// The responsible person (责任人) named in the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The contact (联系人, 联系方式) named in the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Words of recurring work ("每季度", "每半年"); the deadline stays the plan year's end.
    pub recurring: Option<String>,
    /// The outline area (FZ01–FZ10) the office chose in the review sheet; a report's own
    /// items have none (the suggestion is computed, not stored, until `--tag` applies it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outline_area: Option<String>,
    /// 1-based line of the source text where the item starts.
    pub line: usize,
}

/// Years a report or plan can plausibly be about; the bounds also keep year arithmetic far from
/// overflow.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1949..=2200;

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
    // Lines broken at a page width are joined first; each keeps the number of the source
    // line it starts on.
    let (unwrapped, source_lines) = crate::import::wrap::unwrap_lines(body_text);
    // Non-empty lines with their 1-based line numbers.
    let numbered: Vec<(usize, &str)> = unwrapped
        .split('\n')
        .enumerate()
        .map(|(i, l)| (source_lines.get(i).copied().unwrap_or(i + 1), l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let lines: Vec<&str> = numbered.iter().map(|&(_, l)| l).collect();

    let tail = read_tail(&lines);
    let head_end = lines.len().min(tail.start);
    let header = read_header(lines.get(..head_end).unwrap_or_default());
    let body = numbered.get(header.end..tail.start).unwrap_or_default();

    let issuer = tail.issuer.clone().or_else(|| header.issuer.clone());
    let provisional_year = header
        .title
        .as_deref()
        .and_then(first_year)
        .or_else(|| tail.date.map(report_year_from_issue_date))
        .or_else(|| body.iter().find_map(|&(_, l)| first_year(l)));

    let lexed: Vec<Lexed<'_>> = body
        .iter()
        .filter(|(_, l)| !crate::import::body::is_chrome(l))
        .map(|&(no, l)| lex_line(no, l))
        .collect();
    let outline = build(lexed, provisional_year, |p| {
        !listed_points(p, false).is_empty()
    });
    let (found, account) = extract(&outline, provisional_year);

    let plan_year_found = found
        .plan_year_text
        .iter()
        .find_map(|t| later_year(t, provisional_year));

    let raw_achievements: Vec<RawSection> = found
        .achievements
        .into_iter()
        .filter(|s| !s.items.is_empty())
        .collect();
    let raw_plans: Vec<RawSection> = found
        .plans
        .into_iter()
        .filter(|s| !s.items.is_empty())
        .collect();
    let raw_shortcomings = found.shortcomings;

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

    let mut coverage = Coverage::default();
    let mut unassigned = Vec::new();
    for (line, s, class, part) in account.sentences(&outline) {
        coverage.sentences += 1;
        match class {
            Some(Class::Achievement) => coverage.achievements += 1,
            Some(Class::Shortcoming) => coverage.shortcomings += 1,
            Some(Class::Commitment) => coverage.commitments += 1,
            Some(Class::Heading) => coverage.headings += 1,
            Some(Class::NonTask(Role::Causes)) => coverage.causes += 1,
            Some(Class::NonTask(Role::FirstResponsibility)) => coverage.first_responsibility += 1,
            Some(Class::NonTask(_)) => coverage.other += 1,
            None => {
                coverage.unassigned += 1;
                unassigned.push(Unassigned {
                    line,
                    text: s.to_string(),
                    blocking: part.is_some_and(Role::yields_tasks_from_every_sentence),
                });
            }
        }
    }
    let unmatched_parts = found
        .warnings
        .iter()
        .filter_map(|w| w.split_once('|'))
        .map(|(n, t)| (n.parse().unwrap_or(0), t.to_string()))
        .collect();
    let outline_rows = outline_rows(&outline, &found.rules);

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
        coverage,
        unassigned,
        unmatched_parts,
        outline: outline_rows,
    })
}

/// The rows of `--explain`: every marked line and cue paragraph, with its depth and the rule
/// that fired for it.
fn outline_rows(
    o: &Outline<'_>,
    rules: &std::collections::HashMap<usize, (String, Option<Role>)>,
) -> Vec<OutlineRow> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, usize)> = o.children(0).iter().rev().map(|&c| (c, 0)).collect();
    while let Some((id, depth)) = stack.pop() {
        let kind = o.kind(id);
        if kind == NodeKind::Para {
            continue;
        }
        let marker = match (kind, o.lexed(id)) {
            (NodeKind::Marked(f), Some(l)) => l
                .raw
                .get(..l.raw.len().saturating_sub(l.text.len()))
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .unwrap_or(f.sample())
                .to_string(),
            _ => "¶".to_string(),
        };
        let (rule, role) = match rules.get(&id) {
            Some((name, role)) => (Some(name.clone()), *role),
            None => (None, None),
        };
        out.push(OutlineRow {
            line: o.lexed(id).map_or(0, |l| l.no),
            depth,
            marker,
            title: o.title(id).chars().take(60).collect(),
            rule,
            role,
        });
        for &c in o.children(id).iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    out
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
        person: None,
        contact: None,
        recurring: None,
        outline_area: None,
        line: it.line,
    }
}

/// A commitment: its own words name its deadline and units first; a lead-unit sentence or
/// bracket of its item fills in what it does not say.
fn commitment(r#ref: String, it: RawItem, plan_year: i32) -> Item {
    // A bracket inside the sentence is the sentence's own lead-unit bracket.
    let (own_text, own_bracket) = match duty_bracket(&it.body) {
        Some((x, y)) => (
            format!(
                "{}{}",
                it.body.get(..x).unwrap_or(""),
                it.body.get(y..).unwrap_or("")
            ),
            Some(Duty::default()).map(|mut d| {
                let bracket = it.body.get(x..y).unwrap_or("");
                let (lead, co, due) = bracket_fields(bracket);
                (d.person, d.contact) = person_fields(bracket);
                if lead.is_empty()
                    && co.is_empty()
                    && due.is_none()
                    && d.person.is_none()
                    && d.contact.is_none()
                {
                    // A bracket in prose ("（县司法局牵头，各乡镇配合）") is read as a sentence.
                    d.sentence = Some(bracket.to_string());
                }
                d.lead = lead;
                d.co = co;
                d.due = due;
                d
            }),
        ),
        None => (it.body.clone(), None),
    };
    let mut d = deadline_for(&own_text, plan_year);
    // A deadline field ("完成时限：2025年11月底前") names the item's deadline outright, so it
    // wins over the looser words of the sentence ("年内组织培训不少于4期").
    let field_due = [own_bracket.as_ref(), it.duty.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|x| x.due.as_deref())
        .map(|w| deadline_for(w, plan_year))
        .find(|x| x.text.is_some());
    if let Some(f) = field_due {
        d = f;
    }
    let (mut owner, mut co_owners) = owners(&own_text);
    for duty in [own_bracket.as_ref(), it.duty.as_ref()]
        .into_iter()
        .flatten()
    {
        if owner.is_none() {
            let (o, c) = match &duty.sentence {
                Some(s) => owners(s),
                None => (None, Vec::new()),
            };
            let mut lead = duty.lead.clone();
            let first = if lead.is_empty() {
                o
            } else {
                Some(lead.remove(0))
            };
            if let Some(f) = first {
                owner = Some(f);
                co_owners = lead.into_iter().chain(c).chain(duty.co.clone()).collect();
            }
        }
        if d.text.is_none() {
            let words = duty.due.as_deref().or(duty.sentence.as_deref());
            if let Some(w) = words {
                let dd = deadline_for(w, plan_year);
                if dd.text.is_some() {
                    d = dd;
                }
            }
        }
    }
    let duties = [own_bracket.as_ref(), it.duty.as_ref()];
    let person = duties.iter().flatten().find_map(|d| d.person.clone());
    let contact = duties.iter().flatten().find_map(|d| d.contact.clone());
    let recurring = recurring(&own_text).or_else(|| {
        it.duty
            .as_ref()
            .and_then(|x| x.sentence.as_deref())
            .and_then(recurring)
    });
    Item {
        r#ref,
        title: widen_punct(&it.title),
        body: it.body,
        deadline: d.date,
        deadline_text: d.text,
        continuous: d.continuous,
        owner,
        co_owners,
        person,
        contact,
        recurring,
        outline_area: None,
        line: it.line,
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

/// The first year in a plans text that is one or two years after the report year.
fn later_year(s: &str, report_year: Option<i32>) -> Option<i32> {
    years(s)
        .into_iter()
        .find(|h| {
            !h.range_end
                && PLAUSIBLE_YEARS.contains(&h.year)
                && report_year.is_none_or(|r| h.year > r && h.year <= r + 2)
        })
        .map(|h| h.year)
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
        // Markers are outside the bodies, so even the bodies agree. Only `--explain` shows the
        // markers as written ("１．" against "1.").
        let (mut gbk, mut utf8) = (gbk, utf8);
        gbk.outline.clear();
        utf8.outline.clear();
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
            ]
        );
        // The first-responsibility part yields no tasks: its text stays in the document.
        assert_eq!(r.coverage.first_responsibility, 2);
        assert_eq!(
            refs_titles(&r.achievements),
            pairs(&[
                ("2023-A1.1", "严格落实重大行政决策程序"),
                ("2023-A1.2", "充分发挥法律顾问作用"),
                ("2023-A2.1", "全面落实行政执法责任制"),
                ("2023-A2.2", "开展执法突出问题专项整治"),
                ("2023-A2.3", "加强执法人员队伍建设"),
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

//! Sentences, listed points and lead-unit sentences inside a paragraph. Every function returns
//! byte ranges of its input, so the account of sentences can tell which sentence each item
//! came from, and nothing here can panic on any input.

use crate::import::deadline::{deadline_for, CONTINUOUS_PHRASES};
use crate::import::rules::SHORTCOMING_WORDS;
use crate::import::text::{has_content, is_clause_break, is_colon, is_semicolon};

/// Byte ranges of the sentences of a text: each ends with "。" (closing quotes and brackets
/// right after the full stop stay with it); surrounding whitespace is left out and pieces
/// without letters are dropped.
pub fn sentence_spans(s: &str) -> Vec<(usize, usize)> {
    let mut raw = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if matches!(c, '。' | '！' | '？') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if matches!(n, '”' | '’' | '」' | '』' | '）' | ')' | '》') {
                    end = j + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            raw.push((start, end));
            start = end;
        }
    }
    raw.push((start, s.len()));
    raw.into_iter()
        .filter_map(|(a, b)| {
            let piece = s.get(a..b)?;
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            let (a, b) = (a + lead, b - trail);
            has_content(s.get(a..b)?).then_some((a, b))
        })
        .collect()
}

/// "一是" … "二十是"; None past twenty.
pub fn ordinal_word(n: u32) -> Option<String> {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let d = |k: u32| DIGITS.get(k as usize).copied().unwrap_or("");
    let num = match n {
        1..=9 => d(n).to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", d(n - 10)),
        20 => "二十".to_string(),
        _ => return None,
    };
    Some(format!("{num}是"))
}

/// Trims separators and whitespace from a clause range.
fn trim_range(p: &str, a: usize, b: usize) -> Option<(usize, usize)> {
    let piece = p.get(a..b)?;
    let lead = piece.len()
        - piece
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '，' | ','))
            .len();
    let kept = piece.get(lead..)?;
    let body = kept.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '。' | '、')
    });
    has_content(body).then_some((a + lead, a + lead + body.len()))
}

/// "一是…；二是…；三是…": at least "一是" and "二是" in order, each at the start or after
/// punctuation (so that "统一是" is not a marker). The last point ends at its full stop.
pub fn ordinal_points(p: &str) -> Vec<(usize, usize)> {
    let words = points_marked_by(p, ordinal_word);
    if !words.is_empty() {
        return words;
    }
    // "①年内培训执法人员；②6月底前完成换证；③…。": circled numbers list points the same way.
    points_marked_by(p, |n| {
        n.checked_sub(1)
            .and_then(|k| char::from_u32(0x2460 + k))
            .map(String::from)
    })
}

/// Points introduced by the markers `marker(1)`, `marker(2)`, … in order.
fn points_marked_by(p: &str, marker: impl Fn(u32) -> Option<String>) -> Vec<(usize, usize)> {
    let mut positions: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for n in 1..=20 {
        let Some(m) = marker(n) else { break };
        let hay = p.get(from..).unwrap_or("");
        let found = hay
            .match_indices(m.as_str())
            .map(|(i, _)| from + i)
            .find(|&i| {
                i == 0
                    || p.get(..i)
                        .and_then(|h| h.chars().next_back())
                        .is_some_and(|c| is_clause_break(c) || c.is_whitespace())
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
        let mut end = positions.get(k + 1).map_or(p.len(), |&(s, _)| s);
        if k + 1 == positions.len() {
            if let Some(stop) = p.get(start..end).and_then(|t| t.find('。')) {
                end = start + stop;
            }
        }
        out.extend(trim_range(p, start, end));
    }
    out
}

/// "…存在一些短板：A；B；C。" — the "；" list after the colon that follows a keyword (after the
/// first colon when `headed`, inside a shortcomings part). Needs two points.
pub fn colon_points(p: &str, headed: bool) -> Vec<(usize, usize)> {
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
    let list_start = start + ci + cc.len_utf8();
    let list = p.get(list_start..).unwrap_or("");
    let list_end = list_start + list.find('。').unwrap_or(list.len());
    let list = p.get(list_start..list_end).unwrap_or("");
    let mut out = Vec::new();
    let mut a = list_start;
    for (i, c) in list.char_indices() {
        if is_semicolon(c) {
            out.extend(trim_range(p, a, list_start + i));
            a = list_start + i + c.len_utf8();
        }
    }
    out.extend(trim_range(p, a, list_end));
    if out.len() < 2 {
        return Vec::new();
    }
    out
}

/// Points a paragraph lists: "一是…二是…" first, else a "；" list after a colon.
pub fn listed_points(p: &str, headed: bool) -> Vec<(usize, usize)> {
    let ordinal = ordinal_points(p);
    if !ordinal.is_empty() {
        return ordinal;
    }
    colon_points(p, headed)
}

/// Words whose bracket says who leads and by when: "（牵头单位：X；配合单位：Y；完成时限：Z）".
/// A department's own report names its offices instead of units ("责任处室：法规处"), and some
/// write the deadline as "完成时间" or "时间节点".
const DUTY_FIELDS: [&str; 20] = [
    "牵头单位",
    "责任单位",
    "配合单位",
    "责任部门",
    "牵头部门",
    "配合部门",
    "协同单位",
    "责任处室",
    "牵头处室",
    "配合处室",
    "责任科室",
    "牵头科室",
    "配合科室",
    "完成时限",
    "完成时间",
    "时间节点",
    // The responsible person and how to reach them (issue 13): "（责任人：张三；联系人：李四
    // 0519-1234）". They come before "责任" is read as a unit (see `bracket_fields`).
    "责任人",
    "联系人",
    "联系方式",
    "联系电话",
];

/// Whether a field names a person or a way to reach one rather than a unit.
fn person_field(name: &str) -> Option<Person> {
    if name.contains("责任人") {
        Some(Person::Responsible)
    } else if name.contains("联系") {
        Some(Person::Contact)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Person {
    Responsible,
    Contact,
}

/// The responsible person (责任人) and the contact (联系人, 联系方式, 联系电话) a lead-unit
/// bracket or field sentence names, as written.
pub fn person_fields(b: &str) -> (Option<String>, Option<String>) {
    let inner = b
        .trim()
        .trim_end_matches(['。', '；', ';'])
        .trim_matches(|c| matches!(c, '（' | '(' | '）' | ')'));
    let (mut person, mut contact): (Option<String>, Option<String>) = (None, None);
    for field in inner.split(['；', ';', '，', ',']) {
        let Some((name, value)) = field.split_once(is_colon) else {
            continue;
        };
        let value = value.trim().trim_end_matches('。').trim();
        if !has_content(value) {
            continue;
        }
        match person_field(name) {
            Some(Person::Responsible) => {
                person.get_or_insert_with(|| value.to_string());
            }
            Some(Person::Contact) => match &mut contact {
                // "联系人：李四，联系电话：0519-1234" is one contact.
                Some(c) => {
                    c.push(' ');
                    c.push_str(value);
                }
                None => contact = Some(value.to_string()),
            },
            None => {}
        }
    }
    (person, contact)
}

/// The byte range (brackets included) of a lead-unit bracket inside a sentence.
pub fn duty_bracket(s: &str) -> Option<(usize, usize)> {
    for (i, c) in s.char_indices() {
        if matches!(c, '（' | '(') {
            let inner_start = i + c.len_utf8();
            let rest = s.get(inner_start..)?;
            let close = rest.char_indices().find(|&(_, d)| matches!(d, '）' | ')'));
            if let Some((j, d)) = close {
                let inner = rest.get(..j).unwrap_or("");
                // Fields ("牵头单位：X") or prose that only names units and a deadline
                // ("县司法局牵头，各乡镇配合").
                let prose = has_content(inner)
                    && inner.split(['，', ',', '；', ';']).all(is_duty_clause)
                    && inner.split(['，', ',', '；', ';']).any(is_lead_clause);
                if DUTY_FIELDS.iter().any(|f| inner.contains(f)) || prose {
                    return Some((i, inner_start + j + d.len_utf8()));
                }
            }
        }
    }
    None
}

/// True for a sentence written as lead-unit fields: "责任单位：县司法局、县委编办。".
pub fn starts_with_field(s: &str) -> bool {
    DUTY_FIELDS.iter().any(|f| s.trim_start().starts_with(f))
}

/// The fields of a lead-unit bracket (or of a sentence written as fields): (lead units,
/// co-operating units, deadline words).
pub fn bracket_fields(b: &str) -> (Vec<String>, Vec<String>, Option<String>) {
    let inner = b
        .trim()
        .trim_end_matches(['。', '；', ';'])
        .trim_matches(|c| matches!(c, '（' | '(' | '）' | ')'));
    let mut lead = Vec::new();
    let mut co = Vec::new();
    let mut due = None;
    // Fields are separated by "；" or, in looser writing, by "，"; a piece without a colon
    // continues the field before it ("责任单位：区司法局，区财政局").
    let mut fields: Vec<String> = Vec::new();
    for piece in inner.split(['；', ';', '，', ',']) {
        match fields.last_mut() {
            Some(last) if !piece.contains(is_colon) => {
                last.push('、');
                last.push_str(piece);
            }
            _ => fields.push(piece.to_string()),
        }
    }
    for field in &fields {
        let Some((name, value)) = field.split_once(is_colon) else {
            continue;
        };
        if person_field(name).is_some() {
            continue;
        }
        let units = || -> Vec<String> {
            value
                .split(['、', '，', ','])
                .map(|u| u.trim().trim_end_matches(['。', '等']).to_string())
                .filter(|u| has_content(u))
                .collect()
        };
        if name.contains("牵头") || name.contains("责任") {
            lead.extend(units());
        } else if name.contains("配合") || name.contains("协同") {
            co.extend(units());
        } else if name.contains("时限") || name.contains("时间") {
            due = Some(value.trim().to_string());
        }
    }
    (lead, co, due)
}

/// A clause that names who leads: "由X牵头" "X负责".
fn is_lead_clause(c: &str) -> bool {
    let c = c.trim();
    ["牵头", "负责"].iter().any(|e| c.ends_with(e)) && c.chars().count() > 2
}

/// A clause that only names who leads, who helps, or by when: "由X牵头" "Y等配合"
/// "按职责分工负责" "2025年9月底前完成" "长期坚持".
fn is_duty_clause(c: &str) -> bool {
    let c = c.trim();
    let n = c.chars().count();
    if n == 0 {
        return true;
    }
    if n > 40 {
        return false;
    }
    const ENDS: [&str; 6] = ["牵头", "配合", "协同", "协助", "负责", "参与"];
    if ENDS.iter().any(|e| c.ends_with(e)) {
        return true;
    }
    if DUTY_FIELDS.iter().any(|f| c.starts_with(f)) {
        return true;
    }
    if CONTINUOUS_PHRASES.contains(&c) {
        return true;
    }
    n <= 16 && c.ends_with("完成") && deadline_for(c, 2000).text.is_some()
}

/// True for a sentence that only says who leads and by when: it is not a commitment, it sets
/// the owner and deadline of the other sentences of its item.
pub fn is_duty_sentence(s: &str) -> bool {
    let t = s.trim().trim_end_matches(['。', '；', ';']);
    if let Some((a, b)) = duty_bracket(t) {
        if a == 0 && b == t.len() {
            return true;
        }
    }
    if !has_content(t) {
        return false;
    }
    let clauses: Vec<&str> = t.split(['，', ',', '；', ';']).collect();
    if clauses.iter().all(|c| is_duty_clause(c)) {
        return true;
    }
    // "由法规科牵头，执法大队配合，2025年3月底前完成计划编制": after a lead clause, a deadline
    // clause may name in a word or two what is to be finished; the sentence still only sets
    // owner and deadline for the item's content sentence.
    let leads = clauses
        .iter()
        .any(|c| c.trim().starts_with('由') && is_duty_clause(c));
    leads
        && clauses
            .iter()
            .all(|c| is_duty_clause(c) || is_short_deadline_clause(c))
}

/// "2025年3月底前完成计划编制": a deadline, "前完成", then at most a few characters. Other
/// verbs name a deliverable of their own ("6月底前出台实施方案" is a commitment).
fn is_short_deadline_clause(c: &str) -> bool {
    let c = c.trim();
    let Some(i) = c.rfind('前') else {
        return false;
    };
    let after = c.get(i + '前'.len_utf8()..).unwrap_or("");
    after.chars().count() <= 6
        && after.starts_with("完成")
        && deadline_for(c.get(..i + '前'.len_utf8()).unwrap_or(""), 2000)
            .text
            .is_some()
}

/// Words of recurring work.
const RECURRING: [&str; 8] = [
    "每季度",
    "每个季度",
    "每半年",
    "每学期",
    "每月",
    "每年",
    "每周",
    "每两年",
];

/// The recurring-work words a sentence uses ("每季度"), if any.
pub fn recurring(s: &str) -> Option<String> {
    RECURRING
        .iter()
        .filter_map(|w| s.find(w).map(|i| (i, *w)))
        .min()
        .map(|(_, w)| w.to_string())
}

/// True for a sentence that introduces what follows ("…重点抓好以下工作：").
pub fn is_intro(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with(|c: char| is_colon(c))
        || t.contains("如下")
        || t.match_indices("以下").any(|(i, _)| !bounds_a_figure(t, i))
}

/// True when the "以下" at byte `i` closes a figure or a rank ("35岁以下", "5万元以下",
/// "县级以下") rather than announcing a list ("抓好以下工作").
fn bounds_a_figure(t: &str, i: usize) -> bool {
    let before: Vec<char> = t.get(..i).unwrap_or("").chars().rev().take(3).collect();
    before.first() == Some(&'级')
        || before.iter().any(|&c| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || "一二三四五六七八九十百千万两".contains(c)
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn texts<'a>(p: &'a str, r: &[(usize, usize)]) -> Vec<&'a str> {
        r.iter().map(|&(a, b)| &p[a..b]).collect()
    }

    #[test]
    fn sentences_keep_closing_marks() {
        let p = "开展“法治第一课。”活动。 第二句";
        assert_eq!(
            texts(p, &sentence_spans(p)),
            ["开展“法治第一课。”", "活动。", "第二句"]
        );
    }

    #[test]
    fn points() {
        let p = "存在一些短板：A一；B二；C三。其他。";
        assert_eq!(texts(p, &listed_points(p, false)), ["A一", "B二", "C三"]);
        let p = "问题：一是甲；二是乙。原因在于丙。";
        assert_eq!(texts(p, &listed_points(p, true)), ["甲", "乙"]);
        let p = "①年内培训执法人员；②6月底前完成换证；③每季度评查。";
        assert_eq!(
            texts(p, &ordinal_points(p)),
            ["年内培训执法人员", "6月底前完成换证", "每季度评查"]
        );
    }

    #[test]
    fn intros() {
        assert!(is_intro("2025年，我局将重点抓好以下工作。"));
        assert!(is_intro("主要执法数据如下。"));
        assert!(is_intro("还存在一些短板："));
        assert!(!is_intro(
            "执法人员年龄结构偏大，35岁以下执法人员不足两成。"
        ));
        assert!(!is_intro("对罚款5万元以下的案件实行简易程序。"));
        assert!(!is_intro("科级以下干部轮训全覆盖。"));
    }

    #[test]
    fn duty() {
        assert!(is_duty_sentence(
            "由县司法局牵头，县委编办、各乡镇政府配合，2025年6月底前完成。"
        ));
        assert!(is_duty_sentence(
            "（牵头单位：县司法局；配合单位：各乡镇人民政府；完成时限：2026年12月底前）"
        ));
        assert!(is_duty_sentence("由县司法局负责，长期坚持。"));
        assert!(is_duty_sentence(
            "由法规科牵头，执法大队配合，2025年3月底前完成计划编制。"
        ));
        assert!(!is_duty_sentence("2025年3月底前完成计划编制。"));
        assert!(!is_duty_sentence("由区司法局负责，6月底前出台实施方案。"));
        assert!(is_duty_sentence("（县数据局负责）"));
        let s = "年内培训执法人员200人（县司法局牵头，各乡镇配合）。";
        let (a, b) = duty_bracket(s).unwrap();
        assert_eq!(&s[a..b], "（县司法局牵头，各乡镇配合）");
        assert_eq!(duty_bracket("建成平台（2025年）。"), None);
        assert!(!is_duty_sentence(
            "由法规科牵头，2025年3月底前完成全市执法检查计划的编制和公布工作。"
        ));
        assert!(is_duty_sentence("局网监科牵头，2025年9月底前完成。"));
        assert!(!is_duty_sentence(
            "县司法局牵头，各执法部门配合，二季度建立行政执法监督员制度。"
        ));
        assert!(!is_duty_sentence("压实各部门负责人责任。"));
        assert!(!is_duty_sentence("加强部门协同配合，形成工作合力。"));
        let b =
            "（牵头单位：县司法局；配合单位：县政府办公室、县财政局等；完成时限：2026年6月底前）";
        assert_eq!(
            bracket_fields(b),
            (
                vec!["县司法局".to_string()],
                vec!["县政府办公室".to_string(), "县财政局".to_string()],
                Some("2026年6月底前".to_string())
            )
        );
        assert_eq!(
            bracket_fields("（责任单位：区司法局，区财政局，完成时限：2025年10月）"),
            (
                vec!["区司法局".to_string(), "区财政局".to_string()],
                vec![],
                Some("2025年10月".to_string())
            )
        );
    }
}

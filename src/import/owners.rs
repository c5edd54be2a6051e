//! Responsible units named in a commitment sentence.
//!
//! Ledgers write owners as "A牵头，B、C按职责分工负责": A leads, B and C cooperate. Reports
//! sometimes put the same words into the commitment itself ("由区司法局牵头，区市场监管局、
//! 区城管局按职责分工负责"), and then the ledger row can be filled in at import.

use crate::import::text::is_clause_break;

/// Words that introduce the co-owners after the lead unit.
const CO_OWNER_VERBS: [&str; 8] = [
    "按职责分工负责",
    "按照职责分工负责",
    "按职责分工",
    "按职能分工负责",
    "共同负责",
    "配合",
    "协同",
    "协助",
];

/// A unit name is short and has no sentence punctuation; longer spans are prose, not names.
fn unit_name(s: &str) -> Option<String> {
    let s = s.trim();
    let len = s.chars().count();
    if (2..=30).contains(&len) && !s.chars().any(is_clause_break) {
        Some(s.to_string())
    } else {
        None
    }
}

/// The clause that ends right before byte offset `end`: back to the previous comma, semicolon,
/// colon or full stop.
fn clause_before(s: &str, end: usize) -> &str {
    let head = s.get(..end).unwrap_or("");
    // An opening bracket still open starts a clause too: "…200人（县司法局牵头，…）"; a closed
    // one is part of a unit's name ("各镇（街道）").
    let open_bracket = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| !matches!(c, '）' | ')'))
        .find(|&(_, c)| matches!(c, '（' | '('))
        .map(|(i, _)| i);
    match head
        .char_indices()
        .rev()
        .find(|&(i, c)| is_clause_break(c) || Some(i) == open_bracket)
    {
        Some((i, c)) => head.get(i + c.len_utf8()..).unwrap_or(""),
        None => head,
    }
}

/// Strips the words that introduce the lead unit: "由区司法局" → "区司法局".
fn after_you(clause: &str) -> &str {
    match clause.rfind('由') {
        Some(i) => clause.get(i + '由'.len_utf8()..).unwrap_or(""),
        None => clause,
    }
}

/// Units listed with "、"; a closing "等" ("县交通运输局等") is not part of the last name.
fn split_units(s: &str) -> Vec<String> {
    let s = s.trim();
    let s = if s.chars().count() > 3 {
        s.strip_suffix('等').unwrap_or(s)
    } else {
        s
    };
    s.split('、').filter_map(unit_name).collect()
}

/// Finds the lead unit and co-owners named in a sentence.
pub fn owners(sentence: &str) -> (Option<String>, Vec<String>) {
    let (lead_span, after) = if let Some(pos) = sentence.find("牵头") {
        let clause = clause_before(sentence, pos);
        let lead = after_you(clause);
        let lead = lead.trim_end_matches("共同").trim_end_matches("负责");
        (Some(lead), pos + "牵头".len())
    } else if let Some(pos) = sentence.find("负责") {
        // "由区司法局负责" names one responsible unit; without "由" the clause is prose
        // ("各部门负责人") and is not read as an owner, unless 负责 ends the clause
        // ("县司法局、县纪委监委按职责分工负责，…", "（县数据局负责）").
        let clause = clause_before(sentence, pos);
        let after = pos + "负责".len();
        let ends_clause = sentence
            .get(after..)
            .and_then(|t| t.chars().next())
            .is_none_or(|c| is_clause_break(c) || matches!(c, '）' | ')'));
        if clause.contains('由') {
            (Some(after_you(clause)), after)
        } else if ends_clause {
            let units = ["按照职责分工", "按职责分工", "按职能分工", "共同"]
                .iter()
                .fold(clause, |c, v| c.trim_end_matches(v));
            (Some(units), after)
        } else {
            (None, 0)
        }
    } else {
        (None, 0)
    };
    let Some(lead_span) = lead_span else {
        return (None, Vec::new());
    };
    let mut units = split_units(lead_span);
    if units.is_empty() {
        return (None, Vec::new());
    }
    let owner = units.remove(0);
    let mut co = units;
    let tail = sentence.get(after..).unwrap_or("");
    let verb = CO_OWNER_VERBS.iter().filter_map(|v| tail.find(v)).min();
    if let Some(pos) = verb {
        let clause = clause_before(tail, pos);
        let clause = clause.trim_start_matches('由');
        co.extend(split_units(clause));
    }
    co.retain(|u| *u != owner);
    (Some(owner), co)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn lead_and_co_owners() {
        let (o, co) = owners("由区司法局牵头，区市场监管局、区城管局按职责分工负责。");
        assert_eq!(o.as_deref(), Some("区司法局"));
        assert_eq!(co, vec!["区市场监管局", "区城管局"]);
        let (o, co) = owners("区发改委牵头，区财政局配合，年底前完成。");
        assert_eq!(o.as_deref(), Some("区发改委"));
        assert_eq!(co, vec!["区财政局"]);
        let (o, co) = owners("建立联席会议制度，由区政务办负责。");
        assert_eq!(o.as_deref(), Some("区政务办"));
        let (o, co2) = owners("县司法局、县纪委监委按职责分工负责，2025年10月底前完成。");
        assert_eq!(o.as_deref(), Some("县司法局"));
        assert_eq!(co2, vec!["县纪委监委"]);
        let (o, co2) = owners("年内培训执法人员200人（县司法局牵头，各乡镇配合）");
        assert_eq!(o.as_deref(), Some("县司法局"));
        assert_eq!(co2, vec!["各乡镇"]);
        assert_eq!(owners("（县数据局负责）").0.as_deref(), Some("县数据局"));
        assert_eq!(owners("落实行政机关负责人出庭应诉制度").0, None);
        assert!(co.is_empty());
        let (o, co) = owners("区司法局、区信访局共同牵头推进。");
        assert_eq!(o.as_deref(), Some("区司法局"));
        assert_eq!(co, vec!["区信访局"]);
    }

    #[test]
    fn no_owner() {
        assert_eq!(owners("加强队伍建设。"), (None, Vec::new()));
        assert_eq!(owners("压实各部门负责人责任。"), (None, Vec::new()));
        assert_eq!(owners("牵头"), (None, Vec::new()));
    }
}

//! Suggested links from commitments to the shortcomings they address.
//!
//! A commitment and a shortcoming are suggested as linked when they share a specific phrase of
//! at least four Chinese characters, such as "执法质量". Phrases every report repeats
//! ("法治政府建设", "有待进一步") would link everything to everything, so they are cut out
//! before comparing. The suggestions are only suggestions: the user confirms them.

use serde::Serialize;

use crate::import::parse::ParsedReport;
use crate::import::text::is_cjk;

/// A suggested link from a commitment to a shortcoming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkSuggestion {
    /// Reference of the commitment ("2025-C3.1").
    pub commitment_ref: String,
    /// Reference of the shortcoming ("2024-S3").
    pub shortcoming_ref: String,
    /// The shared phrase that suggests the link.
    pub phrase: String,
}

/// Minimum length of a shared phrase, in characters.
pub const MIN_PHRASE_CHARS: usize = 4;

/// Generic phrases of the genre that say nothing about what a task is about.
pub const STOP_PHRASES: [&str; 35] = [
    "行政执法",
    "法治思维",
    "法治方式",
    "法治政府建设",
    "法治政府",
    "法治建设",
    "依法行政",
    "有待进一步",
    "进一步",
    "持续推进",
    "全面推进",
    "深入推进",
    "加快推进",
    "扎实推进",
    "不断提升",
    "有待提升",
    "有待加强",
    "有待提高",
    "仍需加强",
    "还不够到位",
    "不够到位",
    "尚未完全",
    "各项工作",
    "各项任务",
    "工作机制",
    "人民群众",
    "新要求",
    "高质量发展",
    "习近平法治思想",
    "党政主要负责人",
    "第一责任人",
    "取得积极成效",
    "切实增强",
    "多措并举",
    "贯彻落实",
];

/// Characters that make a phrase start or end on a function word rather than on content.
fn is_function_char(c: char) -> bool {
    matches!(
        c,
        '的' | '和'
            | '与'
            | '及'
            | '等'
            | '对'
            | '在'
            | '是'
            | '了'
            | '为'
            | '将'
            | '并'
            | '也'
            | '还'
    )
}

/// Most cells the longest-common-substring tables may use in one call. Real reports need a few
/// hundred thousand; the cap keeps pathological inputs from taking minutes.
const CELL_BUDGET: usize = 20_000_000;

/// Suggests commitment → shortcoming links, at most one per pair, with the longest specific
/// phrase they share.
pub fn suggest_links(r: &ParsedReport) -> Vec<LinkSuggestion> {
    let mut out = Vec::new();
    let mut budget = CELL_BUDGET;
    let shortcomings: Vec<(&str, Vec<char>)> = r
        .shortcomings
        .iter()
        .map(|s| (s.r#ref.as_str(), s.body.chars().collect()))
        .collect();
    for area in &r.plans {
        for c in &area.items {
            let cc: Vec<char> = c.body.chars().collect();
            for (sref, sc) in &shortcomings {
                let cost = cc.len().saturating_mul(sc.len());
                if cost > budget {
                    return out;
                }
                budget -= cost;
                if let Some(phrase) = best_phrase(&cc, sc) {
                    out.push(LinkSuggestion {
                        commitment_ref: c.r#ref.clone(),
                        shortcoming_ref: (*sref).to_string(),
                        phrase,
                    });
                }
            }
        }
    }
    out
}

/// The longest specific phrase two texts share, if any.
fn best_phrase(a: &[char], b: &[char]) -> Option<String> {
    let mut best: Option<String> = None;
    for run in common_runs(a, b) {
        for piece in specific_pieces(&run) {
            let longer = best
                .as_ref()
                .is_none_or(|cur| piece.chars().count() > cur.chars().count());
            if longer {
                best = Some(piece);
            }
        }
    }
    best
}

/// Every maximal run of CJK characters common to both texts, at least
/// [`MIN_PHRASE_CHARS`] long, via the classic dynamic programme over one row at a time.
fn common_runs(a: &[char], b: &[char]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (ca, cb) = match (a.get(i - 1), b.get(j - 1)) {
                (Some(x), Some(y)) => (*x, *y),
                _ => continue,
            };
            let v = if ca == cb && is_cjk(ca) {
                prev.get(j - 1).copied().unwrap_or(0) + 1
            } else {
                0
            };
            if let Some(slot) = cur.get_mut(j) {
                *slot = v;
            }
        }
        // A run ends at (i, j) when it cannot be extended diagonally at (i+1, j+1).
        for j in 1..=b.len() {
            let len = cur.get(j).copied().unwrap_or(0);
            if len < MIN_PHRASE_CHARS {
                continue;
            }
            let extends = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x == y && is_cjk(*x),
                _ => false,
            };
            if !extends {
                if let Some(chars) = a.get(i - len..i) {
                    runs.push(chars.iter().collect());
                }
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    runs.sort();
    runs.dedup();
    runs
}

/// Cuts the generic phrases out of a shared run and trims function words from the ends of what
/// remains, keeping the pieces that are still long enough.
fn specific_pieces(run: &str) -> Vec<String> {
    let mut pieces = vec![run.to_string()];
    for stop in STOP_PHRASES {
        pieces = pieces
            .iter()
            .flat_map(|p| p.split(stop).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    pieces
        .into_iter()
        .map(|p| p.trim_matches(is_function_char).to_string())
        .filter(|p| p.chars().count() >= MIN_PHRASE_CHARS)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn shared_specific_phrase() {
        let a = chars("实施提升行政执法质量三年行动计划，规范涉企行政检查。");
        let b = chars("执法质量有待进一步提升，个别地区和部门执行还不够到位");
        assert_eq!(best_phrase(&a, &b).as_deref(), Some("执法质量"));
    }

    #[test]
    fn generic_phrases_do_not_link() {
        let a = chars("加快推进法治政府建设各项任务。");
        let b = chars("法治政府建设深度有待进一步拓展");
        assert_eq!(best_phrase(&a, &b), None);
        let a = chars("推进法治建设第一责任人职责。");
        let b = chars("基层法治建设较为薄弱");
        assert_eq!(best_phrase(&a, &b), None);
    }

    #[test]
    fn pieces_trim_function_words() {
        assert_eq!(specific_pieces("的基层执法队伍"), vec!["基层执法队伍"]);
        assert!(specific_pieces("法治政府建设的").is_empty());
    }
}

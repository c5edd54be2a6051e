//! Stage one, first half: each line of the report is read once into a list marker (which
//! family, which number) and the text after it. Everything later works on these lexed lines
//! and never looks at a line's first characters again.
//!
//! Reports number their outline with many families: "一、" "（一）" "1." "（1）" "①"
//! "第一部分" "第一，" "其一，" "一是" "一方面" "首先，". Which family nests inside which differs
//! from report to report, so the lexer only names the family; the outline builder decides the
//! nesting from the order in which families appear.

use serde::Serialize;

use crate::import::text::{heading, is_clause_break, leading_cn_number, Marker};

/// A family of list markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Family {
    /// "一、"
    CnTop,
    /// "（一）" or "(一)"
    CnParen,
    /// "1." "1、" "１．"
    Arabic,
    /// "（1）" or "(1)"
    ArabicParen,
    /// "①"
    Circled,
    /// "第一部分"
    Part,
    /// "第一，" "第二、"
    Ordinal,
    /// "其一，"
    Qi,
    /// "一是" at the start of a line
    Shi,
    /// "一方面，" "另一方面，"
    Fangmian,
    /// "首先，" "其次，" "再次，" "最后，"
    Sequence,
}

impl Family {
    /// How the family is written, for `--explain`.
    pub fn sample(self) -> &'static str {
        match self {
            Family::CnTop => "一、",
            Family::CnParen => "（一）",
            Family::Arabic => "1.",
            Family::ArabicParen => "（1）",
            Family::Circled => "①",
            Family::Part => "第一部分",
            Family::Ordinal => "第一，",
            Family::Qi => "其一，",
            Family::Shi => "一是",
            Family::Fangmian => "一方面",
            Family::Sequence => "首先，",
        }
    }
}

/// One non-empty line of the report.
#[derive(Debug, Clone, Copy)]
pub struct Lexed<'a> {
    /// 1-based line number in the file.
    pub no: usize,
    /// The line, trimmed.
    pub raw: &'a str,
    /// The marker's family, if the line starts with one.
    pub family: Option<Family>,
    /// The number the marker carries (0 without a marker).
    pub number: u32,
    /// The text after the marker (the whole line without one).
    pub text: &'a str,
}

/// Punctuation that may follow a word marker ("第一，" "首先：").
fn strip_marker_punct(s: &str) -> &str {
    s.trim_start_matches(['，', ',', '、', '：', ':', ' ', '\u{3000}'])
}

/// "第一部分" › ("第一部分", rest); "第一，" › ordinal.
fn di(line: &str) -> Option<(Family, u32, &str)> {
    let after = line.strip_prefix('第')?;
    let (n, used) = leading_cn_number(after)?;
    let rest = after.get(used..)?;
    if let Some(r) = rest.strip_prefix("部分") {
        return Some((Family::Part, n, strip_marker_punct(r)));
    }
    let c = rest.chars().next()?;
    if matches!(c, '，' | ',' | '、') {
        return Some((Family::Ordinal, n, strip_marker_punct(rest)));
    }
    None
}

/// "其一，" "其二、".
fn qi(line: &str) -> Option<(Family, u32, &str)> {
    let after = line.strip_prefix('其')?;
    let (n, used) = leading_cn_number(after)?;
    let rest = after.get(used..)?;
    let c = rest.chars().next()?;
    if matches!(c, '，' | ',' | '、' | '是') {
        let rest = rest.strip_prefix('是').unwrap_or(rest);
        return Some((Family::Qi, n, strip_marker_punct(rest)));
    }
    None
}

/// "一是…" at the start of a line, unless the same line goes on with "二是" (then the line is
/// one paragraph listing several points, read by the shortcoming rules).
fn shi(line: &str) -> Option<(Family, u32, &str)> {
    let (n, used) = leading_cn_number(line)?;
    let rest = line.get(used..)?.strip_prefix('是')?;
    if rest.is_empty() || rest.starts_with(|c: char| is_clause_break(c)) {
        return None;
    }
    let next = crate::import::clauses::ordinal_word(n + 1);
    let inline = next.as_deref().is_some_and(|w| {
        rest.match_indices(w).any(|(i, _)| {
            rest.get(..i)
                .and_then(|h| h.chars().next_back())
                .is_some_and(is_clause_break)
        })
    });
    if inline {
        return None;
    }
    Some((Family::Shi, n, strip_marker_punct(rest)))
}

fn word_marker(line: &str) -> Option<(Family, u32, &str)> {
    const WORDS: [(&str, Family, u32); 7] = [
        ("一方面", Family::Fangmian, 1),
        ("另一方面", Family::Fangmian, 2),
        ("首先", Family::Sequence, 1),
        ("其次", Family::Sequence, 2),
        ("再次", Family::Sequence, 3),
        ("然后", Family::Sequence, 4),
        ("最后", Family::Sequence, 9),
    ];
    for (w, f, n) in WORDS {
        if let Some(rest) = line.strip_prefix(w) {
            // The word is a marker only when a comma follows it: "首先要…" is prose.
            if rest.starts_with(['，', ',']) {
                return Some((f, n, strip_marker_punct(rest)));
            }
        }
    }
    None
}

/// Lexes one trimmed, non-empty line.
pub fn lex_line(no: usize, raw: &str) -> Lexed<'_> {
    let plain = Lexed {
        no,
        raw,
        family: None,
        number: 0,
        text: raw,
    };
    // A row of a tab-separated table is text of the item it sits in, whatever it starts with.
    if raw.contains('\t') {
        return plain;
    }
    if let Some(h) = heading(raw) {
        let family = match h.marker {
            Marker::CnTop => Family::CnTop,
            Marker::CnParen => Family::CnParen,
            Marker::Arabic => Family::Arabic,
            Marker::ArabicParen => Family::ArabicParen,
            Marker::Circled => Family::Circled,
        };
        return Lexed {
            family: Some(family),
            number: h.number,
            text: h.rest,
            ..plain
        };
    }
    let found = di(raw)
        .or_else(|| qi(raw))
        .or_else(|| shi(raw))
        .or_else(|| word_marker(raw));
    match found {
        Some((family, number, text)) => Lexed {
            family: Some(family),
            number,
            text,
            ..plain
        },
        None => plain,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn fam(s: &str) -> (Option<Family>, u32, &str) {
        let l = lex_line(1, s);
        (l.family, l.number, l.text)
    }

    #[test]
    fn every_family() {
        assert_eq!(fam("一、深化改革"), (Some(Family::CnTop), 1, "深化改革"));
        assert_eq!(fam("（二）规范"), (Some(Family::CnParen), 2, "规范"));
        assert_eq!(fam("１．压茬"), (Some(Family::Arabic), 1, "压茬"));
        assert_eq!(fam("（3）建立"), (Some(Family::ArabicParen), 3, "建立"));
        assert_eq!(fam("②推进"), (Some(Family::Circled), 2, "推进"));
        assert_eq!(
            fam("第二部分 存在的问题"),
            (Some(Family::Part), 2, "存在的问题")
        );
        assert_eq!(
            fam("第三，规范执法"),
            (Some(Family::Ordinal), 3, "规范执法")
        );
        assert_eq!(fam("其二，新业态"), (Some(Family::Qi), 2, "新业态"));
        assert_eq!(
            fam("四是公共法律服务"),
            (Some(Family::Shi), 4, "公共法律服务")
        );
        assert_eq!(
            fam("另一方面，行政执法"),
            (Some(Family::Fangmian), 2, "行政执法")
        );
        assert_eq!(fam("最后，深化"), (Some(Family::Sequence), 9, "深化"));
        assert_eq!(
            fam("二 、存在的问题"),
            (Some(Family::CnTop), 2, "存在的问题")
        );
        assert_eq!(
            fam("（ 三 ）规范执法"),
            (Some(Family::CnParen), 3, "规范执法")
        );
        assert_eq!(
            fam("1.2024年法治政府建设主要工作"),
            (Some(Family::Arabic), 1, "2024年法治政府建设主要工作")
        );
    }

    #[test]
    fn prose_is_not_a_marker() {
        assert_eq!(fam("第一责任人职责").0, None);
        assert_eq!(fam("首先要加强").0, None);
        assert_eq!(fam("一是基层力量薄弱；二是信息化水平不高。").0, None);
        assert_eq!(fam("统一是前提").0, None);
        assert_eq!(fam("1\t行政处罚\t1326").0, None);
        assert_eq!(fam("其中，区级").0, None);
        assert_eq!(fam("1.5亿元用于执法装备").0, None);
    }
}

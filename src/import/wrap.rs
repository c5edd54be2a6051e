//! Reports copied out of a PDF (or a fixed-width text export) break every line at the page
//! width, in the middle of sentences. Read line by line, each piece would be a sentence of its
//! own: a plan sentence split over two lines became two commitments, each with half a
//! deadline. Such a text is recognised by many lines that fill the width and stop without
//! ending their sentence; those lines are joined with the line after them before anything
//! else reads the text.

use crate::import::text::{heading, Marker};

/// Display width: Chinese characters and full-width forms take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Punctuation that ends a sentence, a list item or a heading introduction.
fn ends_sentence(s: &str) -> bool {
    s.ends_with([
        '。', '；', ';', '：', ':', '！', '？', '!', '?', '”', '’', '）', ')', '」', '》',
    ])
}

/// The narrowest page a hard-wrapped report is taken to have: 20 Chinese characters.
const MIN_WRAP_WIDTH: usize = 40;

/// How many lines must fill the width without ending a sentence before the text is taken as
/// hard-wrapped; a report with a few long headings is not.
const MIN_WRAPPED_LINES: usize = 3;

/// Joins lines broken at the page width. Returns the text with those lines joined and, for
/// each line of it, the 1-based number of the source line it starts on. A text that is not
/// hard-wrapped comes back unchanged.
pub fn unwrap_lines(text: &str) -> (String, Vec<usize>) {
    let lines: Vec<&str> = text.split('\n').collect();
    let widths: Vec<usize> = lines.iter().map(|l| width(l.trim())).collect();
    let page = lines
        .iter()
        .zip(&widths)
        .filter(|(l, _)| !l.contains('\t'))
        .map(|(_, &w)| w)
        .max()
        .unwrap_or(0);
    let full = |i: usize| -> bool {
        let Some(l) = lines.get(i).map(|l| l.trim()) else {
            return false;
        };
        let w = widths.get(i).copied().unwrap_or(0);
        w >= MIN_WRAP_WIDTH && w + 3 >= page && !l.contains('\t') && !ends_sentence(l)
    };
    let wrapped = (0..lines.len()).filter(|&i| full(i)).count() >= MIN_WRAPPED_LINES;
    if !wrapped {
        return (text.to_string(), (1..=lines.len()).collect());
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut numbers = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut joined = lines.get(i).map_or("", |l| l.trim_end()).to_string();
        let first = i;
        while full(i) {
            let Some(next) = lines.get(i + 1).map(|l| l.trim()) else {
                break;
            };
            // An empty line ends a paragraph; a part or section marker starts a new one.
            let opens_part =
                heading(next).is_some_and(|h| matches!(h.marker, Marker::CnTop | Marker::CnParen));
            if next.is_empty() || opens_part {
                break;
            }
            joined.push_str(next);
            i += 1;
        }
        out.push(joined);
        numbers.push(first + 1);
        i += 1;
    }
    (out.join("\n"), numbers)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn joins_lines_broken_at_the_page_width() {
        let text = "一、2026年工作打算\n\
                    （一）提升依法决策水平。严格执行重大行政决策事项目录管理，年内选取2\n\
                    项已实施决策开展后评估。\n\
                    （二）健全行政执法协调监督体系。建成县乡两级行政执法协调监督工作体系\n\
                    ，每半年开展一次行政执法质量评查。\n\
                    （三）加强基层法治队伍建设。推动各乡镇配备专职法治审核人员，到2026\n\
                    年底前实现全覆盖。";
        let (t, n) = unwrap_lines(text);
        let lines: Vec<&str> = t.split('\n').collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[1],
            "（一）提升依法决策水平。严格执行重大行政决策事项目录管理，年内选取2项已实施决策开展后评估。"
        );
        assert_eq!(n, [1, 2, 4, 6]);
    }

    #[test]
    fn leaves_a_text_without_wrapping_alone() {
        let text = "一、主要成效\n（一）深化改革。完成机构改革，全面推行权责清单制度，动态调整事项4321项\n（二）规范执法。";
        let (t, n) = unwrap_lines(text);
        assert_eq!(t, text);
        assert_eq!(n, [1, 2, 3]);
    }
}

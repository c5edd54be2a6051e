//! Where the body of a report is: after the page chrome, title and salutation at the top, and
//! before the closing formula, signature, date, attachments and page chrome at the bottom.
//! Reports copied from a government web page carry navigation, metadata and footer lines at
//! both ends; none of them is report text.

use chrono::NaiveDate;

use crate::import::text::{date_line, heading, is_clause_break, is_colon, trim_trailing_punct};

/// Web-page lines that are never report text, by how they start.
const CHROME_PREFIXES: [&str; 43] = [
    "您当前的位置",
    "您现在的位置",
    "当前位置",
    "首页",
    "发布时间",
    "发布日期",
    "发布机构",
    "发文机关",
    "发文日期",
    "成文日期",
    "信息来源",
    "文章来源",
    "来源：",
    "来源:",
    "浏览次数",
    "阅读次数",
    "点击数",
    "字号",
    "【字体",
    "字体：",
    "索引号",
    "主题分类",
    "【打印",
    "分享到",
    "上一篇",
    "下一篇",
    "主办单位",
    "承办单位",
    "网站标识码",
    "版权所有",
    // The metadata table of a government disclosure page (政府信息公开): one field a line.
    "生成日期",
    "文号：",
    "文号:",
    "标题：",
    "标题:",
    "主题词",
    "公开方式",
    "公开范围",
    "有效性：",
    "扫一扫",
    "联系电话",
    "主办：",
    "主办:",
];

/// Web-page words that make a line chrome wherever they stand in it.
const CHROME_WORDS: [&str; 12] = [
    "首页>",
    "首页»",
    "首页＞",
    "此件公开发布",
    "关闭窗口",
    "打印本页",
    "ICP备",
    "公网安备",
    "网站标识码",
    "技术支持：",
    "网站地图",
    "索引号",
];

/// A page number left by a copy from Word or PDF ("— 3 —", "-3-", "第3页 共12页"): print
/// chrome, wherever it stands.
fn is_page_number(compact: &str) -> bool {
    let digits = compact
        .chars()
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count();
    (1..=6).contains(&digits)
        && compact.chars().all(|c| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(
                    c,
                    '—' | '-' | '－' | '–' | '─' | '第' | '页' | '共' | '/' | '／'
                )
        })
        && (digits <= 3 || compact.contains('页'))
}

/// A line of web-page chrome.
pub fn is_chrome(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    is_page_number(&compact)
        || CHROME_PREFIXES.iter().any(|p| compact.starts_with(p))
        || CHROME_WORDS.iter().any(|w| compact.contains(w))
        // The site's name above the page ("安平县人民政府门户网站").
        || (compact.chars().count() <= 30 && compact.ends_with("网站"))
        || compact == "打印"
        || compact == "【打印】"
}

fn is_closing(line: &str) -> bool {
    let t = trim_trailing_punct(line);
    t.starts_with("特此报告") || t == "以上报告" || t.starts_with("附件")
}

/// A signature line: a short organisation name without punctuation.
pub fn is_signature(line: &str) -> bool {
    const SUFFIXES: [&str; 8] = ["政府", "委员会", "办公室", "管委会", "局", "委", "厅", "办"];
    let n = line.chars().count();
    (3..=30).contains(&n)
        && heading(line).is_none()
        && !line
            .chars()
            .any(|c| is_clause_break(c) || c == '、' || c == '.')
        && SUFFIXES.iter().any(|s| line.ends_with(s))
}

/// The block at the end of the report.
pub struct Tail {
    /// Index of its first line.
    pub start: usize,
    pub issuer: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Reads the block at the end: closing formula, signature, date, attachment lines and page
/// chrome. Chrome lines do not count towards the few lines a signature block can have, so a
/// long web-page footer does not hide the date.
pub fn read_tail(lines: &[&str]) -> Tail {
    let mut start = lines.len();
    let mut issuer: Option<String> = None;
    let mut date = None;
    let mut seen = 0;
    // Lines after an attachment line ("附件：1.…表") name attachments, not report text.
    let attachment = lines
        .iter()
        .enumerate()
        .rev()
        .take(24)
        .filter(|(_, l)| trim_trailing_punct(l).starts_with("附件"))
        .map(|(i, _)| i)
        .min();
    for (i, line) in lines.iter().enumerate().rev() {
        if is_chrome(line) || attachment.is_some_and(|a| i >= a && !line.contains('。')) {
            start = i;
            continue;
        }
        seen += 1;
        if seen > 8 {
            break;
        }
        if is_closing(line) {
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

/// The block at the top.
pub struct Header {
    /// Index of the first body line.
    pub end: usize,
    pub title: Option<String>,
    pub issuer: Option<String>,
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
pub fn read_header(lines: &[&str]) -> Header {
    let mut title: Option<String> = None;
    let mut issuer = None;
    let mut pending_org: Option<usize> = None;
    let mut end = 0;
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate() {
        if is_chrome(line) {
            end = i + 1;
            continue;
        }
        seen += 1;
        if seen > 8 {
            break;
        }
        if date_line(line).is_some() {
            end = i + 1;
        } else if title.is_none() && is_title(line) {
            let mut t = (*line).to_string();
            if let Some(org) = pending_org.take().and_then(|k| lines.get(k)) {
                if line.starts_with("关于") {
                    t = format!("{org}{line}");
                }
                issuer = Some((*org).to_string());
            } else if let Some(pos) = line.find("关于") {
                let org = line.get(..pos).unwrap_or("");
                if is_signature(org) {
                    issuer = Some(org.to_string());
                }
            }
            title = Some(t);
            end = i + 1;
        } else if title.is_none() && pending_org.is_none() && is_signature(line) {
            pending_org = Some(i);
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
        if let Some(k) = pending_org {
            if k + 1 == end {
                end = k;
            }
        }
    }
    Header { end, title, issuer }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn web_footer_does_not_hide_the_date() {
        let lines = [
            "一、工作安排",
            "推进依法行政。",
            "白水县人民政府",
            "2026年2月10日",
            "附件：白水县考核指标完成情况表",
            "【打印本页】【关闭窗口】",
            "分享到：",
            "上一篇：白水县2024年法治政府建设年度报告",
            "下一篇：关于公开征求意见的公告",
            "主办单位：白水县人民政府办公室　承办单位：白水县大数据中心",
            "网站标识码：3201000011　苏ICP备05003456号-1",
            "苏公网安备 32010002000123号",
        ];
        let t = read_tail(&lines);
        assert_eq!(t.start, 2);
        assert_eq!(t.issuer.as_deref(), Some("白水县人民政府"));
        assert_eq!(t.date, NaiveDate::from_ymd_opt(2026, 2, 10));
    }

    #[test]
    fn web_header_is_cut() {
        let lines = [
            "首页 > 政务公开 > 年度报告",
            "索引号：113200/2026-00012　　主题分类：政府法制",
            "来源：白水县司法局　　发布时间：2026-02-10 15:30　　浏览次数：1287",
            "字号：大 中 小",
            "白水县2025年法治政府建设年度报告",
            "2025年，白水县…。",
        ];
        let h = read_header(&lines);
        assert_eq!(h.end, 5);
        assert_eq!(h.title.as_deref(), Some("白水县2025年法治政府建设年度报告"));
    }

    #[test]
    fn page_numbers_are_chrome() {
        for l in ["— 3 —", "-12-", "－ ２ －", "3", "第3页 共12页", "3/12"] {
            assert!(is_chrome(l), "{l}");
        }
        for l in ["2024", "2025年1月20日", "一是加强执法。", "1.5"] {
            assert!(!is_chrome(l), "{l}");
        }
    }

    #[test]
    fn disclosure_metadata_table_is_cut() {
        let lines = [
            "安平县人民政府门户网站",
            "首页 > 政府信息公开 > 部门信息公开",
            "索引号：\t11330522002570312A/2026-00034",
            "发布机构：\t安平县交通运输局",
            "生成日期：\t2026-01-26",
            "文号：\t安交〔2026〕5号",
            "标题：\t安平县交通运输局2025年法治政府建设工作报告",
            "安平县交通运输局2025年法治政府建设工作报告",
            "县人民政府：",
            "2025年，县交通运输局…。",
        ];
        let h = read_header(&lines);
        assert_eq!(h.end, 9);
        assert_eq!(
            h.title.as_deref(),
            Some("安平县交通运输局2025年法治政府建设工作报告")
        );
        let t = read_tail(&[
            "推进普法。",
            "安平县交通运输局",
            "2026年1月26日",
            "扫一扫在手机打开当前页",
            "主办：安平县人民政府办公室　　承办：安平县大数据发展中心",
            "联系电话：0571-88001234　　网站标识码：3301270001",
        ]);
        assert_eq!(t.start, 1);
    }
}

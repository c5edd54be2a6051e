//! Which column holds what: one table of the headers offices write, extendable by
//! `--map 列名=field`, and the search for the header row(s) under title rows.

use serde::Serialize;

use super::grid::Grid;

/// A field of the ledger a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// 序号: the row's number, and with it the sub-task hierarchy.
    Seq,
    /// 任务来源: kept in the task's body.
    Source,
    /// 领域/类别: the task's area.
    Area,
    /// 任务内容/工作任务: the task's title (a task).
    Title,
    /// 问题描述/存在问题: the task's title (a shortcoming).
    Problem,
    /// 整改措施/具体措施: kept in the body.
    Measures,
    /// 牵头单位/责任单位
    Owner,
    /// 配合单位/协办单位
    CoOwners,
    /// 责任人/联系人: a person, kept in the creation note for now.
    Person,
    /// 完成时限/时间节点
    Deadline,
    /// 进展情况/推进情况: the task's latest progress note.
    Progress,
    /// 状态: a status word.
    Status,
    /// 是否完成: 是 means done.
    DoneFlag,
    /// 是否销号: 是 means verified.
    VerifiedFlag,
    /// 佐证材料: evidence references, kept in the creation note for now.
    Evidence,
    /// 备注: kept in the body.
    Remark,
    /// A column to leave out (`--map 列名=ignore`).
    Ignore,
}

/// The headers each field is recognised by, after spaces, line breaks and bracketed remarks
/// are removed. A header matches a word exactly, else contains it (the longest word wins).
pub const SYNONYMS: &[(Target, &[&str])] = &[
    (Target::Seq, &["序号", "编号", "序"]),
    (
        Target::Source,
        &["任务来源", "来源", "任务依据", "文件依据"],
    ),
    (
        Target::Area,
        &["领域", "类别", "工作领域", "重点领域", "任务类别", "板块"],
    ),
    (
        Target::Title,
        &[
            "任务内容",
            "工作任务",
            "重点任务",
            "任务名称",
            "工作内容",
            "具体任务",
            "任务事项",
            "工作事项",
        ],
    ),
    (
        Target::Problem,
        &["问题描述", "存在问题", "问题表现", "问题清单", "问题内容"],
    ),
    (
        Target::Measures,
        &["整改措施", "具体措施", "工作措施", "推进措施"],
    ),
    (
        Target::Owner,
        &["牵头单位", "责任单位", "牵头部门", "责任部门", "主责单位"],
    ),
    (
        Target::CoOwners,
        &["配合单位", "协办单位", "配合部门", "协同单位", "协办部门"],
    ),
    (
        Target::Person,
        &["责任人", "联系人", "具体负责人", "责任领导"],
    ),
    (
        Target::Deadline,
        &[
            "完成时限",
            "时间节点",
            "整改时限",
            "完成时间",
            "时限",
            "截止时间",
            "完成期限",
        ],
    ),
    (
        Target::Progress,
        &[
            "进展情况",
            "推进情况",
            "完成情况",
            "工作进展",
            "整改情况",
            "进度情况",
            "整改进展",
        ],
    ),
    (
        Target::Status,
        &["状态", "完成状态", "推进状态", "整改状态", "办理状态"],
    ),
    (Target::DoneFlag, &["是否完成", "是否办结"]),
    (Target::VerifiedFlag, &["是否销号", "销号情况"]),
    (
        Target::Evidence,
        &["佐证材料", "佐证", "证明材料", "支撑材料"],
    ),
    (Target::Remark, &["备注", "说明"]),
];

impl Target {
    /// The name `--map` takes and the dry run shows.
    pub fn name(self) -> &'static str {
        match self {
            Target::Seq => "seq",
            Target::Source => "source",
            Target::Area => "area",
            Target::Title => "title",
            Target::Problem => "problem",
            Target::Measures => "measures",
            Target::Owner => "owner",
            Target::CoOwners => "co-owners",
            Target::Person => "person",
            Target::Deadline => "deadline",
            Target::Progress => "progress",
            Target::Status => "status",
            Target::DoneFlag => "done-flag",
            Target::VerifiedFlag => "verified-flag",
            Target::Evidence => "evidence",
            Target::Remark => "remark",
            Target::Ignore => "ignore",
        }
    }

    pub const ALL: [Target; 17] = [
        Target::Seq,
        Target::Source,
        Target::Area,
        Target::Title,
        Target::Problem,
        Target::Measures,
        Target::Owner,
        Target::CoOwners,
        Target::Person,
        Target::Deadline,
        Target::Progress,
        Target::Status,
        Target::DoneFlag,
        Target::VerifiedFlag,
        Target::Evidence,
        Target::Remark,
        Target::Ignore,
    ];

    /// A field by its `--map` name, or by the first synonym of its table entry (序号, 牵头单位 …).
    pub fn parse(s: &str) -> Option<Target> {
        let t = s.trim();
        Target::ALL.iter().copied().find(|x| {
            x.name().eq_ignore_ascii_case(t)
                || SYNONYMS
                    .iter()
                    .any(|(k, words)| k == x && words.first() == Some(&t))
        })
    }
}

/// A header with its spaces, line breaks, asterisks and bracketed remarks removed:
/// "完成时限\n（年月）" → "完成时限".
pub fn normalise(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in header.chars() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth = (depth - 1).max(0),
            c if c.is_whitespace() || c == '*' || c == '＊' => {}
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.is_empty() {
        // A header that is all bracket ("（备注）") is read as its inside.
        return header
            .chars()
            .filter(|c| !c.is_whitespace() && !"（）()【】[]*＊".contains(*c))
            .collect();
    }
    out
}

/// The user's `--map` entries: normalised header → field.
pub type Overrides = Vec<(String, Target)>;

/// What a header means: a `--map` entry, else the table.
pub fn recognise(header: &str, overrides: &Overrides) -> Option<(Target, bool)> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    if let Some((_, t)) = overrides.iter().find(|(k, _)| *k == h) {
        return Some((*t, true));
    }
    for (t, words) in SYNONYMS {
        if words.contains(&h.as_str()) {
            return Some((*t, false));
        }
    }
    let mut best: Option<(usize, Target)> = None;
    for (t, words) in SYNONYMS {
        for w in *words {
            let n = w.chars().count();
            if n >= 2 && h.contains(w) && best.is_none_or(|(m, _)| n > m) {
                best = Some((n, *t));
            }
        }
    }
    // A long cell that happens to contain a word ("全面推进依法行政工作任务…") is text, not a
    // header: headers are short.
    best.filter(|_| h.chars().count() <= 12)
        .map(|(_, t)| (t, false))
}

/// One column of the sheet and what it fills.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// 0-based index.
    pub index: usize,
    /// The spreadsheet letter (A, B, … AA).
    pub letter: String,
    /// The header as written; a two-row header shows "group/label".
    pub header: String,
    pub target: Option<Target>,
    /// The field was given by `--map`.
    pub mapped: bool,
    /// Another column already fills the same field; this one is left out.
    pub duplicate: bool,
}

/// The column letter of a 0-based index.
pub fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The header found on a sheet: its first and last row (0-based) and its columns.
#[derive(Debug, Clone)]
pub struct Header {
    pub first: usize,
    pub last: usize,
    pub columns: Vec<Column>,
}

/// How many rows from the top are searched for the header: title rows, a 填报单位 row and
/// notes come before it, rarely more than a handful.
const SEARCH_ROWS: usize = 20;

fn matches_in_row(g: &Grid, r: usize, overrides: &Overrides) -> usize {
    let mut seen: Vec<Target> = Vec::new();
    for c in 0..g.width() {
        if let Some((t, _)) = recognise(g.at(r, c), overrides) {
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
    }
    seen.len()
}

/// Finds the header: the first row among the top ones where at least three different fields
/// are recognised (two on a sheet of three columns or fewer), and the row below it too when
/// that row is a second header row (each of its cells repeats the merged cell above it or is
/// itself a header, and at least one is a header of its own).
pub fn find(g: &Grid, overrides: &Overrides) -> Option<Header> {
    let width = g.width();
    let need = if width <= 3 { 2 } else { 3 };
    let first =
        (0..g.rows.len().min(SEARCH_ROWS)).find(|&r| matches_in_row(g, r, overrides) >= need)?;
    let below = first + 1;
    let mut own = 0;
    let mut second = below < g.rows.len();
    for c in 0..width {
        let (top, bottom) = (g.at(first, c), g.at(below, c));
        if bottom.is_empty() || bottom == top {
            continue;
        }
        if recognise(bottom, overrides).is_some() {
            own += 1;
        } else {
            second = false;
            break;
        }
    }
    let last = if second && own > 0 { below } else { first };
    let mut columns: Vec<Column> = Vec::new();
    for c in 0..width {
        let top = g.at(first, c).to_string();
        let bottom = g.at(last, c).to_string();
        let (header, target) = if last != first && !bottom.is_empty() && bottom != top {
            let t = recognise(&bottom, overrides).or_else(|| recognise(&top, overrides));
            (format!("{}/{}", one_line(&top), one_line(&bottom)), t)
        } else {
            (one_line(&top), recognise(&top, overrides))
        };
        let duplicate = target.is_some_and(|(t, _)| {
            t != Target::Ignore && columns.iter().any(|x| x.target == Some(t) && !x.duplicate)
        });
        columns.push(Column {
            index: c,
            letter: letter(c),
            header,
            target: target.map(|(t, _)| t),
            mapped: target.is_some_and(|(_, m)| m),
            duplicate,
        });
    }
    Some(Header {
        first,
        last,
        columns,
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_the_offices_words() {
        let none = Overrides::new();
        let t = |h: &str| recognise(h, &none).map(|x| x.0);
        assert_eq!(t("序号"), Some(Target::Seq));
        assert_eq!(t("完成时限\n（年月）"), Some(Target::Deadline));
        assert_eq!(t("具体工作任务"), Some(Target::Title));
        assert_eq!(t("是否销号"), Some(Target::VerifiedFlag));
        assert_eq!(t("任务来源"), Some(Target::Source));
        assert_eq!(t("2025年6月底前完成全面推进依法行政工作任务"), None);
        let map = vec![(normalise("内部编码"), Target::Ignore)];
        assert_eq!(recognise("内部编码", &map), Some((Target::Ignore, true)));
        assert_eq!(letter(0), "A");
        assert_eq!(letter(27), "AB");
    }
}

//! Stage two's one table: which part of a report a heading or a cue paragraph opens, and what
//! that part yields. Every decision about part names is made here and nowhere else, so a new
//! shape of report needs a new row, not a new pass.

use serde::Serialize;

use crate::import::text::{is_colon, leading_year, years};

/// What a part of a report yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Role {
    /// The year's measures and results: each item is a done achievement.
    Achievements,
    /// Shortcomings: each listed problem is a shortcoming.
    Shortcomings,
    /// Causes of the shortcomings: never tasks.
    Causes,
    /// The heads of government's duty as first responsible persons: no tasks, the text stays in
    /// the stored document.
    FirstResponsibility,
    /// Plans: each sentence (or each numbered item without sentences) is a commitment.
    Plans,
    /// "其他需要报告的情况": nothing.
    Other,
}

impl Role {
    /// The name coverage lines and `--explain` use.
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Role::Achievements, true) => "成效",
            (Role::Achievements, false) => "achievements",
            (Role::Shortcomings, true) => "短板",
            (Role::Shortcomings, false) => "shortcomings",
            (Role::Causes, true) => "原因",
            (Role::Causes, false) => "causes",
            (Role::FirstResponsibility, true) => "第一责任人职责",
            (Role::FirstResponsibility, false) => "first responsibility",
            (Role::Plans, true) => "工作安排",
            (Role::Plans, false) => "plans",
            (Role::Other, true) => "其他情况",
            (Role::Other, false) => "other",
        }
    }

    /// True for parts whose every sentence must end up in a task.
    pub fn yields_tasks_from_every_sentence(self) -> bool {
        matches!(self, Role::Shortcomings | Role::Plans)
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Its name, shown by `--explain`.
    pub name: &'static str,
    /// What the part yields.
    pub role: Role,
    /// Words of which one must be in the heading's lead phrase.
    pub words: &'static [&'static str],
    /// Words that keep the rule from matching: an achievement area that names what it solved
    /// ("着力解决群众急难愁盼问题") is not a part about problems.
    pub unless: &'static [&'static str],
    /// Verbs that keep the rule from matching when the heading starts with one: a heading
    /// that starts with a verb names a piece of work ("加强统筹安排，压实法治建设责任" is an
    /// achievement area), where a plans part is named by a noun ("2025年工作安排").
    pub unless_starts: &'static [&'static str],
    /// True when the heading must also name a year after the report year ("2026年重点任务").
    pub future_year: bool,
}

/// Verbs that start the headings of achievement areas ("加强…" "推进…" "完善…").
const AREA_VERBS: &[&str] = &[
    "加强", "推进", "推动", "完善", "深化", "坚持", "健全", "强化", "提升", "提高", "规范", "优化",
    "严格", "落实", "着力", "持续", "扎实", "统筹", "创新", "压实", "夯实", "构建", "建立", "筑牢",
    "加快", "注重", "突出",
];

/// The table, in the order rules are tried: the narrower names come first, so that
/// "存在的不足及原因" is a shortcomings part with a causes paragraph, and "第一责任人职责情况" is
/// not read as an achievements part because it says "情况".
pub const RULES: &[Rule] = &[
    Rule {
        name: "first-responsibility",
        role: Role::FirstResponsibility,
        words: &["第一责任人"],
        unless: &[],
        unless_starts: &[],
        future_year: false,
    },
    Rule {
        name: "other-matters",
        role: Role::Other,
        words: &["其他需要报告", "其他需要说明", "其他事项", "其他情况"],
        unless: &[],
        unless_starts: &[],
        future_year: false,
    },
    // Reports of departments and cities often give the result of last year's assessment
    // ("2024年度法治政府建设工作考核情况", "上年度考核结果运用情况"): a fact, never a task.
    Rule {
        name: "assessment-results",
        role: Role::Other,
        words: &["考核情况", "考核结果", "考评情况", "考评结果", "评估结果"],
        unless: &[],
        unless_starts: &[],
        future_year: false,
    },
    Rule {
        name: "plans",
        role: Role::Plans,
        words: &[
            "安排",
            "打算",
            "计划",
            "思路",
            "下步",
            "下一步",
            "今后",
            "展望",
            "努力方向",
            "整改措施",
            "改进措施",
            "下一年度",
            "下阶段",
            "下一阶段",
            "明年",
        ],
        unless: &[],
        unless_starts: AREA_VERBS,
        future_year: false,
    },
    Rule {
        name: "plans-of-a-later-year",
        role: Role::Plans,
        words: &["重点", "任务", "目标", "工作"],
        unless: &[],
        unless_starts: AREA_VERBS,
        future_year: true,
    },
    Rule {
        name: "shortcomings",
        role: Role::Shortcomings,
        words: &[
            "不足",
            "问题",
            "短板",
            "差距",
            "薄弱",
            "弱项",
            "存在的困难",
            "面临的困难",
            "面临的挑战",
        ],
        unless: &[
            "解决", "化解", "破解", "帮扶", "补齐", "补足", "补强", "弥补", "整改", "整治", "聚焦",
            "回应", "缩小", "克服", "纠正", "查处", "治理", "排查",
        ],
        unless_starts: &[],
        future_year: false,
    },
    Rule {
        name: "causes",
        role: Role::Causes,
        words: &["原因"],
        unless: &[],
        unless_starts: &[],
        future_year: false,
    },
    Rule {
        name: "achievements",
        role: Role::Achievements,
        words: &[
            "成效",
            "举措",
            "主要工作",
            "工作情况",
            "建设情况",
            "做法",
            "进展",
            "成绩",
            "开展情况",
            "推进情况",
            "落实情况",
            "完成情况",
            "回顾",
            "主要措施",
            "整改情况",
        ],
        unless: &[],
        unless_starts: &[],
        future_year: false,
    },
];

/// The rule a part heading's lead phrase matches, if any.
pub fn heading_rule(title: &str, report_year: Option<i32>) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.words.iter().any(|w| title.contains(w))
            && !r.unless.iter().any(|w| title.contains(w))
            && !r.unless_starts.iter().any(|w| title.starts_with(w))
            && (!r.future_year || names_later_year(title, report_year))
    })
}

fn names_later_year(s: &str, report_year: Option<i32>) -> bool {
    years(s)
        .iter()
        .any(|y| !y.range_end && report_year.is_none_or(|r| y.year > r && y.year <= r + 2))
}

/// True when the year at the start of `p` is followed by a month ("2025年1月", "2025年元月").
fn names_a_month(p: &str) -> bool {
    let Some(i) = p.find('年') else {
        return false;
    };
    let after: String = p
        .get(i + '年'.len_utf8()..)
        .unwrap_or("")
        .chars()
        .take(4)
        .collect();
    let Some(m) = after.find('月') else {
        return false;
    };
    let before = after.get(..m).unwrap_or("");
    !before.is_empty()
        && before.chars().all(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || "元一二三四五六七八九十".contains(c)
        })
}

fn trim_colon(s: &str) -> &str {
    s.trim_end_matches(|c: char| is_colon(c) || c.is_whitespace())
}

/// Paragraph words that announce shortcomings.
pub const SHORTCOMING_WORDS: [&str; 7] = [
    "短板",
    "不足",
    "存在的问题",
    "存在问题",
    "以下问题",
    "差距",
    "薄弱环节",
];

/// Words that, next to a later year, make a paragraph about plans.
const PLAN_WORDS: [&str; 8] = ["将", "安排", "打算", "计划", "思路", "重点", "目标", "任务"];

/// Openers of a plans paragraph that names no year.
const PLAN_OPENERS: [&str; 6] = ["下一步", "今后", "新的一年", "明年", "展望", "下一年度"];

/// A cue paragraph: a line without a list marker that opens a part, as reports without part
/// headings write ("…仍然存在一些短板：A；B；C。", "问题产生的主要原因：…", "2025年是…").
/// `lists_points` says whether the paragraph itself lists points ("一是…二是…" or a "；" list
/// after a colon).
pub fn cue(p: &str, report_year: Option<i32>, lists_points: bool) -> Option<(&'static str, Role)> {
    // The first clause names the causes: "问题产生的主要原因：" "究其原因，" "产生上述问题的原因".
    let first_clause: String = p
        .chars()
        .take_while(|&c| !matches!(c, '，' | ',' | '。' | '；' | ';') && !is_colon(c))
        .collect();
    if first_clause.contains("原因") {
        return Some(("causes-paragraph", Role::Causes));
    }
    // A part heading written without a list marker ("存在的不足", "其他需要报告的情况", "无"
    // then follows): short, no full stop.
    if p.chars().count() <= 30 && !p.contains('。') && !lists_points {
        if let Some(r) = heading_rule(trim_colon(p), report_year) {
            return Some((r.name, r.role));
        }
    }
    if SHORTCOMING_WORDS.iter().any(|k| p.contains(k))
        && (lists_points || p.trim_end().ends_with(|c: char| is_colon(c)))
    {
        return Some(("shortcomings-paragraph", Role::Shortcomings));
    }
    // "2025年是…" "2025年，我县将…" open the plans; "2025年1月，我县通过…验收" tells of a
    // result dated early in the next year, inside the achievements.
    if let Some(y) = leading_year(p).filter(|_| !names_a_month(p)) {
        let later = report_year.is_none_or(|r| y > r && y <= r + 2);
        if later && PLAN_WORDS.iter().any(|k| p.contains(k)) {
            return Some(("plans-paragraph", Role::Plans));
        }
    }
    if PLAN_OPENERS.iter().any(|o| p.starts_with(o)) {
        return Some(("plans-paragraph", Role::Plans));
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn role(t: &str) -> Option<Role> {
        heading_rule(t, Some(2024)).map(|r| r.role)
    }

    #[test]
    fn part_names() {
        assert_eq!(role("存在的主要问题"), Some(Role::Shortcomings));
        assert_eq!(role("存在的不足及原因"), Some(Role::Shortcomings));
        assert_eq!(role("原因分析"), Some(Role::Causes));
        assert_eq!(role("2025年工作计划"), Some(Role::Plans));
        assert_eq!(role("2025年重点任务"), Some(Role::Plans));
        assert_eq!(role("2024年重点任务完成情况"), Some(Role::Achievements));
        assert_eq!(
            role("党政主要负责人履行推进法治建设第一责任人职责情况"),
            Some(Role::FirstResponsibility)
        );
        assert_eq!(role("其他需要报告的情况：无"), Some(Role::Other));
        assert_eq!(role("主要举措和成效"), Some(Role::Achievements));
        assert_eq!(role("2024年度法治政府建设工作考核情况"), Some(Role::Other));
        assert_eq!(role("下一年度工作重点"), Some(Role::Plans));
        assert_eq!(role("下阶段工作重点"), Some(Role::Plans));
        assert_eq!(role("改进措施"), Some(Role::Plans));
        assert_eq!(role("加强统筹安排，压实法治建设责任"), None);
        assert_eq!(role("完善工作机制，推动年度立法计划落实"), None);
        assert_eq!(role("着力解决群众急难愁盼问题"), None);
        assert_eq!(role("补齐基层执法短板"), None);
        assert_eq!(role("督察反馈问题整改情况"), Some(Role::Achievements));
        assert_eq!(role("存在的困难和问题"), Some(Role::Shortcomings));
        assert_eq!(role("面临的挑战"), Some(Role::Shortcomings));
        assert_eq!(role("深化改革加快政府职能转变"), None);
    }

    #[test]
    fn cues() {
        let r = Some(2024);
        assert_eq!(
            cue("但仍然存在一些短板：A；B。", r, true).map(|c| c.1),
            Some(Role::Shortcomings)
        );
        assert_eq!(
            cue("还存在一些短板：", r, false).map(|c| c.1),
            Some(Role::Shortcomings)
        );
        assert_eq!(cue("补齐短板，成效明显。", r, false), None);
        assert_eq!(
            cue("问题产生的主要原因：一是…", r, true).map(|c| c.1),
            Some(Role::Causes)
        );
        assert_eq!(
            cue("2025年是收官之年，我区将…", r, false).map(|c| c.1),
            Some(Role::Plans)
        );
        assert_eq!(cue("2024年，我区将…", r, false), None);
        assert_eq!(
            cue(
                "2025年1月，我县通过示范创建评估，完成创建目标任务。",
                r,
                false
            ),
            None
        );
        assert_eq!(
            cue("2025年，我县将重点抓好以下工作：", r, false).map(|c| c.1),
            Some(Role::Plans)
        );
        assert_eq!(
            cue("其他需要报告的情况", r, false).map(|c| c.1),
            Some(Role::Other)
        );
        assert_eq!(
            cue("存在的主要问题", r, false).map(|c| c.1),
            Some(Role::Shortcomings)
        );
    }
}

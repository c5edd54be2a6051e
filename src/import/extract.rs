//! Stage two: classify each part of the outline by the rule table and take its items, keeping
//! an account of every sentence of the body (which item took it, or which non-task part holds
//! it, or that nothing did).

use std::collections::HashMap;

use serde::Serialize;

use crate::import::clauses::{
    bracket_fields, duty_bracket, is_duty_sentence, is_intro, listed_points, ordinal_points,
    person_fields, sentence_spans, starts_with_field,
};
use crate::import::outline::{NodeKind, Outline, PartRule};
use crate::import::rules::Role;
use crate::import::tables::{task_tables, TableLine};
use crate::import::text::{has_content, lead_phrase, trim_trailing_punct};

/// Where a sentence of the body went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Achievement,
    Shortcoming,
    Commitment,
    /// A heading, an introduction or a closing remark.
    Heading,
    /// A part that yields no tasks (causes, first responsibility, other matters).
    NonTask(Role),
}

/// An item before references and deadlines are known.
#[derive(Debug, Clone)]
pub struct RawItem {
    pub title: String,
    pub body: String,
    /// 1-based source line.
    pub line: usize,
    /// A lead-unit sentence or bracket of the item: it sets owner, co-owners and deadline.
    pub duty: Option<Duty>,
}

/// Who leads and by when, from a sentence or bracket that says only that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duty {
    /// The sentence, for owners and deadline words written as prose.
    pub sentence: Option<String>,
    /// Units from a bracket.
    pub lead: Vec<String>,
    pub co: Vec<String>,
    /// Deadline words from a bracket.
    pub due: Option<String>,
    /// The responsible person and contact from a bracket (责任人：…, 联系人：…).
    pub person: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RawSection {
    pub title: String,
    pub items: Vec<RawItem>,
}

/// A sentence no item took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unassigned {
    /// 1-based source line.
    pub line: usize,
    pub text: String,
    /// True when it stands in a shortcomings or plans part: import refuses it unless
    /// `--accept-unassigned`.
    pub blocking: bool,
}

/// One row of `--explain`: a marked line or cue paragraph of the outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineRow {
    pub line: usize,
    pub depth: usize,
    pub marker: String,
    pub title: String,
    /// The rule that fired, for a part ("implicit-achievements" for sections before the first
    /// named part, "unmatched" for a part no rule names).
    pub rule: Option<String>,
    pub role: Option<Role>,
}

/// What stage two found.
#[derive(Debug, Default)]
pub struct Found {
    pub achievements: Vec<RawSection>,
    pub shortcomings: Vec<RawItem>,
    pub plans: Vec<RawSection>,
    /// Text of the first plans part's heading, cue and introduction, where the plan year is.
    pub plan_year_text: Vec<String>,
    pub warnings: Vec<String>,
    pub rules: HashMap<usize, (String, Option<Role>)>,
}

/// The account of sentences: for each line, the class of each sentence of its text.
pub struct Account {
    spans: Vec<Vec<(usize, usize)>>,
    marks: Vec<Vec<Option<Class>>>,
    part: Vec<Option<Role>>,
}

struct Ctx<'o, 'a> {
    o: &'o Outline<'a>,
    report_year: Option<i32>,
    acc: Account,
    found: Found,
    /// For each line, its place in a task table, if it is in one.
    tables: Vec<Option<TableLine>>,
}

/// Runs stage two over the outline.
pub fn extract(o: &Outline<'_>, report_year: Option<i32>) -> (Found, Account) {
    let spans: Vec<Vec<(usize, usize)>> = o.lines.iter().map(|l| sentence_spans(l.text)).collect();
    let marks = spans.iter().map(|s| vec![None; s.len()]).collect();
    let mut cx = Ctx {
        o,
        report_year,
        acc: Account {
            spans,
            marks,
            part: vec![None; o.lines.len()],
        },
        found: Found::default(),
        tables: task_tables(o.lines.iter().map(|l| l.raw)),
    };
    let mut seen_part = false;
    let mut last_role: Option<Role> = None;
    let mut last_was_cue = false;
    for &c in o.children(0) {
        match o.kind(c) {
            NodeKind::Para => cx.mark_line(c, Class::Heading),
            _ => match o.rule(c, report_year) {
                Some(rule) => {
                    seen_part = true;
                    last_role = Some(rule.role());
                    last_was_cue = matches!(o.kind(c), NodeKind::Cue(..));
                    cx.part(c, rule);
                }
                None if matches!(last_role, Some(Role::Shortcomings | Role::Causes))
                    && last_was_cue =>
                {
                    // The genre goes on from the shortcomings to the plans: numbered parts
                    // right after a shortcomings paragraph, with no plans heading or intro,
                    // are the plan areas.
                    cx.found
                        .rules
                        .insert(c, ("implicit-plans".into(), Some(Role::Plans)));
                    cx.set_part(c, Role::Plans);
                    if cx.found.plan_year_text.is_empty() {
                        cx.found.plan_year_text.push(o.text(c).to_string());
                    }
                    let s = cx.area(c);
                    cx.found.plans.push(s);
                }
                None if !seen_part && o.children(c).iter().any(|&k| has_content(o.text(k))) => {
                    // Reports without part headings start with the year's work: sections
                    // before the first named part are achievement sections.
                    cx.found.rules.insert(
                        c,
                        ("implicit-achievements".into(), Some(Role::Achievements)),
                    );
                    cx.set_part(c, Role::Achievements);
                    cx.mark_heading(c, Class::Achievement);
                    let s = cx.achievement_items(c);
                    cx.found.achievements.push(s);
                }
                None => {
                    cx.found.rules.insert(c, ("unmatched".into(), None));
                    cx.found.warnings.push(format!(
                        "{}|{}",
                        o.lexed(c).map_or(0, |l| l.no),
                        o.title(c)
                    ));
                }
            },
        }
    }
    (cx.found, cx.acc)
}

impl Account {
    /// Every sentence of the body with its class (None: unassigned) and its part's role.
    pub fn sentences<'s>(
        &'s self,
        o: &'s Outline<'_>,
    ) -> impl Iterator<Item = (usize, &'s str, Option<Class>, Option<Role>)> + 's {
        o.lines.iter().enumerate().flat_map(move |(i, l)| {
            let spans = self.spans.get(i).map_or(&[][..], |v| v.as_slice());
            let part = self.part.get(i).copied().flatten();
            spans.iter().enumerate().map(move |(k, &(a, b))| {
                let class = self.marks.get(i).and_then(|m| m.get(k)).copied().flatten();
                (l.no, l.text.get(a..b).unwrap_or(""), class, part)
            })
        })
    }
}

impl<'o, 'a> Ctx<'o, 'a> {
    fn line_of(&self, id: usize) -> usize {
        self.o.node(id).map_or(0, |n| n.line)
    }

    fn line_no(&self, id: usize) -> usize {
        self.o.lexed(id).map_or(0, |l| l.no)
    }

    /// Marks every still unmarked sentence of a node's line.
    fn mark_line(&mut self, id: usize, class: Class) {
        let li = self.line_of(id);
        if let Some(m) = self.acc.marks.get_mut(li) {
            for s in m.iter_mut().filter(|s| s.is_none()) {
                *s = Some(class);
            }
        }
    }

    fn mark_sentence(&mut self, id: usize, k: usize, class: Class) {
        let li = self.line_of(id);
        if let Some(s) = self.acc.marks.get_mut(li).and_then(|m| m.get_mut(k)) {
            if s.is_none() {
                *s = Some(class);
            }
        }
    }

    fn mark_subtree(&mut self, id: usize, class: Class) {
        for n in self.o.subtree(id) {
            self.mark_line(n, class);
        }
    }

    /// Marks a heading line: its first sentence is the heading, the rest `rest`.
    fn mark_heading(&mut self, id: usize, rest: Class) {
        self.mark_sentence(id, 0, Class::Heading);
        self.mark_line(id, rest);
    }

    fn set_part(&mut self, id: usize, role: Role) {
        for n in self.o.subtree(id) {
            let li = self.line_of(n);
            if let Some(p) = self.acc.part.get_mut(li) {
                *p = Some(role);
            }
        }
    }

    /// A part heading written without a marker ("存在的不足", "下一步工作打算"): a cue that a
    /// rule of the table named by its heading, not a paragraph that opens a part with text.
    fn is_heading_cue(&self, id: usize) -> bool {
        match self.o.kind(id) {
            NodeKind::Cue(name, _) => !name.ends_with("-paragraph"),
            _ => false,
        }
    }

    fn spans(&self, id: usize) -> Vec<(usize, usize)> {
        self.acc
            .spans
            .get(self.line_of(id))
            .cloned()
            .unwrap_or_default()
    }

    /// A child of a part that is a part itself: a cue paragraph; a heading of causes, first
    /// responsibility or other matters; or a heading-only line with text under it whose rule
    /// the parent's heading also names ("存在的不足及原因" › "（一）存在的不足").
    fn sub_part(&self, parent: usize, c: usize, parent_role: Role) -> Option<PartRule> {
        let rule = self.o.rule(c, self.report_year)?;
        if matches!(self.o.kind(c), NodeKind::Cue(..)) {
            return Some(rule);
        }
        let role = rule.role();
        if role != parent_role
            && matches!(role, Role::Causes | Role::FirstResponsibility | Role::Other)
        {
            return Some(rule);
        }
        // A container of items: its own line is only a heading and numbered lines follow it
        // ("（一）存在的不足" › "1.…" "2.…"); a heading-only item with a paragraph under it
        // ("（二）基层执法保障不足" › "乡镇执法人员少…") is an item, not a part.
        let heading_only =
            self.spans(c).len() <= 1 && self.o.children(c).iter().any(|&k| self.o.is_marked(k));
        let parent_names_it = match rule {
            PartRule::Heading(r) => {
                role == parent_role || r.words.iter().any(|w| self.o.title(parent).contains(w))
            }
            PartRule::Cue(..) => false,
        };
        (heading_only && parent_names_it).then_some(rule)
    }

    fn part(&mut self, id: usize, rule: PartRule) {
        let role = rule.role();
        self.found
            .rules
            .insert(id, (rule.name().to_string(), Some(role)));
        self.set_part(id, role);
        match role {
            Role::Achievements => self.achievements_part(id),
            Role::Shortcomings => {
                let items = self.shortcomings_part(id);
                self.found.shortcomings.extend(items);
            }
            Role::Plans => self.plans_part(id),
            Role::Causes | Role::FirstResponsibility | Role::Other => {
                if self.o.is_marked(id) {
                    self.mark_sentence(id, 0, Class::Heading);
                }
                self.mark_subtree(id, Class::NonTask(role));
            }
        }
    }

    /// Children of a part split into sub-parts (handled here) and the rest (returned).
    fn own_children(&mut self, id: usize, role: Role) -> Vec<usize> {
        let mut out = Vec::new();
        for &c in self.o.children(id) {
            match self.sub_part(id, c, role) {
                Some(rule) => self.part(c, rule),
                None => out.push(c),
            }
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Achievements

    fn achievements_part(&mut self, id: usize) {
        self.mark_heading(id, Class::Achievement);
        let children = self.own_children(id, Role::Achievements);
        let marked: Vec<usize> = children
            .iter()
            .copied()
            .filter(|&c| self.o.is_marked(c))
            .collect();
        let sectioned = !marked.is_empty()
            && marked
                .iter()
                .all(|&m| self.o.children(m).iter().any(|&g| self.o.is_marked(g)));
        if sectioned {
            for &c in &children {
                if !self.o.is_marked(c) {
                    self.mark_line(c, Class::Heading);
                }
            }
            for m in marked {
                self.mark_heading(m, Class::Achievement);
                let s = self.achievement_items(m);
                self.found.achievements.push(s);
            }
        } else {
            let s = self.items_of(id, &children);
            self.found.achievements.push(s);
        }
    }

    /// A section: its marked children are items (paragraphs before them introduce them);
    /// without marked children each paragraph is an item.
    fn achievement_items(&mut self, id: usize) -> RawSection {
        let children: Vec<usize> = self.o.children(id).to_vec();
        self.items_of(id, &children)
    }

    fn items_of(&mut self, id: usize, children: &[usize]) -> RawSection {
        let title = self.o.title(id).to_string();
        let any_marked = children.iter().any(|&c| self.o.is_marked(c));
        let mut items = Vec::new();
        for &c in children {
            if any_marked && !self.o.is_marked(c) {
                self.mark_line(c, Class::Heading);
                continue;
            }
            if let Some(it) = self.whole_item(c, lead_phrase) {
                self.mark_subtree(c, Class::Achievement);
                items.push(it);
            }
        }
        RawSection { title, items }
    }

    /// An item made of a node and everything under it: the title from `title_of` (from the
    /// first text under it when its own line is only a marker), the body its text and the
    /// lines under it.
    fn whole_item(&self, id: usize, title_of: fn(&str) -> &str) -> Option<RawItem> {
        let o = self.o;
        let own = o.text(id);
        let mut parts: Vec<&str> = Vec::new();
        if !own.is_empty() {
            parts.push(own);
        }
        for n in o.subtree(id).into_iter().skip(1) {
            if let Some(l) = o.lexed(n) {
                parts.push(l.raw);
            }
        }
        let body = parts.join("\n");
        let mut title = title_of(own).to_string();
        if !has_content(&title) {
            let first = o
                .subtree(id)
                .into_iter()
                .skip(1)
                .map(|n| o.text(n))
                .find(|t| has_content(t))
                .unwrap_or("");
            title = title_of(first).to_string();
        }
        has_content(&title).then(|| RawItem {
            title,
            body,
            line: self.line_no(id),
            duty: None,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Shortcomings

    /// The shortcomings of a part, in the order written, sub-parts of shortcomings included
    /// where they stand.
    fn shortcomings_part(&mut self, id: usize) -> Vec<RawItem> {
        let mut found = Vec::new();
        let mut loose = Vec::new();
        match self.o.kind(id) {
            NodeKind::Cue(..) if self.is_heading_cue(id) => self.mark_line(id, Class::Heading),
            NodeKind::Cue(..) => self.problem_paragraph(id, false, &mut found, &mut loose),
            _ => {
                // "二、存在的问题：A；B。" lists its points on the heading line itself; otherwise
                // its first sentence is the heading ("存在的不足和原因" is not a cause).
                if listed_points(self.o.text(id), true).is_empty() {
                    self.mark_sentence(id, 0, Class::Heading);
                }
                self.problem_paragraph(id, true, &mut found, &mut loose);
                loose.retain(|&n| n != id);
            }
        }
        let children: Vec<usize> = self.o.children(id).to_vec();
        for c in children {
            if let Some(rule) = self.sub_part(id, c, Role::Shortcomings) {
                if rule.role() == Role::Shortcomings {
                    self.found
                        .rules
                        .insert(c, (rule.name().to_string(), Some(Role::Shortcomings)));
                    self.set_part(c, Role::Shortcomings);
                    let items = self.shortcomings_part(c);
                    found.extend(items);
                } else {
                    self.part(c, rule);
                }
                continue;
            }
            if self.o.is_marked(c) {
                if let Some(it) = self.whole_item(c, first_clause) {
                    self.mark_subtree(c, Class::Shortcoming);
                    found.push(it);
                }
            } else {
                self.problem_paragraph(c, true, &mut found, &mut loose);
            }
        }
        if found.is_empty() {
            // A part of plain paragraphs: each paragraph is one shortcoming.
            for n in loose {
                if let Some(it) = self.whole_item(n, lead_phrase) {
                    self.mark_line(n, Class::Shortcoming);
                    found.push(it);
                }
            }
        }
        found
    }

    /// A paragraph in a shortcomings part: its listed points are shortcomings; a sentence about
    /// causes is a cause; an introduction is a heading; anything else is left for the account
    /// (and noted in `loose`, for parts made only of plain paragraphs).
    fn problem_paragraph(
        &mut self,
        id: usize,
        headed: bool,
        found: &mut Vec<RawItem>,
        loose: &mut Vec<usize>,
    ) {
        let text = self.o.text(id);
        let points = listed_points(text, headed);
        let spans = self.spans(id);
        for &(a, b) in &points {
            let Some(p) = text.get(a..b) else { continue };
            found.push(RawItem {
                title: lead_phrase(p).to_string(),
                body: p.to_string(),
                line: self.line_no(id),
                duty: None,
            });
        }
        let mut left = false;
        for (k, &(a, b)) in spans.iter().enumerate() {
            let s = text.get(a..b).unwrap_or("");
            if points.iter().any(|&(pa, pb)| pa < b && a < pb) {
                self.mark_sentence(id, k, Class::Shortcoming);
            } else if s.contains("原因") {
                self.mark_sentence(id, k, Class::NonTask(Role::Causes));
            } else if is_intro(s) {
                self.mark_sentence(id, k, Class::Heading);
            } else {
                left = true;
            }
        }
        if left && points.is_empty() {
            loose.push(id);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Plans

    fn plans_part(&mut self, id: usize) {
        let first_plans = self.found.plan_year_text.is_empty();
        if first_plans {
            self.found.plan_year_text.push(self.o.text(id).to_string());
        }
        let children = self.own_children(id, Role::Plans);
        let mut areas: Vec<usize> = children
            .iter()
            .copied()
            .filter(|&c| self.o.is_marked(c))
            .collect();
        let mut direct: Vec<RawItem> = Vec::new();
        // "（1）充实执法力量，2025年内补充执法人员3名。": numbered lines that are each one
        // sentence with clauses, and nothing under them, are the plan's items, not area
        // headings; the part is their one area.
        if !areas.is_empty() && areas.iter().all(|&a| self.is_sentence_item(a)) {
            for a in std::mem::take(&mut areas) {
                direct.extend(self.commitments_of(&[(a, true)], false));
            }
        }
        // The part's own line: a cue paragraph introduces; a heading's sentences after its
        // lead phrase are commitments ("一、第1方面工作安排。推进…。推进…。").
        match self.o.kind(id) {
            NodeKind::Cue(..) if self.is_heading_cue(id) => self.mark_line(id, Class::Heading),
            NodeKind::Cue(..) => {
                let spans = self.spans(id);
                let text = self.o.text(id);
                let intro = spans
                    .last()
                    .and_then(|&(a, b)| text.get(a..b))
                    .is_some_and(|x| is_intro(x) && ordinal_points(x).is_empty());
                if intro || !areas.is_empty() {
                    self.mark_line(id, Class::Heading);
                } else {
                    direct.extend(self.commitments_of(&[(id, true)], false));
                }
            }
            _ => {
                self.mark_sentence(id, 0, Class::Heading);
                direct.extend(self.commitments_of(&[(id, false)], false));
            }
        }
        let mut titled: Vec<RawSection> = Vec::new();
        for &c in &children {
            if self.o.is_marked(c) {
                continue;
            }
            if first_plans {
                self.found.plan_year_text.push(self.o.text(c).to_string());
            }
            if areas.is_empty() {
                // "加强执法队伍建设。年内培训…。": a paragraph led by a short title sentence is
                // an area written without a marker.
                if let Some(title) = self.paragraph_title(c) {
                    self.mark_sentence(c, 0, Class::Heading);
                    let items = self.commitments_of(&[(c, true)], false);
                    titled.push(RawSection { title, items });
                    continue;
                }
                // Without area headings every sentence is a commitment, after an opening
                // sentence that introduces them.
                let spans = self.spans(c);
                let text = self.o.text(c);
                if let Some(&(a, b)) = spans.first() {
                    if text
                        .get(a..b)
                        .is_some_and(|x| is_intro(x) && ordinal_points(x).is_empty())
                    {
                        self.mark_sentence(c, 0, Class::Heading);
                    }
                }
                direct.extend(self.commitments_of(&[(c, true)], false));
            } else {
                self.mark_line(c, Class::Heading);
            }
        }
        if !direct.is_empty() || (areas.is_empty() && titled.is_empty()) {
            let title = match self.o.kind(id) {
                NodeKind::Cue(..) if !self.is_heading_cue(id) => "工作安排".to_string(),
                _ => self.o.title(id).to_string(),
            };
            self.found.plans.push(RawSection {
                title,
                items: direct,
            });
        }
        self.found.plans.extend(titled);
        for a in areas {
            let s = self.area(a);
            self.found.plans.push(s);
        }
    }

    /// The title of a plans paragraph that starts with one: a short first sentence without
    /// clauses, figures or a deadline ("加强执法队伍建设。"), with more sentences after it.
    fn paragraph_title(&self, id: usize) -> Option<String> {
        let spans = self.spans(id);
        if spans.len() < 2 {
            return None;
        }
        let text = self.o.text(id);
        let first = spans.first().and_then(|&(a, b)| text.get(a..b))?;
        let t = trim_trailing_punct(first.trim());
        let short = (2..=16).contains(&t.chars().count());
        let plain = !t.chars().any(|c| {
            matches!(c, '，' | ',' | '；' | ';' | '：' | ':')
                || c.is_ascii_digit()
                || ('０'..='９').contains(&c)
        });
        (short && plain && !is_intro(first) && strip_ordinal_word(t) == t).then(|| t.to_string())
    }

    /// A numbered line that is one sentence with clauses ("，") and has nothing under it: an
    /// item written in full, where an area heading is a short phrase ("加强法治队伍建设").
    fn is_sentence_item(&self, id: usize) -> bool {
        let text = self.o.text(id);
        self.o.children(id).is_empty()
            && self.spans(id).len() == 1
            && lead_phrase(text) == trim_trailing_punct(text.trim())
            && lead_phrase(text).contains(['，', ','])
    }

    /// One plan area: the sentences of its line after the lead phrase and of everything
    /// under it. Without any, the area heading itself is the commitment.
    fn area(&mut self, a: usize) -> RawSection {
        let title = self.o.title(a).to_string();
        self.mark_sentence(a, 0, Class::Heading);
        // Groups of lines that share lead-unit sentences: the area's own line and its
        // paragraphs, then each marked line under it with its paragraphs.
        let mut groups: Vec<Vec<(usize, bool)>> = vec![vec![(a, false)]];
        for n in self.o.subtree(a).into_iter().skip(1) {
            if self.o.is_marked(n) {
                groups.push(vec![(n, true)]);
            } else if let Some(g) = groups.last_mut() {
                g.push((n, true));
            }
        }
        // "以上工作由县司法局牵头…" closes the area's last item but speaks for the whole area:
        // items with no lead-unit sentence of their own take it.
        let area_duty = groups
            .iter()
            .flatten()
            .filter(|&&(n, _)| {
                let t = self.o.text(n).trim_start();
                !self.o.is_marked(n) && (t.starts_with("以上") || t.starts_with("上述"))
            })
            .find_map(|&(n, _)| self.duty_of(&[(n, true)], false));
        let mut items = Vec::new();
        for g in &groups {
            let mut got = self.commitments_of(g, true);
            if let Some(d) = &area_duty {
                for it in got.iter_mut().filter(|it| it.duty.is_none()) {
                    it.duty = Some(d.clone());
                }
            }
            items.extend(got);
        }
        if items.is_empty() && has_content(&title) {
            let duty = self.duty_of(&groups.concat(), true);
            self.mark_subtree(a, Class::Commitment);
            let li = self.line_of(a);
            if let Some(l) = self.acc.marks.get_mut(li) {
                if let Some(first) = l.first_mut() {
                    *first = Some(Class::Commitment);
                }
            }
            items.push(RawItem {
                title: title.clone(),
                body: self.o.text(a).to_string(),
                line: self.line_no(a),
                duty,
            });
        }
        RawSection { title, items }
    }

    /// The lead-unit sentences and brackets of a group, merged.
    ///
    /// In an area (`inline`), a bracket inside a commitment sentence speaks for the whole item
    /// too; in a part without areas each sentence is its own item, so its bracket is only its
    /// own (read in [`crate::import::parse`]).
    fn duty_of(&self, group: &[(usize, bool)], inline: bool) -> Option<Duty> {
        let mut duty: Option<Duty> = None;
        for &(n, whole) in group {
            let text = self.o.text(n);
            for (k, &(a, b)) in self.spans(n).iter().enumerate() {
                if k == 0 && !whole {
                    continue;
                }
                let s = text.get(a..b).unwrap_or("");
                let only = is_duty_sentence(s);
                if only || (inline && duty_bracket(s).is_some()) {
                    let d = duty.get_or_insert_with(Duty::default);
                    let fields = match duty_bracket(s) {
                        Some((x, y)) => s.get(x..y),
                        None if starts_with_field(s) => Some(s),
                        None => None,
                    };
                    let named = fields.map(bracket_fields);
                    // A bracket that names only a person is fields too, not prose.
                    let people = fields.map(person_fields).unwrap_or_default();
                    let prose = named
                        .as_ref()
                        .is_none_or(|(l, c, due)| l.is_empty() && c.is_empty() && due.is_none())
                        && people == (None, None);
                    if let Some((lead, co, due)) = named {
                        d.lead.extend(lead);
                        d.co.extend(co);
                        d.due = d.due.take().or(due);
                    }
                    d.person = d.person.take().or(people.0);
                    d.contact = d.contact.take().or(people.1);
                    // A sentence or a bracket in prose ("（县数据局负责）") names its units in
                    // words; a prose bracket inside a commitment sentence speaks for the item.
                    if prose && d.sentence.is_none() {
                        d.sentence = if only {
                            Some(s.to_string())
                        } else {
                            fields.map(str::to_string)
                        };
                    }
                }
            }
        }
        duty
    }

    /// The commitments of a group of lines: every sentence (after the lead phrase of a line
    /// marked `false`) that is not a lead-unit sentence; lead-unit sentences set the duty of
    /// the others.
    fn commitments_of(&mut self, group: &[(usize, bool)], inline: bool) -> Vec<RawItem> {
        let duty = self.duty_of(group, inline);
        let mut out = Vec::new();
        for &(n, whole) in group {
            // A row of a task table is one commitment whose cells name its owner and deadline.
            match self.tables.get(self.line_of(n)).cloned().flatten() {
                Some(TableLine::Header) => {
                    self.mark_line(n, Class::Heading);
                    continue;
                }
                Some(TableLine::Row(row)) => {
                    self.mark_line(n, Class::Commitment);
                    out.push(RawItem {
                        title: row.task,
                        body: self.o.text(n).to_string(),
                        line: self.line_no(n),
                        duty: Some(Duty {
                            sentence: None,
                            lead: row.lead,
                            co: row.co,
                            due: row.due,
                            ..Duty::default()
                        }),
                    });
                    continue;
                }
                None => {}
            }
            let text = self.o.text(n);
            for (k, &(a, b)) in self.spans(n).iter().enumerate() {
                if k == 0 && !whole {
                    continue;
                }
                if self
                    .acc
                    .marks
                    .get(self.line_of(n))
                    .and_then(|m| m.get(k))
                    .is_some_and(|c| c.is_some())
                {
                    continue;
                }
                let s = text.get(a..b).unwrap_or("");
                self.mark_sentence(n, k, Class::Commitment);
                if is_duty_sentence(s) {
                    continue;
                }
                // "…重点抓好以下工作：一是…；二是…；三是…。": each point is a commitment.
                let points = ordinal_points(s);
                if !points.is_empty() {
                    for (x, y) in points {
                        let p = s.get(x..y).unwrap_or("");
                        out.push(RawItem {
                            title: trim_trailing_punct(p.trim()).to_string(),
                            body: p.to_string(),
                            line: self.line_no(n),
                            duty: duty.clone(),
                        });
                    }
                    continue;
                }
                let shown = match duty_bracket(s) {
                    Some((x, y)) => {
                        format!("{}{}", s.get(..x).unwrap_or(""), s.get(y..).unwrap_or(""))
                    }
                    None => s.to_string(),
                };
                let title = trim_trailing_punct(strip_ordinal_word(shown.trim())).to_string();
                if !has_content(&title) {
                    continue;
                }
                out.push(RawItem {
                    title,
                    body: s.to_string(),
                    line: self.line_no(n),
                    duty: duty.clone(),
                });
            }
        }
        out
    }
}

/// "二是充实执法力量，…" › "充实执法力量，…": a sentence of a "一是…。二是…。" paragraph
/// starts with its point's ordinal word, which is a marker, not part of the commitment.
fn strip_ordinal_word(s: &str) -> &str {
    // "首先，…" "其次，…": the sequence words are markers too.
    for w in ["首先", "其次", "再次", "最后"] {
        if let Some(rest) = s.strip_prefix(w) {
            if let Some(r) = rest.strip_prefix(['，', ',']) {
                if has_content(r) {
                    return r.trim_start();
                }
            }
        }
    }
    let Some((n, used)) = crate::import::text::leading_cn_number(s) else {
        return s;
    };
    match s.get(used..).and_then(|r| r.strip_prefix('是')) {
        Some(rest) if n >= 1 && has_content(rest) => {
            rest.trim_start_matches(['，', ',', '：', ':', ' ', '\u{3000}'])
        }
        _ => s,
    }
}

/// A numbered shortcoming's title: its first clause up to "。" or "；".
fn first_clause(s: &str) -> &str {
    let cut = s
        .char_indices()
        .find(|&(_, c)| c == '。' || c == '；' || c == ';')
        .map_or(s, |(i, _)| s.get(..i).unwrap_or(s));
    trim_trailing_punct(cut.trim())
}

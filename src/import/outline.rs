//! Stage one, second half: the outline tree of the body, built from the lexed lines by marker
//! order, with cue paragraphs as nodes of the same tree.
//!
//! A marker family seen for the first time under the current node nests inside it; a family
//! already open closes everything below it and starts a sibling. So "一、" › "（一）" › "1、"
//! and "第一部分" › "其一，" come out right without a list of which family nests in which.
//! A line without a marker is a paragraph of the node above it, unless it is a cue paragraph
//! (see [`crate::import::rules::cue`]): then it opens a part of its own, inside the current
//! top-level part when that part has another role, at the top otherwise.

use crate::import::lex::{Family, Lexed};
use crate::import::rules::{cue, heading_rule, Role, Rule};
use crate::import::text::lead_phrase;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The body itself.
    Root,
    /// A line with a list marker.
    Marked(Family),
    /// A cue paragraph that opens a part.
    Cue(&'static str, Role),
    /// A paragraph: a line without a marker.
    Para,
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// Index of its line in [`Outline::lines`] (unused for the root).
    pub line: usize,
    /// Children, in the order written.
    pub children: Vec<usize>,
}

/// The body as a tree.
#[derive(Debug)]
pub struct Outline<'a> {
    pub lines: Vec<Lexed<'a>>,
    /// Node 0 is the root.
    pub nodes: Vec<Node>,
}

impl<'a> Outline<'a> {
    pub fn node(&self, id: usize) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub fn lexed(&self, id: usize) -> Option<&Lexed<'a>> {
        self.node(id).and_then(|n| self.lines.get(n.line))
    }

    /// The text of a node's line after its marker ("" for the root).
    pub fn text(&self, id: usize) -> &'a str {
        match self.node(id).map(|n| n.kind) {
            None | Some(NodeKind::Root) => "",
            _ => self.lexed(id).map_or("", |l| l.text),
        }
    }

    /// A node's heading: its lead phrase up to the first "。".
    pub fn title(&self, id: usize) -> &'a str {
        lead_phrase(self.text(id))
    }

    pub fn children(&self, id: usize) -> &[usize] {
        self.node(id).map_or(&[], |n| n.children.as_slice())
    }

    pub fn kind(&self, id: usize) -> NodeKind {
        self.node(id).map_or(NodeKind::Para, |n| n.kind)
    }

    pub fn is_marked(&self, id: usize) -> bool {
        matches!(self.kind(id), NodeKind::Marked(_))
    }

    /// The node and all its descendants, in the order written.
    pub fn subtree(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            out.push(n);
            for &c in self.children(n).iter().rev() {
                stack.push(c);
            }
        }
        out
    }

    /// The rule a node's heading matches (a cue's own rule for cue paragraphs).
    pub fn rule(&self, id: usize, report_year: Option<i32>) -> Option<PartRule> {
        match self.kind(id) {
            NodeKind::Marked(_) => heading_rule(self.title(id), report_year).map(PartRule::Heading),
            NodeKind::Cue(name, role) => Some(PartRule::Cue(name, role)),
            _ => None,
        }
    }
}

/// Why a node is a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartRule {
    /// Its heading matched a row of the table.
    Heading(&'static Rule),
    /// It is a cue paragraph.
    Cue(&'static str, Role),
}

impl PartRule {
    pub fn role(self) -> Role {
        match self {
            PartRule::Heading(r) => r.role,
            PartRule::Cue(_, role) => role,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PartRule::Heading(r) => r.name,
            PartRule::Cue(name, _) => name,
        }
    }
}

/// What the stack remembers of an open node.
#[derive(Clone, Copy)]
struct Open {
    id: usize,
    family: Option<Family>,
    /// A cue paragraph that lists its points itself ("…存在一些短板：A；B；C。") is complete:
    /// a later line numbered like the top-level parts is not one of its points.
    complete: bool,
}

/// Builds the tree. `lists_points` tells whether a paragraph lists points itself (used by the
/// shortcomings cue).
pub fn build<'a>(
    lines: Vec<Lexed<'a>>,
    report_year: Option<i32>,
    lists_points: impl Fn(&str) -> bool,
) -> Outline<'a> {
    let mut o = Outline {
        lines,
        nodes: vec![Node {
            kind: NodeKind::Root,
            line: 0,
            children: Vec::new(),
        }],
    };
    let mut stack: Vec<Open> = vec![Open {
        id: 0,
        family: None,
        complete: false,
    }];
    // For each line, the family of the next marked line after it, worked out once so that
    // looking ahead stays linear on any input.
    let mut next_family: Vec<Option<Family>> = vec![None; o.lines.len()];
    let mut seen: Option<Family> = None;
    for (k, l) in o.lines.iter().enumerate().rev() {
        if let Some(slot) = next_family.get_mut(k) {
            *slot = seen;
        }
        if l.family.is_some() {
            seen = l.family;
        }
    }
    let mut top_families: Vec<Family> = Vec::new();
    // The role of each top-level node, worked out once when it is opened.
    let mut top_role: Option<Role> = None;
    // Whether the current top-level node is a part heading (a cue of another role then nests
    // inside it) rather than a cue paragraph (a later cue is then its sibling).
    let mut top_is_heading = false;
    for i in 0..o.lines.len() {
        let Some(l) = o.lines.get(i).copied() else {
            break;
        };
        if let Some(f) = l.family {
            if let Some(k) = stack.iter().rposition(|s| s.family == Some(f)) {
                stack.truncate(k.max(1));
            } else if stack.len() == 2
                && stack.last().is_some_and(|s| s.complete)
                && top_families.contains(&f)
            {
                stack.truncate(1);
            }
            if stack.len() == 1 && !top_families.contains(&f) {
                top_families.push(f);
            }
            let parent = stack.last().map_or(0, |s| s.id);
            let id = push(&mut o, parent, NodeKind::Marked(f), i);
            if stack.len() == 1 {
                top_role = o.rule(id, report_year).map(|r| r.role());
                top_is_heading = true;
            }
            stack.push(Open {
                id,
                family: Some(f),
                complete: false,
            });
            continue;
        }
        let complete = lists_points(l.text);
        if let Some((name, role)) = cue(l.text, report_year, complete) {
            match top_role {
                Some(r) if r == role => {
                    // "二、存在的问题及下一步打算" › "存在的问题：一是…" › "下一步，我县将…": a
                    // cue of the part's own role after a nested cue of another role closes
                    // the nested one and goes on as text of the part.
                    let nested_other = stack.get(2).is_some_and(|s| {
                        matches!(o.node(s.id).map(|n| n.kind), Some(NodeKind::Cue(_, nr)) if nr != role)
                    });
                    if top_is_heading && nested_other {
                        stack.truncate(2);
                    }
                }
                // "（一）…。下一步，我县将持续巩固创建成果。（二）…": a plans sentence that
                // closes an achievement item, with more items of the part after it, is the
                // item's text, not the start of the plans.
                Some(Role::Achievements)
                    if role == Role::Plans
                        && stack.len() > 2
                        && items_continue(&next_family, i, &stack) => {}
                Some(_) if top_is_heading && stack.len() > 1 => {
                    stack.truncate(2);
                    let parent = stack.last().map_or(0, |s| s.id);
                    let id = push(&mut o, parent, NodeKind::Cue(name, role), i);
                    stack.push(Open {
                        id,
                        family: None,
                        complete,
                    });
                    continue;
                }
                _ => {
                    stack.truncate(1);
                    let id = push(&mut o, 0, NodeKind::Cue(name, role), i);
                    top_role = Some(role);
                    top_is_heading = false;
                    stack.push(Open {
                        id,
                        family: None,
                        complete,
                    });
                    continue;
                }
            }
        }
        let parent = stack.last().map_or(0, |s| s.id);
        push(&mut o, parent, NodeKind::Para, i);
    }
    o
}

/// True when the next marked line after line `i` (`next_family[i]`) is numbered like one of
/// the items open under the top-level part: the part goes on after line `i`.
fn items_continue(next_family: &[Option<Family>], i: usize, stack: &[Open]) -> bool {
    let next = next_family.get(i).copied().flatten();
    next.is_some_and(|f| stack.iter().skip(2).any(|s| s.family == Some(f)))
}

fn push(o: &mut Outline<'_>, parent: usize, kind: NodeKind, line: usize) -> usize {
    let id = o.nodes.len();
    o.nodes.push(Node {
        kind,
        line,
        children: Vec::new(),
    });
    if let Some(p) = o.nodes.get_mut(parent) {
        p.children.push(id);
    }
    id
}

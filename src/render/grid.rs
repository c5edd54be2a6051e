//! Tables that fit the terminal. Each column says how important it is and whether its cells may
//! be shortened: dates, refs, status words, numbers and unit names are never split, so when a
//! table is too wide the least important columns are left out first (the footer names them) and
//! only then are titles cut with "…". comfy-table only draws: every width is decided here, by
//! display width, so CJK text counts two columns per character.

use std::fmt;

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{fit, Style};

/// How a column's cells may be shortened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Never shortened: a date, ref, status word, number or unit name.
    Keep,
    /// Cut with "…" down to `min` columns when space is short. Without a width limit the cell
    /// is cut at `cap` columns, as tables have always been printed to a pipe.
    Cut { min: usize, cap: Option<usize> },
    /// Wrapped onto more lines (between words, or between CJK characters) down to `min`
    /// columns; used where the whole text matters, such as a task's details.
    Wrap { min: usize },
}

/// One column of a [`Grid`].
#[derive(Debug, Clone)]
pub struct Col {
    pub header: String,
    /// The name the footer uses when the column is left out (the header, unless it is empty).
    pub name: Option<String>,
    /// 0 is never dropped; larger numbers are dropped first.
    pub priority: u8,
    pub shape: Shape,
    pub right: bool,
}

impl Col {
    pub fn keep(header: &str, priority: u8) -> Col {
        Col {
            header: header.to_string(),
            name: None,
            priority,
            shape: Shape::Keep,
            right: false,
        }
    }

    pub fn num(header: &str, priority: u8) -> Col {
        Col {
            right: true,
            ..Col::keep(header, priority)
        }
    }

    pub fn cut(header: &str, priority: u8, min: usize, cap: Option<usize>) -> Col {
        Col {
            shape: Shape::Cut { min, cap },
            ..Col::keep(header, priority)
        }
    }

    pub fn wrap(header: &str, priority: u8, min: usize) -> Col {
        Col {
            shape: Shape::Wrap { min },
            ..Col::keep(header, priority)
        }
    }
}

/// A table's columns and rows before it is fitted to a width.
#[derive(Debug)]
pub struct Grid {
    pub cols: Vec<Col>,
    rows: Vec<Vec<(String, Option<Color>)>>,
    style: Style,
}

/// A fitted table and the footer that names the columns left out.
pub struct Fitted {
    pub table: Table,
    pub dropped: Vec<String>,
    lang: crate::model::Lang,
    width: Option<usize>,
}

impl fmt::Display for Fitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.table)?;
        if !self.dropped.is_empty() {
            let names = self.dropped.join(&crate::tr!(self.lang, "list.separator"));
            let line = crate::tr!(self.lang, "table.not_shown", names = names);
            // The footer fits the width too.
            let line = match self.width {
                Some(w) => wrap(&line, w),
                None => line,
            };
            write!(f, "\n{line}")?;
        }
        Ok(())
    }
}

/// The width of the widest line of a cell.
fn width_of(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The width taken by borders and padding: "| a | b |".
fn frame(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        3 * n + 1
    }
}

impl Grid {
    pub fn new(style: Style, cols: Vec<Col>) -> Grid {
        Grid {
            cols,
            rows: Vec::new(),
            style,
        }
    }

    /// Adds a row of plain cells.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| (c, None)).collect());
    }

    /// Adds a row whose cells may carry a colour (used only when the style allows colour).
    pub fn colored_row(&mut self, cells: Vec<(String, Option<Color>)>) {
        self.rows.push(cells);
    }

    /// Decides which columns are shown and how wide, then builds the table.
    pub fn fit(self) -> Fitted {
        let n = self.cols.len();
        let natural: Vec<usize> = (0..n)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|(s, _)| width_of(s))
                    .chain([width_of(&self.cols[i].header)])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let min: Vec<usize> = (0..n)
            .map(|i| {
                let head = width_of(&self.cols[i].header);
                match self.cols[i].shape {
                    Shape::Keep => natural[i],
                    Shape::Cut { min, .. } | Shape::Wrap { min } => natural[i].min(min.max(head)),
                }
            })
            .collect();
        let mut shown: Vec<bool> = vec![true; n];
        let mut widths = natural.clone();
        if let Some(limit) = self.style.width {
            let total = |shown: &[bool], w: &[usize]| {
                let k = shown.iter().filter(|s| **s).count();
                (0..n).filter(|i| shown[*i]).map(|i| w[i]).sum::<usize>() + frame(k)
            };
            if !self.style.wide {
                // Leave out the least important columns (the rightmost first among equals)
                // until the shortest form of the rest fits.
                while total(&shown, &min) > limit {
                    let victim = (0..n)
                        .filter(|i| shown[*i] && self.cols[*i].priority > 0)
                        .max_by_key(|i| (self.cols[*i].priority, *i));
                    match victim {
                        Some(i) => shown[i] = false,
                        None => break,
                    }
                }
            }
            if total(&shown, &natural) > limit {
                // Start every shown column at its shortest and give the room left to the
                // shortenable columns, the most important first.
                widths = min.clone();
                let mut room = limit.saturating_sub(total(&shown, &min));
                let mut order: Vec<usize> = (0..n)
                    .filter(|i| shown[*i] && natural[*i] > min[*i])
                    .collect();
                order.sort_by_key(|i| (self.cols[*i].priority, *i));
                for i in order {
                    let more = (natural[i] - min[i]).min(room);
                    widths[i] += more;
                    room -= more;
                }
            }
        }
        let limited = self.style.width.is_some();
        let mut t = Table::new();
        t.load_preset(presets::ASCII_MARKDOWN)
            .set_content_arrangement(ContentArrangement::Disabled);
        if !self.style.color {
            t.force_no_tty();
        } else {
            t.enforce_styling();
        }
        t.set_header(
            (0..n)
                .filter(|i| shown[*i])
                .map(|i| self.cols[i].header.clone()),
        );
        for row in &self.rows {
            let cells = (0..n).filter(|i| shown[*i]).map(|i| {
                let (text, color) = row.get(i).cloned().unwrap_or_default();
                let col = &self.cols[i];
                let text = match col.shape {
                    Shape::Keep => text,
                    Shape::Cut { cap, .. } => match (limited, cap) {
                        (true, _) => cut(&text, widths[i]),
                        (false, Some(c)) => fit(&text, c),
                        (false, None) => text,
                    },
                    Shape::Wrap { .. } if limited => wrap(&text, widths[i]),
                    Shape::Wrap { .. } => text,
                };
                let mut cell = Cell::new(text);
                if col.right {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                match color {
                    Some(c) if self.style.color => cell.fg(c),
                    _ => cell,
                }
            });
            t.add_row(cells.collect::<Vec<_>>());
        }
        Fitted {
            table: t,
            dropped: (0..n)
                .filter(|i| !shown[*i])
                .map(|i| {
                    let c = &self.cols[i];
                    c.name.clone().unwrap_or_else(|| c.header.clone())
                })
                .collect(),
            lang: self.style.lang,
            width: self.style.width,
        }
    }
}

/// Cuts every line of a cell to `max` columns.
fn cut(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.width() <= max {
        return s;
    }
    fit(&s, max.max(1))
}

/// Wraps text to lines of at most `max` columns. Lines break at spaces, or between two CJK
/// characters; a run of other characters (a date, a ref, a number) is split only when it is
/// longer than a whole line.
pub fn wrap(s: &str, max: usize) -> String {
    let max = max.max(1);
    let mut out: Vec<String> = Vec::new();
    for para in s.split('\n') {
        // Tokens: a run of narrow non-space characters, a single wide character, or a space.
        let mut tokens: Vec<String> = Vec::new();
        for c in para.chars() {
            let wide = c.width().unwrap_or(0) > 1;
            let joins = !wide
                && c != ' '
                && tokens.last().is_some_and(|t| {
                    t.chars()
                        .last()
                        .is_some_and(|p| p != ' ' && p.width().unwrap_or(0) <= 1)
                });
            match tokens.last_mut() {
                Some(t) if joins => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
        let mut line = String::new();
        for tok in tokens {
            let tw = tok.width();
            if line.width() + tw > max && !line.is_empty() {
                out.push(line.trim_end().to_string());
                line = String::new();
                if tok == " " {
                    continue;
                }
            }
            if tw > max {
                // A token longer than a line: split it by characters.
                for c in tok.chars() {
                    if line.width() + c.width().unwrap_or(0) > max && !line.is_empty() {
                        out.push(std::mem::take(&mut line));
                    }
                    line.push(c);
                }
            } else {
                line.push_str(&tok);
            }
        }
        out.push(line.trim_end().to_string());
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(width: Option<usize>, wide: bool) -> Style {
        Style {
            lang: crate::model::Lang::En,
            color: false,
            width,
            wide,
        }
    }

    fn grid(width: Option<usize>, wide: bool) -> Fitted {
        let mut g = Grid::new(
            style(width, wide),
            vec![
                Col::num("ID", 0),
                Col::cut("Title", 0, 6, Some(36)),
                Col::keep("Deadline", 1),
                Col::keep("Kind", 5),
            ],
        );
        g.row(vec![
            "7".into(),
            "持续推动党政主要负责人履行职责".into(),
            "2025-12-31".into(),
            "commitment".into(),
        ]);
        g.fit()
    }

    #[test]
    fn the_least_important_column_goes_first_and_words_stay_whole() {
        let f = grid(Some(40), false);
        assert_eq!(f.dropped, ["Kind"]);
        let text = f.to_string();
        assert!(text.contains("2025-12-31"), "{text}");
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(text.contains('…'), "{text}");
        // --wide keeps every column; no width keeps whole rows (titles at their cap).
        assert!(grid(Some(40), true).dropped.is_empty());
        let whole = grid(None, false).to_string();
        assert!(whole.contains("持续推动党政主要负责人履行职责"), "{whole}");
        // Too narrow for even the columns that never go: they stay, whole.
        let tiny = grid(Some(5), false);
        assert_eq!(tiny.dropped, ["Deadline", "Kind"]);
        assert!(tiny.to_string().contains("|  7 |"), "{}", tiny);
    }

    #[test]
    fn wrap_keeps_dates_whole_and_breaks_cjk_anywhere() {
        assert_eq!(wrap("due 2025-12-31 soon", 12), "due\n2025-12-31\nsoon");
        assert_eq!(wrap("持续推动党政", 6), "持续推\n动党政");
        assert_eq!(wrap("abcdefgh", 3), "abc\ndef\ngh");
    }
}

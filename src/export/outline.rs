//! The closing evaluation of an outline period (收官评估): per year of the period what was
//! committed, done, verified, cancelled, carried over and left open; the same per area and
//! per unit; each year's shortcomings and whether something addressed and closed them; and
//! the carried items with their history. Every figure comes from the one replay
//! (db::replay) at each year's end, so a later run gives the same result for the same as-of
//! day. Written as Markdown or HTML through the export's templates and escapers, as an
//! Excel workbook, or as JSON.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use askama::Template;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::db::periods::Period;
use crate::db::replay::{end_of_day, replay_each, replay_touched, rollup_at, Touched};
use crate::model::{Kind, Lang, Status, Word};
use crate::Result;

/// The version of the evaluation's JSON shape.
pub const SCHEMA_VERSION: u32 = 1;

/// What the evaluation covers.
#[derive(Debug, Clone, Serialize)]
pub struct EvalHeader {
    pub ledger: String,
    /// The unit the ledger belongs to (`config name`), named in the title; null when unset.
    pub unit: Option<String>,
    /// The span, e.g. 2021-2025.
    pub outline: String,
    pub name: String,
    pub closing_year: i32,
    pub as_of: NaiveDate,
    pub generated_at: String,
    /// The zone the text formats show times in (the ledger's setting); JSON keeps the stored
    /// RFC 3339 time and leaves it out.
    #[serde(skip)]
    pub timezone: chrono_tz::Tz,
}

/// The figures of a set of commitments (承诺 and 任务), each counted in the year it was
/// planned for, as it stood at that year's end.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub committed: u64,
    pub done: u64,
    pub verified: u64,
    pub cancelled: u64,
    /// Open at the year's end and carried over (结转) to a later year since.
    pub carried: u64,
    /// Open at the year's end and not carried: still owed.
    pub open: u64,
}

impl Figures {
    fn add(&mut self, status: Status, carried: bool) {
        self.committed += 1;
        match status {
            Status::Done => self.done += 1,
            Status::Verified => self.verified += 1,
            Status::Cancelled => self.cancelled += 1,
            _ if carried => self.carried += 1,
            _ => self.open += 1,
        }
    }
}

/// One line of a table: a year, an area or a unit, and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// A shortcoming of a year and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct ShortcomingLine {
    pub year: i32,
    pub id: i64,
    pub label: String,
    pub title: String,
    pub status: Status,
    /// The tasks that address it (by the as-of day), as labels.
    pub addressed_by: Vec<String>,
    /// Closed off: finished itself, or addressed and every task addressing it finished.
    pub closed: bool,
    /// The earlier shortcomings it repeats (重复出现, confirmed with `link --same-as`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recurs: Vec<Recurrence>,
}

/// An earlier shortcoming that a later one repeats, and whether it had been closed off.
#[derive(Debug, Clone, Serialize)]
pub struct Recurrence {
    pub id: i64,
    pub label: String,
    pub year: i32,
    pub closed: bool,
}

/// One row of a carried item's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryLine {
    pub effective: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub note: Option<String>,
}

/// A task carried over from a year of the period.
#[derive(Debug, Clone, Serialize)]
pub struct CarriedItem {
    pub id: i64,
    pub label: String,
    pub title: String,
    pub from: i32,
    pub to: i32,
    /// Its status on the as-of day.
    pub status: Status,
    pub history: Vec<HistoryLine>,
}

/// The closing evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub schema_version: u32,
    pub header: EvalHeader,
    pub years: Vec<Line>,
    pub total: Figures,
    /// Whether `areas` are the outline areas (FZ01–FZ10) rather than the reports' areas.
    pub outline_areas: bool,
    pub areas: Vec<Line>,
    pub owners: Vec<Line>,
    pub shortcomings: Vec<ShortcomingLine>,
    pub carried: Vec<CarriedItem>,
}

/// A task as the as-of day left it: what the shortcomings and carried items need.
struct Final {
    year: i32,
    title: String,
    reference: Option<String>,
    status: Status,
}

fn label(id: i64, reference: Option<&str>) -> String {
    reference.map_or_else(|| format!("#{id}"), str::to_string)
}

/// Evaluates `period` as it stood at the end of `as_of`.
pub fn evaluate(
    conn: &Connection,
    period: &Period,
    as_of: NaiveDate,
    ledger: String,
    now: &str,
) -> Result<Evaluation> {
    let final_cut = end_of_day(as_of);
    let carries = crate::db::carry::carries(conn, &final_cut)?;
    let carried_out: HashMap<(i64, i32), i32> = carries
        .iter()
        .map(|&(id, from, to)| ((id, from), to))
        .collect();
    let tagged = crate::db::periods::has_outline_areas(conn, period)?;

    // The as-of day: statuses, titles and links for the shortcomings and carried items.
    let kids = rollup_at(conn, Some(&final_cut))?;
    let mut finals: HashMap<i64, Final> = HashMap::new();
    let mut addressers: HashMap<i64, Vec<i64>> = HashMap::new();
    replay_each(conn, Some(&final_cut), None, as_of, &kids, |r| {
        for s in &r.addresses {
            addressers.entry(*s).or_default().push(r.task.id);
        }
        finals.insert(
            r.task.id,
            Final {
                year: r.task.year,
                title: r.task.title,
                reference: r.task.reference,
                status: r.task.status,
            },
        );
        Ok(())
    })?;

    let none = "—".to_string();
    let mut years = Vec::new();
    let mut total = Figures::default();
    let mut areas: BTreeMap<String, Figures> = BTreeMap::new();
    let mut owners: BTreeMap<String, Figures> = BTreeMap::new();
    let mut shortcoming_ids: Vec<(i32, i64)> = Vec::new();
    for y in period.start..=period.end {
        let mut fig = Figures::default();
        let Some(start) = NaiveDate::from_ymd_opt(y, 1, 1) else {
            continue;
        };
        let day = crate::model::date::end_of_year(y).map_or(as_of, |e| e.min(as_of));
        if day >= start {
            // Each year as it stood at its own end: a task carried on 1 January of the next
            // year still counts in the year it was planned for.
            let cut = end_of_day(day);
            let kids = rollup_at(conn, Some(&cut))?;
            // Only the tasks that may have been planned for the year then are replayed: at a
            // million tasks, five full replays were most of the evaluation's time.
            let candidates = Touched::planned_in(conn, y)?;
            replay_touched(conn, &cut, day, &kids, &candidates, |t| {
                if t.year != y {
                    return Ok(());
                }
                match t.kind {
                    Kind::Shortcoming => shortcoming_ids.push((y, t.id)),
                    Kind::Commitment | Kind::Task => {
                        let carried = carried_out.contains_key(&(t.id, y));
                        fig.add(t.status, carried);
                        total.add(t.status, carried);
                        let area = if tagged {
                            t.outline_area.clone()
                        } else {
                            t.area.clone()
                        };
                        areas
                            .entry(area.unwrap_or_else(|| none.clone()))
                            .or_default()
                            .add(t.status, carried);
                        owners
                            .entry(t.owner.clone().unwrap_or_else(|| none.clone()))
                            .or_default()
                            .add(t.status, carried);
                    }
                    Kind::Achievement => {}
                }
                Ok(())
            })?;
        }
        years.push(Line {
            key: y.to_string(),
            figures: fig,
        });
    }

    let finished = |id: &i64| finals.get(id).is_some_and(|f| f.status.is_finished());
    let closed = |id: i64| {
        let by = addressers.get(&id).map(Vec::as_slice).unwrap_or_default();
        finished(&id) || (!by.is_empty() && by.iter().all(finished))
    };
    let mut repeats: HashMap<i64, Vec<i64>> = HashMap::new();
    for (later, earlier) in crate::db::recur::pairs(conn, &final_cut)? {
        repeats.entry(later).or_default().push(earlier);
    }
    let shortcomings = shortcoming_ids
        .into_iter()
        .filter_map(|(year, id)| {
            let f = finals.get(&id)?;
            let by = addressers.get(&id).cloned().unwrap_or_default();
            let recurs = repeats
                .get(&id)
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    let ef = finals.get(e)?;
                    Some(Recurrence {
                        id: *e,
                        label: label(*e, ef.reference.as_deref()),
                        year: ef.year,
                        closed: closed(*e),
                    })
                })
                .collect();
            Some(ShortcomingLine {
                year,
                id,
                label: label(id, f.reference.as_deref()),
                title: f.title.clone(),
                status: f.status,
                addressed_by: by
                    .iter()
                    .map(|a| label(*a, finals.get(a).and_then(|f| f.reference.as_deref())))
                    .collect(),
                closed: closed(id),
                recurs,
            })
        })
        .collect();

    let mut carried = Vec::new();
    for (id, from, to) in carries {
        if !period.contains(from) {
            continue;
        }
        let Some(f) = finals.get(&id) else { continue };
        let mut rows = crate::db::history::rows(conn, Some(id), None, None)?;
        // In the order the changes took effect, as replay applies them.
        rows.sort_by(|a, b| (a.effective.get(..19), a.id).cmp(&(b.effective.get(..19), b.id)));
        let history = rows
            .into_iter()
            .filter(|h| h.effective.get(..19).unwrap_or(&h.effective) <= final_cut.as_str())
            .map(|h| HistoryLine {
                effective: h.effective,
                field: h.field,
                old: h.old,
                new: h.new,
                note: h.note,
            })
            .collect();
        carried.push(CarriedItem {
            id,
            label: label(id, f.reference.as_deref()),
            title: f.title.clone(),
            from,
            to,
            status: f.status,
            history,
        });
    }

    let lines = |m: BTreeMap<String, Figures>| -> Vec<Line> {
        m.into_iter()
            .map(|(key, figures)| Line { key, figures })
            .collect()
    };
    Ok(Evaluation {
        schema_version: SCHEMA_VERSION,
        header: EvalHeader {
            ledger,
            unit: None,
            outline: period.span().to_string(),
            name: period.name.clone(),
            closing_year: period.closing_year,
            as_of,
            generated_at: now.to_string(),
            timezone: crate::model::zone::DEFAULT,
        },
        years,
        total,
        outline_areas: tagged,
        areas: lines(areas),
        owners: lines(owners),
        shortcomings,
        carried,
    })
}

/// The words of the evaluation page in one language, and its figures as printed text.
pub struct EvalPage<'a> {
    pub e: &'a Evaluation,
    pub title: String,
    /// The ledger's name; empty when unset, and then not shown.
    pub unit: String,
    /// When the evaluation was made, as local time.
    pub generated: String,
    pub l: EvalLabels,
    pub shortcomings: Vec<ShortcomingRow>,
    pub carried: Vec<CarriedRow>,
}

/// The fixed words of the evaluation page.
pub struct EvalLabels {
    pub html_lang: String,
    pub sep: String,
    /// 填报单位: the unit the ledger belongs to.
    pub unit: String,
    pub outline: String,
    pub closing: String,
    pub as_of: String,
    pub generated: String,
    pub by_year: String,
    pub by_area: String,
    pub by_owner: String,
    pub year: String,
    pub area: String,
    pub owner: String,
    pub total: String,
    pub cols: [String; 6],
    pub shortcomings: String,
    pub none: String,
    pub carried: String,
    pub history: String,
}

impl EvalLabels {
    fn new(lang: Lang, outline_areas: bool) -> EvalLabels {
        EvalLabels {
            html_lang: crate::tr!(lang, "export.evaluation.html_lang"),
            sep: crate::tr!(lang, "export.evaluation.sep"),
            unit: crate::tr!(lang, "export.evaluation.unit"),
            outline: crate::tr!(lang, "export.evaluation.outline"),
            closing: crate::tr!(lang, "export.evaluation.closing"),
            as_of: crate::tr!(lang, "export.evaluation.as_of"),
            generated: crate::tr!(lang, "export.evaluation.generated"),
            by_year: crate::tr!(lang, "export.evaluation.by_year"),
            by_area: if outline_areas {
                crate::tr!(lang, "export.evaluation.by_outline_area")
            } else {
                crate::tr!(lang, "export.evaluation.by_area")
            },
            by_owner: crate::tr!(lang, "export.evaluation.by_owner"),
            year: crate::tr!(lang, "export.evaluation.year"),
            area: if outline_areas {
                crate::tr!(lang, "export.evaluation.outline_area")
            } else {
                crate::tr!(lang, "export.evaluation.area")
            },
            owner: crate::tr!(lang, "export.evaluation.owner"),
            total: crate::tr!(lang, "export.evaluation.total"),
            cols: [
                crate::tr!(lang, "export.evaluation.committed"),
                crate::tr!(lang, "export.evaluation.done"),
                crate::tr!(lang, "export.evaluation.verified"),
                crate::tr!(lang, "export.evaluation.cancelled"),
                crate::tr!(lang, "export.evaluation.carried_over"),
                crate::tr!(lang, "export.evaluation.still_open"),
            ],
            shortcomings: crate::tr!(lang, "export.evaluation.shortcomings"),
            none: crate::tr!(lang, "export.evaluation.none"),
            carried: crate::tr!(lang, "export.evaluation.carried"),
            history: crate::tr!(lang, "export.evaluation.history"),
        }
    }
}

/// A shortcoming as the page prints it.
pub struct ShortcomingRow {
    pub year: i32,
    pub label: String,
    pub title: String,
    pub status: String,
    pub addressed_by: String,
    pub closed: String,
    /// 重复出现 with the earlier year and whether it had been closed, if it repeats one.
    pub recurs: Vec<String>,
}

/// A carried item as the page prints it.
pub struct CarriedRow {
    pub label: String,
    pub title: String,
    pub moved: String,
    pub status: String,
    pub history: Vec<String>,
}

impl<'a> EvalPage<'a> {
    pub fn new(e: &'a Evaluation, lang: Lang) -> EvalPage<'a> {
        let h = &e.header;
        let unit = h.unit.clone().unwrap_or_default();
        // The period as the title names it: a name that already holds its years (法治政府建设
        // 实施纲要（2021—2025年）) is not followed by the span again; "十五五" is.
        let (start, end) = h.outline.split_once('-').unwrap_or((&h.outline, ""));
        let period = if h.name.contains(start) && h.name.contains(end) {
            h.name.clone()
        } else {
            crate::tr!(
                lang,
                "export.evaluation.period_with_span",
                name = h.name,
                outline = h.outline
            )
        };
        // English names the unit after "Closing evaluation: " only when there is one.
        let title = if unit.is_empty() {
            crate::tr!(lang, "export.evaluation.title", period = period)
        } else {
            crate::tr!(
                lang,
                "export.evaluation.title_of_unit",
                unit = unit,
                period = period
            )
        };
        let yes_no = |b: bool| {
            if b {
                crate::tr!(lang, "export.evaluation.closed")
            } else {
                crate::tr!(lang, "export.evaluation.open")
            }
        };
        let shortcomings = e
            .shortcomings
            .iter()
            .map(|s| ShortcomingRow {
                year: s.year,
                label: s.label.clone(),
                title: s.title.clone(),
                status: s.status.label(lang).to_string(),
                addressed_by: if s.addressed_by.is_empty() {
                    crate::tr!(lang, "export.evaluation.nothing")
                } else {
                    s.addressed_by
                        .join(&crate::tr!(lang, "export.evaluation.list_separator"))
                },
                closed: yes_no(s.closed),
                recurs: s
                    .recurs
                    .iter()
                    .map(|r| recurrence_text(r.year, &r.label, r.closed, lang))
                    .collect(),
            })
            .collect();
        let carried = e
            .carried
            .iter()
            .map(|c| CarriedRow {
                label: c.label.clone(),
                title: c.title.clone(),
                moved: crate::tr!(lang, "export.evaluation.moved", from = c.from, to = c.to),
                status: c.status.label(lang).to_string(),
                history: c
                    .history
                    .iter()
                    .map(|r| {
                        // Values read as `history` shows them: status words in the reader's
                        // language, "（无）" for none.
                        let v = |s: &Option<String>| {
                            crate::render::history_value(&r.field, s.as_deref(), lang)
                        };
                        let day = r.effective.get(..10).unwrap_or(&r.effective);
                        // A creation row holds the whole new task as JSON: its day says enough.
                        if r.field == "created" {
                            return format!("{day} {}", crate::render::field_label(&r.field, lang));
                        }
                        let mut s = crate::tr!(
                            lang,
                            "export.evaluation.change",
                            day = day,
                            field = crate::render::field_label(&r.field, lang),
                            old = v(&r.old),
                            new = v(&r.new)
                        );
                        if let Some(n) = &r.note {
                            s.push_str(&format!("（{n}）"));
                        }
                        s
                    })
                    .collect(),
            })
            .collect();
        EvalPage {
            e,
            title,
            unit,
            generated: super::local_time(&h.generated_at, h.timezone, lang),
            l: EvalLabels::new(lang, e.outline_areas),
            shortcomings,
            carried,
        }
    }
}

#[derive(Template)]
#[template(path = "evaluation.md")]
struct Markdown<'a> {
    p: &'a EvalPage<'a>,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct Html<'a> {
    p: &'a EvalPage<'a>,
}

/// Writes the evaluation as Markdown.
pub fn write_md(e: &Evaluation, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    Markdown {
        p: &EvalPage::new(e, lang),
    }
    .write_into(out)
}

/// Writes the evaluation as one HTML page.
pub fn write_html(e: &Evaluation, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    Html {
        p: &EvalPage::new(e, lang),
    }
    .write_into(out)
}

/// The evaluation as an Excel workbook: one sheet of figures (years, areas, units), one of
/// shortcomings, one of carried items.
pub fn workbook(e: &Evaluation, lang: Lang) -> Result<rust_xlsxwriter::Workbook> {
    let p = EvalPage::new(e, lang);
    let err = |e: rust_xlsxwriter::XlsxError| crate::Error::write("the workbook", e);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    {
        let ws = wb.add_worksheet();
        ws.set_name(crate::tr!(lang, "export.evaluation.sheet_figures"))
            .map_err(err)?;
        ws.write_string_with_format(0, 0, &p.title, &bold)
            .map_err(err)?;
        ws.write_string(1, 0, format!("{}{}{}", p.l.as_of, p.l.sep, e.header.as_of))
            .map_err(err)?;
        let mut row = 3u32;
        let tables: [(&str, &str, Vec<&Line>); 3] = [
            (&p.l.by_year, &p.l.year, e.years.iter().collect()),
            (&p.l.by_area, &p.l.area, e.areas.iter().collect()),
            (&p.l.by_owner, &p.l.owner, e.owners.iter().collect()),
        ];
        for (heading, first, lines) in tables {
            ws.write_string_with_format(row, 0, heading, &bold)
                .map_err(err)?;
            row += 1;
            ws.write_string_with_format(row, 0, first, &bold)
                .map_err(err)?;
            for (i, c) in p.l.cols.iter().enumerate() {
                ws.write_string_with_format(row, i as u16 + 1, c, &bold)
                    .map_err(err)?;
            }
            row += 1;
            for l in lines {
                ws.write_string(row, 0, &l.key).map_err(err)?;
                let f = &l.figures;
                for (i, n) in [
                    f.committed,
                    f.done,
                    f.verified,
                    f.cancelled,
                    f.carried,
                    f.open,
                ]
                .into_iter()
                .enumerate()
                {
                    ws.write_number(row, i as u16 + 1, n as f64).map_err(err)?;
                }
                row += 1;
            }
            row += 1;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(crate::tr!(lang, "export.evaluation.sheet_shortcomings"))
            .map_err(err)?;
        let head = [
            p.l.year.clone(),
            crate::tr!(lang, "export.evaluation.col_ref"),
            crate::tr!(lang, "export.evaluation.col_shortcoming"),
            crate::tr!(lang, "export.evaluation.col_status"),
            crate::tr!(lang, "export.evaluation.col_addressed_by"),
            crate::tr!(lang, "export.evaluation.col_closed"),
        ];
        for (i, h) in head.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &bold)
                .map_err(err)?;
        }
        for (r, s) in p.shortcomings.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_number(r, 0, f64::from(s.year)).map_err(err)?;
            for (i, v) in [&s.label, &s.title, &s.status, &s.addressed_by, &s.closed]
                .into_iter()
                .enumerate()
            {
                ws.write_string(r, i as u16 + 1, v).map_err(err)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(crate::tr!(lang, "export.evaluation.sheet_carried"))
            .map_err(err)?;
        let head = [
            crate::tr!(lang, "export.evaluation.col_ref"),
            crate::tr!(lang, "export.evaluation.col_title"),
            crate::tr!(lang, "export.evaluation.col_carried"),
            crate::tr!(lang, "export.evaluation.col_status"),
            p.l.history.clone(),
        ];
        for (i, h) in head.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &bold)
                .map_err(err)?;
        }
        for (r, c) in p.carried.iter().enumerate() {
            let r = r as u32 + 1;
            for (i, v) in [&c.label, &c.title, &c.moved, &c.status]
                .into_iter()
                .enumerate()
            {
                ws.write_string(r, i as u16, v).map_err(err)?;
            }
            ws.write_string(r, 4, c.history.join("\n")).map_err(err)?;
        }
    }
    Ok(wb)
}

/// How a repeated shortcoming is flagged: 重复出现 with the earlier year and item, and
/// whether that earlier item had been closed off. The year export uses the same words.
pub fn recurrence_text(year: i32, label: &str, closed: bool, lang: Lang) -> String {
    if closed {
        crate::tr!(
            lang,
            "export.evaluation.recurs_closed",
            year = year,
            label = label
        )
    } else {
        crate::tr!(
            lang,
            "export.evaluation.recurs_open",
            year = year,
            label = label
        )
    }
}

//! Outline periods (纲要期间) as data: the spans of plan years the ledger follows, their names
//! and closing years (收官之年). Every task belongs to the period of its plan year.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::Writer;
use crate::model::{Lang, Outline};
use crate::{Error, Result};

/// The name of the national outline that closed with 2025.
pub const DEFAULT_NAME: &str = "法治政府建设实施纲要（2021—2025年）";

/// One outline period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: i32,
    pub end: i32,
    pub name: String,
    pub closing_year: i32,
}

impl Period {
    /// The span as the ledger writes it, e.g. 2021-2025.
    pub fn span(&self) -> Outline {
        Outline {
            start: self.start,
            end: self.end,
        }
    }

    pub fn contains(&self, year: i32) -> bool {
        (self.start..=self.end).contains(&year)
    }
}

/// The name a period gets when none is given: the national outline's for 2021–2025.
pub fn default_name(o: Outline) -> String {
    if o == Outline::default() {
        DEFAULT_NAME.to_string()
    } else {
        format!("纲要（{}—{}年）", o.start, o.end)
    }
}

/// Gives a new ledger its one period.
pub fn insert_default(conn: &Connection, o: Outline) -> Result<()> {
    conn.execute(
        "INSERT INTO outline_period(start_year, end_year, name, closing_year)
         VALUES (?1, ?2, ?3, ?2)",
        rusqlite::params![o.start, o.end, default_name(o)],
    )?;
    Ok(())
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Period> {
    Ok(Period {
        start: r.get(0)?,
        end: r.get(1)?,
        name: r.get(2)?,
        closing_year: r.get(3)?,
    })
}

/// Every period, earliest first.
pub fn list(conn: &Connection) -> Result<Vec<Period>> {
    let mut stmt = conn.prepare_cached(
        "SELECT start_year, end_year, name, closing_year FROM outline_period ORDER BY start_year",
    )?;
    let v = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The period a plan year belongs to, if any.
pub fn of_year(conn: &Connection, year: i32) -> Result<Option<Period>> {
    let mut stmt = conn.prepare_cached(
        "SELECT start_year, end_year, name, closing_year FROM outline_period
         WHERE start_year <= ?1 AND end_year >= ?1",
    )?;
    Ok(stmt.query_row([year], from_row).optional()?)
}

/// The period with exactly this span, if any.
pub fn with_span(conn: &Connection, o: Outline) -> Result<Option<Period>> {
    Ok(of_year(conn, o.start)?.filter(|p| p.span() == o))
}

/// Refuses a plan year outside every period, with the command that adds one.
pub fn require_year(conn: &Connection, year: i32, lang: Lang) -> Result<Period> {
    of_year(conn, year)?.ok_or_else(|| {
        let start = year - (year - 1).rem_euclid(5);
        Error::Refused(crate::tr!(
            lang,
            "periods.year_outside",
            year = year,
            start = start,
            end = start + 4
        ))
    })
}

/// Adds a period; an overlapping one is refused and names the period it overlaps.
pub fn add(w: &Writer, o: Outline, name: &str, lang: Lang) -> Result<Period> {
    let clash = list(w.conn())?
        .into_iter()
        .find(|p| p.start <= o.end && p.end >= o.start);
    if let Some(p) = clash {
        return Err(Error::Conflict(crate::tr!(
            lang,
            "periods.overlaps",
            span = o,
            other = p.span(),
            name = p.name
        )));
    }
    w.conn().execute(
        "INSERT INTO outline_period(start_year, end_year, name, closing_year)
         VALUES (?1, ?2, ?3, ?2)",
        rusqlite::params![o.start, o.end, name],
    )?;
    record(w, o, "added", None, Some(name))?;
    Ok(Period {
        start: o.start,
        end: o.end,
        name: name.to_string(),
        closing_year: o.end,
    })
}

/// Takes in the periods another ledger brings (a JSON Lines merge): a period with the same
/// span is already there (the ledger keeps its own name), a new one is added, and one that
/// overlaps a period of the ledger differently is refused as `add` refuses it.
pub fn merge(w: &Writer, incoming: &[Period], lang: Lang) -> Result<()> {
    for p in incoming {
        // The file is another program's text until proved: a span or name `outline add`
        // would refuse is refused here too.
        let span = format!("{}-{}", p.start, p.end)
            .parse::<Outline>()
            .map_err(|e| Error::Refused(format!("the file's header: {e}; nothing was imported")))?;
        crate::cli::parse_name(&p.name).map_err(|e| {
            Error::Refused(format!(
                "the file's header: outline period {span}: {e}; nothing was imported"
            ))
        })?;
        if with_span(w.conn(), p.span())?.is_some() {
            continue;
        }
        let clash = list(w.conn())?
            .into_iter()
            .find(|q| q.start <= p.end && q.end >= p.start);
        if let Some(q) = clash {
            return Err(Error::Conflict(crate::tr!(
                lang,
                "periods.merge_overlaps",
                span = span,
                name = p.name,
                other = q.span(),
                other_name = q.name
            )));
        }
        add(w, p.span(), &p.name, lang)?;
    }
    Ok(())
}

/// The first plan year of a task after `after_id` that lies in no period, if any.
pub fn first_year_outside(conn: &Connection, after_id: i64) -> Result<Option<i32>> {
    Ok(conn
        .query_row(
            "SELECT t.year FROM task t
             WHERE t.id > ?1 AND t.year IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM outline_period p
                               WHERE t.year BETWEEN p.start_year AND p.end_year)
             ORDER BY t.id LIMIT 1",
            [after_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Renames the period with this span.
pub fn rename(w: &Writer, o: Outline, name: &str, lang: Lang) -> Result<Period> {
    let old = with_span(w.conn(), o)?.map(|p| p.name);
    let n = w.conn().execute(
        "UPDATE outline_period SET name = ?3 WHERE start_year = ?1 AND end_year = ?2",
        rusqlite::params![o.start, o.end, name],
    )?;
    if n == 0 {
        return Err(Error::NotFound(crate::tr!(
            lang,
            "periods.no_such",
            span = o
        )));
    }
    // The same name again changes nothing, and so records nothing.
    if old.as_deref() != Some(name) {
        record(w, o, "name", old.as_deref(), Some(name))?;
    }
    with_span(w.conn(), o)?.ok_or_else(|| Error::NotFound(format!("outline period {o}")))
}

/// `init --outline` on a ledger: a new (empty) ledger takes the span as its one period; a
/// ledger that holds tasks keeps its periods and is told to add one instead, because changing
/// the span under existing years would rename the period those years were reported in.
pub fn set_initial(w: &Writer, o: Outline) -> Result<()> {
    if with_span(w.conn(), o)?.is_some() {
        return Ok(());
    }
    let tasks: i64 = w
        .conn()
        .query_row("SELECT count(*) FROM task", [], |r| r.get(0))?;
    if tasks > 0 {
        return Err(Error::Refused(format!(
            "this ledger already holds tasks, so its outline period is not replaced; add {o} with `outline add {o} --name NAME` (已有任务的台账请用 outline add 添加期间)"
        )));
    }
    w.conn().execute("DELETE FROM outline_period", [])?;
    insert_default(w.conn(), o)
}

/// Whether any task planned in the period carries an outline area tag (FZ01–FZ10): the
/// evaluation then groups by those areas, else by the reports' own areas.
pub fn has_outline_areas(conn: &Connection, p: &Period) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM task
                        WHERE outline_area IS NOT NULL AND year BETWEEN ?1 AND ?2)",
        [p.start, p.end],
        |r| r.get(0),
    )?)
}

/// Appends one row of what this change did to a period, so that `history` shows it and
/// `undo` can take it back.
fn record(w: &Writer, o: Outline, field: &str, old: Option<&str>, new: Option<&str>) -> Result<()> {
    let change = w.change_id()?;
    w.conn().execute(
        "INSERT INTO period_history(change_id, start_year, end_year, field, old, new)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![change, o.start, o.end, field, old, new],
    )?;
    Ok(())
}

/// One change to a period, with the change it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodChange {
    pub change_id: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub span: String,
    /// added, removed or name.
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The changes made to periods, oldest first (on or after `since`, when given).
pub fn changes(conn: &Connection, since: Option<&str>) -> Result<Vec<PeriodChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.at, c.actor, c.command, p.start_year, p.end_year, p.field, p.old, p.new
         FROM period_history p JOIN change c ON c.id = p.change_id
         WHERE c.at >= COALESCE(?1, '') ORDER BY p.id",
    )?;
    let v = stmt
        .query_map([since], |r| {
            Ok(PeriodChange {
                change_id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                command: r.get(3)?,
                span: format!("{}-{}", r.get::<_, i32>(4)?, r.get::<_, i32>(5)?),
                field: r.get(6)?,
                old: r.get(7)?,
                new: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The period rows of one change: (start, end, field, old, new), in order.
type Row = (i32, i32, String, Option<String>, Option<String>);

fn rows_of(conn: &Connection, change: i64) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(
        "SELECT start_year, end_year, field, old, new FROM period_history
         WHERE change_id = ?1 ORDER BY id",
    )?;
    let v = stmt
        .query_map([change], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// Why undo cannot take back the period rows of a change, if it cannot: a period it added now
/// holds tasks (removing it would leave their plan years in no period), or someone changed the
/// same period since (their change would be lost).
pub fn undo_refusal(conn: &Connection, change: i64, command: &str) -> Result<()> {
    for (start, end, field, _, _) in rows_of(conn, change)? {
        let later: Option<(i64, String)> = conn
            .query_row(
                "SELECT c.id, c.command FROM period_history p JOIN change c ON c.id = p.change_id
                 WHERE p.change_id > ?1 AND p.start_year = ?2
                   AND NOT EXISTS (SELECT 1 FROM change u WHERE u.undoes = c.id)
                   AND c.undoes IS NULL
                 ORDER BY c.id LIMIT 1",
                rusqlite::params![change, start],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((c, cmd)) = later {
            return Err(Error::Conflict(format!(
                "cannot undo change #{change} ({command}): outline period {start}-{end} was changed since in change #{c} ({cmd})"
            )));
        }
        if field == "added" {
            let held: Option<(i64, i32)> = conn
                .query_row(
                    "SELECT id, year FROM task WHERE year BETWEEN ?1 AND ?2 ORDER BY id LIMIT 1",
                    [start, end],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((task, year)) = held {
                return Err(Error::Refused(format!(
                    "cannot undo change #{change} ({command}): task #{task} has plan year {year} in outline period {start}-{end}, which would then lie in no period; move such tasks with update --year first, or keep the period (撤销会使任务的计划年度不在任何纲要期间内)"
                )));
            }
        }
    }
    Ok(())
}

/// Takes back the period rows of a change, newest first, inside the undo's transaction: an
/// added period is removed, a rename is named back. Returns the rows written.
pub fn undo_change(w: &Writer, change: i64, command: &str) -> Result<usize> {
    undo_refusal(w.conn(), change, command)?;
    let rows = rows_of(w.conn(), change)?;
    for (start, end, field, old, new) in rows.iter().rev() {
        let o = Outline {
            start: *start,
            end: *end,
        };
        match field.as_str() {
            "added" => {
                w.conn().execute(
                    "DELETE FROM outline_period WHERE start_year = ?1 AND end_year = ?2",
                    [start, end],
                )?;
                record(w, o, "removed", new.as_deref(), None)?;
            }
            "name" => {
                let back = old.as_deref().unwrap_or_default();
                w.conn().execute(
                    "UPDATE outline_period SET name = ?3 WHERE start_year = ?1 AND end_year = ?2",
                    rusqlite::params![start, end, back],
                )?;
                record(w, o, "name", new.as_deref(), old.as_deref())?;
            }
            // A removal is only ever written by an undo, which is not itself undone.
            _ => {}
        }
    }
    Ok(rows.len())
}

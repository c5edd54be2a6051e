//! The aggregate behind the progress table, computed by SQLite in one pass over the selected
//! tasks.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;

use super::tasks::{where_clause, Filter, STATUS_ORDER};
use crate::Result;

/// What the progress table groups by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupBy {
    #[default]
    Area,
    Owner,
    Status,
    Kind,
    Year,
    OutlineArea,
}

impl GroupBy {
    fn column(self) -> &'static str {
        match self {
            GroupBy::Area => "t.area",
            GroupBy::Owner => "t.owner",
            GroupBy::Status => "t.status",
            GroupBy::Kind => "t.kind",
            GroupBy::Year => "CAST(t.year AS TEXT)",
            GroupBy::OutlineArea => "t.outline_area",
        }
    }

    /// Areas keep the order in which they first entered the ledger (the order of the report
    /// they came from); statuses and kinds keep their vocabulary's order; the rest sort by name.
    fn order(self) -> String {
        match self {
            GroupBy::Area => "MIN(t.id)".into(),
            GroupBy::Status => format!("MIN({STATUS_ORDER})"),
            GroupBy::Kind => "CASE t.kind WHEN 'commitment' THEN 0 WHEN 'shortcoming' THEN 1
                WHEN 'achievement' THEN 2 ELSE 3 END"
                .into(),
            _ => "g IS NULL, g".into(),
        }
    }
}

/// One row of the progress table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Group {
    /// The group's key: the area, owner, year…; null for tasks without one.
    pub group: Option<String>,
    pub total: u64,
    pub todo: u64,
    pub doing: u64,
    pub blocked: u64,
    pub done: u64,
    pub verified: u64,
    pub cancelled: u64,
    pub overdue: u64,
    /// Mean progress of the group's tasks that are not cancelled, 0–100 with one decimal.
    pub progress: f64,
    #[serde(skip)]
    progress_sum: f64,
    #[serde(skip)]
    progress_n: u64,
}

/// The whole progress table.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub by: GroupBy,
    pub as_of: NaiveDate,
    pub groups: Vec<Group>,
    pub total: Group,
}

fn mean(sum: f64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        (sum / n as f64 * 10.0).round() / 10.0
    }
}

/// Computes the progress table of the tasks a filter selects.
pub fn report(conn: &Connection, by: GroupBy, f: &Filter, as_of: NaiveDate) -> Result<Report> {
    let (wh, mut params) = where_clause(f, as_of);
    params.push(Value::Text(as_of.to_string()));
    let as_of_param = params.len();
    let sql = format!(
        "SELECT {col} AS g, count(*),
            sum(t.status = 'todo'), sum(t.status = 'doing'), sum(t.status = 'blocked'),
            sum(t.status = 'done'), sum(t.status = 'verified'), sum(t.status = 'cancelled'),
            sum(t.deadline < ?{as_of_param} AND t.status NOT IN ('done', 'verified', 'cancelled')),
            total(CASE WHEN t.status <> 'cancelled' THEN
                COALESCE((SELECT avg(c.progress) FROM task c
                          WHERE c.parent_id = t.id AND c.status <> 'cancelled'), t.progress)
                END),
            sum(t.status <> 'cancelled')
         FROM task t {wh} GROUP BY g ORDER BY {order}",
        col = by.column(),
        order = by.order(),
    );
    let mut stmt = conn.prepare(&sql)?;
    let groups = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            let n = |i: usize| -> rusqlite::Result<u64> {
                Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
            };
            let progress_sum: f64 = r.get(9)?;
            let progress_n = n(10)?;
            Ok(Group {
                group: r.get(0)?,
                total: n(1)?,
                todo: n(2)?,
                doing: n(3)?,
                blocked: n(4)?,
                done: n(5)?,
                verified: n(6)?,
                cancelled: n(7)?,
                overdue: n(8)?,
                progress: mean(progress_sum, progress_n),
                progress_sum,
                progress_n,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut total = Group::default();
    for g in &groups {
        total.total += g.total;
        total.todo += g.todo;
        total.doing += g.doing;
        total.blocked += g.blocked;
        total.done += g.done;
        total.verified += g.verified;
        total.cancelled += g.cancelled;
        total.overdue += g.overdue;
        total.progress_sum += g.progress_sum;
        total.progress_n += g.progress_n;
    }
    total.progress = mean(total.progress_sum, total.progress_n);
    Ok(Report {
        by,
        as_of,
        groups,
        total,
    })
}

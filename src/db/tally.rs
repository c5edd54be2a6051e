//! Running counts behind the unfiltered progress table: per grouping, key and status, how
//! many tasks and the sum of their shown progress (a parent's is the mean of its sub-tasks
//! that are not cancelled). Every write that can change a task's group, status or shown
//! progress takes the affected tasks out of the tally before and puts them back after, in the
//! same transaction; a bulk import rebuilds it whole. `check` proves it equals a recount.
//!
//! With it, `report` without filters reads a few hundred rows instead of every task.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};

use super::progress::GroupBy;
use crate::Result;

/// The key stored for tasks with no value of a grouping (no owner, no area…).
pub const NONE_KEY: &str = "\u{0}";

/// Recomputes the whole tally from the tasks.
pub fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM tally", [])?;
    for by in GroupBy::ALL {
        let key = by.tally_key();
        conn.execute(
            &format!(
                "INSERT INTO tally(grouping, key, status, n, progress, first)
                 SELECT ?1, {key}, t.status, count(*),
                        total(CASE WHEN t.status <> 'cancelled'
                                   THEN COALESCE(k.p, t.progress) END),
                        min(t.id)
                 FROM task t LEFT JOIN (
                     SELECT parent_id AS pid, avg(progress) AS p FROM task
                     WHERE parent_id IS NOT NULL AND status <> 'cancelled' GROUP BY parent_id
                 ) k ON k.pid = t.id
                 GROUP BY 2, 3"
            ),
            rusqlite::params![by.name(), NONE_KEY],
        )?;
    }
    Ok(())
}

/// What one task adds to the tally: its key in each grouping, its status, and its shown
/// progress when it counts towards the mean.
struct Share {
    keys: [String; GroupBy::ALL.len()],
    status: String,
    progress: f64,
}

/// The query behind `share`: the status, the shown progress, then one key per grouping in
/// the order of `GroupBy::ALL`. Built once per process, so the per-write cost is unchanged.
fn share_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let keys: Vec<&str> = GroupBy::ALL.iter().map(|b| b.tally_key()).collect();
        format!(
            "SELECT t.status,
                    CASE WHEN t.status = 'cancelled' THEN 0.0 ELSE
                        COALESCE((SELECT avg(c.progress) FROM task c
                                  WHERE c.parent_id = t.id AND c.status <> 'cancelled'),
                                 t.progress) END,
                    {}
             FROM task t WHERE t.id = ?1",
            keys.join(", ")
        )
    })
}

fn share(conn: &Connection, id: i64) -> Result<Option<Share>> {
    Ok(conn
        .prepare_cached(share_sql())?
        .query_row(rusqlite::params![id, NONE_KEY], |r| {
            let mut keys: [String; GroupBy::ALL.len()] = Default::default();
            for (i, k) in keys.iter_mut().enumerate() {
                *k = r.get(i + 2)?;
            }
            Ok(Share {
                keys,
                status: r.get(0)?,
                progress: r.get(1)?,
            })
        })
        .optional()?)
}

/// Adds (`sign` 1) or removes (`sign` -1) the shares of these tasks.
fn apply(conn: &Connection, ids: &BTreeSet<i64>, sign: i64) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tally(grouping, key, status, n, progress, first)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(grouping, key, status) DO UPDATE
         SET n = n + excluded.n, progress = progress + excluded.progress,
             first = min(first, excluded.first)",
    )?;
    for &id in ids {
        // The filtered counts follow the same tasks at the same moments.
        super::tally_by::apply(conn, id, sign)?;
        let Some(s) = share(conn, id)? else {
            continue;
        };
        for (by, key) in GroupBy::ALL.iter().zip(&s.keys) {
            stmt.execute(rusqlite::params![
                by.name(),
                key,
                s.status,
                sign,
                sign as f64 * s.progress,
                id
            ])?;
        }
    }
    Ok(())
}

/// The task and its current parent: the shares a change to `id` can move (plus a new parent,
/// which the caller adds).
pub fn affected(conn: &Connection, id: i64) -> Result<BTreeSet<i64>> {
    let parent: Option<i64> = conn
        .prepare_cached("SELECT parent_id FROM task WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok([Some(id), parent].into_iter().flatten().collect())
}

/// Runs `change` with the shares of the existing tasks in `before` taken out first, then puts
/// back theirs and those of the tasks `change` created. `before` must hold every existing
/// task whose group, status or shown progress the change can move.
pub fn around<T>(
    conn: &Connection,
    mut before: BTreeSet<i64>,
    change: impl FnOnce() -> Result<(T, Vec<i64>)>,
) -> Result<T> {
    apply(conn, &before, -1)?;
    let (out, created) = change()?;
    before.extend(created);
    apply(conn, &before, 1)?;
    // Every write of a task comes through here, so the index of tasks by unit follows the
    // same tasks in the same transaction.
    super::units::sync(conn, &before)?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::NaiveDate;

    use crate::db::progress::tally_differs;
    use crate::db::tasks::{insert, update, Changes};
    use crate::db::testing::{meta, task};
    use crate::db::Ledger;
    use crate::model::{Kind, Status, Word};

    /// Hundreds of random inserts and updates (statuses, progress, owners, areas, years,
    /// re-parenting, cancellations) keep the running counts equal to a recount.
    #[test]
    fn random_changes_keep_the_tally_exact() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let meta = meta();
        let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let mut seed: u64 = 42;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let areas = [None, Some("执法"), Some("普法"), Some("复议")];
        let owners = [None, Some("区司法局"), Some("区城管局")];
        let mut ids: Vec<i64> = Vec::new();
        for step in 0..400 {
            let op = next(10);
            if ids.len() < 5 || op < 3 {
                let parent = if !ids.is_empty() && next(3) == 0 {
                    Some(ids[next(ids.len() as u64) as usize])
                } else {
                    None
                };
                let mut t = task(&format!("任务{step}"));
                t.kind = Kind::ALL[next(4) as usize];
                t.area = areas[next(4) as usize].map(String::from);
                t.owner = owners[next(3) as usize].map(String::from);
                t.status = Status::ALL[next(5) as usize];
                t.progress = next(101) as u8;
                t.deadline = NaiveDate::from_ymd_opt(2025, 1 + next(12) as u32, 1);
                t.year = 2024 + next(3) as i32;
                t.parent_id = parent;
                ids.push(l.write(&meta, |w| insert(w, &t, None)).unwrap());
            } else {
                let id = ids[next(ids.len() as u64) as usize];
                let mut c = Changes::default();
                match next(6) {
                    0 => c.status = Some(Status::ALL[next(6) as usize]),
                    1 => c.progress = Some(next(101) as u8),
                    2 => c.owner = owners[1 + next(2) as usize].map(String::from),
                    3 => c.area = areas[1 + next(3) as usize].map(String::from),
                    4 => c.parent_id = Some(ids[next(ids.len() as u64) as usize]),
                    _ => c.status = Some(Status::Cancelled),
                }
                // Cycles are refused; the ledger and the tally stay as they were.
                let _ = l.write(&meta, |w| update(w, id, &c, Some("随机"), day));
            }
            if step % 50 == 49 {
                let differ = l.read(|c| tally_differs(c, day)).unwrap();
                assert!(differ.is_empty(), "after step {step}: {differ:?}");
            }
        }
    }
}

//! The units register (单位库) and the index of the units each task carries.
//!
//! A task keeps its unit names as they were written (its `owner` and `co_owners` columns and
//! its history never change when a unit is renamed). The register maps every name to one unit:
//! a unit's current name, or one of its aliases (a former name, or another name the office
//! declares). Views resolve names through the register when they read, so a rename shows at
//! once everywhere and rewrites nothing; the register is small (tens to hundreds of units), so
//! loading it whole costs well under a millisecond.
//!
//! `task_unit` holds, per task, each unit name it carries and whether as lead or supporting
//! unit: `--owner X` looks the names of X's unit up in its primary key instead of reading
//! every task's JSON list of co-owners. It is kept in the same transaction as every write of
//! a task (`sync`, called from `tally::around`, which every task write goes through), rebuilt
//! by bulk imports and the upgrade (`rebuild`), and proved by `check` (`differs`).

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::Writer;

use crate::model::{Lang, Task};
use crate::{Error, Result};

/// The rows of `task_unit` a task's current columns call for.
const DERIVED: &str = "SELECT owner AS name, 'lead' AS role, id AS task_id FROM task
                       WHERE owner IS NOT NULL
                       UNION
                       SELECT j.value, 'co', t.id FROM task t, json_each(t.co_owners) j";

/// Registers the names of `task_unit` (of one task, or all with `None`) that name no unit yet.
fn register_sql(one: bool) -> String {
    format!(
        "INSERT INTO unit(name)
         SELECT DISTINCT tu.name FROM task_unit tu
         WHERE {} NOT EXISTS (SELECT 1 FROM unit u WHERE u.name = tu.name)
           AND NOT EXISTS (SELECT 1 FROM unit_alias a WHERE a.alias = tu.name)
         ORDER BY tu.name",
        if one { "tu.task_id = ?1 AND" } else { "" }
    )
}

/// Brings the index rows of these tasks in line with their current columns and registers the
/// names they use for the first time.
pub fn sync(conn: &Connection, ids: &BTreeSet<i64>) -> Result<()> {
    let mut clear = conn.prepare_cached("DELETE FROM task_unit WHERE task_id = ?1")?;
    let mut fill = conn.prepare_cached(
        "INSERT OR IGNORE INTO task_unit(name, role, task_id)
         SELECT owner, 'lead', id FROM task WHERE id = ?1 AND owner IS NOT NULL
         UNION ALL
         SELECT j.value, 'co', t.id FROM task t, json_each(t.co_owners) j WHERE t.id = ?1",
    )?;
    let sql = register_sql(true);
    let mut register = conn.prepare_cached(&sql)?;
    for &id in ids {
        clear.execute([id])?;
        fill.execute([id])?;
        register.execute([id])?;
    }
    Ok(())
}

/// Rebuilds the whole index from the tasks and registers every name not yet known.
pub fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM task_unit", [])?;
    conn.execute(
        &format!("INSERT OR IGNORE INTO task_unit(name, role, task_id) {DERIVED}"),
        [],
    )?;
    conn.execute(&register_sql(false), [])?;
    Ok(())
}

/// What `check` finds wrong with the index and the register, one line each.
pub fn differs(conn: &Connection) -> Result<Vec<crate::i18n::Msg>> {
    let mut out = Vec::new();
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    // Both sides are sets (the index's primary key, the UNION): the derived rows the index
    // lacks and the two sizes say whether they are equal, with one EXCEPT instead of two.
    let missing = count(&format!(
        "SELECT count(*) FROM (SELECT * FROM ({DERIVED})
                               EXCEPT SELECT name, role, task_id FROM task_unit)"
    ))?;
    let derived = count(&format!("SELECT count(*) FROM ({DERIVED})"))?;
    let stored = count("SELECT count(*) FROM task_unit")?;
    let extra = stored - (derived - missing);
    if missing + extra > 0 {
        out.push(crate::msg!(
            "check.unit_index_differs",
            missing = missing,
            extra = extra
        ));
    }
    let unknown = count(
        "SELECT count(DISTINCT name) FROM task_unit tu
         WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.name = tu.name)
           AND NOT EXISTS (SELECT 1 FROM unit_alias a WHERE a.alias = tu.name)",
    )?;
    if unknown > 0 {
        out.push(crate::msg!("check.unit_names_unknown", count = unknown));
    }
    let both = count("SELECT count(*) FROM unit_alias a JOIN unit u ON u.name = a.alias")?;
    if both > 0 {
        out.push(crate::msg!("check.alias_is_name", count = both));
    }
    let orphans = count(
        "SELECT count(*) FROM unit_alias a WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.id = a.unit_id)",
    )?;
    if orphans > 0 {
        out.push(crate::msg!("check.alias_orphaned", count = orphans));
    }
    Ok(out)
}

/// A unit of the register, with its aliases and how many tasks carry one of its names.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub short: Option<String>,
    pub aliases: Vec<String>,
    /// Tasks it leads.
    pub lead: u64,
    /// Tasks it supports (配合).
    pub co: u64,
}

/// Every unit, by name, with its aliases and task counts.
pub fn list(conn: &Connection) -> Result<Vec<Unit>> {
    let mut units: Vec<Unit> = Vec::new();
    let mut at: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT id, name, short FROM unit ORDER BY name")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            at.insert(r.get(0)?, units.len());
            units.push(Unit {
                id: r.get(0)?,
                name: r.get(1)?,
                short: r.get(2)?,
                aliases: Vec::new(),
                lead: 0,
                co: 0,
            });
        }
    }
    let mut by_name: HashMap<String, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.clone(), i))
        .collect();
    {
        let mut stmt = conn.prepare("SELECT alias, unit_id FROM unit_alias ORDER BY alias")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let alias: String = r.get(0)?;
            if let Some(&i) = at.get(&r.get::<_, i64>(1)?) {
                units[i].aliases.push(alias.clone());
                by_name.insert(alias, i);
            }
        }
    }
    let mut stmt =
        conn.prepare("SELECT name, role, count(*) FROM task_unit GROUP BY name, role")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(0)?;
        let role: String = r.get(1)?;
        let n: i64 = r.get(2)?;
        if let Some(&i) = by_name.get(&name) {
            let n = u64::try_from(n).unwrap_or(0);
            if role == "lead" {
                units[i].lead += n;
            } else {
                units[i].co += n;
            }
        }
    }
    Ok(units)
}

/// A unit of the register as JSON Lines carries it: (name, short name, aliases).
pub type Entry = (String, Option<String>, Vec<String>);

/// Every unit, by name: the register as JSON Lines exports it.
pub fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT unit_id, alias FROM unit_alias ORDER BY alias")?;
    for r in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, a) = r?;
        aliases.entry(id).or_default().push(a);
    }
    let mut stmt = conn.prepare("SELECT id, name, short FROM unit ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (id, name, short) = r?;
        out.push((name, short, aliases.remove(&id).unwrap_or_default()));
    }
    Ok(out)
}

/// Takes a unit of another ledger's register (a JSON Lines import): its names join the unit
/// one of them already stands for here, or make a new unit. Names that stand for two
/// different units here are refused: the registers disagree, and the office decides.
pub fn merge_entry(
    conn: &Connection,
    name: &str,
    short: Option<&str>,
    aliases: &[String],
) -> std::result::Result<(), String> {
    let names: Vec<&str> = std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .collect();
    let mut target: Option<(i64, String)> = None;
    for n in &names {
        if let Some((id, current)) = find(conn, n).map_err(|e| e.to_string())? {
            match &target {
                Some((t, other)) if *t != id => {
                    return Err(format!(
                        "the unit '{name}' of the file joins '{other}' and '{current}', two units of this ledger; align the registers with `taizhang unit alias` or `unalias` first"
                    ));
                }
                _ => target = Some((id, current)),
            }
        }
    }
    let sql = |e: rusqlite::Error| e.to_string();
    let id = match target {
        Some((id, _)) => id,
        None => {
            conn.execute(
                "INSERT INTO unit(name, short) VALUES (?1, ?2)",
                rusqlite::params![name, short],
            )
            .map_err(sql)?;
            conn.last_insert_rowid()
        }
    };
    for n in &names {
        if find(conn, n).map_err(|e| e.to_string())?.is_none() {
            conn.execute(
                "INSERT INTO unit_alias(alias, unit_id) VALUES (?1, ?2)",
                rusqlite::params![n, id],
            )
            .map_err(sql)?;
        }
    }
    conn.execute(
        "UPDATE unit SET short = ?1 WHERE id = ?2 AND short IS NULL",
        rusqlite::params![short, id],
    )
    .map_err(sql)?;
    Ok(())
}

/// The unit a name stands for, as (id, current name): by its name or by an alias.
pub fn find(conn: &Connection, name: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name FROM unit WHERE name = ?1
             UNION ALL
             SELECT u.id, u.name FROM unit_alias a JOIN unit u ON u.id = a.unit_id
             WHERE a.alias = ?1
             LIMIT 1",
        )?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Every name of the unit `name` stands for (its name first, then its aliases), for the
/// `--owner` and `--lead` filters; a name the register does not know stands for itself.
pub fn names_of(conn: &Connection, name: &str) -> Result<Vec<String>> {
    let Some((id, current)) = find(conn, name)? else {
        return Ok(vec![name.to_string()]);
    };
    let mut names = vec![current];
    let mut stmt =
        conn.prepare_cached("SELECT alias FROM unit_alias WHERE unit_id = ?1 ORDER BY alias")?;
    for a in stmt.query_map([id], |r| r.get::<_, String>(0))? {
        names.push(a?);
    }
    Ok(names)
}

fn unknown(name: &str, lang: Lang) -> Error {
    Error::NotFound(crate::tr!(lang, "unit.unknown", name = name))
}

/// Gives the unit `old` stands for the name `new`. Its current name becomes an alias, so the
/// tasks and history that wrote it still resolve to the unit.
pub fn rename(conn: &Connection, old: &str, new: &str, lang: Lang) -> Result<String> {
    let (id, current) = find(conn, old)?.ok_or_else(|| unknown(old, lang))?;
    if current == new {
        return Ok(current);
    }
    if let Some((other, other_name)) = find(conn, new)? {
        if other != id {
            return Err(Error::Conflict(crate::tr!(
                lang,
                "unit.name_taken",
                new = new,
                other = other_name,
                current = current
            )));
        }
        // The new name was an alias of this unit: it stops being one.
        conn.execute("DELETE FROM unit_alias WHERE alias = ?1", [new])?;
    }
    conn.execute(
        "INSERT INTO unit_alias(alias, unit_id) VALUES (?1, ?2)",
        rusqlite::params![current, id],
    )?;
    conn.execute(
        "UPDATE unit SET name = ?1 WHERE id = ?2",
        rusqlite::params![new, id],
    )?;
    Ok(current)
}

/// Sets a unit's short name (简称).
pub fn set_short(conn: &Connection, name: &str, short: Option<&str>, lang: Lang) -> Result<()> {
    let (id, _) = find(conn, name)?.ok_or_else(|| unknown(name, lang))?;
    conn.execute(
        "UPDATE unit SET short = ?1 WHERE id = ?2",
        rusqlite::params![short, id],
    )?;
    Ok(())
}

/// What `alias` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aliased {
    /// The alias was new.
    Added,
    /// The alias was the name of another unit, whose names now all belong to this one.
    Merged,
}

/// Makes `alias` another name of the unit `name` stands for. An alias that is already a
/// name of the same unit would make a loop, and one that is an alias of another unit would
/// name two units: both are refused. A name another unit goes by (its own name) merges that
/// unit into this one: the office says they are one.
pub fn alias(conn: &Connection, name: &str, alias: &str, lang: Lang) -> Result<Aliased> {
    let (id, current) = find(conn, name)?.ok_or_else(|| unknown(name, lang))?;
    let is_alias_of: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT u.id, u.name FROM unit_alias a JOIN unit u ON u.id = a.unit_id WHERE a.alias = ?1",
        )?
        .query_row([alias], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if alias == current || is_alias_of.as_ref().is_some_and(|(u, _)| *u == id) {
        return Err(Error::Refused(crate::tr!(
            lang,
            "unit.alias_loop",
            alias = alias,
            current = current
        )));
    }
    if let Some((_, other)) = is_alias_of {
        return Err(Error::Conflict(crate::tr!(
            lang,
            "unit.alias_taken",
            alias = alias,
            other = other
        )));
    }
    let other: Option<i64> = conn
        .prepare_cached("SELECT id FROM unit WHERE name = ?1")?
        .query_row([alias], |r| r.get(0))
        .optional()?;
    match other {
        Some(other) => {
            // The other unit's aliases come along, and its name becomes an alias.
            conn.execute(
                "UPDATE unit_alias SET unit_id = ?1 WHERE unit_id = ?2",
                [id, other],
            )?;
            conn.execute("DELETE FROM unit WHERE id = ?1", [other])?;
            conn.execute(
                "INSERT INTO unit_alias(alias, unit_id) VALUES (?1, ?2)",
                rusqlite::params![alias, id],
            )?;
            Ok(Aliased::Merged)
        }
        None => {
            conn.execute(
                "INSERT INTO unit_alias(alias, unit_id) VALUES (?1, ?2)",
                rusqlite::params![alias, id],
            )?;
            Ok(Aliased::Added)
        }
    }
}

/// Removes an alias. When tasks still carry that name, it becomes a unit of its own again,
/// so that every name a task uses stays in the register.
pub fn unalias(conn: &Connection, alias: &str, lang: Lang) -> Result<()> {
    let n = conn.execute("DELETE FROM unit_alias WHERE alias = ?1", [alias])?;
    if n == 0 {
        return Err(Error::NotFound(crate::tr!(
            lang,
            "unit.not_an_alias",
            alias = alias
        )));
    }
    conn.execute(
        "INSERT INTO unit(name) SELECT ?1 WHERE EXISTS (SELECT 1 FROM task_unit WHERE name = ?1)",
        [alias],
    )?;
    Ok(())
}

/// The current name of every alias, loaded once per command, to show tasks' units by their
/// current names.
#[derive(Debug, Clone, Default)]
pub struct Current(HashMap<String, String>);

impl Current {
    pub fn load(conn: &Connection) -> Result<Current> {
        let mut stmt = conn.prepare_cached(
            "SELECT a.alias, u.name FROM unit_alias a JOIN unit u ON u.id = a.unit_id",
        )?;
        let map = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Current(map))
    }

    /// The current name for a name as written.
    pub fn name<'a>(&'a self, written: &'a str) -> &'a str {
        self.0.get(written).map_or(written, String::as_str)
    }

    /// The name as shown: the current name of the unit it stands for.
    pub fn shown(&self, written: &Option<String>) -> Option<String> {
        written.as_deref().map(|w| self.name(w).to_string())
    }

    /// Shows a task's lead and supporting units by their current names (a supporting unit
    /// listed twice under two of its names is listed once).
    pub fn relabel(&self, t: &mut Task) {
        if self.0.is_empty() {
            return;
        }
        t.owner = self.shown(&t.owner);
        let mut co: Vec<String> = Vec::with_capacity(t.co_owners.len());
        for c in &t.co_owners {
            let n = self.name(c).to_string();
            if !co.contains(&n) {
                co.push(n);
            }
        }
        t.co_owners = co;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::NaiveDate;

    use super::differs;
    use crate::db::tasks::{insert, list, Filter, Scope, Sort};
    use crate::db::testing::{meta, task};
    use crate::db::Ledger;
    use crate::model::{Status, Word};

    /// `list --owner` through the index, in batches, finds exactly the tasks an in-memory
    /// filter of every task finds, with and without other filters and limits, across more
    /// than one batch.
    #[test]
    fn owner_lists_equal_a_filter_of_every_task() {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let units = ["甲局", "乙局", "丙局", "丁局"];
        l.write(&meta(), |w| {
            for i in 0..1500usize {
                let mut t = task(&format!("任务{i}"));
                t.owner = Some(units[i % 4].to_string());
                t.co_owners = if i % 3 == 0 {
                    vec![units[(i + 1) % 4].to_string(), units[i % 4].to_string()]
                } else {
                    vec![]
                };
                t.status = Status::ALL[i % 5];
                insert(w, &t, None)?;
            }
            Ok(())
        })
        .unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let all = l
            .read(|c| list(c, &Filter::default(), Sort::Id, None, day))
            .unwrap();
        for owners in [vec!["乙局"], vec!["甲局", "丁局"], vec!["无此局"]] {
            for statuses in [vec![], vec![Status::Doing]] {
                for limit in [None, Some(50), Some(700)] {
                    let f = Filter {
                        statuses: statuses.clone(),
                        scope: Scope {
                            owners: owners.iter().map(|s| s.to_string()).collect(),
                            ..Scope::default()
                        },
                        ..Filter::default()
                    };
                    let got: Vec<i64> = l
                        .read(|c| list(c, &f, Sort::Id, limit, day))
                        .unwrap()
                        .iter()
                        .map(|t| t.id)
                        .collect();
                    let want: Vec<i64> = all
                        .iter()
                        .filter(|t| f.matches(t, day))
                        .map(|t| t.id)
                        .take(limit.map_or(usize::MAX, |n| n as usize))
                        .collect();
                    assert_eq!(got, want, "{owners:?} {statuses:?} {limit:?}");
                }
            }
        }
        assert!(l.read(differs).unwrap().is_empty());
    }
}

/// One unit of the register as a snapshot keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
struct Kept {
    id: i64,
    name: String,
    short: Option<String>,
    aliases: Vec<String>,
}

/// The whole register (units, short names, aliases), as the JSON a `unit_edit` row keeps.
fn snapshot(conn: &Connection) -> Result<String> {
    let mut units: Vec<Kept> = conn
        .prepare_cached("SELECT id, name, short FROM unit ORDER BY id")?
        .query_map([], |r| {
            Ok(Kept {
                id: r.get(0)?,
                name: r.get(1)?,
                short: r.get(2)?,
                aliases: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt =
        conn.prepare_cached("SELECT alias FROM unit_alias WHERE unit_id = ?1 ORDER BY alias")?;
    for u in &mut units {
        u.aliases = stmt
            .query_map([u.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    serde_json::to_string(&units).map_err(|e| Error::Corrupt(e.to_string()))
}

/// One recorded edit of the register, with the change it was made in.
#[derive(Debug, Clone, Serialize)]
pub struct Edit {
    pub id: i64,
    pub change_id: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    /// rename, alias, unalias, short, or undo (an edit taken back).
    pub action: String,
    /// The unit, by its name when the edit was made.
    pub unit: String,
    pub old: Option<String>,
    pub new: Option<String>,
    #[serde(skip)]
    before: String,
}

/// Runs one register edit `f` in the writer's change and records it (old → new) with the
/// register as it was, so that `unit history` lists it and `undo` can take it back. An edit
/// that changes nothing (a rename to the current name) records nothing.
pub fn edited<T>(
    w: &Writer,
    action: &str,
    unit: &str,
    old: Option<&str>,
    new: Option<&str>,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let before = snapshot(w.conn())?;
    let out = f(w.conn())?;
    if snapshot(w.conn())? != before {
        record(w, action, unit, old, new, &before)?;
    }
    Ok(out)
}

fn record(
    w: &Writer,
    action: &str,
    unit: &str,
    old: Option<&str>,
    new: Option<&str>,
    before: &str,
) -> Result<()> {
    let change = w.change_id()?;
    w.conn()
        .prepare_cached(
            "INSERT INTO unit_edit(change_id, action, unit, old, new, before)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![change, action, unit, old, new, before])?;
    Ok(())
}

const EDITS: &str =
    "SELECT e.id, e.change_id, c.at, c.actor, c.command, e.action, e.unit, e.old, e.new, e.before
    FROM unit_edit e JOIN change c ON c.id = e.change_id";

fn edit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Edit> {
    Ok(Edit {
        id: r.get(0)?,
        change_id: r.get(1)?,
        at: r.get(2)?,
        actor: r.get(3)?,
        command: r.get(4)?,
        action: r.get(5)?,
        unit: r.get(6)?,
        old: r.get(7)?,
        new: r.get(8)?,
        before: r.get(9)?,
    })
}

/// Every recorded edit of the register, oldest first.
pub fn edits(conn: &Connection) -> Result<Vec<Edit>> {
    let sql = format!("{EDITS} ORDER BY e.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], edit_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The register edit a change made, if it made one.
pub fn edit_of_change(conn: &Connection, change: i64) -> Result<Option<Edit>> {
    let sql = format!("{EDITS} WHERE e.change_id = ?1 ORDER BY e.id LIMIT 1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([change], edit_row)
        .optional()?)
}

/// Takes a register edit back by restoring the register as it was before it, in the writer's
/// change (itself recorded, as action `undo`). Refused when the register was edited since (that
/// edit would be lost: undo it first), or when tasks have used a name the edit brought in,
/// which would leave them naming no unit. Names first used by tasks since the edit stay
/// registered as units of their own.
pub fn undo_edit(w: &Writer, e: &Edit) -> Result<()> {
    let conn = w.conn();
    let later: Option<i64> = conn
        .prepare_cached(
            "SELECT change_id FROM unit_edit
             WHERE id > ?1 AND action <> 'undo'
               AND change_id NOT IN (SELECT undoes FROM change WHERE undoes IS NOT NULL)
             ORDER BY id LIMIT 1",
        )?
        .query_row([e.id], |r| r.get(0))
        .optional()?;
    if let Some(c) = later {
        return Err(Error::conflict(crate::msg!(
            "undo.unit_edited_since",
            change = e.change_id,
            later = c
        )));
    }
    let kept: Vec<Kept> =
        serde_json::from_str(&e.before).map_err(|err| Error::Corrupt(err.to_string()))?;
    let before = snapshot(conn)?;
    conn.execute("DELETE FROM unit_alias", [])?;
    conn.execute("DELETE FROM unit", [])?;
    for u in &kept {
        conn.prepare_cached("INSERT INTO unit(id, name, short) VALUES (?1, ?2, ?3)")?
            .execute(rusqlite::params![u.id, u.name, u.short])?;
        for a in &u.aliases {
            conn.prepare_cached("INSERT INTO unit_alias(alias, unit_id) VALUES (?1, ?2)")?
                .execute(rusqlite::params![a, u.id])?;
        }
    }
    // The names tasks carry that the old register does not know.
    let missing: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT name FROM task_unit
             WHERE name NOT IN (SELECT name FROM unit) AND name NOT IN (SELECT alias FROM unit_alias)
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(name) = missing
        .iter()
        .find(|m| Some(m.as_str()) == e.new.as_deref())
    {
        return Err(Error::refused(crate::msg!(
            "undo.unit_name_in_use",
            change = e.change_id,
            name = name
        )));
    }
    for m in &missing {
        conn.prepare_cached("INSERT INTO unit(name) VALUES (?1)")?
            .execute([m])?;
    }
    record(
        w,
        "undo",
        &e.unit,
        e.new.as_deref(),
        e.old.as_deref(),
        &before,
    )
}

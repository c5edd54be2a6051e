//! The ledger's proof of its own integrity: SQLite's checks plus the invariants of taizhang.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rusqlite::Connection;

use super::replay::{replay_each, Rollup};
use super::tasks::{task_from_row, NewTask, TASK_COLUMNS};
use crate::i18n::Msg;
use crate::model::field::Field;
use crate::model::Task;
use crate::Result;

/// Every problem found, one line each; empty when the ledger is sound. Each is a catalogue
/// message, rendered where it is shown: in the user's language on the terminal, in English
/// in JSON and in restore's refusal.
pub fn check(conn: &Connection, as_of: NaiveDate) -> Result<Vec<Msg>> {
    // SQLite's integrity check looks every row up in each of its table's indexes: with the
    // default 2 MB page cache the upper levels of the twenty-odd indexes do not stay in
    // memory at a million tasks, and each descent reads them again. A larger but fixed cache
    // keeps them, so memory stays constant whatever the size of the ledger.
    let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -CHECK_CACHE_KIB)?;
    let out = check_all(conn, as_of);
    conn.pragma_update(None, "cache_size", cache)?;
    out
}

/// The page cache of `check`, in KiB.
const CHECK_CACHE_KIB: i64 = 32 * 1024;

fn check_all(conn: &Connection, as_of: NaiveDate) -> Result<Vec<Msg>> {
    let mut problems = Vec::new();

    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            problems.push(crate::msg!("check.integrity", detail = row));
        }
    }
    // Structural damage makes the checks below meaningless (and may make them fail).
    if !problems.is_empty() {
        return Ok(problems);
    }

    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (table, rowid, parent) = row?;
        problems.push(crate::msg!(
            "check.foreign_key",
            table = table,
            rowid = rowid.map_or("?".into(), |r| r.to_string()),
            parent = parent
        ));
    }

    let simple: [(&'static str, &str); 4] = [
        (
            "check.history_without_task",
            // In task order, so that SQLite reads the history by its (task_id, id) index
            // and looks the tasks up one after the other, not in the random order of an
            // index by time (29 s of a 1M check before).
            "SELECT h.id, h.task_id
             FROM history h LEFT JOIN task t ON t.id = h.task_id WHERE t.id IS NULL
             ORDER BY h.task_id, h.id",
        ),
        (
            "check.ref_reused",
            "SELECT ref, count(*)
             FROM task WHERE ref IS NOT NULL GROUP BY ref HAVING count(*) > 1",
        ),
        (
            "check.progress_out_of_range",
            "SELECT id, progress
             FROM task WHERE progress NOT BETWEEN 0 AND 100 OR typeof(progress) <> 'integer'",
        ),
        (
            "check.creation_rows",
            "SELECT t.id, count(h.id)
             FROM task t LEFT JOIN history h ON h.task_id = t.id AND h.field = 'created'
             GROUP BY t.id HAVING count(h.id) <> 1",
        ),
    ];
    for (key, sql) in simple {
        rows_as(conn, key, sql, &mut problems)?;
    }

    cycles(conn, &mut problems)?;
    documents(conn, &mut problems)?;
    evidence_files(conn, &mut problems)?;
    changes(conn, &mut problems)?;
    settings(conn, &mut problems)?;
    history_chain(conn, &mut problems)?;

    // Every task belongs to the outline period of its plan year.
    let mut stmt = conn.prepare(
        "SELECT t.id, t.year
         FROM task t
         WHERE t.year IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM outline_period p
                           WHERE t.year BETWEEN p.start_year AND p.end_year)
         ORDER BY t.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, year) = row?;
        problems.push(crate::msg!("check.year_in_no_period", id = id, year = year));
    }

    // The index of tasks by unit equals the tasks, and the register knows every name.
    problems.extend(super::units::differs(conn)?);

    // The running counts of the progress table equal a recount.
    let differ = super::progress::tally_differs(conn, as_of)?;
    if !differ.is_empty() {
        problems.push(crate::msg!(
            "check.tally_differs",
            groups = differ.join(", ")
        ));
    }
    // So do the filtered ones (db/tally_by.rs).
    let rows = super::tally_by::differs(conn)?;
    if rows > 0 {
        problems.push(crate::msg!("check.tally_by_differs", rows = rows));
    }

    // Every task has a ref (issue 17): given on creation, or by the upgrade to version 15.
    let (count, ids) = super::refs::without(conn, 5)?;
    if count > 0 {
        let ids: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
        problems.push(crate::msg!(
            "check.no_ref",
            count = count,
            ids = ids.join(", ")
        ));
    }

    // Every task's current fields and links equal the replay of its history. All three sides
    // (tasks, links, the replay) are read in task id order and compared task by task, so
    // memory holds one task at a time (the links were once loaded whole: a million tasks'
    // links in a map).
    let mut link_stmt =
        conn.prepare("SELECT task_id, shortcoming_id FROM link ORDER BY task_id, shortcoming_id")?;
    let mut link_rows = link_stmt.query([])?;
    let next_link = |rows: &mut rusqlite::Rows<'_>| -> Result<Option<(i64, i64)>> {
        Ok(match rows.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?)),
            None => None,
        })
    };
    let mut pending_link = next_link(&mut link_rows)?;
    let mut task_links: BTreeSet<i64> = BTreeSet::new();
    let mut stmt = conn.prepare(&format!("SELECT {TASK_COLUMNS} FROM task t ORDER BY t.id"))?;
    let mut rows = stmt.query([])?;
    let next = |rows: &mut rusqlite::Rows<'_>| -> Result<Option<Task>> {
        Ok(match rows.next()? {
            Some(r) => Some(task_from_row(r, as_of)?),
            None => None,
        })
    };
    let mut current = next(&mut rows)?;
    let replayed = replay_each(conn, None, None, as_of, &Rollup::new(), |rep| {
        while let Some(t) = current.take() {
            if t.id >= rep.task.id {
                current = Some(t);
                break;
            }
            problems.push(crate::msg!("check.no_history", task = t.id));
            current = next(&mut rows)?;
        }
        let Some(t) = current.take() else {
            return Ok(());
        };
        if t.id != rep.task.id {
            // History of a task that is gone: the query above has reported it.
            current = Some(t);
            return Ok(());
        }
        let r = &rep.task;
        let mut differ = Vec::new();
        macro_rules! same {
            ($($f:ident),*) => {$(
                if t.$f != r.$f {
                    differ.push(stringify!($f));
                }
            )*};
        }
        same!(
            reference,
            kind,
            title,
            body,
            area,
            outline_area,
            owner,
            co_owners,
            status,
            own_progress,
            deadline,
            deadline_text,
            year,
            parent_id,
            document_id,
            created_at,
            completed_at
        );
        // The links of tasks before this one belong to tasks without a replay, reported
        // above; this task's are gathered from the cursor.
        task_links.clear();
        while let Some((task, shortcoming)) = pending_link {
            if task > t.id {
                break;
            }
            if task == t.id {
                task_links.insert(shortcoming);
            }
            pending_link = next_link(&mut link_rows)?;
        }
        if task_links != rep.addresses {
            differ.push("links");
        }
        if !differ.is_empty() {
            problems.push(crate::msg!(
                "check.differs_from_replay",
                task = t.id,
                fields = differ.join(", ")
            ));
        }
        current = next(&mut rows)?;
        Ok(())
    });
    if let Err(e) = replayed {
        problems.push(Msg::new("check.replay_failed").word(
            "detail",
            &e.message(crate::model::Lang::Zh),
            &e.message(crate::model::Lang::En),
        ));
        return Ok(problems);
    }
    while let Some(t) = current {
        problems.push(crate::msg!("check.no_history", task = t.id));
        current = next(&mut rows)?;
    }
    Ok(problems)
}

/// Sub-task cycles, found in time linear in the number of tasks whatever the depth of the
/// tree: every task reached by walking down from the top-level tasks is on no cycle, so when
/// all are reached (a sound ledger) nothing more is read. Otherwise the unreached tasks hang
/// on or under a cycle (or under a missing parent, which the foreign-key check names), and
/// following their parents once each finds the cycles.
fn cycles(conn: &Connection, problems: &mut Vec<Msg>) -> Result<()> {
    const DOWN: &str = "WITH RECURSIVE down(id) AS (
             SELECT id FROM task WHERE parent_id IS NULL
             UNION ALL
             SELECT t.id FROM down JOIN task t ON t.parent_id = down.id)";
    let (all, reached): (i64, i64) = conn.query_row(
        &format!("{DOWN} SELECT (SELECT count(*) FROM task), (SELECT count(*) FROM down)"),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if all == reached {
        return Ok(());
    }
    let mut stmt = conn.prepare(&format!(
        "{DOWN} SELECT id, parent_id FROM task
         WHERE parent_id IS NOT NULL AND id NOT IN (SELECT id FROM down)"
    ))?;
    let parent: BTreeMap<i64, i64> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // 1: on the path being followed; 2: finished.
    let mut state: BTreeMap<i64, u8> = BTreeMap::new();
    let mut on_cycle = BTreeSet::new();
    for &start in parent.keys() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(id) = at {
            match state.get(&id) {
                Some(2) => break,
                Some(_) => {
                    // Back on the path: the part of it from `id` on is a cycle.
                    let from = path.iter().position(|&p| p == id).unwrap_or(0);
                    on_cycle.extend(path[from..].iter().copied());
                    break;
                }
                None => {
                    state.insert(id, 1);
                    path.push(id);
                    at = parent.get(&id).copied();
                }
            }
        }
        for id in path {
            state.insert(id, 2);
        }
    }
    for id in on_cycle {
        problems.push(crate::msg!("check.cycle", task = id));
    }
    Ok(())
}

/// Runs a query whose rows are problems: each row's columns fill the arguments `a`, `b`, `c`
/// (as many as it selects) of the message `key`.
fn rows_as(conn: &Connection, key: &'static str, sql: &str, problems: &mut Vec<Msg>) -> Result<()> {
    use rusqlite::types::ValueRef;
    let mut stmt = conn.prepare(sql)?;
    let n = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let mut m = Msg::new(key);
        for (i, name) in ["a", "b", "c"].into_iter().enumerate().take(n) {
            let v = match r.get_ref(i)? {
                ValueRef::Null => "?".to_string(),
                ValueRef::Integer(x) => x.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            };
            m = m.arg(name, v);
        }
        problems.push(m);
    }
    Ok(())
}

/// The hex SHA-256 an import stores for a document: of its text with line ends made "\n".
pub(crate) fn text_sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = if text.contains('\r') {
        Sha256::digest(text.replace("\r\n", "\n").replace('\r', "\n").as_bytes())
    } else {
        Sha256::digest(text.as_bytes())
    };
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_stamp(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// Each stored document's text against the SHA-256 recorded when it was imported, one
/// document in memory at a time.
/// Every stored evidence file against the SHA-256 it is stored (and fetched) under, and the
/// rows of requests, decisions and evidence against the history rows that record them (the
/// same change, task and values), so that neither can be changed alone.
fn evidence_files(conn: &Connection, problems: &mut Vec<Msg>) -> Result<()> {
    for (sha, ok) in super::evidence::blob_hashes(conn)? {
        if !ok {
            problems.push(crate::msg!("check.evidence_changed", sha = sha));
        }
    }
    let unmatched = [
        (
            "check.request_unmatched",
            "SELECT r.id FROM extension_request r WHERE NOT EXISTS (
                 SELECT 1 FROM history h WHERE h.change_id = r.change_id AND h.task_id = r.task_id
                   AND h.field = 'extension_request' AND h.new = r.deadline
                   AND h.old IS r.old_deadline AND h.note IS r.reason)",
        ),
        (
            "check.decision_unmatched",
            "SELECT d.request_id FROM extension_decision d JOIN extension_request r ON r.id = d.request_id
             WHERE NOT EXISTS (
                 SELECT 1 FROM history h WHERE h.change_id = d.change_id AND h.task_id = r.task_id
                   AND h.field = 'extension_' || d.state AND h.new = r.deadline AND h.note IS d.note)",
        ),
        (
            "check.evidence_unmatched",
            "SELECT e.id FROM evidence e WHERE NOT EXISTS (
                 SELECT 1 FROM history h WHERE h.change_id = e.change_id AND h.task_id = e.task_id
                   AND h.field = 'evidence'
                   AND h.new = coalesce('sha256:' || e.sha256, e.reference))",
        ),
    ];
    for (key, sql) in unmatched {
        rows_as(conn, key, sql, problems)?;
    }
    Ok(())
}

fn documents(conn: &Connection, problems: &mut Vec<Msg>) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT id, sha256, text, imported_at FROM document ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let sha = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let text = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        if text_sha256(text) != sha {
            problems.push(crate::msg!("check.document_changed", id = id));
        }
        let at = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
        if !is_stamp(at) {
            problems.push(crate::msg!("check.document_time", id = id));
        }
    }
    Ok(())
}

/// The longest command line a change records (the command line is cut there when stored).
const MAX_COMMAND: usize = 500;

/// Change rows well-formed and in agreement with their history rows: a valid time, an actor,
/// a command line of 1 to 500 characters, an undo naming an earlier change, at least one
/// history row (or a units register edit, which has none), each history row stamped with its change's time and actor, and the rows in
/// the order of their changes. Times need not grow with ids: back-filled changes
/// (TAIZHANG_NOW) and merged ledgers carry earlier times than the changes before them.
fn changes(conn: &Connection, problems: &mut Vec<Msg>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, at, actor, command, undoes FROM change ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let text = |i: usize| -> rusqlite::Result<&str> {
            r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)
        };
        if !is_stamp(text(1)?) {
            problems.push(crate::msg!("check.change_time", id = id));
        }
        if text(2)?.trim().is_empty() {
            problems.push(crate::msg!("check.change_no_actor", id = id));
        }
        let command = text(3)?;
        if command.trim().is_empty() {
            problems.push(crate::msg!("check.change_no_command", id = id));
        } else if command.chars().count() > MAX_COMMAND {
            // The command line is cut at 500 characters when stored (and programs that write
            // through the library record their own short description), so nothing longer
            // is ever written.
            problems.push(crate::msg!(
                "check.change_long_command",
                id = id,
                max = MAX_COMMAND
            ));
        }
        if let Some(u) = r.get::<_, Option<i64>>(4)? {
            if u >= id {
                problems.push(crate::msg!(
                    "check.change_undoes_later",
                    id = id,
                    undone = u
                ));
            }
        }
    }
    let checks = [
        (
            "check.change_without_rows",
            "SELECT c.id FROM change c
             WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.change_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM unit_edit e WHERE e.change_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM period_history p WHERE p.change_id = c.id)",
        ),
        (
            "check.row_time_differs",
            "SELECT h.id, h.change_id
             FROM history h JOIN change c ON c.id = h.change_id
             WHERE h.at IS NOT c.at",
        ),
        (
            "check.row_actor_differs",
            "SELECT h.id, h.change_id
             FROM history h JOIN change c ON c.id = h.change_id
             WHERE h.at IS c.at AND h.actor IS NOT c.actor",
        ),
        // The effective time (schema version 6) is a stamp like `at` and keeps the writer's
        // order: not before its task's creation, nor (for a row that changes a field) before
        // an earlier such row of its task. A ref given after creation (db::refs) takes effect
        // at the creation, whatever changed since: like a note it changes no field a later
        // row reads, so it is out of this order. It may be after `at` only where the upgrade
        // repaired a row recorded with a clock set back, so that is not checked.
        (
            "check.effective_not_a_time",
            "SELECT h.id
             FROM history h
             WHERE h.effective IS NOT NULL
               AND h.effective NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9][+-][0-9][0-9]:[0-9][0-9]'",
        ),
        (
            "check.effective_out_of_order",
            "SELECT h.id, h.task_id
             FROM history h
             WHERE h.effective IS NOT NULL AND EXISTS (
                 SELECT 1 FROM history p
                 WHERE p.task_id = h.task_id AND p.id < h.id
                   AND (p.field = 'created' OR (h.field NOT IN ('note', 'ref') AND p.field NOT IN ('note', 'ref')))
                   AND substr(coalesce(p.effective, p.at), 1, 19) > substr(h.effective, 1, 19))",
        ),
        (
            "check.row_after_later_change",
            "SELECT id, change_id, prev
             FROM (SELECT id, change_id, max(change_id) OVER (ORDER BY id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM history)
             WHERE change_id < prev",
        ),
        (
            "check.id_above_counter",
            "SELECT s.name
             FROM sqlite_sequence s
             WHERE s.name IN ('task', 'history', 'change', 'document')
               AND s.seq < CASE s.name WHEN 'task' THEN (SELECT max(id) FROM task)
                                       WHEN 'history' THEN (SELECT max(id) FROM history)
                                       WHEN 'change' THEN (SELECT max(id) FROM change)
                                       ELSE (SELECT max(id) FROM document) END",
        ),
        (
            "check.id_below_one",
            "SELECT name FROM (
                 SELECT 'task' AS name, min(id) AS low FROM task
                 UNION ALL SELECT 'history', min(id) FROM history
                 UNION ALL SELECT 'change', min(id) FROM change
                 UNION ALL SELECT 'document', min(id) FROM document)
             WHERE low < 1",
        ),
        // Rows of the running counts that no recount reads: a grouping or status taizhang
        // does not know, or a negative count.
        (
            "check.tally_malformed",
            "SELECT 1
             FROM tally
             WHERE grouping NOT IN ('area', 'owner', 'status', 'kind', 'year', 'outline-area')
                OR status NOT IN ('todo', 'doing', 'blocked', 'done', 'verified', 'cancelled')
                OR n < 0
             LIMIT 1",
        ),
    ];
    for (key, sql) in checks {
        rows_as(conn, key, sql, problems)?;
    }
    Ok(())
}

/// The ledger's settings: the outline period, and when the ledger was made.
fn settings(conn: &Connection, problems: &mut Vec<Msg>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT key, value FROM meta ORDER BY key")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let get = |k: &str| {
        rows.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    match (get("outline_start"), get("outline_end")) {
        (Some(a), Some(b)) => {
            if format!("{a}-{b}").parse::<crate::model::Outline>().is_err() {
                problems.push(crate::msg!(
                    "check.bad_outline",
                    period = format!("{a}-{b}")
                ));
            }
        }
        _ => problems.push(crate::msg!("check.no_outline")),
    }
    for (key, value) in &rows {
        match key.as_str() {
            "outline_start" | "outline_end" => {}
            // The ledger's name (`config name`): one line of text.
            k if k == crate::db::settings::NAME
                && !value.trim().is_empty()
                && !value.chars().any(char::is_control) => {}
            k if k == crate::db::settings::NAME => problems.push(crate::msg!("check.bad_name")),
            "timezone" if crate::model::zone::parse(value).is_ok() => {}
            "timezone" => problems.push(crate::msg!("check.bad_zone", zone = value)),
            "created_at" if is_stamp(value) => {}
            "created_at" => problems.push(crate::msg!("check.bad_created_at")),
            // The fill-sheet key (src/db/fill.rs): random bytes in lower-case hex.
            "ledger_id" if is_hex(value, 32) => {}
            "fill_key" if is_hex(value, 64) => {}
            "ledger_id" | "fill_key" => problems.push(crate::msg!("check.bad_fill_key", key = key)),
            other => problems.push(crate::msg!("check.unknown_setting", key = other)),
        }
    }
    Ok(())
}

/// Whether a setting is `len` lower-case hex digits.
fn is_hex(v: &str, len: usize) -> bool {
    v.len() == len
        && v.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A task's fields as history stores them, from its creation row, in the order of
/// `Field::ALL`: the creation is made into the task the replay starts from, and each field is
/// written by `Field::text`, the same text the bulk validator's old-value rule compares.
fn stored_fields(task_id: i64, t: NewTask, at: &str) -> [Option<String>; Field::ALL.len()] {
    let task = super::replay::created(task_id, t, at, None).task;
    Field::ALL.map(|f| f.text(&task))
}

/// Where one task's history has got to in `history_chain`.
struct Chain {
    task: i64,
    fields: [Option<String>; Field::ALL.len()],
    links: BTreeSet<i64>,
    /// The time of the latest row, and of the latest row other than a link: writers stamp a
    /// task's updated_at with the latter, bulk files may carry the former.
    last_at: String,
    last_change_at: String,
}

/// Every history row against the state the rows before it leave: a field's `old` value is
/// what the task held, a link added was not there and a link removed was, a note changes no
/// field, and the task's updated_at is the time of its latest row. Reads history in task
/// order beside the task rows, holding one task at a time.
fn history_chain(conn: &Connection, problems: &mut Vec<Msg>) -> Result<()> {
    let mut tasks = conn.prepare("SELECT id, updated_at FROM task ORDER BY id")?;
    let mut tasks = tasks.query([])?;
    let mut task: Option<(i64, String)> = None;
    // Compares a finished chain with its task row (rows of missing tasks are reported
    // elsewhere).
    let finish = |c: Chain,
                  tasks: &mut rusqlite::Rows<'_>,
                  task: &mut Option<(i64, String)>,
                  problems: &mut Vec<Msg>|
     -> Result<()> {
        while task.as_ref().is_none_or(|(id, _)| *id < c.task) {
            match tasks.next()? {
                Some(r) => *task = Some((r.get(0)?, r.get(1)?)),
                None => return Ok(()),
            }
        }
        if let Some((id, updated)) = task.as_ref() {
            if *id == c.task && *updated != c.last_at && *updated != c.last_change_at {
                problems.push(crate::msg!("check.updated_at", task = id));
            }
        }
        Ok(())
    };
    let mut stmt =
        conn.prepare("SELECT id, task_id, field, old, new, at FROM history ORDER BY task_id, id")?;
    let mut rows = stmt.query([])?;
    let mut chain: Option<Chain> = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let task_id: i64 = r.get(1)?;
        let field = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        let old: Option<String> = r.get(3)?;
        let new: Option<String> = r.get(4)?;
        let at = r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
        if field == "created" {
            if let Some(done) = chain.take() {
                finish(done, &mut tasks, &mut task, problems)?;
            }
            if old.is_some() {
                problems.push(crate::msg!("check.creation_with_old", id = id));
            }
            // A creation row that does not parse is reported by the replay; the rows after
            // it cannot be proved.
            let parsed = new
                .as_deref()
                .and_then(|j| serde_json::from_str::<NewTask>(j).ok());
            if let Some(t) = parsed {
                chain = Some(Chain {
                    task: task_id,
                    fields: stored_fields(task_id, t, at),
                    links: BTreeSet::new(),
                    last_at: at.to_string(),
                    last_change_at: at.to_string(),
                });
            }
            continue;
        }
        let Some(c) = chain.as_mut().filter(|c| c.task == task_id) else {
            // Rows before a creation row are reported by the replay.
            continue;
        };
        let wrong = |key: &'static str| {
            Msg::new(key)
                .arg("id", id)
                .arg("task", task_id)
                .arg("field", field)
        };
        c.last_at.clear();
        c.last_at.push_str(at);
        if field != "addresses" {
            c.last_change_at.clear();
            c.last_change_at.push_str(at);
        }
        match field {
            "note" => {
                if old.is_some() || new.is_some() {
                    problems.push(wrong("check.note_with_value"));
                }
            }
            "addresses" => {
                let num = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
                match (num(&old), num(&new), &old, &new) {
                    (None, Some(s), None, _) => {
                        if !c.links.insert(s) {
                            problems.push(wrong("check.link_added_twice"));
                        }
                    }
                    (Some(s), None, _, None) => {
                        if !c.links.remove(&s) {
                            problems.push(wrong("check.link_removed_absent"));
                        }
                    }
                    _ => problems.push(wrong("check.link_row_malformed")),
                }
            }
            f => {
                // Unknown fields are reported by the replay.
                if let Some(i) = Field::from_name(f).map(|f| f as usize) {
                    if c.fields[i] != old {
                        problems.push(wrong("check.old_value_differs"));
                    }
                    c.fields[i] = new;
                }
            }
        }
    }
    if let Some(done) = chain.take() {
        finish(done, &mut tasks, &mut task, problems)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {

    /// The creation row's fields line up with the one list of fields: each holds what
    /// `Field::text` gives for the same task as the ledger stored it.
    #[test]
    fn stored_fields_follow_the_field_list() {
        use crate::db::testing::{meta, task};
        use crate::db::Ledger;
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        let mut t = task("甲");
        t.owner = Some("区司法局".into());
        t.co_owners = vec!["区城管局".into()];
        t.area = Some("执法".into());
        t.outline_area = Some("FZ01".into());
        t.body = Some("全文".into());
        t.deadline_text = Some("6月底前".into());
        let parent = l.write(&meta(), |w| insert(w, &task("乙"), None)).unwrap();
        t.parent_id = Some(parent);
        let id = l.write(&meta(), |w| insert(w, &t, None)).unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let stored = l.read(|c| crate::db::tasks::get(c, id, day)).unwrap();
        let fields = stored_fields(id, t, &stored.created_at);
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
            assert_eq!(fields[i], f.text(&stored), "{}", f.name());
        }
    }
    use super::*;
    use crate::db::tasks::insert;
    use crate::db::testing::{meta, task};
    use crate::db::Ledger;
    use crate::model::Lang;

    fn ledger_with_tasks() -> Ledger {
        let mut l = Ledger::open_in_memory("2025-01-01T00:00:00+08:00").unwrap();
        for title in ["甲", "乙", "丙"] {
            l.write(&meta(), |w| insert(w, &task(title), None)).unwrap();
        }
        l
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    #[test]
    fn a_sound_ledger_has_no_problems() {
        let mut l = ledger_with_tasks();
        assert!(l.read(|c| check(c, day())).unwrap().is_empty());
    }

    #[test]
    fn only_the_tasks_on_a_cycle_are_named() {
        let mut l = ledger_with_tasks();
        l.write(&meta(), |w| insert(w, &task("丁"), None)).unwrap();
        // 1 → 3 → 2 → 1 is a cycle; 4 hangs under it without being on it.
        l.conn()
            .execute_batch(
                "UPDATE task SET parent_id = 3 WHERE id = 1;
                 UPDATE task SET parent_id = 1 WHERE id = 2;
                 UPDATE task SET parent_id = 2 WHERE id = 3;
                 UPDATE task SET parent_id = 3 WHERE id = 4;",
            )
            .unwrap();
        let mut found = Vec::new();
        l.read(|c| cycles(c, &mut found)).unwrap();
        let found: Vec<String> = found.iter().map(|m| m.text(Lang::En)).collect();
        assert_eq!(
            found,
            (1..=3)
                .map(|i| format!("task #{i} is its own ancestor (a cycle of sub-tasks)"))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_change_behind_the_history_is_found() {
        let mut l = ledger_with_tasks();
        // Someone edits the file with another tool: the row no longer equals its history.
        l.conn()
            .execute(
                "UPDATE task SET title = '改', progress = 50 WHERE id = 2",
                [],
            )
            .unwrap();
        l.conn()
            .execute(
                "INSERT INTO link(task_id, shortcoming_id, created_at) VALUES (1, 3, 'x')",
                [],
            )
            .unwrap();
        let problems: Vec<String> = l
            .read(|c| check(c, day()))
            .unwrap()
            .iter()
            .map(|m| m.text(Lang::En))
            .collect();
        assert_eq!(
            problems,
            vec![
                "the progress table's running counts differ from a recount, grouped by: \
                 area, owner, status, kind, year, outline-area"
                    .to_string(),
                "the filtered progress table's running counts differ from a recount in 24 \
                 rows (export and import the ledger again to rebuild them)"
                    .to_string(),
                "task #1 differs from the replay of its history in: links".to_string(),
                "task #2 differs from the replay of its history in: title, own_progress"
                    .to_string(),
            ]
        );
    }
}

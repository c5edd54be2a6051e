//! What a JSON Lines import proves about a file before (and while) writing it: every value is
//! one the typed commands could have written, every reference stays inside the file, each
//! task's history replays to exactly the fields the file states, and the sub-task tree has no
//! loop. The rules are the typed commands' own (`cli`'s parsers, `model`'s vocabularies, the
//! replay of `db::replay`), called here rather than written again.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{DocumentLine, HistoryLine, TaskLine, UnitLine};
use crate::cli::{parse_name, parse_outline_area, parse_text, parse_title, MAX_NAME, MAX_TEXT};
use crate::db::replay::{replay_rows, Replayed, RowRef};
use crate::model::field::{Column, Field};
use crate::model::{Kind, Status, Task, Word};

/// The longest line read, in bytes. A task line holds its body twice (the column and the
/// creation row) and a document line a whole report (at most `MAX_INPUT_BYTES`, 10 MB), so no
/// export comes near it; a longer line is refused as soon as this much has been read, so a
/// hostile file cannot make the import hold a giant line.
pub const MAX_LINE: usize = 64 << 20;

/// The highest id (of a task, history row or change) a file may hold, and the highest one it
/// may reach once shifted past the ledger's own: 2^53 - 1, the largest integer every JSON
/// reader keeps exactly, and far from SQLite's 2^63 - 1, after which AUTOINCREMENT fails with
/// "database or disk is full".
pub const MAX_ID: i64 = (1 << 53) - 1;

/// The longest text of a task imported from a report: its title, body and area are cut from
/// the report, which may be `MAX_INPUT_BYTES` long, so the command line's bounds do not apply.
const REPORT_TEXT: usize = crate::import::MAX_INPUT_BYTES;

/// The longest note: a typed note, plus the "撤销变更 #N / undo of change #N: " that `undo`
/// puts before a note it withdraws.
const MAX_NOTE: usize = MAX_TEXT + MAX_NAME;

/// The longest actor and command of a change (`describe` keeps 500 characters of a command).
const MAX_STAMP_TEXT: usize = 500;

/// What a referenced task must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any task of the file (a parent).
    Task,
    /// A shortcoming of the file (what a link or an `addresses` row names).
    Shortcoming,
}

/// A reference from one task of the file to another, by the file's ids.
#[derive(Debug, Clone, Copy)]
pub struct Ref {
    pub target: i64,
    pub need: Need,
    /// Where it was found, for the message.
    pub what: &'static str,
}

/// Whether a task's text fields are held to the command line's bounds or a report's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Typed,
    Report,
}

fn id_in_range(id: i64, what: &str) -> Result<(), String> {
    if (1..=MAX_ID).contains(&id) {
        Ok(())
    } else {
        Err(format!("{what} {id} is outside 1–{MAX_ID}"))
    }
}

fn stamp(v: &str, what: &str) -> Result<(), String> {
    if v.len() <= 64 && crate::clock::parse_moment(v).is_some() {
        Ok(())
    } else {
        Err(format!(
            "{what} '{}' is not a date-time (2025-12-31T17:00:00+08:00)",
            clip(v)
        ))
    }
}

/// A time stamp as commands record them (`clock::stamp`): RFC 3339, which is what `check`
/// requires of a change's time and a document's import time.
fn rfc3339(v: &str, what: &str) -> Result<(), String> {
    if v.len() <= 64 && chrono::DateTime::parse_from_rfc3339(v).is_ok() {
        Ok(())
    } else {
        Err(format!(
            "{what} '{}' is not an RFC 3339 time (2025-12-31T17:00:00+08:00)",
            clip(v)
        ))
    }
}

/// A value cut short for a message, so that a huge field never makes a huge message.
pub(crate) fn clip(v: &str) -> String {
    let mut s: String = v.chars().take(40).collect();
    if s.len() < v.len() {
        s.push('…');
    }
    s
}

fn name(v: &str, origin: Origin, what: &str) -> Result<(), String> {
    match origin {
        Origin::Typed => parse_name(v).map(drop).map_err(|e| e.to_string()),
        Origin::Report => report_text(v),
    }
    .map_err(|e| format!("{what}: {e}"))
}

fn report_text(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        return Err("this value cannot be empty".into());
    }
    if v.len() > REPORT_TEXT {
        return Err(format!(
            "{} bytes long; a report is at most {REPORT_TEXT}",
            v.len()
        ));
    }
    Ok(())
}

/// A deadline as the ledger stores it: an ISO calendar date of a year 1900–9999, as `add`'s
/// `--year` allows.
fn date(v: &str) -> Result<(), String> {
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d.to_string() == v && (1900..=9999).contains(&crate::model::date::year_of(d)) => {
            Ok(())
        }
        _ => Err(format!(
            "deadline '{}' is not a calendar date (YYYY-MM-DD, years 1900–9999)",
            clip(v)
        )),
    }
}

fn year(y: i32) -> Result<(), String> {
    if (1900..=9999).contains(&y) {
        Ok(())
    } else {
        Err(format!("plan year {y} is outside 1900–9999"))
    }
}

fn progress(p: u8) -> Result<(), String> {
    if p <= 100 {
        Ok(())
    } else {
        Err(format!("progress {p} is outside 0–100"))
    }
}

/// Checks one value of a field, as a history row or the file's current columns hold it, and
/// collects the tasks it refers to.
fn value<'a>(
    field: &str,
    v: Option<&'a str>,
    origin: Origin,
    refs: &mut Vec<Ref>,
) -> Result<(), String> {
    let need = |v: Option<&'a str>| v.ok_or_else(|| format!("{field} set to nothing"));
    match field {
        "status" => {
            let v = need(v)?;
            if !Status::ALL.iter().any(|s| s.en() == v) {
                return Err(format!(
                    "status '{}' is not a status (todo, doing, blocked, done, verified, cancelled)",
                    clip(v)
                ));
            }
        }
        "progress" => {
            let v = need(v)?;
            match v.parse::<u8>() {
                Ok(p) if p.to_string() == v => progress(p)?,
                _ => return Err(format!("progress '{}' is not a number 0–100", clip(v))),
            }
        }
        "owner" | "area" | "deadline_text" | "person" | "contact" => {
            if let Some(v) = v {
                name(v, origin, field)?;
            }
        }
        "co_owners" => {
            if let Some(v) = v {
                let list: Vec<String> = serde_json::from_str(v)
                    .map_err(|_| format!("co_owners '{}' is not a list of names", clip(v)))?;
                for n in &list {
                    name(n, origin, "a co-owner")?;
                }
            }
        }
        "deadline" => {
            if let Some(v) = v {
                date(v)?;
            }
        }
        "title" => {
            let v = need(v)?;
            match origin {
                Origin::Typed => parse_title(v).map(drop).map_err(|e| e.to_string()),
                Origin::Report => report_text(v),
            }
            .map_err(|e| format!("title: {e}"))?;
        }
        "outline_area" => {
            if let Some(v) = v {
                if parse_outline_area(v).ok().as_deref() != Some(v) {
                    return Err(format!(
                        "outline area '{}' is not one of FZ01 … FZ10",
                        clip(v)
                    ));
                }
            }
        }
        "body" => {
            if let Some(v) = v {
                match origin {
                    Origin::Typed => parse_text(v).map(drop).map_err(|e| e.to_string()),
                    Origin::Report => report_text(v),
                }
                .map_err(|e| format!("body: {e}"))?;
            }
        }
        "parent_id" | "addresses" => {
            if let Some(v) = v {
                let id = v
                    .parse::<i64>()
                    .map_err(|_| format!("{field} '{}' is not a task id", clip(v)))?;
                id_in_range(id, field)?;
                refs.push(Ref {
                    target: id,
                    need: if field == "parent_id" {
                        Need::Task
                    } else {
                        Need::Shortcoming
                    },
                    what: if field == "parent_id" {
                        "a parent_id row"
                    } else {
                        "an addresses row"
                    },
                });
            }
        }
        "completed_at" => {
            if let Some(v) = v {
                stamp(v, "completed_at")?;
            }
        }
        // A plan year moved by `update --year` or `carry-over` (issue 14).
        "year" => {
            let v = need(v)?;
            match v.parse::<i32>() {
                Ok(y) if y.to_string() == v => year(y)?,
                _ => return Err(format!("year '{}' is not a plan year", clip(v))),
            }
        }
        // A ref given after the task's creation (db::refs): a name, like a creation's ref.
        "ref" => {
            if let Some(v) = v {
                parse_name(v).map_err(|e| format!("ref: {e}"))?;
            }
        }
        // A merge's mark holds the --source label it was given, if any.
        "imported" => {
            if let Some(v) = v {
                parse_name(v).map_err(|e| format!("imported: {e}"))?;
            }
        }
        other => return Err(format!("unknown field '{}'", clip(other))),
    }
    Ok(())
}

/// Checks a unit line of the register: its names are names as tasks hold them (not blank, at
/// most a text's length, no control characters), and none comes twice.
pub fn unit(u: &UnitLine) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for n in std::iter::once(&u.name).chain(&u.aliases).chain(&u.short) {
        report_text(n).map_err(|e| format!("unit '{}': {e}", clip(n)))?;
        if n.chars().any(char::is_control) {
            return Err(format!(
                "unit '{}': a name holds a control character",
                clip(n)
            ));
        }
    }
    for n in std::iter::once(&u.name).chain(&u.aliases) {
        if !seen.insert(n) {
            return Err(format!(
                "unit '{}' names '{}' twice",
                clip(&u.name),
                clip(n)
            ));
        }
    }
    Ok(())
}

/// Checks the fields of a creation row (the task as its creation left it), by the same rules
/// as the current columns.
fn creation(t: &Task, origin: Origin, refs: &mut Vec<Ref>) -> Result<(), String> {
    if t.status == Status::Cancelled {
        // `add` refuses it too: a task is cancelled by a later change, with a reason.
        return Err("a creation row with status cancelled".into());
    }
    fields(
        Fields {
            reference: t.reference.as_deref(),
            title: &t.title,
            body: t.body.as_deref(),
            area: t.area.as_deref(),
            outline_area: t.outline_area.as_deref(),
            owner: t.owner.as_deref(),
            co_owners: &t.co_owners,
            person: t.person.as_deref(),
            contact: t.contact.as_deref(),
            progress: t.own_progress,
            deadline: t.deadline.map(|d| d.to_string()).as_deref(),
            deadline_text: t.deadline_text.as_deref(),
            year: t.year,
            parent_id: t.parent_id,
            completed_at: t.completed_at.as_deref(),
        },
        t.id,
        origin,
        "the creation row's",
        refs,
    )
}

/// The fields a task line and a creation row share, borrowed from either (their types
/// differ: the line holds the deadline as text, the replayed task as a date).
struct Fields<'a> {
    reference: Option<&'a str>,
    title: &'a str,
    body: Option<&'a str>,
    area: Option<&'a str>,
    outline_area: Option<&'a str>,
    owner: Option<&'a str>,
    co_owners: &'a [String],
    person: Option<&'a str>,
    contact: Option<&'a str>,
    progress: u8,
    deadline: Option<&'a str>,
    deadline_text: Option<&'a str>,
    year: i32,
    parent_id: Option<i64>,
    completed_at: Option<&'a str>,
}

fn fields(
    f: Fields<'_>,
    id: i64,
    origin: Origin,
    whose: &str,
    refs: &mut Vec<Ref>,
) -> Result<(), String> {
    let at = |e: String| format!("{whose} {e}");
    // Column by column, with one exhaustive match: a new column must say how it is checked.
    for c in Column::ALL {
        match c {
            Column::Ref => {
                if let Some(r) = f.reference {
                    parse_name(r).map_err(|e| at(format!("ref: {e}")))?;
                }
            }
            Column::Title => value("title", Some(f.title), origin, refs).map_err(at)?,
            Column::Body => value("body", f.body, origin, refs).map_err(at)?,
            Column::Area => value("area", f.area, origin, refs).map_err(at)?,
            Column::OutlineArea => {
                value("outline_area", f.outline_area, origin, refs).map_err(at)?
            }
            Column::Owner => value("owner", f.owner, origin, refs).map_err(at)?,
            Column::Person => value("person", f.person, origin, refs).map_err(at)?,
            Column::Contact => value("contact", f.contact, origin, refs).map_err(at)?,
            Column::CoOwners => {
                for n in f.co_owners {
                    name(n, origin, "a co-owner").map_err(at)?;
                }
            }
            Column::Progress => progress(f.progress).map_err(at)?,
            Column::Deadline => value("deadline", f.deadline, origin, refs).map_err(at)?,
            Column::DeadlineText => {
                value("deadline_text", f.deadline_text, origin, refs).map_err(at)?
            }
            Column::Year => year(f.year).map_err(at)?,
            Column::ParentId => {
                if let Some(p) = f.parent_id {
                    if p == id {
                        return Err(format!(
                            "task {id} is its own parent (a cycle of sub-tasks)"
                        ));
                    }
                    id_in_range(p, "parent_id").map_err(at)?;
                    refs.push(Ref {
                        target: p,
                        need: Need::Task,
                        what: "parent_id",
                    });
                }
            }
            Column::CompletedAt => {
                value("completed_at", f.completed_at, origin, refs).map_err(at)?
            }
            // Typed by serde (kind, status), or checked by `task` and `creation` themselves,
            // which see the line's id, document and stamps.
            Column::Id
            | Column::DocumentId
            | Column::Kind
            | Column::Status
            | Column::CreatedAt
            | Column::UpdatedAt => {}
        }
    }
    Ok(())
}

/// Checks a task line whole: its columns, its links, its history row by row, and that the
/// history replays to the columns. Returns the tasks it refers to (by the file's ids) for the
/// caller to find in the file.
pub fn task(t: &TaskLine) -> Result<Vec<Ref>, String> {
    let mut refs = Vec::new();
    id_in_range(t.id, "task id")?;
    let origin = if t.document_id.is_some() {
        Origin::Report
    } else {
        Origin::Typed
    };
    fields(
        Fields {
            reference: t.reference.as_deref(),
            title: &t.title,
            body: t.body.as_deref(),
            area: t.area.as_deref(),
            outline_area: t.outline_area.as_deref(),
            owner: t.owner.as_deref(),
            co_owners: &t.co_owners,
            person: t.person.as_deref(),
            contact: t.contact.as_deref(),
            progress: t.progress,
            deadline: t.deadline.as_deref(),
            deadline_text: t.deadline_text.as_deref(),
            year: t.year,
            parent_id: t.parent_id,
            completed_at: t.completed_at.as_deref(),
        },
        t.id,
        origin,
        &format!("task {}'s", t.id),
        &mut refs,
    )?;
    stamp(&t.created_at, "created_at")?;
    stamp(&t.updated_at, "updated_at")?;
    for &s in &t.links {
        if s == t.id {
            return Err(format!("task {} addresses itself", t.id));
        }
        id_in_range(s, "a link")?;
        refs.push(Ref {
            target: s,
            need: Need::Shortcoming,
            what: "a link",
        });
    }
    history(t, origin, &mut refs)?;

    let rows = t.history.iter().map(|h| RowRef {
        field: &h.field,
        old: h.old.as_deref(),
        new: h.new.as_deref(),
        note: h.note.as_deref(),
        at: &h.at,
    });
    // The creation row's fields are checked on the task as the creation left it: before the
    // second row, or at the end when there is none (the creation JSON is parsed once).
    let first_row = t.history.first().map_or(0, |h| h.id);
    let mut created_checked = false;
    let rep = replay_rows(t.id, rows, |rep, r| {
        if !created_checked {
            created_checked = true;
            creation(&rep.task, origin, &mut refs)
                .map_err(|e| format!("history row {first_row}: {e}"))?;
        }
        old_value(rep, r)
    })
    .map_err(|e| e.to_string())?;
    if !created_checked {
        creation(&rep.task, origin, &mut refs)
            .map_err(|e| format!("history row {first_row}: {e}"))?;
    }
    // Every command that changes a task sets its updated_at to the change's time; a link
    // sets none (link and unlink leave it), so either of the last two is what it holds.
    let last_change = t
        .history
        .iter()
        .rev()
        .find(|h| h.field != "addresses")
        .map(|h| h.at.as_str());
    if t.updated_at != rep.task.updated_at && Some(t.updated_at.as_str()) != last_change {
        return Err(format!(
            "task {}'s updated_at '{}' is not the time of its latest history row",
            t.id,
            clip(&t.updated_at)
        ));
    }
    let differ = differences(t, &rep);
    if !differ.is_empty() {
        return Err(format!(
            "task {} differs from the replay of its history in: {}",
            t.id,
            differ.join(", ")
        ));
    }
    Ok(refs)
}

/// Checks the history rows of a task line: ids, changes, stamps, and each value.
fn history(t: &TaskLine, origin: Origin, refs: &mut Vec<Ref>) -> Result<(), String> {
    let Some(first) = t.history.first() else {
        return Err(format!("task {} has no history (no creation row)", t.id));
    };
    if first.field != "created" {
        return Err(format!(
            "task {}'s history does not start with its creation row",
            t.id
        ));
    }
    let creations = t.history.iter().filter(|h| h.field == "created").count();
    if creations != 1 {
        return Err(format!(
            "task {} has {creations} creation rows; a task is created once",
            t.id
        ));
    }
    let mut last = 0i64;
    // The changes of this task so far: an undo here takes back one of them (an undo reverts
    // the rows of the change it undoes, which are rows of this same task).
    let mut changes: Vec<i64> = Vec::new();
    for h in &t.history {
        row(h, origin, refs, &changes).map_err(|e| format!("history row {}: {e}", h.id))?;
        if h.id <= last {
            return Err(format!(
                "history row {} comes after row {last}; rows are in id order",
                h.id
            ));
        }
        last = h.id;
        if changes.last() != Some(&h.change_id) {
            changes.push(h.change_id);
        }
    }
    Ok(())
}

fn row(
    h: &HistoryLine,
    origin: Origin,
    refs: &mut Vec<Ref>,
    earlier: &[i64],
) -> Result<(), String> {
    id_in_range(h.id, "id")?;
    id_in_range(h.change_id, "change_id")?;
    if let Some(u) = h.undoes {
        if u >= h.change_id || !earlier.contains(&u) {
            return Err(format!(
                "change {} undoes {u}, which is not an earlier change of this task",
                h.change_id
            ));
        }
    }
    rfc3339(&h.at, "at")?;
    for (v, what) in [(&h.actor, "actor"), (&h.command, "command")] {
        if v.trim().is_empty() || v.chars().count() > MAX_STAMP_TEXT {
            return Err(format!("{what} must be 1–{MAX_STAMP_TEXT} characters"));
        }
    }
    if let Some(n) = &h.note {
        if n.chars().count() > MAX_NOTE {
            return Err(format!("the note is longer than {MAX_NOTE} characters"));
        }
    }
    match h.field.as_str() {
        // Its fields are checked once the row has been parsed, with the task's.
        "created" => {
            if h.old.is_some() {
                return Err("a creation row with an old value".into());
            }
        }
        "note" => {
            if h.old.is_some() || h.new.is_some() || h.note.is_none() {
                return Err("a note row holds a note and no values".into());
            }
        }
        "addresses" => {
            if h.old.is_some() == h.new.is_some() {
                return Err("an addresses row must add or remove one link".into());
            }
            value("addresses", h.old.as_deref(), origin, refs)?;
            value("addresses", h.new.as_deref(), origin, refs)?;
        }
        // Events (extension requests, decisions, evidence) hold dates, hashes or a
        // reference as text, and change no field.
        f if crate::model::events::is_event(f) => {
            for v in [&h.old, &h.new].into_iter().flatten() {
                parse_text(v).map_err(|e| format!("{f}: {e}"))?;
            }
        }
        "parent_id" => {
            value("parent_id", h.old.as_deref(), origin, refs)?;
            value("parent_id", h.new.as_deref(), origin, refs)?;
        }
        field => {
            value(field, h.old.as_deref(), origin, refs)
                .and_then(|()| value(field, h.new.as_deref(), origin, refs))?;
        }
    }
    Ok(())
}

/// Checks that a row's old value is what the task held before it, in the text form history
/// keeps (as `update` and `undo` write it): otherwise `undo` would refuse to take the row
/// back, and the trail would say something that never was.
fn old_value(rep: &Replayed, r: &RowRef<'_>) -> Result<(), String> {
    // The held value is written by the one description of the fields, as `update` and `undo`
    // write it, so this rule and `check`'s read the same text.
    let held: Option<String> = match (Field::from_name(r.field), r.field) {
        (Some(f), _) => f.text(&rep.task),
        (None, "addresses") => {
            let linked = |v: Option<&str>| {
                v.and_then(|s| s.parse::<i64>().ok())
                    .is_some_and(|s| rep.addresses.contains(&s))
            };
            return match (r.old, r.new) {
                (None, new) if linked(new) => Err(format!(
                    "an addresses row links {} again",
                    new.unwrap_or_default()
                )),
                (Some(old), _) if !linked(Some(old)) => Err(format!(
                    "an addresses row removes {old}, which was not linked"
                )),
                _ => Ok(()),
            };
        }
        // Notes and a merge's marks hold no old value; `row` has checked that.
        _ => return Ok(()),
    };
    if held.as_deref() == r.old {
        Ok(())
    } else {
        Err(format!(
            "a '{}' row's old value '{}' is not what the task held ('{}')",
            r.field,
            clip(r.old.unwrap_or("∅")),
            clip(held.as_deref().unwrap_or("∅"))
        ))
    }
}

/// The columns (by name, in `Column::ALL` order, then "links") in which a task line differs
/// from the replay of its history: the comparison `check` makes between a task row and its
/// history, made here on the file's own ids. The match names every column, so a new one is
/// a compile error here until it says how it is compared.
fn differences(t: &TaskLine, rep: &Replayed) -> Vec<&'static str> {
    let r = &rep.task;
    let mut differ = Vec::new();
    for c in Column::ALL {
        // The id is the file's own, and the last update's time is not replayed.
        let same = match c {
            Column::Id | Column::UpdatedAt => true,
            Column::Ref => t.reference == r.reference,
            Column::DocumentId => t.document_id == r.document_id,
            Column::Kind => t.kind == r.kind,
            Column::Title => t.title == r.title,
            Column::Area => t.area == r.area,
            Column::OutlineArea => t.outline_area == r.outline_area,
            Column::Owner => t.owner == r.owner,
            Column::CoOwners => t.co_owners == r.co_owners,
            Column::Person => t.person == r.person,
            Column::Contact => t.contact == r.contact,
            Column::Status => t.status == r.status,
            Column::Progress => t.progress == r.own_progress,
            Column::Deadline => {
                t.deadline.as_deref() == r.deadline.map(|d| d.to_string()).as_deref()
            }
            Column::DeadlineText => t.deadline_text == r.deadline_text,
            Column::Year => t.year == r.year,
            Column::ParentId => t.parent_id == r.parent_id,
            Column::CreatedAt => t.created_at == r.created_at,
            Column::CompletedAt => t.completed_at == r.completed_at,
            Column::Body => t.body == r.body,
        };
        if !same {
            differ.push(c.name());
        }
    }
    let links: BTreeSet<i64> = t.links.iter().copied().collect();
    if links != rep.addresses {
        differ.push("links");
    }
    differ
}

/// Checks a document line's own fields (the text is stored as the report gave it).
pub fn document(d: &DocumentLine) -> Result<(), String> {
    id_in_range(d.id, "document id")?;
    report_text(&d.title).map_err(|e| format!("title: {e}"))?;
    if d.text.len() > REPORT_TEXT {
        return Err(format!(
            "the text is {} bytes long; a report is at most {REPORT_TEXT}",
            d.text.len()
        ));
    }
    // The digest is what recognises a report imported twice, so it must be the text's own:
    // the rule `check` proves, called from there.
    if crate::db::check::text_sha256(&d.text) != d.sha256 {
        return Err(format!(
            "sha256 '{}' is not the SHA-256 of its text",
            clip(&d.sha256)
        ));
    }
    for y in [d.report_year, d.plan_year].into_iter().flatten() {
        year(y)?;
    }
    if let Some(i) = &d.issued_on {
        if NaiveDate::parse_from_str(i, "%Y-%m-%d").is_err() {
            return Err(format!("issued_on '{}' is not a date", clip(i)));
        }
    }
    rfc3339(&d.imported_at, "imported_at")
}

/// One task of the file, as the end-of-file checks need it: 24 bytes, so a million tasks hold
/// 24 MB.
#[derive(Debug, Clone, Copy)]
struct Seen {
    id: i64,
    /// The parent by the file's ids, 0 for none.
    parent: i64,
    line: u32,
    shortcoming: bool,
}

/// The tasks of the file so far (in id order, as exports write them) and the references that
/// pointed past them, checked when the file has been read.
#[derive(Default)]
pub struct Tree {
    seen: Vec<Seen>,
    pending: Vec<(u64, i64, Ref)>,
    /// The id of the task line being read: with ids in order, every task below it that the
    /// file holds has been read.
    reached: i64,
}

impl Tree {
    /// Records a task read on `line`, whose references are `refs`. Ids must rise: a repeated
    /// or out-of-order id is refused. References to tasks already read are checked now, the
    /// others at the end.
    pub fn add(&mut self, t: &TaskLine, line: u64, refs: Vec<Ref>) -> Result<(), String> {
        if let Some(prev) = self.seen.last() {
            if t.id <= prev.id {
                return Err(format!(
                    "task id {} comes after task {}; tasks are in id order, each once",
                    t.id, prev.id
                ));
            }
        }
        self.seen.push(Seen {
            id: t.id,
            parent: t.parent_id.unwrap_or(0),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            shortcoming: t.kind == Kind::Shortcoming,
        });
        for r in refs {
            if r.target <= t.id {
                self.resolve(t.id, r)?;
            } else {
                self.pending.push((line, t.id, r));
            }
        }
        Ok(())
    }

    /// Notes that a task line with this id is being read (before it is checked).
    pub fn reach(&mut self, id: i64) {
        self.reached = self.reached.max(id);
    }

    fn resolve(&self, from: i64, r: Ref) -> Result<(), String> {
        let found = self
            .seen
            .binary_search_by_key(&r.target, |s| s.id)
            .ok()
            .and_then(|i| self.seen.get(i));
        match (found, r.need) {
            (None, _) => Err(format!(
                "task {from}: {} names task {}, which is not in the file",
                r.what, r.target
            )),
            (Some(s), Need::Shortcoming) if !s.shortcoming => Err(format!(
                "task {from}: {} names task {}, which is not a shortcoming",
                r.what, r.target
            )),
            _ => Ok(()),
        }
    }

    /// The first reference made before `line` that can no longer be found: every task up to
    /// the last one read is known. Lets an error found later in the file give way to one on
    /// an earlier line.
    pub fn earlier_error(&self, line: u64) -> Option<(u64, String)> {
        let last = self
            .seen
            .last()
            .map_or(0, |s| s.id)
            .max(self.reached.saturating_sub(1));
        self.pending
            .iter()
            .filter(|(l, _, r)| *l < line && r.target <= last)
            .find_map(|(l, from, r)| self.resolve(*from, *r).err().map(|e| (*l, e)))
    }

    /// The end-of-file checks, giving the first bad line: every reference found, and no loop
    /// of sub-tasks. Linear in the tasks (with a binary search per parent).
    pub fn finish(&self) -> Result<(), (u64, String)> {
        for (line, from, r) in &self.pending {
            self.resolve(*from, *r).map_err(|e| (*line, e))?;
        }
        // Colours: 0 not visited, 1 on the current walk, 2 known to reach a root.
        let mut colour = vec![0u8; self.seen.len()];
        let mut walk: Vec<usize> = Vec::new();
        let index = |id: i64| self.seen.binary_search_by_key(&id, |s| s.id).ok();
        let mut first: Option<(u64, String)> = None;
        for start in 0..self.seen.len() {
            let mut at = Some(start);
            walk.clear();
            while let Some(i) = at {
                match colour.get(i).copied() {
                    Some(0) => {
                        colour[i] = 1;
                        walk.push(i);
                        at = match self.seen[i].parent {
                            0 => None,
                            p => index(p),
                        };
                    }
                    Some(1) => {
                        // A loop: from i round to i on this walk. Its first line is named.
                        let from = walk.iter().position(|&w| w == i).unwrap_or(0);
                        let cycle = &walk[from..];
                        if let Some(s) = cycle.iter().map(|&w| self.seen[w]).min_by_key(|s| s.line)
                        {
                            let ids: Vec<String> =
                                cycle.iter().map(|&w| self.seen[w].id.to_string()).collect();
                            let msg = format!(
                                "task {} is its own ancestor (a cycle of sub-tasks: {})",
                                s.id,
                                ids.join(" → ")
                            );
                            if first.as_ref().is_none_or(|(l, _)| u64::from(s.line) < *l) {
                                first = Some((u64::from(s.line), msg));
                            }
                        }
                        break;
                    }
                    _ => break,
                }
            }
            for &w in &walk {
                colour[w] = 2;
            }
        }
        match first {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The line a task of the file was read on.
    pub fn line_of(&self, id: i64) -> Option<u64> {
        let i = self.seen.binary_search_by_key(&id, |s| s.id).ok()?;
        self.seen.get(i).map(|s| u64::from(s.line))
    }

    /// The tasks read, by the file's ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.seen.iter().map(|s| s.id)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn line(id: i64, parent: Option<i64>) -> TaskLine {
        serde_json::from_value(serde_json::json!({
            "type": "task", "id": id, "ref": null, "kind": "task", "title": "t", "body": null,
            "area": null, "outline_area": null, "owner": null, "co_owners": [],
            "status": "todo", "progress": 0, "deadline": null, "deadline_text": null,
            "year": 2025, "parent_id": parent, "document_id": null,
            "created_at": "2025-01-01T00:00:00+08:00", "updated_at": "2025-01-01T00:00:00+08:00",
            "completed_at": null, "links": [], "history": []
        }))
        .unwrap()
    }

    fn parent_ref(p: i64) -> Vec<Ref> {
        vec![Ref {
            target: p,
            need: Need::Task,
            what: "parent_id",
        }]
    }

    #[test]
    fn a_loop_is_named_by_its_first_line() {
        let mut t = Tree::default();
        // 1 → 3 → 2 → 1, on lines 10, 11, 12; 4 hangs under the loop without being in it.
        for (n, (id, p)) in [(1, 3), (2, 1), (3, 2), (4, 1)].into_iter().enumerate() {
            t.add(&line(id, Some(p)), 10 + n as u64, parent_ref(p))
                .unwrap();
        }
        let (l, msg) = t.finish().unwrap_err();
        assert_eq!(l, 10);
        assert!(msg.contains("cycle"), "{msg}");
    }

    #[test]
    fn a_deep_chain_is_checked_in_linear_time() {
        // 50,000 tasks each under the one before: each task is walked once.
        let mut t = Tree::default();
        t.add(&line(1, None), 1, Vec::new()).unwrap();
        for id in 2..=50_000 {
            t.add(&line(id, Some(id - 1)), id as u64, parent_ref(id - 1))
                .unwrap();
        }
        t.finish().unwrap();
    }

    #[test]
    fn ids_must_rise_and_references_must_be_found() {
        let mut t = Tree::default();
        t.add(&line(5, None), 2, Vec::new()).unwrap();
        assert!(t.add(&line(5, None), 3, Vec::new()).is_err());
        t.add(&line(6, Some(9)), 4, parent_ref(9)).unwrap();
        let (l, msg) = t.finish().unwrap_err();
        assert_eq!(l, 4);
        assert!(msg.contains("task 9"), "{msg}");
    }

    #[test]
    fn values_are_held_to_the_typed_commands_rules() {
        let mut refs = Vec::new();
        let mut v = |f: &str, x: &str| value(f, Some(x), Origin::Typed, &mut refs);
        assert!(v("status", "exploded").is_err());
        assert!(
            v("status", "已完成").is_err(),
            "history keeps the English word"
        );
        assert!(v("status", "done").is_ok());
        assert!(v("progress", "101").is_err());
        assert!(v("progress", "07").is_err());
        assert!(v("deadline", "9999-99-99").is_err());
        assert!(v("deadline", "+12345-01-01").is_err());
        assert!(v("deadline", "2025-06-30").is_ok());
        assert!(v("outline_area", "fz05").is_err());
        assert!(v("title", &"长".repeat(501)).is_err());
        assert!(v("title", " ").is_err());
        assert!(v("parent_id", "0").is_err());
        assert!(v("kind", "task").is_err(), "kind never changes");
    }
}

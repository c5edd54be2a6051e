//! An office ledger read from its workbook, into the ledger: what would happen (the plan, for
//! the dry run), and doing exactly that in the caller's one write transaction.
//!
//! Each row becomes a task whose ref is the row's stable key ("2025年/一.1": sheet, section and
//! 序号 chain), under a document holding the workbook's content. The same content again
//! creates nothing; a later version of the same workbook (same title, other content) changes
//! the existing tasks, each changed cell a history row, and creates only rows with new keys.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::rows::Row;
use super::{Book, Sheet};
use crate::db::documents::{self, NewDocument};
use crate::db::tasks::{self, Changes, NewTask};
use crate::db::Writer;
use crate::model::rules::starting_state;
use crate::model::Task;
use crate::Result;
use rusqlite::Connection;

/// One changed cell of an existing task.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// What happens to one row.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    Create,
    Update { task: i64, cells: Vec<Cell> },
    Unchanged { task: i64 },
}

/// What an import of the book would do.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The document holding exactly this content, when it was imported before.
    pub already: Option<i64>,
    /// One entry per row, in book order: (sheet index, row index, action).
    pub actions: Vec<(usize, usize, Action)>,
    /// Tasks from earlier versions of the workbook that this version no longer has: (id,
    /// ref). They are left as they are; cancelling one is the office's decision.
    pub missing: Vec<(i64, String)>,
}

impl Plan {
    pub fn count(&self, f: impl Fn(&Action) -> bool) -> usize {
        self.actions.iter().filter(|(_, _, a)| f(a)).count()
    }
}

/// The ref of a row: its sheet and key.
pub fn key(sheet: &Sheet, row: &Row) -> String {
    format!("{}/{}", sheet.name, row.key)
}

fn text(v: Option<&str>) -> String {
    v.unwrap_or("").to_string()
}

/// The cells of an existing task that the row changes.
fn diff(conn: &Connection, old: &Task, row: &Row) -> Result<Vec<Cell>> {
    let mut cells = Vec::new();
    let mut push = |field: &'static str, o: String, n: String| {
        if o != n {
            cells.push(Cell {
                field,
                old: o,
                new: n,
            });
        }
    };
    push("title", old.title.clone(), row.title.clone());
    push("area", text(old.area.as_deref()), text(row.area.as_deref()));
    push(
        "owner",
        text(old.owner.as_deref()),
        text(row.owner.as_deref()),
    );
    push(
        "co_owners",
        old.co_owners.join("、"),
        row.co_owners.join("、"),
    );
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    push("deadline", day(old.deadline), day(row.deadline));
    push("status", old.status.to_string(), row.status.to_string());
    if let Some(n) = &row.progress_note {
        let latest = documents::latest_note(conn, old.id)?;
        if latest.as_deref() != Some(n.as_str()) {
            push("note", latest.unwrap_or_default(), n.clone());
        }
    }
    Ok(cells)
}

/// Works out what importing the book would do to the ledger as it stands.
pub fn plan(conn: &Connection, book: &Book, as_of: NaiveDate) -> Result<Plan> {
    let already = documents::by_sha256(conn, &book.sha256)?.map(|d| d.id);
    let mut actions = Vec::new();
    for (si, sheet) in book.sheets.iter().enumerate() {
        for (ri, row) in sheet.rows.iter().enumerate() {
            let action = match documents::ledger_row_task(conn, &book.title, &key(sheet, row))? {
                None if already.is_none() => Action::Create,
                None => continue,
                Some(id) => {
                    let old = tasks::get(conn, id, as_of)?;
                    let cells = if already.is_some() {
                        Vec::new()
                    } else {
                        diff(conn, &old, row)?
                    };
                    if cells.is_empty() {
                        Action::Unchanged { task: id }
                    } else {
                        Action::Update { task: id, cells }
                    }
                }
            };
            actions.push((si, ri, action));
        }
    }
    let seen: std::collections::HashSet<i64> = actions
        .iter()
        .filter_map(|(_, _, a)| match a {
            Action::Update { task, .. } | Action::Unchanged { task } => Some(*task),
            Action::Create => None,
        })
        .collect();
    let missing = if already.is_some() {
        Vec::new()
    } else {
        documents::ledger_tasks(conn, &book.title)?
            .into_iter()
            .filter(|(id, _)| !seen.contains(id))
            .collect()
    };
    Ok(Plan {
        already,
        actions,
        missing,
    })
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub document: Option<i64>,
    pub already_imported: bool,
    pub created: Vec<i64>,
    pub updated: Vec<i64>,
    pub unchanged: usize,
}

/// Where a row came from, for its history: file, sheet and row.
fn origin(book: &Book, sheet: &Sheet, row: &Row) -> (String, String) {
    (
        format!(
            "台账 {} 工作表「{}」第 {} 行",
            book.file, sheet.name, row.row
        ),
        format!(
            "ledger {}, sheet {}, row {}",
            book.file, sheet.name, row.row
        ),
    )
}

/// Applies the plan inside the caller's write transaction (worked out again there, so that
/// what is written is what the ledger holds at that moment).
pub fn apply(w: &Writer, book: &Book, path: &str, as_of: NaiveDate) -> Result<Outcome> {
    let p = plan(w.conn(), book, as_of)?;
    if let Some(doc) = p.already {
        return Ok(Outcome {
            document: Some(doc),
            already_imported: true,
            created: Vec::new(),
            updated: Vec::new(),
            unchanged: p.actions.len(),
        });
    }
    let year = book
        .sheets
        .first()
        .map_or(crate::model::date::current_year(), |s| s.year);
    let doc = documents::insert(
        w,
        &NewDocument {
            title: &book.title,
            issuer: book.unit.as_deref(),
            issued_on: None,
            report_year: year,
            plan_year: year,
            sha256: &book.sha256,
            path: Some(path),
            text: &book.text,
        },
    )?;
    let mut ids: HashMap<(usize, usize), i64> = HashMap::new();
    let mut out = Outcome {
        document: Some(doc),
        already_imported: false,
        created: Vec::new(),
        updated: Vec::new(),
        unchanged: 0,
    };
    for (si, ri, action) in &p.actions {
        let (Some(sheet), Some(row)) = (
            book.sheets.get(*si),
            book.sheets.get(*si).and_then(|s| s.rows.get(*ri)),
        ) else {
            continue;
        };
        let (zh, en) = origin(book, sheet, row);
        match action {
            Action::Unchanged { task } => {
                ids.insert((*si, *ri), *task);
                out.unchanged += 1;
            }
            Action::Update { task, cells } => {
                ids.insert((*si, *ri), *task);
                let note = format!("{zh}（新版本）/ {en} (a later version)");
                let mut c = Changes::default();
                for cell in cells {
                    match cell.field {
                        "title" => c.title = Some(row.title.clone()),
                        "area" => c.area = row.area.clone().or(Some(String::new())),
                        "owner" => c.owner = row.owner.clone().or(Some(String::new())),
                        "co_owners" => c.co_owners = Some(row.co_owners.clone()),
                        "deadline" => {
                            c.deadline = row.deadline;
                            c.deadline_text = row.deadline_text.clone();
                        }
                        "status" => c.status = Some(row.status),
                        _ => {}
                    }
                }
                tasks::update(w, *task, &c, Some(&note), as_of)?;
                if cells.iter().any(|c| c.field == "note") {
                    if let Some(n) = &row.progress_note {
                        tasks::note(w, *task, n)?;
                    }
                }
                out.updated.push(*task);
            }
            Action::Create => {
                let k = key(sheet, row);
                let reference = if documents::ref_taken(w.conn(), &k)? {
                    format!("{k}#D{doc}")
                } else {
                    k
                };
                let (status, progress) = starting_state(row.status, 0);
                let mut note = format!("从{zh}导入 / imported from {en}");
                if let Some(e) = &row.evidence {
                    note.push_str(&format!("；佐证材料 evidence: {e}"));
                }
                let t = NewTask {
                    reference: Some(reference),
                    kind: row.kind,
                    title: row.title.clone(),
                    body: row.body.clone(),
                    area: row.area.clone(),
                    outline_area: None,
                    owner: row.owner.clone(),
                    co_owners: row.co_owners.clone(),
                    status,
                    progress,
                    deadline: if row.continuous { None } else { row.deadline },
                    deadline_text: row.deadline_text.clone(),
                    year: sheet.year,
                    parent_id: row.parent.and_then(|pi| ids.get(&(*si, pi)).copied()),
                    document_id: Some(doc),
                    completed_at: status.is_finished().then(|| w.at().to_string()),
                    person: person_and_contact(row.person.as_deref()).0,
                    contact: person_and_contact(row.person.as_deref()).1,
                };
                let id = tasks::insert(w, &t, Some(&note))?;
                // The 佐证材料 names are the task's evidence references, attached in the
                // same change as the task.
                let names =
                    crate::ledger::evidence::names_in(row.evidence.as_deref().unwrap_or(""));
                crate::ledger::evidence::attach_in(w, id, &[], &names)?;
                if let Some(n) = &row.progress_note {
                    tasks::note(w, id, n)?;
                }
                ids.insert((*si, *ri), id);
                out.created.push(id);
            }
        }
    }
    Ok(out)
}

/// Splits a 责任人/联系人 cell such as "刘八 13800000000" into the person and a trailing phone
/// number, which offices often write in the same cell; any other text is the person whole.
fn person_and_contact(cell: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(cell) = cell.map(str::trim).filter(|c| !c.is_empty()) else {
        return (None, None);
    };
    let is_phone = |t: &str| {
        t.chars().filter(char::is_ascii_digit).count() >= 7
            && t.chars()
                .all(|c| c.is_ascii_digit() || "-+()（）".contains(c))
    };
    match cell.rsplit_once(char::is_whitespace) {
        Some((name, phone)) if is_phone(phone) && !name.trim().is_empty() => {
            (Some(name.trim().to_string()), Some(phone.to_string()))
        }
        _ => (Some(cell.to_string()), None),
    }
}

#[cfg(test)]
mod person_tests {
    use super::person_and_contact;

    #[test]
    fn a_trailing_phone_number_is_the_contact() {
        assert_eq!(
            person_and_contact(Some("刘八 13800000000")),
            (Some("刘八".into()), Some("13800000000".into()))
        );
        assert_eq!(
            person_and_contact(Some("张三")),
            (Some("张三".into()), None)
        );
        assert_eq!(
            person_and_contact(Some("王五 科长")),
            (Some("王五 科长".into()), None)
        );
        assert_eq!(person_and_contact(Some("  ")), (None, None));
    }
}

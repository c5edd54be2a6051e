//! Turning a parsed report into ledger rows: the document, one task per achievement,
//! shortcoming and commitment, and (on request) the suggested links, in the caller's one write
//! transaction.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::{decode, parse, suggest_links, Encoding, Item, LinkSuggestion, ParsedReport};
use crate::db::documents::{self, NewDocument};
use crate::db::tasks::{self, NewTask};
use crate::db::Writer;
use crate::model::date::end_of_year;
use crate::model::{Kind, Status};
use crate::{Error, Result};

/// The largest file import reads: a yearly report is tens of kilobytes.
pub const MAX_BYTES: u64 = super::MAX_INPUT_BYTES as u64;

/// The area given to shortcomings, which the genre lists in one paragraph or section.
pub const SHORTCOMING_AREA: &str = "存在的不足";

/// A report read and parsed, ready to be stored.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The decoded text, exactly as written apart from the encoding.
    pub text: String,
    /// Fingerprint of the text with line ends normalised: the same content saved with other
    /// line ends is the same document.
    pub sha256: String,
    pub report: ParsedReport,
    pub suggestions: Vec<LinkSuggestion>,
}

/// Reads a report file (`-` is standard input), refusing what cannot be one before reading
/// it whole: a folder or special file is refused unread, and reading stops one byte past the
/// limit, so neither `/dev/zero` nor an endless pipe is read into memory.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let stdin = path.as_os_str() == crate::fsio::DASH;
    let name = if stdin {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let too_large =
        |size: String| Error::refused(crate::msg!("import.too_large", name = name, size = size));
    crate::fsio::check_input(path)?;
    if let Ok(meta) = std::fs::metadata(path) {
        if !stdin && meta.is_file() && meta.len() > MAX_BYTES {
            return Err(too_large(format!("{} bytes", meta.len())));
        }
    }
    crate::fsio::read_limited(path, MAX_BYTES)?
        .ok_or_else(|| too_large(format!("more than {MAX_BYTES} bytes")))
}

/// Decodes and parses a report.
pub fn prepare(bytes: &[u8], encoding: Encoding, plan_year: Option<i32>) -> Result<Prepared> {
    let text = decode(bytes, encoding)?;
    let report = parse(&text, plan_year)?;
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let sha256 = Sha256::digest(normalised.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let suggestions = suggest_links(&report);
    Ok(Prepared {
        text,
        sha256,
        report,
        suggestions,
    })
}

/// What an import did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// The document the content was stored as (or had been, when it was already imported).
    pub document: i64,
    /// True when the same content had been imported before: nothing was created.
    pub already_imported: bool,
    /// Ids of the tasks created, in report order.
    pub created: Vec<i64>,
    /// Links applied with `--link`: (task id, shortcoming id, phrase).
    pub linked: Vec<(i64, i64, String)>,
    /// True when the content differs but the issuer and report year are those of a document
    /// already in the ledger (the same report in other bytes).
    pub same_report: bool,
    /// Tasks whose title or body a `--new-version` import changed.
    pub updated: Vec<i64>,
}

/// Options of one import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The owner given to every task whose text names none.
    pub owner: Option<String>,
    /// Apply the suggested links.
    pub link: bool,
    /// Where the file was read from, kept with the document.
    pub path: Option<String>,
    /// The file is a corrected text of a report already imported: store it and update the
    /// titles and bodies of the existing tasks.
    pub new_version: bool,
    /// A note for the history row of every created task ("came through the review sheet").
    pub note: Option<String>,
    /// The language of a refusal.
    pub lang: crate::model::Lang,
    /// Tag each created task with its suggested outline area (`import --tag`).
    pub tag: bool,
}

/// Stores a prepared report inside the caller's write transaction. Importing content that is
/// already in the ledger creates nothing.
pub fn apply(w: &Writer, p: &Prepared, opts: &Options, as_of: NaiveDate) -> Result<Outcome> {
    let nothing = |document: i64, same_report: bool| Outcome {
        document,
        already_imported: true,
        created: Vec::new(),
        linked: Vec::new(),
        same_report,
        updated: Vec::new(),
    };
    if let Some(d) = documents::by_sha256(w.conn(), &p.sha256)? {
        return Ok(nothing(d.id, false));
    }
    let r = &p.report;
    let earlier = match r.issuer.as_deref() {
        Some(issuer) => {
            documents::by_issuer_year(w.conn(), issuer, r.report_year)?.map(|d| (issuer, d.id))
        }
        None => None,
    };
    if let (Some((_, d)), false) = (earlier, opts.new_version) {
        return Ok(nothing(d, true));
    }
    // Every task belongs to an outline period: a report whose years lie outside every period
    // is refused before anything is stored, with the command that adds the period.
    crate::db::periods::require_year(w.conn(), r.report_year, opts.lang)?;
    crate::db::periods::require_year(w.conn(), r.plan_year, opts.lang)?;
    let doc = documents::insert(
        w,
        &NewDocument {
            title: &r.title,
            issuer: r.issuer.as_deref(),
            issued_on: r.issued_on.map(|d| d.to_string()),
            report_year: r.report_year,
            plan_year: r.plan_year,
            sha256: &p.sha256,
            path: opts.path.as_deref(),
            text: &p.text,
        },
    )?;
    let year_end = |y: i32| {
        end_of_year(y).ok_or_else(|| Error::refused(crate::msg!("export.bad_year", year = y)))
    };
    let report_end = year_end(r.report_year)?;
    let plan_end = year_end(r.plan_year)?;

    // Refs are unique in the ledger; a second document of the same year (a revised report,
    // another district's) keeps its refs recognisable by adding its document number.
    let unique_ref = |r: &str| -> Result<String> {
        if documents::ref_taken(w.conn(), r)? {
            Ok(format!("{r}#D{doc}"))
        } else {
            Ok(r.to_string())
        }
    };
    let base = |item: &Item, kind: Kind, area: &str| -> Result<NewTask> {
        Ok(NewTask {
            reference: Some(unique_ref(&item.r#ref)?),
            kind,
            title: item.title.clone(),
            body: Some(item.body.clone()),
            area: Some(area.to_string()),
            // The review sheet's column is the office's choice; otherwise a suggestion is
            // applied only when asked for with --tag.
            outline_area: item.outline_area.clone().or_else(|| {
                opts.tag
                    .then(|| super::areas::suggest(&item.title, &item.body))
                    .flatten()
                    .map(str::to_string)
            }),
            owner: item.owner.clone().or_else(|| opts.owner.clone()),
            co_owners: item.co_owners.clone(),
            person: item.person.clone(),
            contact: item.contact.clone(),
            status: Status::Todo,
            progress: 0,
            deadline: Some(plan_end),
            deadline_text: item.deadline_text.clone(),
            year: r.plan_year,
            parent_id: None,
            document_id: Some(doc),
            completed_at: None,
        })
    };

    let mut planned: Vec<(&Item, NewTask)> = Vec::new();
    for section in &r.achievements {
        for item in &section.items {
            let mut t = base(item, Kind::Achievement, &section.title)?;
            t.status = Status::Done;
            t.progress = 100;
            t.deadline = Some(report_end);
            t.year = r.report_year;
            t.completed_at = Some(report_end.to_string());
            planned.push((item, t));
        }
    }
    for item in &r.shortcomings {
        let mut t = base(item, Kind::Shortcoming, SHORTCOMING_AREA)?;
        // The parser gives the plan year's end; a review sheet may have moved it.
        t.deadline = Some(item.deadline.unwrap_or(plan_end));
        planned.push((item, t));
    }
    for section in &r.plans {
        for item in &section.items {
            let mut t = base(item, Kind::Commitment, &section.title)?;
            t.deadline = if item.continuous {
                None
            } else {
                Some(item.deadline.unwrap_or(plan_end))
            };
            planned.push((item, t));
        }
    }

    let mut created = Vec::with_capacity(planned.len());
    let mut updated = Vec::new();
    let mut by_ref: HashMap<&str, i64> = HashMap::new();
    for (item, t) in &planned {
        // A new version updates the task its ref already has, and creates only new items.
        let existing = match earlier {
            Some((issuer, _)) => {
                documents::task_of_report(w.conn(), issuer, r.report_year, &item.r#ref)?
            }
            None => None,
        };
        if let Some(id) = existing {
            if revise(w, id, item, doc, as_of)? {
                updated.push(id);
            }
            by_ref.insert(item.r#ref.as_str(), id);
            continue;
        }
        // A report's tasks take effect when it was issued; its achievements were done by the
        // end of the year it reports on, so that year's year-end export holds them.
        w.set_default_effective(if t.kind == Kind::Achievement {
            Some(report_end)
        } else {
            r.issued_on
        });
        let id = tasks::insert(w, t, opts.note.as_deref());
        w.set_default_effective(None);
        let id = id?;
        by_ref.insert(item.r#ref.as_str(), id);
        created.push(id);
    }

    let mut linked = Vec::new();
    if opts.link {
        for s in &p.suggestions {
            let pair = (
                by_ref.get(s.commitment_ref.as_str()),
                by_ref.get(s.shortcoming_ref.as_str()),
            );
            if let (Some(&task), Some(&short)) = pair {
                if tasks::link(w, task, short, as_of)? {
                    linked.push((task, short, s.phrase.clone()));
                }
            }
        }
    }
    Ok(Outcome {
        document: doc,
        already_imported: false,
        created,
        linked,
        same_report: earlier.is_some(),
        updated,
    })
}

/// Brings an existing task's title and body to a new version's text; each change is a history
/// row naming the new document. Returns whether anything changed.
fn revise(w: &Writer, id: i64, item: &Item, doc: i64, as_of: NaiveDate) -> Result<bool> {
    let old = tasks::get(w.conn(), id, as_of)?;
    let note = format!("报告新版本（文档 #{doc}）更正 / corrected by a new version of the report (document #{doc})");
    let mut changed = false;
    if old.title != item.title {
        tasks::set_field(w, id, "title", Some(&old.title), Some(&item.title), &note)?;
        changed = true;
    }
    if old.body.as_deref() != Some(item.body.as_str()) {
        tasks::set_field(w, id, "body", old.body.as_deref(), Some(&item.body), &note)?;
        changed = true;
    }
    Ok(changed)
}

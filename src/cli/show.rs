use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{emit, emit_json, Ctx, Format};
use crate::db::documents::{self, Document};
use crate::db::{history, tasks, Ledger};
use crate::model::field::Column;
use crate::model::{HistoryRow, Task, Word};
use crate::render::{
    deadline_label, field_label, history_table, none_label, printable, task_table, Col, Grid,
};
use crate::{Error, Result};

/// The most characters of one value the table shows. A task imported from a report written
/// as one paragraph can hold megabytes in its title and body; laying them out would take
/// seconds and fill the screen. `--format json` prints every value whole.
const MAX_SHOWN: usize = 2_000;

/// A value cut to `MAX_SHOWN` characters, and whether it was cut.
fn capped(s: String) -> (String, bool) {
    match s.char_indices().nth(MAX_SHOWN) {
        Some((end, _)) => (format!("{}…", &s[..end]), true),
        None => (s, false),
    }
}

#[derive(Debug, Args)]
pub struct Show {
    /// The task.
    pub id: i64,
}

/// Everything `show` prints about a task.
#[derive(Debug, Serialize)]
struct Detail {
    #[serde(flatten)]
    task: Task,
    children: Vec<Task>,
    addresses: Vec<Task>,
    addressed_by: Vec<Task>,
    history: Vec<HistoryRow>,
    /// The document the task was imported from, if any.
    document: Option<Document>,
}

impl Show {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let as_of = ctx.as_of;
        let d = ledger.read(|c| {
            let mut task = tasks::get(c, self.id, as_of)?;
            // With --as-of the task is shown as it stood at the end of that day.
            if ctx.as_of_given {
                let cutoff = crate::db::replay::end_of_day(as_of);
                task = crate::db::replay::replay_task(c, self.id, &cutoff, as_of)?
                    .ok_or_else(|| {
                        Error::not_found(crate::msg!(
                            "cli.not_yet_effective",
                            id = self.id,
                            day = as_of
                        ))
                    })?
                    .task;
            }
            let document = match task.document_id {
                Some(id) => documents::get(c, id)?,
                None => None,
            };
            Ok(Detail {
                task,
                document,
                children: tasks::children(c, self.id, as_of)?,
                addresses: tasks::addresses(c, self.id, as_of)?,
                addressed_by: tasks::addressed_by(c, self.id, as_of)?,
                history: history::rows(c, Some(self.id), None, None)?,
            })
        })?;
        if ctx.format == Format::Json {
            return emit_json(out, &d);
        }
        let tz = ledger.timezone()?;
        let local = |s: &str| printable(&crate::model::zone::local(s, tz));
        let t = &d.task;
        let lang = ctx.lang;
        let mut kv = Grid::new(
            ctx.style(),
            vec![
                Col::keep(&crate::tr!(ctx.lang, "table.field"), 0),
                Col::wrap(&crate::tr!(ctx.lang, "msg.show.value"), 0, 20),
            ],
        );
        let opt = |v: &Option<String>| v.as_deref().map(printable).unwrap_or_default();
        let mut deadline = deadline_label(t, lang);
        if let Some(words) = &t.deadline_text {
            deadline.push_str(&format!(" ({})", printable(words)));
        }
        let status = if t.overdue {
            format!(
                "{} ({})",
                t.status.label(lang),
                &crate::tr!(ctx.lang, "field.overdue")
            )
        } else {
            t.status.label(lang).to_string()
        };
        // One row per shown column, in the description's order; the match names every
        // column, so a new one is a compile error here until it says how it is shown.
        let rows = Column::ALL.into_iter().filter(|c| c.shown()).map(|c| {
            let value = match c {
                Column::Id => format!("#{}", t.id),
                Column::Ref => opt(&t.reference),
                Column::DocumentId => d
                    .document
                    .as_ref()
                    .map(|doc| {
                        let date = doc.issued_on.as_deref().unwrap_or_default();
                        printable(&format!("#{} 《{}》 {date}", doc.id, doc.title))
                    })
                    .unwrap_or_default(),
                Column::Kind => t.kind.label(lang).to_string(),
                Column::Title => printable(&t.title),
                Column::Area => opt(&t.area),
                Column::OutlineArea => opt(&t.outline_area),
                Column::Owner => t
                    .owner
                    .as_deref()
                    .map(printable)
                    .unwrap_or_else(|| none_label(lang, true).to_string()),
                Column::CoOwners => printable(&t.co_owners.join("、")),
                Column::Status => status.clone(),
                Column::Progress => format!("{}%", t.progress),
                Column::Deadline => deadline.clone(),
                // Printed beside the deadline; `shown` leaves it out.
                Column::DeadlineText => String::new(),
                Column::Year => t.year.to_string(),
                Column::ParentId => t.parent_id.map(|p| format!("#{p}")).unwrap_or_default(),
                Column::CreatedAt => local(&t.created_at),
                Column::UpdatedAt => local(&t.updated_at),
                Column::CompletedAt => t.completed_at.as_deref().map(local).unwrap_or_default(),
                Column::Body => opt(&t.body),
            };
            (c.shown_name(), value)
        });
        let mut cut = Vec::new();
        for (field, value) in rows {
            if !value.is_empty() {
                let (value, was_cut) = capped(value);
                if was_cut {
                    cut.push(field_label(field, lang));
                }
                kv.row(vec![field_label(field, lang), value]);
            }
        }
        emit(out, kv.fit())?;
        if !cut.is_empty() {
            let json = format!("taizhang show {} --format json", t.id);
            emit(
                out,
                crate::msg!("show.cut", max = MAX_SHOWN, json = json)
                    .word("fields", &cut.join("、"), &cut.join(", "))
                    .text(lang),
            )?;
        }
        let sections = [
            (&crate::tr!(ctx.lang, "msg.show.sub_tasks"), &d.children),
            (&crate::tr!(ctx.lang, "msg.show.addresses"), &d.addresses),
            (
                &crate::tr!(ctx.lang, "msg.show.addressed_by"),
                &d.addressed_by,
            ),
        ];
        for (title, list) in sections {
            if !list.is_empty() {
                emit(out, format!("\n{title}"))?;
                emit(out, task_table(list, ctx.style()))?;
            }
        }
        emit(
            out,
            format!("\n{}", &crate::tr!(ctx.lang, "msg.show.history")),
        )?;
        emit(
            out,
            history_table(&crate::render::local_rows(&d.history, tz), ctx.style()),
        )?;
        emit(out, crate::render::zone_line(tz, lang))
    }
}

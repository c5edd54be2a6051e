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
    /// The task: an id (16), a ref (2025-C1.1) or a one-task range.
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
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
    /// Its extension requests (申请延期), oldest first, with their decisions.
    extension_requests: Vec<crate::db::requests::Request>,
    /// Its evidence (佐证材料), in the order attached.
    evidence: Vec<crate::db::evidence::Evidence>,
    /// The outline period of its plan year (纲要期间), if the year lies in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    outline_period: Option<crate::db::periods::Period>,
    /// The plan year it was carried over from (结转自), if its year came by a carry.
    #[serde(skip_serializing_if = "Option::is_none")]
    carried_from: Option<i32>,
}

impl Show {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let as_of = ctx.as_of;
        let id = ledger.read(|c| super::ids::resolve_one(c, &self.id, ctx.lang))?;
        let d = ledger.read(|c| {
            let mut task = tasks::get(c, id, as_of)?;
            let mut links = None;
            // With --as-of the task is shown as it stood at the end of that day, with the
            // sub-tasks and links it had then.
            if ctx.as_of_given {
                let cutoff = crate::db::replay::end_of_day(as_of);
                let rep =
                    crate::db::replay::replay_task(c, id, &cutoff, as_of)?.ok_or_else(|| {
                        Error::not_found(crate::msg!("cli.not_yet_effective", id = id, day = as_of))
                    })?;
                // Only a shortcoming can be addressed (link and the bulk validator refuse
                // any other target, and a kind never changes): others skip the search.
                let by = if rep.task.kind == crate::model::Kind::Shortcoming {
                    crate::db::replay::addressed_by_at(c, id, &cutoff)?
                } else {
                    Vec::new()
                };
                let get = |ids: &mut dyn Iterator<Item = i64>| -> Result<Vec<crate::model::Task>> {
                    ids.map(|i| tasks::get(c, i, as_of)).collect()
                };
                links = Some((
                    crate::db::replay::children_at(c, id, &cutoff, as_of)?,
                    get(&mut rep.addresses.iter().copied())?,
                    get(&mut by.into_iter())?,
                ));
                task = rep.task;
            }
            let outline_period = crate::db::periods::of_year(c, task.year)?;
            let document = match task.document_id {
                Some(id) => documents::get(c, id)?,
                None => None,
            };
            let (children, addresses, addressed_by) = match links {
                Some(l) => l,
                None => (
                    tasks::children(c, id, as_of)?,
                    tasks::addresses(c, id, as_of)?,
                    tasks::addressed_by(c, id, as_of)?,
                ),
            };
            let mut d = Detail {
                task,
                document,
                children,
                addresses,
                addressed_by,
                history: history::rows(c, Some(id), None, None)?,
                extension_requests: crate::db::requests::of_task(c, id)?,
                evidence: crate::db::evidence::of_task(c, id)?,
                outline_period,
                carried_from: crate::db::carry::carried_from(
                    c,
                    ctx.as_of_given
                        .then(|| crate::db::replay::end_of_day(as_of))
                        .as_deref(),
                )?
                .get(&id)
                .copied(),
            };
            // Units are shown by their current names; the history keeps what was written.
            let current = crate::db::units::Current::load(c)?;
            current.relabel(&mut d.task);
            for t in d
                .children
                .iter_mut()
                .chain(&mut d.addresses)
                .chain(&mut d.addressed_by)
            {
                current.relabel(t);
            }
            Ok(d)
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
                t.status.shown(t.kind, lang),
                &crate::tr!(ctx.lang, "field.overdue")
            )
        } else {
            t.status.shown(t.kind, lang).to_string()
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
                Column::Person => opt(&t.person),
                Column::Contact => opt(&t.contact),
                Column::Status => status.clone(),
                Column::Progress => format!("{}%", t.progress),
                Column::Deadline => deadline.clone(),
                // Printed beside the deadline; `shown` leaves it out.
                Column::DeadlineText => String::new(),
                Column::Year => year_label(t.year, &d, ctx),
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
        if !d.extension_requests.is_empty() {
            emit(
                out,
                format!("\n{}", &crate::tr!(ctx.lang, "msg.show.extension_requests")),
            )?;
            emit(out, requests_table(&d.extension_requests, ctx, tz))?;
        }
        if !d.evidence.is_empty() {
            emit(out, format!("\n{}", ctx.t("佐证材料", "Evidence")))?;
            emit(out, evidence_table(&d.evidence, ctx))?;
        }
        emit(
            out,
            format!("\n{}", crate::tr!(ctx.lang, "msg.show.history")),
        )?;
        emit(
            out,
            history_table(&crate::render::local_rows(&d.history, tz), ctx.style()),
        )?;
        emit(out, crate::render::zone_line(tz, lang))
    }
}

/// The extension requests of a task: what was asked, by whom and why, and the decision.
fn requests_table(
    list: &[crate::db::requests::Request],
    ctx: &Ctx,
    tz: chrono_tz::Tz,
) -> crate::render::Fitted {
    let mut t = Grid::new(
        ctx.style(),
        vec![
            Col::keep(&crate::tr!(ctx.lang, "msg.show.state"), 0),
            Col::keep(&crate::tr!(ctx.lang, "msg.show.to"), 0),
            Col::keep(&crate::tr!(ctx.lang, "msg.show.from"), 1),
            Col::wrap(&crate::tr!(ctx.lang, "msg.show.reason"), 0, 10),
            Col::keep(&crate::tr!(ctx.lang, "msg.show.asked_by"), 2),
            Col::keep(&crate::tr!(ctx.lang, "msg.show.asked_at"), 3),
            Col::keep(&crate::tr!(ctx.lang, "msg.show.decided_by"), 2),
            Col::wrap(&crate::tr!(ctx.lang, "msg.show.decision_note"), 2, 8),
        ],
    );
    for r in list {
        t.row(vec![
            r.state.label(ctx.lang).to_string(),
            r.deadline.to_string(),
            r.old_deadline.map(|d| d.to_string()).unwrap_or_default(),
            printable(&r.reason),
            printable(&r.actor),
            printable(&crate::model::zone::local(&r.at, tz)),
            r.decided_by.as_deref().map(printable).unwrap_or_default(),
            r.decision_note
                .as_deref()
                .map(printable)
                .unwrap_or_default(),
        ]);
    }
    t.fit()
}

/// The evidence of a task: each stored file by name, size and full SHA-256 (what `evidence
/// get` takes), each reference as given, with who attached it and when.
fn evidence_table(list: &[crate::db::evidence::Evidence], ctx: &Ctx) -> crate::render::Fitted {
    let mut t = Grid::new(
        ctx.style(),
        vec![
            Col::wrap(ctx.t("文件或文号", "File or reference"), 0, 12),
            Col::keep(ctx.t("大小", "Size"), 2),
            Col::keep("SHA-256", 1),
            Col::keep(ctx.t("提交人", "By"), 3),
            Col::keep(ctx.t("时间", "At"), 4),
        ],
    );
    for e in list {
        t.row(vec![
            printable(
                e.name
                    .as_deref()
                    .or(e.reference.as_deref())
                    .unwrap_or_default(),
            ),
            e.size.map(|s| s.to_string()).unwrap_or_default(),
            e.sha256.clone().unwrap_or_default(),
            printable(&e.actor),
            printable(&e.at),
        ]);
    }
    t.fit()
}

/// The plan year as `show` prints it: with the outline period it belongs to, its closing-year
/// mark (收官之年) and where it was carried from (结转自).
fn year_label(year: i32, d: &Detail, ctx: &Ctx) -> String {
    let mut parts = Vec::new();
    if let Some(from) = d.carried_from {
        parts.push(crate::db::carry::mark(from, ctx.lang));
    }
    if let Some(p) = &d.outline_period {
        let mut s = format!("{} {}", printable(&p.name), p.span());
        if p.closing_year == year {
            s.push_str(ctx.t(" 收官之年", ", closing year"));
        }
        parts.push(s);
    }
    if parts.is_empty() {
        year.to_string()
    } else {
        let (open, sep, close) = match ctx.lang {
            crate::model::Lang::Zh => ("（", "；", "）"),
            crate::model::Lang::En => (" (", "; ", ")"),
        };
        format!("{year}{open}{}{close}", parts.join(sep))
    }
}

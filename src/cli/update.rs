use std::io::Write;

use clap::Args;

use super::{
    emit, emit_json, parse_name, parse_outline_area, parse_progress, parse_text, parse_title, Ctx,
    Format,
};
use crate::db::Ledger;
use crate::ledger::tasks::UpdateRequest;
use crate::model::date::DeadlineArg;
use crate::model::rules::Changes;
use crate::model::{Status, Task};
use crate::render::field_label;
use crate::Result;

#[derive(Debug, Args)]
pub struct Update {
    #[command(flatten)]
    pub who: super::Who,
    /// The tasks to change, by id (16), range (16-18) or ref (2025-C1.1); all change or none
    /// does.
    #[arg(required = true, value_name = "ID", value_parser = super::ids::parse_target)]
    pub ids: Vec<super::ids::Target>,
    /// The new status, in English or Chinese (e.g. doing or 推进中).
    #[arg(long, value_parser = super::choices::WordParser::<Status>::new())]
    pub status: Option<Status>,
    /// The new progress, 0–100; 100 with no status given makes the task done.
    #[arg(long, value_parser = parse_progress, allow_negative_numbers = true)]
    pub progress: Option<u8>,
    /// The new lead unit (牵头单位).
    #[arg(long, value_parser = parse_name)]
    pub owner: Option<String>,
    /// The co-owners (配合单位), replacing the current list; repeat for several.
    #[arg(long = "co-owner", value_parser = parse_name)]
    pub co_owners: Vec<String>,
    /// A new deadline (an extension, 延期): needs --note with the reason. A form without a
    /// year (6月底前) is in each task's own plan year.
    #[arg(long)]
    pub deadline: Option<DeadlineArg>,
    /// A new title.
    #[arg(long, value_parser = parse_title)]
    pub title: Option<String>,
    /// A new area (领域).
    #[arg(long, value_parser = parse_name)]
    pub area: Option<String>,
    /// A new outline area tag, FZ01 … FZ10.
    #[arg(long, value_parser = parse_outline_area)]
    pub outline_area: Option<String>,
    /// Move the tasks to another plan year (e.g. a commitment put off to next year): needs
    /// --note with the reason; the old year stays in the history. For a whole year's open
    /// tasks use `carry-over`. 调整计划年度
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub year: Option<i32>,
    /// Make the tasks sub-tasks of task ID (an id or a ref).
    #[arg(long, value_name = "ID", value_parser = super::ids::parse_target)]
    pub parent: Option<super::ids::Target>,
    /// The responsible person (责任人).
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub person: Option<String>,
    /// How to reach the responsible person (联系方式), e.g. a phone number.
    #[arg(long, value_name = "TEXT", value_parser = parse_name)]
    pub contact: Option<String>,
    /// The reason or progress note, kept in the history with each changed field. Required when
    /// changing a deadline or the plan year, cancelling, marking done (what was done) and
    /// verifying (the review). 说明
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
    /// A file of evidence (佐证材料) to store in the ledger, at most 20 MiB; repeat for
    /// several. Identical content is stored once; `evidence get` writes it back out.
    #[arg(long = "evidence", value_name = "FILE")]
    pub evidence: Vec<std::path::PathBuf>,
    /// A reference as evidence: a document number (文号) or a URL; repeat for several.
    #[arg(long = "evidence-ref", value_name = "TEXT", value_parser = parse_text)]
    pub evidence_refs: Vec<String>,
}

impl Update {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let (ids, parent) = ledger.read(|c| {
            let ids = super::ids::resolve(c, &self.ids, ctx.lang)?;
            let parent = self
                .parent
                .as_ref()
                .map(|p| super::ids::resolve_one(c, p, ctx.lang))
                .transpose()?;
            Ok((ids, parent))
        })?;
        let req = UpdateRequest {
            ids,
            changes: Changes {
                status: self.status,
                progress: self.progress,
                owner: self.owner.clone(),
                co_owners: (!self.co_owners.is_empty()).then(|| self.co_owners.clone()),
                deadline: None,
                deadline_text: None,
                title: self.title.clone(),
                area: self.area.clone(),
                outline_area: self.outline_area.clone(),
                parent_id: parent,
                body: None,
                year: self.year,
                person: self.person.clone(),
                contact: self.contact.clone(),
            },
            deadline: self.deadline.clone(),
            note: self.note.clone(),
        };
        // Files are read and hashed before the write, so a slow or bad file holds no lock.
        let files = self
            .evidence
            .iter()
            .map(|p| crate::ledger::evidence::read(p, ctx.lang))
            .collect::<Result<Vec<_>>>()?;
        let attached = files.len() + self.evidence_refs.len();
        let updated =
            crate::ledger::tasks::update_then(ledger, &ctx.meta, &req, ctx.as_of, ctx.lang, |w| {
                // An id given twice gets its evidence once.
                let mut seen = std::collections::HashSet::new();
                for id in req.ids.iter().filter(|i| seen.insert(**i)) {
                    crate::ledger::evidence::attach_in(w, *id, &files, &self.evidence_refs)?;
                }
                Ok(())
            })?;
        let new_deadline = self
            .deadline
            .is_some()
            .then(|| updated.iter().filter_map(|u| u.task.deadline).min())
            .flatten();
        if let Some(d) = new_deadline {
            if d < ctx.as_of {
                ctx.warn(&format!(
                    "{} {d} {}",
                    &crate::tr!(ctx.lang, "msg.update.the_new_deadline"),
                    &crate::tr!(ctx.lang, "msg.update.has_already_passed"),
                ));
            }
        }
        match ctx.format {
            Format::Json => {
                let tasks: Vec<&Task> = updated.iter().map(|u| &u.task).collect();
                emit_json(out, &tasks)
            }
            _ => {
                for u in &updated {
                    let id = u.task.id;
                    if attached > 0 {
                        emit(
                            out,
                            format!(
                                "#{id}: {} {attached}",
                                ctx.t("已附佐证材料", "evidence attached:")
                            ),
                        )?;
                    }
                    if u.fields.is_empty() && attached > 0 {
                        continue;
                    }
                    if u.fields.is_empty() {
                        emit(
                            out,
                            format!(
                                "#{id}: {}",
                                &crate::tr!(ctx.lang, "msg.update.nothing_changed")
                            ),
                        )?;
                    } else {
                        let names: Vec<String> =
                            u.fields.iter().map(|f| field_label(f, ctx.lang)).collect();
                        emit(
                            out,
                            format!(
                                "#{id}: {} {}",
                                &crate::tr!(ctx.lang, "msg.update.updated"),
                                names.join(", ")
                            ),
                        )?;
                    }
                }
                Ok(())
            }
        }
    }
}

use std::io::Write;

use clap::Args;
use comfy_table::Color;

use super::{emit, emit_json, Ctx, Format};
use crate::db::warn::{warnings, Colour};
use crate::db::Ledger;
use crate::model::Word;
use crate::render::{owner_label, printable, Col, Grid};
use crate::Result;

#[derive(Debug, Args)]
pub struct Warn {
    /// Blue: open tasks due within DAYS of --as-of.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,
    /// List at most N warned tasks (the counts always cover all); 0 lists every one.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    #[command(flatten)]
    pub scope: super::list::ScopeArgs,
}

impl Warn {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let limit = (self.limit > 0).then_some(self.limit);
        // With --as-of the tasks are replayed to that day; without it the current rows are read.
        let scope = ledger.read(|c| self.scope.scope(c))?;
        let found = if ctx.as_of_given {
            ledger.read(|c| {
                crate::db::warn::warnings_then(c, ctx.as_of, self.within, limit, &scope)
            })?
        } else {
            ledger.read(|c| warnings(c, ctx.as_of, self.within, limit, &scope))?
        };
        // Units are shown by their current names (a renamed unit, an alias).
        let mut found = found;
        let current = ledger.read(crate::db::units::Current::load)?;
        found
            .warnings
            .iter_mut()
            .for_each(|w| current.relabel(&mut w.task));
        // Pending extension requests (申请延期待审批) are their own lines: they wait for the
        // office, whatever the colour of their task.
        let pending = ledger.read(|c| {
            let list = if ctx.as_of_given {
                let cutoff = crate::db::replay::end_of_day(ctx.as_of);
                crate::db::requests::pending_at(c, &cutoff)?
            } else {
                crate::db::requests::pending(c)?
            };
            list.into_iter()
                .map(|r| Ok((crate::db::tasks::get(c, r.task_id, ctx.as_of)?.title, r)))
                .collect::<Result<Vec<_>>>()
        })?;
        if ctx.format == Format::Json {
            #[derive(serde::Serialize)]
            struct WithRequests<'a> {
                #[serde(flatten)]
                warnings: &'a crate::db::warn::Warnings,
                pending_extensions: Vec<&'a crate::db::requests::Request>,
            }
            return emit_json(
                out,
                &WithRequests {
                    warnings: &found,
                    pending_extensions: pending.iter().map(|(_, r)| r).collect(),
                },
            );
        }
        self.table(&found, ctx, out)?;
        for (title, r) in &pending {
            let line = match ctx.lang {
                crate::model::Lang::Zh => format!(
                    "申请延期待审批：#{} {} {} → {}（理由：{}；申请人 {}；approve {} 批准，reject {} --note 驳回）",
                    r.task_id,
                    printable(title),
                    r.old_deadline.map(|d| d.to_string()).unwrap_or_default(),
                    r.deadline,
                    printable(&r.reason),
                    printable(&r.actor),
                    r.task_id,
                    r.task_id,
                ),
                crate::model::Lang::En => format!(
                    "extension pending approval: #{} {} {} → {} (reason: {}; asked by {}; approve {} or reject {} --note)",
                    r.task_id,
                    printable(title),
                    r.old_deadline.map(|d| d.to_string()).unwrap_or_default(),
                    r.deadline,
                    printable(&r.reason),
                    printable(&r.actor),
                    r.task_id,
                    r.task_id,
                ),
            };
            emit(out, line)?;
        }
        Ok(())
    }

    /// The counts line and the table of warned tasks.
    fn table(
        &self,
        found: &crate::db::warn::Warnings,
        ctx: &Ctx,
        out: &mut dyn Write,
    ) -> Result<()> {
        let list = &found.warnings;
        if list.is_empty() {
            return emit(out, crate::tr!(ctx.lang, "msg.warn.no_warnings"));
        }
        let shown = list.len() as u64;
        let all = found.red + found.yellow + found.blue;
        // Said when the list was cut at --limit.
        let more = if shown < all {
            crate::tr!(ctx.lang, "warn.more", shown = shown)
        } else {
            String::new()
        };
        emit(
            out,
            crate::tr!(
                ctx.lang,
                "warn.heading",
                day = found.as_of,
                red = found.red,
                yellow = found.yellow,
                blue = found.blue,
                more = more
            ),
        )?;
        let mut t = Grid::new(
            ctx.style(),
            vec![
                Col::keep(&crate::tr!(ctx.lang, "msg.warn.warning"), 0),
                Col::keep("ID", 0),
                Col::keep(&crate::tr!(ctx.lang, "table.ref"), 2),
                Col::cut(&crate::tr!(ctx.lang, "table.title"), 0, 10, Some(36)),
                Col::keep(&crate::tr!(ctx.lang, "table.owner"), 3),
                Col::keep(&crate::tr!(ctx.lang, "table.deadline"), 1),
                Col::keep(&crate::tr!(ctx.lang, "msg.warn.days_left"), 1),
                Col::keep(&crate::tr!(ctx.lang, "table.status"), 1),
                Col::keep(&crate::tr!(ctx.lang, "table.progress"), 2),
                Col::keep(&crate::tr!(ctx.lang, "msg.warn.time_elapsed"), 5),
            ],
        );
        for w in list {
            let (label, colour) = match w.colour {
                Colour::Red => (&crate::tr!(ctx.lang, "msg.warn.red_overdue"), Color::Red),
                Colour::Yellow => (
                    &crate::tr!(ctx.lang, "msg.warn.yellow_behind"),
                    Color::Yellow,
                ),
                Colour::Blue => (&crate::tr!(ctx.lang, "msg.warn.blue_due_soon"), Color::Blue),
            };
            let task = &w.task;
            t.colored_row(vec![
                (label.to_string(), Some(colour)),
                (task.id.to_string(), None),
                (
                    task.reference.as_deref().map(printable).unwrap_or_default(),
                    None,
                ),
                (printable(&task.title), None),
                (owner_label(task, ctx.lang), None),
                (
                    task.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    None,
                ),
                (w.days_left.to_string(), None),
                (task.status.label(ctx.lang).to_string(), None),
                (format!("{}%", task.progress), None),
                (format!("{:.0}%", w.elapsed), None),
            ]);
        }
        emit(out, t.fit())
    }
}

use std::io::Write;

use chrono::NaiveDate;
use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::{history, periods, tasks, Ledger};
use crate::render::{history_table, local_rows, printable, zone_line};
use crate::Result;

#[derive(Debug, Args)]
pub struct History {
    /// Only the history of this task: an id (16), a ref (2025-C1.1) or a range (16-18).
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: Option<super::ids::Target>,
    /// Only changes on or after this day.
    #[arg(long, value_parser = crate::model::date::parse_start, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// Only the latest N rows.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
}

impl History {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let since = self.since.map(|d| d.to_string());
        let (rows, tz) = ledger.read(|c| {
            let tz = crate::db::timezone(c)?;
            let Some(t) = &self.id else {
                return Ok((history::rows(c, None, since.as_deref(), self.limit)?, tz));
            };
            // The rows of each task named, in the order they were written; with --limit the
            // latest N of them all.
            let mut rows = Vec::new();
            for id in super::ids::resolve(c, std::slice::from_ref(t), ctx.lang)? {
                tasks::require(c, id)?;
                rows.extend(history::rows(c, Some(id), since.as_deref(), self.limit)?);
            }
            rows.sort_by_key(|r| r.id);
            if let Some(n) = self.limit {
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                rows.drain(..rows.len().saturating_sub(n));
            }
            Ok((rows, tz))
        })?;
        // The whole ledger's history also lists the changes to outline periods, which
        // belong to no task (the JSON stays the array of task rows).
        let periods = match (&self.id, ctx.format) {
            (None, Format::Table) => ledger.read(|c| periods::changes(c, since.as_deref()))?,
            _ => Vec::new(),
        };
        match ctx.format {
            // JSON keeps the stored RFC 3339 times, offsets and all.
            Format::Json => emit_json(out, &rows),
            Format::Table if rows.is_empty() && periods.is_empty() => {
                emit(out, crate::tr!(ctx.lang, "msg.history.no_history"))
            }
            _ => {
                if !rows.is_empty() {
                    emit(out, history_table(&local_rows(&rows, tz), ctx.style()))?;
                    emit(out, zone_line(tz, ctx.lang))?;
                }
                print_periods(&periods, ctx, out)
            }
        }
    }
}

/// One line per change to an outline period: change, time, who, what, and the command.
fn print_periods(list: &[periods::PeriodChange], ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    emit(out, crate::tr!(ctx.lang, "history.period_changes"))?;
    for p in list {
        let what = match p.field.as_str() {
            "added" => crate::tr!(
                ctx.lang,
                "history.period_added",
                period = printable(p.new.as_deref().unwrap_or_default())
            ),
            "removed" => crate::tr!(
                ctx.lang,
                "history.period_removed",
                period = printable(p.old.as_deref().unwrap_or_default())
            ),
            _ => crate::tr!(
                ctx.lang,
                "history.period_renamed",
                old = printable(p.old.as_deref().unwrap_or_default()),
                new = printable(p.new.as_deref().unwrap_or_default())
            ),
        };
        emit(
            out,
            format!(
                "  #{} {} {} {} {what}  ({})",
                p.change_id,
                printable(&p.at),
                printable(&p.actor),
                p.span,
                printable(&p.command)
            ),
        )?;
    }
    Ok(())
}

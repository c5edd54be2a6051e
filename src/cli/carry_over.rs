use std::io::Write;

use chrono::NaiveDate;
use clap::Args;

use super::{emit, emit_json, parse_text, Ctx, Format};
use crate::db::Ledger;
use crate::ledger::carry::{self, CarryRequest};
use crate::model::date::DeadlineArg;
use crate::render::printable;
use crate::{Error, Result};

#[derive(Debug, Args)]
pub struct CarryOver {
    #[command(flatten)]
    pub who: super::Who,
    /// The plan year whose open tasks (not done, verified or cancelled) move on.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub from: i32,
    /// The plan year they move into (default the next year); it must lie in an outline period.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub to: Option<i32>,
    /// Print what would move and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Tasks to leave in the old year (their sub-tasks stay with them); comma-separated or
    /// repeated.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub except: Vec<i64>,
    /// The new deadline (default 31 December of the new year); a form without a year
    /// (6月底前) is in the new year.
    #[arg(long)]
    pub deadline: Option<DeadlineArg>,
    /// Carry from a year that has not ended yet; needs --note.
    #[arg(long)]
    pub force: bool,
    /// The reason, kept with the 结转 note in the history.
    #[arg(long, value_parser = parse_text)]
    pub note: Option<String>,
}

impl CarryOver {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        // Whether the year has ended is a matter of the clock, not of --as-of.
        let today = ctx
            .meta
            .at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| Error::Corrupt(format!("the clock gave '{}'", ctx.meta.at)))?;
        let req = CarryRequest {
            from: self.from,
            to: self.to,
            dry_run: self.dry_run,
            except: self.except.clone(),
            deadline: self.deadline.clone(),
            force: self.force,
            note: self.note.clone(),
        };
        let o = carry::carry_over(ledger, &ctx.meta, &req, today, ctx.as_of, ctx.lang)?;
        if ctx.format == Format::Json {
            return emit_json(out, &o);
        }
        let n = o.carried.len();
        let head = match (ctx.lang, o.dry_run) {
            (crate::model::Lang::Zh, true) => {
                format!(
                    "（预演，未改动台账）将从{}年结转 {n} 项到{}年",
                    o.from, o.to
                )
            }
            (crate::model::Lang::Zh, false) => {
                format!("已从{}年结转 {n} 项到{}年", o.from, o.to)
            }
            (crate::model::Lang::En, true) => format!(
                "(dry run, nothing changed) {n} tasks would be carried over from {} to {}",
                o.from, o.to
            ),
            (crate::model::Lang::En, false) => {
                format!("{n} tasks carried over from {} to {}", o.from, o.to)
            }
        };
        emit(out, head)?;
        for c in &o.carried {
            let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
            emit(
                out,
                format!(
                    "#{} {}  {} → {}",
                    c.id,
                    printable(&c.title),
                    d(c.old_deadline),
                    d(c.new_deadline)
                ),
            )?;
        }
        Ok(())
    }
}

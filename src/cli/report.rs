use std::io::Write;

use clap::Args;

use super::list::FilterArgs;
use super::{emit, emit_json, Ctx, Format};
use crate::db::progress::{self, GroupBy, Progress};
use crate::db::Ledger;
use crate::render::progress_table;
use crate::Result;

#[derive(Debug, Args)]
pub struct ReportCmd {
    /// What to group by.
    #[arg(long, value_enum, default_value_t = GroupBy::Area)]
    pub by: GroupBy,
    #[command(flatten)]
    pub filter: FilterArgs,
}

impl ReportCmd {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let f = ledger.read(|c| self.filter.filter(c, ctx.lang))?;
        // With --as-of the tasks are replayed to that day; without it the current rows count.
        let r = if ctx.as_of_given {
            ledger.read(|c| progress::compute_then(c, self.by, &f, ctx.as_of))?
        } else {
            ledger.read(|c| progress::compute(c, self.by, &f, ctx.as_of))?
        };
        let current = ledger.read(crate::db::units::Current::load)?;
        let r = progress::current_owners(r, &current);
        match ctx.format {
            Format::Json => emit_json(out, &r),
            _ => {
                // A year's report names the outline period the year belongs to, and marks
                // its closing year (收官之年).
                if let Some(y) = f.year {
                    if let Some(p) = ledger.read(|c| crate::db::periods::of_year(c, y))? {
                        let closing = if p.closing_year == y {
                            ctx.t("（纲要收官之年）", " (the outline's closing year)")
                        } else {
                            ""
                        };
                        emit(
                            out,
                            format!(
                                "{}{} {}{closing}",
                                ctx.t("纲要期间：", "Outline period: "),
                                crate::render::printable(&p.name),
                                p.span()
                            ),
                        )?;
                    }
                }
                print(&r, ctx, out)
            }
        }
    }
}

/// Prints the progress table under a line that names its as-of date.
pub fn print(r: &Progress, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let heading = crate::tr!(ctx.lang, "report.heading", day = r.as_of);
    emit(out, heading)?;
    emit(out, progress_table(r, ctx.style()))
}

use std::io::Write;

use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::Ledger;
use crate::model::Outline;
use crate::Result;

#[derive(Debug, Args)]
pub struct Init {
    #[command(flatten)]
    pub who: super::Who,
    /// The outline period the ledger follows, e.g. 2026-2030 (default 2021-2025). A task's plan
    /// year defaults to the period's closing year. 纲要期间
    #[arg(long, value_name = "START-END")]
    pub outline: Option<Outline>,
    /// The unit the ledger belongs to, shown in every export's title, e.g. 常州市天宁区
    /// (change it later with `config name`). 台账名称
    #[arg(long, value_name = "NAME", value_parser = super::parse_name)]
    pub name: Option<String>,
    /// The time zone the ledger's times are shown in, an IANA name such as Asia/Shanghai (the
    /// default) or UTC. Stored times keep their own offset. 时区
    #[arg(long, value_name = "ZONE", value_parser = crate::model::zone::parse)]
    pub timezone: Option<chrono_tz::Tz>,
}

impl Init {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        if let Some(o) = self.outline {
            ledger.write(&ctx.meta, |w| crate::db::set_outline(w, o))?;
        }
        if let Some(n) = &self.name {
            let n = super::config::checked_name(n)?;
            ledger.write(&ctx.meta, |w| {
                crate::db::settings::set(w, crate::db::settings::NAME, &n)
            })?;
        }
        if let Some(tz) = self.timezone {
            ledger.write(&ctx.meta, |w| crate::db::set_timezone(w, tz))?;
        }
        let tz = ledger.timezone()?;
        let outline = ledger.outline()?;
        let name = ledger.read(crate::db::settings::name)?;
        let path = ledger.path().display().to_string();
        match ctx.format {
            Format::Json => emit_json(
                out,
                &serde_json::json!({
                    "db": path,
                    "outline": outline.to_string(),
                    "name": name,
                    "timezone": tz.name(),
                }),
            ),
            _ => emit(
                out,
                format!(
                    "{} {} ({} {outline})\n{}",
                    &crate::tr!(ctx.lang, "msg.init.ledger"),
                    crate::render::printable(&path),
                    &crate::tr!(ctx.lang, "msg.init.outline_period"),
                    crate::render::zone_line(tz, ctx.lang),
                ),
            ),
        }
    }
}

use std::io::Write;

use clap::{Args, Subcommand};

use super::{emit, emit_json, parse_name, Ctx, Format};
use crate::db::{periods, Ledger};
use crate::model::Outline;
use crate::Result;

#[derive(Debug, Args)]
pub struct OutlineCmd {
    #[command(subcommand)]
    pub action: OutlineAction,
}

#[derive(Debug, Subcommand)]
pub enum OutlineAction {
    /// List the outline periods, earliest first, with their closing years. 纲要期间列表
    List,
    /// Add a period, e.g. `outline add 2026-2030 --name 十五五`; periods may not overlap.
    Add {
        /// The span, START-END.
        #[arg(value_name = "START-END")]
        span: Outline,
        /// The period's name (default 纲要（START—END年）), e.g. 十五五 until the national
        /// outline is issued.
        #[arg(long, value_parser = parse_name)]
        name: Option<String>,
    },
    /// Rename a period, e.g. once the national outline's name is known. 期间更名
    Rename {
        /// The span of the period to rename, START-END.
        #[arg(value_name = "START-END")]
        span: Outline,
        /// The new name.
        #[arg(value_parser = parse_name)]
        name: String,
    },
}

impl OutlineCmd {
    /// Whether the command only reads the ledger.
    pub fn reads_only(&self) -> bool {
        matches!(self.action, OutlineAction::List)
    }

    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let lang = ctx.lang;
        match &self.action {
            OutlineAction::List => {
                let list = ledger.read(periods::list)?;
                if ctx.format == Format::Json {
                    return emit_json(out, &list);
                }
                for p in list {
                    emit(
                        out,
                        format!(
                            "{}  {}  {} {}",
                            p.span(),
                            crate::render::printable(&p.name),
                            crate::tr!(lang, "outline.closing_year"),
                            p.closing_year
                        ),
                    )?;
                }
                Ok(())
            }
            OutlineAction::Add { span, name } => {
                let name = name.clone().unwrap_or_else(|| periods::default_name(*span));
                let p = ledger.write(&ctx.meta, |w| periods::add(w, *span, &name, lang))?;
                self.done(ctx, out, &p, &crate::tr!(lang, "outline.added"))
            }
            OutlineAction::Rename { span, name } => {
                let p = ledger.write(&ctx.meta, |w| periods::rename(w, *span, name, lang))?;
                self.done(ctx, out, &p, &crate::tr!(lang, "outline.renamed"))
            }
        }
    }

    fn done(&self, ctx: &Ctx, out: &mut dyn Write, p: &periods::Period, what: &str) -> Result<()> {
        if ctx.format == Format::Json {
            return emit_json(out, p);
        }
        emit(
            out,
            format!("{what}: {} {}", p.span(), crate::render::printable(&p.name)),
        )
    }
}

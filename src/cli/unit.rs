//! `unit`: the units register (单位库). Names enter it as tasks use them; these subcommands
//! list it and edit it. Editing the register changes no task and no history: every view shows
//! a task's units by their current names.

use std::io::Write;

use clap::{Args, Subcommand};

use super::{emit, emit_json, parse_name, Ctx, Format};
use crate::db::units::{self, Aliased};
use crate::db::Ledger;
use crate::render::{printable, Col, Grid};
use crate::Result;

#[derive(Debug, Args)]
pub struct UnitCmd {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// List the units with their aliases and how many tasks each leads and supports.
    List,
    /// Give a unit a new name; the old one stays as an alias (tasks and history keep the
    /// name they were written with, and every view shows the new one). 单位更名
    Rename {
        /// The unit, by its name or an alias.
        #[arg(value_parser = parse_name)]
        old: String,
        /// Its new name.
        #[arg(value_parser = parse_name)]
        new: String,
    },
    /// Declare another name of a unit (区司法局 = 司法局). When ALIAS is the name of another
    /// unit, the two are merged into NAME. 设置别名
    Alias {
        /// The unit, by its name or an alias.
        #[arg(value_parser = parse_name)]
        name: String,
        /// The other name.
        #[arg(value_parser = parse_name)]
        alias: String,
    },
    /// Remove an alias; a name tasks still use becomes a unit of its own again. 取消别名
    Unalias {
        #[arg(value_parser = parse_name)]
        alias: String,
    },
    /// Set a unit's short name (简称).
    Short {
        /// The unit, by its name or an alias.
        #[arg(value_parser = parse_name)]
        name: String,
        /// The short name.
        #[arg(value_parser = parse_name)]
        short: String,
    },
}

impl UnitCmd {
    /// Whether the subcommand only reads the ledger.
    pub fn reads_only(&self) -> bool {
        matches!(self.action, Action::List)
    }

    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let lang = ctx.lang;
        match &self.action {
            Action::List => {
                let list = ledger.read(units::list)?;
                if ctx.format == Format::Json {
                    return emit_json(out, &list);
                }
                if list.is_empty() {
                    return emit(out, crate::tr!(ctx.lang, "unit.none"));
                }
                let mut t = Grid::new(
                    ctx.style(),
                    vec![
                        Col::keep(&crate::tr!(ctx.lang, "unit.col_unit"), 0),
                        Col::keep(&crate::tr!(ctx.lang, "unit.col_short"), 2),
                        Col::cut(&crate::tr!(ctx.lang, "unit.col_aliases"), 1, 10, None),
                        Col::num(&crate::tr!(ctx.lang, "unit.col_leads"), 0),
                        Col::num(&crate::tr!(ctx.lang, "unit.col_supports"), 0),
                    ],
                );
                for u in &list {
                    t.row(vec![
                        printable(&u.name),
                        u.short.as_deref().map(printable).unwrap_or_default(),
                        printable(&u.aliases.join("、")),
                        u.lead.to_string(),
                        u.co.to_string(),
                    ]);
                }
                emit(out, t.fit())
            }
            Action::Rename { old, new } => {
                let was = ledger.write(&ctx.meta, |w| units::rename(w.conn(), old, new, lang))?;
                emit(
                    out,
                    printable(&crate::tr!(lang, "unit.renamed", was = was, new = new)),
                )
            }
            Action::Alias { name, alias } => {
                let did = ledger.write(&ctx.meta, |w| units::alias(w.conn(), name, alias, lang))?;
                let msg = match did {
                    Aliased::Added => {
                        crate::tr!(lang, "unit.alias_added", alias = alias, name = name)
                    }
                    Aliased::Merged => crate::tr!(lang, "unit.merged", alias = alias, name = name),
                };
                emit(out, printable(&msg))
            }
            Action::Unalias { alias } => {
                ledger.write(&ctx.meta, |w| units::unalias(w.conn(), alias, lang))?;
                emit(
                    out,
                    printable(&crate::tr!(lang, "unit.unaliased", alias = alias)),
                )
            }
            Action::Short { name, short } => {
                ledger.write(&ctx.meta, |w| {
                    units::set_short(w.conn(), name, Some(short), lang)
                })?;
                emit(
                    out,
                    printable(&crate::tr!(
                        lang,
                        "unit.short_set",
                        name = name,
                        short = short
                    )),
                )
            }
        }
    }
}

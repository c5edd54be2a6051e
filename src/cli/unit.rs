//! `unit`: the units register (单位库). Names enter it as tasks use them; these subcommands
//! list it and edit it. Editing the register changes no task and no task history: every view
//! shows a task's units by their current names. Each edit is recorded (its change and old →
//! new, `unit history`) so that it is audited and `undo` can take it back.

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
    /// List the edits of the register, oldest first: who made them, with which command, and
    /// what changed (old → new). 单位库变更记录
    History,
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
        matches!(self.action, Action::List | Action::History)
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
            Action::History => {
                let edits = ledger.read(units::edits)?;
                if ctx.format == Format::Json {
                    return emit_json(out, &edits);
                }
                let tz = ledger.timezone()?;
                for e in &edits {
                    emit(
                        out,
                        format!(
                            "#{} {} {}: {}",
                            e.change_id,
                            printable(&crate::model::zone::local(&e.at, tz)),
                            printable(&e.actor),
                            printable(&edit_line(e))
                        ),
                    )?;
                }
                Ok(())
            }
            Action::Rename { old, new } => {
                let was = ledger.write(&ctx.meta, |w| {
                    units::edited(w, "rename", old, Some(old), Some(new), |c| {
                        units::rename(c, old, new, lang)
                    })
                })?;
                emit(
                    out,
                    printable(&crate::tr!(lang, "unit.renamed", was = was, new = new)),
                )
            }
            Action::Alias { name, alias } => {
                let did = ledger.write(&ctx.meta, |w| {
                    units::edited(w, "alias", name, None, Some(alias), |c| {
                        units::alias(c, name, alias, lang)
                    })
                })?;
                let msg = match did {
                    Aliased::Added => {
                        crate::tr!(lang, "unit.alias_added", alias = alias, name = name)
                    }
                    Aliased::Merged => crate::tr!(lang, "unit.merged", alias = alias, name = name),
                };
                emit(out, printable(&msg))
            }
            Action::Unalias { alias } => {
                ledger.write(&ctx.meta, |w| {
                    units::edited(w, "unalias", alias, Some(alias), None, |c| {
                        units::unalias(c, alias, lang)
                    })
                })?;
                emit(
                    out,
                    printable(&crate::tr!(lang, "unit.unaliased", alias = alias)),
                )
            }
            Action::Short { name, short } => {
                ledger.write(&ctx.meta, |w| {
                    units::edited(w, "short", name, None, Some(short), |c| {
                        units::set_short(c, name, Some(short), lang)
                    })
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

/// One register edit as a line: what was done to which unit, old → new.
pub fn edit_line(e: &units::Edit) -> String {
    format!(
        "unit {} {}: {} → {}",
        e.action,
        e.unit,
        e.old.as_deref().unwrap_or("—"),
        e.new.as_deref().unwrap_or("—")
    )
}

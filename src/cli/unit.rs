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
                    return emit(out, ctx.t("单位库为空。", "No units yet."));
                }
                let mut t = Grid::new(
                    ctx.style(),
                    vec![
                        Col::keep(ctx.t("单位", "Unit"), 0),
                        Col::keep(ctx.t("简称", "Short"), 2),
                        Col::cut(ctx.t("别名", "Aliases"), 1, 10, None),
                        Col::num(ctx.t("牵头", "Leads"), 0),
                        Col::num(ctx.t("配合", "Supports"), 0),
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
                    printable(&match lang {
                        crate::model::Lang::Zh => {
                            format!("单位“{was}”已更名为“{new}”，原名保留为别名")
                        }
                        crate::model::Lang::En => {
                            format!("'{was}' is now '{new}'; the old name stays as an alias")
                        }
                    }),
                )
            }
            Action::Alias { name, alias } => {
                let did = ledger.write(&ctx.meta, |w| units::alias(w.conn(), name, alias, lang))?;
                let msg = match (did, lang) {
                    (Aliased::Added, crate::model::Lang::Zh) => {
                        format!("“{alias}”现为“{name}”的别名")
                    }
                    (Aliased::Added, crate::model::Lang::En) => {
                        format!("'{alias}' is now an alias of '{name}'")
                    }
                    (Aliased::Merged, crate::model::Lang::Zh) => {
                        format!("单位“{alias}”已并入“{name}”，并保留为别名")
                    }
                    (Aliased::Merged, crate::model::Lang::En) => {
                        format!("the unit '{alias}' is merged into '{name}' and stays as an alias")
                    }
                };
                emit(out, printable(&msg))
            }
            Action::Unalias { alias } => {
                ledger.write(&ctx.meta, |w| units::unalias(w.conn(), alias, lang))?;
                emit(
                    out,
                    printable(&match lang {
                        crate::model::Lang::Zh => format!("已取消别名“{alias}”"),
                        crate::model::Lang::En => format!("'{alias}' is no longer an alias"),
                    }),
                )
            }
            Action::Short { name, short } => {
                ledger.write(&ctx.meta, |w| {
                    units::set_short(w.conn(), name, Some(short), lang)
                })?;
                emit(
                    out,
                    printable(&match lang {
                        crate::model::Lang::Zh => format!("“{name}”的简称为“{short}”"),
                        crate::model::Lang::En => {
                            format!("the short name of '{name}' is '{short}'")
                        }
                    }),
                )
            }
        }
    }
}

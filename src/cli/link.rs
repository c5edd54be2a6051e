use std::io::Write;

use clap::Args;

use super::{emit, Ctx};
use crate::db::Ledger;
use crate::Result;

#[derive(Debug, Args)]
pub struct Link {
    #[command(flatten)]
    pub who: super::Who,
    /// The commitment or task: an id (16), a ref (2025-C1.1) or a range (16-18, all or
    /// none).
    #[arg(value_parser = super::ids::parse_target, value_name = "ID|REF")]
    pub id: super::ids::Target,
    /// The shortcoming it addresses, by id or ref. 针对的短板
    #[arg(long, value_name = "SHORTCOMING_ID", value_parser = super::ids::parse_target)]
    pub addresses: super::ids::Target,
}

impl Link {
    /// Links (`add` true) or unlinks the pair.
    pub fn run(
        &self,
        ledger: &mut Ledger,
        ctx: &Ctx,
        out: &mut dyn Write,
        add: bool,
    ) -> Result<()> {
        let (ids, addresses) = ledger.read(|c| {
            Ok((
                super::ids::resolve(c, std::slice::from_ref(&self.id), ctx.lang)?,
                super::ids::resolve_one(c, &self.addresses, ctx.lang)?,
            ))
        })?;
        let changed = match ids.as_slice() {
            // One task keeps the single-link path (and its messages) exactly.
            [id] => vec![crate::ledger::tasks::set_link(
                ledger, &ctx.meta, *id, addresses, add, ctx.as_of,
            )?],
            _ => {
                crate::ledger::tasks::set_links(ledger, &ctx.meta, &ids, addresses, add, ctx.as_of)?
            }
        };
        for (id, changed) in ids.iter().zip(changed) {
            let msg = match (add, changed) {
                (true, true) => ctx.t("已关联短板", "now addresses"),
                (true, false) => ctx.t("已关联过，无变化：", "already addresses, nothing changed:"),
                (false, true) => ctx.t("已取消关联", "no longer addresses"),
                (false, false) => ctx.t("本无关联，无变化：", "did not address, nothing changed:"),
            };
            emit(out, format!("#{id} {msg} #{addresses}"))?;
        }
        Ok(())
    }
}

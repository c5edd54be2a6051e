use std::io::Write;

use clap::Args;

use super::{emit, Ctx};
use crate::db::Ledger;
use crate::Result;

#[derive(Debug, Args)]
pub struct Link {
    #[command(flatten)]
    pub who: super::Who,
    /// The commitment or task.
    pub id: i64,
    /// The shortcoming it addresses. 针对的短板
    #[arg(long, value_name = "SHORTCOMING_ID")]
    pub addresses: i64,
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
        let changed = crate::ledger::tasks::set_link(
            ledger,
            &ctx.meta,
            self.id,
            self.addresses,
            add,
            ctx.as_of,
        )?;
        let msg = match (add, changed) {
            (true, true) => ctx.t("已关联短板", "now addresses"),
            (true, false) => ctx.t("已关联过，无变化：", "already addresses, nothing changed:"),
            (false, true) => ctx.t("已取消关联", "no longer addresses"),
            (false, false) => ctx.t("本无关联，无变化：", "did not address, nothing changed:"),
        };
        emit(out, format!("#{} {msg} #{}", self.id, self.addresses))
    }
}

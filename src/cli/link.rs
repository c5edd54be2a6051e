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
            (true, true) => &crate::tr!(ctx.lang, "msg.link.now_addresses"),
            (true, false) => &crate::tr!(ctx.lang, "msg.link.already_addresses_nothing_changed"),
            (false, true) => &crate::tr!(ctx.lang, "msg.link.no_longer_addresses"),
            (false, false) => &crate::tr!(ctx.lang, "msg.link.did_not_address_nothing_changed"),
        };
        emit(out, format!("#{} {msg} #{}", self.id, self.addresses))
    }
}

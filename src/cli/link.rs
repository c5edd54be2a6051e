use std::io::Write;

use clap::Args;

use super::{emit, Ctx};
use crate::db::Ledger;
use crate::Result;

#[derive(Debug, Args)]
pub struct Link {
    #[command(flatten)]
    pub who: super::Who,
    /// The commitment or task: an id (16) or a ref (2025-C1.1).
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
        let (id, addresses) = ledger.read(|c| {
            Ok((
                super::ids::resolve_one(c, &self.id, ctx.lang)?,
                super::ids::resolve_one(c, &self.addresses, ctx.lang)?,
            ))
        })?;
        let changed =
            crate::ledger::tasks::set_link(ledger, &ctx.meta, id, addresses, add, ctx.as_of)?;
        let msg = match (add, changed) {
            (true, true) => &crate::tr!(ctx.lang, "msg.link.now_addresses"),
            (true, false) => &crate::tr!(ctx.lang, "msg.link.already_addresses_nothing_changed"),
            (false, true) => &crate::tr!(ctx.lang, "msg.link.no_longer_addresses"),
            (false, false) => &crate::tr!(ctx.lang, "msg.link.did_not_address_nothing_changed"),
        };
        emit(out, format!("#{id} {msg} #{addresses}"))
    }
}

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
    #[arg(
        long,
        value_name = "SHORTCOMING_ID",
        value_parser = super::ids::parse_target,
        required_unless_present = "same_as"
    )]
    pub addresses: Option<super::ids::Target>,
    /// With `link`: the shortcoming ID (of a later report) names the same problem as this
    /// earlier report's shortcoming (屡改屡犯), by id or ref; the evaluation and the year
    /// export flag it 重复出现. Kept on record: it cannot be unlinked or undone.
    #[arg(
        long,
        value_name = "EARLIER_ID",
        value_parser = super::ids::parse_target,
        conflicts_with = "addresses"
    )]
    pub same_as: Option<super::ids::Target>,
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
        let Some(addresses) = &self.addresses else {
            return self.same_as(ledger, ctx, out, add);
        };
        let (ids, addresses) = ledger.read(|c| {
            Ok((
                super::ids::resolve(c, std::slice::from_ref(&self.id), ctx.lang)?,
                super::ids::resolve_one(c, addresses, ctx.lang)?,
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
                (true, true) => &crate::tr!(ctx.lang, "msg.link.now_addresses"),
                (true, false) => {
                    &crate::tr!(ctx.lang, "msg.link.already_addresses_nothing_changed")
                }
                (false, true) => &crate::tr!(ctx.lang, "msg.link.no_longer_addresses"),
                (false, false) => &crate::tr!(ctx.lang, "msg.link.did_not_address_nothing_changed"),
            };
            emit(out, format!("#{id} {msg} #{addresses}"))?;
        }
        Ok(())
    }

    /// `link LATER --same-as EARLIER`: a recurring shortcoming (屡改屡犯).
    fn same_as(
        &self,
        ledger: &mut Ledger,
        ctx: &Ctx,
        out: &mut dyn Write,
        add: bool,
    ) -> Result<()> {
        let Some(earlier) = &self.same_as else {
            return Err(crate::Error::Usage(
                "link needs --addresses ID or --same-as ID".into(),
            ));
        };
        if !add {
            return Err(crate::Error::Usage(
                ctx.t(
                    "--same-as 是留档记录，不能取消；如有误请用 note 说明",
                    "--same-as stays on record and cannot be unlinked; add a note that corrects it",
                )
                .into(),
            ));
        }
        let (id, earlier) = ledger.read(|c| {
            Ok((
                super::ids::resolve_one(c, &self.id, ctx.lang)?,
                super::ids::resolve_one(c, earlier, ctx.lang)?,
            ))
        })?;
        let changed =
            crate::ledger::tasks::set_same_as(ledger, &ctx.meta, id, earlier, ctx.as_of, ctx.lang)?;
        let msg = if changed {
            ctx.t("已记为重复出现，同于", "recorded as the same problem as")
        } else {
            ctx.t(
                "已记录过，无变化：同于",
                "already recorded, nothing changed: same as",
            )
        };
        emit(out, format!("#{id} {msg} #{earlier}"))
    }
}

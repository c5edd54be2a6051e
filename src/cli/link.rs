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
    #[arg(
        long,
        value_name = "SHORTCOMING_ID",
        required_unless_present = "same_as"
    )]
    pub addresses: Option<i64>,
    /// With `link`: the shortcoming ID (of a later report) names the same problem as this
    /// earlier report's shortcoming (屡改屡犯); the evaluation and the year export flag it
    /// 重复出现. Kept on record: it cannot be unlinked or undone.
    #[arg(long, value_name = "EARLIER_ID", conflicts_with = "addresses")]
    pub same_as: Option<i64>,
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
        let Some(addresses) = self.addresses else {
            return self.same_as(ledger, ctx, out, add);
        };
        let changed =
            crate::ledger::tasks::set_link(ledger, &ctx.meta, self.id, addresses, add, ctx.as_of)?;
        let msg = match (add, changed) {
            (true, true) => ctx.t("已关联短板", "now addresses"),
            (true, false) => ctx.t("已关联过，无变化：", "already addresses, nothing changed:"),
            (false, true) => ctx.t("已取消关联", "no longer addresses"),
            (false, false) => ctx.t("本无关联，无变化：", "did not address, nothing changed:"),
        };
        emit(out, format!("#{} {msg} #{addresses}", self.id))
    }

    /// `link LATER --same-as EARLIER`: a recurring shortcoming (屡改屡犯).
    fn same_as(
        &self,
        ledger: &mut Ledger,
        ctx: &Ctx,
        out: &mut dyn Write,
        add: bool,
    ) -> Result<()> {
        let Some(earlier) = self.same_as else {
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
        let changed = crate::ledger::tasks::set_same_as(
            ledger, &ctx.meta, self.id, earlier, ctx.as_of, ctx.lang,
        )?;
        let msg = if changed {
            ctx.t("已记为重复出现，同于", "recorded as the same problem as")
        } else {
            ctx.t(
                "已记录过，无变化：同于",
                "already recorded, nothing changed: same as",
            )
        };
        emit(out, format!("#{} {msg} #{earlier}", self.id))
    }
}

use std::io::Write;

use clap::Args;
use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use super::{emit, emit_json, Ctx, Format};
use crate::db::warn::{warnings, Colour};
use crate::db::Ledger;
use crate::model::Word;
use crate::report::{fit, none_label, printable};
use crate::Result;

#[derive(Debug, Args)]
pub struct Warn {
    /// Blue: open tasks due within DAYS of --as-of.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,
}

impl Warn {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let list = ledger.read(|c| warnings(c, ctx.as_of, self.within))?;
        if ctx.format == Format::Json {
            return emit_json(out, &list);
        }
        if list.is_empty() {
            return emit(out, ctx.t("没有预警。", "No warnings."));
        }
        let mut t = Table::new();
        t.load_preset(presets::ASCII_MARKDOWN)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec![
                ctx.t("预警", "Warning"),
                "ID",
                ctx.t("来源", "Ref"),
                ctx.t("任务", "Title"),
                ctx.t("牵头单位", "Owner"),
                ctx.t("完成时限", "Deadline"),
                ctx.t("剩余天数", "Days left"),
                ctx.t("状态", "Status"),
                ctx.t("进度", "Progress"),
                ctx.t("时间进度", "Time elapsed"),
            ]);
        if !ctx.color {
            t.force_no_tty();
        }
        for w in &list {
            let (label, colour) = match w.colour {
                Colour::Red => (ctx.t("红（逾期）", "red (overdue)"), Color::Red),
                Colour::Yellow => (ctx.t("黄（滞后）", "yellow (behind)"), Color::Yellow),
                Colour::Blue => (ctx.t("蓝（临期）", "blue (due soon)"), Color::Blue),
            };
            let mut first = Cell::new(label);
            if ctx.color {
                first = first.fg(colour);
            }
            let task = &w.task;
            t.add_row(vec![
                first,
                Cell::new(task.id),
                Cell::new(task.reference.as_deref().map(printable).unwrap_or_default()),
                Cell::new(fit(&task.title, 36)),
                Cell::new(
                    task.owner
                        .as_deref()
                        .map(|o| fit(o, 16))
                        .unwrap_or_else(|| none_label(ctx.lang, true).to_string()),
                ),
                Cell::new(task.deadline.map(|d| d.to_string()).unwrap_or_default()),
                Cell::new(w.days_left),
                Cell::new(task.status.label(ctx.lang)),
                Cell::new(format!("{}%", task.progress)),
                Cell::new(format!("{:.0}%", w.elapsed)),
            ]);
        }
        emit(out, t)
    }
}

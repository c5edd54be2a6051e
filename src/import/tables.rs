//! Plans written as a task table ("序号 工作任务 牵头单位 配合单位 完成时限", one row a task),
//! as many departments attach their year's task list to the plans part. A table is a run of
//! tab-separated lines; it is a task table when its first row names a task column and a lead
//! unit or deadline column. Each later row is then one commitment whose owner, co-owners and
//! deadline are its cells. Other tables (indicator tables inside an achievement) are text.

use crate::import::text::has_content;

/// What a tab-separated line of a task table is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableLine {
    /// The row naming the columns.
    Header,
    /// A task.
    Row(TaskRow),
}

/// One task of a task table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub task: String,
    pub lead: Vec<String>,
    pub co: Vec<String>,
    pub due: Option<String>,
}

/// Column positions of a task table.
#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    task: Option<usize>,
    lead: Option<usize>,
    co: Option<usize>,
    due: Option<usize>,
}

const TASK_NAMES: [&str; 8] = [
    "任务",
    "工作内容",
    "具体措施",
    "工作措施",
    "主要措施",
    "事项",
    "内容",
    "举措",
];

fn columns(header: &str) -> Option<Columns> {
    let mut c = Columns::default();
    for (i, cell) in header.split('\t').enumerate() {
        let cell = cell.trim();
        if cell.contains("配合") || cell.contains("协同") || cell.contains("协助") {
            c.co = c.co.or(Some(i));
        } else if cell.contains("牵头") || cell.contains("责任") {
            c.lead = c.lead.or(Some(i));
        } else if cell.contains("时限") || cell.contains("时间") || cell.contains("节点") {
            c.due = c.due.or(Some(i));
        } else if TASK_NAMES.iter().any(|w| cell.contains(w)) {
            c.task = c.task.or(Some(i));
        }
    }
    (c.task.is_some() && (c.lead.is_some() || c.due.is_some())).then_some(c)
}

fn units(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ',', '；', ';'])
        .map(|u| u.trim().trim_end_matches('等').to_string())
        .filter(|u| has_content(u))
        .collect()
}

/// Reads the task tables among lines: for each line index, what it is in a task table
/// (None for lines outside one).
pub fn task_tables<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<Option<TableLine>> {
    let mut out = Vec::new();
    let mut open: Option<Columns> = None;
    for line in lines {
        if !line.contains('\t') {
            open = None;
            out.push(None);
            continue;
        }
        if let Some(c) = open {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let cell = |k: Option<usize>| k.and_then(|k| cells.get(k)).copied().unwrap_or("");
            let task = cell(c.task);
            if has_content(task) {
                let due = cell(c.due);
                out.push(Some(TableLine::Row(TaskRow {
                    task: task.to_string(),
                    lead: units(cell(c.lead)),
                    co: units(cell(c.co)),
                    due: has_content(due).then(|| due.to_string()),
                })));
            } else {
                out.push(None);
            }
        } else if let Some(c) = columns(line) {
            open = Some(c);
            out.push(Some(TableLine::Header));
        } else {
            out.push(None);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn task_table_rows() {
        let lines = [
            "2025年，我局将重点推进以下工作：",
            "序号\t工作任务\t牵头单位\t配合单位\t完成时限",
            "1\t开展法治政府建设专项督察\t县司法局\t县委督查室、县政府督查室\t2025年9月底前",
            "下一段",
        ];
        let t = task_tables(lines.into_iter());
        assert_eq!(t[0], None);
        assert_eq!(t[1], Some(TableLine::Header));
        assert_eq!(
            t[2],
            Some(TableLine::Row(TaskRow {
                task: "开展法治政府建设专项督察".into(),
                lead: vec!["县司法局".into()],
                co: vec!["县委督查室".into(), "县政府督查室".into()],
                due: Some("2025年9月底前".into()),
            }))
        );
        assert_eq!(t[3], None);
    }

    #[test]
    fn an_indicator_table_is_not_a_task_table() {
        let lines = [
            "指标\t2024年\t2025年\t增减",
            "行政处罚案件（件）\t1326\t1410\t+84",
        ];
        assert_eq!(task_tables(lines.into_iter()), [None, None]);
    }
}

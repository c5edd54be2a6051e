use super::words::{word_impls, Word};

/// Where a task stands. Overdue is not a status: it is derived from the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Todo,
    Doing,
    Blocked,
    Done,
    Verified,
    Cancelled,
}

impl Word for Status {
    const WHAT: &'static str = "status";
    const ALL: &'static [Self] = &[
        Status::Todo,
        Status::Doing,
        Status::Blocked,
        Status::Done,
        Status::Verified,
        Status::Cancelled,
    ];
    fn en(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::Doing => "doing",
            Status::Blocked => "blocked",
            Status::Done => "done",
            Status::Verified => "verified",
            Status::Cancelled => "cancelled",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Status::Todo => "未启动",
            Status::Doing => "推进中",
            Status::Blocked => "受阻",
            Status::Done => "已完成",
            Status::Verified => "已销号",
            Status::Cancelled => "已取消",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Status::Todo => &["未开始", "待办"],
            Status::Doing => &["in-progress", "进行中", "正在推进"],
            Status::Blocked => &["暂缓"],
            Status::Done => &["完成"],
            Status::Verified => &["销号", "closed"],
            Status::Cancelled => &["canceled", "取消"],
        }
    }
}

word_impls!(Status);

impl Status {
    /// Done and verified are the statuses that count as finished work.
    pub fn is_finished(self) -> bool {
        matches!(self, Status::Done | Status::Verified)
    }

    /// The word tables and exports show: a done task awaits 销号 by a second person, so it
    /// shows as 待销号 until verified.
    /// An achievement (成效) a report states is a fact, not work to close off: it stays 已完成.
    pub fn shown(self, kind: super::Kind, lang: super::Lang) -> String {
        match self {
            Status::Done if kind != super::Kind::Achievement => {
                crate::tr!(lang, "status.done_to_verify")
            }
            s => super::Word::label(s, lang).to_string(),
        }
    }

    /// A task in these statuses can no longer be late.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Done | Status::Verified | Status::Cancelled)
    }
}

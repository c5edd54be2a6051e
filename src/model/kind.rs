use super::words::{word_impls, Word};

/// What a ledger item is: where it came from in the yearly report, or an ad-hoc task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Commitment,
    Shortcoming,
    Achievement,
    Task,
}

impl Word for Kind {
    const WHAT: &'static str = "kind";
    const ALL: &'static [Self] = &[
        Kind::Commitment,
        Kind::Shortcoming,
        Kind::Achievement,
        Kind::Task,
    ];
    fn en(self) -> &'static str {
        match self {
            Kind::Commitment => "commitment",
            Kind::Shortcoming => "shortcoming",
            Kind::Achievement => "achievement",
            Kind::Task => "task",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Kind::Commitment => "承诺",
            Kind::Shortcoming => "短板",
            Kind::Achievement => "成效",
            Kind::Task => "任务",
        }
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Kind::Commitment => &["工作安排"],
            Kind::Shortcoming => &["不足", "问题"],
            Kind::Achievement => &[],
            Kind::Task => &[],
        }
    }
}

word_impls!(Kind);

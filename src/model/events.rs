//! History rows that record an event on a task and change none of its fields: an extension
//! request (申请延期), the decision on one, and evidence attached (佐证材料). Replay, `check`,
//! the JSON Lines validator and `undo` ask this list, so that a new kind of event is one entry
//! here. A progress note (`note`) and a merge's mark (`imported`) predate this list and are
//! handled where they always were.

use super::Lang;

/// A request for a later deadline: `old` the deadline then, `new` the day asked for, the note
/// the reason.
pub const EXTENSION_REQUEST: &str = "extension_request";
/// A request approved: `new` the approved day; the deadline row of the same change moves it.
pub const EXTENSION_APPROVED: &str = "extension_approved";
/// A request rejected: `new` the day that was asked for, the note why.
pub const EXTENSION_REJECTED: &str = "extension_rejected";
/// Evidence attached: `new` is `sha256:HEX` for a stored file (the note names the file) or
/// the reference text (a document number or URL).
pub const EVIDENCE: &str = "evidence";

/// A recurring shortcoming confirmed (屡改屡犯, `link --same-as`): `new` is the id of the
/// earlier report's shortcoming that named the same problem.
pub const SAME_AS: &str = "same_as";

/// Every event row, in the order `show` explains them.
pub const ALL: [&str; 5] = [
    EXTENSION_REQUEST,
    EXTENSION_APPROVED,
    EXTENSION_REJECTED,
    EVIDENCE,
    SAME_AS,
];

/// The prefix of an evidence row's value that names a stored file.
pub const SHA_PREFIX: &str = "sha256:";

/// Whether a history row's field is one of these events.
pub fn is_event(field: &str) -> bool {
    ALL.contains(&field)
}

/// The label of an event row in show and history.
pub fn label(field: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match field {
        EXTENSION_REQUEST => ("申请延期", "extension requested"),
        EXTENSION_APPROVED => ("批准延期", "extension approved"),
        EXTENSION_REJECTED => ("驳回延期", "extension rejected"),
        EVIDENCE => ("佐证材料", "evidence"),
        SAME_AS => ("重复出现", "same problem as"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event has a label in both languages, and no event is a task field.
    #[test]
    fn events_are_labelled_and_are_not_fields() {
        for e in ALL {
            assert!(is_event(e));
            assert!(label(e, Lang::Zh).is_some());
            assert!(label(e, Lang::En).is_some());
            assert!(super::super::field::Field::from_name(e).is_none());
        }
        assert!(!is_event("note"));
    }
}

//! The command line's view of the closed choices that live in model/ and db/ (language, list
//! order, progress-table grouping). clap stays in cli/: each type keeps its one list of values
//! (`ALL`) and names, and this file only tells clap about them.

use clap::builder::PossibleValue;
use clap::ValueEnum;

use crate::db::progress::GroupBy;
use crate::db::tasks::Sort;
use crate::model::Lang;

/// Implements `ValueEnum` from a type's `ALL` list and `name()`, as `#[derive(ValueEnum)]`
/// would: same names, same order, same help.
macro_rules! value_enum_from_names {
    ($t:ty) => {
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                &<$t>::ALL
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(self.name()))
            }
        }
    };
}

value_enum_from_names!(Lang);
value_enum_from_names!(Sort);
value_enum_from_names!(GroupBy);

#[cfg(test)]
mod tests {
    use super::*;

    /// The names clap accepts are the kebab-case names the derive gave before the move.
    #[test]
    fn names_are_the_derived_ones() {
        let names = |v: &[PossibleValue]| -> Vec<String> {
            v.iter().map(|p| p.get_name().to_string()).collect()
        };
        let groups: Vec<PossibleValue> = GroupBy::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .collect();
        assert_eq!(
            names(&groups),
            ["area", "owner", "status", "kind", "year", "outline-area"]
        );
        assert_eq!(
            Sort::value_variants(),
            [Sort::Id, Sort::Deadline, Sort::Progress, Sort::Status]
        );
        assert_eq!(Lang::value_variants(), [Lang::Zh, Lang::En]);
    }
}

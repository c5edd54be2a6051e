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

/// The parser of a vocabulary argument (`--status`, `--kind`): it parses as the type's
/// `FromStr` does (English, Chinese and the synonyms, with the same error), and lists the
/// English and Chinese words as the possible values, so that shell completion offers the words
/// instead of file names.
#[derive(Clone)]
pub struct WordParser<T>(std::marker::PhantomData<T>);

impl<T> WordParser<T> {
    pub fn new() -> Self {
        WordParser(std::marker::PhantomData)
    }
}

impl<T> clap::builder::TypedValueParser for WordParser<T>
where
    T: crate::model::Word + std::str::FromStr<Err = String> + Send + Sync + Clone,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let parse = |s: &str| s.parse::<T>();
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().flat_map(|w| {
            [PossibleValue::new(w.en()), PossibleValue::new(w.zh())]
        })))
    }
}

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

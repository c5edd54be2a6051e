//! The one message catalogue: every line a person reads lives in `locales/app.yml`, one key
//! with its Chinese and English text, read at compile time by rust-i18n. The language is
//! passed with each lookup (never a process-wide locale), so tests that run commands in
//! parallel in one process cannot see each other's language.

use std::fmt::Display;

use crate::model::Lang;

/// A catalogue message with its arguments, rendered in a language only when it is shown: an
/// error built deep in the library knows its words but not yet the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// An argument's value: the same text in every language, or a word of each language (a
/// status or kind).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Text(String),
    Word { zh: String, en: String },
}

impl Msg {
    /// The message with this catalogue key and no arguments yet.
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    /// Fills `%{name}` in the text with `value`.
    pub fn arg(mut self, name: &'static str, value: impl Display) -> Msg {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Fills `%{name}` with the word of the message's language.
    pub fn word(mut self, name: &'static str, zh: &str, en: &str) -> Msg {
        self.args.push((
            name,
            Arg::Word {
                zh: zh.to_string(),
                en: en.to_string(),
            },
        ));
        self
    }

    /// The catalogue key.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The text in `lang` with the arguments filled in.
    pub fn text(&self, lang: Lang) -> String {
        let raw = text(lang, self.key);
        if self.args.is_empty() {
            return raw.to_string();
        }
        let names: Vec<&str> = self.args.iter().map(|(n, _)| *n).collect();
        let values: Vec<String> = self
            .args
            .iter()
            .map(|(_, v)| match v {
                Arg::Text(t) => t.clone(),
                Arg::Word { zh, en } => lang.pick(zh, en).to_string(),
            })
            .collect();
        rust_i18n::replace_patterns(&raw, &names, &values)
    }
}

/// English is the language of a message whose reader is unknown: a value parser's refusal
/// inside clap, or a bulk-validation line quoted into another message. The edge that knows
/// the user's language renders the `Msg` itself (`cli::help::usage_error`).
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for Msg {}

/// The text of a key without arguments. A key missing from the catalogue shows as
/// "zh.the.key", which the catalogue tests below never let through.
pub fn text(lang: Lang, key: &'static str) -> std::borrow::Cow<'static, str> {
    crate::_rust_i18n_translate(lang.name(), key)
}

/// Looks a message up in the catalogue: `tr!(lang, "key")` or `tr!(lang, "key", name = v)`,
/// filling `%{name}` with `v`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $key:literal $(,)?) => {
        $crate::i18n::text($lang, $key).into_owned()
    };
    ($lang:expr, $key:literal $(, $name:ident = $val:expr)+ $(,)?) => {
        $crate::i18n::Msg::new($key)$(.arg(stringify!($name), &$val))+.text($lang)
    };
}

/// Builds a catalogue message for later rendering: `msg!("key", name = v)`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::Msg::new($key)$(.arg(stringify!($name), &$val))*
    };
}

/// Every key of the catalogue in one language, sorted.
pub fn keys(lang: Lang) -> Vec<String> {
    let mut keys: Vec<String> = crate::_rust_i18n_backend()
        .messages_for_locale(lang.name())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, _)| k.into_owned())
        .collect();
    keys.sort();
    keys
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Every key exists in both languages, with a non-empty text and the same `%{…}`
    /// arguments, so no message can fall back to the other language or lose a value.
    #[test]
    fn every_key_has_both_languages_with_the_same_arguments() {
        let zh = keys(Lang::Zh);
        let en = keys(Lang::En);
        assert!(zh.len() > 10, "the catalogue is loaded: {} keys", zh.len());
        let only_zh: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(only_zh.is_empty(), "keys without English: {only_zh:?}");
        assert!(only_en.is_empty(), "keys without Chinese: {only_en:?}");
        let args = |s: &str| {
            let mut found: Vec<String> = s
                .split("%{")
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            found.sort();
            found.dedup();
            found
        };
        for key in &zh {
            let z = crate::_rust_i18n_try_translate("zh", key).unwrap();
            let e = crate::_rust_i18n_try_translate("en", key).unwrap();
            assert!(
                !z.trim().is_empty() && !e.trim().is_empty(),
                "{key} is empty"
            );
            assert_eq!(args(&z), args(&e), "{key}: arguments differ");
        }
    }

    /// Every key the code names is in the catalogue: a typo would otherwise print the raw key.
    /// A key is a string literal of dotted lower-case words whose first word is one the
    /// catalogue uses ("table.area", "help.update.about").
    #[test]
    fn every_key_the_code_uses_is_in_the_catalogue() {
        let known = keys(Lang::En);
        let prefixes: Vec<&str> = known.iter().filter_map(|k| k.split('.').next()).collect();
        // File names and SQL column names look like keys but are none.
        const NOT_KEYS: [&str; 1] = ["task.ref"];
        const FILE_ENDS: [&str; 5] = [".md", ".html", ".db", ".xlsx", ".json"];
        let is_key = |s: &str| {
            s.contains('.')
                && !NOT_KEYS.contains(&s)
                && !FILE_ENDS.iter().any(|e| s.ends_with(e))
                && s.split('.').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                })
                && s.split('.').next().is_some_and(|p| prefixes.contains(&p))
        };
        let mut missing = Vec::new();
        let mut used = 0;
        for file in rust_files(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
            let src = std::fs::read_to_string(&file).unwrap();
            for literal in src.split('"').skip(1).step_by(2) {
                if !is_key(literal) {
                    continue;
                }
                used += 1;
                if !known.iter().any(|k| k == literal) {
                    missing.push(format!("{}: {literal}", file.display()));
                }
            }
        }
        assert!(used > 100, "the scan finds the keys in use: {used}");
        assert!(
            missing.is_empty(),
            "keys not in locales/app.yml: {missing:?}"
        );
    }

    /// Language pairs written in the code (`lang.pick("…", "…")`, `cx.t("…", "…")`,
    /// `Lang::Zh => "…"` or `Lang::Zh => format!(…)`) are the old way; their number only
    /// shrinks. Other branches add messages the old way meanwhile; they move here after merging.
    #[test]
    fn language_pairs_outside_the_catalogue_only_shrink() {
        let mut count = 0;
        let mut per_file = Vec::new();
        for file in rust_files(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
            let n = pairs_in(&std::fs::read_to_string(&file).unwrap());
            if n > 0 {
                per_file.push(format!("{}: {n}", file.display()));
            }
            count += n;
        }
        assert!(
            count <= REMAINING_PAIRS,
            "{count} language pairs outside the catalogue (at most {REMAINING_PAIRS}): move new \
             messages into locales/app.yml\n{}",
            per_file.join("\n")
        );
    }

    /// How many language pairs are left in the code: one, `Lang::name` (the locale code "zh"
    /// itself, not a message). Every message is in locales/app.yml; a new pair fails here.
    const REMAINING_PAIRS: usize = 1;

    /// Counts the language pairs in a source text: a call `pick(` or `t(` whose first two
    /// arguments are string literals, and a `Lang::Zh =>` arm that gives text.
    fn pairs_in(src: &str) -> usize {
        let b = src.as_bytes();
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let skip_ws = |mut i: usize| {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            i
        };
        // The end of a string literal starting at `i`, if there is one.
        let literal = |i: usize| {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    _ => j += 1,
                }
            }
            None
        };
        let mut n = 0;
        for (i, _) in src.match_indices("t(").chain(src.match_indices("pick(")) {
            let call = src[i..].starts_with("pick(") || i == 0 || !ident(b[i - 1]);
            let open = i + src[i..].find('(').unwrap_or(0) + 1;
            if !call {
                continue;
            }
            let Some(end) = literal(skip_ws(open)) else {
                continue;
            };
            let comma = skip_ws(end);
            if b.get(comma) == Some(&b',') && b.get(skip_ws(comma + 1)) == Some(&b'"') {
                n += 1;
            }
        }
        for (i, m) in src.match_indices("Lang::Zh =>") {
            let rest = &src[skip_ws(i + m.len())..];
            if rest.starts_with('"') || rest.starts_with("format!(") {
                n += 1;
            }
        }
        n
    }

    #[test]
    fn pairs_are_counted() {
        assert_eq!(
            pairs_in(r#"lang.pick("是", "yes") cx.t( "否","no") x.get("a", "b")"#),
            2
        );
        assert_eq!(
            pairs_in(r#"Lang::Zh => "中", Lang::Zh => format!("{x}"), Lang::Zh => zh"#),
            2
        );
        assert_eq!(pairs_in(r#"text("a", "b") t(zh, en)"#), 0);
    }

    fn rust_files(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut todo = vec![dir];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                    out.push(p);
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn arguments_are_filled_in_each_language() {
        let m = Msg::new("error.no_such_task").arg("id", 7);
        assert!(m.text(Lang::En).contains("#7"), "{}", m.text(Lang::En));
        assert!(m.text(Lang::Zh).contains("7"), "{}", m.text(Lang::Zh));
        assert_ne!(m.text(Lang::En), m.text(Lang::Zh));
    }
}

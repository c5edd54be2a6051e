use std::io::Write;

use clap::{Args, ValueEnum};

use super::{emit, emit_json, Ctx, Format};
use crate::db::{settings, Ledger};
use crate::{Error, Result};

/// `config KEY [VALUE]`: reads a ledger setting, or sets it when a value is given.
#[derive(Debug, Args)]
pub struct Config {
    /// The setting: name (the unit the ledger belongs to, shown in every export's title,
    /// e.g. 常州市天宁区). 台账名称
    #[arg(value_enum)]
    pub key: Key,
    /// The new value; without it the current value is printed.
    #[arg(value_parser = super::parse_name)]
    pub value: Option<String>,
}

/// The settings `config` knows: a closed list, so a typo is refused instead of stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Key {
    Name,
}

impl Key {
    /// The meta key the setting is stored under.
    fn meta_key(self) -> &'static str {
        match self {
            Key::Name => settings::NAME,
        }
    }
}

impl Config {
    /// Whether the command only reads the ledger.
    pub fn reads_only(&self) -> bool {
        self.value.is_none()
    }

    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let key = self.key.meta_key();
        if let Some(v) = &self.value {
            let v = checked_name(v)?;
            ledger.write(&ctx.meta, |w| settings::set(w, key, &v))?;
        }
        let value = ledger.read(|c| settings::get(c, key))?;
        match ctx.format {
            Format::Json => emit_json(out, &serde_json::json!({ "key": key, "value": value })),
            _ => match value {
                Some(v) => emit(out, crate::render::printable(&v)),
                None => emit(out, crate::tr!(ctx.lang, "config.not_set", key = key)),
            },
        }
    }
}

/// A ledger name as stored: trimmed, on one line, since it is printed in titles and headers.
pub fn checked_name(v: &str) -> Result<String> {
    let v = v.trim();
    if v.chars().any(char::is_control) {
        return Err(Error::usage(crate::msg!("config.name_not_one_line")));
    }
    Ok(v.to_string())
}

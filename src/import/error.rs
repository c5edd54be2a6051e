//! Errors of the import pipeline.
//!
//! Every message is one line that says what is wrong and how to fix it, because the CLI prints
//! it as is to people who are not developers.

/// Everything that can make an import fail.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input has no bytes, or only whitespace.
    #[error(
        "the input is empty or contains only whitespace: pass the file that holds the report text"
    )]
    Empty,
    /// The input is larger than [`crate::import::decode::MAX_INPUT_BYTES`].
    #[error("the input is {size} bytes, over the {limit}-byte (10 MB) limit: pass only the report's text, not an archive or a whole website export")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The input is a binary file (image, PDF, Word document, …) rather than text.
    #[error("the input looks like a binary file ({reason}), not text: open it in Word or WPS and save it as plain text (.txt), then import that file")]
    Binary {
        /// What gave the binary nature away.
        reason: String,
    },
    /// `--encoding utf-8` was forced but the bytes are not UTF-8.
    #[error("the input is not valid UTF-8 (first bad byte at offset {offset}): if the file was saved as GBK/ANSI, import it with --encoding gbk")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// `--encoding gbk` was forced but the bytes are not GBK/GB18030.
    #[error(
        "the input is not valid GBK/GB18030: import it with --encoding utf-8 or --encoding auto"
    )]
    InvalidGbk,
    /// Automatic detection found neither valid UTF-8 nor valid GB18030.
    #[error("the input is neither valid UTF-8 nor valid GBK/GB18030 text: save the file as UTF-8 text and import it again")]
    Undecodable,
    /// An encoding name that is not supported.
    #[error("unknown encoding `{0}`: use auto, utf-8 or gbk")]
    UnknownEncoding(String),
    /// The text has no achievements, no shortcomings and no plans that the parser recognises.
    #[error("no report structure found (no numbered achievements, no shortcomings, no plans): check that the file is a 法治政府建设 annual report saved as plain text")]
    NoStructure,
    /// The plan year passed by the caller is not a plausible year.
    #[error(
        "plan year {0} is out of range: pass a four-digit year between 1949 and 2200, such as 2025"
    )]
    InvalidPlanYear(i32),
    /// The text has structure but no year anywhere, so references cannot be built.
    #[error("cannot tell which year the report covers (no \"2024年\"-style year in the title, body or date line): add a title line such as \"2024年法治政府建设年度报告\" or pass the plan year explicitly")]
    NoReportYear,
}

impl ImportError {
    /// The message in the reader's language, from the catalogue; `Display` is its English.
    pub fn message(&self, lang: crate::model::Lang) -> String {
        self.msg().text(lang)
    }

    /// The catalogue message, for an edge that renders it later (a clap value parser).
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            ImportError::Empty => Msg::new("import.error.empty"),
            ImportError::TooLarge { size, limit } => Msg::new("import.error.too_large")
                .arg("size", size)
                .arg("limit", limit),
            ImportError::Binary { reason } => Msg::new("import.error.binary").arg("reason", reason),
            ImportError::InvalidUtf8 { offset } => {
                Msg::new("import.error.invalid_utf8").arg("offset", offset)
            }
            ImportError::InvalidGbk => Msg::new("import.error.invalid_gbk"),
            ImportError::Undecodable => Msg::new("import.error.undecodable"),
            ImportError::UnknownEncoding(e) => {
                Msg::new("import.error.unknown_encoding").arg("name", e)
            }
            ImportError::NoStructure => Msg::new("import.error.no_structure"),
            ImportError::InvalidPlanYear(y) => {
                Msg::new("import.error.invalid_plan_year").arg("year", y)
            }
            ImportError::NoReportYear => Msg::new("import.error.no_report_year"),
        }
    }
}

#[cfg(test)]
mod catalogue_tests {
    use super::*;
    use crate::model::Lang;

    /// The English message of the catalogue is the `Display` text; the Chinese one differs.
    #[test]
    fn import_errors_come_from_the_catalogue() {
        for e in [
            ImportError::Empty,
            ImportError::TooLarge {
                size: 11,
                limit: 10,
            },
            ImportError::Binary {
                reason: "a PDF".into(),
            },
            ImportError::InvalidUtf8 { offset: 3 },
            ImportError::InvalidGbk,
            ImportError::Undecodable,
            ImportError::UnknownEncoding("latin1".into()),
            ImportError::NoStructure,
            ImportError::InvalidPlanYear(12),
            ImportError::NoReportYear,
        ] {
            assert_eq!(e.message(Lang::En), e.to_string());
            assert_ne!(e.message(Lang::Zh), e.to_string(), "{e}");
        }
    }
}

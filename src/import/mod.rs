//! Import of annual rule-of-law government reports (法治政府建设年度报告).
//!
//! `decode`, `parse`, `links` and their helpers are pure: they turn bytes into text and text
//! into a [`ParsedReport`] and never touch the database; `apply` stores the result.

// `apply` (turning a parsed report into ledger rows) is written with the database layer; it is
// declared here because this file is the module root of `crate::import`.
pub mod apply;
pub mod areas;
pub mod body;
pub mod clauses;
pub mod deadline;
pub mod decode;
pub mod error;
pub mod extract;
pub mod fill;
pub mod ledger_sheet;
pub mod lex;
pub mod links;
pub mod outline;
pub mod owners;
pub mod parse;
pub mod review;
pub mod rules;
pub mod tables;
pub mod text;
pub mod wrap;

pub use decode::{decode, Encoding, MAX_INPUT_BYTES};
pub use error::ImportError;
pub use links::{suggest_links, LinkSuggestion};
pub use parse::{parse, Item, ParsedReport, Section};

/// Robustness: no input, however malformed, may make the import pipeline panic.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod robustness {
    use super::*;
    use proptest::prelude::*;

    const REFERENCE: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tianning-2024-report.txt"
    ));
    const REFERENCE_GBK: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/tianning-2024-report-gbk-crlf.txt"
    ));

    /// Runs the whole pipeline; the results do not matter, only that it returns.
    fn pipeline(bytes: &[u8]) {
        for enc in [Encoding::Auto, Encoding::Utf8, Encoding::Gbk] {
            if let Ok(text) = decode(bytes, enc) {
                run_text(&text);
            }
        }
    }

    fn run_text(text: &str) {
        for over in [None, Some(2030), Some(i32::MAX), Some(i32::MIN)] {
            if let Ok(r) = parse(text, over) {
                let _ = suggest_links(&r);
                // The account adds up: every sentence of the body is in exactly one bucket.
                let c = &r.coverage;
                assert_eq!(
                    c.sentences,
                    c.achievements
                        + c.shortcomings
                        + c.commitments
                        + c.headings
                        + c.causes
                        + c.first_responsibility
                        + c.other
                        + c.unassigned
                );
                assert_eq!(c.unassigned, r.unassigned.len());
            }
        }
    }

    /// A small deterministic generator, so the random-bytes test needs no extra crate and
    /// fails reproducibly.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % (n.max(1) as u64)) as usize
        }
    }

    #[test]
    fn random_bytes_and_mutated_reports() {
        let mut rng = XorShift(0x5EED_1234_ABCD_0001);
        for _ in 0..300 {
            let len = rng.below(600);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            pipeline(&bytes);
        }
        // Cut and corrupt the real report at arbitrary byte positions, including inside
        // multi-byte characters, in both encodings.
        for source in [REFERENCE, REFERENCE_GBK] {
            for _ in 0..60 {
                let mut bytes = source.to_vec();
                for _ in 0..rng.below(8) {
                    let i = rng.below(bytes.len());
                    if let Some(b) = bytes.get_mut(i) {
                        *b = rng.next() as u8;
                    }
                }
                let a = rng.below(bytes.len());
                let b = rng.below(bytes.len());
                let (lo, hi) = (a.min(b), a.max(b));
                pipeline(&bytes[lo..hi]);
                pipeline(&bytes[..hi]);
            }
        }
    }

    #[test]
    fn every_line_prefix_of_reference_parses_or_fails_cleanly() {
        let text = std::str::from_utf8(REFERENCE).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for n in 0..=lines.len() {
            run_text(&lines[..n].join("\n"));
            run_text(&lines[n..].join("\n"));
        }
    }

    /// Fragments that exercise the structural rules of the parser.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("一、".to_string()),
            Just("十一、".to_string()),
            Just("（一）".to_string()),
            Just("(2)".to_string()),
            Just("1.".to_string()),
            Just("１．".to_string()),
            Just("2、".to_string()),
            Just("①".to_string()),
            Just("：".to_string()),
            Just(":".to_string()),
            Just("；".to_string()),
            Just("。".to_string()),
            Just("，".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just("一是".to_string()),
            Just("二是".to_string()),
            Just("存在的不足".to_string()),
            Just("短板".to_string()),
            Just("2025年".to_string()),
            Just("２０２６年".to_string()),
            Just("工作安排".to_string()),
            Just("下一步".to_string()),
            Just("6月底前".to_string()),
            Just("年底前".to_string()),
            Just("一季度".to_string()),
            Just("长期坚持".to_string()),
            Just("牵头".to_string()),
            Just("由".to_string()),
            Just("、".to_string()),
            Just("按职责分工负责".to_string()),
            Just("人民政府".to_string()),
            Just("2025年2月21日".to_string()),
            Just("特此报告".to_string()),
            Just("执法质量".to_string()),
            Just("法治政府建设".to_string()),
            Just("第一部分".to_string()),
            Just("第二，".to_string()),
            Just("其一，".to_string()),
            Just("一方面，".to_string()),
            Just("首先，".to_string()),
            Just("\t".to_string()),
            Just("（牵头单位：".to_string()),
            Just("；完成时限：".to_string()),
            Just("）".to_string()),
            Just("问题产生的主要原因：".to_string()),
            Just("其他需要报告的情况".to_string()),
            Just("党政主要负责人履行推进法治建设第一责任人职责情况".to_string()),
            Just("共同牵头".to_string()),
            Just("每季度".to_string()),
            Just("索引号：".to_string()),
            Just("上一篇：".to_string()),
            Just("附件：".to_string()),
            "[\\u{4e00}-\\u{4e40}]{1,6}",
            "[0-9０-９]{1,5}",
            "\\PC{0,8}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            pipeline(&bytes);
        }

        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC{0,400}") {
            run_text(&s);
        }

        #[test]
        fn structural_mixes_never_panic(parts in proptest::collection::vec(fragment(), 0..120)) {
            let text = parts.concat();
            run_text(&text);
            pipeline(text.as_bytes());
        }
    }
}

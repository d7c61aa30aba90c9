#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A bounded fuzz harness that runs with `cargo test`: the three parsers,
//! the import policy, interpretation and the CLI renderers never panic on
//! arbitrary bytes or on mutated fixtures, and the saved corpus in
//! `tests/regressions/` is replayed. Add any input that ever broke a parser
//! to that folder.

mod common;

use common::fixture;
use proptest::prelude::*;
use villi_domain::labs::{Catalogue, IntakeContext, interpret};
use villi_labs::{ImportOptions, MAX_INPUT_BYTES, Severity, cli, csv, fhir, hl7, import};

/// Runs everything a file can reach; panics propagate to the test.
fn exercise(bytes: &[u8]) {
    let _ = hl7::parse(bytes);
    let _ = fhir::parse(bytes);
    let _ = csv::parse(bytes);
    for partial in [false, true] {
        if let Ok(import) = import(
            bytes,
            &ImportOptions {
                partial,
                format: None,
            },
        ) {
            let intake = IntakeContext {
                medication_classes: vec!["metformin".into(), "ppi".into()],
                recent_antibiotics: true,
                daily_nsaid: true,
            };
            let _ = interpret(&import.report, Catalogue::embedded(), &intake);
            let _ = fhir::export(&import.report);
        }
    }
    for format in [cli::OutputFormat::Text, cli::OutputFormat::Json] {
        let options = cli::ImportOptions {
            format,
            partial: true,
            ..cli::ImportOptions::default()
        };
        let _ = cli::import(bytes, &options);
    }
}

const FIXTURES: [&str; 5] = [
    "nist_style_lri.hl7",
    "public_health_stool_culture.hl7",
    "gimap_style_qpcr.hl7",
    "doctors_data_style_culture.csv",
    "ehr_style_bundle.json",
];

/// Bytes that matter to the three grammars.
const SPECIAL: &[u8] = b"|^~\\&\r\n\x0b\x1c{}[]\":,;\t\\-+.eE<>=0123456789MSHOBX#";

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop::sample::select(SPECIAL.to_vec());
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), special).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(i, b) if !bytes.is_empty() => bytes[i % len] = b,
            Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Mutation::Delete(i, n) if !bytes.is_empty() => {
                let start = i % len;
                let end = (start + n).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Duplicate(i, n) if !bytes.is_empty() => {
                let start = i % len;
                let end = (start + n).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(start..start, copy);
            }
            Mutation::Truncate(i) => bytes.truncate(i % (bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&bytes);
    }

    #[test]
    fn no_parser_panics_on_grammar_shaped_noise(bytes in prop::collection::vec(prop::sample::select(SPECIAL.to_vec()), 0..1024)) {
        let mut framed = b"MSH|^~\\&|".to_vec();
        framed.extend_from_slice(&bytes);
        exercise(&framed);
        exercise(&bytes);
    }

    #[test]
    fn no_parser_panics_on_mutated_fixtures(
        which in 0..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..12),
    ) {
        exercise(&apply(fixture(FIXTURES[which]), &mutations));
    }
}

#[test]
fn the_regression_corpus_replays_without_a_panic() {
    let dir = format!("{}/tests/regressions", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        exercise(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count >= 10, "the corpus in {dir} holds {count} inputs");
}

#[test]
fn input_over_the_size_limit_is_refused_before_parsing() {
    let big = vec![b'a'; MAX_INPUT_BYTES + 1];
    let failure = import(&big, &ImportOptions::default()).unwrap_err();
    assert_eq!(failure.issues[0].code, "file.too_large");
    assert_eq!(failure.issues[0].severity, Severity::Fatal);
}

#[test]
fn a_flood_of_problems_yields_a_bounded_issue_list() {
    let mut text = String::from("MSH|^~\\&|A|LAB\r");
    for _ in 0..5000 {
        text.push_str("OBX|1|NM|||1|\r");
    }
    let failure = import(text.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(failure.issues.len() <= villi_labs::MAX_ISSUES + 2);
    assert!(failure.issues.iter().any(|i| i.code == "issues.truncated"));
}

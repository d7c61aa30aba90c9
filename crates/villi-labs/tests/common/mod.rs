//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use villi_labs::{
    Import, ImportFailure, ImportOptions, Issue, LabReport, Location, SourceFormat, import,
};

/// Reads a fixture from `tests/fixtures`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Imports all-or-nothing, expecting success.
pub fn ok(bytes: &[u8]) -> Import {
    import(bytes, &ImportOptions::default())
        .unwrap_or_else(|f| panic!("import failed: {:#?}", f.issues))
}

/// Imports all-or-nothing, expecting failure.
pub fn fails(bytes: &[u8]) -> ImportFailure {
    match import(bytes, &ImportOptions::default()) {
        Ok(i) => panic!("import unexpectedly succeeded: {:#?}", i.report),
        Err(f) => f,
    }
}

/// Imports with `--partial`.
pub fn partial(bytes: &[u8]) -> Result<Import, ImportFailure> {
    import(
        bytes,
        &ImportOptions {
            partial: true,
            format: None,
        },
    )
}

/// Imports with an explicit format.
pub fn as_format(bytes: &[u8], format: SourceFormat) -> Result<Import, ImportFailure> {
    import(
        bytes,
        &ImportOptions {
            partial: false,
            format: Some(format),
        },
    )
}

/// The result whose printed name is `name`.
pub fn result<'r>(report: &'r LabReport, name: &str) -> &'r villi_domain::labs::LabResult {
    report
        .results
        .iter()
        .find(|r| r.marker.printed == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = report
                .results
                .iter()
                .map(|r| r.marker.printed.as_str())
                .collect();
            panic!("no result {name:?} among {names:?}")
        })
}

/// The issues with a code.
pub fn with_code<'i>(issues: &'i [Issue], code: &str) -> Vec<&'i Issue> {
    issues.iter().filter(|i| i.code == code).collect()
}

/// An HL7 location for comparisons.
pub fn hl7_at(line: usize, segment: &str, field: Option<usize>) -> Location {
    Location::Hl7 {
        line,
        segment: segment.to_owned(),
        field,
        component: None,
    }
}

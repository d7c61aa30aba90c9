//! Shared steps every importer takes: recognising markers and units.

use villi_domain::labs::{Catalogue, Code, MarkerName, Unit};

use crate::issue::{Issue, Issues, Location, Severity};

/// The LOINC system URI; HL7 v2's `LN` is rewritten to it so a code reads
/// the same whichever format it came from.
pub const LOINC: &str = "http://loinc.org";

/// Canonical form of a coding-system name.
pub fn system(raw: &str) -> Option<String> {
    let raw = raw.trim();
    match raw {
        "" => None,
        "LN" | "LOINC" | "http://loinc.org" => Some(LOINC.to_owned()),
        other => Some(other.to_owned()),
    }
}

/// Recognises a marker; an unknown one is kept under its printed name and
/// noted, never dropped.
pub fn marker(
    code: Option<Code>,
    printed: &str,
    issues: &mut Issues,
    location: impl FnOnce() -> Location,
) -> MarkerName {
    let printed = printed.trim();
    let marker_id = Catalogue::embedded()
        .recognise(code.as_ref(), printed)
        .map(|m| m.id.clone());
    if marker_id.is_none() {
        issues.push(Issue::new(
            Severity::Info,
            "marker.unknown",
            location(),
            format!(
                "{printed:?} is not in the marker catalogue; it is kept under its printed name."
            ),
        ));
    }
    MarkerName {
        printed: printed.to_owned(),
        code,
        marker_id,
    }
}

/// Notes a printed unit villi cannot map to UCUM.
pub fn check_unit(unit: &Unit, issues: &mut Issues, location: impl FnOnce() -> Location) {
    if unit.ucum.is_none() && !unit.raw.trim().is_empty() {
        issues.push(Issue::new(
            Severity::Warning,
            "unit.unknown",
            location(),
            format!(
                "Unit {:?} is not in villi's unit table; it is kept as printed, and trends will only compare it with the same text.",
                unit.raw
            ),
        ));
    }
}

//! FHIR R4 JSON: import of Bundles and bare resources, and export of a
//! report as a Bundle of a DiagnosticReport and its Observations.
//!
//! Export keeps both sides of every result: standard elements (value[x]
//! with UCUM units, LOINC where the catalogue has a verified code, a local
//! code system otherwise, referenceRange, interpretation) for other systems,
//! and `urn:villi:*` extensions with what the lab printed (value text, unit
//! text, range text, flag, marker name, lab code) so that importing an
//! export gives back the same report.

mod json;
mod observation;
mod qualitative;
mod read;
mod write;

pub use json::{MAX_DEPTH, Node, SyntaxError, Value, parse as parse_json};
pub use read::parse;
pub use write::export;

/// Code system for villi's marker ids.
pub const LOCAL_CODE_SYSTEM: &str = "urn:villi:stool-marker";
/// Code system for villi's qualitative readings (`growth_3`, `not_detected`).
pub const QUALITATIVE_SYSTEM: &str = "urn:villi:qualitative";
/// UCUM.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
/// HL7 v3 ObservationInterpretation (the FHIR R4 interpretation codes).
pub const V3_INTERPRETATION: &str =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

/// The URL of a villi extension.
fn ext(name: &str) -> String {
    format!("urn:villi:{name}")
}

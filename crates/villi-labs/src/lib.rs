//! villi's lab-result formats.
//!
//! Importers turn bytes into a [`LabReport`] plus a list of [`Issue`]s with
//! precise locations (HL7 segment and field, JSON path, CSV line and
//! column):
//!
//! - [`hl7`]: HL7 v2.x ORU^R01, lenient as real senders require;
//! - [`fhir`]: FHIR R4 JSON (Bundles and bare resources), and the exporter;
//! - [`csv`](mod@crate::csv): the documented CSV template.
//!
//! [`import`] detects the format by content and applies the policy: all or
//! nothing by default, or keep the good results with
//! [`ImportOptions::partial`]. Unknown markers are kept under their printed
//! names; anything the file said that is not imported is reported as an
//! issue. [`cli`] renders imports for the `villi labs` command.

pub mod cli;
pub mod corpus;
pub mod csv;
pub mod fhir;
pub mod hl7;
mod import;
mod issue;
mod normalise;
mod text;

pub use import::{Import, ImportFailure, ImportOptions, Parsed, SourceFormat, detect, import};
pub use issue::{Issue, Location, MAX_ISSUES, Severity};
pub use villi_domain::labs::LabReport;

/// Largest input accepted, in bytes. Lab reports are kilobytes; a bound keeps
/// memory use predictable on any input.
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

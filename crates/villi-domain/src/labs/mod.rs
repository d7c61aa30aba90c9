//! Stool-test results: the marker catalogue, the value, unit and range
//! model, and interpretation (flags, area summaries, intake links, trends).
//!
//! Pure: no I/O. The catalogue is TOML under `labs/`, embedded at build time
//! and parsed once by [`Catalogue::embedded`]. Importers for HL7 v2, FHIR and
//! CSV live in the `villi-labs` crate and produce a [`LabReport`].
//!
//! A report keeps what the lab printed (raw value, unit, range text, lab
//! flag) beside what villi derived (reading, UCUM unit, parsed range, flag).
//! Facts about labs and codes come from the project's stool-test reference;
//! each catalogue range records how far it was verified.
//!
//! Linking to the intake goes through [`IntakeContext`], a small input owned
//! here so that the intake assessment can fill it without either module
//! depending on the other's types.

mod area;
mod areas;
mod catalogue;
mod flag;
mod interpret;
mod links;
mod number;
mod range;
mod report;
mod trend;
mod unit;
mod value;

pub use areas::AreaSummary;
pub use catalogue::{
    Area, Catalogue, CatalogueError, CatalogueRange, Concern, Confidence, LabAlias, LabName,
    Marker, Reference, name_key,
};
pub use flag::{Flag, flag_against};
pub use interpret::{
    CitedReference, FlagBasis, Interpretation, LinkFinding, ResultReading, interpret,
};
pub use links::{Finding, Grade, IntakeContext, LinkKind, LinkRule};
pub use number::Decimal;
pub use range::{Bound, ParsedRange, ReferenceRange};
pub use report::{
    Code, LabDate, LabReport, LabResult, MarkerName, Method, MethodKind, ResultStatus,
};
pub use trend::{Direction, Trend, TrendStep, trend};
pub use unit::{Unit, to_ucum};
pub use value::{Comparator, MicroscopyGrade, Qualitative, ResultValue, ValueKind};

//! Format detection and the import policy.

use serde::{Deserialize, Serialize};
use villi_domain::labs::LabReport;

use crate::issue::{Issue, Issues, Location, Severity};

/// The formats villi reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// HL7 v2.x ORU^R01.
    Hl7v2,
    /// FHIR R4 JSON.
    FhirJson,
    /// CSV template.
    Csv,
}

impl SourceFormat {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::Hl7v2 => "HL7 v2",
            SourceFormat::FhirJson => "FHIR R4 JSON",
            SourceFormat::Csv => "CSV",
        }
    }

    /// Reads a name as given on a command line (`hl7`, `fhir`, `csv`).
    pub fn from_name(name: &str) -> Option<SourceFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "hl7" | "hl7v2" | "hl7-v2" | "oru" => Some(SourceFormat::Hl7v2),
            "fhir" | "json" | "fhir-json" => Some(SourceFormat::FhirJson),
            "csv" => Some(SourceFormat::Csv),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Keep the good results when some are rejected (default: all or nothing).
    pub partial: bool,
    /// The format; `None` detects it from the content.
    pub format: Option<SourceFormat>,
}

/// What a format parser produced before the policy is applied.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The report, unless the file could not be read at all.
    pub report: Option<LabReport>,
    /// Issues found.
    pub issues: Issues,
}

/// A successful import.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The format read.
    pub format: SourceFormat,
    /// The report.
    pub report: LabReport,
    /// Issues: warnings, notes, and (with `partial`) the rejected results.
    pub issues: Vec<Issue>,
}

/// A failed import: the issues say why and where.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportFailure {
    /// The format, when one was detected.
    pub format: Option<SourceFormat>,
    /// Every issue found; at least one is fatal or an error.
    pub issues: Vec<Issue>,
}

impl ImportFailure {
    /// A one-line summary.
    pub fn summary(&self) -> String {
        let first = self
            .issues
            .iter()
            .find(|i| matches!(i.severity, Severity::Fatal | Severity::Error));
        match first {
            Some(issue) => format!("import failed: {issue}"),
            None => "import failed".to_owned(),
        }
    }
}

/// Detects the format from the first meaningful characters.
pub fn detect(bytes: &[u8]) -> Option<SourceFormat> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0x0B)?;
    let rest = &bytes[start..];
    if rest.starts_with(b"MSH") || rest.starts_with(b"FHS") || rest.starts_with(b"BHS") {
        Some(SourceFormat::Hl7v2)
    } else if rest.starts_with(b"{") {
        Some(SourceFormat::FhirJson)
    } else {
        Some(SourceFormat::Csv)
    }
}

/// Imports a file: detects (or uses) the format, parses, and applies the
/// all-or-nothing or partial policy.
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<Import, ImportFailure> {
    let Some(format) = options.format.or_else(|| detect(bytes)) else {
        let issue = Issue::new(
            Severity::Fatal,
            "file.empty",
            Location::File,
            "The file is empty.",
        );
        return Err(ImportFailure {
            format: None,
            issues: vec![issue],
        });
    };
    if bytes.len() > crate::MAX_INPUT_BYTES {
        let issue = Issue::new(
            Severity::Fatal,
            "file.too_large",
            Location::File,
            format!(
                "The file is {} bytes; the most villi reads is {} bytes.",
                bytes.len(),
                crate::MAX_INPUT_BYTES
            ),
        );
        return Err(ImportFailure {
            format: Some(format),
            issues: vec![issue],
        });
    }
    let parsed = match format {
        SourceFormat::Hl7v2 => crate::hl7::parse(bytes),
        SourceFormat::FhirJson => crate::fhir::parse(bytes),
        SourceFormat::Csv => crate::csv::parse(bytes),
    };
    apply_policy(format, parsed, options.partial)
}

fn apply_policy(
    format: SourceFormat,
    parsed: Parsed,
    partial: bool,
) -> Result<Import, ImportFailure> {
    let Parsed { report, mut issues } = parsed;
    let rejected = issues.error_count();
    let report = match report {
        Some(r) if !issues.has_fatal() => r,
        _ => {
            return Err(ImportFailure {
                format: Some(format),
                issues: issues.finish(),
            });
        }
    };
    if report.results.is_empty() {
        issues.push(Issue::new(
            Severity::Fatal,
            "file.no_results",
            Location::File,
            if rejected > 0 {
                format!("No result could be imported; {rejected} were rejected.")
            } else {
                "The file holds no results.".to_owned()
            },
        ));
        return Err(ImportFailure {
            format: Some(format),
            issues: issues.finish(),
        });
    }
    if rejected > 0 && !partial {
        issues.push(Issue::new(
            Severity::Fatal,
            "import.rejected_results",
            Location::File,
            format!(
                "{rejected} result(s) were rejected, so nothing was imported. Fix them, or import with --partial to keep the {} good result(s).",
                report.results.len()
            ),
        ));
        return Err(ImportFailure {
            format: Some(format),
            issues: issues.finish(),
        });
    }
    Ok(Import {
        format,
        report,
        issues: issues.finish(),
    })
}

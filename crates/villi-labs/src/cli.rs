//! The `villi labs` command, pure of process exit and I/O: each function
//! takes the file's bytes and returns the text to print, or a [`CliError`]
//! whose output should be printed and whose [`CliError::EXIT_CODE`] (2) the
//! binary should exit with.
//!
//! JSON output has four stable top-level keys, present on success and on
//! failure alike:
//!
//! - `report`: the report's own fields plus `source_format`, `dry_run` and
//!   `stored` (`null` when the import failed);
//! - `results`: one object per result: printed and derived value, unit and
//!   range, the lab's flag, villi's flag and what it was decided from,
//!   `attention`, notes, and the intake `links` it triggered;
//! - `areas`: one summary per area, with client and practitioner wording;
//! - `issues`: every issue with severity, stable code, location and message.

use serde_json::{Value, json};
use villi_domain::labs::{Catalogue, IntakeContext, Interpretation, interpret};

use crate::import::{Import, ImportFailure, SourceFormat, import as run_import};
use crate::issue::Issue;

mod text;

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON with the stable keys `report`, `results`, `areas`, `issues`.
    Json,
}

/// Options of `villi labs import`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// `--format text|json`.
    pub format: OutputFormat,
    /// `--dry-run`: check and show; nothing is stored.
    pub dry_run: bool,
    /// `--partial`: keep the good results when some are rejected.
    pub partial: bool,
    /// The file's format; `None` detects it from the content.
    pub source_format: Option<SourceFormat>,
    /// What is known of the client's intake, for links.
    pub intake: IntakeContext,
}

/// Options of `villi labs export`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Keep the good results when some are rejected.
    pub partial: bool,
    /// The input file's format; `None` detects it.
    pub source_format: Option<SourceFormat>,
}

/// Bad input: print `output`, exit with [`CliError::EXIT_CODE`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    /// One line saying what went wrong.
    pub message: String,
    /// The full output (the issues, in the requested format).
    pub output: String,
}

impl CliError {
    /// The exit code for bad input.
    pub const EXIT_CODE: i32 = 2;
}

/// `villi labs import FILE`: the normalised report with flags, area
/// summaries and issues.
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<String, CliError> {
    let import_options = crate::ImportOptions {
        partial: options.partial,
        format: options.source_format,
    };
    match run_import(bytes, &import_options) {
        Ok(import) => {
            let interpretation = interpret(&import.report, Catalogue::embedded(), &options.intake);
            Ok(match options.format {
                OutputFormat::Json => pretty(&to_json(&import, &interpretation, options.dry_run)),
                OutputFormat::Text => text::render(&import, &interpretation, options.dry_run),
            })
        }
        Err(failure) => Err(failed(&failure, options.format)),
    }
}

/// `villi labs export FILE`: reads any supported format and writes a FHIR
/// R4 Bundle.
pub fn export(bytes: &[u8], options: &ExportOptions) -> Result<String, CliError> {
    let import_options = crate::ImportOptions {
        partial: options.partial,
        format: options.source_format,
    };
    run_import(bytes, &import_options)
        .map(|import| crate::fhir::export(&import.report))
        .map_err(|failure| failed(&failure, OutputFormat::Text))
}

fn failed(failure: &ImportFailure, format: OutputFormat) -> CliError {
    let output = match format {
        OutputFormat::Json => pretty(&json!({
            "report": Value::Null,
            "results": [],
            "areas": [],
            "issues": failure.issues,
        })),
        OutputFormat::Text => text::render_issues(&failure.issues),
    };
    CliError {
        message: failure.summary(),
        output,
    }
}

fn pretty(value: &Value) -> String {
    let mut out =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

/// The JSON document for an import (also usable by the web API).
pub fn to_json(import: &Import, interpretation: &Interpretation, dry_run: bool) -> Value {
    let report = &import.report;
    let catalogue = Catalogue::embedded();
    let results: Vec<Value> = report
        .results
        .iter()
        .zip(&interpretation.results)
        .map(|(result, reading)| {
            let marker = reading
                .marker_id
                .as_deref()
                .and_then(|id| catalogue.marker(id));
            let links: Vec<_> = interpretation
                .links
                .iter()
                .filter(|l| l.result_index == reading.index)
                .collect();
            json!({
                "index": reading.index,
                "marker": {
                    "printed": result.marker.printed,
                    "id": reading.marker_id,
                    "name": marker.map(|m| &m.name),
                    "area": reading.area,
                    "code": result.marker.code,
                },
                "panel": result.panel,
                "value": {
                    "raw": result.value.raw,
                    "display": result.value.to_string(),
                    "reading": result.value.kind,
                },
                "unit": result.unit,
                "range": result.range,
                "lab_flag": result.lab_flag,
                "flag": reading.flag,
                "flag_basis": reading.basis,
                "attention": reading.attention,
                "method": result.method,
                "status": result.status,
                "notes": result.notes,
                "interpretation_notes": reading.notes,
                "links": links,
            })
        })
        .collect();
    json!({
        "report": {
            "source_format": import.format,
            "dry_run": dry_run,
            "stored": false,
            "lab": report.lab,
            "test_name": report.test_name,
            "test_version": report.test_version,
            "report_id": report.report_id,
            "specimen": report.specimen,
            "collected": report.collected,
            "received": report.received,
            "reported": report.reported,
            "notes": report.notes,
        },
        "results": results,
        "areas": interpretation.areas,
        "issues": import.issues.iter().collect::<Vec<&Issue>>(),
    })
}

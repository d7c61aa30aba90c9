//! `villi labs import` and `villi labs export`: stool-test files from the
//! command line.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use villi_labs::SourceFormat;
use villi_labs::cli::{ExportOptions, ImportOptions, OutputFormat};

use villi_domain::assessment::{assess, lab_context};
use villi_domain::intake::Intake;
use villi_domain::knowledge::KnowledgeBase;
use villi_domain::labs::IntakeContext;

use crate::cli::{LabFormat, LabsCommand};

/// The intake facts results are linked to, or the exit code after printing
/// why the intake file is not valid.
fn intake_context(file: &Path) -> anyhow::Result<Result<IntakeContext, ExitCode>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    match Intake::from_json(&text) {
        Ok(intake) => {
            let kb = KnowledgeBase::embedded();
            Ok(Ok(lab_context(&assess(&intake, kb), kb)))
        }
        Err(errors) => {
            eprintln!("{}: the intake is not valid:", file.display());
            for e in errors {
                eprintln!("  {}: {} (allowed: {})", e.path, e.problem, e.allowed);
            }
            Ok(Err(ExitCode::from(2)))
        }
    }
}

fn source(format: Option<LabFormat>) -> Option<SourceFormat> {
    format.map(|f| match f {
        LabFormat::Hl7 => SourceFormat::Hl7v2,
        LabFormat::Fhir => SourceFormat::FhirJson,
        LabFormat::Csv => SourceFormat::Csv,
    })
}

fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}

pub fn run(cmd: LabsCommand) -> anyhow::Result<ExitCode> {
    let result = match cmd {
        LabsCommand::Import {
            file,
            format,
            dry_run,
            partial,
            from,
            intake,
        } => {
            let intake = match intake.as_deref().map(intake_context).transpose()? {
                Some(Ok(ctx)) => ctx,
                Some(Err(code)) => return Ok(code),
                None => IntakeContext::default(),
            };
            let options = ImportOptions {
                format: if format == crate::cli::OutFormat::Json {
                    OutputFormat::Json
                } else {
                    OutputFormat::Text
                },
                dry_run,
                partial,
                source_format: source(from),
                intake,
            };
            villi_labs::cli::import(&read(&file)?, &options)
        }
        LabsCommand::Export {
            file,
            partial,
            from,
        } => villi_labs::cli::export(
            &read(&file)?,
            &ExportOptions {
                partial,
                source_format: source(from),
            },
        ),
    };
    match result {
        Ok(out) => {
            print!("{out}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            print!("{}", e.output);
            eprintln!("villi labs: {}", e.message);
            Ok(ExitCode::from(2))
        }
    }
}

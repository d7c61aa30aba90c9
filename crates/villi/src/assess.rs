//! `villi assess` and `villi medications search`: the intake assessment
//! from the command line.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use villi_domain::assessment::{assess, render_html, render_json, render_text};
use villi_domain::intake::{Intake, intake_json_schema};
use villi_domain::knowledge::{KnowledgeBase, render_medication_search, search_medications};

use crate::cli::ReportFormat;

/// Bad input: the process exits with this code after printing the errors.
const BAD_INPUT: u8 = 2;

pub fn run(file: Option<&Path>, format: ReportFormat, schema: bool) -> anyhow::Result<ExitCode> {
    if schema {
        println!("{}", serde_json::to_string_pretty(&intake_json_schema())?);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(file) = file else {
        eprintln!("villi assess: give an intake file (JSON), or --schema");
        return Ok(ExitCode::from(BAD_INPUT));
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let intake = match Intake::from_json(&text) {
        Ok(intake) => intake,
        Err(errors) => {
            eprintln!("{}: the intake is not valid:", file.display());
            for e in errors {
                eprintln!("  {}: {} (allowed: {})", e.path, e.problem, e.allowed);
            }
            return Ok(ExitCode::from(BAD_INPUT));
        }
    };
    let kb = KnowledgeBase::embedded();
    let assessment = assess(&intake, kb);
    let out = match format {
        ReportFormat::Text => render_text(&assessment, kb),
        ReportFormat::Json => render_json(&assessment),
        ReportFormat::Html => render_html(&assessment, kb),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

pub fn search(name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let result = search_medications(KnowledgeBase::embedded(), name);
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print!("{}", render_medication_search(&result));
    }
    Ok(ExitCode::SUCCESS)
}

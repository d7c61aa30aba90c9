//! JSON to [`Intake`], section by section, so one bad answer does not hide the
//! others: every section and every list entry is read on its own and all
//! problems are collected.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::limits::MAX_LIST_LEN;
use super::{INTAKE_SCHEMA_VERSION, Intake, IntakeError, IntakeSection, schema, validate};

type Errors = Vec<IntakeError>;

pub(super) fn from_json(text: &str) -> Result<Intake, Errors> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![IntakeError::new(
            "$",
            format!("not valid JSON: {e}"),
            "a JSON object with the intake sections",
        )]
    })?;
    let Value::Object(map) = value else {
        return Err(vec![IntakeError::new(
            "$",
            format!("the intake is {}", describe(&value)),
            "a JSON object with the intake sections",
        )]);
    };

    let mut errors = Vec::new();
    let mut intake = Intake::empty();
    match map.get("schema_version") {
        None => errors.push(IntakeError::new(
            "schema_version",
            "required field is missing",
            format!("{INTAKE_SCHEMA_VERSION}"),
        )),
        Some(v) if v.as_u64() == Some(u64::from(INTAKE_SCHEMA_VERSION)) => {}
        Some(v) => errors.push(IntakeError::new(
            "schema_version",
            format!("unsupported schema version {v}"),
            format!("{INTAKE_SCHEMA_VERSION}"),
        )),
    }

    for (key, value) in &map {
        if key == "schema_version" {
            continue;
        }
        let Some(section) = IntakeSection::from_key(key) else {
            errors.push(IntakeError::new(
                key.as_str(),
                format!("unknown section `{key}`"),
                allowed_sections(),
            ));
            continue;
        };
        read_section(&mut intake, section, value, &mut errors);
    }

    if errors.is_empty() {
        Ok(intake)
    } else {
        Err(errors)
    }
}

fn read_section(intake: &mut Intake, section: IntakeSection, value: &Value, errors: &mut Errors) {
    let key = section.key();
    match section {
        IntakeSection::Personal => {
            intake.personal = object(key, value, errors, validate::personal);
        }
        IntakeSection::WarningSigns => {
            intake.warning_signs = object(key, value, errors, |_, _, _| {});
        }
        IntakeSection::FamilyHistory => {
            intake.family_history = list(key, value, errors, |_, _, _| {});
        }
        IntakeSection::Medications => {
            intake.medications = list(key, value, errors, validate::medication);
        }
        IntakeSection::AntibioticCourses => {
            intake.antibiotic_courses = list(key, value, errors, validate::antibiotic_course);
        }
        IntakeSection::Diagnoses => {
            intake.diagnoses = list(key, value, errors, validate::diagnosis);
        }
        IntakeSection::GiSymptoms => {
            intake.gi_symptoms = object(key, value, errors, validate::gi_symptoms);
        }
        IntakeSection::Bristol => {
            intake.bristol = object(key, value, errors, validate::bristol);
        }
        IntakeSection::Diet => intake.diet = object(key, value, errors, validate::diet),
        IntakeSection::StressSleep => {
            intake.stress_sleep = object(key, value, errors, validate::stress_sleep);
        }
        IntakeSection::Environment => {
            intake.environment = object(key, value, errors, validate::environment);
        }
        IntakeSection::Goals => intake.goals = object(key, value, errors, validate::goals),
    }
}

/// Reads one object section; `null` means not answered.
fn object<T: DeserializeOwned>(
    path: &str,
    value: &Value,
    errors: &mut Errors,
    check: impl Fn(&str, &T, &mut Errors),
) -> Option<T> {
    if value.is_null() {
        return None;
    }
    let parsed = one(path, value, errors)?;
    check(path, &parsed, errors);
    Some(parsed)
}

/// Reads a list section entry by entry; `null` means not answered.
fn list<T: DeserializeOwned>(
    path: &str,
    value: &Value,
    errors: &mut Errors,
    check: impl Fn(&str, &T, &mut Errors),
) -> Option<Vec<T>> {
    let items = match value {
        Value::Null => return None,
        Value::Array(items) => items,
        other => {
            errors.push(IntakeError::new(
                path,
                format!("expected a list, found {}", describe(other)),
                "a list (an empty list means none)",
            ));
            return None;
        }
    };
    if items.len() > MAX_LIST_LEN {
        errors.push(IntakeError::new(
            path,
            format!("{} entries", items.len()),
            format!("at most {MAX_LIST_LEN} entries"),
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        if let Some(parsed) = one::<T>(&item_path, item, errors) {
            check(&item_path, &parsed, errors);
            out.push(parsed);
        }
    }
    Some(out)
}

fn one<T: DeserializeOwned>(prefix: &str, value: &Value, errors: &mut Errors) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(parsed) => Some(parsed),
        Err(err) => {
            let mut path = prefix.to_owned();
            for segment in err.path() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => {
                        path.push_str(&format!("[{index}]"));
                    }
                    serde_path_to_error::Segment::Map { key }
                    | serde_path_to_error::Segment::Enum { variant: key } => {
                        path.push('.');
                        path.push_str(key);
                    }
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            errors.push(explain(path, &err.inner().to_string()));
            None
        }
    }
}

/// Turns serde's message into what is wrong and what is allowed.
fn explain(path: String, message: &str) -> IntakeError {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        let path = format!("{path}.{field}");
        let allowed = schema::allowed_at(&path)
            .unwrap_or_else(|| "see the intake schema for this field".to_owned());
        return IntakeError::new(path, "required field is missing", allowed);
    }
    for marker in ["unknown field ", "unknown variant "] {
        if message.starts_with(marker) {
            return split_expected(path, message);
        }
    }
    if message.starts_with("invalid type: ")
        || message.starts_with("invalid value: ")
        || message.starts_with("invalid length ")
    {
        return split_expected(path, message);
    }
    IntakeError::new(path, message, "see the intake schema")
}

fn split_expected(path: String, message: &str) -> IntakeError {
    match message.split_once(", expected ") {
        Some((problem, expected)) => {
            // Unknown fields and choices already list what is allowed; for
            // wrong types the schema says it better than a Rust type name.
            let listed = expected.starts_with("one of") || expected.starts_with('`');
            let allowed = match schema::allowed_at(&path) {
                Some(from_schema) if !listed => from_schema,
                _ => plain_expected(expected),
            };
            IntakeError::new(path, problem, allowed)
        }
        None => IntakeError::new(path, message, "see the intake schema"),
    }
}

/// Serde names Rust types; people need ranges and shapes.
fn plain_expected(expected: &str) -> String {
    match expected {
        "u8" => "a whole number from 0 to 255".to_owned(),
        "u16" => "a whole number from 0 to 65535".to_owned(),
        "u32" => "a whole number from 0 to 4294967295".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "a sequence" => "a list".to_owned(),
        other if other.starts_with("struct ") => "an object".to_owned(),
        other => other.replace('`', ""),
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn allowed_sections() -> String {
    let mut keys = vec!["schema_version"];
    keys.extend(IntakeSection::ALL.iter().map(|s| s.key()));
    format!("one of {}", keys.join(", "))
}

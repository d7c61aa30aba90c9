//! Small range and length checks shared by the section validators.

use super::IntakeError;
use super::limits::{MAX_LIST_LEN, MAX_TEXT_CHARS};

pub(super) type Errors = Vec<IntakeError>;

pub(super) fn each<T>(
    path: &str,
    items: Option<&[T]>,
    f: fn(&str, &T, &mut Errors),
    errors: &mut Errors,
) {
    list_len(path, items, errors);
    for (i, item) in items.unwrap_or_default().iter().enumerate() {
        f(&format!("{path}[{i}]"), item, errors);
    }
}

pub(super) fn list_len<T>(path: &str, items: Option<&[T]>, errors: &mut Errors) {
    if let Some(items) = items
        && items.len() > MAX_LIST_LEN
    {
        errors.push(IntakeError::new(
            path,
            format!("{} entries", items.len()),
            format!("at most {MAX_LIST_LEN} entries"),
        ));
    }
}

pub(super) fn at_most<N: PartialOrd + std::fmt::Display>(
    path: &str,
    field: &str,
    value: Option<N>,
    min: N,
    max: N,
    unit: &str,
    errors: &mut Errors,
) {
    if let Some(v) = value
        && (v < min || v > max)
    {
        errors.push(IntakeError::new(
            format!("{path}.{field}"),
            format!("{v} is out of range"),
            format!("{min} to {max} {unit}").trim_end().to_owned(),
        ));
    }
}

pub(super) fn text(
    path: &str,
    field: &str,
    value: Option<&str>,
    required: bool,
    errors: &mut Errors,
) {
    let Some(v) = value else { return };
    let chars = v.chars().count();
    if required && v.trim().is_empty() {
        errors.push(IntakeError::new(
            format!("{path}.{field}"),
            "empty text",
            format!("1 to {MAX_TEXT_CHARS} characters"),
        ));
    } else if chars > MAX_TEXT_CHARS {
        errors.push(IntakeError::new(
            format!("{path}.{field}"),
            format!("{chars} characters"),
            format!("at most {MAX_TEXT_CHARS} characters"),
        ));
    }
}

pub(super) fn texts(path: &str, items: &[String], errors: &mut Errors) {
    list_len(path, Some(items), errors);
    for (i, item) in items.iter().enumerate() {
        let chars = item.chars().count();
        if item.trim().is_empty() || chars > MAX_TEXT_CHARS {
            errors.push(IntakeError::new(
                format!("{path}[{i}]"),
                format!("text of {chars} characters"),
                format!("1 to {MAX_TEXT_CHARS} characters"),
            ));
        }
    }
}

pub(super) fn answers(
    path: &str,
    field: &str,
    values: Option<&[u8]>,
    len: usize,
    max: u8,
    errors: &mut Errors,
) {
    let Some(values) = values else { return };
    if values.len() != len {
        errors.push(IntakeError::new(
            format!("{path}.{field}"),
            format!("{} answers", values.len()),
            format!("exactly {len} answers, in item order"),
        ));
    }
    for (i, v) in values.iter().enumerate() {
        if *v > max {
            errors.push(IntakeError::new(
                format!("{path}.{field}[{i}]"),
                format!("{v} is out of range"),
                format!("0 to {max}"),
            ));
        }
    }
}

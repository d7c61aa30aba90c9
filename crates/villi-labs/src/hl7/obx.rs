//! Reading one OBX segment into a result.

use std::borrow::Cow;

use villi_domain::labs::{
    Catalogue, Code, Comparator, Decimal, LabResult, MarkerName, Method, Qualitative,
    ReferenceRange, ResultStatus, ResultValue, Unit, ValueKind, to_ucum,
};

use super::escape::decode;
use super::tokens::{Segment, Separators, component, components, first_repetition};
use crate::issue::{Issue, Issues, Location, Severity};
use crate::normalise;

/// SNOMED CT qualifier values seen in lab messages (stool-tests.md §3.1, §3.3).
const SNOMED_READINGS: [(&str, Qualitative); 4] = [
    ("260415000", Qualitative::NotDetected),
    ("260373001", Qualitative::Detected),
    ("10828004", Qualitative::Positive),
    ("260385009", Qualitative::Negative),
];

/// Reads an OBX into a result; `None` when it carries no result (it is then
/// reported as an error or warning).
pub fn read<'s>(
    seg: &'s Segment<'_>,
    seps: &Separators,
    panel: Option<&str>,
    issues: &mut Issues,
) -> Option<LabResult> {
    let at = |field: usize, component: Option<usize>| Location::Hl7 {
        line: seg.line,
        segment: "OBX".into(),
        field: Some(field),
        component,
    };
    // borrowed unless an escape had to be decoded: most fields have none
    let text = |field: &'s str, n: usize, issues: &mut Issues| -> Cow<'s, str> {
        let (decoded, doubt) = decode(field, seps);
        if let Some(doubt) = doubt {
            issues.push(Issue::new(
                Severity::Warning,
                "hl7.escape",
                at(n, None),
                doubt,
            ));
        }
        match decoded {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
            Cow::Owned(o) => Cow::Owned(o.trim().to_owned()),
        }
    };

    let [code, name, system, alt_code, alt_name, alt_system] =
        components::<6>(seg.field(3), seps).map(|part| text(part, 3, issues));
    let printed: &str = [&name, &alt_name, &code, &alt_code]
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("", |s| s.as_ref());
    if printed.is_empty() {
        issues.push(
            Issue::new(
                Severity::Error,
                "hl7.obx.no_identifier",
                at(3, None),
                "OBX-3 names no observation, so the result cannot be attributed to a marker.",
            )
            .rejecting(seg.text().chars().take(200).collect::<String>()),
        );
        return None;
    }
    let value_type = seg.field(2).trim().to_ascii_uppercase();
    if matches!(value_type.as_str(), "ED" | "RP") {
        issues.push(Issue::new(
            Severity::Warning,
            "hl7.obx.embedded_data",
            at(5, None),
            format!("{printed:?} carries an embedded or referenced document ({value_type}), not a result; keep the original report file alongside."),
        ));
        return None;
    }
    let primary = (!code.is_empty()).then(|| Code {
        system: normalise::system(&system),
        code: code.clone().into_owned(),
    });
    let alternate = (!alt_code.is_empty()).then(|| Code {
        system: normalise::system(&alt_system),
        code: alt_code.clone().into_owned(),
    });
    let marker = recognise(primary, alternate, printed, &alt_name, issues, at(3, None));

    let mut notes = Vec::new();
    let (value, hint) = read_value(seg, seps, &value_type, &mut notes, issues, &at);
    let unit = read_unit(seg.field(6), seps, hint.as_deref(), issues, &at);
    normalise::check_unit(&unit, issues, || at(6, None));
    let range = ReferenceRange::parse(&text(seg.field(7), 7, issues));
    let flags = text(seg.field(8), 8, issues).into_owned();
    let status_code = seg.field(11).trim();
    let status = if status_code.is_empty() {
        ResultStatus::Final
    } else {
        ResultStatus::from_hl7(status_code).unwrap_or_else(|| {
            issues.push(Issue::new(
                Severity::Warning,
                "hl7.obx.status",
                at(11, None),
                format!("Result status {status_code:?} is not in HL7 table 0085; read as final."),
            ));
            ResultStatus::Final
        })
    };
    if matches!(value.kind, ValueKind::Missing) && status == ResultStatus::Final {
        issues.push(Issue::new(
            Severity::Warning,
            "hl7.obx.final_without_value",
            at(5, None),
            format!("{printed:?} is marked final but has no value."),
        ));
    }
    let method_field = seg.field(17);
    let method_text = {
        let [code, label] = components::<2>(method_field, seps).map(|p| text(p, 17, issues));
        if label.is_empty() { code } else { label }
    };
    Some(LabResult {
        marker,
        panel: panel.map(str::to_owned),
        value,
        unit,
        range,
        lab_flag: (!flags.is_empty()).then_some(flags),
        method: (!method_text.is_empty()).then(|| Method::parse(&method_text)),
        status,
        notes,
    })
}

fn recognise(
    primary: Option<Code>,
    alternate: Option<Code>,
    printed: &str,
    alt_name: &str,
    issues: &mut Issues,
    location: Location,
) -> MarkerName {
    let catalogue = Catalogue::embedded();
    if let Some(marker) = catalogue.recognise(primary.as_ref(), printed) {
        return MarkerName {
            printed: printed.to_owned(),
            code: primary,
            marker_id: Some(marker.id.clone()),
        };
    }
    // an alternate (local) code is consulted only when the primary code is
    // not LOINC: a LOINC code says exactly what was measured
    let primary_is_loinc = primary.as_ref().is_some_and(Code::is_loinc);
    if !primary_is_loinc && let Some(marker) = catalogue.recognise(alternate.as_ref(), alt_name) {
        return MarkerName {
            printed: printed.to_owned(),
            code: primary.or(alternate),
            marker_id: Some(marker.id.clone()),
        };
    }
    normalise::marker(primary.or(alternate), printed, issues, || location)
}

fn read_value(
    seg: &Segment<'_>,
    seps: &Separators,
    value_type: &str,
    notes: &mut Vec<String>,
    issues: &mut Issues,
    at: &dyn Fn(usize, Option<usize>) -> Location,
) -> (ResultValue, Option<String>) {
    let field = seg.field(5);
    let mut decoded = |s: &str, issues: &mut Issues| {
        let (d, doubt) = decode(s, seps);
        if let Some(doubt) = doubt {
            issues.push(Issue::new(
                Severity::Warning,
                "hl7.escape",
                at(5, None),
                doubt,
            ));
        }
        d.into_owned()
    };
    let free_text = matches!(
        value_type,
        "ST" | "TX" | "FT" | "" | "DT" | "DTM" | "TS" | "TM"
    );
    if !free_text {
        for extra in field
            .split(seps.repetition)
            .skip(1)
            .filter(|r| !r.is_empty())
        {
            let extra = decoded(extra, issues);
            issues.push(Issue::new(
                Severity::Warning,
                "hl7.obx.repeated_value",
                at(5, None),
                format!("OBX-5 repeats; the first repetition is the value and {extra:?} is kept as a note."),
            ));
            notes.push(extra);
        }
    }
    let first = first_repetition(field, seps);
    match value_type {
        "NM" => {
            let text = decoded(first, issues);
            let (value, hint) = ResultValue::parse(&text);
            let lenient = match &value.kind {
                ValueKind::Quantity {
                    comparator: None, ..
                } if text.contains(['e', 'E', 'x', 'X', '×']) => {
                    Some("an exponent, which HL7 NM does not allow")
                }
                ValueKind::Quantity {
                    comparator: Some(_),
                    ..
                } => Some("a comparator, which belongs in an SN value"),
                ValueKind::Quantity { .. } | ValueKind::Missing => None,
                _ => Some("text that is not a number"),
            };
            if let Some(what) = lenient {
                issues.repeated("hl7.nm.nonconformant", seg.line, || {
                    Issue::new(
                        Severity::Warning,
                        "hl7.nm.nonconformant",
                        at(5, None),
                        format!("NM value {text:?} contains {what}; read leniently."),
                    )
                });
            }
            (value, hint)
        }
        "SN" => (read_sn(first, seps, &mut decoded, issues, at), None),
        "CE" | "CWE" | "CNE" | "CF" => {
            let [code, label, system] =
                components::<3>(first, seps).map(|p| decoded(p, issues).trim().to_owned());
            let shown = if label.is_empty() {
                code.clone()
            } else {
                label.clone()
            };
            let reading = Qualitative::parse(&label)
                .or_else(|| {
                    SNOMED_READINGS
                        .iter()
                        .find(|(c, _)| *c == code)
                        .map(|(_, q)| *q)
                })
                .or_else(|| Qualitative::parse(&code));
            match reading {
                Some(reading) => (
                    ResultValue::structured(shown, ValueKind::Qualitative { reading }),
                    None,
                ),
                None => {
                    if !code.is_empty() && !label.is_empty() {
                        notes.push(format!("Coded value {code} ({system})"));
                    }
                    (ResultValue::structured(shown, ValueKind::Text), None)
                }
            }
        }
        _ => {
            let text: Vec<String> = field
                .split(seps.repetition)
                .map(|r| decoded(r, issues))
                .collect();
            let text = text.join("\n");
            if !free_text {
                issues.push(Issue::new(
                    Severity::Warning,
                    "hl7.obx.value_type",
                    at(2, None),
                    format!("Value type {value_type:?} is not one villi expects for results; the value was read as text."),
                ));
            }
            ResultValue::parse(&text)
        }
    }
}

fn read_sn(
    first: &str,
    seps: &Separators,
    decoded: &mut dyn FnMut(&str, &mut Issues) -> String,
    issues: &mut Issues,
    at: &dyn Fn(usize, Option<usize>) -> Location,
) -> ResultValue {
    let raw = decoded(first, issues);
    let part =
        |n: usize, decoded: &mut dyn FnMut(&str, &mut Issues) -> String, issues: &mut Issues| {
            decoded(component(first, seps, n), issues).trim().to_owned()
        };
    let [cmp, n1, sep, n2] = [1, 2, 3, 4].map(|n| part(n, decoded, issues));
    let comparator = match cmp.as_str() {
        "" | "=" => None,
        other => Comparator::parse_prefix(other)
            .filter(|(_, rest)| rest.is_empty())
            .map(|(c, _)| c),
    };
    let known_cmp = cmp.is_empty() || cmp == "=" || comparator.is_some();
    let a = Decimal::parse(&n1);
    let b = Decimal::parse(&n2);
    let kind = match (known_cmp, a, sep.as_str(), b) {
        (true, Some(number), "", None) if n2.is_empty() => {
            Some(ValueKind::Quantity { comparator, number })
        }
        (true, Some(low), "-", Some(high)) if comparator.is_none() => {
            Some(ValueKind::Range { low, high })
        }
        (true, Some(numerator), ":" | "/", Some(denominator)) if comparator.is_none() => {
            Some(ValueKind::Ratio {
                numerator,
                denominator,
            })
        }
        (true, Some(n), "+", None) if comparator.is_none() && n2.is_empty() => {
            Qualitative::parse(&format!("{n}+")).map(|reading| ValueKind::Qualitative { reading })
        }
        _ => None,
    };
    match kind {
        Some(kind) => ResultValue::structured(raw, kind),
        None => {
            issues.push(Issue::new(
                Severity::Warning,
                "hl7.sn.unreadable",
                at(5, None),
                format!(
                    "SN value {raw:?} is not a comparator-number, range or ratio; kept as text."
                ),
            ));
            ResultValue::structured(raw, ValueKind::Text)
        }
    }
}

fn read_unit(
    field: &str,
    seps: &Separators,
    hint: Option<&str>,
    issues: &mut Issues,
    at: &dyn Fn(usize, Option<usize>) -> Location,
) -> Unit {
    let first = first_repetition(field, seps);
    let dec = |s: &str| decode(s, seps).0.trim().to_owned();
    let [id, label, system] = components::<3>(first, seps).map(dec);
    if id.is_empty() && label.is_empty() {
        return hint.map(Unit::parse).unwrap_or_default();
    }
    let shown = if id.is_empty() {
        label.clone()
    } else {
        id.clone()
    };
    if system.eq_ignore_ascii_case("UCUM") && !id.is_empty() {
        return match to_ucum(&id) {
            Some(code) => Unit::coded(&id, code),
            None => Unit::coded(&id, &id),
        };
    }
    let coded_system =
        matches!(system.as_str(), "ISO+" | "ANSI+" | "L" | "99ZZZ") || system.starts_with("99");
    let whole = dec(first);
    if !coded_system
        && first.contains(seps.component)
        && to_ucum(&shown).is_none()
        && to_ucum(&whole).is_some()
    {
        issues.push(Issue::new(
            Severity::Warning,
            "hl7.unit.unescaped_caret",
            at(6, None),
            format!("Unit {whole:?} contains an unescaped component separator; read as one unit."),
        ));
        return Unit::parse(&whole);
    }
    Unit::parse(&shown)
}

//! Writing a report as a FHIR R4 Bundle (type `collection`).

use villi_domain::labs::{
    Catalogue, Code, Decimal, Flag, LabReport, LabResult, ParsedRange, ResultStatus, Unit,
    ValueKind,
};

use super::qualitative;
use super::{LOCAL_CODE_SYSTEM, QUALITATIVE_SYSTEM, SNOMED, UCUM, V3_INTERPRETATION, ext};
use crate::normalise::LOINC;

/// A JSON value being written; numbers are text so FHIR decimals keep
/// their printed digits.
enum J {
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

fn s(text: impl Into<String>) -> J {
    J::Str(text.into())
}

fn string_ext(name: &str, value: &str) -> J {
    J::Obj(vec![("url", s(ext(name))), ("valueString", s(value))])
}

/// Exports a report as pretty-printed FHIR R4 JSON.
pub fn export(report: &LabReport) -> String {
    let mut entries = vec![entry(0, diagnostic_report(report))];
    for (i, result) in report.results.iter().enumerate() {
        entries.push(entry(i + 1, observation(i, result)));
    }
    let bundle = J::Obj(vec![
        ("resourceType", s("Bundle")),
        ("type", s("collection")),
        ("entry", J::Arr(entries)),
    ]);
    let mut out = String::new();
    write(&bundle, 0, &mut out);
    out.push('\n');
    out
}

fn full_url(i: usize) -> String {
    format!("urn:uuid:7b1c0000-0000-4000-8000-{i:012x}")
}

fn entry(i: usize, resource: J) -> J {
    J::Obj(vec![("fullUrl", s(full_url(i))), ("resource", resource)])
}

fn has_zone(date: &str) -> bool {
    date.len() > 19
        && (date.ends_with('Z') || date.get(19..).is_some_and(|t| t.contains(['+', '-'])))
}

fn diagnostic_report(report: &LabReport) -> J {
    let mut extensions = vec![string_ext("export", "1")];
    if let Some(name) = &report.test_name {
        extensions.push(string_ext("test-name", name));
    }
    if let Some(version) = &report.test_version {
        extensions.push(string_ext("test-version", version));
    }
    for note in &report.notes {
        extensions.push(string_ext("note", note));
    }
    let reported = report.reported.as_ref().map(|d| d.as_str());
    if let Some(date) = reported.filter(|d| !has_zone(d)) {
        extensions.push(string_ext("reported", date));
    }
    let partial = report
        .results
        .iter()
        .any(|r| matches!(r.status, ResultStatus::Preliminary | ResultStatus::Pending));
    let mut dr = vec![
        ("resourceType", s("DiagnosticReport")),
        ("id", s("report")),
        ("extension", J::Arr(extensions)),
    ];
    if report.specimen.is_some() || report.received.is_some() {
        let mut specimen = vec![("resourceType", s("Specimen")), ("id", s("specimen"))];
        if let Some(kind) = &report.specimen {
            specimen.push(("type", J::Obj(vec![("text", s(kind))])));
        }
        if let Some(received) = &report.received {
            specimen.push(("receivedTime", s(received.as_str())));
        }
        dr.push(("contained", J::Arr(vec![J::Obj(specimen)])));
    }
    if let Some(id) = &report.report_id {
        dr.push(("identifier", J::Arr(vec![J::Obj(vec![("value", s(id))])])));
    }
    dr.push(("status", s(if partial { "partial" } else { "final" })));
    dr.push((
        "category",
        J::Arr(vec![J::Obj(vec![(
            "coding",
            J::Arr(vec![J::Obj(vec![
                ("system", s("http://terminology.hl7.org/CodeSystem/v2-0074")),
                ("code", s("LAB")),
            ])]),
        )])]),
    ));
    let title = report.test_name.as_deref().unwrap_or("Stool test");
    dr.push(("code", J::Obj(vec![("text", s(title))])));
    if let Some(collected) = &report.collected {
        dr.push(("effectiveDateTime", s(collected.as_str())));
    }
    if let Some(date) = reported.filter(|d| has_zone(d)) {
        dr.push(("issued", s(date)));
    }
    if let Some(lab) = &report.lab {
        dr.push(("performer", J::Arr(vec![J::Obj(vec![("display", s(lab))])])));
    }
    if report.specimen.is_some() || report.received.is_some() {
        dr.push((
            "specimen",
            J::Arr(vec![J::Obj(vec![("reference", s("#specimen"))])]),
        ));
    }
    let refs = (0..report.results.len())
        .map(|i| J::Obj(vec![("reference", s(full_url(i + 1)))]))
        .collect();
    dr.push(("result", J::Arr(refs)));
    if !report.notes.is_empty() {
        dr.push(("conclusion", s(report.notes.join("\n\n"))));
    }
    J::Obj(dr)
}

fn coding(system: Option<&str>, code: &str, display: Option<&str>) -> J {
    let mut c = Vec::new();
    if let Some(system) = system {
        c.push(("system", s(system)));
    }
    c.push(("code", s(code)));
    if let Some(display) = display {
        c.push(("display", s(display)));
    }
    J::Obj(c)
}

fn observation(i: usize, result: &LabResult) -> J {
    let catalogue = Catalogue::embedded();
    let marker = result
        .marker
        .marker_id
        .as_deref()
        .and_then(|id| catalogue.marker(id));
    let mut extensions = vec![
        string_ext("printed-name", &result.marker.printed),
        string_ext("printed-value", &result.value.raw),
    ];
    if !result.unit.raw.is_empty() {
        extensions.push(string_ext("printed-unit", &result.unit.raw));
    }
    if let Some(ucum) = &result.unit.ucum {
        extensions.push(string_ext("unit-ucum", ucum));
    }
    if let Some(flag) = &result.lab_flag {
        extensions.push(string_ext("lab-flag", flag));
    }
    if let Some(panel) = &result.panel {
        extensions.push(string_ext("panel", panel));
    }
    if let Some(Code { system, code }) = &result.marker.code {
        extensions.push(J::Obj(vec![
            ("url", s(ext("lab-code"))),
            ("valueCoding", coding(system.as_deref(), code, None)),
        ]));
    }
    let mut codings = Vec::new();
    if let Some(code) = result.marker.code.as_ref().filter(|c| c.is_loinc()) {
        codings.push(coding(Some(LOINC), &code.code, None));
    } else if let Some(loinc) = marker.and_then(|m| m.loinc.as_deref()) {
        codings.push(coding(Some(LOINC), loinc, marker.map(|m| m.name.as_str())));
    }
    if let Some(id) = &result.marker.marker_id {
        codings.push(coding(
            Some(LOCAL_CODE_SYSTEM),
            id,
            marker.map(|m| m.name.as_str()),
        ));
    }
    let mut code = Vec::new();
    if !codings.is_empty() {
        code.push(("coding", J::Arr(codings)));
    }
    code.push(("text", s(&result.marker.printed)));

    let mut obs = vec![
        ("resourceType", s("Observation")),
        ("id", s(format!("result-{}", i + 1))),
        ("extension", J::Arr(extensions)),
        ("status", s(result.status.fhir_code())),
        (
            "category",
            J::Arr(vec![J::Obj(vec![(
                "coding",
                J::Arr(vec![J::Obj(vec![
                    (
                        "system",
                        s("http://terminology.hl7.org/CodeSystem/observation-category"),
                    ),
                    ("code", s("laboratory")),
                ])]),
            )])]),
        ),
        ("code", J::Obj(code)),
    ];
    obs.extend(value(result));
    if let Some(flag) = &result.lab_flag {
        obs.push(("interpretation", J::Arr(vec![interpretation(flag)])));
    }
    if let Some(printed) = &result.range.printed {
        let mut range = Vec::new();
        if let ParsedRange::Numeric { low, high } = &result.range.parsed {
            if let Some(low) = low {
                range.push(("low", quantity(&low.value, &result.unit)));
            }
            if let Some(high) = high {
                range.push(("high", quantity(&high.value, &result.unit)));
            }
        }
        range.push(("text", s(printed)));
        obs.push(("referenceRange", J::Arr(vec![J::Obj(range)])));
    }
    if let Some(method) = &result.method {
        obs.push(("method", J::Obj(vec![("text", s(&method.printed))])));
    }
    if !result.notes.is_empty() {
        let notes = result
            .notes
            .iter()
            .map(|n| J::Obj(vec![("text", s(n))]))
            .collect();
        obs.push(("note", J::Arr(notes)));
    }
    J::Obj(obs)
}

fn quantity(number: &Decimal, unit: &Unit) -> J {
    let mut q = vec![("value", J::Num(number.to_string()))];
    if !unit.display().is_empty() {
        q.push(("unit", s(unit.display())));
    }
    if let Some(code) = &unit.ucum {
        q.push(("system", s(UCUM)));
        q.push(("code", s(code)));
    }
    J::Obj(q)
}

fn value(result: &LabResult) -> Vec<(&'static str, J)> {
    let unit = &result.unit;
    match &result.value.kind {
        ValueKind::Quantity { comparator, number } => {
            let J::Obj(mut q) = quantity(number, unit) else {
                return vec![];
            };
            if let Some(c) = comparator {
                q.insert(1, ("comparator", s(c.symbol())));
            }
            vec![("valueQuantity", J::Obj(q))]
        }
        ValueKind::Range { low, high } => vec![(
            "valueRange",
            J::Obj(vec![
                ("low", quantity(low, unit)),
                ("high", quantity(high, unit)),
            ]),
        )],
        ValueKind::Ratio {
            numerator,
            denominator,
        } => vec![(
            "valueRatio",
            J::Obj(vec![
                ("numerator", quantity(numerator, &Unit::none())),
                ("denominator", quantity(denominator, &Unit::none())),
            ]),
        )],
        ValueKind::Qualitative { reading } => {
            let mut codings = Vec::new();
            if let Some(code) = qualitative::snomed(*reading) {
                codings.push(coding(Some(SNOMED), code, None));
            }
            codings.push(coding(
                Some(QUALITATIVE_SYSTEM),
                &qualitative::key(*reading),
                None,
            ));
            vec![(
                "valueCodeableConcept",
                J::Obj(vec![
                    ("coding", J::Arr(codings)),
                    ("text", s(reading.label())),
                ]),
            )]
        }
        ValueKind::Text => vec![("valueString", s(&result.value.raw))],
        ValueKind::Missing => vec![(
            "dataAbsentReason",
            J::Obj(vec![(
                "coding",
                J::Arr(vec![coding(
                    Some("http://terminology.hl7.org/CodeSystem/data-absent-reason"),
                    "unknown",
                    None,
                )]),
            )]),
        )],
    }
}

fn interpretation(flag: &str) -> J {
    let code = flag.trim().to_ascii_uppercase();
    let known = matches!(
        code.as_str(),
        "H" | "L"
            | "HH"
            | "LL"
            | "HU"
            | "LU"
            | "A"
            | "AA"
            | "N"
            | "POS"
            | "NEG"
            | "DET"
            | "ND"
            | "IND"
    );
    let mut concept = Vec::new();
    if known {
        concept.push((
            "coding",
            J::Arr(vec![coding(Some(V3_INTERPRETATION), &code, None)]),
        ));
    } else if let Some(derived) = Flag::from_lab(flag) {
        let code = match derived {
            Flag::High => "H",
            Flag::Low => "L",
            Flag::Abnormal => "A",
            Flag::Normal => "N",
            _ => "IND",
        };
        concept.push((
            "coding",
            J::Arr(vec![coding(Some(V3_INTERPRETATION), code, None)]),
        ));
    }
    concept.push(("text", s(flag)));
    J::Obj(concept)
}

fn write(value: &J, indent: usize, out: &mut String) {
    let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', n));
    match value {
        J::Num(n) => out.push_str(n),
        J::Str(text) => write_string(text, out),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Arr(items) => {
            out.push_str("[\n");
            for (k, item) in items.iter().enumerate() {
                pad(indent + 2, out);
                write(item, indent + 2, out);
                out.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push(']');
        }
        J::Obj(members) => {
            out.push_str("{\n");
            for (k, (key, item)) in members.iter().enumerate() {
                pad(indent + 2, out);
                write_string(key, out);
                out.push_str(": ");
                write(item, indent + 2, out);
                out.push_str(if k + 1 < members.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push('}');
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

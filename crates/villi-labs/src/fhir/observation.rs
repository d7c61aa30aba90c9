//! Reading one Observation (and its components) into results.

use villi_domain::labs::{
    Catalogue, Code, Comparator, Decimal, LabResult, MarkerName, Method, Qualitative,
    ReferenceRange, ResultStatus, ResultValue, Unit, ValueKind, to_ucum,
};

use super::json::{Node, Value};
use super::qualitative;
use super::{LOCAL_CODE_SYSTEM, QUALITATIVE_SYSTEM, SNOMED, UCUM, ext};
use crate::issue::{Issue, Issues, Location, Severity};
use crate::normalise;

/// Where a node is, for issues.
pub fn at(node: &Node, path: &str) -> Location {
    Location::Json {
        path: path.to_owned(),
        line: node.line,
        column: node.column,
    }
}

/// The `valueString` of extension `urn:villi:<name>`.
pub fn ext_str<'a>(node: &'a Node, name: &str) -> Option<&'a str> {
    ext_all(node, name).next()
}

/// Every `valueString` of extension `urn:villi:<name>`, in order.
pub fn ext_all<'a>(node: &'a Node, name: &str) -> impl Iterator<Item = &'a str> + 'a {
    let url = ext(name);
    node.get("extension")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter(move |e| e.str_at("url") == Some(url.as_str()))
        .filter_map(|e| e.str_at("valueString"))
}

fn ext_node<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    let url = ext(name);
    node.get("extension")?
        .items()
        .iter()
        .find(|e| e.str_at("url") == Some(url.as_str()))
}

/// Whether an observation was written by villi's exporter.
pub fn is_villi(node: &Node) -> bool {
    ext_str(node, "printed-name").is_some()
}

/// Reads an observation's own value (if any) and its components.
/// Returns whether the observation itself carried a result.
pub fn read(
    node: &Node,
    path: &str,
    panel: Option<&str>,
    issues: &mut Issues,
    out: &mut Vec<LabResult>,
) -> bool {
    let components = node.get("component").map(Node::items).unwrap_or(&[]);
    let has_value = has_value(node);
    if (has_value || components.is_empty())
        && let Some(result) = read_one(node, path, panel, issues)
    {
        out.push(result);
    }
    let parent_name = node
        .get("code")
        .and_then(|c| c.str_at("text"))
        .or(panel)
        .map(str::to_owned);
    for (i, component) in components.iter().enumerate() {
        let path = format!("{path}.component[{i}]");
        if let Some(result) = read_one(component, &path, parent_name.as_deref(), issues) {
            out.push(result);
        }
    }
    has_value || components.is_empty()
}

fn has_value(node: &Node) -> bool {
    match &node.value {
        Value::Object(members) => members
            .iter()
            .any(|(k, _)| k.starts_with("value") || k == "dataAbsentReason"),
        _ => false,
    }
}

fn read_one(
    node: &Node,
    path: &str,
    panel: Option<&str>,
    issues: &mut Issues,
) -> Option<LabResult> {
    let villi = is_villi(node);
    let marker = marker(node, path, villi, issues)?;
    let (value, hint) = value(node, path, villi, issues)?;
    let unit = if villi {
        Unit {
            raw: ext_str(node, "printed-unit").unwrap_or("").to_owned(),
            ucum: ext_str(node, "unit-ucum").map(str::to_owned),
        }
    } else {
        let unit = foreign_unit(node, hint.as_deref());
        normalise::check_unit(&unit, issues, || at(node, path));
        unit
    };
    let mut notes: Vec<String> = node
        .get("note")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|n| n.str_at("text"))
        .map(str::to_owned)
        .collect();
    let range = range(node, path, villi, &mut notes, issues);
    let lab_flag = if villi {
        ext_str(node, "lab-flag").map(str::to_owned)
    } else {
        interpretation(node)
    };
    let is_component = path
        .rsplit('.')
        .next()
        .is_some_and(|last| last.starts_with("component["));
    let status = match node.str_at("status") {
        Some(code) => ResultStatus::from_fhir(code).unwrap_or_else(|| {
            issues.push(Issue::new(
                Severity::Warning,
                "fhir.observation.status",
                at(node, &format!("{path}.status")),
                format!("Observation.status {code:?} is not an R4 status code; read as final."),
            ));
            ResultStatus::Final
        }),
        // components carry no status of their own
        None if is_component => ResultStatus::Final,
        None => {
            issues.push(Issue::new(
                Severity::Warning,
                "fhir.observation.status",
                at(node, path),
                "Observation.status is missing; read as final.",
            ));
            ResultStatus::Final
        }
    };
    let method = node.get("method").and_then(|m| {
        m.str_at("text")
            .or_else(|| m.get("coding")?.items().first()?.str_at("display"))
            .or_else(|| m.get("coding")?.items().first()?.str_at("code"))
            .map(Method::parse)
    });
    let panel = if villi {
        ext_str(node, "panel").map(str::to_owned)
    } else {
        panel.map(str::to_owned)
    };
    Some(LabResult {
        marker,
        panel,
        value,
        unit,
        range,
        lab_flag,
        method,
        status,
        notes,
    })
}

fn codings(concept: Option<&Node>) -> &[Node] {
    concept
        .and_then(|c| c.get("coding"))
        .map(Node::items)
        .unwrap_or(&[])
}

fn marker(node: &Node, path: &str, villi: bool, issues: &mut Issues) -> Option<MarkerName> {
    let code_node = node.get("code");
    let codings = codings(code_node);
    let local = codings
        .iter()
        .find(|c| c.str_at("system") == Some(LOCAL_CODE_SYSTEM))
        .and_then(|c| c.str_at("code"));
    if villi {
        let code = ext_node(node, "lab-code")
            .and_then(|e| e.get("valueCoding"))
            .and_then(|c| {
                Some(Code {
                    system: c.str_at("system").map(str::to_owned),
                    code: c.str_at("code")?.to_owned(),
                })
            });
        return Some(MarkerName {
            printed: ext_str(node, "printed-name").unwrap_or("").to_owned(),
            code,
            marker_id: local.map(str::to_owned),
        });
    }
    let first = codings
        .iter()
        .find(|c| c.str_at("system") != Some(LOCAL_CODE_SYSTEM));
    let printed = code_node
        .and_then(|c| c.str_at("text"))
        .or_else(|| first.and_then(|c| c.str_at("display")))
        .or_else(|| first.and_then(|c| c.str_at("code")))
        .unwrap_or("")
        .trim();
    if printed.is_empty() {
        issues.push(
            Issue::new(
                Severity::Error,
                "fhir.observation.no_code",
                at(node, &format!("{path}.code")),
                "The Observation has no code or name, so its result cannot be attributed to a marker.",
            )
            .rejecting(format!("Observation at {path}")),
        );
        return None;
    }
    let chosen = codings
        .iter()
        .find(|c| c.str_at("system") == Some(normalise::LOINC))
        .or(first);
    let code = chosen.and_then(|c| {
        Some(Code {
            system: c.str_at("system").and_then(normalise::system),
            code: c.str_at("code")?.to_owned(),
        })
    });
    if let Some(id) = local.filter(|id| Catalogue::embedded().marker(id).is_some()) {
        return Some(MarkerName {
            printed: printed.to_owned(),
            code,
            marker_id: Some(id.to_owned()),
        });
    }
    Some(normalise::marker(code, printed, issues, || {
        at(node, &format!("{path}.code"))
    }))
}

fn number(q: &Node) -> Option<Decimal> {
    match &q.get("value")?.value {
        Value::Number(text) => Decimal::parse(text),
        _ => None,
    }
}

fn reject(node: &Node, path: &str, what: &str, issues: &mut Issues) {
    issues.push(
        Issue::new(
            Severity::Error,
            "fhir.observation.value",
            at(node, path),
            what.to_owned(),
        )
        .rejecting(format!("Observation value at {path}")),
    );
}

fn value(
    node: &Node,
    path: &str,
    villi: bool,
    issues: &mut Issues,
) -> Option<(ResultValue, Option<String>)> {
    let printed = |fallback: String| {
        if villi {
            ext_str(node, "printed-value").unwrap_or("").to_owned()
        } else {
            fallback
        }
    };
    if let Some(q) = node.get("valueQuantity") {
        let p = format!("{path}.valueQuantity");
        let Some(number) = number(q) else {
            reject(
                q,
                &p,
                "valueQuantity.value is missing or not a number.",
                issues,
            );
            return None;
        };
        let comparator = match q.str_at("comparator") {
            None => None,
            Some(c) => match Comparator::parse_prefix(c) {
                Some((cmp, "")) => Some(cmp),
                _ => {
                    reject(
                        q,
                        &format!("{p}.comparator"),
                        "valueQuantity.comparator is not <, <=, >= or >.",
                        issues,
                    );
                    return None;
                }
            },
        };
        let raw = format!("{}{number}", comparator.map_or("", Comparator::symbol));
        return Some((
            ResultValue::structured(printed(raw), ValueKind::Quantity { comparator, number }),
            None,
        ));
    }
    if let Some(range) = node.get("valueRange") {
        let low = range.get("low").and_then(number);
        let high = range.get("high").and_then(number);
        let (Some(low), Some(high)) = (low, high) else {
            reject(
                range,
                &format!("{path}.valueRange"),
                "valueRange needs a numeric low and high.",
                issues,
            );
            return None;
        };
        let raw = format!("{low}-{high}");
        return Some((
            ResultValue::structured(printed(raw), ValueKind::Range { low, high }),
            None,
        ));
    }
    if let Some(ratio) = node.get("valueRatio") {
        let n = ratio.get("numerator").and_then(number);
        let d = ratio.get("denominator").and_then(number);
        let (Some(numerator), Some(denominator)) = (n, d) else {
            reject(
                ratio,
                &format!("{path}.valueRatio"),
                "valueRatio needs a numeric numerator and denominator.",
                issues,
            );
            return None;
        };
        let raw = format!("{numerator}:{denominator}");
        let kind = ValueKind::Ratio {
            numerator,
            denominator,
        };
        return Some((ResultValue::structured(printed(raw), kind), None));
    }
    if let Some(concept) = node.get("valueCodeableConcept") {
        let codes = codings(Some(concept));
        let from_code = |system: &str, read: fn(&str) -> Option<Qualitative>| {
            codes
                .iter()
                .filter(|c| c.str_at("system") == Some(system))
                .find_map(|c| c.str_at("code").and_then(read))
        };
        let text = concept
            .str_at("text")
            .or_else(|| codes.first().and_then(|c| c.str_at("display")))
            .or_else(|| codes.first().and_then(|c| c.str_at("code")))
            .unwrap_or("");
        let reading = from_code(QUALITATIVE_SYSTEM, qualitative::from_key)
            .or_else(|| from_code(SNOMED, qualitative::from_snomed))
            .or_else(|| {
                if villi {
                    None
                } else {
                    Qualitative::parse(text)
                }
            });
        let kind = reading.map_or(ValueKind::Text, |reading| ValueKind::Qualitative {
            reading,
        });
        return Some((
            ResultValue::structured(printed(text.to_owned()), kind),
            None,
        ));
    }
    if let Some(text) = node.str_at("valueString") {
        if villi {
            return Some((
                ResultValue::structured(printed(String::new()), ValueKind::Text),
                None,
            ));
        }
        return Some(ResultValue::parse(text));
    }
    if let Some(Value::Number(n)) = node.get("valueInteger").map(|v| &v.value)
        && let Some(number) = Decimal::parse(n)
    {
        let kind = ValueKind::Quantity {
            comparator: None,
            number,
        };
        return Some((ResultValue::structured(printed(n.clone()), kind), None));
    }
    if let Some(Value::Bool(b)) = node.get("valueBoolean").map(|v| &v.value) {
        let reading = if *b {
            Qualitative::Positive
        } else {
            Qualitative::Negative
        };
        let kind = ValueKind::Qualitative { reading };
        return Some((ResultValue::structured(printed(b.to_string()), kind), None));
    }
    for other in [
        "valueDateTime",
        "valueTime",
        "valuePeriod",
        "valueSampledData",
        "valueAttachment",
    ] {
        if let Some(v) = node.get(other) {
            let text = v
                .as_str()
                .map_or_else(|| format!("({other})"), str::to_owned);
            issues.push(Issue::new(
                Severity::Warning,
                "fhir.observation.value_type",
                at(v, &format!("{path}.{other}")),
                format!("{other} is not a lab result value villi reads; kept as text."),
            ));
            return Some((
                ResultValue::structured(printed(text), ValueKind::Text),
                None,
            ));
        }
    }
    if node.get("dataAbsentReason").is_none() && !villi {
        issues.push(Issue::new(
            Severity::Warning,
            "fhir.observation.no_value",
            at(node, path),
            "The Observation has no value and no dataAbsentReason; imported without a value.",
        ));
    }
    Some((
        ResultValue::structured(printed(String::new()), ValueKind::Missing),
        None,
    ))
}

fn foreign_unit(node: &Node, hint: Option<&str>) -> Unit {
    let q = node
        .get("valueQuantity")
        .or_else(|| node.get("valueRange").and_then(|r| r.get("low")));
    let Some(q) = q else {
        return hint.map(Unit::parse).unwrap_or_default();
    };
    let text = q.str_at("unit");
    match (q.str_at("system"), q.str_at("code")) {
        (Some(UCUM), Some(code)) => {
            Unit::coded(text.unwrap_or(code), to_ucum(code).unwrap_or(code))
        }
        (_, code) => Unit::parse(text.or(code).unwrap_or("")),
    }
}

fn range(
    node: &Node,
    path: &str,
    villi: bool,
    notes: &mut Vec<String>,
    issues: &mut Issues,
) -> ReferenceRange {
    let ranges = node.get("referenceRange").map(Node::items).unwrap_or(&[]);
    let Some(first) = ranges.first() else {
        return ReferenceRange::absent();
    };
    for (i, extra) in ranges.iter().enumerate().skip(1) {
        let text = extra.str_at("text").unwrap_or("(no text)");
        issues.push(Issue::new(
            Severity::Warning,
            "fhir.observation.several_ranges",
            at(extra, &format!("{path}.referenceRange[{i}]")),
            format!("Only the first referenceRange is used for flags; {text:?} is kept as a note."),
        ));
        notes.push(format!("Other reference range: {text}"));
    }
    if let Some(text) = first.str_at("text") {
        return ReferenceRange::parse(text);
    }
    if villi {
        return ReferenceRange::absent();
    }
    ReferenceRange::from_bounds(
        first.get("low").and_then(number),
        first.get("high").and_then(number),
    )
}

fn interpretation(node: &Node) -> Option<String> {
    let items = node.get("interpretation").map(Node::items).unwrap_or(&[]);
    let flags: Vec<&str> = items
        .iter()
        .filter_map(|concept| {
            codings(Some(concept))
                .first()
                .and_then(|c| c.str_at("code"))
                .or_else(|| concept.str_at("text"))
        })
        .collect();
    (!flags.is_empty()).then(|| flags.join("~"))
}

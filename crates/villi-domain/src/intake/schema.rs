//! The intake's JSON Schema, generated from the Rust types so it cannot
//! drift, and plain descriptions of what a path allows, for error messages.

use std::sync::OnceLock;

use serde_json::Value;

use super::{INTAKE_SCHEMA_VERSION, Intake};

/// JSON Schema (draft 2020-12) of the intake format, as printed by
/// `villi assess --schema`.
pub fn intake_json_schema() -> Value {
    let schema = schemars::schema_for!(Intake);
    let mut value = schema.to_value();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "$id".to_owned(),
            Value::String(format!("villi:intake:v{INTAKE_SCHEMA_VERSION}")),
        );
        obj.insert(
            "description".to_owned(),
            Value::String(
                "A client's intake for villi. Every section is optional; unknown fields are \
                 rejected. See docs/intake-schema.md."
                    .to_owned(),
            ),
        );
        if let Some(props) = obj.get_mut("properties").and_then(|p| p.as_object_mut())
            && let Some(version) = props
                .get_mut("schema_version")
                .and_then(|v| v.as_object_mut())
        {
            version.insert("const".to_owned(), serde_json::json!(INTAKE_SCHEMA_VERSION));
        }
    }
    value
}

fn cached() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(intake_json_schema)
}

/// What the schema allows at a JSON path such as `medications[2].route`, in
/// words; `None` when the path is not in the schema.
pub(super) fn allowed_at(path: &str) -> Option<String> {
    let root = cached();
    let mut node = root;
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        node = resolve(root, node);
        node = node.get("properties")?.get(key)?;
        for _ in indices.matches('[') {
            node = resolve(root, node).get("items")?;
        }
    }
    describe(root, resolve(root, node))
}

/// Follows `$ref` and unwraps `anyOf [X, null]` (an optional field).
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..8 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            match r
                .strip_prefix("#/$defs/")
                .and_then(|name| root.get("$defs")?.get(name))
            {
                Some(target) => node = target,
                None => return node,
            }
        } else if let Some(options) = node.get("anyOf").and_then(Value::as_array) {
            match options
                .iter()
                .find(|o| o.get("type") != Some(&Value::from("null")))
            {
                Some(inner) => node = inner,
                None => return node,
            }
        } else {
            return node;
        }
    }
    node
}

fn describe(root: &Value, node: &Value) -> Option<String> {
    let choices: Vec<String> = match (node.get("enum"), node.get("oneOf")) {
        (Some(Value::Array(values)), _) => values.iter().filter_map(as_word).collect(),
        (_, Some(Value::Array(options))) => options
            .iter()
            .filter_map(|o| o.get("const").and_then(as_word))
            .collect(),
        _ => Vec::new(),
    };
    if !choices.is_empty() {
        return Some(format!("one of {}", choices.join(", ")));
    }
    let kinds: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let range = |what: &str| match (node.get("minimum"), node.get("maximum")) {
        (Some(min), Some(max)) => format!("{what} from {min} to {max}"),
        (None, Some(max)) => format!("{what} up to {max}"),
        (Some(min), None) => format!("{what} of at least {min}"),
        (None, None) => what.to_owned(),
    };
    let text = if kinds.contains(&"integer") {
        range("a whole number")
    } else if kinds.contains(&"number") {
        range("a number")
    } else if kinds.contains(&"boolean") {
        "true or false".to_owned()
    } else if kinds.contains(&"string") {
        match node.get("maxLength") {
            Some(max) => format!("text of up to {max} characters"),
            None => "text".to_owned(),
        }
    } else if kinds.contains(&"array") {
        let items = node
            .get("items")
            .and_then(|i| describe(root, resolve(root, i)))
            .unwrap_or_else(|| "entries".to_owned());
        match (node.get("minItems"), node.get("maxItems")) {
            (Some(a), Some(b)) if a == b => format!("a list of exactly {a}, each {items}"),
            _ => format!("a list, each {items}"),
        }
    } else if kinds.contains(&"object") {
        let fields: Vec<&String> = node
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().collect())
            .unwrap_or_default();
        format!(
            "an object with fields {}",
            fields
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        return None;
    };
    Some(text)
}

fn as_word(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

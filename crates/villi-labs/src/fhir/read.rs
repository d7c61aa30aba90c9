//! Reading FHIR R4 JSON: Bundles of any common type and bare resources.
//!
//! DiagnosticReports are followed to their Observations through contained
//! (`#id`), relative (`Observation/123`), absolute
//! (`https://host/fhir/Observation/123`) and `urn:uuid:` references.
//! Observations no report points to are imported too, and said so.

use std::collections::{BTreeSet, HashMap, HashSet};

use villi_domain::labs::{LabDate, LabReport};

use super::json::{self, Node};
use super::observation::{self, at, ext_all, ext_str};
use crate::import::Parsed;
use crate::issue::{Issue, Issues, Location, Severity};
use crate::text;

const BUNDLE_TYPES: [&str; 9] = [
    "collection",
    "transaction",
    "searchset",
    "document",
    "batch",
    "message",
    "history",
    "transaction-response",
    "batch-response",
];
/// How deep `hasMember` chains are followed.
const MAX_MEMBER_DEPTH: usize = 8;

struct Resource<'a> {
    node: &'a Node,
    path: String,
}

struct Walk<'a> {
    resources: Vec<Resource<'a>>,
    by_key: HashMap<String, usize>,
    used: HashSet<usize>,
    report: LabReport,
    issues: Issues,
    header_read: bool,
}

/// Parses FHIR JSON bytes. Never panics; every problem becomes an issue.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut issues = Issues::default();
    let text = text::decode(bytes, &mut issues);
    let root = match json::parse(&text) {
        Ok(root) => root,
        Err(e) => {
            issues.push(Issue::new(
                Severity::Fatal,
                "fhir.json.syntax",
                Location::Json {
                    path: "$".into(),
                    line: e.line,
                    column: e.column,
                },
                format!("The file is not valid JSON: {}.", e.message),
            ));
            return Parsed {
                report: None,
                issues,
            };
        }
    };
    let mut walk = Walk {
        resources: Vec::new(),
        by_key: HashMap::new(),
        used: HashSet::new(),
        report: LabReport::default(),
        issues,
        header_read: false,
    };
    match root.str_at("resourceType") {
        Some("Bundle") => walk.bundle(&root),
        Some("DiagnosticReport" | "Observation") => {
            walk.add(&root, "$".into(), None);
            walk.run();
        }
        other => {
            walk.issues.push(Issue::new(
                Severity::Fatal,
                "fhir.resource_type",
                at(&root, "$.resourceType"),
                format!(
                    "Expected a Bundle, DiagnosticReport or Observation, found {}.",
                    other.map_or("no resourceType".to_owned(), |t| format!("{t:?}"))
                ),
            ));
            return Parsed {
                report: None,
                issues: walk.issues,
            };
        }
    }
    Parsed {
        report: Some(walk.report),
        issues: walk.issues,
    }
}

impl<'a> Walk<'a> {
    fn bundle(&mut self, root: &'a Node) {
        match root.str_at("type") {
            Some(t) if BUNDLE_TYPES.contains(&t) => {}
            other => self.issues.push(Issue::new(
                Severity::Warning,
                "fhir.bundle.type",
                at(root, "$.type"),
                format!("Bundle.type {other:?} is unusual; its entries were read anyway."),
            )),
        }
        for (i, entry) in root
            .get("entry")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let Some(resource) = entry.get("resource") else {
                continue;
            };
            self.add(
                resource,
                format!("$.entry[{i}].resource"),
                entry.str_at("fullUrl"),
            );
        }
        self.run();
    }

    fn add(&mut self, node: &'a Node, path: String, full_url: Option<&'a str>) {
        let index = self.resources.len();
        if let Some(url) = full_url {
            self.by_key.insert(url.to_owned(), index);
        }
        if let (Some(kind), Some(id)) = (node.str_at("resourceType"), node.str_at("id")) {
            self.by_key.entry(format!("{kind}/{id}")).or_insert(index);
        }
        self.resources.push(Resource { node, path });
    }

    fn run(&mut self) {
        let mut ignored = BTreeSet::new();
        let reports: Vec<usize> = (0..self.resources.len())
            .filter(|&i| self.resources[i].node.str_at("resourceType") == Some("DiagnosticReport"))
            .collect();
        if reports.len() > 1 {
            self.issues.push(Issue::new(
                Severity::Warning,
                "fhir.several_reports",
                Location::File,
                format!("{} DiagnosticReports were read into one report; check they belong to one specimen.", reports.len()),
            ));
        }
        for &i in &reports {
            self.diagnostic_report(i);
        }
        for i in 0..self.resources.len() {
            let Resource { node, path } = &self.resources[i];
            let (node, path) = (*node, path.clone());
            match node.str_at("resourceType") {
                Some("Observation") if !self.used.contains(&i) => {
                    if !reports.is_empty() {
                        self.issues.push(Issue::new(
                            Severity::Info,
                            "fhir.observation.unreferenced",
                            at(node, &path),
                            "No DiagnosticReport refers to this Observation; it was imported with the others.",
                        ));
                    }
                    if !self.header_read {
                        self.observation_header(node, &path);
                    }
                    self.observation_tree(i, None, 0);
                }
                Some("DiagnosticReport" | "Observation" | "Specimen" | "Organization") | None => {}
                Some(other) => {
                    if ignored.insert(other.to_owned()) {
                        let why = if other == "Patient" {
                            "patient identity is not imported; the report is filed under the client you choose"
                        } else {
                            "it is not part of a lab report in villi"
                        };
                        self.issues.push(Issue::new(
                            Severity::Info,
                            "fhir.resource.not_imported",
                            at(node, &path),
                            format!("{other} resource(s) not imported: {why}."),
                        ));
                    }
                }
            }
        }
    }

    /// Resolves a reference made from `from` (for contained `#id`).
    fn resolve(&mut self, reference: &str, from: usize) -> Option<usize> {
        if let Some(id) = reference.strip_prefix('#') {
            let container = self.resources[from].node;
            let base = self.resources[from].path.clone();
            let (k, node) = container
                .get("contained")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .find(|(_, c)| c.str_at("id") == Some(id))?;
            let key = format!("{base}#{id}");
            if let Some(&existing) = self.by_key.get(&key) {
                return Some(existing);
            }
            let index = self.resources.len();
            self.resources.push(Resource {
                node,
                path: format!("{base}.contained[{k}]"),
            });
            self.by_key.insert(key, index);
            return Some(index);
        }
        if let Some(&i) = self.by_key.get(reference) {
            return Some(i);
        }
        // absolute URL: the last Type/id, ignoring a _history suffix
        let parts: Vec<&str> = reference.trim_end_matches('/').split('/').collect();
        let tail = match parts.as_slice() {
            [.., kind, id, "_history", _] | [.., kind, id] => format!("{kind}/{id}"),
            _ => return None,
        };
        self.by_key.get(&tail).copied()
    }

    fn diagnostic_report(&mut self, i: usize) {
        let node = self.resources[i].node;
        let path = self.resources[i].path.clone();
        self.used.insert(i);
        self.report_header(i, node, &path);
        let villi = ext_str(node, "export").is_some();
        let panel = if villi {
            None
        } else {
            node.get("code")
                .and_then(|c| {
                    c.str_at("text")
                        .or_else(|| c.get("coding")?.items().first()?.str_at("display"))
                })
                .map(str::to_owned)
        };
        for (k, item) in node
            .get("result")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let item_path = format!("{path}.result[{k}]");
            let Some(reference) = item.str_at("reference") else {
                self.reject(
                    item,
                    &item_path,
                    "DiagnosticReport.result has no reference.",
                    "(no reference)",
                );
                continue;
            };
            match self.resolve(reference, i) {
                Some(target) if self.resources[target].node.str_at("resourceType") == Some("Observation") => {
                    if self.used.contains(&target) {
                        continue;
                    }
                    self.observation_tree(target, panel.as_deref(), 0);
                }
                _ => self.reject(
                    item,
                    &item_path,
                    &format!("The reference {reference:?} does not resolve to an Observation in this file."),
                    reference,
                ),
            }
        }
    }

    fn reject(&mut self, node: &Node, path: &str, message: &str, what: &str) {
        self.issues.push(
            Issue::new(
                Severity::Error,
                "fhir.reference.unresolved",
                at(node, path),
                message.to_owned(),
            )
            .rejecting(what.to_owned()),
        );
    }

    fn observation_tree(&mut self, i: usize, panel: Option<&str>, depth: usize) {
        if depth > MAX_MEMBER_DEPTH || !self.used.insert(i) {
            return;
        }
        let node = self.resources[i].node;
        let path = self.resources[i].path.clone();
        let members = node.get("hasMember").map(Node::items).unwrap_or(&[]);
        let is_group = !members.is_empty() && !node_has_value(node);
        if !is_group {
            observation::read(
                node,
                &path,
                panel,
                &mut self.issues,
                &mut self.report.results,
            );
        }
        let name = node
            .get("code")
            .and_then(|c| c.str_at("text"))
            .map(str::to_owned);
        let group_panel = name.as_deref().or(panel).map(str::to_owned);
        for (k, member) in members.iter().enumerate() {
            let member_path = format!("{path}.hasMember[{k}]");
            let Some(reference) = member.str_at("reference") else {
                continue;
            };
            match self.resolve(reference, i) {
                Some(target) => self.observation_tree(target, group_panel.as_deref(), depth + 1),
                None => self.reject(
                    member,
                    &member_path,
                    &format!(
                        "hasMember {reference:?} does not resolve to an Observation in this file."
                    ),
                    reference,
                ),
            }
        }
    }

    fn date(&mut self, node: &Node, key: &str, path: &str) -> Option<LabDate> {
        let value = node.get(key)?;
        let text = value.as_str()?;
        let date = LabDate::parse_iso(text);
        if date.is_none() {
            self.issues.push(Issue::new(
                Severity::Warning,
                "fhir.date",
                at(value, &format!("{path}.{key}")),
                format!("{text:?} is not a FHIR date or dateTime; left out."),
            ));
        }
        date
    }

    fn report_header(&mut self, i: usize, node: &'a Node, path: &str) {
        let villi = ext_str(node, "export").is_some();
        let first = !self.header_read;
        self.header_read = true;
        let r = &mut self.report;
        let set = |slot: &mut Option<String>, value: Option<&str>| {
            if slot.is_none() {
                *slot = value.map(str::to_owned);
            }
        };
        if villi {
            set(&mut r.test_name, ext_str(node, "test-name"));
            set(&mut r.test_version, ext_str(node, "test-version"));
            if first {
                r.notes.extend(ext_all(node, "note").map(str::to_owned));
            }
        } else {
            let code = node.get("code");
            let name = code.and_then(|c| {
                c.str_at("text")
                    .or_else(|| c.get("coding")?.items().first()?.str_at("display"))
            });
            set(&mut r.test_name, name);
            if let Some(conclusion) = node.str_at("conclusion") {
                r.notes.push(conclusion.to_owned());
            }
            if node.get("presentedForm").is_some() {
                self.issues.push(Issue::new(
                    Severity::Info,
                    "fhir.presented_form",
                    at(node, &format!("{path}.presentedForm")),
                    "The attached report document is not imported; keep the original alongside.",
                ));
            }
        }
        let r = &mut self.report;
        let identifier = node
            .get("identifier")
            .and_then(|ids| ids.items().first()?.str_at("value"));
        set(&mut r.report_id, identifier);
        let performer = node.get("performer").and_then(|p| p.items().first());
        let lab = performer
            .and_then(|p| p.str_at("display"))
            .map(str::to_owned)
            .or_else(|| {
                let reference = performer?.str_at("reference")?;
                let target = self.resolve(reference, i)?;
                self.resources[target]
                    .node
                    .str_at("name")
                    .map(str::to_owned)
            });
        if self.report.lab.is_none() {
            self.report.lab = lab;
        }
        let collected = self.date(node, "effectiveDateTime", path).or_else(|| {
            self.date(
                node.get("effectivePeriod")?,
                "start",
                &format!("{path}.effectivePeriod"),
            )
        });
        let reported = self
            .date(node, "issued", path)
            .or_else(|| ext_str(node, "reported").and_then(LabDate::parse_iso));
        let specimen = node
            .get("specimen")
            .and_then(|s| s.items().first()?.str_at("reference"))
            .and_then(|reference| self.resolve(reference, i));
        let (kind, received) = match specimen {
            Some(s) => {
                let sp = self.resources[s].node;
                let sp_path = self.resources[s].path.clone();
                let kind = sp.get("type").and_then(|t| {
                    t.str_at("text")
                        .or_else(|| t.get("coding")?.items().first()?.str_at("display"))
                        .map(str::to_owned)
                });
                (kind, self.date(sp, "receivedTime", &sp_path))
            }
            None => (None, None),
        };
        let r = &mut self.report;
        r.collected = r.collected.take().or(collected);
        r.reported = r.reported.take().or(reported);
        r.received = r.received.take().or(received);
        r.specimen = r.specimen.take().or(kind);
    }

    /// A bare Observation (or a bundle without reports) gives the header.
    fn observation_header(&mut self, node: &Node, path: &str) {
        self.header_read = true;
        self.report.collected = self.date(node, "effectiveDateTime", path);
        self.report.reported = self.date(node, "issued", path);
        self.report.lab = node
            .get("performer")
            .and_then(|p| p.items().first()?.str_at("display"))
            .map(str::to_owned);
    }
}

fn node_has_value(node: &Node) -> bool {
    match &node.value {
        json::Value::Object(members) => members.iter().any(|(k, _)| k.starts_with("value")),
        _ => false,
    }
}

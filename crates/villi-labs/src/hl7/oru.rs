//! Walking ORU^R01 messages into one report.
//!
//! Each OBR group becomes a panel; OBX segments become results; NTE
//! comments attach to the result, order or message they follow; SPM gives
//! the specimen. Several messages in one file are read into one report, with
//! a warning, since a file normally carries one specimen's results.

use std::collections::BTreeSet;

use villi_domain::labs::{LabDate, LabReport};

use super::escape::decode;
use super::obx;
use super::tokens::{Message, Segment, Separators, component, split};
use crate::import::Parsed;
use crate::issue::{Issue, Issues, Location, Severity};
use crate::text;

/// Where the next NTE belongs.
enum Context {
    Message,
    Order(String),
    Result(usize),
}

#[derive(Default)]
struct Walk {
    report: LabReport,
    sending_facility: Option<String>,
    performer: Option<String>,
    not_imported: BTreeSet<String>,
    panels: BTreeSet<String>,
    first_collected: Option<Option<LabDate>>,
}

/// Parses HL7 v2 bytes. Never panics; every problem becomes an issue.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut issues = Issues::default();
    let text = text::decode(bytes, &mut issues);
    let messages = split(&text, &mut issues);
    if messages.is_empty() {
        issues.push(Issue::new(
            Severity::Fatal,
            "hl7.no_message",
            Location::File,
            "No MSH segment was found: this is not an HL7 v2 message.",
        ));
        return Parsed {
            report: None,
            issues,
        };
    }
    let mut walk = Walk::default();
    if messages.len() > 1 {
        issues.push(Issue::new(
            Severity::Warning,
            "hl7.several_messages",
            Location::File,
            format!(
                "The file holds {} messages; their results were read into one report. Check that they belong to one specimen.",
                messages.len()
            ),
        ));
    }
    for message in &messages {
        walk.message(message, &mut issues);
    }
    let Walk {
        mut report,
        sending_facility,
        performer,
        panels,
        ..
    } = walk;
    report.lab = performer.or(sending_facility);
    // one OBR name is the test's name; several are sections of an unnamed test
    if panels.len() == 1 {
        report.test_name = panels.into_iter().next();
    }
    Parsed {
        report: Some(report),
        issues,
    }
}

impl Walk {
    fn message(&mut self, message: &Message<'_>, issues: &mut Issues) {
        let seps = &message.separators;
        let mut context = Context::Message;
        let mut panel: Option<String> = None;
        let mut message_collected: Option<LabDate> = None;
        for seg in &message.segments {
            let text = |n: usize, c: usize| {
                decode(component(seg.field(n), seps, c), seps)
                    .0
                    .trim()
                    .to_owned()
            };
            match seg.name() {
                "MSH" => self.msh(seg, seps, issues),
                "OBR" => {
                    let name = Some(text(4, 2))
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| text(4, 1));
                    let name = if name.is_empty() {
                        "Results".to_owned()
                    } else {
                        name
                    };
                    self.panels.insert(name.clone());
                    let order = Some(text(3, 1))
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| text(2, 1));
                    if !order.is_empty() {
                        self.report.report_id.get_or_insert(order);
                    }
                    let collected = date(seg, 7, seps, issues);
                    if message_collected.is_none() {
                        message_collected.clone_from(&collected);
                    }
                    set_once(&mut self.report.collected, collected);
                    set_once(&mut self.report.received, date(seg, 14, seps, issues));
                    set_once(&mut self.report.reported, date(seg, 22, seps, issues));
                    let source = text(15, 1);
                    if !source.is_empty() {
                        self.report.specimen.get_or_insert(source);
                    }
                    panel = Some(name.clone());
                    context = Context::Order(name);
                }
                "OBX" => {
                    if panel.is_none() {
                        issues.push(Issue::new(
                            Severity::Warning,
                            "hl7.obx.without_obr",
                            seg_location(seg, None),
                            "OBX before any OBR; read as part of the report without a panel.",
                        ));
                    }
                    let performer = text(23, 1);
                    if !performer.is_empty() {
                        self.performer.get_or_insert(performer);
                    }
                    if let Some(result) = obx::read(seg, seps, panel.as_deref(), issues) {
                        self.report.results.push(result);
                        context = Context::Result(self.report.results.len() - 1);
                    }
                }
                "NTE" => {
                    let comment = note(seg, seps);
                    if comment.is_empty() {
                        continue;
                    }
                    match &context {
                        Context::Result(i) => {
                            if let Some(r) = self.report.results.get_mut(*i) {
                                r.notes.push(comment);
                            }
                        }
                        Context::Order(name) => {
                            self.report.notes.push(format!("{name}: {comment}"))
                        }
                        Context::Message => self.report.notes.push(comment),
                    }
                }
                "SPM" => {
                    let specimen = Some(text(4, 2))
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| text(4, 1));
                    if !specimen.is_empty() {
                        self.report.specimen.get_or_insert(specimen);
                    }
                    set_once(&mut self.report.collected, date(seg, 17, seps, issues));
                    set_once(&mut self.report.received, date(seg, 18, seps, issues));
                }
                other => self.not_imported(other, seg, issues),
            }
        }
        match &self.first_collected {
            None => self.first_collected = Some(message_collected),
            Some(first) if *first != message_collected => issues.push(Issue::new(
                Severity::Warning,
                "hl7.messages_disagree",
                seg_location(&message.segments[0], None),
                "This message's collection date differs from the first message's; the results may not belong to one specimen.",
            )),
            Some(_) => {}
        }
    }

    fn msh(&mut self, seg: &Segment<'_>, seps: &Separators, issues: &mut Issues) {
        let facility = decode(component(seg.field(4), seps, 1), seps)
            .0
            .trim()
            .to_owned();
        if !facility.is_empty() {
            self.sending_facility.get_or_insert(facility);
        }
        let kind = component(seg.field(9), seps, 1).trim();
        if !kind.is_empty() && kind != "ORU" && kind != "OUL" {
            issues.push(Issue::new(
                Severity::Warning,
                "hl7.msh.message_type",
                seg_location(seg, Some(9)),
                format!("Message type {kind:?} is not ORU; its OBX segments were read as results."),
            ));
        }
    }

    fn not_imported(&mut self, name: &str, seg: &Segment<'_>, issues: &mut Issues) {
        if !self.not_imported.insert(name.to_owned()) {
            return;
        }
        let why = match name {
            "PID" | "PD1" | "NK1" => {
                "patient identity is not imported; the report is filed under the client you choose"
            }
            "PV1" | "PV2" | "ORC" | "TQ1" | "TQ2" | "CTD" | "FT1" | "CTI" | "SFT" | "EVN"
            | "DSC" => "visit, order and software details are not part of villi's lab report",
            _ => "villi does not read this segment",
        };
        issues.push(Issue::new(
            Severity::Info,
            "hl7.segment.not_imported",
            seg_location(seg, None),
            format!("{name} segment(s) not imported: {why}."),
        ));
    }
}

fn set_once(slot: &mut Option<LabDate>, value: Option<LabDate>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn date(seg: &Segment<'_>, n: usize, seps: &Separators, issues: &mut Issues) -> Option<LabDate> {
    let raw = component(seg.field(n), seps, 1).trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = LabDate::parse_hl7(raw);
    if parsed.is_none() {
        issues.push(Issue::new(
            Severity::Warning,
            "hl7.date",
            seg_location(seg, Some(n)),
            format!("{raw:?} is not an HL7 date/time; left out."),
        ));
    }
    parsed
}

fn note(seg: &Segment<'_>, seps: &Separators) -> String {
    let parts: Vec<String> = seg
        .field(3)
        .split(seps.repetition)
        .map(|r| decode(r, seps).0.trim_end().to_owned())
        .collect();
    parts.join("\n").trim().to_owned()
}

fn seg_location(seg: &Segment<'_>, field: Option<usize>) -> Location {
    Location::Hl7 {
        line: seg.line,
        segment: seg.name().to_owned(),
        field,
        component: None,
    }
}

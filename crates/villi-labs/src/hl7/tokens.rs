//! Splitting HL7 v2 text into messages, segments, fields and components.
//!
//! Lenient where real senders are: segments may end in CR, LF or CRLF; MLLP
//! framing bytes are ignored; blank lines are skipped; a line that does not
//! start a segment continues the previous one (free text wrapped by a
//! sender), and says so. Each segment keeps its line number for issues.

use std::borrow::Cow;

use crate::issue::{Issue, Issues, Location, Severity};

/// The delimiters a message declares in MSH-1 and MSH-2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Separators {
    /// Field separator (`|`).
    pub field: char,
    /// Component separator (`^`).
    pub component: char,
    /// Repetition separator (`~`).
    pub repetition: char,
    /// Escape character (`\`), if the message declares one.
    pub escape: Option<char>,
    /// Subcomponent separator (`&`).
    pub subcomponent: char,
}

impl Separators {
    /// Reads MSH-1 and MSH-2 from an MSH line; `None` when they are unusable.
    fn from_msh(line: &str) -> Option<Separators> {
        let mut chars = line.chars().skip(3);
        let field = chars.next()?;
        let encoding: Vec<char> = chars.take_while(|c| *c != field).collect();
        let component = encoding.first().copied().unwrap_or('^');
        let repetition = encoding.get(1).copied().unwrap_or('~');
        let escape = encoding.get(2).copied();
        let subcomponent = encoding.get(3).copied().unwrap_or('&');
        let all = [
            Some(field),
            Some(component),
            Some(repetition),
            escape,
            Some(subcomponent),
        ];
        let usable = all
            .iter()
            .flatten()
            .all(|c| !c.is_alphanumeric() && !c.is_whitespace());
        let mut distinct: Vec<char> = all.iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let count = all.iter().flatten().count();
        (usable && distinct.len() == count).then_some(Separators {
            field,
            component,
            repetition,
            escape,
            subcomponent,
        })
    }
}

/// One segment with its fields located.
#[derive(Debug)]
pub struct Segment<'a> {
    /// Line in the file where the segment starts.
    pub line: usize,
    /// The segment text (owned only when continuation lines were joined).
    text: Cow<'a, str>,
    /// Byte ranges of the fields; index 0 is the segment name.
    bounds: Vec<(usize, usize)>,
    is_msh: bool,
}

impl<'a> Segment<'a> {
    fn new(line: usize, text: Cow<'a, str>, field_sep: char) -> Segment<'a> {
        let mut segment = Segment {
            line,
            text,
            bounds: Vec::new(),
            is_msh: false,
        };
        segment.locate(field_sep);
        segment
    }

    fn locate(&mut self, field_sep: char) {
        self.bounds.clear();
        self.bounds.reserve(24);
        let mut start = 0;
        if field_sep.is_ascii() {
            // an ASCII byte never occurs inside a multi-byte UTF-8 sequence,
            // so a byte scan finds exactly the separators
            let sep = field_sep as u8;
            for (i, &b) in self.text.as_bytes().iter().enumerate() {
                if b == sep {
                    self.bounds.push((start, i));
                    start = i + 1;
                }
            }
        } else {
            for (i, sep) in self.text.match_indices(field_sep) {
                self.bounds.push((start, i));
                start = i + sep.len();
            }
        }
        self.bounds.push((start, self.text.len()));
        self.is_msh = self.name() == "MSH";
    }

    /// The three-letter segment name.
    pub fn name(&self) -> &str {
        self.text.get(..3).unwrap_or("")
    }

    /// Field `n` in HL7 numbering (MSH-1 is the field separator itself);
    /// empty when absent.
    pub fn field(&self, n: usize) -> &str {
        let index = if self.is_msh {
            if n <= 1 {
                return "";
            }
            n - 1
        } else {
            n
        };
        self.bounds
            .get(index)
            .and_then(|&(a, b)| self.text.get(a..b))
            .unwrap_or("")
    }

    /// The whole segment text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// One message: its separators and segments, MSH first.
#[derive(Debug)]
pub struct Message<'a> {
    /// Delimiters declared in MSH.
    pub separators: Separators,
    /// Segments in order.
    pub segments: Vec<Segment<'a>>,
}

/// Component `n` (1-based) of the first repetition.
pub fn component<'s>(field: &'s str, seps: &Separators, n: usize) -> &'s str {
    components::<8>(field, seps)
        .get(n.saturating_sub(1))
        .copied()
        .unwrap_or("")
}

/// The first `N` components of the first repetition, split once (empty
/// strings for absent ones); results read several components of a field.
pub fn components<'s, const N: usize>(field: &'s str, seps: &Separators) -> [&'s str; N] {
    let mut out = [""; N];
    if field.is_empty() {
        return out;
    }
    for (slot, part) in out
        .iter_mut()
        .zip(first_repetition(field, seps).split(seps.component))
    {
        *slot = part;
    }
    out
}

/// The first repetition of a field.
pub fn first_repetition<'s>(field: &'s str, seps: &Separators) -> &'s str {
    match field.find(seps.repetition) {
        Some(i) => &field[..i],
        None => field,
    }
}

/// Whether a line starts a segment: three upper-case letters or digits,
/// then the field separator (or the end of the line).
fn starts_segment(line: &str, field_sep: Option<char>) -> bool {
    let b = line.as_bytes();
    if b.len() < 3
        || !b[0].is_ascii_uppercase()
        || !b[1..3]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    match line[3..].chars().next() {
        None => true,
        Some(c) => field_sep.is_none_or(|f| c == f) || matches!(&line[..3], "MSH" | "FHS" | "BHS"),
    }
}

/// Lines of the text with their 1-based numbers; CR, LF, CRLF and MLLP
/// framing bytes all end a line.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut line_no = 1;
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let end = rest
                .bytes()
                .position(|b| matches!(b, b'\r' | b'\n' | 0x0B | 0x1C))
                .unwrap_or(rest.len());
            let line = &rest[..end];
            let this_line = line_no;
            let mut next = end;
            match rest.as_bytes().get(end) {
                Some(b'\r') => {
                    next += 1;
                    if rest.as_bytes().get(next) == Some(&b'\n') {
                        next += 1;
                    }
                    line_no += 1;
                }
                Some(b'\n') => {
                    next += 1;
                    line_no += 1;
                }
                Some(_) => next += 1,
                None => {}
            }
            rest = &rest[next..];
            if !line.trim().is_empty() {
                return Some((this_line, line));
            }
        }
    })
}

/// Splits text into messages. Lines before the first MSH and batch envelope
/// segments are reported, not silently skipped.
pub fn split<'a>(text: &'a str, issues: &mut Issues) -> Vec<Message<'a>> {
    let mut messages: Vec<Message<'a>> = Vec::new();
    let mut current: Option<Message<'a>> = None;
    for (line_no, line) in lines(text) {
        let field_sep = current.as_ref().map(|m| m.separators.field);
        if line.starts_with("MSH") {
            if let Some(done) = current.take() {
                messages.push(done);
            }
            match Separators::from_msh(line) {
                Some(separators) => {
                    current = Some(Message {
                        separators,
                        segments: vec![Segment::new(
                            line_no,
                            Cow::Borrowed(line),
                            separators.field,
                        )],
                    });
                }
                None => issues.push(
                    Issue::new(
                        Severity::Error,
                        "hl7.msh.separators",
                        Location::Hl7 {
                            line: line_no,
                            segment: "MSH".into(),
                            field: Some(2),
                            component: None,
                        },
                        "MSH-1/MSH-2 do not declare usable separators; this message was not read.",
                    )
                    .rejecting(line.chars().take(80).collect::<String>()),
                ),
            }
            continue;
        }
        if starts_segment(line, field_sep) && matches!(&line[..3], "FHS" | "BHS" | "FTS" | "BTS") {
            issues.push(Issue::new(
                Severity::Info,
                "hl7.batch_envelope",
                Location::Hl7 {
                    line: line_no,
                    segment: line[..3].to_owned(),
                    field: None,
                    component: None,
                },
                "Batch envelope segment; the messages inside it are read, the envelope itself is not imported.",
            ));
            continue;
        }
        match current.as_mut() {
            Some(message) if starts_segment(line, field_sep) => {
                message.segments.push(Segment::new(
                    line_no,
                    Cow::Borrowed(line),
                    message.separators.field,
                ));
            }
            Some(message) => {
                let sep = message.separators.field;
                if let Some(last) = message.segments.last_mut() {
                    issues.push(Issue::new(
                        Severity::Warning,
                        "hl7.continuation_line",
                        Location::Hl7 {
                            line: line_no,
                            segment: last.name().to_owned(),
                            field: None,
                            component: None,
                        },
                        format!(
                            "This line does not start a segment; it was read as a continuation of the {} segment on line {}.",
                            last.name(),
                            last.line
                        ),
                    ));
                    let mut joined = last.text.to_string();
                    joined.push('\n');
                    joined.push_str(line);
                    last.text = Cow::Owned(joined);
                    last.locate(sep);
                }
            }
            None => issues.push(
                Issue::new(
                    Severity::Warning,
                    "hl7.before_msh",
                    Location::Hl7 {
                        line: line_no,
                        segment: line.chars().take(3).collect(),
                        field: None,
                        component: None,
                    },
                    "Text before the first MSH segment was not imported.",
                )
                .rejecting(line.chars().take(80).collect::<String>()),
            ),
        }
    }
    if let Some(done) = current {
        messages.push(done);
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_gives_the_same_segments() {
        for sep in ["\r", "\n", "\r\n"] {
            let text = ["MSH|^~\\&|LAB", "PID|1", "OBX|1|NM|X||5"].join(sep);
            let mut issues = Issues::default();
            let messages = split(&text, &mut issues);
            assert_eq!(messages.len(), 1);
            let lines: Vec<usize> = messages[0].segments.iter().map(|s| s.line).collect();
            assert_eq!(lines, vec![1, 2, 3], "{sep:?}");
            assert_eq!(messages[0].segments[2].field(5), "5");
        }
    }

    #[test]
    fn msh_fields_are_numbered_from_the_separator() {
        let mut issues = Issues::default();
        let messages = split("MSH|^~\\&|SENDER|FAC", &mut issues);
        let msh = &messages[0].segments[0];
        assert_eq!(msh.field(2), "^~\\&");
        assert_eq!(msh.field(3), "SENDER");
        assert_eq!(msh.field(4), "FAC");
    }

    #[test]
    fn a_wrapped_line_continues_its_segment_and_is_reported() {
        let mut issues = Issues::default();
        let messages = split("MSH|^~\\&|A\rNTE|1||first half\rsecond half\r", &mut issues);
        assert_eq!(messages[0].segments[1].field(3), "first half\nsecond half");
        assert_eq!(issues.finish()[0].code, "hl7.continuation_line");
    }

    #[test]
    fn unusable_separators_reject_the_message() {
        let mut issues = Issues::default();
        let messages = split("MSHA^~\\&|x\r", &mut issues);
        assert!(messages.is_empty());
        assert_eq!(issues.error_count(), 1);
    }
}

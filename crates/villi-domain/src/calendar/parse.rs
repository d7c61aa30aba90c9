//! A small strict iCalendar reader: enough to check what villi writes.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use super::write::MAX_LINE_OCTETS;

/// Why iCalendar text was refused. Lines are counted from 1 as physical
/// lines; a folded property reports the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcsError {
    #[error("line {line}: lines must end with CRLF, found a bare CR or LF")]
    BareLineBreak { line: usize },
    #[error("line {line}: the text does not end with CRLF")]
    MissingFinalLineBreak { line: usize },
    #[error("line {line}: {octets} octets, more than the 75 allowed")]
    LineTooLong { line: usize, octets: usize },
    #[error("line {line}: a continuation line with nothing before it to continue")]
    LeadingContinuation { line: usize },
    #[error("line {line}: empty content line")]
    EmptyLine { line: usize },
    #[error("line {line}: '{name}' is not a property or parameter name")]
    BadName { line: usize, name: String },
    #[error("line {line}: malformed parameter: {detail}")]
    BadParameter { line: usize, detail: &'static str },
    #[error("line {line}: no ':' between the property name and its value")]
    MissingColon { line: usize },
    #[error("line {line}: control character U+{code:04X} in a value")]
    ControlCharacter { line: usize, code: u32 },
    #[error("line {line}: unknown escape '\\{escape}' in text")]
    BadEscape { line: usize, escape: String },
    #[error("line {line}: '{character}' must be escaped in text")]
    Unescaped { line: usize, character: char },
    #[error("line {line}: expected BEGIN:VCALENDAR")]
    NotACalendar { line: usize },
    #[error("line {line}: END:{found} closes {expected}")]
    MismatchedEnd {
        line: usize,
        expected: String,
        found: String,
    },
    #[error("the text ends inside {name}")]
    Unclosed { name: String },
    #[error("line {line}: content after END:VCALENDAR")]
    TrailingContent { line: usize },
    #[error("line {line}: {property} value '{value}' is not valid here")]
    BadValue {
        line: usize,
        property: String,
        value: String,
    },
    #[error("{component} has no {property}")]
    Missing {
        component: &'static str,
        property: &'static str,
    },
    #[error("line {line}: {name} appears more than once")]
    Duplicate { line: usize, name: String },
}

/// A parsed `VCALENDAR`: its own properties and the components inside it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedCalendar {
    pub properties: Vec<Property>,
    pub components: Vec<Component>,
}

/// A component such as `VEVENT`, with any components nested in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Upper case, e.g. `VEVENT`.
    pub name: String,
    pub properties: Vec<Property>,
    pub components: Vec<Component>,
    /// The line of its `BEGIN`, from 1.
    pub line: usize,
}

/// One unfolded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Upper case, e.g. `DTSTART`.
    pub name: String,
    pub params: Vec<Parameter>,
    /// The raw value, escapes still in place; see [`Property::text`].
    pub value: String,
    /// The physical line the property starts on, from 1.
    pub line: usize,
}

/// A property parameter; quoted values are unquoted and RFC 6868 caret
/// escapes decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Upper case, e.g. `CN`.
    pub name: String,
    pub values: Vec<String>,
}

impl ParsedCalendar {
    /// The first calendar-level property called `name` (any case).
    pub fn property(&self, name: &str) -> Option<&Property> {
        find(&self.properties, name)
    }

    /// The `VEVENT` components.
    pub fn events(&self) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(|c| c.name == "VEVENT")
    }
}

impl Component {
    /// The first property called `name` (any case).
    pub fn property(&self, name: &str) -> Option<&Property> {
        find(&self.properties, name)
    }

    /// Every property called `name` (any case).
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> {
        self.properties
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
    }
}

impl Property {
    /// The first value of the parameter called `name` (any case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| p.values.first())
            .map(String::as_str)
    }

    /// The value read as a single TEXT value, escapes undone (RFC 5545
    /// §3.3.11). A bare `;` or `,` is refused: in TEXT they must be escaped.
    pub fn text(&self) -> Result<String, IcsError> {
        let mut out = String::with_capacity(self.value.len());
        let mut chars = self.value.chars();
        while let Some(c) = chars.next() {
            if c == ';' || c == ',' {
                return Err(IcsError::Unescaped {
                    line: self.line,
                    character: c,
                });
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => {
                    return Err(IcsError::BadEscape {
                        line: self.line,
                        escape: other.map(String::from).unwrap_or_default(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The value read as a UTC date-time, `YYYYMMDDTHHMMSSZ`.
    pub fn utc_timestamp(&self) -> Result<Timestamp, IcsError> {
        let bad = || IcsError::BadValue {
            line: self.line,
            property: self.name.clone(),
            value: self.value.clone(),
        };
        let v = self.value.as_bytes();
        let shaped = v.len() == 16
            && v[8] == b'T'
            && v[15] == b'Z'
            && v[..8].iter().chain(&v[9..15]).all(u8::is_ascii_digit);
        if !shaped {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| -> Result<i16, IcsError> {
            self.value
                .get(range)
                .and_then(|s| s.parse().ok())
                .ok_or_else(bad)
        };
        let as_i8 = |n: i16| i8::try_from(n).map_err(|_| bad());
        let dt = DateTime::new(
            num(0..4)?,
            as_i8(num(4..6)?)?,
            as_i8(num(6..8)?)?,
            as_i8(num(9..11)?)?,
            as_i8(num(11..13)?)?,
            as_i8(num(13..15)?)?,
            0,
        )
        .map_err(|_| bad())?;
        Offset::UTC.to_timestamp(dt).map_err(|_| bad())
    }
}

fn find<'a>(properties: &'a [Property], name: &str) -> Option<&'a Property> {
    properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Reads one iCalendar object: CRLF line endings, physical lines of at most
/// 75 octets, folded lines unfolded, components balanced, exactly one
/// `VCALENDAR` with nothing after it.
pub fn parse_ics(text: &str) -> Result<ParsedCalendar, IcsError> {
    let mut stack: Vec<Component> = Vec::new();
    let mut calendar: Option<ParsedCalendar> = None;
    for (line, content) in unfold(text)? {
        let property = content_line(line, &content)?;
        if calendar.is_some() {
            return Err(IcsError::TrailingContent { line });
        }
        let name = property.value.to_ascii_uppercase();
        match property.name.as_str() {
            "BEGIN" => {
                if stack.is_empty() && name != "VCALENDAR" {
                    return Err(IcsError::NotACalendar { line });
                }
                stack.push(Component {
                    name,
                    properties: Vec::new(),
                    components: Vec::new(),
                    line,
                });
            }
            "END" => {
                let open = stack.pop().ok_or(IcsError::NotACalendar { line })?;
                if open.name != name {
                    return Err(IcsError::MismatchedEnd {
                        line,
                        expected: open.name,
                        found: name,
                    });
                }
                match stack.last_mut() {
                    Some(parent) => parent.components.push(open),
                    None => {
                        calendar = Some(ParsedCalendar {
                            properties: open.properties,
                            components: open.components,
                        });
                    }
                }
            }
            _ => match stack.last_mut() {
                Some(open) => open.properties.push(property),
                None => return Err(IcsError::NotACalendar { line }),
            },
        }
    }
    if let Some(open) = stack.pop() {
        return Err(IcsError::Unclosed { name: open.name });
    }
    calendar.ok_or(IcsError::Unclosed {
        name: "VCALENDAR".to_owned(),
    })
}

/// Splits on CRLF and joins folded lines; yields (first line number, text).
fn unfold(text: &str) -> Result<Vec<(usize, String)>, IcsError> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut rest = text;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let Some(end) = rest.find("\r\n") else {
            return Err(IcsError::MissingFinalLineBreak { line: number });
        };
        let physical = &rest[..end];
        rest = &rest[end + 2..];
        if physical.contains(['\r', '\n']) {
            return Err(IcsError::BareLineBreak { line: number });
        }
        if physical.len() > MAX_LINE_OCTETS {
            return Err(IcsError::LineTooLong {
                line: number,
                octets: physical.len(),
            });
        }
        if let Some(continued) = physical.strip_prefix([' ', '\t']) {
            let (_, open) = logical
                .last_mut()
                .ok_or(IcsError::LeadingContinuation { line: number })?;
            open.push_str(continued);
        } else if physical.is_empty() {
            return Err(IcsError::EmptyLine { line: number });
        } else {
            logical.push((number, physical.to_owned()));
        }
    }
    Ok(logical)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Splits `NAME;PARAM=VALUE:value` into a property.
fn content_line(line: usize, text: &str) -> Result<Property, IcsError> {
    let name_end = text
        .find([';', ':'])
        .ok_or(IcsError::MissingColon { line })?;
    let name = checked_name(line, &text[..name_end])?;
    let mut rest = &text[name_end..];
    let mut params = Vec::new();
    while let Some(after) = rest.strip_prefix(';') {
        let (param, remaining) = parameter(line, after)?;
        params.push(param);
        rest = remaining;
    }
    let value = rest
        .strip_prefix(':')
        .ok_or(IcsError::MissingColon { line })?;
    if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\t') {
        return Err(IcsError::ControlCharacter {
            line,
            code: u32::from(c),
        });
    }
    Ok(Property {
        name,
        params,
        value: value.to_owned(),
        line,
    })
}

fn checked_name(line: usize, name: &str) -> Result<String, IcsError> {
    if name.is_empty() || !name.chars().all(is_name_char) {
        return Err(IcsError::BadName {
            line,
            name: name.to_owned(),
        });
    }
    Ok(name.to_ascii_uppercase())
}

/// Reads `NAME=value[,value...]` up to the next `;` or `:` outside quotes.
fn parameter(line: usize, text: &str) -> Result<(Parameter, &str), IcsError> {
    let bad = |detail| IcsError::BadParameter { line, detail };
    let eq = text.find('=').ok_or(bad("no '=' after the name"))?;
    let name = checked_name(line, &text[..eq])?;
    let mut rest = &text[eq + 1..];
    let mut values = Vec::new();
    loop {
        let (value, remaining) = if let Some(quoted) = rest.strip_prefix('"') {
            let close = quoted.find('"').ok_or(bad("unterminated quoted value"))?;
            (&quoted[..close], &quoted[close + 1..])
        } else {
            let end = rest.find([';', ':', ',', '"']).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(bad("control character in a value"));
        }
        values.push(caret_decode(value));
        match remaining.strip_prefix(',') {
            Some(next) => rest = next,
            None if remaining.starts_with([';', ':']) => {
                return Ok((Parameter { name, values }, remaining));
            }
            None => return Err(bad("a value must end at ',', ';' or ':'")),
        }
    }
}

/// Undoes RFC 6868 escapes; as that RFC asks, a `^` before any other
/// character is kept as written.
fn caret_decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let decoded = match (c, chars.peek()) {
            ('^', Some('^')) => '^',
            ('^', Some('\'')) => '"',
            ('^', Some('n')) => '\n',
            _ => {
                out.push(c);
                continue;
            }
        };
        chars.next();
        out.push(decoded);
    }
    out
}

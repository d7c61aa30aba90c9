//! Writing iCalendar text.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::Offset;

use super::{Invite, Method};

/// The most octets a content line may hold before its CRLF (RFC 5545 §3.1).
pub(super) const MAX_LINE_OCTETS: usize = 75;

/// The invite as an iCalendar object, CRLF line endings, folded.
pub fn to_ics(invite: &Invite) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "PRODID:-//villi//villi booking//EN".to_owned(),
        "VERSION:2.0".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{}", invite.method.as_str()),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", escape_text(&invite.uid)),
        format!("SEQUENCE:{}", invite.sequence),
        format!("DTSTAMP:{}", utc(invite.stamp)),
        format!("DTSTART:{}", utc(invite.start)),
        format!("DTEND:{}", utc(invite.end)),
        format!("SUMMARY:{}", escape_text(&invite.summary)),
    ];
    if let Some(description) = &invite.description {
        lines.push(format!("DESCRIPTION:{}", escape_text(description)));
    }
    if let Some(url) = &invite.location_url {
        lines.push(format!("LOCATION:{}", escape_text(url)));
        // URL is a URI, not text: it is written as given, minus anything
        // that could break the line.
        lines.push(format!(
            "URL:{}",
            url.chars().filter(|c| !c.is_control()).collect::<String>()
        ));
    }
    lines.push(format!(
        "ORGANIZER;CN={}:mailto:{}",
        quote_param(&invite.organizer_name),
        address(&invite.organizer_email)
    ));
    // Nobody is asked to reply to a cancellation.
    let rsvp = match invite.method {
        Method::Request => "TRUE",
        Method::Cancel => "FALSE",
    };
    lines.push(format!(
        "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;RSVP={rsvp}:mailto:{}",
        quote_param(&invite.attendee_name),
        address(&invite.attendee_email)
    ));
    lines.push(format!("STATUS:{}", invite.method.status()));
    lines.push("TRANSP:OPAQUE".to_owned());
    lines.push("END:VEVENT".to_owned());
    lines.push("END:VCALENDAR".to_owned());

    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

/// `YYYYMMDDTHHMMSSZ`, whole seconds. (Years before 1 have no such form;
/// no booking is made for them.)
fn utc(instant: Timestamp) -> String {
    let t = Offset::UTC.to_datetime(instant);
    let mut out = String::with_capacity(16);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    out
}

/// Keeps what iCalendar text may hold: tab, newline and printable text.
fn printable(c: char) -> bool {
    c == '\t' || c == '\n' || !c.is_control()
}

/// A TEXT value (RFC 5545 §3.3.11).
pub(super) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| printable(*c)) {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// A quoted parameter value with RFC 6868 caret escapes.
fn quote_param(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars().filter(|c| printable(*c)) {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\n' => out.push_str("^n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An e-mail address for a `mailto:` URI; whitespace and controls would end
/// or break the line, so they are dropped.
fn address(email: &str) -> String {
    email
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Appends `line` folded to at most 75 octets per physical line, each ended
/// by CRLF; continuation lines start with one space, which counts.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        let mut cut = rest.len().min(limit);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        out.push_str(head);
        out.push_str("\r\n");
        if tail.is_empty() {
            break;
        }
        out.push(' ');
        rest = tail;
        limit = MAX_LINE_OCTETS - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    #[test]
    fn a_short_line_is_not_folded() {
        assert_eq!(folded("SUMMARY:hi"), "SUMMARY:hi\r\n");
    }

    #[test]
    fn a_line_of_exactly_75_octets_is_not_folded() {
        let line = format!("SUMMARY:{}", "a".repeat(67));
        assert_eq!(line.len(), 75);
        assert_eq!(folded(&line), format!("{line}\r\n"));
    }

    #[test]
    fn a_long_line_folds_at_75_then_74_octets_plus_the_space() {
        let line = format!("SUMMARY:{}", "a".repeat(200));
        let out = folded(&line);
        let physical: Vec<&str> = out.split_terminator("\r\n").collect();
        assert_eq!(physical[0].len(), 75);
        assert_eq!(physical[1].len(), 75);
        assert!(physical[1].starts_with(' '));
        assert_eq!(physical.concat().replace(' ', "").len(), line.len());
    }

    #[test]
    fn folding_steps_back_rather_than_split_a_character() {
        // 'é' is two octets; after "SUMMARY:" (8) and 66 'a' (74) the next
        // 'é' would end at octet 76, so it moves whole to the next line.
        let line = format!("SUMMARY:{}é", "a".repeat(66));
        let out = folded(&line);
        assert_eq!(out, format!("SUMMARY:{}\r\n é\r\n", "a".repeat(66)));
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_newline() {
        assert_eq!(escape_text("a\\b;c,d\ne:f"), "a\\\\b\\;c\\,d\\ne:f");
    }

    #[test]
    fn text_drops_carriage_returns_and_other_controls() {
        assert_eq!(escape_text("a\r\nb\u{7}c\td"), "a\\nbc\td");
    }

    #[test]
    fn names_are_quoted_with_caret_escapes() {
        assert_eq!(quote_param("O\"Neil ^ \nx;y:z"), "\"O^'Neil ^^ ^nx;y:z\"");
    }

    #[test]
    fn utc_times_have_the_basic_form() {
        let t: Timestamp = "2025-03-30T00:59:59.75Z".parse().unwrap();
        assert_eq!(utc(t), "20250330T005959Z");
    }
}

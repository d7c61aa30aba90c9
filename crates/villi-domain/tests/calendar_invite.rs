//! The iCalendar text of booking invites and the strict reader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use villi_domain::calendar::{IcsError, Invite, Method, parse_ics, parse_invite, to_ics};

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn invite() -> Invite {
    Invite {
        uid: "b-42@clinic.example".to_owned(),
        sequence: 0,
        method: Method::Request,
        start: ts("2025-03-30T00:30:00Z"),
        end: ts("2025-03-30T00:45:00Z"),
        summary: "Discovery call with Gut Feeling Nutrition".to_owned(),
        description: Some("Join from the link; reschedule from your e-mail.".to_owned()),
        organizer_name: "Ana Ruiz".to_owned(),
        organizer_email: "ana@clinic.example".to_owned(),
        attendee_name: "Sam Lee".to_owned(),
        attendee_email: "sam@example.org".to_owned(),
        location_url: Some("https://meet.example/abc".to_owned()),
        stamp: ts("2025-03-01T09:15:00Z"),
    }
}

#[test]
fn an_invite_is_written_as_rfc_5545_text_with_crlf_endings() {
    let expected = [
        "BEGIN:VCALENDAR",
        "PRODID:-//villi//villi booking//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "UID:b-42@clinic.example",
        "SEQUENCE:0",
        "DTSTAMP:20250301T091500Z",
        "DTSTART:20250330T003000Z",
        "DTEND:20250330T004500Z",
        "SUMMARY:Discovery call with Gut Feeling Nutrition",
        "DESCRIPTION:Join from the link\\; reschedule from your e-mail.",
        "LOCATION:https://meet.example/abc",
        "URL:https://meet.example/abc",
        "ORGANIZER;CN=\"Ana Ruiz\":mailto:ana@clinic.example",
        "ATTENDEE;CN=\"Sam Lee\";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:sam@example.org",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    assert_eq!(to_ics(&invite()), expected);
}

#[test]
fn a_cancellation_keeps_the_uid_and_says_cancelled() {
    let cancel = Invite {
        method: Method::Cancel,
        sequence: 1,
        ..invite()
    };
    let text = to_ics(&cancel);
    assert!(text.contains("\r\nMETHOD:CANCEL\r\n"));
    assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"));
    assert!(text.contains("\r\nSEQUENCE:1\r\n"));
    assert!(text.contains("\r\nUID:b-42@clinic.example\r\n"));
    let calendar = parse_ics(&text).unwrap();
    let attendee = calendar
        .events()
        .next()
        .unwrap()
        .property("ATTENDEE")
        .unwrap();
    assert_eq!(
        attendee.param("RSVP"),
        Some("FALSE"),
        "nobody replies to a cancellation"
    );
    assert_eq!(parse_invite(&text), Ok(cancel));
}

#[test]
fn optional_fields_are_left_out_when_absent() {
    let bare = Invite {
        description: None,
        location_url: None,
        ..invite()
    };
    let text = to_ics(&bare);
    assert!(!text.contains("DESCRIPTION"));
    assert!(!text.contains("LOCATION"));
    assert!(!text.contains("URL:"));
    assert_eq!(parse_invite(&text), Ok(bare));
}

#[test]
fn names_with_commas_semicolons_quotes_and_accents_survive_a_round_trip() {
    let odd = Invite {
        attendee_name: "Lee, Sam; \"Sammy\" Ødegård\nsecond line".to_owned(),
        organizer_name: "Dr. Ana Ruiz: RD ^ lead".to_owned(),
        summary: "Discovery call with Café, Tea & Gut; Ltd.".to_owned(),
        ..invite()
    };
    let text = to_ics(&odd);
    assert!(text.contains("CN=\"Lee, Sam; ^'Sammy^' Ødegård^nsecond line\""));
    assert!(text.contains("SUMMARY:Discovery call with Café\\, Tea & Gut\\; Ltd."));
    assert_eq!(parse_invite(&text), Ok(odd));
}

#[test]
fn a_long_description_is_folded_and_read_back_whole() {
    let long = Invite {
        description: Some("Ça va très bien, merci — ".repeat(12)),
        ..invite()
    };
    let text = to_ics(&long);
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert!(lines.iter().all(|l| l.len() <= 75));
    assert!(lines.iter().filter(|l| l.starts_with(' ')).count() >= 4);
    assert_eq!(parse_invite(&text), Ok(long));
}

#[test]
fn fractions_of_a_second_are_dropped() {
    let precise = Invite {
        start: ts("2025-03-30T00:30:00.9Z"),
        ..invite()
    };
    assert_eq!(
        parse_invite(&to_ics(&precise)).unwrap().start,
        invite().start
    );
}

#[test]
fn the_reader_exposes_properties_and_parameters() {
    let calendar = parse_ics(&to_ics(&invite())).unwrap();
    assert_eq!(calendar.property("version").unwrap().value, "2.0");
    let event = calendar.events().next().unwrap();
    let attendee = event.property("ATTENDEE").unwrap();
    assert_eq!(attendee.param("cn"), Some("Sam Lee"));
    assert_eq!(attendee.param("RSVP"), Some("TRUE"));
    assert_eq!(attendee.line, 17);
    assert_eq!(
        event.property("DTSTART").unwrap().utc_timestamp(),
        Ok(ts("2025-03-30T00:30:00Z"))
    );
}

fn lines(lines: &[&str]) -> String {
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text
}

#[test]
fn bare_line_feeds_are_refused_with_their_line() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\nEND:VCALENDAR\r\n";
    assert_eq!(parse_ics(text), Err(IcsError::BareLineBreak { line: 2 }));
}

#[test]
fn text_without_a_final_crlf_is_refused() {
    let text = "BEGIN:VCALENDAR\r\nEND:VCALENDAR";
    assert_eq!(
        parse_ics(text),
        Err(IcsError::MissingFinalLineBreak { line: 2 })
    );
}

#[test]
fn overlong_lines_are_refused() {
    let long = format!("SUMMARY:{}", "x".repeat(68));
    let text = lines(&["BEGIN:VCALENDAR", &long, "END:VCALENDAR"]);
    assert_eq!(
        parse_ics(&text),
        Err(IcsError::LineTooLong {
            line: 2,
            octets: 76
        })
    );
}

#[test]
fn unbalanced_components_are_refused() {
    let text = lines(&["BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VCALENDAR"]);
    assert_eq!(
        parse_ics(&text),
        Err(IcsError::MismatchedEnd {
            line: 3,
            expected: "VEVENT".to_owned(),
            found: "VCALENDAR".to_owned()
        })
    );
    let open = lines(&["BEGIN:VCALENDAR", "BEGIN:VEVENT"]);
    assert_eq!(
        parse_ics(&open),
        Err(IcsError::Unclosed {
            name: "VEVENT".to_owned()
        })
    );
    let other = lines(&["BEGIN:VCARD", "END:VCARD"]);
    assert_eq!(parse_ics(&other), Err(IcsError::NotACalendar { line: 1 }));
    let after = lines(&["BEGIN:VCALENDAR", "END:VCALENDAR", "X-MORE:1"]);
    assert_eq!(
        parse_ics(&after),
        Err(IcsError::TrailingContent { line: 3 })
    );
}

#[test]
fn malformed_content_lines_are_refused_with_their_line() {
    let cases = [
        ("SUMMARY no colon", IcsError::MissingColon { line: 2 }),
        (
            "SUM MARY:x",
            IcsError::BadName {
                line: 2,
                name: "SUM MARY".to_owned(),
            },
        ),
        (
            "ATTENDEE;CN=\"open:mailto:a@b",
            IcsError::BadParameter {
                line: 2,
                detail: "unterminated quoted value",
            },
        ),
        (
            "ATTENDEE;CN:mailto:a@b",
            IcsError::BadParameter {
                line: 2,
                detail: "no '=' after the name",
            },
        ),
        (
            "SUMMARY:bell\u{7}",
            IcsError::ControlCharacter { line: 2, code: 7 },
        ),
    ];
    for (line, error) in cases {
        let text = lines(&["BEGIN:VCALENDAR", line, "END:VCALENDAR"]);
        assert_eq!(parse_ics(&text), Err(error), "{line}");
    }
}

#[test]
fn unknown_text_escapes_are_refused() {
    let text = lines(&["BEGIN:VCALENDAR", "SUMMARY:a\\tb", "END:VCALENDAR"]);
    let calendar = parse_ics(&text).unwrap();
    assert_eq!(
        calendar.property("SUMMARY").unwrap().text(),
        Err(IcsError::BadEscape {
            line: 2,
            escape: "t".to_owned()
        })
    );
}

#[test]
fn a_bare_comma_or_semicolon_in_text_is_refused() {
    let text = lines(&[
        "BEGIN:VCALENDAR",
        "SUMMARY:a\\,b",
        "DESCRIPTION:a,b",
        "END:VCALENDAR",
    ]);
    let calendar = parse_ics(&text).unwrap();
    assert_eq!(
        calendar.property("SUMMARY").unwrap().text(),
        Ok("a,b".to_owned())
    );
    assert_eq!(
        calendar.property("DESCRIPTION").unwrap().text(),
        Err(IcsError::Unescaped {
            line: 3,
            character: ','
        })
    );
}

#[test]
fn an_invite_whose_status_contradicts_its_method_is_refused() {
    let text = to_ics(&invite()).replace("STATUS:CONFIRMED", "STATUS:CANCELLED");
    assert!(matches!(
        parse_invite(&text),
        Err(IcsError::BadValue { line: 18, .. })
    ));
}

#[test]
fn an_invite_with_two_attendees_is_refused() {
    let text = to_ics(&invite()).replace(
        "STATUS:CONFIRMED",
        "ATTENDEE;CN=\"X\":mailto:x@example.org\r\nSTATUS:CONFIRMED",
    );
    assert!(matches!(
        parse_invite(&text),
        Err(IcsError::Duplicate { line: 18, .. })
    ));
}

#[test]
fn a_calendar_with_two_events_is_not_one_invite() {
    let text = to_ics(&invite());
    let event_at = text.find("BEGIN:VEVENT").unwrap();
    let event_end = text.find("END:VCALENDAR").unwrap();
    let twice = format!("{}{}", &text[..event_end], &text[event_at..]);
    let lines: Vec<&str> = twice.split_terminator("\r\n").collect();
    let second_begin = lines.iter().rposition(|l| *l == "BEGIN:VEVENT").unwrap() + 1;
    assert_eq!(
        parse_invite(&twice),
        Err(IcsError::Duplicate {
            line: second_begin,
            name: "VEVENT".to_owned()
        })
    );
}

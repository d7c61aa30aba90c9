//! Properties of invite writing and reading.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use proptest::prelude::*;
use villi_domain::calendar::{Invite, Method, parse_ics, parse_invite, to_ics};

const AWKWARD: [char; 14] = [
    ',', ';', ':', '\\', '"', '^', '\n', '\t', ' ', 'é', '€', '😀', 'ß', '中',
];

/// One character from a random number: often one that needs escaping,
/// often any non-control scalar value, otherwise a lowercase letter.
fn pick(n: u32) -> char {
    let rest = n / 8;
    match n % 8 {
        0 | 1 => AWKWARD[rest as usize % AWKWARD.len()],
        2..=4 => char::from_u32(0x20 + rest % 0x10_FFE0)
            .filter(|c| !c.is_control())
            .unwrap_or('?'),
        _ => char::from(b'a' + (rest % 26) as u8),
    }
}

/// Text that iCalendar can carry: anything but control characters other
/// than tab and newline, weighted towards the characters that need escaping.
/// (Drawn as numbers: proptest's character strategies are slow unoptimised.)
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u32>(), 0..max)
        .prop_map(|ns| ns.into_iter().map(pick).collect())
}

fn email() -> impl Strategy<Value = String> {
    "[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\\.[a-z]{2,6}"
}

fn instant() -> impl Strategy<Value = Timestamp> {
    // 1970 to 2200, whole seconds.
    (0_i64..7_258_118_400).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn invite() -> impl Strategy<Value = Invite> {
    (
        (
            text(40),
            any::<u32>(),
            prop_oneof![Just(Method::Request), Just(Method::Cancel)],
        ),
        (instant(), instant(), instant()),
        (text(120), proptest::option::of(text(300))),
        (text(60), email(), text(60), email()),
        proptest::option::of(text(100)),
    )
        .prop_map(|(id, times, words, people, location_url)| {
            let ((uid, sequence, method), (start, end, stamp)) = (id, times);
            let (
                (summary, description),
                (organizer_name, organizer_email, attendee_name, attendee_email),
            ) = (words, people);
            Invite {
                uid,
                sequence,
                method,
                start,
                end,
                summary,
                description,
                organizer_name,
                organizer_email,
                attendee_name,
                attendee_email,
                location_url,
                stamp,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reading_a_written_invite_recovers_every_field(invite in invite()) {
        prop_assert_eq!(parse_invite(&to_ics(&invite)), Ok(invite));
    }

    /// Lines end with CRLF, hold at most 75 octets, and a folded line is cut
    /// no earlier than a UTF-8 character (up to 4 octets) requires.
    #[test]
    fn written_lines_are_folded_at_75_octets_on_character_boundaries(invite in invite()) {
        let text = to_ics(&invite);
        prop_assert!(text.ends_with("\r\n"));
        let physical: Vec<&str> = text.split_terminator("\r\n").collect();
        for (i, line) in physical.iter().enumerate() {
            prop_assert!(!line.contains(['\r', '\n']), "bare line break in {:?}", line);
            prop_assert!(line.len() <= 75, "{} octets: {:?}", line.len(), line);
            let continued = physical.get(i + 1).is_some_and(|next| next.starts_with(' '));
            if continued {
                prop_assert!(line.len() >= 72, "folded early at {} octets: {:?}", line.len(), line);
            }
        }
    }

    #[test]
    fn the_reader_never_panics_on_arbitrary_text(input in "[A-Z:;=,\"\\\\ \r\n\t^a-z0-9é-]{0,400}") {
        let _ = parse_ics(&input);
        let _ = parse_invite(&input);
    }

    /// Damage a valid invite by deleting or duplicating a slice: the reader
    /// may refuse it, but must not panic.
    #[test]
    fn the_reader_never_panics_on_damaged_invites(invite in invite(), at in any::<prop::sample::Index>(), len in 0_usize..40, dup in any::<bool>()) {
        let text = to_ics(&invite);
        let mut start = at.index(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let damaged = if dup {
            format!("{}{}", &text[..end], &text[start..])
        } else {
            format!("{}{}", &text[..start], &text[end..])
        };
        let _ = parse_ics(&damaged);
        let _ = parse_invite(&damaged);
    }
}

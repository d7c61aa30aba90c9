//! Reading an invite back from iCalendar text, for tests and checks.

use super::parse::{Component, IcsError, Property, parse_ics};
use super::{Invite, Method};

const EVENT: &str = "VEVENT";

/// Reads text written by [`to_ics`](super::to_ics) back into an [`Invite`].
///
/// Strict: one `VEVENT`, each field present once, `STATUS` matching
/// `METHOD`, one attendee, `mailto:` addresses. `URL` is not read: the
/// location comes from `LOCATION`.
pub fn parse_invite(text: &str) -> Result<Invite, IcsError> {
    let calendar = parse_ics(text)?;
    let method_line = calendar.property("METHOD").ok_or(IcsError::Missing {
        component: "VCALENDAR",
        property: "METHOD",
    })?;
    let method = match method_line.value.to_ascii_uppercase().as_str() {
        "REQUEST" => Method::Request,
        "CANCEL" => Method::Cancel,
        _ => return Err(bad_value(method_line)),
    };
    match calendar.property("VERSION") {
        Some(v) if v.value == "2.0" => {}
        Some(v) => return Err(bad_value(v)),
        None => {
            return Err(IcsError::Missing {
                component: "VCALENDAR",
                property: "VERSION",
            });
        }
    }
    let mut events = calendar.events();
    let event = events.next().ok_or(IcsError::Missing {
        component: "VCALENDAR",
        property: EVENT,
    })?;
    if let Some(second) = events.next() {
        return Err(IcsError::Duplicate {
            line: second.line,
            name: EVENT.to_owned(),
        });
    }

    let status = once(event, "STATUS")?;
    if !status.value.eq_ignore_ascii_case(method.status()) {
        return Err(bad_value(status));
    }
    let sequence = once(event, "SEQUENCE")?;
    let (organizer_name, organizer_email) = person(once(event, "ORGANIZER")?)?;
    let (attendee_name, attendee_email) = person(once(event, "ATTENDEE")?)?;
    Ok(Invite {
        uid: once(event, "UID")?.text()?,
        sequence: sequence.value.parse().map_err(|_| bad_value(sequence))?,
        method,
        start: once(event, "DTSTART")?.utc_timestamp()?,
        end: once(event, "DTEND")?.utc_timestamp()?,
        summary: once(event, "SUMMARY")?.text()?,
        description: optional(event, "DESCRIPTION")?
            .map(Property::text)
            .transpose()?,
        organizer_name,
        organizer_email,
        attendee_name,
        attendee_email,
        location_url: optional(event, "LOCATION")?
            .map(Property::text)
            .transpose()?,
        stamp: once(event, "DTSTAMP")?.utc_timestamp()?,
    })
}

fn bad_value(property: &Property) -> IcsError {
    IcsError::BadValue {
        line: property.line,
        property: property.name.clone(),
        value: property.value.clone(),
    }
}

/// The property `name`, which must appear exactly once.
fn once<'a>(event: &'a Component, name: &'static str) -> Result<&'a Property, IcsError> {
    optional(event, name)?.ok_or(IcsError::Missing {
        component: EVENT,
        property: name,
    })
}

/// The property `name`, which may appear at most once.
fn optional<'a>(
    event: &'a Component,
    name: &'static str,
) -> Result<Option<&'a Property>, IcsError> {
    let mut found = event.properties_named(name);
    let first = found.next();
    if let Some(again) = found.next() {
        return Err(IcsError::Duplicate {
            line: again.line,
            name: name.to_owned(),
        });
    }
    Ok(first)
}

/// The `CN` and `mailto:` address of an `ORGANIZER` or `ATTENDEE`.
fn person(property: &Property) -> Result<(String, String), IcsError> {
    let value = &property.value;
    let address = value
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .and_then(|_| value.get(7..))
        .ok_or_else(|| bad_value(property))?;
    let name = property.param("CN").unwrap_or_default();
    Ok((name.to_owned(), address.to_owned()))
}

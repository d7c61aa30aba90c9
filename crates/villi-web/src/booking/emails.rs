//! The words of booking emails. They name the practice, the time and the
//! manage link, never anything the visitor told us about their health.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use villi_domain::calendar::{Invite, Method, to_ics};
use villi_store::{Booking, Practitioner};

use super::jobs;
use crate::mail::Email;
use crate::settings::Settings;

/// "Tuesday 3 March 2026, 14:00 (Europe/London)".
pub fn when(start: Timestamp, zone_name: &str) -> String {
    let zone = TimeZone::get(zone_name).unwrap_or(TimeZone::UTC);
    let local = start.to_zoned_datetime(zone);
    format!("{} ({zone_name})", local.strftime("%A %-d %B %Y, %H:%M"))
}

fn invite(settings: &Settings, booking: &Booking, p: &Practitioner, method: Method) -> String {
    to_ics(&Invite {
        uid: format!("{}@villi", booking.id),
        sequence: booking.sequence,
        method,
        start: booking.start,
        end: booking.end,
        summary: format!("Discovery call with {}", settings.practice_name),
        description: Some(format!(
            "Manage or cancel this call from the link in your confirmation email. {}",
            settings.base_url
        )),
        organizer_name: p.name.clone(),
        organizer_email: p.email.clone(),
        attendee_name: booking.name.clone(),
        attendee_email: booking.email.clone(),
        location_url: None,
        stamp: Timestamp::now(),
    })
}

/// The email a job of `kind` sends, or `None` when it no longer applies
/// (a reminder for a cancelled call).
pub fn for_job(
    kind: &str,
    payload: &serde_json::Value,
    settings: &Settings,
    booking: &Booking,
    p: &Practitioner,
) -> Option<Email> {
    let practice = &settings.practice_name;
    let client_when = when(booking.start, &booking.visitor_time_zone);
    let staff_when = when(booking.start, &p.time_zone);
    let manage = "To cancel or move it, use the link in your first confirmation email.";
    let to_client = |subject: String, text: String, invite| Email {
        to_name: booking.name.clone(),
        to_address: booking.email.clone(),
        subject,
        text,
        invite,
    };
    let to_staff = |subject: String, text: String| Email {
        to_name: p.name.clone(),
        to_address: p.email.clone(),
        subject,
        text,
        invite: None,
    };
    let active = booking.status == villi_store::BookingStatus::Active;
    match kind {
        jobs::CONFIRMATION if active => Some(to_client(
            format!("Your discovery call with {practice} is booked"),
            format!(
                "Hello {name},\n\nYour free discovery call with {pname} is booked for {client_when}.\n\
                 The invite is attached.\n\n{manage}\n\n{practice}\n",
                name = booking.name,
                pname = p.name
            ),
            Some((invite(settings, booking, p, Method::Request), "REQUEST")),
        )),
        jobs::RESCHEDULED if active => Some(to_client(
            format!("Your discovery call with {practice} has moved"),
            format!(
                "Hello {name},\n\nYour call with {pname} is now on {client_when}.\n\
                 The updated invite is attached.\n\n{manage}\n\n{practice}\n",
                name = booking.name,
                pname = p.name
            ),
            Some((invite(settings, booking, p, Method::Request), "REQUEST")),
        )),
        jobs::CANCELLED => Some(to_client(
            format!("Your discovery call with {practice} is cancelled"),
            format!(
                "Hello {name},\n\nYour call on {client_when} is cancelled. You are welcome to \
                 book another time at {base}/book.\n\n{practice}\n",
                name = booking.name,
                base = settings.base_url
            ),
            Some((invite(settings, booking, p, Method::Cancel), "CANCEL")),
        )),
        jobs::REMINDER if active => {
            let minutes = payload["minutes_before"].as_u64().unwrap_or(0);
            let lead = if minutes >= 120 {
                format!("in about {} hours", minutes / 60)
            } else {
                format!("in about {minutes} minutes")
            };
            Some(to_client(
                format!("Reminder: your call with {practice} {lead}"),
                format!(
                    "Hello {name},\n\nA reminder that your call with {pname} is on {client_when}.\n\n\
                     {manage}\n\n{practice}\n",
                    name = booking.name,
                    pname = p.name
                ),
                None,
            ))
        }
        jobs::PRACTITIONER_NEW => Some(to_staff(
            format!("New discovery call: {staff_when}"),
            format!(
                "{name} booked a call for {staff_when}.\nOpen villi to see the details.\n",
                name = booking.name
            ),
        )),
        jobs::PRACTITIONER_CHANGED => Some(to_staff(
            format!("Call moved: now {staff_when}"),
            format!(
                "{name} moved their call to {staff_when}.\n",
                name = booking.name
            ),
        )),
        jobs::PRACTITIONER_CANCELLED => Some(to_staff(
            format!("Call cancelled: {staff_when}"),
            format!(
                "{name} cancelled their call on {staff_when}.\n",
                name = booking.name
            ),
        )),
        _ => None,
    }
}

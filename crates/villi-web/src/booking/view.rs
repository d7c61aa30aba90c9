//! Small view models and formatting shared by the booking pages.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use villi_store::{Question, QuestionKind};

use super::request::BookingInput;
use super::slots::OfferedSlot;

/// A day in the picker with its number of free slots.
#[derive(Debug, Clone)]
pub struct DayLink {
    pub label: String,
    pub iso: String,
    pub count: usize,
    pub selected: bool,
    pub url: String,
}

/// A free time in the picker.
#[derive(Debug, Clone)]
pub struct SlotLink {
    pub label: String,
    pub start: String,
    pub url: String,
}

/// The parameters every booking link carries along.
pub struct BookingLink<'a> {
    pub practitioner: &'a str,
    pub kind: &'a str,
    pub tz: &'a str,
}

impl BookingLink<'_> {
    pub fn day_link(&self, day: Date, count: usize, selected: bool) -> DayLink {
        DayLink {
            label: short_date(day),
            iso: day.to_string(),
            count,
            selected,
            url: format!(
                "/book?practitioner={}&type={}&tz={}&date={day}",
                enc(self.practitioner),
                enc(self.kind),
                enc(self.tz)
            ),
        }
    }

    pub fn slot_link(&self, slot: &OfferedSlot, zone: &TimeZone) -> SlotLink {
        let practitioner = if self.practitioner == "any" {
            slot.practitioner_slug.as_str()
        } else {
            self.practitioner
        };
        SlotLink {
            label: clock(slot.start, zone),
            start: slot.start.to_string(),
            url: format!(
                "/book/details?practitioner={}&type={}&tz={}&start={}",
                enc(practitioner),
                enc(self.kind),
                enc(self.tz),
                enc(&slot.start.to_string())
            ),
        }
    }
}

/// Days with free slots (in `zone`), the chosen day, and its slots.
pub fn group_by_day(
    slots: &[OfferedSlot],
    zone: &TimeZone,
    wanted: Option<Date>,
) -> (Vec<(Date, usize)>, Option<Date>, Vec<OfferedSlot>) {
    let mut days: BTreeMap<Date, Vec<OfferedSlot>> = BTreeMap::new();
    for s in slots {
        days.entry(s.start.to_zoned_datetime(zone.clone()).date())
            .or_default()
            .push(s.clone());
    }
    let chosen = wanted
        .filter(|d| days.contains_key(d))
        .or_else(|| days.keys().next().copied());
    let day_slots = chosen
        .and_then(|d| days.get(&d).cloned())
        .unwrap_or_default();
    let counts = days.iter().map(|(d, v)| (*d, v.len())).collect();
    (counts, chosen, day_slots)
}

pub fn short_date(d: Date) -> String {
    d.strftime("%a %-d %b").to_string()
}

pub fn long_date(d: Date) -> String {
    d.strftime("%A %-d %B %Y").to_string()
}

pub fn clock(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%H:%M")
        .to_string()
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Region/City zone names for the time-zone select, computed once.
pub fn zone_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.as_str().to_owned())
            .filter(|n| {
                n.contains('/')
                    && !n.starts_with("Etc/")
                    && !n.starts_with("posix/")
                    && !n.starts_with("right/")
                    && n.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            })
            .collect();
        names.push("UTC".to_owned());
        names.sort();
        names.dedup();
        names
    })
}

/// Everything the details form holds, kept as typed so errors lose nothing.
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    pub practitioner: String,
    pub kind: String,
    pub start: String,
    pub timezone: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub help_with: String,
    pub heard_from: String,
    pub consent: bool,
    pub answers: BTreeMap<String, String>,
    pub website: String,
    pub form_token: String,
}

impl FormValues {
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let mut v = FormValues::default();
        for (key, value) in fields {
            let value = value.clone();
            match key.as_str() {
                "practitioner" => v.practitioner = value,
                "type" => v.kind = value,
                "start" => v.start = value,
                "timezone" => v.timezone = value,
                "name" => v.name = value,
                "email" => v.email = value,
                "phone" => v.phone = value,
                "help_with" => v.help_with = value,
                "heard_from" => v.heard_from = value,
                "consent" => v.consent = value == "yes",
                "website" => v.website = value,
                "form_token" => v.form_token = value,
                other => {
                    if let Some(q) = other.strip_prefix("answer.") {
                        v.answers.insert(q.to_owned(), value);
                    }
                }
            }
        }
        v
    }

    pub fn to_input(&self) -> BookingInput {
        BookingInput {
            practitioner: self.practitioner.clone(),
            appointment_type: self.kind.clone(),
            start: self.start.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            timezone: self.timezone.clone(),
            phone: Some(self.phone.clone()),
            help_with: Some(self.help_with.clone()),
            heard_from: Some(self.heard_from.clone()),
            consent: Some(self.consent),
            answers: self
                .answers
                .iter()
                .filter(|(_, a)| !a.trim().is_empty())
                .map(|(k, a)| (k.clone(), a.clone()))
                .collect(),
            website: Some(self.website.clone()),
        }
    }
}

/// A pre-call question as the form shows it, with what was typed.
#[derive(Debug, Clone)]
pub struct QuestionView {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub options: Vec<(String, bool)>,
    pub value: String,
}

pub fn questions(list: &[Question], answers: &BTreeMap<String, String>) -> Vec<QuestionView> {
    list.iter()
        .map(|q| {
            let value = answers.get(&q.key).cloned().unwrap_or_default();
            let options = match &q.kind {
                QuestionKind::Choice { options } => {
                    options.iter().map(|o| (o.clone(), *o == value)).collect()
                }
                QuestionKind::ShortText => Vec::new(),
            };
            QuestionView {
                key: q.key.clone(),
                label: q.label.clone(),
                required: q.required,
                options,
                value,
            }
        })
        .collect()
}

/// What a repeated or automated submission sees.
pub fn thank_you_page(practice: &str) -> String {
    let practice = escape(practice);
    format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><link rel=\"stylesheet\" href=\"/static/villi.css\">\
         <title>Thank you</title><main class=\"narrow\"><h1>Thank you</h1><p>Your request has been received. \
         The confirmation email from {practice} holds your booking details and the link to manage it.</p>\
         <p><a href=\"/\">Home</a></p></main></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(enc("2026-03-02T14:00:00Z"), "2026-03-02T14%3A00%3A00Z");
        assert_eq!(enc("America/New_York"), "America/New_York");
        assert_eq!(enc("a b&c"), "a%20b%26c");
    }

    #[test]
    fn the_zone_list_has_common_zones_and_utc() {
        let zones = zone_names();
        for z in [
            "Europe/London",
            "America/New_York",
            "Australia/Sydney",
            "UTC",
        ] {
            assert!(zones.iter().any(|n| n == z), "{z}");
        }
    }

    #[test]
    fn form_fields_keep_answers_and_consent() {
        let fields = vec![
            ("name".to_owned(), "Sam".to_owned()),
            ("consent".to_owned(), "yes".to_owned()),
            ("answer.goal".to_owned(), "Energy".to_owned()),
        ];
        let v = FormValues::from_fields(&fields);
        assert!(v.consent);
        assert_eq!(v.answers["goal"], "Energy");
        assert_eq!(v.to_input().answers["goal"], "Energy");
    }
}

//! A booking request as a visitor sends it, validated once into values that
//! cannot be wrong.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;
use villi_store::{Question, QuestionKind};

use crate::error::FieldError;

/// What the form or the API sends; every field as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    pub practitioner: String,
    #[serde(rename = "type", default = "default_type")]
    pub appointment_type: String,
    pub start: String,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub help_with: Option<String>,
    #[serde(default)]
    pub heard_from: Option<String>,
    #[serde(default)]
    pub consent: Option<bool>,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Left empty by people; filled by bots.
    #[serde(default)]
    pub website: Option<String>,
}

fn default_type() -> String {
    "discovery".to_owned()
}

/// A request whose every field has been checked.
#[derive(Debug, Clone)]
pub struct ValidBooking {
    pub practitioner: String,
    pub appointment_type: String,
    pub start: Timestamp,
    pub name: String,
    pub email: String,
    pub timezone: String,
    pub phone: Option<String>,
    pub help_with: String,
    pub heard_from: String,
    pub consent: bool,
    pub answers: BTreeMap<String, String>,
}

const MAX_NAME: usize = 120;
const MAX_TEXT: usize = 1000;

impl BookingInput {
    /// Checks every field and reports every problem at once.
    pub fn validate(&self, questions: &[Question]) -> Result<ValidBooking, Vec<FieldError>> {
        let mut errors = Vec::new();
        let start = match self.start.trim().parse::<Timestamp>() {
            Ok(t) => Some(t),
            Err(_) => {
                errors.push(FieldError::new(
                    "start",
                    "choose a time (RFC 3339, e.g. 2026-03-02T14:00:00Z)",
                ));
                None
            }
        };
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "please tell us your name"));
        } else if name.chars().count() > MAX_NAME {
            errors.push(FieldError::new(
                "name",
                format!("at most {MAX_NAME} characters"),
            ));
        }
        let email = self.email.trim().to_lowercase();
        if !looks_like_email(&email) {
            errors.push(FieldError::new(
                "email",
                "enter an email address like name@example.com",
            ));
        }
        let timezone = self.timezone.trim();
        let timezone = if timezone.is_empty() { "UTC" } else { timezone };
        if jiff::tz::TimeZone::get(timezone).is_err() {
            errors.push(FieldError::new(
                "timezone",
                format!("'{timezone}' is not an IANA time zone such as Europe/London"),
            ));
        }
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(p) = phone {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let allowed = p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !allowed || !(6..=20).contains(&digits) {
                errors.push(FieldError::new(
                    "phone",
                    "use digits, spaces and + - ( ) only, 6 to 20 digits",
                ));
            }
        }
        let help_with = self.help_with.as_deref().unwrap_or("").trim();
        if help_with.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(
                "help_with",
                format!("at most {MAX_TEXT} characters"),
            ));
        }
        let heard_from = self.heard_from.as_deref().unwrap_or("").trim();
        if heard_from.chars().count() > MAX_NAME {
            errors.push(FieldError::new(
                "heard_from",
                format!("at most {MAX_NAME} characters"),
            ));
        }
        if self.consent != Some(true) {
            errors.push(FieldError::new(
                "consent",
                "we need your consent to contact you about this call",
            ));
        }
        let answers = check_answers(&self.answers, questions, &mut errors);
        match start {
            Some(start) if errors.is_empty() => Ok(ValidBooking {
                practitioner: self.practitioner.trim().to_owned(),
                appointment_type: self.appointment_type.trim().to_owned(),
                start,
                name: name.to_owned(),
                email,
                timezone: timezone.to_owned(),
                phone: phone.map(str::to_owned),
                help_with: help_with.to_owned(),
                heard_from: heard_from.to_owned(),
                consent: true,
                answers,
            }),
            _ => Err(errors),
        }
    }
}

fn check_answers(
    given: &BTreeMap<String, String>,
    questions: &[Question],
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, String> {
    let mut kept = BTreeMap::new();
    for key in given.keys() {
        if !questions.iter().any(|q| &q.key == key) {
            errors.push(FieldError::new(
                &format!("answers.{key}"),
                "is not one of this practice's questions",
            ));
        }
    }
    for q in questions {
        let field = format!("answers.{}", q.key);
        let answer = given.get(&q.key).map(|a| a.trim()).unwrap_or("");
        if answer.is_empty() {
            if q.required {
                errors.push(FieldError::new(&field, "please answer this question"));
            }
            continue;
        }
        if answer.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(
                &field,
                format!("at most {MAX_TEXT} characters"),
            ));
            continue;
        }
        if let QuestionKind::Choice { options } = &q.kind
            && !options.iter().any(|o| o == answer)
        {
            errors.push(FieldError::new(
                &field,
                format!("choose one of: {}", options.join(", ")),
            ));
            continue;
        }
        kept.insert(q.key.clone(), answer.to_owned());
    }
    kept
}

/// A deliberately plain check: one `@`, a dot in the domain, no spaces. The
/// confirmation email is the real test of an address.
pub fn looks_like_email(email: &str) -> bool {
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BookingInput {
        BookingInput {
            practitioner: "ada".into(),
            appointment_type: "discovery".into(),
            start: "2030-01-07T15:00:00Z".into(),
            name: "Sam Client".into(),
            email: "Sam@Example.com".into(),
            timezone: "Europe/London".into(),
            consent: Some(true),
            ..Default::default()
        }
    }

    fn question(required: bool) -> Question {
        Question {
            key: "goal".into(),
            label: "Main goal".into(),
            kind: QuestionKind::Choice {
                options: vec!["Less bloating".into(), "Other".into()],
            },
            required,
        }
    }

    #[test]
    fn a_complete_request_validates_and_lowercases_the_email() {
        let valid = input().validate(&[]).unwrap();
        assert_eq!(valid.email, "sam@example.com");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = input();
        bad.name = " ".into();
        bad.email = "not-an-email".into();
        bad.start = "tomorrow".into();
        bad.timezone = "Mars/Olympus".into();
        bad.consent = None;
        let fields: Vec<_> = bad
            .validate(&[])
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["start", "name", "email", "timezone", "consent"]);
    }

    #[test]
    fn a_required_question_must_be_answered_with_an_offered_choice() {
        let q = [question(true)];
        let missing = input().validate(&q).unwrap_err();
        assert_eq!(missing[0].field, "answers.goal");
        let mut wrong = input();
        wrong.answers.insert("goal".into(), "Fly".into());
        assert!(
            wrong.validate(&q).unwrap_err()[0]
                .message
                .contains("Less bloating")
        );
        let mut right = input();
        right.answers.insert("goal".into(), "Other".into());
        assert_eq!(right.validate(&q).unwrap().answers["goal"], "Other");
    }

    #[test]
    fn unknown_answers_are_refused() {
        let mut extra = input();
        extra.answers.insert("shoe_size".into(), "9".into());
        assert_eq!(
            extra.validate(&[]).unwrap_err()[0].field,
            "answers.shoe_size"
        );
    }

    #[test]
    fn email_check_accepts_ordinary_addresses_only() {
        assert!(looks_like_email("a.b+c@example.co.uk"));
        for bad in [
            "a@b",
            "@example.com",
            "a@@example.com",
            "a b@example.com",
            "a@.com",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}

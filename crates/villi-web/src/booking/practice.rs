//! The practice as the booking pages and API read it on every request: its
//! practitioners, appointment types, pre-call questions, and each
//! practitioner's weekly hours and date overrides.
//!
//! These change rarely (from the command line), so they are read together
//! and kept for a moment (see [`crate::memo`]); bookings are not part of
//! this and are always read fresh.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use villi_domain::booking::{AppointmentType, DateOverride, WeeklyRule};
use villi_store::{Practitioner, Question, Store, StoreResult};

use crate::error::ApiError;

/// Everything about the practice that a booking request consults.
#[derive(Debug)]
pub struct Practice {
    pub practitioners: Vec<Practitioner>,
    types: Vec<AppointmentType>,
    pub questions: Vec<Question>,
    /// Keyed by practitioner id.
    hours: HashMap<String, Hours>,
}

/// One practitioner's working hours, in their own time zone.
#[derive(Debug)]
pub struct Hours {
    /// `None` when the stored zone name is not one jiff knows.
    pub zone: Option<TimeZone>,
    pub rules: Vec<WeeklyRule>,
    /// Every override from a few days before `now` on: slots are never
    /// offered in the past, so older ones cannot matter.
    pub overrides: Vec<DateOverride>,
}

impl Practice {
    /// Reads the practice as it stands at `now`.
    pub async fn load(store: &Store, now: Timestamp) -> StoreResult<Self> {
        let practitioners = store.practitioners().await?;
        let types = store.appointment_types().await?;
        let questions = store.questions().await?;
        // Local dates run up to a day either side of UTC's.
        let today = now.to_zoned_datetime(TimeZone::UTC).date();
        let from = today.checked_sub(3.days()).unwrap_or(today);
        let mut hours = HashMap::with_capacity(practitioners.len());
        for p in &practitioners {
            let rules = store.weekly_rules(&p.id).await?;
            let overrides = store.overrides(&p.id, from, Date::MAX).await?;
            let zone = TimeZone::get(&p.time_zone).ok();
            hours.insert(
                p.id.clone(),
                Hours {
                    zone,
                    rules,
                    overrides,
                },
            );
        }
        Ok(Self {
            practitioners,
            types,
            questions,
            hours,
        })
    }

    /// A public appointment type by slug, or a field error.
    pub fn public_type(&self, slug: &str) -> Result<AppointmentType, ApiError> {
        match self.types.iter().find(|t| t.slug == slug) {
            Some(t) if t.public => Ok(t.clone()),
            _ => Err(ApiError::invalid(
                "type",
                format!("'{slug}' is not an appointment type offered here"),
            )),
        }
    }

    /// Any appointment type by slug, public or not (an existing booking's).
    pub fn appointment_type(&self, slug: &str) -> Option<&AppointmentType> {
        self.types.iter().find(|t| t.slug == slug)
    }

    pub fn practitioner(&self, id: &str) -> Option<&Practitioner> {
        self.practitioners.iter().find(|p| p.id == id)
    }

    /// The practitioners a request names: one by slug, or all for `any`
    /// (or nothing).
    pub fn chosen(&self, slug: &str) -> Result<Vec<Practitioner>, ApiError> {
        if slug.is_empty() || slug == "any" {
            return Ok(self.practitioners.clone());
        }
        match self.practitioners.iter().find(|p| p.slug == slug) {
            Some(p) => Ok(vec![p.clone()]),
            None => Err(ApiError::invalid(
                "practitioner",
                format!("no practitioner is called '{slug}'"),
            )),
        }
    }

    /// A practitioner's hours and zone, or an internal error naming what is
    /// wrong with the stored data.
    pub fn hours(&self, practitioner: &Practitioner) -> Result<(&Hours, &TimeZone), ApiError> {
        let hours = self.hours.get(&practitioner.id).ok_or_else(|| {
            ApiError::Internal(format!(
                "practitioner {} appeared after the practice was read",
                practitioner.slug
            ))
        })?;
        let zone = hours.zone.as_ref().ok_or_else(|| {
            ApiError::Internal(format!(
                "practitioner {} has an unknown time zone",
                practitioner.slug
            ))
        })?;
        Ok((hours, zone))
    }
}

//! The public booking pages: pick a time, tell us about yourself, manage the
//! booking from the emailed link. Everything works without JavaScript.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::emails::when;
use super::practice::Practice;
use super::request::BookingInput;
use super::service;
use super::slots::{OfferedSlot, date_range, free_slots_of};
use super::view::{self, DayLink, FormValues, SlotLink};
use crate::AppState;
use crate::error::{ApiError, FieldError, PageError};
use crate::net::ClientIp;
use crate::security;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/book", get(choose_time).post(submit))
        .route("/book/details", get(details))
}

#[derive(Debug, Deserialize, Default)]
pub struct ChooseQuery {
    pub(super) practitioner: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    pub(super) tz: Option<String>,
    pub(super) date: Option<String>,
}

#[derive(Template)]
#[template(path = "book.html")]
struct BookPage {
    practice: String,
    kind_name: String,
    kind_slug: String,
    practitioners: Vec<(String, String, bool)>,
    zones: &'static [String],
    tz: String,
    tz_given: bool,
    days: Vec<DayLink>,
    slots: Vec<SlotLink>,
    day_label: String,
    notice: String,
}

/// A zone the visitor asked for, else the first practitioner's, else UTC.
fn visitor_zone(practice: &Practice, asked: Option<&str>) -> (String, bool) {
    if let Some(name) = asked.filter(|n| TimeZone::get(n).is_ok()) {
        return (name.to_owned(), true);
    }
    let fallback = practice.practitioners.first().map(|p| p.time_zone.clone());
    (fallback.unwrap_or_else(|| "UTC".to_owned()), false)
}

async fn choose_time(
    State(state): State<AppState>,
    Query(q): Query<ChooseQuery>,
) -> Result<Response, PageError> {
    let practice = state.practice().await.map_err(api_to_page)?;
    let (tz, tz_given) = visitor_zone(&practice, q.tz.as_deref());
    let who = q.practitioner.clone().unwrap_or_else(|| "any".to_owned());
    let kind_slug = q.kind.clone().unwrap_or_else(|| "discovery".to_owned());
    let Ok(kind) = practice.public_type(&kind_slug) else {
        return Err(PageError(StatusCode::NOT_FOUND, String::new()));
    };
    let all = &practice.practitioners;
    let chosen: Vec<_> = all
        .iter()
        .filter(|p| who == "any" || p.slug == who)
        .cloned()
        .collect();
    let zone = TimeZone::get(&tz).unwrap_or(TimeZone::UTC);
    let now = Timestamp::now();
    let slots = offered(&state, &practice, &chosen, &kind, &zone, now).await?;
    let wanted = q.date.as_deref().and_then(|d| d.parse::<Date>().ok());
    let (days, day, day_slots) = view::group_by_day(&slots, &zone, wanted);
    let base = view::BookingLink {
        practitioner: &who,
        kind: &kind.slug,
        tz: &tz,
    };
    let page = BookPage {
        practice: state.settings.practice_name.clone(),
        kind_name: kind.name.clone(),
        kind_slug: kind.slug.clone(),
        practitioners: all
            .iter()
            .map(|p| (p.slug.clone(), p.name.clone(), p.slug == who))
            .collect(),
        zones: view::zone_names(),
        tz: tz.clone(),
        tz_given,
        days: days
            .iter()
            .map(|(d, n)| base.day_link(*d, *n, Some(*d) == day))
            .collect(),
        slots: day_slots.iter().map(|s| base.slot_link(s, &zone)).collect(),
        day_label: day.map(view::long_date).unwrap_or_default(),
        notice: if chosen.is_empty() {
            "No practitioner is taking bookings right now.".to_owned()
        } else if slots.is_empty() {
            "No free times in the coming weeks. Please check back soon.".to_owned()
        } else {
            String::new()
        },
    };
    Ok(Html(page.render()?).into_response())
}

/// Free slots over the type's horizon; for "first available", one per start.
pub(super) async fn offered(
    state: &AppState,
    practice: &Practice,
    chosen: &[villi_store::Practitioner],
    kind: &villi_domain::booking::AppointmentType,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Vec<OfferedSlot>, PageError> {
    let today = now.to_zoned_datetime(zone.clone()).date();
    let days = i64::from(kind.horizon_days).min(super::slots::MAX_RANGE_DAYS - 1);
    let last = today
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(today);
    let (from, until) = date_range(today, last, zone)
        .map_err(|e| PageError(StatusCode::BAD_REQUEST, e.to_string()))?;
    let mut slots = free_slots_of(&state.store, practice, chosen, kind, from, until, now)
        .await
        .map_err(api_to_page)?;
    slots.dedup_by_key(|s| s.start);
    Ok(slots)
}

pub(super) fn api_to_page(e: ApiError) -> PageError {
    PageError(e.status(), e.to_string())
}

#[derive(Template)]
#[template(path = "details.html")]
struct DetailsPage {
    practice: String,
    when: String,
    with: String,
    values: FormValues,
    questions: Vec<view::QuestionView>,
    errors: Vec<FieldError>,
    form_token: String,
    back_url: String,
}

impl DetailsPage {
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Deserialize)]
struct DetailsQuery {
    practitioner: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    start: Option<String>,
    tz: Option<String>,
}

async fn details(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<DetailsQuery>,
) -> Result<Response, PageError> {
    let values = FormValues {
        practitioner: q.practitioner.unwrap_or_else(|| "any".to_owned()),
        kind: q.kind.unwrap_or_else(|| "discovery".to_owned()),
        start: q.start.unwrap_or_default(),
        timezone: q.tz.unwrap_or_else(|| "UTC".to_owned()),
        ..FormValues::default()
    };
    render_details(&state, &headers, values, Vec::new(), StatusCode::OK).await
}

async fn render_details(
    state: &AppState,
    headers: &HeaderMap,
    values: FormValues,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let secure = state.settings.secure_cookies;
    let token = security::form_token(headers, secure);
    let practice = state.practice().await.map_err(api_to_page)?;
    let questions = &practice.questions;
    let with = practice
        .practitioners
        .iter()
        .find(|p| p.slug == values.practitioner)
        .map_or_else(
            || "the first available practitioner".to_owned(),
            |p| p.name.clone(),
        );
    let when = values
        .start
        .parse::<Timestamp>()
        .map(|t| when(t, &values.timezone))
        .unwrap_or_else(|_| "no time chosen yet".to_owned());
    let back_url = format!(
        "/book?practitioner={}&type={}&tz={}",
        view::enc(&values.practitioner),
        view::enc(&values.kind),
        view::enc(&values.timezone)
    );
    let page = DetailsPage {
        practice: state.settings.practice_name.clone(),
        when,
        with,
        questions: view::questions(questions, &values.answers),
        values,
        errors,
        form_token: token.clone(),
        back_url,
    };
    let mut response = (status, Html(page.render()?)).into_response();
    security::set_form_cookie(&mut response, &token, secure);
    Ok(response)
}

async fn submit(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::from_fields(&fields);
    if !security::form_token_matches(&headers, state.settings.secure_cookies, &values.form_token) {
        let err = FieldError::new(
            "form",
            "This form had expired. Please check your details and press Book again.",
        );
        return render_details(
            &state,
            &headers,
            values,
            vec![err],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if !values.website.trim().is_empty() {
        // A bot filled the hidden field: answer as if all went well.
        return Ok(Html(view::thank_you_page(&state.settings.practice_name)).into_response());
    }
    if let Err(limited) = service::check_rate_limit(&state, ip.0).await {
        if !matches!(limited, ApiError::RateLimited { .. }) {
            return Err(api_to_page(limited));
        }
        let err = FieldError::new(
            "form",
            "Too many booking attempts from your network. Please try again later.",
        );
        return render_details(
            &state,
            &headers,
            values,
            vec![err],
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let input: BookingInput = values.to_input();
    let practice = state.practice().await.map_err(api_to_page)?;
    let result = match input.validate(&practice.questions) {
        Ok(valid) => {
            service::book(
                &state,
                &valid,
                Some(values.form_token.clone() + &values.start),
                Timestamp::now(),
            )
            .await
        }
        Err(errors) => Err(ApiError::Invalid(errors)),
    };
    match result {
        Ok(booked) if !booked.replayed => {
            Ok(Redirect::to(&format!("{}?booked=1", path_of(&booked.manage_url))).into_response())
        }
        Ok(_) => Ok(Html(view::thank_you_page(&state.settings.practice_name)).into_response()),
        Err(ApiError::Internal(detail)) => {
            Err(PageError(StatusCode::INTERNAL_SERVER_ERROR, detail))
        }
        Err(e) => {
            let status = e.status();
            let errors = match e {
                ApiError::Invalid(f) => f,
                other => vec![FieldError::new("start", other.to_string())],
            };
            render_details(&state, &headers, values, errors, status).await
        }
    }
}

/// The path part of an absolute manage URL.
fn path_of(url: &str) -> String {
    url.find("/manage/")
        .map_or_else(|| "/".to_owned(), |i| url[i..].to_owned())
}

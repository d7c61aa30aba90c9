//! The public booking pages: pick a time, tell us about yourself, manage the
//! booking from the emailed link. Everything works without JavaScript.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::emails::when;
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
        .route("/manage/{id}/{token}", get(manage))
        .route("/manage/{id}/{token}/cancel", post(cancel))
        .route(
            "/manage/{id}/{token}/reschedule",
            get(reschedule_page).post(reschedule),
        )
}

#[derive(Debug, Deserialize, Default)]
pub struct ChooseQuery {
    practitioner: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    tz: Option<String>,
    date: Option<String>,
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
async fn visitor_zone(state: &AppState, asked: Option<&str>) -> (String, bool) {
    if let Some(name) = asked.filter(|n| TimeZone::get(n).is_ok()) {
        return (name.to_owned(), true);
    }
    let fallback = match state.store.practitioners().await {
        Ok(list) => list.first().map(|p| p.time_zone.clone()),
        Err(_) => None,
    };
    (fallback.unwrap_or_else(|| "UTC".to_owned()), false)
}

async fn choose_time(
    State(state): State<AppState>,
    Query(q): Query<ChooseQuery>,
) -> Result<Response, PageError> {
    let (tz, tz_given) = visitor_zone(&state, q.tz.as_deref()).await;
    let who = q.practitioner.clone().unwrap_or_else(|| "any".to_owned());
    let kind_slug = q.kind.clone().unwrap_or_else(|| "discovery".to_owned());
    let kind = match service::public_type(&state.store, &kind_slug).await {
        Ok(k) => k,
        Err(_) => return Err(PageError(StatusCode::NOT_FOUND, String::new())),
    };
    let all = state.store.practitioners().await?;
    let chosen: Vec<_> = all
        .iter()
        .filter(|p| who == "any" || p.slug == who)
        .cloned()
        .collect();
    let zone = TimeZone::get(&tz).unwrap_or(TimeZone::UTC);
    let now = Timestamp::now();
    let slots = offered(&state, &chosen, &kind, &zone, now).await?;
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
async fn offered(
    state: &AppState,
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
    let mut slots = free_slots_of(&state.store, chosen, kind, from, until, now)
        .await
        .map_err(api_to_page)?;
    slots.dedup_by_key(|s| s.start);
    Ok(slots)
}

fn api_to_page(e: ApiError) -> PageError {
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
    let token = security::form_cookie(headers, secure).unwrap_or_else(security::random_token);
    let questions = state.store.questions().await?;
    let with = if values.practitioner == "any" {
        "the first available practitioner".to_owned()
    } else {
        match state
            .store
            .practitioner_by_slug(&values.practitioner)
            .await?
        {
            Some(p) => p.name,
            None => "the first available practitioner".to_owned(),
        }
    };
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
        questions: view::questions(&questions, &values.answers),
        values,
        errors,
        form_token: token.clone(),
        back_url,
    };
    let mut response = (status, Html(page.render()?)).into_response();
    if let Ok(v) = security::form_cookie_header(&token, secure).parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

async fn submit(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::from_fields(&fields);
    let secure = state.settings.secure_cookies;
    let cookie = security::form_cookie(&headers, secure).unwrap_or_default();
    if !security::tokens_match(&cookie, &values.form_token) {
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
    let limits = state.settings.rate_limits;
    let allowed = state
        .store
        .rate_limit_hit(
            &format!("booking:{}", ip.0),
            Timestamp::now(),
            limits.window_secs,
            limits.booking_posts,
        )
        .await?;
    if !allowed {
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
    let questions = state.store.questions().await?;
    let result = match input.validate(&questions) {
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

#[derive(Template)]
#[template(path = "manage.html")]
struct ManagePage {
    practice: String,
    name: String,
    when: String,
    with: String,
    active: bool,
    just_booked: bool,
    just_moved: bool,
    action_base: String,
    form_token: String,
}

#[derive(Debug, Deserialize, Default)]
struct ManageQuery {
    booked: Option<String>,
    moved: Option<String>,
}

async fn manage(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, token)): Path<(String, String)>,
    Query(q): Query<ManageQuery>,
) -> Result<Response, PageError> {
    let booking = service::authorised(&state.store, &id, &token, Timestamp::now())
        .await
        .map_err(api_to_page)?;
    let practitioner = state
        .store
        .practitioner(&booking.practitioner_id)
        .await?
        .ok_or_else(|| PageError(StatusCode::NOT_FOUND, String::new()))?;
    let secure = state.settings.secure_cookies;
    let form_token = security::form_cookie(&headers, secure).unwrap_or_else(security::random_token);
    let page = ManagePage {
        practice: state.settings.practice_name.clone(),
        name: booking.name.clone(),
        when: when(booking.start, &booking.visitor_time_zone),
        with: practitioner.name,
        active: booking.status == villi_store::BookingStatus::Active,
        just_booked: q.booked.is_some(),
        just_moved: q.moved.is_some(),
        action_base: format!("/manage/{id}/{token}"),
        form_token: form_token.clone(),
    };
    let mut response = Html(page.render()?).into_response();
    if let Ok(v) = security::form_cookie_header(&form_token, secure).parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

fn check_form_token(
    state: &AppState,
    headers: &HeaderMap,
    fields: &BTreeMap<String, String>,
) -> Result<(), PageError> {
    let cookie = security::form_cookie(headers, state.settings.secure_cookies).unwrap_or_default();
    let sent = fields.get("form_token").map(String::as_str).unwrap_or("");
    if security::tokens_match(&cookie, sent) {
        Ok(())
    } else {
        Err(PageError(
            StatusCode::FORBIDDEN,
            "the form expired; reload the page".to_owned(),
        ))
    }
}

async fn cancel(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, token)): Path<(String, String)>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    check_form_token(&state, &headers, &fields)?;
    match service::cancel(&state, &id, &token, Timestamp::now()).await {
        Ok(_) | Err(ApiError::Conflict { .. }) => {
            Ok(Redirect::to(&format!("/manage/{id}/{token}")).into_response())
        }
        Err(e) => Err(api_to_page(e)),
    }
}

#[derive(Template)]
#[template(path = "reschedule.html")]
struct ReschedulePage {
    practice: String,
    when: String,
    days: Vec<DayLink>,
    slots: Vec<SlotLink>,
    day_label: String,
    action: String,
    tz: String,
    zones: &'static [String],
    form_token: String,
    error: String,
}

async fn reschedule_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, token)): Path<(String, String)>,
    Query(q): Query<ChooseQuery>,
) -> Result<Response, PageError> {
    render_reschedule(
        &state,
        &headers,
        &id,
        &token,
        &q,
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn render_reschedule(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    token: &str,
    q: &ChooseQuery,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let now = Timestamp::now();
    let booking = service::authorised(&state.store, id, token, now)
        .await
        .map_err(api_to_page)?;
    let tz =
        q.tz.clone()
            .filter(|t| TimeZone::get(t).is_ok())
            .unwrap_or_else(|| booking.visitor_time_zone.clone());
    let zone = TimeZone::get(&tz).unwrap_or(TimeZone::UTC);
    let kind = state
        .store
        .appointment_type(&booking.appointment_type)
        .await?
        .ok_or_else(|| PageError(StatusCode::NOT_FOUND, String::new()))?;
    let practitioner = state
        .store
        .practitioner(&booking.practitioner_id)
        .await?
        .ok_or_else(|| PageError(StatusCode::NOT_FOUND, String::new()))?;
    let slots = offered(
        state,
        std::slice::from_ref(&practitioner),
        &kind,
        &zone,
        now,
    )
    .await?;
    let wanted = q.date.as_deref().and_then(|d| d.parse::<Date>().ok());
    let (days, day, day_slots) = view::group_by_day(&slots, &zone, wanted);
    let action = format!("/manage/{id}/{token}/reschedule");
    let secure = state.settings.secure_cookies;
    let form_token = security::form_cookie(headers, secure).unwrap_or_else(security::random_token);
    let page = ReschedulePage {
        practice: state.settings.practice_name.clone(),
        when: when(booking.start, &tz),
        days: days
            .iter()
            .map(|(d, n)| DayLink {
                label: view::short_date(*d),
                iso: d.to_string(),
                count: *n,
                selected: Some(*d) == day,
                url: format!("{action}?tz={}&date={d}", view::enc(&tz)),
            })
            .collect(),
        slots: day_slots
            .iter()
            .map(|s| SlotLink {
                label: view::clock(s.start, &zone),
                start: s.start.to_string(),
                url: String::new(),
            })
            .collect(),
        day_label: day.map(view::long_date).unwrap_or_default(),
        action,
        tz,
        zones: view::zone_names(),
        form_token: form_token.clone(),
        error,
    };
    let mut response = (status, Html(page.render()?)).into_response();
    if let Ok(v) = security::form_cookie_header(&form_token, secure).parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

async fn reschedule(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, token)): Path<(String, String)>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    check_form_token(&state, &headers, &fields)?;
    let start = fields
        .get("start")
        .and_then(|s| s.parse::<Timestamp>().ok());
    let result = match start {
        Some(start) => service::reschedule(&state, &id, &token, start, Timestamp::now()).await,
        None => Err(ApiError::invalid("start", "choose a new time")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/manage/{id}/{token}?moved=1")).into_response()),
        Err(ApiError::Internal(detail)) => {
            Err(PageError(StatusCode::INTERNAL_SERVER_ERROR, detail))
        }
        Err(e) => {
            let q = ChooseQuery {
                tz: fields.get("tz").cloned(),
                ..ChooseQuery::default()
            };
            let status = e.status();
            let message = e
                .fields()
                .first()
                .map_or_else(|| e.to_string(), |f| f.message.clone());
            render_reschedule(&state, &headers, &id, &token, &q, message, status).await
        }
    }
}

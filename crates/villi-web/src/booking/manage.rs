//! The manage link's pages: see the booking, cancel it, or move it.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::emails::when;
use super::pages::{ChooseQuery, api_to_page, offered};
use super::service;
use super::view::{self, DayLink, SlotLink};
use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::security;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/manage/{id}/{token}", get(manage))
        .route("/manage/{id}/{token}/cancel", post(cancel))
        .route(
            "/manage/{id}/{token}/reschedule",
            get(reschedule_page).post(reschedule),
        )
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
    let form_token = security::form_token(&headers, secure);
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
    security::set_form_cookie(&mut response, &form_token, secure);
    Ok(response)
}

fn check_form_token(
    state: &AppState,
    headers: &HeaderMap,
    fields: &BTreeMap<String, String>,
) -> Result<(), PageError> {
    let sent = fields.get("form_token").map(String::as_str).unwrap_or("");
    if security::form_token_matches(headers, state.settings.secure_cookies, sent) {
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
    let practice = state.practice().await.map_err(api_to_page)?;
    let kind = practice
        .appointment_type(&booking.appointment_type)
        .ok_or_else(|| PageError(StatusCode::NOT_FOUND, String::new()))?;
    let practitioner = practice
        .practitioner(&booking.practitioner_id)
        .ok_or_else(|| PageError(StatusCode::NOT_FOUND, String::new()))?;
    let slots = offered(
        state,
        &practice,
        std::slice::from_ref(practitioner),
        kind,
        &zone,
        now,
    )
    .await?;
    let wanted = q.date.as_deref().and_then(|d| d.parse::<Date>().ok());
    let (days, day, day_slots) = view::group_by_day(&slots, &zone, wanted);
    let action = format!("/manage/{id}/{token}/reschedule");
    let secure = state.settings.secure_cookies;
    let form_token = security::form_token(headers, secure);
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
    security::set_form_cookie(&mut response, &form_token, secure);
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

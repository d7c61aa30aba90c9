//! The booking JSON API under `/api/v1`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::request::BookingInput;
use super::service::{self, Booked};
use super::slots::{date_range, free_slots_of, parse_zone};
use crate::AppState;
use crate::error::{ApiError, FieldError};
use crate::net::ClientIp;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/practitioners", get(practitioners))
        .route("/api/v1/availability", get(availability))
        .route("/api/v1/bookings", post(create))
        .route("/api/v1/bookings/{id}/cancel", post(cancel))
        .route("/api/v1/bookings/{id}/reschedule", post(reschedule))
        .route("/api/v1/openapi.json", get(openapi))
}

async fn openapi() -> impl IntoResponse {
    (
        [("content-type", "application/json")],
        include_str!("../../openapi.json"),
    )
}

#[derive(Serialize)]
struct PractitionerOut {
    slug: String,
    name: String,
    time_zone: String,
}

async fn practitioners(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list: Vec<_> = state
        .store
        .practitioners()
        .await?
        .into_iter()
        .map(|p| PractitionerOut {
            slug: p.slug,
            name: p.name,
            time_zone: p.time_zone,
        })
        .collect();
    Ok(Json(list).into_response())
}

#[derive(Deserialize)]
struct AvailabilityQuery {
    practitioner: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    tz: Option<String>,
}

fn parse_date(field: &str, text: Option<&str>) -> Result<Date, ApiError> {
    let text = text.ok_or_else(|| ApiError::invalid(field, "is required (YYYY-MM-DD)"))?;
    text.parse::<Date>()
        .map_err(|_| ApiError::invalid(field, format!("'{text}' is not a date like 2026-03-02")))
}

async fn availability(
    State(state): State<AppState>,
    query: Result<Query<AvailabilityQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let zone = parse_zone("tz", q.tz.as_deref().unwrap_or("UTC"))?;
    let from = parse_date("from", q.from.as_deref())?;
    let to = parse_date("to", q.to.as_deref())?;
    let (start, until) = date_range(from, to, &zone)?;
    let kind = service::public_type(&state.store, q.kind.as_deref().unwrap_or("discovery")).await?;
    let who =
        service::chosen_practitioners(&state.store, q.practitioner.as_deref().unwrap_or("any"))
            .await?;
    let slots = free_slots_of(&state.store, &who, &kind, start, until, Timestamp::now()).await?;
    let slots: Vec<_> = slots
        .into_iter()
        .map(|s| {
            json!({
                "start": s.start.to_zoned_datetime(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                "end": s.end.to_zoned_datetime(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                "practitioner": s.practitioner_slug,
            })
        })
        .collect();
    Ok(Json(json!({ "slots": slots })).into_response())
}

fn booked_json(b: &Booked) -> serde_json::Value {
    json!({
        "id": b.booking.id,
        "status": status_str(b.booking.status),
        "start": b.booking.start.to_string(),
        "end": b.booking.end.to_string(),
        "practitioner": b.practitioner.slug,
        "manage_url": b.manage_url,
    })
}

/// Turns serde's complaint about a JSON body into a field error.
fn body_error(rejection: JsonRejection) -> ApiError {
    let text = rejection.body_text();
    let field = text
        .split('`')
        .nth(1)
        .filter(|f| !f.contains(' '))
        .unwrap_or("body");
    ApiError::Invalid(vec![FieldError::new(field, text.clone())])
}

async fn create(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    body: Result<Json<BookingInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    service::check_rate_limit(&state, ip.0).await?;
    let Json(input) = body.map_err(body_error)?;
    if input
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        return Err(ApiError::invalid("website", "must be left empty"));
    }
    let questions = state.store.questions().await?;
    let valid = input.validate(&questions).map_err(ApiError::Invalid)?;
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_owned))
        .transpose()
        .map_err(|_| ApiError::invalid("Idempotency-Key", "must be plain text"))?;
    if key.as_ref().is_some_and(|k| k.is_empty() || k.len() > 200) {
        return Err(ApiError::invalid(
            "Idempotency-Key",
            "must be 1-200 characters",
        ));
    }
    let booked = service::book(&state, &valid, key, Timestamp::now()).await?;
    // A replay answers as the original did: the same booking, 201.
    Ok((StatusCode::CREATED, Json(booked_json(&booked))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: Option<String>,
    start: Option<String>,
}

/// The manage token, from `Authorization: Bearer` or the body.
fn token_of(headers: &HeaderMap, body: &TokenBody) -> Result<String, ApiError> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    bearer
        .or_else(|| body.token.clone())
        .ok_or_else(|| ApiError::invalid("token", "the manage token is required"))
}

fn booking_json(b: &villi_store::Booking) -> serde_json::Value {
    json!({
        "id": b.id,
        "status": status_str(b.status),
        "start": b.start.to_string(),
        "end": b.end.to_string(),
        "sequence": b.sequence,
    })
}

async fn cancel(
    State(state): State<AppState>,
    ip: ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Option<Json<TokenBody>>,
) -> Result<Response, ApiError> {
    service::check_rate_limit(&state, ip.0).await?;
    let body = body.map(|b| b.0).unwrap_or(TokenBody {
        token: None,
        start: None,
    });
    let token = token_of(&headers, &body)?;
    let booking = service::cancel(&state, &id, &token, Timestamp::now()).await?;
    Ok(Json(booking_json(&booking)).into_response())
}

async fn reschedule(
    State(state): State<AppState>,
    ip: ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<TokenBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    service::check_rate_limit(&state, ip.0).await?;
    let Json(body) = body.map_err(body_error)?;
    let token = token_of(&headers, &body)?;
    let start = body
        .start
        .as_deref()
        .ok_or_else(|| ApiError::invalid("start", "the new start is required"))?
        .parse::<Timestamp>()
        .map_err(|_| ApiError::invalid("start", "must be an RFC 3339 time"))?;
    let booking = service::reschedule(&state, &id, &token, start, Timestamp::now()).await?;
    Ok(Json(booking_json(&booking)).into_response())
}

fn status_str(status: villi_store::BookingStatus) -> &'static str {
    match status {
        villi_store::BookingStatus::Active => "active",
        villi_store::BookingStatus::Cancelled => "cancelled",
    }
}

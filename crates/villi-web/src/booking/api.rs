//! The booking JSON API under `/api/v1`.

use axum::extract::rejection::JsonRejection;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;
use villi_domain::booking::AppointmentType;

use super::request::BookingInput;
use super::service::{self, Booked};
use super::slots::{OfferedSlot, date_range, free_slots_of, parse_zone};
use crate::AppState;
use crate::error::{ApiError, FieldError};
use crate::memo::KEEP_FOR;
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
    let practice = state.practice().await?;
    let list: Vec<_> = practice
        .practitioners
        .iter()
        .map(|p| PractitionerOut {
            slug: p.slug.clone(),
            name: p.name.clone(),
            time_zone: p.time_zone.clone(),
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

/// Longest query string whose answer is kept; longer ones are computed
/// every time (and are never a real client's).
const MAX_KEPT_QUERY: usize = 256;

/// One availability answer, plain and gzip-compressed (computed once, sent
/// many times: a week of slots is about 14 kB of JSON and 1 kB compressed).
#[derive(Clone)]
pub(crate) struct Answer {
    plain: Bytes,
    gzip: Option<Bytes>,
}

impl Answer {
    fn new(plain: Bytes) -> Self {
        let gzip = gzip(&plain).map(Bytes::from);
        Self { plain, gzip }
    }

    fn size(&self) -> usize {
        self.plain.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    fn into_response(self, headers: &HeaderMap) -> Response {
        let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
        let json = (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        match self.gzip {
            Some(packed) if accepts_gzip(headers) => {
                let encoding = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                ([json, encoding, vary], packed).into_response()
            }
            _ => ([json, vary], self.plain).into_response(),
        }
    }
}

fn gzip(plain: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut packer = flate2::write::GzEncoder::new(
        Vec::with_capacity(plain.len() / 8),
        flate2::Compression::default(),
    );
    packer.write_all(plain).ok()?;
    packer.finish().ok()
}

/// Whether `Accept-Encoding` allows gzip (by name or `*`, with q above 0).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

async fn availability(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Read before anything is computed: a booking landing meanwhile makes
    // this answer stale at once.
    let generation = state.store.changes().total();
    let key = raw.unwrap_or_default();
    let kept = &state.caches.availability;
    if let Some(answer) = kept.get(key.as_str(), generation, Instant::now()) {
        return Ok(answer.into_response(&headers));
    }
    let Query(q) = Query::<AvailabilityQuery>::try_from_uri(&uri)
        .map_err(|e| ApiError::invalid("query", e.body_text()))?;
    let zone = parse_zone("tz", q.tz.as_deref().unwrap_or("UTC"))?;
    let from = parse_date("from", q.from.as_deref())?;
    let to = parse_date("to", q.to.as_deref())?;
    let (start, until) = date_range(from, to, &zone)?;
    let practice = state.practice().await?;
    let kind = practice.public_type(q.kind.as_deref().unwrap_or("discovery"))?;
    let who = practice.chosen(q.practitioner.as_deref().unwrap_or("any"))?;
    let now = Timestamp::now();
    let slots = free_slots_of(&state.store, &practice, &who, &kind, start, until, now).await?;
    let listed: Vec<_> = slots
        .iter()
        .map(|s| {
            json!({
                "start": s.start.to_zoned_datetime(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                "end": s.end.to_zoned_datetime(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                "practitioner": s.practitioner_slug,
            })
        })
        .collect();
    let plain = serde_json::to_vec(&json!({ "slots": listed }))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let answer = Answer::new(Bytes::from(plain));
    if key.len() <= MAX_KEPT_QUERY {
        let deadline = offer_deadline(&slots, &kind, now, Instant::now());
        kept.put(key, answer.clone(), answer.size(), generation, deadline);
    }
    Ok(answer.into_response(&headers))
}

/// Until when a list of slots computed at `now` may be shown again: a
/// moment at most, and never once its first slot falls inside the minimum
/// notice.
fn offer_deadline(
    slots: &[OfferedSlot],
    kind: &AppointmentType,
    now: Timestamp,
    clock: Instant,
) -> Instant {
    let notice = SignedDuration::from_mins(i64::from(kind.min_notice_min));
    let first_goes = slots
        .iter()
        .map(|s| s.start.saturating_sub(notice).unwrap_or(s.start))
        .min()
        .map(|at| {
            let left = now.duration_until(at);
            Duration::try_from(left).unwrap_or(Duration::ZERO)
        });
    let kept_for = first_goes.map_or(KEEP_FOR, |left| left.min(KEEP_FOR));
    clock + kept_for
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
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::TooLarge {
            limit_kib: crate::BODY_LIMIT / 1024,
        };
    }
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
    let practice = state.practice().await?;
    let valid = input
        .validate(&practice.questions)
        .map_err(ApiError::Invalid)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn gzip_is_sent_only_to_clients_that_accept_it() {
        assert!(accepts_gzip(&asking("gzip")));
        assert!(accepts_gzip(&asking("br, GZIP;q=0.8, deflate")));
        assert!(accepts_gzip(&asking("*")));
        assert!(!accepts_gzip(&asking("gzip;q=0")));
        assert!(!accepts_gzip(&asking("br, deflate")));
        assert!(!accepts_gzip(&asking("identity")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn the_compressed_answer_unpacks_to_the_plain_one() {
        use std::io::Read;
        let plain = Bytes::from(r#"{"slots":[{"start":"2026-12-02T09:00:00+00:00"}]}"#.repeat(50));
        let answer = Answer::new(plain.clone());
        let packed = answer.gzip.clone().unwrap();
        assert!(packed.len() < plain.len() / 4, "{} bytes", packed.len());
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, plain);
        assert_eq!(answer.size(), plain.len() + packed.len());
    }
}

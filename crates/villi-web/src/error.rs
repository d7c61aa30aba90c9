//! One error type for the JSON API and one mapping to HTTP responses. Internal
//! details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use villi_store::StoreError;

/// A problem with one input field, in words a person understands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// An error of the JSON API: `{"error":{"code","message","fields"}}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(&'static str),
    #[error("the input is not valid")]
    Invalid(Vec<FieldError>),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("too many requests; try again later")]
    RateLimited { retry_after_secs: i64 },
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("the service is busy; try again shortly")]
    Busy,
    #[error("the request body is larger than {limit_kib} KiB")]
    TooLarge { limit_kib: usize },
    #[error("something went wrong on our side")]
    Internal(String),
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid(_) => "invalid_input",
            ApiError::Conflict { code, .. } => code,
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Busy => "busy",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn slot_taken() -> Self {
        ApiError::Conflict {
            code: "slot_taken",
            message: "That time has just been booked. Please choose another time.".to_owned(),
        }
    }

    /// The fields of an `Invalid` error, empty otherwise.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Invalid(f) => f,
            _ => &[],
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::SlotTaken => ApiError::slot_taken(),
            StoreError::SlotRejected(why) => crate::booking::slots::rejection(why),
            StoreError::EmailCapReached => ApiError::Conflict {
                code: "too_many_bookings",
                message: "This email address already has as many upcoming calls as we allow. \
                          Please manage an existing booking from its email."
                    .to_owned(),
            },
            StoreError::NotFound => ApiError::NotFound("not found"),
            StoreError::NotActive => ApiError::Conflict {
                code: "booking_cancelled",
                message: "This booking has already been cancelled.".to_owned(),
            },
            StoreError::IdempotencyMismatch => ApiError::Invalid(vec![FieldError::new(
                "Idempotency-Key",
                "this key was already used for a different request",
            )]),
            StoreError::Conflict { constraint } => ApiError::Conflict {
                code: "conflict",
                message: format!("that conflicts with existing data ({constraint})"),
            },
            StoreError::Busy => ApiError::Busy,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: String,
    fields: &'a [FieldError],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let status = self.status();
        let body = Body {
            error: Inner {
                code: self.code(),
                message: self.to_string(),
                fields: self.fields(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self
            && let Ok(v) = retry_after_secs.to_string().parse()
        {
            response.headers_mut().insert("retry-after", v);
        }
        if matches!(self, ApiError::Busy) {
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("2"));
        }
        response
    }
}

/// An error while rendering a page: logged, shown as a plain apology.
#[derive(Debug)]
pub struct PageError(pub StatusCode, pub String);

impl From<askama::Error> for PageError {
    fn from(err: askama::Error) -> Self {
        PageError(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
    }
}

impl From<StoreError> for PageError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Busy => PageError(StatusCode::SERVICE_UNAVAILABLE, err.to_string()),
            other => PageError(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.0.is_server_error() {
            tracing::error!(detail = %self.1, "page failed");
        }
        let text = if self.0 == StatusCode::NOT_FOUND {
            "This page does not exist."
        } else if self.0 == StatusCode::SERVICE_UNAVAILABLE {
            "We are busy for a moment. Please try again."
        } else {
            "Something went wrong on our side. Nothing you entered was lost; please go back and try again."
        };
        let page = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><link rel=\"stylesheet\" href=\"/static/villi.css\">\
             <title>{text}</title><main class=\"narrow\"><h1>{text}</h1><p><a href=\"/\">Home</a></p></main></html>"
        );
        (self.0, Html(page)).into_response()
    }
}

pub async fn not_found() -> PageError {
    PageError(StatusCode::NOT_FOUND, String::new())
}

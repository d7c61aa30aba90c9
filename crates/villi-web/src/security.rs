//! Response headers every page gets, and the cross-site request check every
//! state-changing request passes.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;

use crate::AppState;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Refuses cross-site state changes, sets the security headers and logs the
/// request (at debug level; server errors at warn).
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    if is_state_changing(&method) && !same_origin(request.headers(), &state) {
        let path = request.uri().path();
        tracing::info!(%method, path = loggable(path), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "cross-site requests may not change anything here",
        )
            .into_response();
    }
    let path = request.uri().path().to_owned();
    let is_static = path.starts_with("/static/");
    let mut response = next.run(request).await;
    let status = response.status();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status.is_server_error() {
        tracing::warn!(%method, path = loggable(&path), status = status.as_u16(), ms, "request failed");
    } else {
        tracing::debug!(%method, path = loggable(&path), status = status.as_u16(), ms, "request");
    }
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Manage links carry a token in the path: never leak it to another site.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if state.settings.base_url.starts_with("https://") {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A path fit for the log: a manage link's id and token never leave the
/// request (query strings are never logged at all).
fn loggable(path: &str) -> &str {
    if path.starts_with("/manage/") {
        "/manage/…"
    } else if path.starts_with("/api/v1/bookings/") {
        "/api/v1/bookings/…"
    } else {
        path
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`);
/// clients that say nothing (curl, API clients) carry no ambient cookies of
/// ours that a forged request could abuse.
fn same_origin(headers: &HeaderMap, state: &AppState) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == state.settings.base_url {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin.split_once("://"), host) {
        (Some((_, origin_host)), Some(host)) => origin_host == host,
        _ => false,
    }
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Name of the form-token cookie: `__Host-` where the browser enforces it.
pub fn form_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-villi-form"
    } else {
        "villi-form"
    }
}

/// The per-form token from the cookie, if any.
pub fn form_cookie(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = form_cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// `Set-Cookie` for a fresh form token.
pub fn form_cookie_header(token: &str, secure: bool) -> String {
    let name = form_cookie_name(secure);
    let secure_attr = if secure { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=7200{secure_attr}")
}

/// The form token for a page: the visitor's current one, or a new one.
pub fn form_token(headers: &HeaderMap, secure: bool) -> String {
    form_cookie(headers, secure).unwrap_or_else(random_token)
}

/// Sets the form-token cookie on a page's response.
pub fn set_form_cookie(response: &mut axum::response::Response, token: &str, secure: bool) {
    if let Ok(v) = form_cookie_header(token, secure).parse() {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
}

/// Whether a submitted form carries the token of the visitor's cookie.
pub fn form_token_matches(headers: &HeaderMap, secure: bool, sent: &str) -> bool {
    tokens_match(&form_cookie(headers, secure).unwrap_or_default(), sent)
}

/// Constant-time comparison of two form tokens.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::loggable;

    #[test]
    fn a_logged_path_never_holds_a_manage_token_or_booking_id() {
        assert_eq!(loggable("/manage/0193-abc/s3cr3t-token"), "/manage/…");
        assert_eq!(
            loggable("/manage/0193-abc/s3cr3t-token/cancel"),
            "/manage/…"
        );
        assert_eq!(
            loggable("/api/v1/bookings/0193-abc/cancel"),
            "/api/v1/bookings/…"
        );
        assert_eq!(loggable("/api/v1/bookings"), "/api/v1/bookings");
        assert_eq!(loggable("/book"), "/book");
    }
}

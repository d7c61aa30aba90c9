//! Stylesheet and script, compiled into the binary: no CDN, so the strict
//! Content-Security-Policy holds.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("../static/villi.css");
const JS: &str = include_str!("../static/villi.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/villi.css", get(css))
        .route("/static/villi.js", get(js))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}

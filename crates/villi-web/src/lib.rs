//! villi's web application: the public site, discovery-call booking, the JSON
//! API and the background worker that sends emails and reminders.
//!
//! Everything a request needs lives in [`AppState`]; nothing that matters for
//! correctness is kept in process memory, so several servers may share one
//! PostgreSQL database.

pub mod booking;
mod error;
mod health;
mod home;
mod learn;
pub mod mail;
mod net;
mod security;
mod settings;
mod static_files;
pub mod worker;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use villi_store::Store;

pub use error::{ApiError, FieldError};
pub use mail::Mailer;
pub use net::TrustedProxies;
pub use settings::{RateLimits, Settings};

/// Shared, cheaply cloned state of one server.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    /// Wakes this process's worker early; correctness never depends on it.
    pub worker_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings, mailer: Mailer) -> Self {
        Self {
            store,
            settings: Arc::new(settings),
            mailer,
            worker_wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    pub fn wake_worker(&self) {
        self.worker_wake.notify_one();
    }
}

/// The whole application's router, with security headers and request tracing.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(home::router())
        .merge(booking::router())
        .merge(learn::router())
        .merge(health::router())
        .merge(static_files::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(256 * 1024))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

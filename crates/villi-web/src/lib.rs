//! villi's web application: the public site, discovery-call booking, the JSON
//! API and the background worker that sends emails and reminders.
//!
//! Everything a request needs lives in [`AppState`]; nothing that matters for
//! correctness is kept in process memory, so several servers may share one
//! PostgreSQL database. What is kept (the practice's settings and recent
//! availability answers, see [`memo`]) is a short-lived reading that the
//! database overrules.

pub mod booking;
mod error;
mod health;
mod home;
mod learn;
pub mod mail;
mod memo;
mod net;
mod security;
mod settings;
mod static_files;
pub mod worker;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use tokio::net::TcpListener;
use villi_store::Store;

use crate::booking::practice::Practice;
use crate::memo::{KEEP_FOR, Memo};

pub use error::{ApiError, FieldError};
pub use mail::Mailer;
pub use net::TrustedProxies;
pub use settings::{RateLimits, Settings};

/// The state of one server, shared by every request: cloning it is one
/// reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] holds.
pub struct Shared {
    pub store: Store,
    pub settings: Settings,
    pub mailer: Mailer,
    /// Wakes this process's worker early; correctness never depends on it.
    pub worker_wake: tokio::sync::Notify,
    caches: Caches,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Recent readings kept in memory; see [`memo`].
struct Caches {
    practice: Memo<(), Arc<Practice>>,
    /// Availability API answers by query string.
    availability: Memo<String, booking::api::Answer>,
}

/// Room for availability answers: a week of one practitioner's slots is
/// about 14 kB of JSON.
const AVAILABILITY_ENTRIES: usize = 256;
const AVAILABILITY_BYTES: usize = 4 << 20;

impl AppState {
    pub fn new(store: Store, settings: Settings, mailer: Mailer) -> Self {
        Self(Arc::new(Shared {
            store,
            settings,
            mailer,
            worker_wake: tokio::sync::Notify::new(),
            caches: Caches {
                practice: Memo::new(1, usize::MAX),
                availability: Memo::new(AVAILABILITY_ENTRIES, AVAILABILITY_BYTES),
            },
        }))
    }

    /// The practice's practitioners, types, questions and hours, read at
    /// most [`KEEP_FOR`] ago and since the last change made through this
    /// server.
    pub(crate) async fn practice(&self) -> Result<Arc<Practice>, ApiError> {
        let generation = self.store.changes().config;
        if let Some(kept) = self.caches.practice.get(&(), generation, Instant::now()) {
            return Ok(kept);
        }
        let read = Arc::new(Practice::load(&self.store, jiff::Timestamp::now()).await?);
        let deadline = Instant::now() + KEEP_FOR;
        self.caches
            .practice
            .put((), read.clone(), 0, generation, deadline);
        Ok(read)
    }

    pub fn wake_worker(&self) {
        self.worker_wake.notify_one();
    }
}

/// Largest request body read, in bytes.
pub(crate) const BODY_LIMIT: usize = 256 * 1024;

/// The whole application's router, with security headers and a log line
/// per request (see [`security::guard`]).
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
        // Every body is read through an extractor, which honours this.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
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

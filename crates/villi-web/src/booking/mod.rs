//! Discovery-call booking: the public pages, the JSON API, and the rules they
//! share.

pub(crate) mod api;
pub mod emails;
pub mod jobs;
mod manage;
mod pages;
pub mod practice;
pub mod request;
pub mod service;
pub mod slots;
mod view;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(manage::router())
        .merge(api::router())
}

//! The public "What can affect gut health" page, built from the knowledge
//! base: the four groups in plain language, each item with the strength of
//! its evidence and its sources.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use villi_domain::knowledge::{KnowledgeBase, PublicOverview, public_overview};

use crate::AppState;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new().route("/gut-health", get(page))
}

#[derive(Template)]
#[template(path = "gut_health.html")]
struct GutHealthPage {
    practice: String,
    overview: &'static PublicOverview,
}

/// Built once: the knowledge base is embedded and does not change.
fn overview() -> &'static PublicOverview {
    static OVERVIEW: std::sync::OnceLock<PublicOverview> = std::sync::OnceLock::new();
    OVERVIEW.get_or_init(|| public_overview(KnowledgeBase::embedded()))
}

async fn page(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    let page = GutHealthPage {
        practice: state.settings.practice_name.clone(),
        overview: overview(),
    };
    Ok(Html(page.render()?))
}

//! The practice's home page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

struct PractitionerCard {
    name: String,
    bio: String,
    slug: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    practice: String,
    tagline: String,
    practitioners: Vec<PractitionerCard>,
}

async fn home(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    let practitioners = state
        .store
        .practitioners()
        .await?
        .into_iter()
        .map(|p| PractitionerCard {
            name: p.name,
            bio: p.bio,
            slug: p.slug,
        })
        .collect();
    let page = HomePage {
        practice: state.settings.practice_name.clone(),
        tagline: state.settings.practice_tagline.clone(),
        practitioners,
    };
    Ok(Html(page.render()?))
}

//! The ceiling for any page villi serves: axum answering a static page with
//! no middleware, no database and no templating.

use std::net::SocketAddr;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use tokio::net::TcpListener;

/// A page about the size of a small HTML response.
const PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Static page</title></head><body><main><h1>Static page</h1>\
<p>A fixed page served straight from memory, the baseline for every request villi answers.</p>\
</main></body></html>\n";

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// The whole application: `GET /` and nothing else.
pub fn router() -> Router {
    Router::new().route("/", get(page))
}

/// Binds `addr` (port 0 picks a free port) and says where it listens.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

/// Serves [`router`] on `listener` until the process ends.
pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    axum::serve(listener, router()).await?;
    Ok(())
}

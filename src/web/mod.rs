//! The HTTP layer: thin handlers over `db` queries and `domain` rules, one module per page
//! family, each owning its `router()`, merged here.

mod cards;
mod charts;
mod error;
mod format;
mod pages;
pub mod query;

use std::path::Path;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::db::Database;
pub use error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    /// Where readers reach this server, without a trailing slash: link previews need absolute URLs.
    pub public_url: String,
}

/// The whole application: every page, the static files and the error pages.
pub fn router(state: AppState, static_dir: &Path) -> Router {
    Router::new()
        .merge(pages::router())
        .nest_service("/static", ServeDir::new(static_dir))
        .fallback(error::not_found_fallback)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

//! The HTTP layer: thin handlers over `db` queries and `domain` rules, one module per page
//! family, each owning its `router()`, merged here.

pub(crate) mod api;
pub mod auth;
pub mod cache;
mod cards;
mod charts;
pub mod client;
mod error;
pub mod extract;
mod format;
pub mod forms;
pub mod hardening;
pub(crate) mod pages;
pub mod paging;
pub mod path;
pub mod query;

use std::path::Path;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::db::Database;
pub use auth::{SessionPolicy, check_username};
pub use error::AppError;

/// A filter lists its choices up to this many; past it the form takes a typed address, so that
/// a page never reads ten thousand names to fill a list no one scrolls.
pub const CHOICES_LISTED: i64 = 200;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub throttle: std::sync::Arc<auth::LoginThrottle>,
    /// Second-factor code attempts, per account.
    pub code_throttle: std::sync::Arc<auth::CodeThrottle>,
    /// Session time-outs and the two-factor requirement for admins.
    pub sessions: auth::SessionPolicy,
    /// Where readers reach this server, without a trailing slash: link previews need absolute URLs.
    pub public_url: String,
    /// Finished public pages, until the data changes.
    pub pages: std::sync::Arc<cache::PageCache>,
    /// The live leaderboard's forecasts, in memory.
    pub standings: std::sync::Arc<crate::live_leaderboard::LiveStandings>,
    /// Reverse proxies whose X-Forwarded-For names the client (see `client::client_ip`).
    pub trusted_proxies: std::sync::Arc<[std::net::IpAddr]>,
    /// The experts and scales article extraction reads, until the data changes.
    pub knowledge: std::sync::Arc<crate::extraction::KnowledgeCache>,
}

impl AppState {
    pub fn new(db: Database, public_url: &str) -> Self {
        let pages = std::sync::Arc::new(cache::PageCache::new(&db));
        Self {
            db,
            throttle: auth::throttle(),
            code_throttle: std::sync::Arc::new(auth::CodeThrottle::default()),
            sessions: auth::SessionPolicy::default(),
            public_url: public_url.trim_end_matches('/').to_string(),
            pages,
            standings: std::sync::Arc::default(),
            trusted_proxies: std::sync::Arc::new([]),
            knowledge: std::sync::Arc::default(),
        }
    }

    /// Believes X-Forwarded-For from these peers (none by default).
    #[must_use]
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> Self {
        self.trusted_proxies = proxies.into();
        self
    }

    /// With `--require-admin-two-factor`: admins must turn on two-factor sign-in first.
    pub fn require_admin_two_factor(mut self, required: bool) -> Self {
        self.sessions.require_admin_two_factor = required;
        self
    }
}

/// The whole application: every page, the static files and the error pages. Every request that
/// could change something (anything but GET, HEAD and OPTIONS) must come from this site.
pub fn router(state: AppState, static_dir: &Path) -> Router {
    let secure = state.public_url.starts_with("https://");
    let trusted_proxies = std::sync::Arc::clone(&state.trusted_proxies);
    let csrf = tower_http::csrf::CsrfLayer::new();
    let csrf = csrf
        .clone()
        .add_trusted_origin(state.public_url.as_str())
        .unwrap_or(csrf);
    let app = Router::new()
        .merge(pages::router())
        .merge(auth::router())
        .merge(api::router())
        .route_layer(axum::middleware::from_fn(query::refuse_unknown_parameters))
        .nest_service("/static", ServeDir::new(static_dir))
        .fallback(error::not_found_fallback)
        .layer(axum::Extension(state.sessions))
        .layer(auth::layer(&state.db, secure, state.sessions))
        .layer(csrf)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::clone(&state.pages),
            cache::serve_from_cache,
        ));
    hardening::harden_with(
        app.with_state(state),
        hardening::Options {
            tls: secure,
            trusted_proxies,
            ..hardening::Options::default()
        },
    )
}

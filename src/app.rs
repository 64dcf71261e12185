//! The application as one value: its state and its router, built in one place, so that the
//! server `main` runs and the router every test drives cannot drift apart.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

use crate::db::{Database, dataset};
use crate::import::DEMO_DATA_SET;
use crate::web::cache::PageCache;
use crate::web::{AppState, SessionPolicy, router};

/// What an [`App`] is built from.
pub struct Options {
    pub database: Database,
    /// Link previews and the CSRF check need the address readers reach the server at.
    pub public_url: String,
    pub static_dir: PathBuf,
    /// Reverse proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub sessions: SessionPolicy,
    /// `None` for a fresh cache over `database`; a test sets one up with other limits.
    pub page_cache: Option<Arc<PageCache>>,
    /// So that a first run on an empty database shows something.
    pub load_demo_if_empty: bool,
}

impl Options {
    /// Served as `public_url` from `static_dir`, with no trusted proxies, the default session
    /// policy, a fresh page cache and no demo.
    pub fn new(database: Database, public_url: &str, static_dir: impl Into<PathBuf>) -> Self {
        Self {
            database,
            public_url: public_url.to_string(),
            static_dir: static_dir.into(),
            trusted_proxies: Vec::new(),
            sessions: SessionPolicy::default(),
            page_cache: None,
            load_demo_if_empty: false,
        }
    }
}

/// Every page and the API over one database, ready to serve.
pub struct App {
    /// What the router was built with: the database, the throttles, the caches.
    pub state: AppState,
    pub router: Router,
}

impl App {
    pub async fn build(options: Options) -> anyhow::Result<App> {
        let db = options.database;
        if options.load_demo_if_empty && db.is_empty().await? {
            let report = dataset::import_json(&db, DEMO_DATA_SET, false, None).await?;
            // Logged as the binary's own line, as it was before the app was built here.
            tracing::info!(
                target: "hindsight",
                predictions = report.created("predictions"),
                experts = report.created("experts"),
                "loaded the demo data set into the empty database"
            );
        }
        let mut state =
            AppState::new(db, &options.public_url).with_trusted_proxies(options.trusted_proxies);
        state.sessions = options.sessions;
        if let Some(pages) = options.page_cache {
            state.pages = pages;
        }
        let router = router(state.clone(), &options.static_dir);
        Ok(App { state, router })
    }
}

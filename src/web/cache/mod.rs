//! Finished public pages kept in memory until the data changes. A shared scorecard link can bring
//! a crowd; after the first reader, the rest are answered from here without touching the
//! database, and a browser that has the page already gets a 304 for its ETag.
//!
//! What changes the data: any successful write through this server (every one is a POST, and
//! bumps the generation when it answers), and writes by other processes on the same file, such
//! as `hindsight import`, which `watch_for_outside_writes` notices within a second through
//! SQLite's `data_version`. Signed-in analysts are never served from here: their pages differ.

mod page;
mod watch;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::db::Database;
use crate::web::auth::SESSION_COOKIE;
use page::{Page, PageWeight};
pub use watch::{OutsideWriteWatcher, watch_for_outside_writes};

/// Memory for finished pages, compressed or not.
const CAPACITY_BYTES: u64 = 48 * 1024 * 1024;
/// A page bigger than this is served but not kept.
const LARGEST_KEPT: usize = 4 * 1024 * 1024;

/// Pages made at once from the database: half of its eight reader connections.
const UNCACHED_AT_ONCE: usize = 4;
/// A page that cannot start within this long gets a 503 with Retry-After.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// The pages readers share; everything else (forms, exports, sign-in, static files, which have
/// their own caching) passes through.
const SHARED_PREFIXES: [&str; 8] = [
    "/experts",
    "/events",
    "/leaderboard",
    "/predictions",
    "/propositions/",
    "/sources/",
    "/scales",
    "/api/v1/",
];

/// What a page pinned at or before the last write says forever: any cache may keep it.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

type Key = (bool, String);

pub struct PageCache {
    /// Its generation (see `Database::generation`) and its write clock (whether a pinned page
    /// is final).
    db: Database,
    /// By (gzip accepted, path and query).
    pages: quick_cache::sync::Cache<Key, Arc<Page>, PageWeight>,
    /// Pages being made: a crowd arriving at once waits for the first reader's copy instead of
    /// making the same page thirty times over.
    in_flight: std::sync::Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
    /// Pages made at once; the rest of the database's readers stay free for kept pages, the
    /// health check and analysts.
    uncached_work: Arc<tokio::sync::Semaphore>,
    /// How long a page waits for its turn before the reader is told to come back.
    queue_wait: Duration,
}

impl PageCache {
    /// A cache whose pages not yet kept wait at most `queue_wait` for their turn.
    pub fn with_queue_wait(db: &Database, queue_wait: Duration) -> Self {
        Self {
            queue_wait,
            ..Self::new(db)
        }
    }

    pub fn new(db: &Database) -> Self {
        Self {
            db: db.clone(),
            pages: quick_cache::sync::Cache::with_weighter(4_096, CAPACITY_BYTES, PageWeight),
            in_flight: std::sync::Mutex::default(),
            uncached_work: Arc::new(tokio::sync::Semaphore::new(UNCACHED_AT_ONCE)),
            queue_wait: QUEUE_WAIT,
        }
    }

    /// Whether the page at `path_and_query` is kept and current, plain or compressed.
    pub fn holds(&self, path_and_query: &str) -> bool {
        [false, true]
            .into_iter()
            .any(|gzip| self.current(&(gzip, path_and_query.to_string())).is_some())
    }

    /// The permits for making pages that are not kept yet: take them all to see what a reader
    /// gets when the server is saturated.
    pub fn uncached_work(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.uncached_work
    }

    /// Forgets every page that a write can change: the data they were made from has changed.
    pub fn invalidate(&self) {
        self.db.mark_changed();
        // A final page (pinned at or before a committed write) reads the same after any write.
        self.pages.retain(|_, page| page.fixed);
    }

    fn generation(&self) -> u64 {
        // The database's: see `Database::generation`.
        self.db.generation.load(Ordering::Acquire)
    }

    fn current(&self, key: &Key) -> Option<Arc<Page>> {
        let generation = self.generation();
        self.pages
            .get(key)
            .filter(|p| p.fixed || p.generation == generation)
    }

    fn flight(&self, key: &Key) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(flights.entry(key.clone()).or_default())
    }

    fn land(&self, key: &Key) {
        self.in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
    }
}

fn signed_in(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .any(|cookie| {
            cookie
                .to_str()
                .is_ok_and(|c| c.contains(&format!("{SESSION_COOKIE}=")))
        })
}

/// A page every reader sees alike.
fn public_page(path: &str) -> bool {
    (path == "/"
        || SHARED_PREFIXES
            .iter()
            .any(|prefix| path.starts_with(prefix)))
        && !path.ends_with("/edit")
        && !path.ends_with("/new")
        && !path.ends_with("/resolve")
}

/// GET, and HEAD, which answers with the same headers from the same copy.
fn shared(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !signed_in(request)
        && public_page(request.uri().path())
}

/// Whether the page asked for is pinned (`as_of`) at or before the last write committed.
async fn pinned_and_final(query: Option<&str>, db: &Database) -> bool {
    match crate::web::extract::read_query::<crate::web::query::AsOfQuery>(query) {
        Ok(asked) => crate::db::is_final(db, asked.as_of).await.unwrap_or(false),
        Err(_) => false,
    }
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .any(|value| value.to_str().is_ok_and(|v| v.contains("gzip")))
}

/// Ends a flight when the page is made (or failed), before its waiters wake.
struct Landing<'a>(&'a PageCache, &'a Key);

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        self.0.land(self.1);
    }
}

/// The middleware: answers shared pages from memory and keeps new ones. It never forgets them
/// on a request's say-so: only a write that commits (`Database::mark_changed`, or another
/// process's, seen by `watch_for_outside_writes`) moves the generation on, so an anonymous POST
/// that changes nothing (a sign-out without a session) cannot empty the cache.
pub async fn serve_from_cache(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if !shared(&request) {
        return pass_through(request, next).await;
    }
    let head = request.method() == Method::HEAD;
    let mut request = request;
    if head {
        // Made as for GET, so the copy kept serves both; the body is left off below.
        *request.method_mut() = Method::GET;
    }
    let request_headers = request.headers().clone();
    let key = (
        accepts_gzip(&request_headers),
        request
            .uri()
            .path_and_query()
            .map_or_else(String::new, |p| p.as_str().to_string()),
    );
    if let Some(page) = cache.current(&key) {
        return page.response(&request_headers, head);
    }
    let flight = cache.flight(&key);
    let _making = flight.lock().await;
    let _landing = Landing(&cache, &key);
    // The reader ahead in the crowd may have made it meanwhile.
    if let Some(page) = cache.current(&key) {
        return page.response(&request_headers, head);
    }
    match make(&cache, &key, request, next).await {
        Ok(page) => page.response(&request_headers, head),
        Err(response) => response,
    }
}

/// A request for a page not shared between readers: served as it is, and kept by no one when
/// it is made for one person.
async fn pass_through(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let private = signed_in(&request) || !(public_page(path) || path.starts_with("/static/"));
    let mut response = next.run(request).await;
    if private {
        // Forms, sign-in, exports and every page an analyst sees are made for one person.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Makes the page at `key`, and keeps it if no write landed meanwhile; a response that is not
/// a page to keep (an error, a redirect, a reader told to come back) is the `Err`.
async fn make(
    cache: &PageCache,
    key: &Key,
    request: Request,
    next: Next,
) -> Result<Arc<Page>, Response> {
    let generation = cache.generation();
    let query = request.uri().query().map(str::to_string);
    let fixed = pinned_and_final(query.as_deref(), &cache.db).await;
    // Making a page reads the database; a crowd of distinct addresses (a search for every
    // word, page after page) would otherwise take every reader connection and starve the rest.
    let Ok(Ok(_permit)) = tokio::time::timeout(
        cache.queue_wait,
        Arc::clone(&cache.uncached_work).acquire_owned(),
    )
    .await
    else {
        return Err(crate::web::AppError::Busy.into_response());
    };
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return Err(response);
    }
    let page = Arc::new(Page::made(response, generation, fixed).await?);
    // A page made while a write landed may show the old data: keep it only if none did.
    if page.body.len() <= LARGEST_KEPT && cache.generation() == generation {
        cache.pages.insert(key.clone(), Arc::clone(&page));
    }
    Ok(page)
}

//! What every response gets, whatever page made it: security headers, a bound on how long a
//! request may take and how big a form may be, a request id of our own and the client's
//! address in the logs (the id in the response too), and a panic turned into the ordinary 500
//! page instead of a dropped connection.

use std::any::Any;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use super::AppError;

/// No script runs on any page and nothing is inlined: everything comes from this site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Forms are small; the upload page allows more on its own route.
pub const FORM_BYTES: usize = 256 * 1024;

/// Longer than any page takes, shorter than a client that never finishes may hold a worker.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

fn panic_page(_: Box<dyn Any + Send + 'static>) -> Response<axum::body::Body> {
    tracing::error!("a request handler panicked");
    AppError::Internal(anyhow::anyhow!("a request handler panicked")).into_response()
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// A client's own `x-request-id` can be anything, e.g. another request's id to muddle an
/// investigation, so it is never the request's id; it is logged beside ours (at most this
/// long), since a proxy in front may have sent it to tie its logs to ours.
const CLIENT_REQUEST_ID_CHARS: usize = 64;

/// The `x-request-id` the client sent, taken off the request before ours is set.
#[derive(Debug, Clone)]
pub struct ClientRequestId(pub HeaderValue);

/// How to harden a router.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site is served over HTTPS, so browsers are told to use nothing else (HSTS).
    pub tls: bool,
    /// How long a request may take.
    pub timeout: Duration,
    /// Peers whose X-Forwarded-For names the client in the log.
    pub trusted_proxies: Arc<[IpAddr]>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            tls: false,
            timeout: REQUEST_TIMEOUT,
            trusted_proxies: Arc::new([]),
        }
    }
}

/// Wraps `router` in the layers every response passes through. `tls`: the site is served over
/// HTTPS, so browsers are told to use nothing else (HSTS).
pub fn harden(router: Router, tls: bool) -> Router {
    harden_with(
        router,
        Options {
            tls,
            ..Options::default()
        },
    )
}

/// `harden`, with a time-out of the caller's choosing (tests wait less than a minute).
pub fn harden_with_timeout(router: Router, tls: bool, timeout: Duration) -> Router {
    harden_with(
        router,
        Options {
            tls,
            timeout,
            ..Options::default()
        },
    )
}

async fn take_client_request_id(
    mut request: Request<axum::body::Body>,
) -> Request<axum::body::Body> {
    if let Some(id) = request.headers_mut().remove("x-request-id") {
        request.extensions_mut().insert(ClientRequestId(id));
    }
    request
}

/// The request's span: our id, the client's address, what was asked; the client's own request
/// id when it sent one.
fn request_span<B>(request: &Request<B>, trusted: &[IpAddr]) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let client = crate::web::client::request_client_ip(request, trusted);
    let client =
        tracing::field::display(client.map_or_else(|| "-".to_string(), |ip| ip.to_string()));
    let span = tracing::info_span!(
        "request",
        id,
        client,
        method = %request.method(),
        uri = %request.uri(),
        client_request_id = tracing::field::Empty,
    );
    if let Some(ClientRequestId(theirs)) = request.extensions().get::<ClientRequestId>() {
        // Header values are visible ASCII or they fail `to_str`: nothing that could forge a line.
        let theirs = theirs.to_str().unwrap_or("(not text)");
        let end = theirs
            .char_indices()
            .nth(CLIENT_REQUEST_ID_CHARS)
            .map_or(theirs.len(), |(at, _)| at);
        span.record("client_request_id", &theirs[..end]);
    }
    span
}

/// `harden`, with every option.
pub fn harden_with(router: Router, options: Options) -> Router {
    let Options {
        tls,
        timeout,
        trusted_proxies,
    } = options;
    let router = router
        .layer(DefaultBodyLimit::max(FORM_BYTES))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ));
    let router = if tls {
        router.layer(header_layer(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        router
    };
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(move |request: &Request<_>| request_span(request, &trusted_proxies))
                // One line a request, with its status and time, inside the span that names its id.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::map_request(take_client_request_id))
}

//! What every response gets, whatever page made it: security headers, a bound on how long a
//! request may take and how big a form may be, a request id in the logs and in the response,
//! and a panic turned into the ordinary 500 page instead of a dropped connection.

use std::any::Any;
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
    AppError::Internal("a request handler panicked".to_string()).into_response()
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Wraps `router` in the layers every response passes through. `tls`: the site is served over
/// HTTPS, so browsers are told to use nothing else (HSTS).
pub fn harden(router: Router, tls: bool) -> Router {
    harden_with_timeout(router, tls, REQUEST_TIMEOUT)
}

/// `harden`, with a time-out of the caller's choosing (tests wait less than a minute).
pub fn harden_with_timeout(router: Router, tls: bool, timeout: Duration) -> Router {
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
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
            })
            // One line a request, with its status and time, inside the span that names its id.
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

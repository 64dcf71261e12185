//! Every response carries the security headers and a request id; oversized forms are refused
//! before they reach a handler; a panic is an ordinary 500 page.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use tower::ServiceExt;

use crate::helpers::{demo_with_analyst, select, spawn_app};

#[tokio::test]
async fn pages_and_files_carry_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for uri in [
        "/",
        "/experts/jeh-sung-hoon",
        "/static/style.css",
        "/no-such-page",
    ] {
        let page = app.get(uri).await;
        let csp = page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(
            page.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
        assert_eq!(
            page.headers[header::REFERRER_POLICY],
            "strict-origin-when-cross-origin"
        );
        assert!(
            !page.headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "no HSTS over plain HTTP"
        );
        let id = page.headers["x-request-id"].to_str().unwrap();
        assert_eq!(id.len(), 36, "a UUID: {id}");
    }
    let tls = crate::helpers::spawn_empty_app_at("https://hindsight.example").await;
    let page = tls.get("/").await;
    assert!(
        page.headers[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
}

#[tokio::test]
async fn an_oversized_form_is_refused_and_changes_nothing() {
    let (app, session) = demo_with_analyst("max").await;
    let before = app.count("experts").await;
    let huge = "x".repeat(hindsight::web::hardening::FORM_BYTES + 1);
    let page = app
        .post_as(
            &session,
            "/experts/new",
            &[("name", huge.as_str()), ("kind", "person")],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("experts").await, before);
}

#[tokio::test]
async fn a_panic_is_the_ordinary_error_page_and_leaks_nothing() {
    let router = Router::new().route(
        "/boom",
        get(|| async {
            let detail: Vec<&str> = Vec::new();
            // Out of bounds: a panic carrying a detail no reader should see.
            detail[usize::from(detail.is_empty())].to_string()
        }),
    );
    let router = hindsight::web::hardening::harden(router, false);
    let response = router
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.headers().contains_key("x-request-id"));
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body = String::from_utf8_lossy(&bytes);
    assert!(!body.contains("out of bounds"), "{body}");
    let html = scraper::Html::parse_document(&body);
    assert!(!select(&html, "h1").is_empty(), "an error page: {body}");
}

/// A client that stops sending halfway through its body gets a 408 once the time-out passes,
/// instead of holding the request open.
#[tokio::test]
async fn a_request_that_never_finishes_arriving_times_out_with_408() {
    use futures_util::StreamExt;

    let router = Router::new().route(
        "/form",
        axum::routing::post(|body: String| async move { body }),
    );
    let router = hindsight::web::hardening::harden_with_timeout(
        router,
        false,
        std::time::Duration::from_millis(200),
    );
    let stalled = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"name=half"))
    })
    .chain(futures_util::stream::pending());
    let started = std::time::Instant::now();
    let response = router
        .oneshot(
            Request::post("/form")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from_stream(stalled))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// At the default level the server logs one line a request, inside a span that carries the
/// request id the response gives back and the client's address: the peer's, or behind a
/// trusted proxy (`--trusted-proxy`) the one it forwards.
#[tokio::test]
async fn each_request_is_logged_with_its_request_id_and_client_address() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hindsight.db").display());
    let (mut server, http) = crate::binary::start(crate::binary::Launch {
        log: "info",
        args: &["--trusted-proxy", "192.0.2.1,127.0.0.1"],
        ..crate::durability::demo_server(&url, std::process::Stdio::piped())
    })
    .await;
    let (status, headers, _) = http
        .send(
            axum::http::Request::get(format!("{}/experts/jeh-sung-hoon", http.base)),
            String::new(),
        )
        .await;
    assert_eq!(status, 200);
    let id = headers["x-request-id"].to_str().unwrap().to_string();
    let (_, headers, _) = http
        .send(
            axum::http::Request::get(format!("{}/experts", http.base))
                .header("x-forwarded-for", "198.51.100.7, 203.0.113.9"),
            String::new(),
        )
        .await;
    let forwarded_id = headers["x-request-id"].to_str().unwrap().to_string();
    let log = server.stop_and_read_log();
    let line_of = |id: &str| {
        log.iter()
            .find(|line| line.contains(id))
            .unwrap_or_else(|| panic!("no log line names {id}: {log:#?}"))
            .clone()
    };
    let line = line_of(&id);
    assert!(line.contains("/experts/jeh-sung-hoon"), "{line}");
    assert!(line.contains("status=200"), "{line}");
    assert!(line.contains("client=127.0.0.1"), "{line}");
    let line = line_of(&forwarded_id);
    assert!(line.contains("client=203.0.113.9"), "{line}");
}

/// Log lines written while the guard lives, in-process.
/// This thread's log lines, from a subscriber installed once for the whole test binary: a
/// per-test subscriber (`set_default`) raced the other tests' threads over tracing's global
/// level and interest caches and now and then missed a line.
struct CapturedLog;

thread_local! {
    static THREAD_LOG: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct ThreadLogWriter;

impl std::io::Write for ThreadLogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        THREAD_LOG.with(|log| log.borrow_mut().extend_from_slice(bytes));
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    /// Captures this thread's log (a `#[tokio::test]` runs everything on its one thread).
    fn start() -> Self {
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_ansi(false)
                .with_max_level(tracing::Level::INFO)
                .with_writer(|| ThreadLogWriter)
                .finish();
            let _ = tracing::subscriber::set_global_default(subscriber);
        });
        THREAD_LOG.with(|log| log.borrow_mut().clear());
        Self
    }

    fn text(&self) -> String {
        THREAD_LOG.with(|log| String::from_utf8_lossy(&log.borrow()).into_owned())
    }
}

fn request_from(peer: &str, forwarded_for: Option<&str>) -> Request<Body> {
    let peer: std::net::SocketAddr = peer.parse().unwrap();
    let mut request = Request::get("/").header("x-request-id", "chosen-by-the-client");
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    request
        .extension(axum::extract::ConnectInfo(peer))
        .body(Body::empty())
        .unwrap()
}

/// A client's `x-request-id` is not taken as the request's id (it could name another request,
/// or forge lines in the log); ours is in the response and the log, theirs beside it.
#[tokio::test]
async fn a_request_id_sent_by_the_client_is_not_used_as_ours() {
    let log = CapturedLog::start();
    let router =
        hindsight::web::hardening::harden(Router::new().route("/", get(|| async { "ok" })), false);
    let response = router
        .oneshot(request_from("192.0.2.7:5000", None))
        .await
        .unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "chosen-by-the-client");
    assert_eq!(id.len(), 36, "a UUID of ours: {id}");
    let line = line_naming(&log.text(), id);
    assert!(
        line.contains(&format!("{{id=\"{id}\"")),
        "ours is the id: {line}"
    );
    assert!(
        line.contains("client_request_id=\"chosen-by-the-client\""),
        "theirs beside it: {line}"
    );
}

/// The log names the peer; X-Forwarded-For counts only from a trusted proxy, and then its
/// right-most entry that is not itself a trusted proxy: what a client writes to its left is
/// ignored.
#[tokio::test]
async fn the_log_names_the_client_address_forwarded_only_by_a_trusted_proxy() {
    let log = CapturedLog::start();
    let trusted: std::sync::Arc<[std::net::IpAddr]> =
        std::sync::Arc::new(["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()]);
    let router = hindsight::web::hardening::harden_with(
        Router::new().route("/", get(|| async { "ok" })),
        hindsight::web::hardening::Options {
            trusted_proxies: trusted,
            ..Default::default()
        },
    );
    for (peer, forwarded_for, client) in [
        ("192.0.2.7:5000", Some("203.0.113.5"), "192.0.2.7"),
        (
            "10.0.0.1:5000",
            Some("198.51.100.1, 203.0.113.5, 10.0.0.2"),
            "203.0.113.5",
        ),
        ("10.0.0.1:5000", None, "10.0.0.1"),
    ] {
        let response = router
            .clone()
            .oneshot(request_from(peer, forwarded_for))
            .await
            .unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap();
        let line = line_naming(&log.text(), id);
        assert!(
            line.contains(&format!("client={client} ")),
            "{peer} {forwarded_for:?}: {line}"
        );
    }
}

/// `client_ip`, which the log (and later the login throttle) relies on.
#[test]
fn the_client_address_is_the_right_most_untrusted_hop() {
    use hindsight::web::client::client_ip;
    use std::net::IpAddr;

    let trusted: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "2001:db8::1".parse().unwrap()];
    let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
    let of = |peer: &str, headers: &[&str]| {
        let mut request = Request::get("/");
        for value in headers {
            request = request.header("x-forwarded-for", *value);
        }
        let request = request
            .extension(axum::extract::ConnectInfo(
                peer.parse::<std::net::SocketAddr>().unwrap(),
            ))
            .body(())
            .unwrap();
        client_ip(&request.into_parts().0, &trusted)
    };
    assert_eq!(
        of("192.0.2.7:1", &["203.0.113.5"]),
        ip("192.0.2.7"),
        "an untrusted peer"
    );
    assert_eq!(of("10.0.0.1:1", &["203.0.113.5"]), ip("203.0.113.5"));
    assert_eq!(
        of("10.0.0.1:1", &["1.1.1.1, 203.0.113.5:4711, 2001:db8::1"]),
        ip("203.0.113.5"),
        "trusted hops skipped, a port dropped"
    );
    assert_eq!(
        of("10.0.0.1:1", &["1.1.1.1", "[2001:db8::7]:443"]),
        ip("2001:db8::7"),
        "several headers are one list"
    );
    assert_eq!(
        of("[::ffff:10.0.0.1]:1", &["203.0.113.5"]),
        ip("203.0.113.5"),
        "a mapped IPv4 peer"
    );
    assert_eq!(
        of("10.0.0.1:1", &["1.1.1.1, garbage"]),
        ip("10.0.0.1"),
        "an unreadable hop"
    );
    assert_eq!(
        of("10.0.0.1:1", &["2001:db8::1"]),
        ip("2001:db8::1"),
        "every hop trusted"
    );
    assert_eq!(of("10.0.0.1:1", &[]), ip("10.0.0.1"), "the proxy itself");
}

/// The log line that names request `id`.
fn line_naming(log: &str, id: &str) -> String {
    log.lines()
        .find(|line| line.contains(id))
        .unwrap_or_else(|| panic!("no line names {id}: {log}"))
        .to_string()
}

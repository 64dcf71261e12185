//! Every response carries the security headers and a request id; oversized forms are refused
//! before they reach a handler; a panic is an ordinary 500 page.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use tower::ServiceExt;

use crate::helpers::{select, spawn_app};

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
    let app = spawn_app().await;
    let session = app.analyst("max").await;
    let before = app.count("experts").await;
    let huge = "x".repeat(hindsight::web::hardening::FORM_BYTES + 1);
    let page = app
        .post_form(
            "/experts/new",
            Some(&session),
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
/// request id the response gives back.
#[tokio::test]
async fn each_request_is_logged_with_its_request_id() {
    use std::io::BufRead;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hindsight.db").display());
    let (mut server, http) = crate::binary::start(crate::binary::Launch {
        log: "info",
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
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let log: Vec<String> = std::io::BufReader::new(server.child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .collect();
    let line = log
        .iter()
        .find(|line| line.contains(&id))
        .unwrap_or_else(|| panic!("no log line names {id}: {log:#?}"));
    assert!(line.contains("/experts/jeh-sung-hoon"), "{line}");
    assert!(line.contains("status=200"), "{line}");
}

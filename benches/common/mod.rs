//! What the benchmarks share: the real server as a child process, and a small HTTP client.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::process::Child;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

pub const BINARY: &str = env!("CARGO_BIN_EXE_hindsight");

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Http {
    pub client: Client<HttpConnector, Full<Bytes>>,
    pub base: String,
}

impl Http {
    pub async fn send(
        &self,
        request: axum::http::request::Builder,
        body: String,
    ) -> (axum::http::StatusCode, axum::http::HeaderMap, Bytes) {
        let response = self
            .client
            .request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, body)
    }

    pub async fn get(&self, path: &str) -> (axum::http::StatusCode, Duration) {
        let started = Instant::now();
        let (status, _, _) = self
            .send(
                axum::http::Request::get(format!("{}{path}", self.base)),
                String::new(),
            )
            .await;
        (status, started.elapsed())
    }

    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> (axum::http::StatusCode, axum::http::HeaderMap) {
        let mut request = axum::http::Request::post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        let (status, headers, _) = self.send(request, body).await;
        (status, headers)
    }
}

/// Starts `hindsight serve` on a free loopback port over `url` and waits until it answers.
pub async fn start_server(url: &str) -> (Server, Http) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = std::process::Command::new(BINARY)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--database",
            url,
            "--no-demo",
        ])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: base.clone(),
    };
    let http = Http {
        client: Client::builder(hyper_util::rt::TokioExecutor::new()).build_http(),
        base: base.clone(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while http
        .client
        .get(format!("{base}/healthz").parse().unwrap())
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (server, http)
}

/// An analyst account with `password`, made through the library as `user add` would.
pub async fn add_analyst(db: &hindsight::db::Database, username: &str, password: &str) {
    let (_, token) = hindsight::db::accounts::create(
        db,
        username,
        username,
        hindsight::domain::Role::Analyst,
        None,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    let hash = hindsight::accounts::hash_password(
        &hindsight::accounts::Password::parse(password).unwrap(),
    )
    .unwrap();
    hindsight::db::accounts::redeem(db, &token, None, &hash)
        .await
        .unwrap();
}

/// Signs in through the form and returns the session cookie.
pub async fn sign_in(http: &Http, username: &str, password: &str) -> String {
    let (status, headers) = http
        .post_form(
            "/login",
            None,
            &[
                ("username", username),
                ("password", password),
                ("next", "/analyst"),
            ],
        )
        .await;
    assert_eq!(status, 303, "sign-in");
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hindsight="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string()
}

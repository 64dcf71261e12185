//! The real `hindsight` binary as a child process on a free loopback port, and a small HTTP
//! client for it. The integration tests (to kill it, signal it, read its log) and the
//! benchmarks (to load it) both include this file.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, request};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

pub const BINARY: &str = env!("CARGO_BIN_EXE_hindsight");

/// Runs the binary with `args`, as a person runs a command, and asserts that it succeeds; what it
/// printed.
pub fn run_to_success(args: &[&str]) -> String {
    let out = Command::new(BINARY)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// How to start the server.
pub struct Launch<'a> {
    /// The database, e.g. `sqlite:///tmp/x/hindsight.db`.
    pub url: &'a str,
    /// `RUST_LOG`.
    pub log: &'a str,
    /// Where its standard output (and so its log) goes.
    pub output: Stdio,
    /// Load the demo into an empty database, as `cargo run` does.
    pub demo: bool,
    /// More arguments for `serve`.
    pub args: &'a [&'a str],
}

impl<'a> Launch<'a> {
    /// Quiet, and without the demo: what the benchmarks load is theirs.
    pub fn quiet(url: &'a str) -> Self {
        Self {
            url,
            log: "warn",
            output: Stdio::null(),
            demo: false,
            args: &[],
        }
    }
}

/// The running server; dropping it kills it.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Stops the server and returns what it wrote to standard output (its log), a line each.
    pub fn stop_and_read_log(&mut self) -> Vec<String> {
        use std::io::BufRead;
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        std::io::BufReader::new(self.child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .collect()
    }

    /// A field of `/proc/PID/status` in KiB, e.g. "VmRSS:".
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

/// Starts `hindsight serve` as `launch` says and waits until `/healthz` answers.
pub async fn start(launch: Launch<'_>) -> (Server, Http) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut args = vec!["serve", "--addr", &address, "--database", launch.url];
    if !launch.demo {
        args.push("--no-demo");
    }
    args.extend_from_slice(launch.args);
    let child = Command::new(BINARY)
        .args(args)
        .env("RUST_LOG", launch.log)
        .stdout(launch.output)
        .spawn()
        .unwrap();
    let base = format!("http://{address}");
    let server = Server {
        child,
        base: base.clone(),
        port,
    };
    let http = Http {
        client: Client::builder(hyper_util::rt::TokioExecutor::new()).build_http(),
        base,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while http.try_get("/healthz", "").await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (server, http)
}

/// `start`, quiet and without the demo.
pub async fn start_server(url: &str) -> (Server, Http) {
    start(Launch::quiet(url)).await
}

pub struct Http {
    pub client: Client<HttpConnector, Full<Bytes>>,
    pub base: String,
}

impl Http {
    /// Sends `request`; an error when the server does not answer (it may have been killed).
    pub async fn try_send(
        &self,
        request: request::Builder,
        body: String,
    ) -> Result<(StatusCode, HeaderMap, Bytes), String> {
        let response = self
            .client
            .request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, headers, body))
    }

    /// Sends `request` to a server that must answer.
    pub async fn send(
        &self,
        request: request::Builder,
        body: String,
    ) -> (StatusCode, HeaderMap, Bytes) {
        self.try_send(request, body)
            .await
            .expect("the server answers")
    }

    /// The page at `path` with `cookie`, as text.
    pub async fn try_get(&self, path: &str, cookie: &str) -> Result<String, String> {
        let request =
            axum::http::Request::get(format!("{}{path}", self.base)).header("cookie", cookie);
        let (_, _, body) = self.try_send(request, String::new()).await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// The status of the page at `path`, and how long it took.
    pub async fn get(&self, path: &str) -> (StatusCode, Duration) {
        let started = Instant::now();
        let (status, _, _) = self
            .send(
                axum::http::Request::get(format!("{}{path}", self.base)),
                String::new(),
            )
            .await;
        (status, started.elapsed())
    }

    /// A form POST as a browser on this site sends it.
    pub async fn try_post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Result<(StatusCode, HeaderMap), String> {
        let mut request = axum::http::Request::post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        let (status, headers, _) = self.try_send(request, body).await?;
        Ok((status, headers))
    }

    /// `try_post_form` to a server that must answer.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap) {
        self.try_post_form(path, cookie, fields)
            .await
            .expect("the server answers")
    }
}

/// An analyst account with `password`, made through the library as `user add` and the
/// set-up link would.
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

/// The sign-in form as a browser fills it in, with the analyst's page to go to.
pub fn sign_in_form<'a>(username: &'a str, password: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("username", username),
        ("password", password),
        ("next", "/analyst"),
    ]
}

/// Signs in through the form and returns the session cookie.
pub async fn sign_in(http: &Http, username: &str, password: &str) -> String {
    let (status, headers) = http
        .post_form("/login", None, &sign_in_form(username, password))
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

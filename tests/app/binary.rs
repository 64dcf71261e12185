//! The real `hindsight` binary, started on a free port for tests that need a process of its
//! own: to kill it, signal it or read its log.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

/// Starts the real binary on a free port over `url` and waits until it answers.
pub async fn start_binary(url: &str) -> (std::process::Child, u16) {
    start_binary_logging(url, "warn", Stdio::null()).await
}

/// `start_binary`, logging at `level` to `output` (its standard output).
pub async fn start_binary_logging(
    url: &str,
    level: &str,
    output: Stdio,
) -> (std::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--database",
            url,
        ])
        .env("RUST_LOG", level)
        .stdout(output)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server starts"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (server, port)
}

pub struct Http {
    pub client: Client<HttpConnector, Full<Bytes>>,
    pub base: String,
}

impl Http {
    pub async fn request(
        &self,
        request: axum::http::request::Builder,
        body: String,
    ) -> Result<(u16, axum::http::HeaderMap, String), String> {
        let response = self
            .client
            .request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    }

    pub async fn get(&self, path: &str, cookie: &str) -> Result<String, String> {
        let request =
            axum::http::Request::get(format!("{}{path}", self.base)).header("cookie", cookie);
        self.request(request, String::new()).await.map(|r| r.2)
    }

    pub async fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Result<(u16, axum::http::HeaderMap), String> {
        let mut request = axum::http::Request::post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        self.request(request, crate::helpers::encode(fields))
            .await
            .map(|(status, headers, _)| (status, headers))
    }
}

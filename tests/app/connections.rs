//! Connections are bounded: a client that stalls in its request head or keeps a connection idle
//! is cut off, only so many connections are served at once, and running out of descriptors
//! neither crashes the server nor spins it. Real sockets on loopback, with short time-outs.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::{get, post};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use hindsight::server::{Limits, serve};

/// Long enough that a loaded test machine does not trip it by accident.
const HEAD: Duration = Duration::from_millis(600);

/// A server on a free loopback port, serving a few test routes, until the sender is used or
/// dropped.
struct TestServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// A new connection to the server.
    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.unwrap()
    }
}

/// A server that takes 64 connections at once, and a connection to it.
async fn connected() -> (TestServer, TcpStream) {
    let server = start(limits(64)).await;
    let stream = server.connect().await;
    (server, stream)
}

fn limits(max_connections: usize) -> Limits {
    Limits {
        header_timeout: HEAD,
        max_connections,
        shutdown_grace: Duration::from_secs(10),
    }
}

async fn start(limits: Limits) -> TestServer {
    let app = Router::new()
        .route("/", get(|| async { "ok" }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(HEAD * 3).await;
                "done"
            }),
        )
        .route("/echo", post(|body: String| async move { body }))
        .route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app, limits, async {
        let _ = stopped.await;
    }));
    TestServer {
        addr,
        stop: Some(stop),
        task,
    }
}

/// `GET path` on a keep-alive connection.
fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n")
}

/// Reads one response, whose body is no longer than a few bytes, and returns it whole; an
/// error when the server closes the connection first or nothing comes within `wait`.
async fn read_response(stream: &mut TcpStream, wait: Duration) -> Result<String, String> {
    let mut response = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let text = String::from_utf8_lossy(&response).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_string)
                })
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            if body.len() >= length {
                return Ok(text);
            }
        }
        let mut buffer = [0u8; 1024];
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return Err(format!("no response in {wait:?}: {text:?}")),
            Ok(Ok(0)) => return Err(format!("closed: {text:?}")),
            Ok(Ok(n)) => response.extend_from_slice(&buffer[..n]),
            Ok(Err(error)) => return Err(format!("{error}: {text:?}")),
        }
    }
}

/// Waits until the server closes `stream` (end of file or a reset) and returns how long that
/// took; panics if it is still open after `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Duration {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(wait, stream.read(&mut buffer)).await {
            Err(_) => panic!("the connection is still open after {wait:?}"),
            Ok(Ok(0) | Err(_)) => return started.elapsed(),
            // Some servers answer a time-out with a 408 before closing; that is fine too.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn a_half_sent_request_head_is_cut_off_after_the_header_timeout() {
    let (server, mut stream) = connected().await;
    // A slowloris: the head begun, never finished, one more byte now and then.
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        .await
        .unwrap();
    let trickle = async {
        for _ in 0..5 {
            tokio::time::sleep(HEAD / 4).await;
            if stream.write_all(b"a").await.is_err() {
                break;
            }
        }
    };
    trickle.await;
    let took = closed_within(&mut stream, HEAD * 4).await;
    assert!(took < HEAD * 4, "{took:?}");

    // And one that never sends anything at all.
    let mut silent = server.connect().await;
    let took = closed_within(&mut silent, HEAD * 4).await;
    assert!(took >= HEAD / 2, "closed too soon: {took:?}");
}

/// hyper restarts the head time-out whenever a response is finished, so the same bound closes
/// idle keep-alive connections; keep-alive still works within it.
#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let (_server, mut stream) = connected().await;
    for _ in 0..2 {
        stream.write_all(get_request("/").as_bytes()).await.unwrap();
        let response = read_response(&mut stream, HEAD * 4).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with("ok"), "{response}");
        tokio::time::sleep(HEAD / 3).await;
    }
    let took = closed_within(&mut stream, HEAD * 4).await;
    assert!(took >= HEAD / 3, "closed too soon: {took:?}");
}

/// The time-out bounds the wait for a head, not the request: a slow handler and a body that
/// arrives slowly both outlast it and are answered.
#[tokio::test]
async fn a_request_in_progress_is_not_cut() {
    let (server, mut stream) = connected().await;
    stream
        .write_all(get_request("/slow").as_bytes())
        .await
        .unwrap();
    let response = read_response(&mut stream, HEAD * 10).await.unwrap();
    assert!(response.ends_with("done"), "{response}");

    let mut stream = server.connect().await;
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhello")
        .await
        .unwrap();
    tokio::time::sleep(HEAD * 2).await;
    stream.write_all(b"world").await.unwrap();
    let response = read_response(&mut stream, HEAD * 4).await.unwrap();
    assert!(response.ends_with("helloworld"), "{response}");
}

/// Handlers still see the peer's address, as with `into_make_service_with_connect_info`.
#[tokio::test]
async fn handlers_see_the_peer_address() {
    let (_server, mut stream) = connected().await;
    let local = stream.local_addr().unwrap();
    stream
        .write_all(get_request("/peer").as_bytes())
        .await
        .unwrap();
    let response = read_response(&mut stream, HEAD * 4).await.unwrap();
    assert!(response.ends_with(&local.to_string()), "{response}");
}

/// With the cap at 2, a third connection is not served while two are open, and is as soon as
/// one of them closes.
#[tokio::test]
async fn a_connection_past_the_cap_waits_until_another_closes() {
    let server = start(Limits {
        // Longer than the test, so that only closing frees a place.
        header_timeout: Duration::from_secs(30),
        ..limits(2)
    })
    .await;
    let mut first = server.connect().await;
    let mut second = server.connect().await;
    for stream in [&mut first, &mut second] {
        stream.write_all(get_request("/").as_bytes()).await.unwrap();
        read_response(stream, HEAD * 4).await.unwrap();
    }
    let mut third = server.connect().await;
    third.write_all(get_request("/").as_bytes()).await.unwrap();
    let waiting = read_response(&mut third, HEAD).await;
    assert!(waiting.is_err(), "served past the cap: {waiting:?}");

    drop(first);
    let response = read_response(&mut third, HEAD * 4).await.unwrap();
    assert!(response.ends_with("ok"), "{response}");
    second.write_all(get_request("/").as_bytes()).await.unwrap();
    let response = read_response(&mut second, HEAD * 4).await.unwrap();
    assert!(response.ends_with("ok"), "{response}");
}

/// The shutdown signal closes the listening socket at once and lets the request in flight
/// finish before `serve` returns.
#[tokio::test]
async fn shutdown_finishes_the_request_in_flight_and_takes_no_new_ones() {
    let mut server = start(limits(64)).await;
    let mut stream = server.connect().await;
    stream
        .write_all(get_request("/slow").as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(HEAD / 2).await;
    server.stop.take().unwrap().send(()).unwrap();
    tokio::time::sleep(HEAD / 4).await;
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "no new connections once shutting down"
    );
    assert!(!server.task.is_finished(), "it waits for the request");
    let response = read_response(&mut stream, HEAD * 10).await.unwrap();
    assert!(response.ends_with("done"), "{response}");
    tokio::time::timeout(HEAD * 4, server.task)
        .await
        .expect("serve returns once the request is answered")
        .unwrap();
}

/// CPU time (user and system) of process `pid` so far, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line; 12 and 13 here (0-based 11, 12).
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// The real binary with 128 descriptors and a cap set far above that (a misconfiguration):
/// 200 connections exhaust its descriptors. It keeps running, does not spin on the failing
/// accept, logs the problem at most about once a second, and serves again once they close.
#[tokio::test]
async fn running_out_of_descriptors_neither_crashes_nor_spins() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hindsight.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let log_path = dir.path().join("log.txt");
    let log = std::fs::File::create(&log_path).unwrap();
    let child = std::process::Command::new("sh")
        .args([
            "-c",
            "ulimit -n 128 && exec \"$@\"",
            "sh",
            crate::binary::BINARY,
        ])
        .args([
            "serve",
            "--addr",
            &addr.to_string(),
            "--database",
            &url,
            "--no-demo",
        ])
        .args(["--max-connections", "1000"])
        .env("RUST_LOG", "warn")
        .stdout(log)
        .spawn()
        .unwrap();
    let mut server = KillOnDrop(child);
    let healthy = || async {
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            return false;
        };
        if stream
            .write_all(get_request("/healthz").as_bytes())
            .await
            .is_err()
        {
            return false;
        }
        read_response(&mut stream, Duration::from_secs(2))
            .await
            .is_ok_and(|r| r.starts_with("HTTP/1.1 200"))
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !healthy().await {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let flood_started = Instant::now();
    let mut flood = Vec::new();
    for _ in 0..200 {
        flood.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = server.0.id();
    let before = cpu_ticks(pid);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let spent = cpu_ticks(pid) - before;
    // Clock ticks are usually 1/100 s: a spinning accept loop would use about 300 here.
    assert!(
        spent < 60,
        "{spent} ticks of CPU in 3 s while out of descriptors"
    );
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server is still running"
    );

    drop(flood);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !healthy().await {
        assert!(
            Instant::now() < deadline,
            "the server serves again once the connections close"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Connecting the flood itself takes a while once the kernel's queues are full.
    let seconds = flood_started.elapsed().as_secs() as usize;
    let log = std::fs::read_to_string(&log_path).unwrap();
    let lines = log
        .lines()
        .filter(|line| line.contains("cannot accept"))
        .count();
    assert!(lines >= 1, "the problem is logged: {log}");
    assert!(
        lines <= seconds + 2,
        "at most about once a second: {lines} lines in {seconds} s\n{log}"
    );
}

/// Kills the child when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

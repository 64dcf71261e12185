//! The security probe (issue 17), rerunnable: `cargo bench --bench probe`. It generates a data
//! set, imports it with the real `hindsight import`, starts the real server on loopback and
//! measures the numbers the findings named, on the code as it is now:
//!
//! 1. memory under a sign-in flood: RSS before, right after and 10 s after 800 anonymous POSTs
//!    to /login with 250 KB usernames (sent as a browser would), and the same with 5 KB
//!    usernames (under the form limit) from one address, with the statuses seen;
//! 2. how long a half-sent request head, and an idle keep-alive connection, stay open;
//! 3. a kept scorecard's latency before and after 20 anonymous `POST /logout`;
//! 4. at 200,000 predictions: the API's page a million (refused now), its deepest allowed
//!    page, and `/healthz` while 8 clients loop on costly searches the cache has not kept.
//!
//! Results go to standard output and `target/bench/probe.md`.
//!
//! Options (after `--`): `--predictions 200000` `--experts 2000` `--seconds 10` `--logins 800`
//! `--clients 8` `--wait 120` (the longest to wait for the server to close a connection).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Http, Server, ms, percentile};
use hindsight::db::Database;

/// No request of the probe's waits longer than this for its answer.
const REQUEST_LIMIT: Duration = Duration::from_secs(60);

#[derive(clap::Parser)]
struct Options {
    /// The predictions of the generated data set.
    #[arg(long, default_value_t = 200_000, value_parser = common::number::<usize>)]
    predictions: usize,
    /// The experts who make them.
    #[arg(long, default_value_t = 2_000, value_parser = common::number::<usize>)]
    experts: usize,
    /// How long each costly page is loaded.
    #[arg(long, default_value_t = 10, value_parser = common::number::<u64>)]
    seconds: u64,
    /// How many sign-ins of each size the flood sends.
    #[arg(long, default_value_t = 800, value_parser = common::number::<usize>)]
    logins: usize,
    /// The clients that load each costly page (at least one: fewer count as one).
    #[arg(long, default_value_t = 8, value_parser = common::number::<usize>)]
    clients: usize,
    /// The longest to wait, in seconds, for the server to close a connection.
    #[arg(long, default_value_t = 120, value_parser = common::number::<u64>)]
    wait: u64,
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn sorted(mut list: Vec<f64>) -> Vec<f64> {
    list.sort_by(f64::total_cmp);
    list
}

/// "413 × 800" or "401 × 20, 429 × 780, error × 3".
fn statuses(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .map(|(status, n)| format!("{status} × {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A client of its own (its own connection pool), for the server at `base`.
fn client(base: &str) -> Http {
    Http {
        client: hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http(),
        base: base.to_string(),
    }
}

/// A GET that gives up after `REQUEST_LIMIT`: its status ("timeout" or "error" when it got
/// none) and how long it took.
async fn timed_get(http: &Http, path: &str) -> (String, Duration) {
    let started = Instant::now();
    let request = axum::http::Request::get(format!("{}{path}", http.base));
    let status =
        match tokio::time::timeout(REQUEST_LIMIT, http.try_send(request, String::new())).await {
            Ok(Ok((status, _, _))) => status.as_u16().to_string(),
            Ok(Err(_)) => "error".to_string(),
            Err(_) => "timeout".to_string(),
        };
    (status, started.elapsed())
}

// ---------------------------------------------------------------------------------------------
// 1. The sign-in flood

struct Flood {
    username_bytes: usize,
    requests: usize,
    seconds: f64,
    rss_before: u64,
    rss_after: u64,
    rss_later: u64,
    peak: u64,
    statuses: BTreeMap<String, usize>,
}

/// `requests` anonymous sign-ins with a username of `username_bytes`, `clients` at a time, as
/// a browser on this site sends the form; RSS before, right after and 10 s after.
async fn login_flood(
    server: &Server,
    username_bytes: usize,
    requests: usize,
    clients: usize,
) -> Flood {
    let rss_before = server.memory_kib("VmRSS:");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let next = Arc::clone(&next);
        let http = client(&server.base);
        tasks.push(tokio::spawn(async move {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= requests {
                    break;
                }
                // Each username differs (a new key for a limiter that keeps them), all of one
                // length.
                let tag = format!("{c}-{n}-");
                let username: String = tag
                    .chars()
                    .chain(std::iter::repeat('a'))
                    .take(username_bytes)
                    .collect();
                let status = match tokio::time::timeout(
                    REQUEST_LIMIT,
                    http.try_post_form(
                        "/login",
                        None,
                        &[
                            ("username", username.as_str()),
                            ("password", "not the password at all"),
                            ("next", "/analyst"),
                        ],
                    ),
                )
                .await
                {
                    Ok(Ok((status, _))) => status.as_u16().to_string(),
                    Ok(Err(_)) => "no answer (connection closed)".to_string(),
                    Err(_) => "timeout".to_string(),
                };
                *seen.entry(status).or_default() += 1;
            }
            seen
        }));
    }
    let mut statuses = BTreeMap::new();
    for task in tasks {
        for (status, n) in task.await.unwrap() {
            *statuses.entry(status).or_default() += n;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let rss_after = server.memory_kib("VmRSS:");
    tokio::time::sleep(Duration::from_secs(10)).await;
    Flood {
        username_bytes,
        requests,
        seconds,
        rss_before,
        rss_after,
        rss_later: server.memory_kib("VmRSS:"),
        peak: server.memory_kib("VmHWM:"),
        statuses,
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Stalled and idle connections

/// How long until the server closed the connection after `start`; `None` if it was still open
/// after `wait` seconds (or the read failed otherwise).
fn until_closed(stream: &mut TcpStream, start: Instant, wait: u64) -> Option<f64> {
    let deadline = start + Duration::from_secs(wait);
    let mut buffer = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => return Some(start.elapsed().as_secs_f64()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
                ) =>
            {
                return Some(start.elapsed().as_secs_f64());
            }
            Err(_) => return None,
        }
    }
}

/// A connection that sends half a request head and then nothing: seconds until closed.
fn half_head(port: u16, wait: u64) -> Option<f64> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: probe\r\n")
        .unwrap();
    until_closed(&mut stream, Instant::now(), wait)
}

/// A keep-alive connection that makes one request, reads the whole answer and then stays
/// idle: seconds from the end of the answer until closed.
fn idle_keep_alive(port: u16, wait: u64) -> Option<f64> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    // The head, then Content-Length bytes of body.
    loop {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "the server closed before answering");
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("a Content-Length on /healthz");
            if received.len() >= end + 4 + length {
                break;
            }
        }
    }
    until_closed(&mut stream, Instant::now(), wait)
}

// ---------------------------------------------------------------------------------------------
// 3. The page cache and anonymous sign-outs

struct Kept {
    made_ms: f64,
    before_ms: f64,
    logout_statuses: BTreeMap<String, usize>,
    first_after_ms: f64,
    after_ms: f64,
}

async fn median_of_gets(http: &Http, path: &str, n: usize) -> f64 {
    let mut took = Vec::new();
    for _ in 0..n {
        let (status, time) = timed_get(http, path).await;
        assert_eq!(status, "200", "{path}");
        took.push(ms(time));
    }
    percentile(&sorted(took), 50.0)
}

async fn kept_page(http: &Http, path: &str) -> Kept {
    let (status, made) = timed_get(http, path).await;
    assert_eq!(status, "200", "{path}");
    let before_ms = median_of_gets(http, path, 50).await;
    let mut logout_statuses = BTreeMap::new();
    for _ in 0..20 {
        let status = match http.try_post_form("/logout", None, &[]).await {
            Ok((status, _)) => status.as_u16().to_string(),
            Err(_) => "error".to_string(),
        };
        *logout_statuses.entry(status).or_default() += 1;
    }
    let (status, first_after) = timed_get(http, path).await;
    assert_eq!(status, "200", "{path}");
    Kept {
        made_ms: ms(made),
        before_ms,
        logout_statuses,
        first_after_ms: ms(first_after),
        after_ms: median_of_gets(http, path, 50).await,
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Costly requests and the health check

/// Words the generated quotes hold, most of them in many: each search matches thousands.
const WORDS: [&str; 48] = [
    "that",
    "it",
    "is",
    "given",
    "what",
    "both",
    "sides",
    "have",
    "said",
    "so",
    "far",
    "would",
    "put",
    "per",
    "cent",
    "signals",
    "point",
    "way",
    "likely",
    "unlikely",
    "chance",
    "almost",
    "very",
    "within",
    "year",
    "month",
    "new",
    "sanctions",
    "trade",
    "nuclear",
    "energy",
    "joint",
    "agreement",
    "announced",
    "leaders",
    "visit",
    "ministers",
    "military",
    "exercise",
    "held",
    "signed",
    "defence",
    "press",
    "conference",
    "published",
    "pipeline",
    "deal",
    "months",
];

struct Load {
    label: String,
    requests: usize,
    request_statuses: BTreeMap<String, usize>,
    request_p50_ms: f64,
    request_max_ms: f64,
    health_statuses: BTreeMap<String, usize>,
    health_p50_ms: f64,
    health_p99_ms: f64,
    health_max_ms: f64,
}

/// `/healthz` every 100 ms (one at a time) until `deadline`: statuses and latencies.
async fn sample_health(http: Http, deadline: Instant) -> (BTreeMap<String, usize>, Vec<f64>) {
    let mut statuses = BTreeMap::new();
    let mut took = Vec::new();
    while Instant::now() < deadline && took.len() < 10_000 {
        let (status, time) = timed_get(&http, "/healthz").await;
        *statuses.entry(status).or_default() += 1;
        took.push(ms(time));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (statuses, took)
}

/// `clients` loop for `seconds` on the addresses `path(n)` gives for n = 0, 1, 2, … (each a
/// page the cache has not kept), while `/healthz` is sampled.
async fn costly_load(
    base: &str,
    label: &str,
    clients: usize,
    seconds: u64,
    path: fn(usize) -> String,
) -> Load {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let http = client(base);
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            let mut took = Vec::new();
            for _ in 0..100_000 {
                if Instant::now() >= deadline {
                    break;
                }
                let n = next.fetch_add(1, Ordering::Relaxed);
                let (status, time) = timed_get(&http, &path(n)).await;
                *seen.entry(status).or_default() += 1;
                took.push(ms(time));
            }
            (seen, took)
        }));
    }
    // Let the clients fill the server first.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (health_statuses, health) = sample_health(client(base), deadline).await;
    let mut request_statuses = BTreeMap::new();
    let mut took = Vec::new();
    for task in tasks {
        let (seen, times) = task.await.unwrap();
        for (status, n) in seen {
            *request_statuses.entry(status).or_default() += n;
        }
        took.extend(times);
    }
    let took = sorted(took);
    let health = sorted(health);
    Load {
        label: label.to_string(),
        requests: took.len(),
        request_statuses,
        request_p50_ms: percentile(&took, 50.0),
        request_max_ms: took.last().copied().unwrap_or(f64::NAN),
        health_statuses,
        health_p50_ms: percentile(&health, 50.0),
        health_p99_ms: percentile(&health, 99.0),
        health_max_ms: health.last().copied().unwrap_or(f64::NAN),
    }
}

/// The list of predictions searched for a word, at a page from 1 to 400 (its last).
fn search_page(n: usize) -> String {
    let word = WORDS[n % WORDS.len()];
    let page = 1 + (n / WORDS.len()) % 400;
    format!("/predictions?q={word}&page={page}")
}

/// The API's predictions searched for a word, at one of its ten deepest pages of 200.
fn api_deep_page(n: usize) -> String {
    let word = WORDS[n % WORDS.len()];
    let page = 50 - (n / WORDS.len()) % 10;
    format!("/api/v1/predictions?q={word}&page={page}&per_page=200")
}

// ---------------------------------------------------------------------------------------------

struct DataSet {
    url: String,
    import_seconds: f64,
    scorecard: String,
    scorecard_predictions: i64,
}

async fn data_set(options: &Options, dir: &Path) -> DataSet {
    let data = dir.join("probe.json");
    let url = format!("sqlite://{}", dir.join("probe.db").display());
    eprintln!(
        "[probe] generating {} predictions by {} experts",
        options.predictions, options.experts
    );
    let (predictions, experts) = (options.predictions, options.experts);
    let import_seconds = common::generate_and_import("probe", predictions, experts, &data, &url);
    let db = Database::connect(&url).await.unwrap();
    // A typical expert: the median by number of predictions.
    let (scorecard, scorecard_predictions): (String, i64) = sqlx::query_as(
        "SELECT slug, n FROM (SELECT e.slug, COUNT(*) AS n FROM experts e JOIN predictions p ON p.expert_id = e.id GROUP BY e.id)
         ORDER BY n, slug LIMIT 1 OFFSET (SELECT COUNT(DISTINCT expert_id) / 2 FROM predictions)",
    )
    .fetch_one(&db.read)
    .await
    .unwrap();
    db.close().await;
    DataSet {
        url,
        import_seconds,
        scorecard,
        scorecard_predictions,
    }
}

fn seconds_or_open(value: Option<f64>, wait: u64) -> String {
    value.map_or(format!("still open after {wait} s"), |s| {
        format!("{s:.1} s")
    })
}

#[tokio::main]
async fn main() {
    let mut options: Options = common::options();
    options.clients = options.clients.max(1);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&target).unwrap();
    let dir = tempfile::tempdir_in(&target).unwrap();
    let set = data_set(&options, dir.path()).await;

    let (server, http) = common::start_server(&set.url).await;
    // The server writes once as it starts (the first admin's set-up link), which empties its
    // page cache when noticed: let that pass.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_started = server.memory_kib("VmRSS:");

    // 1. Memory under a sign-in flood.
    eprintln!("[probe] {} sign-ins with 250 KB usernames", options.logins);
    let big = login_flood(&server, 250 * 1024, options.logins, 8).await;
    eprintln!("[probe] {} sign-ins with 5 KB usernames", options.logins);
    let small = login_flood(&server, 5 * 1024, options.logins, 8).await;

    // 2. Stalled and idle connections, both at once.
    eprintln!("[probe] a half-sent request head and an idle keep-alive connection");
    let (port, wait) = (server.port, options.wait);
    let stalled = std::thread::spawn(move || half_head(port, wait));
    let idle = std::thread::spawn(move || idle_keep_alive(port, wait));
    let stalled = stalled.join().unwrap();
    let idle = idle.join().unwrap();

    // 3. A kept page and anonymous sign-outs.
    let scorecard_path = format!("/experts/{}", set.scorecard);
    eprintln!("[probe] {scorecard_path} before and after 20 anonymous POST /logout");
    let kept = kept_page(&http, &scorecard_path).await;

    // 4. Costly requests.
    eprintln!("[probe] deep pages of the API");
    let (far_status, far) =
        timed_get(&http, "/api/v1/predictions?q=a&page=1000000&per_page=200").await;
    let (deepest_status, deepest) =
        timed_get(&http, "/api/v1/predictions?q=a&page=50&per_page=200").await;
    let (deepest_again_status, deepest_again) =
        timed_get(&http, "/api/v1/predictions?q=a&page=50&per_page=200").await;
    // The same search's first page, also made afresh: what the search costs at any depth.
    let (first_status, first) =
        timed_get(&http, "/api/v1/predictions?q=a&page=1&per_page=200").await;
    eprintln!("[probe] /healthz alone");
    let quiet = {
        let deadline = Instant::now() + Duration::from_secs(3);
        let (_, took) = sample_health(client(&server.base), deadline).await;
        sorted(took)
    };
    let mut loads = Vec::new();
    for (label, path) in [
        (
            "`/predictions?q=<word>&page=<1..400>`",
            search_page as fn(usize) -> String,
        ),
        (
            "`/api/v1/predictions?q=<word>&page=<41..50>&per_page=200`",
            api_deep_page,
        ),
    ] {
        eprintln!(
            "[probe] /healthz while {} clients loop on {label} for {} s",
            options.clients, options.seconds
        );
        loads.push(costly_load(&server.base, label, options.clients, options.seconds, path).await);
    }
    let rss_end = server.memory_kib("VmRSS:");
    let peak = server.memory_kib("VmHWM:");
    drop(server);

    // The report.
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = common::cpu_model();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Probe {} on {cores} cores ({cpu}): {} predictions by {} experts (imported in {:.0} s), \
         the release server over loopback; server memory (RSS) {:.0} MB once started.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        options.predictions,
        options.experts,
        set.import_seconds,
        mb(rss_started),
    );
    let _ = writeln!(out, "| finding | measure | now | the issue's probe |");
    let _ = writeln!(out, "|---|---|---|---|");
    let mut row = |finding: &str, measure: &str, now: String, then: &str| {
        let _ = writeln!(out, "| {finding} | {measure} | {now} | {then} |");
    };
    for (flood, then) in [(&big, "36 → 225 MB, stayed"), (&small, "-")] {
        let what = format!(
            "{} anonymous sign-ins, {} KB usernames, 8 at a time ({:.1} s)",
            flood.requests,
            flood.username_bytes / 1024,
            flood.seconds
        );
        row(
            "sign-in flood",
            &format!("{what}: RSS before → right after → 10 s after"),
            format!(
                "{:.0} → {:.0} → {:.0} MB (peak so far {:.0} MB)",
                mb(flood.rss_before),
                mb(flood.rss_after),
                mb(flood.rss_later),
                mb(flood.peak)
            ),
            then,
        );
        row(
            "sign-in flood",
            &format!("{what}: statuses"),
            statuses(&flood.statuses),
            "-",
        );
    }
    row(
        "stalled connections",
        "half a request head, then nothing: closed by the server after",
        seconds_or_open(stalled, options.wait),
        "open past 100 s",
    );
    row(
        "stalled connections",
        "idle keep-alive connection after one request: closed by the server after",
        seconds_or_open(idle, options.wait),
        "open past 100 s",
    );
    row(
        "cache flushing",
        &format!(
            "scorecard `{scorecard_path}` ({} predictions): made afresh / kept, median of 50",
            set.scorecard_predictions
        ),
        format!("{:.1} ms / {:.2} ms", kept.made_ms, kept.before_ms),
        "0.6 ms kept",
    );
    row(
        "cache flushing",
        "20 anonymous `POST /logout`: statuses",
        statuses(&kept.logout_statuses),
        "-",
    );
    row(
        "cache flushing",
        "scorecard after them: first GET / median of 50",
        format!("{:.2} ms / {:.2} ms", kept.first_after_ms, kept.after_ms),
        "740 ms",
    );
    row(
        "costly requests",
        "`/api/v1/predictions?q=a&page=1000000&per_page=200`",
        format!("{far_status} in {:.1} ms", ms(far)),
        "about 3 s",
    );
    row(
        "costly requests",
        "`/api/v1/predictions?q=a&page=50&per_page=200` (the deepest page allowed): made / kept",
        format!(
            "{deepest_status} in {:.0} ms / {deepest_again_status} in {:.1} ms",
            ms(deepest),
            ms(deepest_again)
        ),
        "-",
    );
    row(
        "costly requests",
        "`/api/v1/predictions?q=a&page=1&per_page=200` (its first page), made afresh",
        format!("{first_status} in {:.0} ms", ms(first)),
        "-",
    );
    row(
        "costly requests",
        "`/healthz` alone for 3 s: p50 / max",
        format!(
            "{:.1} / {:.1} ms",
            percentile(&quiet, 50.0),
            quiet.last().copied().unwrap_or(f64::NAN)
        ),
        "-",
    );
    for load in &loads {
        row(
            "costly requests",
            &format!(
                "{} clients loop {} s on {} (pages not kept): requests, statuses, p50 / max",
                options.clients, options.seconds, load.label
            ),
            format!(
                "{} ({}), {:.0} / {:.0} ms",
                load.requests,
                statuses(&load.request_statuses),
                load.request_p50_ms,
                load.request_max_ms
            ),
            "-",
        );
        row(
            "costly requests",
            "… meanwhile `/healthz` every 100 ms: statuses, p50 / p99 / max",
            format!(
                "{}, {:.1} / {:.1} / {:.1} ms",
                statuses(&load.health_statuses),
                load.health_p50_ms,
                load.health_p99_ms,
                load.health_max_ms
            ),
            "16 s (8 clients on page 1000000)",
        );
    }
    row(
        "memory",
        "server RSS at the end / peak",
        format!("{:.0} / {:.0} MB", mb(rss_end), mb(peak)),
        "-",
    );
    println!("{out}");
    std::fs::write(target.join("probe.md"), &out).unwrap();
}

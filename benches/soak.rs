//! The soak: `cargo bench --bench soak -- --minutes 3` (or `bash .ci/bench --soak ...`).
//! Several analysts record outcomes through the real form while readers browse the shared
//! pages, over loopback, for a bounded time. It reports requests, errors, writes and the
//! server's memory sampled along the way, and fails if there was any error.
//!
//! Options: `--minutes 3` `--analysts 4` `--readers 16` `--predictions 100000`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{BINARY, Http};
use hindsight::db::Database;

#[derive(clap::Parser)]
struct Options {
    /// How long the soak runs.
    #[arg(long, default_value_t = 3.0, value_parser = common::number::<f64>)]
    minutes: f64,
    /// The analysts who record outcomes through the form.
    #[arg(long, default_value_t = 4, value_parser = common::number::<usize>)]
    analysts: usize,
    /// The readers who browse the shared pages.
    #[arg(long, default_value_t = 16, value_parser = common::number::<usize>)]
    readers: usize,
    /// The predictions of the generated data set.
    #[arg(long, default_value_t = 100_000, value_parser = common::number::<usize>)]
    predictions: usize,
}

#[derive(Default)]
struct Counts {
    reads: AtomicU64,
    writes: AtomicU64,
    errors: AtomicU64,
}

fn seen_of(form: &str) -> String {
    // The form's hidden field: <input type="hidden" name="seen" value="…">
    form.split("name=\"seen\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

async fn analyst(
    http: Arc<Http>,
    cookie: String,
    propositions: Vec<i64>,
    deadline: Instant,
    counts: Arc<Counts>,
) {
    let mut round = 0usize;
    while Instant::now() < deadline {
        let id = propositions[round % propositions.len()];
        let path = format!("/propositions/{id}/resolve");
        let request =
            axum::http::Request::get(format!("{}{path}", http.base)).header("cookie", &cookie);
        let (status, _, form) = http.send(request, String::new()).await;
        if status != 200 {
            counts.errors.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let seen = seen_of(&String::from_utf8_lossy(&form));
        let rationale = format!("Soak write {round}.");
        let (status, _) = http
            .post_form(
                &path,
                Some(&cookie),
                &[
                    (
                        "outcome",
                        if round.is_multiple_of(2) {
                            "true"
                        } else {
                            "false"
                        },
                    ),
                    ("decided_on", "2025-01-02"),
                    ("evidence_url", "https://evidence.example/soak"),
                    ("rationale", rationale.as_str()),
                    ("seen", seen.as_str()),
                ],
            )
            .await;
        if status == 303 {
            counts.writes.fetch_add(1, Ordering::Relaxed);
        } else {
            counts.errors.fetch_add(1, Ordering::Relaxed);
            eprintln!("write refused: {status}");
        }
        round += 1;
    }
}

async fn reader(
    http: Arc<Http>,
    pages: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
    counts: Arc<Counts>,
) {
    let mut i = offset;
    while Instant::now() < deadline {
        let (status, _) = http.get(&pages[i % pages.len()]).await;
        if status == 200 {
            counts.reads.fetch_add(1, Ordering::Relaxed);
        } else {
            counts.errors.fetch_add(1, Ordering::Relaxed);
            eprintln!("read failed: {status} {}", pages[i % pages.len()]);
        }
        i += 1;
    }
}

/// The slugs `sql` reads, for the pages the readers browse.
async fn read_slugs(db: &Database, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql).fetch_all(&db.read).await.unwrap()
}

/// The pages the readers browse: the lists, 40 scorecards (10 also as preview images), 20
/// events, 40 of `propositions`, two searches and the API's experts.
async fn pages_to_read(db: &Database, propositions: &[i64]) -> Vec<String> {
    let experts = read_slugs(db, "SELECT slug FROM experts ORDER BY id LIMIT 40").await;
    let events = read_slugs(db, "SELECT slug FROM events ORDER BY id LIMIT 20").await;
    let scorecards = experts.iter().map(|s| format!("/experts/{s}"));
    let cards = experts
        .iter()
        .take(10)
        .map(|s| format!("/experts/{s}/card.png"));
    let event_pages = events.iter().map(|e| format!("/events/{e}"));
    let proposition_pages = propositions
        .iter()
        .take(40)
        .map(|p| format!("/propositions/{p}"));
    let searches = [
        "/predictions?q=likely",
        "/predictions?status=wrong",
        "/api/v1/experts",
    ];
    ["/", "/leaderboard", "/experts", "/events"]
        .map(String::from)
        .into_iter()
        .chain(scorecards)
        .chain(cards)
        .chain(event_pages)
        .chain(proposition_pages)
        .chain(searches.map(String::from))
        .collect()
}

#[tokio::main]
async fn main() {
    let options: Options = common::options();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("soak.json");
    let url = format!("sqlite://{}", dir.path().join("soak.db").display());
    let experts = (options.predictions / 100).clamp(10, 10_000);
    for args in [
        vec![
            "generate".to_string(),
            "--predictions".into(),
            options.predictions.to_string(),
            "--experts".into(),
            experts.to_string(),
            "--output".into(),
            data.display().to_string(),
        ],
        vec![
            "import".into(),
            data.display().to_string(),
            "--database".into(),
            url.clone(),
        ],
    ] {
        let status = std::process::Command::new(BINARY)
            .args(&args)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}");
    }
    let db = Database::connect(&url).await.unwrap();
    let password = "soak analyst passphrase";
    for a in 0..options.analysts {
        common::add_analyst(&db, &format!("soak{a}"), password).await;
    }
    let propositions: Vec<i64> = sqlx::query_scalar("SELECT id FROM propositions ORDER BY id")
        .fetch_all(&db.read)
        .await
        .unwrap();
    let pages = pages_to_read(&db, &propositions).await;
    db.close().await;

    let (server, http) = common::start_server(&url).await;
    let http = Arc::new(http);
    tokio::time::sleep(Duration::from_secs(2)).await;
    for page in &pages {
        let (status, _) = http.get(page).await;
        assert_eq!(status, 200, "{page}");
    }
    let rss_start = server.memory_kib("VmRSS:");
    let counts = Arc::new(Counts::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(options.minutes * 60.0);
    let mut tasks = Vec::new();
    let share = propositions.len() / options.analysts.max(1);
    for a in 0..options.analysts {
        let cookie = common::sign_in(&http, &format!("soak{a}"), password).await;
        // Each analyst has propositions of their own, so no write meets another's as stale.
        let mine = propositions[a * share..(a + 1) * share].to_vec();
        tasks.push(tokio::spawn(analyst(
            Arc::clone(&http),
            cookie,
            mine,
            deadline,
            Arc::clone(&counts),
        )));
    }
    let pages = Arc::new(pages);
    for r in 0..options.readers {
        tasks.push(tokio::spawn(reader(
            Arc::clone(&http),
            Arc::clone(&pages),
            r * 7,
            deadline,
            Arc::clone(&counts),
        )));
    }
    let mut samples = vec![(0u64, rss_start)];
    while Instant::now() < deadline {
        tokio::time::sleep(
            Duration::from_secs(15).min(deadline.saturating_duration_since(Instant::now())),
        )
        .await;
        samples.push((started.elapsed().as_secs(), server.memory_kib("VmRSS:")));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let (reads, writes, errors) = (
        counts.reads.load(Ordering::Relaxed),
        counts.writes.load(Ordering::Relaxed),
        counts.errors.load(Ordering::Relaxed),
    );
    let mb = |kib: u64| kib as f64 / 1024.0;
    let series: Vec<String> = samples
        .iter()
        .map(|(s, kib)| format!("{s}s {:.0}", mb(*kib)))
        .collect();
    let report = format!(
        "Soak {} UTC: {} predictions, {} analysts writing, {} readers, {seconds:.0} s over loopback.\n\
         requests: {} ({reads} reads, {writes} outcomes recorded), {:.0}/s; errors: {errors}\n\
         server memory (RSS, MB): start {:.0}, end {:.0}, peak {:.0}; every 15 s: {}\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        options.predictions,
        options.analysts,
        options.readers,
        reads + writes * 2,
        (reads + writes * 2) as f64 / seconds,
        mb(rss_start),
        mb(server.memory_kib("VmRSS:")),
        mb(server.memory_kib("VmHWM:")),
        series.join(", "),
    );
    println!("{report}");
    let target = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("soak.md"), &report).unwrap();
    assert_eq!(errors, 0, "the soak saw errors");
}

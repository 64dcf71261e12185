//! The load benchmark: `cargo bench --bench load` (or `bash .ci/bench`, which installs wrk
//! first). For each data-set size it generates synthetic data, imports it with the real
//! `hindsight import` (timed) and measures SQLite's own share of that import (`floor.rs`: the
//! same rows copied inside SQLite, the ceiling for any import), starts the real server on loopback, and measures with wrk the
//! throughput and latency of a static file and of the pages readers share, each also as a ratio
//! to the static file in the same run; then the cost of recording an outcome through the real
//! form, the leaderboard right after it, each page's cost when it has to be made afresh, and
//! the server's memory. Results go to standard output and `target/bench/results.md`.
//!
//! Options (after `--`): `--sizes 10000,1000000` `--experts 10000` `--seconds 10`
//! `--connections 32` `--outcomes 20`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hindsight::db::Database;

mod common;
#[path = "load_parts/floor.rs"]
mod floor;

use common::{ms, percentile};

const PINNED: &str = "scorecard, pinned";

/// This moment, as an `as_of` value.
fn pinned_moment() -> String {
    serde_urlencoded::to_string([(
        "x",
        hindsight::domain::dates::format_moment(chrono::Utc::now()),
    )])
    .unwrap()
    .trim_start_matches("x=")
    .to_string()
}

#[derive(clap::Parser)]
struct Options {
    /// The sizes of the data sets, in predictions, one run each.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000, 1_000_000], value_parser = common::number::<usize>)]
    sizes: Vec<usize>,
    /// The experts who make them; by default a hundredth of the predictions, at most 10,000,
    /// so that a typical expert has the same record at every size.
    #[arg(long, value_parser = common::number::<usize>)]
    experts: Option<usize>,
    /// How long wrk loads each address.
    #[arg(long, default_value_t = 10, value_parser = common::number::<u32>)]
    seconds: u32,
    /// wrk's connections.
    #[arg(long, default_value_t = 32, value_parser = common::number::<u32>)]
    connections: u32,
    /// How many outcomes to record through the form, each timed.
    #[arg(long, default_value_t = 20, value_parser = common::number::<usize>)]
    outcomes: usize,
}

/// What wrk measured for one address.
#[derive(Clone, Copy, Default)]
struct Load {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    errors: u64,
}

fn milliseconds(text: &str) -> f64 {
    let text = text.trim();
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().unwrap_or(f64::NAN) * factor
}

fn wrk(url: &str, options: &Options) -> Load {
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{}", options.connections),
            &format!("-d{}s", options.seconds),
            "--latency",
            url,
        ])
        .output()
        .expect("wrk runs (bash .ci/bench installs it)");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut load = Load::default();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", value] => load.p50_ms = milliseconds(value),
            ["99%", value] => load.p99_ms = milliseconds(value),
            ["Requests/sec:", value] => load.requests_per_second = value.parse().unwrap_or(0.0),
            [count, "requests", "in", ..] => load.requests = count.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                load.errors += count.parse::<u64>().unwrap_or(0);
            }
            ["Socket", "errors:", rest @ ..] => {
                load.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    assert!(load.requests > 0, "wrk measured nothing for {url}: {text}");
    load
}

struct SizeResult {
    predictions: usize,
    experts: usize,
    typical_count: i64,
    import_seconds: f64,
    floor: floor::Floor,
    database_mb: f64,
    loads: Vec<(String, Load)>,
    cold: Vec<(String, f64)>,
    outcome_p50_ms: f64,
    outcome_p99_ms: f64,
    leaderboard_after_p50_ms: f64,
    leaderboard_after_max_ms: f64,
    rss_start_mb: f64,
    rss_end_mb: f64,
    rss_peak_mb: f64,
}

fn experts_for(size: usize, options: &Options) -> usize {
    options.experts.unwrap_or((size / 100).clamp(10, 10_000))
}

async fn measure(size: usize, options: &Options, dir: &Path) -> SizeResult {
    let experts = experts_for(size, options);
    let data = dir.join(format!("{size}.json"));
    let database = dir.join(format!("{size}.db"));
    let url = format!("sqlite://{}", database.display());
    eprintln!("[{size}] generating {size} predictions by {experts} experts");
    let label = size.to_string();
    let import_seconds = common::generate_and_import(&label, size, experts, &data, &url);
    let database_mb = std::fs::metadata(&database).map_or(0.0, |m| m.len() as f64 / 1e6);
    eprintln!("[{size}] measuring SQLite's own share of the import");
    let floor = floor::measure(&url).await;

    // An analyst to record outcomes with, made through the library as `user add` would.
    let db = Database::connect(&url).await.unwrap();
    let password = "benchmark analyst passphrase";
    common::add_analyst(&db, "bench", password).await;
    let open: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM propositions WHERE id NOT IN (SELECT proposition_id FROM resolutions) ORDER BY id",
    )
    .fetch_all(&db.read)
    .await
    .unwrap();
    // A typical expert: the median by number of predictions.
    let (typical, typical_name, typical_count): (String, String, i64) = sqlx::query_as(
        "SELECT slug, name, n FROM (SELECT e.slug, e.name, COUNT(*) AS n FROM experts e JOIN predictions p ON p.expert_id = e.id GROUP BY e.id)
         ORDER BY n, slug LIMIT 1 OFFSET (SELECT COUNT(DISTINCT expert_id) / 2 FROM predictions)",
    )
    .fetch_one(&db.read)
    .await
    .unwrap();
    db.close().await;

    let (server, http) = common::start_server(&url).await;
    // The server writes once as it starts (the first admin's set-up link), which it notices
    // within a second and which empties its page cache: let that pass before warming up.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pages: Vec<(String, String)> = vec![
        ("static file".into(), "/static/style.css".into()),
        ("scorecard".into(), format!("/experts/{typical}")),
        // As a Share link has it: pinned to a moment, read through each prediction's version.
        (
            PINNED.into(),
            format!("/experts/{typical}?as_of={}", pinned_moment()),
        ),
        ("event grid".into(), "/events/event-0".into()),
        ("leaderboard".into(), "/leaderboard".into()),
        // A reader looking for what one person said: their name, as they would type it.
        (
            "search".into(),
            format!(
                "/predictions?{}",
                serde_urlencoded::to_string([("q", typical_name.as_str())]).unwrap()
            ),
        ),
        ("card.png".into(), format!("/experts/{typical}/card.png")),
        ("home page".into(), "/".into()),
        ("expert index".into(), "/experts".into()),
        ("predictions list".into(), "/predictions".into()),
        // A word most quotes hold: the most results a search can rank.
        ("search, common word".into(), "/predictions?q=likely".into()),
    ];
    for (_, path) in &pages {
        let (status, _) = http.get(path).await;
        assert_eq!(status, 200, "{path}");
    }
    let rss_start_mb = server.memory_kib("VmRSS:") as f64 / 1024.0;
    let mut loads = Vec::new();
    for (name, path) in &pages {
        eprintln!("[{size}] wrk {path}");
        loads.push((
            name.clone(),
            wrk(&format!("{}{path}", server.base), options),
        ));
    }

    // Outcomes through the real form, each on a proposition still open; the leaderboard
    // straight after each, as the next reader would get it.
    let cookie = common::sign_in(&http, "bench", password).await;
    let mut outcome_ms = Vec::new();
    let mut leaderboard_ms = Vec::new();
    let mut cold: Vec<(String, Vec<f64>)> = pages
        .iter()
        .skip(1)
        .map(|(n, _)| (n.clone(), Vec::new()))
        .collect();
    for (round, id) in open.iter().take(options.outcomes).enumerate() {
        let started = Instant::now();
        let (status, _) = http
            .post_form(
                &format!("/propositions/{id}/resolve"),
                Some(&cookie),
                &[
                    ("outcome", if round % 2 == 0 { "true" } else { "false" }),
                    ("decided_on", "2025-01-02"),
                    ("evidence_url", "https://evidence.example/benchmark"),
                    ("rationale", "Recorded by the benchmark."),
                    ("seen", ""),
                ],
            )
            .await;
        assert_eq!(status, 303, "outcome recorded");
        outcome_ms.push(ms(started.elapsed()));
        let (status, took) = http.get("/leaderboard").await;
        assert_eq!(status, 200);
        leaderboard_ms.push(ms(took));
        // Then every other page, each made afresh after the write; a pinned one at a moment
        // no page was made for yet, as the first reader of a new Share link finds it.
        for (name, path) in pages.iter().skip(1) {
            if name != "leaderboard" {
                let path = if name == PINNED {
                    format!("/experts/{typical}?as_of={}", pinned_moment())
                } else {
                    path.clone()
                };
                let (status, took) = http.get(&path).await;
                assert_eq!(status, 200);
                if let Some((_, list)) = cold.iter_mut().find(|(n, _)| n == name) {
                    list.push(ms(took));
                }
            }
        }
    }
    if let Some((_, list)) = cold.iter_mut().find(|(n, _)| n == "leaderboard") {
        list.clone_from(&leaderboard_ms);
    }
    outcome_ms.sort_by(f64::total_cmp);
    leaderboard_ms.sort_by(f64::total_cmp);
    let cold = cold
        .into_iter()
        .map(|(name, mut list)| {
            list.sort_by(f64::total_cmp);
            (name, percentile(&list, 50.0))
        })
        .collect();
    SizeResult {
        predictions: size,
        experts,
        typical_count,
        import_seconds,
        floor,
        database_mb,
        loads,
        cold,
        outcome_p50_ms: percentile(&outcome_ms, 50.0),
        outcome_p99_ms: percentile(&outcome_ms, 99.0),
        leaderboard_after_p50_ms: percentile(&leaderboard_ms, 50.0),
        leaderboard_after_max_ms: leaderboard_ms.last().copied().unwrap_or(f64::NAN),
        rss_start_mb,
        rss_end_mb: server.memory_kib("VmRSS:") as f64 / 1024.0,
        rss_peak_mb: server.memory_kib("VmHWM:") as f64 / 1024.0,
    }
}

fn report(results: &[SizeResult], options: &Options) -> String {
    let mut out = String::new();
    let cpu = common::cpu_model();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(
        out,
        "Run {} on {cores} cores ({cpu}); wrk -t2 -c{} -d{}s over loopback.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        options.connections,
        options.seconds,
    );
    let header: Vec<String> = results
        .iter()
        .map(|r| {
            format!(
                "{} predictions, {} experts (scorecard: {} predictions)",
                r.predictions, r.experts, r.typical_count
            )
        })
        .collect();
    let _ = writeln!(out, "| measure | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(results.len()));
    let row = |out: &mut String, name: &str, cell: &dyn Fn(&SizeResult) -> String| {
        let cells: Vec<String> = results.iter().map(cell).collect();
        let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
    };
    row(&mut out, "import (`hindsight import`)", &|r| {
        format!(
            "{:.1} s, {:.0} predictions/s",
            r.import_seconds,
            r.predictions as f64 / r.import_seconds
        )
    });
    row(
        &mut out,
        "SQLite alone, the same rows copied inside it: rows + indexes + search index",
        &|r| {
            let f = &r.floor;
            format!(
                "{:.1} + {:.1} + {:.1} = {:.1} s, {:.0} predictions/s",
                f.rows,
                f.indexes,
                f.search,
                f.total(),
                r.predictions as f64 / f.total()
            )
        },
    );
    row(&mut out, "database file", &|r| {
        format!("{:.0} MB", r.database_mb)
    });
    let names: Vec<String> = results[0].loads.iter().map(|(n, _)| n.clone()).collect();
    for name in &names {
        row(
            &mut out,
            &format!("{name}: requests/s (× static), p50 / p99"),
            &|r| {
                let stat = r.loads[0].1.requests_per_second;
                let load = r
                    .loads
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, l)| *l)
                    .unwrap_or_default();
                format!(
                    "{:.0} ({:.2}×), {:.2} / {:.2} ms{}",
                    load.requests_per_second,
                    load.requests_per_second / stat,
                    load.p50_ms,
                    load.p99_ms,
                    if load.errors > 0 {
                        format!(", {} errors", load.errors)
                    } else {
                        String::new()
                    }
                )
            },
        );
    }
    for name in names.iter().skip(1) {
        row(
            &mut out,
            &format!("{name} made afresh after a write (median)"),
            &|r| {
                r.cold
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("-".into(), |(_, v)| format!("{v:.1} ms"))
            },
        );
    }
    row(&mut out, "record an outcome (form POST), p50 / p99", &|r| {
        format!("{:.1} / {:.1} ms", r.outcome_p50_ms, r.outcome_p99_ms)
    });
    row(
        &mut out,
        "leaderboard right after an outcome, median / max",
        &|r| {
            format!(
                "{:.1} / {:.1} ms",
                r.leaderboard_after_p50_ms, r.leaderboard_after_max_ms
            )
        },
    );
    row(
        &mut out,
        "server memory (RSS) after warm-up / at the end / peak",
        &|r| {
            format!(
                "{:.0} / {:.0} / {:.0} MB",
                r.rss_start_mb, r.rss_end_mb, r.rss_peak_mb
            )
        },
    );
    out
}

#[tokio::main]
async fn main() {
    let options: Options = common::options();
    if Command::new("wrk").arg("-v").output().is_err() {
        eprintln!(
            "wrk is not installed: run `bash .ci/bench`, which installs it, or `apt-get install wrk`"
        );
        std::process::exit(2);
    }
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&target).unwrap();
    let dir = tempfile::tempdir_in(&target).unwrap();
    let mut results = Vec::new();
    for &size in &options.sizes {
        results.push(measure(size, &options, dir.path()).await);
    }
    let table = report(&results, &options);
    println!("{table}");
    std::fs::write(target.join("results.md"), &table).unwrap();
}

//! The article reader's speed (issue 20): `cargo bench --bench extract`. A 10 KB article (the
//! extraction fixtures, seed articles first, joined and cut at the last line break before 10,240 bytes) is
//! read a few hundred times with what a fresh database knows (the three estimative scales), and
//! again with 2,000 experts on record; the median, the 99th percentile and the slowest time per
//! article are printed; then as the server answers it (the demo database, with a search of the
//! propositions for each candidate). Target: under 20 ms on the release build.
//!
//! Options (after `--`): `--runs 500` `--bytes 10240`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use hindsight::extract::{Knowledge, KnownExpert, extract};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runs = option("--runs", 500);
    let article = article(option("--bytes", 10_240));
    let known = runtime().block_on(knowledge());
    println!(
        "article: {} bytes, {} lines; {} runs a measurement (release build: {})",
        article.len(),
        article.lines().filter(|l| !l.trim().is_empty()).count(),
        runs,
        !cfg!(debug_assertions)
    );
    measure("scales only", &article, &known, runs);
    let experts = (0..2_000)
        .map(|n| KnownExpert {
            slug: format!("expert-{n}"),
            name: format!("Analyst{n} Surname{}", n % 97),
            aliases: vec![format!("A. Surname{}", n % 97)],
            affiliation: None,
        })
        .collect();
    let crowded = Knowledge::new(experts, known.scale_terms.clone());
    measure("2,000 experts on record", &article, &crowded, runs);
    runtime().block_on(measure_as_served(&article, runs));
}

/// What `POST /api/v1/extract` and `/extract` do besides reading: the demo data set's experts,
/// and a search of the propositions' statements for each candidate (`extraction::propose`).
async fn measure_as_served(article: &str, runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("served.db").display());
    let db = hindsight::db::Database::connect(&url).await.unwrap();
    hindsight::db::dataset::import_json(&db, hindsight::import::DEMO_DATA_SET, false, None)
        .await
        .unwrap();
    let cache = hindsight::extraction::KnowledgeCache::default();
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut found = 0;
    for run in 0..runs + 20 {
        let started = Instant::now();
        let known = cache.get(&db).await.unwrap();
        let candidates = hindsight::extraction::propose(&db, &known, std::hint::black_box(article))
            .await
            .unwrap();
        if run >= 20 {
            times.push(started.elapsed());
        }
        found = candidates.len();
    }
    report(
        "as served (demo database, the reader and a proposition search a candidate)",
        found,
        times,
    );
    db.close().await;
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// What a fresh, migrated database knows: the scales of migrations/0002.
async fn knowledge() -> Knowledge {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = hindsight::db::Database::connect(&url).await.unwrap();
    let known = hindsight::db::extraction::knowledge(&db).await.unwrap();
    db.close().await;
    known
}

/// The fixtures joined, cut at the last paragraph break before `bytes`.
fn article(bytes: usize) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extraction");
    let mut text = String::new();
    for dir in ["seeds", "own", "heldout"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            text.push_str(std::fs::read_to_string(path).unwrap().trim());
            text.push_str("\n\n");
        }
    }
    let mut cut = bytes.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let end = text[..cut].rfind('\n').unwrap_or(cut);
    text.truncate(end);
    text
}

fn measure(what: &str, article: &str, known: &Knowledge, runs: usize) {
    for _ in 0..20 {
        std::hint::black_box(extract(article, known));
    }
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut found = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let candidates = extract(std::hint::black_box(article), known);
        times.push(started.elapsed());
        found = candidates.len();
    }
    report(what, found, times);
}

/// Prints the median, the 99th percentile and the slowest of `times`, one article each.
fn report(what: &str, found: usize, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: {found} candidates; median {:.2} ms, p99 {:.2} ms, slowest {:.2} ms per article",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(times[times.len() - 1])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

//! What the benchmarks share with the integration tests: the real server as a child process,
//! and a small HTTP client; and what they share among themselves: a data set made and imported
//! through the binary, and the arithmetic of their reports.

// Each benchmark includes this file and uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../tests/support/real_server.rs"]
mod real_server;

pub use real_server::*;

/// Runs `command` to its end and asserts that it succeeds.
pub fn run(command: &mut Command) {
    let status = command.status().expect("hindsight runs");
    assert!(status.success(), "{command:?} failed");
}

/// Writes a generated data set of `predictions` by `experts` to `data` and imports it into the
/// database at `url`, both with the binary as a person would; the import's time in seconds.
/// `label` begins the progress line.
pub fn generate_and_import(
    label: &str,
    predictions: usize,
    experts: usize,
    data: &Path,
    url: &str,
) -> f64 {
    run(Command::new(BINARY).args([
        "generate",
        "--predictions",
        &predictions.to_string(),
        "--experts",
        &experts.to_string(),
        "--output",
        data.to_str().unwrap(),
    ]));
    eprintln!("[{label}] importing");
    let started = Instant::now();
    run(Command::new(BINARY)
        .args(["import", data.to_str().unwrap(), "--database", url])
        .stdout(Stdio::null()));
    started.elapsed().as_secs_f64()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value at percentile `p` (0 to 100) of `sorted`; NaN when it is empty.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// A benchmark's options, read by clap from what follows `--`; cargo bench passes `--bench`
/// of its own, which no benchmark reads.
pub fn options<T: clap::Parser>() -> T {
    T::parse_from(std::env::args().filter(|arg| arg != "--bench"))
}

/// A number as a person types it, its digits perhaps grouped with `_` (`1_000_000`).
pub fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{text}: not a number"))
}

/// The processor's model name, for a report's header; empty where /proc/cpuinfo does not say.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default()
}

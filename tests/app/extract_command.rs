//! `hindsight extract` and `hindsight extract-score` as a person runs them: the real binary on
//! the fixtures, against the demo's database and against a fresh one.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::binary::{BINARY, run_to_success};
use crate::helpers::spawn_app;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extraction")
}

#[tokio::test]
async fn extract_prints_the_candidates_in_the_apis_shape() {
    let app = spawn_app().await;
    let file = fixtures().join("seeds/003_10dfcf0b65ddf187.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let printed = run_to_success(&["extract", file.to_str().unwrap(), "--database", &app.url]);
    let json: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let candidates = json["candidates"].as_array().unwrap();
    assert!(candidates.len() >= 5, "{printed}");
    crate::helpers::assert_candidates_in_the_apis_shape(&text, candidates);
    let slim = candidates
        .iter()
        .find(|c| c["quote"].as_str().unwrap().ends_with("is slim"))
        .unwrap();
    assert_eq!(slim["speaker"], "Joh Han-beom");
    assert_eq!(slim["speaker_kind"], "person");
    assert_eq!(slim["attribution"], "direct");
    assert_eq!(slim["probability"], 0.15);
    let unlikely = candidates
        .iter()
        .find(|c| c["hedge_words"] == "unlikely")
        .unwrap();
    assert_eq!(unlikely["scale"], "icd-203");
    assert_eq!(unlikely["scale_term"], "unlikely");
    let low = candidates
        .iter()
        .find(|c| c["quote"] == "The possibility is low.")
        .unwrap();
    assert_eq!(low["speaker_kind"], "unattributed");
    assert!(low["speaker"].is_null());

    let shown = run_to_success(&[
        "extract",
        file.to_str().unwrap(),
        "--format",
        "text",
        "--database",
        &app.url,
    ]);
    assert!(shown.contains("Joh Han-beom (person, quoted)"), "{shown}");
    assert!(shown.contains("proposition: "));
}

#[test]
fn extract_refuses_an_empty_file_and_an_unknown_format() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let out = Command::new(BINARY)
        .args(["extract", empty.to_str().unwrap(), "--database", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    let seed = fixtures().join("seeds/004_a07be524ed5feb81.txt");
    let out = Command::new(BINARY)
        .args(["extract", seed.to_str().unwrap(), "--format", "xml"])
        .args(["--database", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
}

/// The figures of the `all` line: recall, attributed recall, precision, speaker, probability.
fn figures(report: &str) -> Vec<f64> {
    let all = report.lines().find(|l| l.starts_with("all ")).unwrap();
    all.split_whitespace()
        .skip(3)
        .take(5)
        .map(|f| f.parse().unwrap())
        .collect()
}

#[test]
fn extract_score_measures_the_reader_on_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    for (set, gold, floors) in [
        ("seeds", "seed-gold.md", [0.75, 0.75, 0.65, 0.9, 0.85]),
        ("own", "gold.md", [0.85, 0.85, 0.9, 0.9, 0.85]),
        ("heldout", "gold.md", [0.85, 0.85, 0.9, 0.9, 0.9]),
        ("blind", "gold.md", [0.8, 0.8, 0.9, 0.9, 0.85]),
        ("blind2", "gold.md", [0.65, 0.65, 0.7, 0.9, 0.9]),
    ] {
        let report = run_to_success(&[
            "extract-score",
            "--gold",
            fixtures().join(set).join(gold).to_str().unwrap(),
            "--articles",
            fixtures().join(set).to_str().unwrap(),
            "--database",
            &url,
        ]);
        let got = figures(&report);
        for (value, floor) in got.iter().zip(floors) {
            assert!(*value >= floor, "{set}: {value} < {floor}\n{report}");
        }
    }
}

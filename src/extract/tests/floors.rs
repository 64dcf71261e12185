//! The reader on the fixtures of tests/fixtures/extraction, scored against their gold tables.

use super::super::Candidate;
use super::read;

/// Scores the reader on a directory of fixtures against its gold table.
fn fixture_score(dir: &str, gold_file: &str) -> (super::super::gold::Score, String) {
    use super::super::gold;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extraction");
    let table = std::fs::read_to_string(root.join(dir).join(gold_file)).unwrap();
    let gold_table = gold::parse(&table).unwrap();
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let read: Vec<(String, Vec<Candidate>)> = paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, read(&std::fs::read_to_string(p).unwrap()))
        })
        .collect();
    let articles: Vec<gold::Article> = read
        .iter()
        .map(|(id, candidates)| gold::Article { id, candidates })
        .collect();
    let (each, total) = gold::score(&gold_table, &articles);
    let shown = gold::report(&each, &total);
    (total, shown)
}

/// The figures measured on the fixtures (docs/extraction.md), less a margin: a change that
/// makes the reader worse on them fails here.
#[test]
fn the_fixtures_score_at_least_their_floors() {
    for (dir, gold_file, floors) in [
        ("seeds", "seed-gold.md", [0.75, 0.65, 0.9, 0.85]),
        ("own", "gold.md", [0.85, 0.9, 0.9, 0.85]),
        ("heldout", "gold.md", [0.85, 0.9, 0.9, 0.9]),
        ("blind", "gold.md", [0.8, 0.9, 0.9, 0.85]),
        ("blind2", "gold.md", [0.65, 0.7, 0.9, 0.9]),
    ] {
        let (s, shown) = fixture_score(dir, gold_file);
        let figures = [
            s.recall(),
            s.precision(),
            s.speaker_share(),
            s.probability_share(),
        ];
        for (name, (got, floor)) in ["recall", "precision", "speaker", "probability"]
            .iter()
            .zip(figures.iter().zip(floors))
        {
            assert!(*got >= floor, "{dir}: {name} {got:.2} < {floor}\n{shown}");
        }
    }
}

//! The demo data set against its own material: the seed articles it quotes
//! (`tests/fixtures/seeds/`, copies of the shared seeds) and the reference facts it resolves
//! from (`tests/fixtures/reference/outcomes.md`, a copy of the shared file).

use std::collections::HashMap;

use hindsight::db::dataset;
use hindsight::import::{DEMO_DATA_SET, DataSetFile, parse};

use crate::helpers::spawn_empty_app;

const KOREA_HERALD_TREATY: &str = "https://m.koreaherald.com/view.php?ud=20240620050298";

fn demo() -> DataSetFile {
    parse(DEMO_DATA_SET).expect("the demo parses")
}

/// The seed article each source key of the demo stands for.
fn seed_of(source: &str) -> &'static str {
    match source {
        "kh-2024-06-13" => include_str!("../fixtures/seeds/000_e4129df311833be6.txt"),
        "unidentified-2024-06-13" => include_str!("../fixtures/seeds/001_540fff08ba8df32b.txt"),
        "hani-2024-06-17" => include_str!("../fixtures/seeds/002_63019f5d13d63c9c.txt"),
        "asiae-2024-06-17" => include_str!("../fixtures/seeds/003_10dfcf0b65ddf187.txt"),
        "unidentified-2024-06-14" => include_str!("../fixtures/seeds/004_a07be524ed5feb81.txt"),
        other => panic!("the demo's source {other} has no seed article"),
    }
}

#[test]
fn every_quote_is_verbatim_in_its_own_seed_article() {
    let file = demo();
    for (i, p) in file.predictions.iter().enumerate() {
        assert!(
            seed_of(&p.source).contains(&p.quote),
            "predictions #{}: {} is not quoted verbatim from {}: {:?}",
            i + 1,
            p.expert,
            p.source,
            p.quote
        );
    }
}

#[test]
fn the_three_predictions_the_demo_lacked_are_there_with_their_speaker() {
    let file = demo();
    let find = |expert: &str, proposition: &str, source: &str| {
        let found: Vec<_> = file
            .predictions
            .iter()
            .filter(|p| p.expert == expert && p.proposition == proposition && p.source == source)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{expert} on {proposition} in {source}: {found:?}"
        );
        found[0].clone()
    };
    // Seed 000: Lim Eul-chul on renewing the 2000 treaty.
    let lim = find("lim-eul-chul", "new-treaty-signed", "kh-2024-06-13");
    assert!(
        lim.quote
            .contains("there is a natural and growing need to renew the existing treaty")
    );
    // Seed 000: tourism is Hyun Seung-soo's point, not the unnamed experts'.
    let tourism = find(
        "hyun-seung-soo",
        "tourism-cooperation-addressed",
        "kh-2024-06-13",
    );
    assert!(tourism.quote.starts_with("Hyun underscored"));
    assert!(
        !file
            .predictions
            .iter()
            .any(|p| p.proposition == "tourism-cooperation-addressed"
                && p.expert != "hyun-seung-soo"),
        "no one else holds the tourism prediction"
    );
    // Seed 004: Hyun Seung-soo on overall cooperation, "will likely" on ICD 203.
    let cooperation = find(
        "hyun-seung-soo",
        "cooperation-agreements-beyond-treaty",
        "unidentified-2024-06-14",
    );
    assert!(
        cooperation
            .quote
            .contains("the visit will likely enhance overall cooperation")
    );
    assert_eq!(cooperation.hedge_words.as_deref(), Some("will likely"));
    assert_eq!(
        cooperation.scale_term.map(|t| (t.scale, t.term)),
        Some(("icd-203".to_string(), "likely".to_string()))
    );
    for p in [&lim, &tourism] {
        assert_eq!(p.said_on, "2024-06-13");
        assert_eq!(p.basis, "analyst");
        assert!(p.basis_note.is_some());
    }
    assert_eq!(lim.probability, Some(0.7));
    assert_eq!(
        tourism.probability,
        Some(0.9),
        "the flat-statement convention"
    );
    assert_eq!(cooperation.said_on, "2024-06-14");
}

/// Narrower proposition, broader one it implies (by the demo's resolution criteria): a treaty
/// with an automatic-intervention clause or an immediate-consultation duty is a treaty with
/// military or security commitments, which is a treaty; a treaty mentioning reunification is a
/// treaty. `cooperation-agreements-beyond-treaty` counts agreements besides the treaty, so no
/// treaty proposition implies it.
const IMPLIES: [(&str, &str); 6] = [
    (
        "treaty-automatic-military-intervention",
        "treaty-military-security-commitments",
    ),
    (
        "treaty-immediate-consultation",
        "treaty-military-security-commitments",
    ),
    (
        "treaty-automatic-military-intervention",
        "new-treaty-signed",
    ),
    ("treaty-immediate-consultation", "new-treaty-signed"),
    ("treaty-military-security-commitments", "new-treaty-signed"),
    ("treaty-mentions-reunification", "new-treaty-signed"),
];

#[tokio::test]
async fn no_expert_puts_a_broad_outcome_below_a_narrower_one_it_contains() {
    let app = spawn_empty_app().await;
    dataset::import_json(&app.db, DEMO_DATA_SET, false, None)
        .await
        .unwrap();
    // The numbers as stored: a scale term's number is the scale's, read by the import.
    let rows: Vec<(String, String, f64)> = sqlx::query_as(
        "SELECT e.slug, pr.slug, p.probability FROM predictions p
         JOIN experts e ON e.id = p.expert_id JOIN propositions pr ON pr.id = p.proposition_id",
    )
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    let mut held: HashMap<(String, String), Vec<f64>> = HashMap::new();
    for (expert, proposition, p) in rows {
        held.entry((expert, proposition)).or_default().push(p);
    }
    let mut contradictions = Vec::new();
    for ((expert, narrow), narrow_ps) in &held {
        for (from, to) in IMPLIES {
            if narrow != from {
                continue;
            }
            let Some(broad_ps) = held.get(&(expert.clone(), to.to_string())) else {
                continue;
            };
            for n in narrow_ps {
                for b in broad_ps {
                    if b + 1e-9 < *n {
                        contradictions.push(format!("{expert}: {to} {b} < {from} {n}"));
                    }
                }
            }
        }
    }
    contradictions.sort();
    assert!(contradictions.is_empty(), "{contradictions:#?}");
}

#[test]
fn one_collective_record_speaks_for_one_article_or_body() {
    let file = demo();
    let sources_of = |expert: &str| {
        let mut sources: Vec<&str> = file
            .predictions
            .iter()
            .filter(|p| p.expert == expert)
            .map(|p| p.source.as_str())
            .collect();
        sources.dedup();
        sources
    };
    // Anonymous experts are a record per article; the government is a speaker of its own.
    assert_eq!(sources_of("unnamed-experts-in-seoul"), ["kh-2024-06-13"]);
    assert_eq!(
        sources_of("unnamed-experts-2024-06-13"),
        ["unidentified-2024-06-13"]
    );
    assert_eq!(sources_of("many-experts-hankyoreh"), ["hani-2024-06-17"]);
    assert_eq!(
        sources_of("south-korean-government"),
        ["unidentified-2024-06-13"]
    );
    assert!(
        file.experts
            .iter()
            .any(|e| e.slug == "south-korean-government" && e.kind == "collective")
    );
}

/// The propositions no source on record settles: the reference facts mark them UNVERIFIED.
const UNSETTLED: [&str; 3] = [
    "north-korean-workers-addressed",
    "tourism-cooperation-addressed",
    "treaty-mentions-reunification",
];

#[test]
fn propositions_no_source_settles_are_all_annulled_and_say_why() {
    let outcomes = include_str!("../fixtures/reference/outcomes.md");
    assert!(outcomes.contains("Whether it mentions Korean reunification: UNVERIFIED"));
    assert!(outcomes.contains("Both UNVERIFIED as summit outcomes"));
    let file = demo();
    for slug in UNSETTLED {
        let latest = file
            .resolutions
            .iter()
            .rev()
            .find(|r| r.proposition == slug)
            .unwrap_or_else(|| panic!("{slug} is left open"));
        assert_eq!(latest.outcome, "annulled", "{slug}");
        assert!(latest.evidence_url.is_none(), "{slug}");
        assert!(
            latest.rationale.contains("No source settles it"),
            "{slug}: {}",
            latest.rationale
        );
    }
    // Every other proposition past its date is settled with a source.
    for p in &file.propositions {
        if UNSETTLED.contains(&p.slug.as_str()) {
            continue;
        }
        let latest = file
            .resolutions
            .iter()
            .rev()
            .find(|r| r.proposition == p.slug)
            .unwrap_or_else(|| panic!("{} is left open", p.slug));
        assert_ne!(latest.outcome, "annulled", "{}", p.slug);
    }
}

#[test]
fn resolutions_cite_the_source_the_reference_facts_name() {
    let outcomes = include_str!("../fixtures/reference/outcomes.md");
    let file = demo();
    // Proposition: the source outcomes.md gives for the fact that settles it, as the
    // rationale must name it.
    let cited = [
        (
            "putin-visits-pyongyang-by-june-20",
            "IANS/dpa, 20 June 2024",
        ),
        (
            "korea-china-dialogue-held-by-june-20",
            "KBS World, 18 June 2024",
        ),
        ("new-treaty-signed", "KCNA, 20 June 2024"),
        ("new-treaty-signed", "TASS, 5 December 2024"),
        ("joint-declaration-adopted", "Rodong Sinmun, 21 June 2024"),
        (
            "military-technology-transfer-announced",
            "press remarks, 19 June 2024",
        ),
        (
            "cooperation-agreements-beyond-treaty",
            "Rodong Sinmun, 21 June 2024",
        ),
    ];
    for (slug, source) in cited {
        assert!(outcomes.contains(source.split(',').next().unwrap()));
        let r = file
            .resolutions
            .iter()
            .find(|r| r.proposition == slug)
            .unwrap();
        assert!(
            r.rationale.contains(source),
            "{slug} does not cite {source}: {}",
            r.rationale
        );
    }
    // Facts outcomes.md sources to another outlet do not link to the Korea Herald.
    for slug in [
        "putin-visits-pyongyang-by-june-20",
        "joint-declaration-adopted",
        "military-technology-transfer-announced",
    ] {
        for r in file.resolutions.iter().filter(|r| r.proposition == slug) {
            assert_ne!(
                r.evidence_url.as_deref(),
                Some(KOREA_HERALD_TREATY),
                "{slug}"
            );
        }
    }
    // Every link given as evidence is one the reference facts give.
    for r in &file.resolutions {
        if let Some(url) = &r.evidence_url {
            assert!(outcomes.contains(url.as_str()), "{}: {url}", r.proposition);
        }
    }
}

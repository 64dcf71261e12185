use super::*;

const TABLE: &str = "Intro.\n\n\
| # | seed | speaker (affiliation) | words | p | outcome |\n\
|---|------|-----------------------|-------|---|---------|\n\
| 1 | 007 | Ana Ruiz (Andes University) | \"will rise\" | 0.9 | true |\n\
| 2 | 007 | Cho Han-bum (KINU) = Joh Han-beom | \"might fall\" | 0.6 (fall) | false |\n\
| 3 | 008 | the article (Daily) | \"The possibility is low\" | 20% | true |\n\
| 4 | 008 | experts in Lima (anonymous) | \"unlikely\" | 0.25 | true |\n\n\
## Not forecasts\n\n\
| article | sentence | why |\n|---|---|---|\n| 008 | The vote is scheduled for May. | schedule |\n";

fn candidate(quote: &str, speaker: Option<&str>, kind: SpeakerKind, p: f64) -> Candidate {
    Candidate {
        quote: quote.into(),
        start: 0,
        end: quote.len(),
        sentence: quote.into(),
        speaker: speaker.map(str::to_string),
        speaker_kind: kind,
        affiliation: None,
        title: None,
        expert: None,
        expert_alternatives: Vec::new(),
        attribution: super::super::Attribution::Reported,
        hedge_words: None,
        probability: Some(p),
        scale: None,
        scale_term: None,
        probability_reason: String::new(),
        proposition: super::super::PropositionSuggestion::default(),
    }
}

#[test]
fn reads_columns_by_their_headers() {
    let gold = parse(TABLE).unwrap();
    assert_eq!(gold.rows.len(), 4);
    assert_eq!(gold.rows[0].speakers, ["Ana Ruiz"]);
    assert_eq!(gold.rows[0].words, "will rise");
    assert_eq!(gold.rows[1].speakers, ["Cho Han-bum", "Joh Han-beom"]);
    assert_eq!(gold.rows[1].p, Some(0.6));
    assert!(gold.rows[2].unattributed);
    assert_eq!(gold.rows[2].p, Some(0.2));
    assert_eq!(gold.not_forecasts.len(), 1);
    assert!(parse("no table here").is_err());
}

#[test]
fn the_quote_column_is_preferred_to_the_words() {
    let table = "| article | speaker | attribution | quote | words | p |\n|---|---|---|---|---|---|\n\
                 | 1 | X | direct | prices will rise next year | will | 0.9 |\n";
    let gold = parse(table).unwrap();
    assert_eq!(gold.rows[0].words, "prices will rise next year");
    assert_eq!(gold.rows[0].attribution.as_deref(), Some("direct"));
}

#[test]
fn matching_needs_half_the_shorter_texts_words() {
    let a = content_words("the new treaty will include military cooperation");
    assert_eq!(overlap(&a, &content_words("will include")), 1.0);
    assert!(overlap(&a, &content_words("unlikely to include anything")) < 0.5);
}

#[test]
fn scores_recall_precision_speakers_and_probabilities() {
    let gold = parse(TABLE).unwrap();
    let seven = vec![
        candidate(
            "Prices will rise in June",
            Some("Ana Ruiz"),
            SpeakerKind::Person,
            0.93,
        ),
        candidate(
            "exports might fall",
            Some("Joh Han-beom"),
            SpeakerKind::Person,
            0.4,
        ),
        candidate(
            "The port will reopen",
            Some("Ana Ruiz"),
            SpeakerKind::Person,
            0.93,
        ),
    ];
    let eight = vec![
        candidate(
            "The possibility is low.",
            None,
            SpeakerKind::Unattributed,
            0.15,
        ),
        candidate(
            "a cut is unlikely",
            Some("Experts in Lima"),
            SpeakerKind::Collective,
            0.325,
        ),
        candidate(
            "The vote is scheduled for May",
            None,
            SpeakerKind::Unattributed,
            0.9,
        ),
    ];
    let articles = [
        Article {
            id: "007_x",
            candidates: &seven,
        },
        Article {
            id: "008",
            candidates: &eight,
        },
    ];
    let (each, total) = score(&gold, &articles);
    assert_eq!(each.len(), 2);
    assert_eq!((total.rows, total.candidates, total.matched), (4, 6, 4));
    assert_eq!(total.speaker_right, 4);
    assert_eq!(total.probability_within, 3, "0.4 is 0.2 from 0.6");
    assert_eq!(total.not_forecasts_proposed, 1);
    assert!((total.precision() - 4.0 / 6.0).abs() < 1e-9);
    assert_eq!(total.recall_attributed(), 1.0);
    assert!(report(&each, &total).contains("all"));
}

#[test]
fn a_wrong_speaker_is_counted() {
    let gold = parse(TABLE).unwrap();
    let c = candidate(
        "prices will rise",
        Some("Ana Ortiz"),
        SpeakerKind::Person,
        0.9,
    );
    assert!(!speaker_right(&c, &gold.rows[0]));
    let c = candidate("prices will rise", None, SpeakerKind::Unattributed, 0.9);
    assert!(!speaker_right(&c, &gold.rows[0]));
}

#[test]
fn article_files_are_named_by_their_id() {
    assert!(same_article("000", "000_e4129df311833be6"));
    assert!(same_article("101", "101"));
    assert!(!same_article("10", "101_economy"));
}

use super::*;

/// The scales as the database holds them: read from migrations/0002_estimative_scales.sql,
/// in the database's order.
pub fn scales() -> Knowledge {
    let sql = include_str!("../../../migrations/0002_estimative_scales.sql");
    let (scales, terms) = sql
        .split_once("INSERT INTO estimative_terms")
        .expect("the migration inserts terms");
    let fields = |line: &str| -> Vec<String> {
        line.trim()
            .trim_start_matches('(')
            .split(',')
            .map(|f| f.trim().trim_matches('\'').to_string())
            .collect()
    };
    let rows = |part: &str| -> Vec<Vec<String>> {
        part.lines()
            .filter(|l| l.trim_start().starts_with('(') && l.contains('\''))
            .map(fields)
            .collect()
    };
    let slugs: Vec<(String, String)> = rows(scales)
        .into_iter()
        .map(|f| (f[0].clone(), f[1].clone()))
        .collect();
    let scale_terms = rows(terms)
        .into_iter()
        .map(|f| KnownScaleTerm {
            scale: slugs
                .iter()
                .find(|(id, _)| *id == f[0])
                .expect("a scale")
                .1
                .clone(),
            term: f[1].clone(),
            probability: f[2].parse().expect("a probability"),
        })
        .collect();
    Knowledge::new(Vec::new(), scale_terms)
}

#[test]
fn the_migrations_scales_are_read() {
    let known = scales();
    assert_eq!(known.scale_terms.len(), 29);
    assert_eq!(known.scale_terms[0].scale, "icd-203");
    assert_eq!(known.scale_terms[0].term, "almost no chance");
    let last = known.scale_terms.last().unwrap();
    assert_eq!(
        (last.scale.as_str(), last.probability),
        ("uk-yardstick", 0.975)
    );
}

#[test]
fn a_scale_term_is_read_from_the_first_scale_that_has_it() {
    let known = scales();
    let r = read("highly unlikely", "highly unlikely", &known).unwrap();
    assert_eq!(
        (r.probability, r.scale.as_deref()),
        (0.15, Some("uk-yardstick"))
    );
    let r = read("unlikely", "unlikely", &known).unwrap();
    assert_eq!(
        (r.probability, r.scale.as_deref()),
        (0.325, Some("icd-203"))
    );
    let r = read("almost certainly", "almost certainly", &known).unwrap();
    assert_eq!(r.scale_term.as_deref(), Some("almost certain"));
    let r = read("probably", "probably", &known).unwrap();
    assert_eq!(r.scale_term.as_deref(), Some("probable"));
    let r = read("probably not", "probably not", &known).unwrap();
    assert_eq!((r.probability, r.scale.as_deref()), (0.3, Some("kent")));
}

#[test]
fn lexicon_readings_have_no_scale_and_name_their_basis() {
    let known = scales();
    let r = read("may", "may", &known).unwrap();
    assert_eq!(r.probability, 0.5);
    assert!(r.scale.is_none() && r.scale_term.is_none());
    assert!(r.reason.starts_with("'may' read as 0.5 ("), "{}", r.reason);
    assert!(r.reason.contains("Mauboussin"));
    assert!(!r.likelihood);
    let r = read("slim", "slim", &known).unwrap();
    assert_eq!(r.probability, 0.15);
    assert!(r.likelihood);
}

#[test]
fn without_scales_the_lexicon_reads_scale_words_from_surveys() {
    let r = read("likely", "likely", &Knowledge::default()).unwrap();
    assert_eq!(r.probability, 0.7);
    assert!(r.scale.is_none());
}

#[test]
fn negations_mirror_their_positive() {
    for (pos, neg) in [
        ("will", "won't"),
        ("would", "wouldn't"),
        ("expected to", "not expected to"),
    ] {
        let p = lexicon(pos).unwrap().probability;
        let n = lexicon(neg).unwrap().probability;
        assert!((p + n - 1.0).abs() < 1e-9, "{pos}/{neg}");
    }
}

#[test]
fn every_lexicon_reading_is_a_probability_with_a_basis() {
    for e in LEXICON {
        assert!((0.0..=1.0).contains(&e.probability), "{}", e.key);
        assert!(!e.basis.is_empty(), "{}", e.key);
    }
}

#[test]
fn stated_numbers_and_number_words() {
    assert_eq!(stated(0.22, "22%").probability, 0.22);
    assert_eq!(number_word("forty-one"), Some(41.0));
    assert_eq!(number_word("1,200"), Some(1200.0));
    assert_eq!(number_word("Three"), Some(3.0));
    assert_eq!(number_word("many"), None);
}

#[test]
fn survey_readings_cite_the_survey_in_full() {
    assert_eq!(
        super::LIKELY,
        "Mauboussin & Mauboussin survey, HBR 2018: median for 'likely' (70%)"
    );
    assert_eq!(
        super::POSSIBLY,
        "Mauboussin & Mauboussin survey, HBR 2018: median for 'possibly' and 'maybe' (50%)"
    );
}

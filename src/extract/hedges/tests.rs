use super::*;

/// The three scales of migrations/0002_estimative_scales.sql, in their order.
pub fn scales() -> Knowledge {
    let rows: &[(&str, &str, f64)] = &[
        ("icd-203", "almost no chance", 0.03),
        ("icd-203", "remote", 0.03),
        ("icd-203", "very unlikely", 0.125),
        ("icd-203", "highly improbable", 0.125),
        ("icd-203", "unlikely", 0.325),
        ("icd-203", "improbable", 0.325),
        ("icd-203", "roughly even chance", 0.5),
        ("icd-203", "roughly even odds", 0.5),
        ("icd-203", "likely", 0.675),
        ("icd-203", "probable", 0.675),
        ("icd-203", "very likely", 0.875),
        ("icd-203", "highly probable", 0.875),
        ("icd-203", "almost certain", 0.97),
        ("icd-203", "nearly certain", 0.97),
        ("kent", "certain", 1.0),
        ("kent", "almost certain", 0.93),
        ("kent", "probable", 0.75),
        ("kent", "chances about even", 0.5),
        ("kent", "probably not", 0.3),
        ("kent", "almost certainly not", 0.07),
        ("kent", "impossible", 0.0),
        ("uk-yardstick", "remote chance", 0.025),
        ("uk-yardstick", "highly unlikely", 0.15),
        ("uk-yardstick", "unlikely", 0.3),
        ("uk-yardstick", "realistic possibility", 0.45),
        ("uk-yardstick", "likely", 0.65),
        ("uk-yardstick", "probable", 0.65),
        ("uk-yardstick", "highly likely", 0.85),
        ("uk-yardstick", "almost certain", 0.975),
    ];
    Knowledge {
        experts: Vec::new(),
        scale_terms: rows
            .iter()
            .map(|(scale, term, p)| KnownScaleTerm {
                scale: (*scale).to_string(),
                term: (*term).to_string(),
                probability: *p,
            })
            .collect(),
    }
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

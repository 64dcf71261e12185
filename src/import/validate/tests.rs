//! `validate`'s messages, by record and field, for files with every kind of mistake.

use crate::domain::model::GivenEstimate;
use crate::import::{DEMO_DATA_SET, ImportErrors, parse, validate};

fn file_with_prediction(probability: &str, basis: &str) -> String {
    format!(
        r#"{{"format": "hindsight/v1", "predictions": [{{"expert": "x", "proposition": "p",
        "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "{basis}",
        "probability": {probability}}}]}}"#
    )
}

fn issues_of(text: &str) -> Vec<String> {
    match parse(text).and_then(|f| validate(&f)) {
        Ok(_) => Vec::new(),
        Err(ImportErrors(issues)) => issues.iter().map(ToString::to_string).collect(),
    }
}

/// Asserts that `text` has exactly one problem, and that its message starts with `start`.
fn assert_one_issue(text: &str, start: &str) {
    let issues = issues_of(text);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(issues[0].starts_with(start), "{issues:?}");
}

#[test]
fn the_demo_data_set_is_valid() {
    let set = parse(DEMO_DATA_SET).and_then(|f| validate(&f));
    assert!(set.is_ok(), "{:?}", set.err());
}

#[test]
fn a_probability_above_one_names_its_record_and_field() {
    let issues = issues_of(&file_with_prediction("1.5", "stated"));
    assert_eq!(
        issues,
        vec!["predictions #1, field probability: 1.5 must be between 0 and 1 (or 0% and 100%)"]
    );
}

#[test]
fn analyst_judgement_needs_a_reason() {
    assert_one_issue(
        &file_with_prediction("0.3", "analyst"),
        "predictions #1, field basis_note",
    );
}

#[test]
fn bad_json_gives_line_and_column_once() {
    let issues = issues_of("{\"format\": \"hindsight/v1\",\n \"experts\": [}");
    assert_eq!(issues.len(), 1);
    assert!(issues[0].starts_with("line 2, column 14: "), "{issues:?}");
    assert_eq!(
        issues[0].matches("line").count(),
        1,
        "the place is said once: {issues:?}"
    );
}

#[test]
fn an_unknown_top_level_field_is_named() {
    assert_one_issue(
        "{\"format\": \"hindsight/v1\",\n \"expertz\": []}",
        "field expertz: unknown field \"expertz\"",
    );
}

/// Before: one message, "line 1, column 320: missing field `decidable_by` at line 1
/// column 320", for the first problem only.
#[test]
fn structural_errors_name_every_record_and_field_at_once() {
    let text = r#"{"format": "hindsight/v1",
      "experts": [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B", "nickname": "Bee"}],
      "propositions": [{"slug": "p", "event": "e", "statement": "S.", "criteria": "C."}],
      "predictions": [
        {"expert": "a", "proposition": "p", "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "scale", "hedge_words": "unlikely", "scale_term": {"scale": "icd-203"}},
        {"expert": "a", "proposition": "p", "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "stated", "probability": true}
      ]}"#;
    let issues = issues_of(text);
    assert_eq!(
        issues,
        vec![
            "experts #2, field nickname: is not a field of this record (expected one of slug, name, kind, affiliation, title, bio, aliases, members, retraction)",
            "propositions #1, field decidable_by: is missing",
            "predictions #1, field scale_term.term: is missing",
            "predictions #2, field probability: invalid type: boolean `true`, expected a number from 0 to 1, or a percentage such as \"71.4%\"",
        ],
    );
}

#[test]
fn a_list_or_record_of_the_wrong_shape_is_named() {
    let issues = issues_of(
        r#"{"format": "hindsight/v1", "topics": {"slug": "t"}, "experts": ["Lim Eul-chul"]}"#,
    );
    assert_eq!(
        issues,
        vec![
            "field topics: must be a list ([...]) of records, not an object",
            "experts #1: must be a record ({...}), not text",
        ]
    );
}

#[test]
fn a_probability_may_be_written_as_a_percentage() {
    for (written, value) in [("\"71.4%\"", 0.714), ("\"35 %\"", 0.35), ("\"0.25\"", 0.25)] {
        let file = parse(&file_with_prediction(written, "stated"));
        let set = file.and_then(|f| validate(&f));
        let p = set.map(|s| match &s.predictions[0].estimate {
            GivenEstimate::Stated { probability, .. } => Some(probability.value()),
            _ => None,
        });
        assert!(
            matches!(p, Ok(Some(v)) if (v - value).abs() < 1e-12),
            "{written}: {p:?}"
        );
    }
    assert_eq!(
        issues_of(&file_with_prediction("\"140%\"", "stated")),
        vec![
            "predictions #1, field probability: \"140%\" must be between 0 and 1 (or 0% and 100%)"
        ]
    );
}

#[test]
fn a_group_needs_its_members() {
    assert_one_issue(
        r#"{"format": "hindsight/v1", "experts": [{"slug": "pair", "name": "Two co-authors", "kind": "group"}]}"#,
        "experts #1, field members: is required for a group",
    );
}

#[test]
fn a_stated_number_has_no_scale_term() {
    let text = r#"{"format": "hindsight/v1", "predictions": [{"expert": "x", "proposition": "p",
        "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "stated", "probability": 0.3,
        "scale_term": {"scale": "icd-203", "term": "unlikely"}}]}"#;
    assert_one_issue(
        text,
        "predictions #1, field scale_term: \"unlikely\" is a scale term, but basis stated",
    );
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(issues_of("  \n"), vec!["line 1: the file is empty"]);
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = r#"{"format": "hindsight/v1",
      "experts": [{"slug": "Bad Slug", "name": " ", "kind": "robot"}],
      "sources": [{"key": "s", "title": "t", "outlet": "o", "published_on": "13/06/2024", "url": "ftp://x"}]}"#;
    let issues = issues_of(text);
    assert_eq!(issues.len(), 5, "{issues:?}");
    assert!(
        issues
            .iter()
            .any(|i| i.starts_with("sources #1, field published_on"))
    );
    assert!(
        issues
            .iter()
            .any(|i| i.starts_with("sources #1, field url"))
    );
}

#[test]
fn one_alias_cannot_name_two_experts() {
    let text = r#"{"format": "hindsight/v1", "experts": [
      {"slug": "a", "name": "Joh Han-beom"}, {"slug": "b", "name": "B", "aliases": ["joh hanbeom"]}]}"#;
    assert_one_issue(text, "experts #2, field aliases");
}

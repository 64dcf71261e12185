//! Hostile input: random and malformed values in every form and in import files. Whatever
//! arrives, the answer is never a 5xx, nothing panics, and a refused request writes nothing.

use axum::http::StatusCode;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use hindsight::db::dataset::{self, ApplyError};
use hindsight::import::{DEMO_DATA_SET, Format};

use crate::helpers::{TestApp, demo_with_analyst, spawn_app};

/// Fixed values an attacker or a careless paste might send: markup, SQL, numbers and dates
/// that are not, invisible and reversing characters.
const NASTY_VALUES: [&str; 10] = [
    "",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE predictions; --",
    "-1",
    "1.5",
    "NaN",
    "2024-02-30",
    "javascript:alert(1)",
    "\u{0000}\u{202e}\u{feff}",
];

/// Text an attacker or a careless paste might send: each fixed value as likely as each of the
/// other kinds.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => proptest::sample::select(&NASTY_VALUES[..]).prop_map(String::from),
        1 => Just("9".repeat(400)),
        1 => ".{0,40}",
        1 => "\\PC{0,300}",
    ]
}

/// Samples `count` values of `strategy`, deterministically.
fn samples<S: Strategy>(strategy: S, count: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// The names of a form's fields, as the page serves them.
async fn field_names(app: &TestApp, uri: &str, session: &str) -> Vec<String> {
    let page = app.get_as(uri, Some(session)).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}");
    let html = page.html();
    let selector =
        scraper::Selector::parse("form input[name], form select[name], form textarea[name]")
            .unwrap();
    let mut names: Vec<String> = html
        .select(&selector)
        .filter_map(|e| e.value().attr("name").map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[tokio::test]
async fn every_form_answers_random_input_without_a_server_error_or_a_partial_write() {
    let (app, session) = demo_with_analyst("fuzz").await;
    let proposition = app.proposition_id("treaty-mentions-reunification").await;
    let prediction: i64 = app.scalar("SELECT MIN(id) FROM predictions").await;
    let forms = [
        ("/experts/new".to_string(), "/experts/new".to_string()),
        (
            "/experts/jeh-sung-hoon/edit".into(),
            "/experts/jeh-sung-hoon/edit".into(),
        ),
        ("/sources/new".into(), "/sources/new".into()),
        ("/events/new".into(), "/events/new".into()),
        ("/propositions/new".into(), "/propositions/new".into()),
        (
            format!("/propositions/{proposition}/edit"),
            format!("/propositions/{proposition}/edit"),
        ),
        ("/predictions/new".into(), "/predictions/new".into()),
        (
            format!("/predictions/{prediction}/edit"),
            format!("/predictions/{prediction}/edit"),
        ),
        (
            format!("/propositions/{proposition}/resolve"),
            format!("/propositions/{proposition}/resolve"),
        ),
    ];
    let values = samples(nasty_text(), 400);
    let mut next = values.iter().cycle();
    for (form, action) in &forms {
        let names = field_names(&app, form, &session).await;
        assert!(!names.is_empty(), "{form} has fields");
        for round in 0..12 {
            let fields: Vec<(String, String)> = names
                .iter()
                // Now and then a field is left out altogether.
                .filter(|_| round % 5 != 4)
                .map(|name| (name.clone(), next.next().unwrap().clone()))
                .collect();
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let before = app.record_counts().await;
            let page = app.post_as(&session, action, &pairs).await;
            assert!(
                !page.status.is_server_error(),
                "{action} answered {} to {pairs:?}",
                page.status
            );
            if page.status != StatusCode::SEE_OTHER {
                assert_eq!(
                    app.record_counts().await,
                    before,
                    "{action} refused {pairs:?} but wrote"
                );
            }
        }
    }
}

fn mutate(text: &str, at: usize, cut: usize, insert: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let at = at % bytes.len().max(1);
    let end = (at + cut).min(bytes.len());
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(insert.as_bytes());
    out.extend_from_slice(&bytes[end..]);
    out
}

#[tokio::test]
async fn broken_import_files_are_refused_whole_and_never_panic() {
    let app = crate::helpers::spawn_empty_app().await;
    let csv = {
        let seeded = spawn_app().await;
        let file = hindsight::db::export::export(&seeded.db).await.unwrap();
        hindsight::import::csv::write(&file).unwrap()
    };
    let edits = samples((any::<usize>(), 0usize..40, nasty_text()), 120);
    let random = samples(proptest::collection::vec(any::<u8>(), 0..600), 40);
    let mut files: Vec<(Format, Vec<u8>)> = Vec::new();
    for (at, cut, insert) in &edits {
        files.push((Format::Json, mutate(DEMO_DATA_SET, *at, *cut, insert)));
        files.push((Format::Csv, mutate(&csv, *at, *cut, insert)));
    }
    for bytes in random {
        files.push((Format::Json, bytes.clone()));
        files.push((Format::Csv, bytes));
    }
    for (format, bytes) in files {
        let before = app.record_counts().await;
        match dataset::import_bytes(&app.db, &bytes, format, false, None).await {
            Ok(_) => {}
            Err(ApplyError::Invalid(errors)) => {
                assert!(!errors.0.is_empty());
                assert_eq!(
                    app.record_counts().await,
                    before,
                    "a refused file wrote something"
                );
            }
            Err(other) => panic!("a database error instead of a message: {other}"),
        }
    }
}

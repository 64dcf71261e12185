use hindsight::db::dataset::{self, ApplyError};
use hindsight::domain::dates::{AsOf, parse_moment};
use hindsight::import::DEMO_DATA_SET;

use crate::helpers::{
    TestApp, assert_created, demo_with_analyst, select, spawn_app, spawn_empty_app,
};

#[tokio::test]
async fn the_demo_loads_everything_once() {
    let app = spawn_empty_app().await;
    let report = app.import(DEMO_DATA_SET).await;
    // 15 experts: the 12 before, plus the South Korean government, the unnamed experts of the
    // 13 June report and The Hankyoreh's "many experts", each a collective of its own. 36
    // predictions: 33, plus Lim on renewing the treaty, Hyun on cooperation agreements, and
    // the 13 June report's sentence held by both of its speakers (tourism moved from the
    // unnamed experts to Hyun: no change in count). 14 propositions: 13 plus cooperation
    // agreements besides the treaty. 15 resolutions: 13 plus reunification annulled and
    // cooperation agreements true.
    let created = [
        ("experts", 15),
        ("predictions", 36),
        ("propositions", 14),
        ("resolutions", 15),
        ("sources", 5),
    ];
    assert_created(&report, &created);
    assert_eq!(
        app.count("expert_aliases").await,
        16,
        "every name plus Cho Han-bum"
    );
}

#[tokio::test]
async fn importing_the_same_file_again_changes_nothing() {
    let app = spawn_app().await;
    app.assert_import_changes_nothing(DEMO_DATA_SET).await;
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let app = spawn_empty_app().await;
    let report = dataset::import_json(&app.db, DEMO_DATA_SET, true, None)
        .await
        .unwrap();
    assert!(report.dry_run);
    assert_eq!(report.created("predictions"), 36);
    assert_eq!(app.count("predictions").await, 0);
    assert_eq!(app.count("experts").await, 0);
}

#[tokio::test]
async fn a_file_with_any_error_changes_nothing_and_names_the_record() {
    let app = spawn_app().await;
    let before = app.record_counts().await;
    // The first prediction is good; the second names an expert nobody knows. The good one
    // must not be written either.
    let text = r#"{"format": "hindsight/v1",
      "sources": [{"key": "s", "title": "A new article", "outlet": "Test Outlet", "published_on": "2024-06-18", "url": "https://example.org/a"}],
      "predictions": [
        {"expert": "yang-moo-jin", "proposition": "joint-declaration-adopted", "source": "s", "quote": "Good", "said_on": "2024-06-18", "basis": "stated", "probability": 0.2},
        {"expert": "nobody-at-all", "proposition": "joint-declaration-adopted", "source": "s", "quote": "Bad", "said_on": "2024-06-18", "basis": "stated", "probability": 0.2}
      ]}"#;
    let error = dataset::import_json(&app.db, text, false, None)
        .await
        .unwrap_err();
    let ApplyError::Invalid(errors) = error else {
        panic!("expected a validation error")
    };
    assert_eq!(errors.0.len(), 1);
    assert_eq!(
        errors.0[0].to_string(),
        "predictions #2, field expert: no expert has the slug or alias \"nobody-at-all\""
    );
    assert_eq!(app.record_counts().await, before);
}

#[tokio::test]
async fn an_expert_under_an_alias_is_the_same_expert() {
    let app = spawn_app().await;
    let text = r#"{"format": "hindsight/v1",
      "experts": [{"slug": "cho-han-bum", "name": "Cho Han-bum", "affiliation": "Korea Institute for National Unification (KINU)", "title": "Senior research fellow"}],
      "sources": [{"key": "s", "title": "Another article", "outlet": "Test Outlet", "published_on": "2024-06-18"}],
      "predictions": [{"expert": "Joh Hanbeom", "proposition": "joint-declaration-adopted", "source": "s", "quote": "No declaration.", "said_on": "2024-06-18", "basis": "scale", "hedge_words": "unlikely", "scale_term": {"scale": "icd-203", "term": "unlikely"}}]}"#;
    let report = dataset::import_json(&app.db, text, false, None)
        .await
        .unwrap();
    assert_eq!(
        report.created("experts"),
        0,
        "matched by alias, not created: {report:?}"
    );
    assert_eq!(report.created("predictions"), 1);
    let html = app.html("/experts/joh-han-beom").await;
    assert_eq!(select(&html, "article.prediction").len(), 6);
    assert!(
        select(&html, "article.prediction .basis")
            .contains(&"ICD 203 (US Intelligence Community): \u{201c}unlikely\u{201d}".to_string())
    );
    assert_eq!(
        app.get("/experts/cho-han-bum").await.status,
        axum::http::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_scale_term_gives_the_number_and_an_unknown_term_is_refused() {
    let app = spawn_app().await;
    let text = r#"{"format": "hindsight/v1",
      "sources": [{"key": "s", "title": "T", "outlet": "O", "published_on": "2024-06-18"}],
      "predictions": [{"expert": "doo-jin-ho", "proposition": "joint-declaration-adopted", "source": "s", "quote": "q", "said_on": "2024-06-18", "basis": "scale", "hedge_words": "fairly likely", "scale_term": {"scale": "icd-203", "term": "fairly likely"}}]}"#;
    let ApplyError::Invalid(errors) = dataset::import_json(&app.db, text, false, None)
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        errors.0[0].place.to_string(),
        "predictions #1, field scale_term"
    );
    assert!(
        errors.0[0]
            .message
            .contains("\"fairly likely\" is not a term of the scale \"icd-203\"")
    );
}

#[tokio::test]
async fn markup_in_imported_text_is_shown_as_text() {
    let app = TestApp::demo_with_one_quote("<b>T</b>", "<script>alert(1)</script>").await;
    let page = app.get("/experts/doo-jin-ho").await;
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped, not dropped"
    );
    assert!(
        select(&page.html(), "blockquote")
            .iter()
            .any(|q| q == "<script>alert(1)</script>")
    );
}

#[tokio::test]
async fn the_database_refuses_what_the_model_forbids() {
    let app = spawn_app().await;
    let db = &app.db.write;
    let probability = sqlx::query("UPDATE predictions SET probability = 1.5 WHERE id = 1")
        .execute(db)
        .await;
    assert!(probability.is_err(), "probabilities stay within [0, 1]");
    let rewrite = sqlx::query("UPDATE resolutions SET outcome = 'false' WHERE id = 1")
        .execute(db)
        .await;
    assert!(rewrite.unwrap_err().to_string().contains("append-only"));
    let erase = sqlx::query("DELETE FROM resolutions WHERE id = 1")
        .execute(db)
        .await;
    assert!(erase.is_err());
    for table in [
        "experts",
        "predictions",
        "propositions",
        "sources",
        "events",
        "analysts",
        "change_log",
    ] {
        let delete = sqlx::query(&format!("DELETE FROM {table} WHERE id = 1"))
            .execute(db)
            .await;
        assert!(delete.is_err(), "{table} rows are never deleted");
    }
    let orphan = sqlx::query("INSERT INTO predictions (expert_id, proposition_id, source_id, quote, said_on, probability, probability_basis, created_at, updated_at) VALUES (9999, 1, 1, 'q', '2024-06-18', 0.5, 'stated', 'x', 'x')").execute(db).await;
    assert!(orphan.is_err(), "foreign keys are enforced");
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
}

#[tokio::test]
async fn every_demo_quote_is_verbatim_from_its_article() {
    let seeds: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seeds"))
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
    assert_eq!(seeds.len(), 5);
    let file = hindsight::import::parse(DEMO_DATA_SET).unwrap();
    for prediction in &file.predictions {
        assert!(
            seeds.iter().any(|s| s.contains(&prediction.quote)),
            "not verbatim: {}",
            prediction.quote
        );
    }
    // Each demo resolution carries a rationale, and what the reference marks UNVERIFIED is never
    // resolved true or false.
    for resolution in &file.resolutions {
        assert!(!resolution.rationale.is_empty());
        if resolution.rationale.contains("UNVERIFIED") {
            assert_eq!(resolution.outcome, "annulled", "{}", resolution.proposition);
        }
    }
    // Reunification is UNVERIFIED: annulled like workers and tourism, never true or false.
    assert!(
        file.resolutions
            .iter()
            .filter(|r| r.proposition == "treaty-mentions-reunification")
            .all(|r| r.outcome == "annulled"),
        "reunification is UNVERIFIED"
    );
}

/// Every expert's scorecard as of each moment, as comparable numbers.
async fn all_scorecards(app: &crate::helpers::TestApp, moments: &[AsOf]) -> Vec<String> {
    use hindsight::db::forecasts::{ForecastRow, Scope};
    let mut out = Vec::new();
    for moment in moments {
        let rows = hindsight::db::forecasts::in_scope(&app.db, Scope::default(), *moment)
            .await
            .unwrap();
        let forecasts: Vec<_> = rows.iter().map(ForecastRow::forecast).collect();
        let slugs: std::collections::HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT id, slug FROM experts")
                .fetch_all(&app.db.read)
                .await
                .unwrap()
                .into_iter()
                .collect();
        let mut cards: Vec<String> = hindsight::domain::scoring::scorecards(&forecasts)
            .experts
            .into_iter()
            .map(|(id, card)| {
                format!(
                    "{moment:?} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                    slugs[&id],
                    card.tally,
                    card.brier,
                    card.log_score,
                    card.relative_brier,
                    card.hit_rate.map(|h| (h.hits, h.n)),
                    card.over_time
                )
            })
            .collect();
        cards.sort();
        out.extend(cards);
    }
    out
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_keeps_every_scorecard() {
    let app = spawn_app().await;
    // Beyond the demo: a retraction and a correction, which must survive the round trip too.
    let retracted = app
        .id_where("predictions", "quote LIKE 'Russia will not want%'")
        .await;
    hindsight::db::retraction::retract(
        &app.db,
        hindsight::db::retraction::Retractable::Prediction,
        retracted,
        "Test retraction.",
        1,
    )
    .await
    .unwrap();
    let correction = r#"{"format": "hindsight/v1", "resolutions": [{"proposition": "north-korea-joins-sco-or-csto", "outcome": "annulled", "decided_on": "2024-11-30", "rationale": "A correction.", "recorded_by": "demo-analyst", "recorded_at": "2025-06-01T00:00:00Z"}]}"#;
    dataset::import_json(&app.db, correction, false, None)
        .await
        .unwrap();

    let exported = hindsight::db::export::export(&app.db).await.unwrap();
    let text = serde_json::to_string_pretty(&exported).unwrap();
    let copy = spawn_empty_app().await;
    dataset::import_json(&copy.db, &text, false, None)
        .await
        .unwrap();

    // The copy's records entered its database only now, so only moments after that compare:
    // an export carries the records, not when this database learnt of them.
    let after_both = hindsight::db::last_stamp(&copy.db).await.unwrap();
    let after_both = parse_moment(&after_both).map(AsOf::At).unwrap();
    let moments = [after_both, AsOf::Live];
    let original = all_scorecards(&app, &moments).await;
    assert_eq!(original.len(), 2 * 15, "15 experts at two moments");
    assert_eq!(all_scorecards(&copy, &moments).await, original);
    for table in crate::helpers::DATA_TABLES {
        assert_eq!(copy.count(table).await, app.count(table).await, "{table}");
    }
    // And the export of the copy is the same file, but for the source keys it makes up.
    let again =
        serde_json::to_string_pretty(&hindsight::db::export::export(&copy.db).await.unwrap())
            .unwrap();
    assert_eq!(again.len(), text.len());
}

const HEADER: &str = "expert,source_title,source_outlet,source_published_on,proposition,quote,said_on,hedge_words,basis,probability,scale,scale_term";

async fn import_csv(
    app: &crate::helpers::TestApp,
    text: &[u8],
) -> Result<dataset::ImportReport, Vec<String>> {
    match dataset::import_bytes(&app.db, text, hindsight::import::Format::Csv, false, None).await {
        Ok(report) => Ok(report),
        Err(ApplyError::Invalid(errors)) => Err(errors.0.iter().map(ToString::to_string).collect()),
        Err(other) => panic!("{other}"),
    }
}

#[tokio::test]
async fn malformed_csv_files_name_the_line_and_column_and_change_nothing() {
    let app = spawn_app().await;
    let before = app.record_counts().await;
    let good = "yang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,A quote.,2024-06-18,,stated,0.2,,";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (format!("{HEADER}\n{good}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Another.,2024-06-18,,stated,1.5,,\n").into_bytes(),
         "line 3, column probability: \"1.5\" must be between 0 and 1 (or 0% and 100%)"),
        (b"expert,source_title,source_outlet,source_published_on,proposition,said_on,basis\nx,t,o,2024-06-18,p,2024-06-18,stated\n".to_vec(),
         "line 1: the column \"quote\" is missing"),
        (format!("{HEADER},colour\n{good},blue\n").into_bytes(), "line 1, column colour: unknown column \"colour\""),
        (format!("{HEADER}\n{good}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Dated.,13/06/2024,,stated,0.2,,\n").into_bytes(),
         "line 3, column said_on: \"13/06/2024\" is not a date of the form YYYY-MM-DD"),
        ([format!("{HEADER}\n").into_bytes(), b"yang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Bad \xff byte,2024-06-18,,stated,0.2,,\n".to_vec()].concat(),
         "line 2, column quote: is not valid UTF-8 text"),
        (b"".to_vec(), "line 1: the file is empty"),
        (format!("{HEADER}\nnobody-known,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Who?,2024-06-18,,stated,0.2,,\n").into_bytes(),
         "line 2, column expert: no expert has the slug or alias \"nobody-known\""),
        (format!("{HEADER}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Scale.,2024-06-18,likely-ish,scale,,icd-203,likely-ish\n").into_bytes(),
         "line 2, column scale_term: \"likely-ish\" is not a term of the scale \"icd-203\""),
    ];
    for (text, expected) in cases {
        let errors = import_csv(&app, &text).await.expect_err(expected);
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "expected {expected:?} in {errors:?}"
        );
        assert_eq!(
            app.record_counts().await,
            before,
            "nothing changed for {expected:?}"
        );
    }
}

/// What the forms refuse, a file refuses too, naming the field; what they accept (a
/// percentage), a file accepts. Each case failed before: a group without members and a scale
/// term on a stated number were imported silently, "71.4%" in JSON was a type error at a line
/// and column, and a scale without its term was dropped.
#[tokio::test]
async fn files_accept_percentages_and_refuse_empty_groups_and_scale_terms_on_stated_numbers() {
    let app = spawn_app().await;
    let before = app.record_counts().await;
    let refused = |text: &str| {
        let text = text.to_string();
        let db = app.db.clone();
        async move {
            match dataset::import_json(&db, &text, false, None).await {
                Err(ApplyError::Invalid(errors)) => {
                    errors.0.iter().map(ToString::to_string).collect::<Vec<_>>()
                }
                other => panic!("expected the file to be refused: {other:?}"),
            }
        }
    };
    let errors = refused(r#"{"format": "hindsight/v1", "experts": [{"slug": "two-authors", "name": "Two authors", "kind": "group"}]}"#).await;
    assert!(
        errors[0].starts_with("experts #1, field members: is required for a group"),
        "{errors:?}"
    );
    let errors = refused(r#"{"format": "hindsight/v1",
      "sources": [{"key": "s", "title": "T", "outlet": "O", "published_on": "2024-06-18"}],
      "predictions": [{"expert": "doo-jin-ho", "proposition": "joint-declaration-adopted", "source": "s", "quote": "q", "said_on": "2024-06-18",
                       "basis": "stated", "probability": 0.3, "scale_term": {"scale": "icd-203", "term": "unlikely"}}]}"#).await;
    assert!(
        errors[0].starts_with(
            "predictions #1, field scale_term: \"unlikely\" is a scale term, but basis stated"
        ),
        "{errors:?}"
    );
    let csv_group = "expert,expert_name,expert_kind,source_title,source_outlet,source_published_on,proposition,quote,said_on,basis,probability\n\
        two-authors,Two authors,group,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,A quote.,2024-06-18,stated,20%\n";
    let errors = import_csv(&app, csv_group.as_bytes()).await.unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("line 2, column expert_members: is required for a group"),
        "{errors:?}"
    );
    let half_scale = format!(
        "{HEADER}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Half.,2024-06-18,unlikely,scale,,icd-203,\n"
    );
    let errors = import_csv(&app, half_scale.as_bytes()).await.unwrap_err();
    assert!(
        errors[0].starts_with("line 2, column scale_term: is required when scale is given"),
        "{errors:?}"
    );
    let stated_with_term = format!(
        "{HEADER}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Stated.,2024-06-18,,stated,0.3,icd-203,unlikely\n"
    );
    let errors = import_csv(&app, stated_with_term.as_bytes())
        .await
        .unwrap_err();
    assert!(
        errors[0].starts_with("line 2, column scale_term: \"unlikely\" is a scale term"),
        "{errors:?}"
    );
    assert_eq!(app.record_counts().await, before, "nothing was imported");

    // Accepted: a group with its members (CSV), and a percentage as text (JSON).
    let csv_group = csv_group
        .replace("expert_kind,", "expert_kind,expert_members,")
        .replace("group,", "group,Kim A; Kim B,");
    import_csv(&app, csv_group.as_bytes()).await.unwrap();
    let html = app.html("/experts/two-authors").await;
    assert!(html.html().contains("Kim A"), "the members are shown");
    dataset::import_json(&app.db, r#"{"format": "hindsight/v1",
      "sources": [{"key": "s", "title": "Percent", "outlet": "O", "published_on": "2024-06-18"}],
      "predictions": [{"expert": "doo-jin-ho", "proposition": "joint-declaration-adopted", "source": "s", "quote": "Seventy-one point four.", "said_on": "2024-06-18",
                       "basis": "stated", "probability": "71.4%"}]}"#, false, None).await.unwrap();
    let p: f64 = app
        .scalar("SELECT probability FROM predictions WHERE quote = 'Seventy-one point four.'")
        .await;
    assert!((p - 0.714).abs() < 1e-12, "{p}");
}

#[tokio::test]
async fn a_structural_error_names_the_record_and_field_and_every_one_is_reported() {
    let app = spawn_app().await;
    // Two propositions without decidable_by and a prediction whose probability is not a
    // number: before, only the first, as "line 1, column N: missing field `decidable_by` at
    // line 1 column N".
    let text = r#"{"format": "hindsight/v1", "propositions": [
      {"slug": "a", "event": "putin-visit-pyongyang-2024", "statement": "A.", "criteria": "A."},
      {"slug": "b", "event": "putin-visit-pyongyang-2024", "statement": "B.", "criteria": "B.", "decidable_by": "2024-06-30"},
      {"slug": "c", "event": "putin-visit-pyongyang-2024", "statement": "C.", "criteria": "C."}],
      "predictions": [{"expert": "doo-jin-ho", "proposition": "b", "source": "s", "quote": "q", "said_on": "2024-06-18", "basis": "stated", "probability": "most likely"}]}"#;
    let Err(ApplyError::Invalid(errors)) = dataset::import_json(&app.db, text, false, None).await
    else {
        panic!("refused")
    };
    let errors: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "propositions #1, field decidable_by: is missing",
            "propositions #3, field decidable_by: is missing",
            "predictions #1, field probability: \"most likely\" must be a number between 0 and 1 (or a percentage such as 35%)",
        ]
    );
    // Text that is not JSON is placed by line and column, said once.
    let Err(ApplyError::Invalid(errors)) = dataset::import_json(
        &app.db,
        "{\"format\": \"hindsight/v1\",\n  \"experts\": [,]}",
        false,
        None,
    )
    .await
    else {
        panic!("refused")
    };
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].place.to_string(), "line 2, column 15");
    assert!(!errors.0[0].message.contains("line"), "{}", errors.0[0]);
}

#[tokio::test]
async fn a_csv_row_under_an_alias_joins_its_expert_and_reimporting_adds_nothing() {
    let app = spawn_app().await;
    let text = format!(
        "{HEADER},outcome,decided_on,evidence_url,rationale,recorded_by\nCho Han-bum,Interview,Test Outlet,2024-06-18,joint-declaration-adopted,Unlikely to sign a declaration.,2024-06-18,unlikely,scale,,icd-203,unlikely,,,,,\n"
    );
    let report = import_csv(&app, text.as_bytes()).await.unwrap();
    assert_eq!(
        (report.created("experts"), report.created("predictions")),
        (0, 1)
    );
    assert_eq!(
        crate::helpers::select(
            &app.html("/experts/joh-han-beom").await,
            "article.prediction"
        )
        .len(),
        6
    );
    let again = import_csv(&app, text.as_bytes()).await.unwrap();
    assert_eq!(again.total_changes(), 0);
}

#[tokio::test]
async fn a_csv_export_imports_back_to_the_same_scorecards() {
    let app = spawn_app().await;
    let exported = hindsight::db::export::export(&app.db).await.unwrap();
    let csv = hindsight::import::csv::write(&exported).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 36 + 15,
        "a header, a row a prediction, a row an outcome"
    );
    let copy = spawn_empty_app().await;
    // The CSV carries predictions and outcomes; topics and the analyst come with them or are
    // matched, as in a spreadsheet workflow. Load the reference records first.
    let reference = serde_json::json!({"format": "hindsight/v1", "topics": exported.topics, "analysts": exported.analysts, "events": exported.events, "propositions": exported.propositions, "experts": exported.experts});
    dataset::import_json(&copy.db, &reference.to_string(), false, None)
        .await
        .unwrap();
    import_csv(&copy, csv.as_bytes()).await.unwrap();
    let moments = [
        parse_moment("2024-06-20T23:59:59.999Z")
            .map(AsOf::At)
            .unwrap(),
        AsOf::Live,
    ];
    assert_eq!(
        all_scorecards(&copy, &moments).await,
        all_scorecards(&app, &moments).await
    );
}

#[tokio::test]
async fn the_upload_page_previews_then_imports() {
    let (app, session) = demo_with_analyst("vic").await;
    let before = app.count("predictions").await;
    let bad = app.upload(&session, "bad.csv", format!("{HEADER}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,Q.,2024-06-18,,stated,1.5,,\n").as_bytes()).await;
    assert_eq!(bad.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        crate::helpers::select(&bad.html(), "ol.issues li")[0]
            .starts_with("line 2, column probability:")
    );

    let good = format!(
        "{HEADER}\nyang-moo-jin,Brief,Test Outlet,2024-06-18,joint-declaration-adopted,A new quote.,2024-06-18,,stated,0.2,,\n"
    );
    let preview = app.upload(&session, "good.csv", good.as_bytes()).await;
    assert_eq!(
        preview.status,
        axum::http::StatusCode::OK,
        "{}",
        preview.body
    );
    let html = preview.html();
    assert_eq!(
        crate::helpers::select(&html, "table.report tbody th"),
        vec!["sources", "predictions"]
    );
    assert_eq!(
        crate::helpers::select(&html, "table.report tbody tr:nth-child(2) td"),
        vec!["1", "0", "0"],
        "one new prediction"
    );
    assert_eq!(
        app.count("predictions").await,
        before,
        "a preview writes nothing"
    );
    let action = crate::helpers::attribute(&html, "form[action^='/import/']", "action");
    let done = app.post_as(&session, &action, &[]).await;
    assert_eq!(done.status, axum::http::StatusCode::OK);
    assert_eq!(app.count("predictions").await, before + 1);
    assert_eq!(
        app.post_as(&session, &action, &[]).await.status,
        axum::http::StatusCode::NOT_FOUND,
        "used once"
    );

    let export = app.get_as("/export.csv", Some(&session)).await;
    assert!(export.body.contains("A new quote."));
    assert_eq!(
        app.get("/export.json").await.status,
        axum::http::StatusCode::SEE_OTHER,
        "analysts only"
    );
}

/// Large files take the batched path (many rows a statement, ids given by the importer); it
/// must leave the same records, search index and change log as the careful one.
#[tokio::test]
async fn a_large_generated_file_is_written_in_batches_and_a_second_import_changes_nothing() {
    use hindsight::generate::{Spec, data_set};
    let app = spawn_app().await;
    let before = app.record_counts().await;
    let file = data_set(Spec {
        predictions: 1_203,
        experts: 150,
        seed: 3,
    });
    let text = serde_json::to_string(&file).unwrap();
    let first = app.import(&text).await;
    let created = [
        ("predictions", 1_203),
        ("experts", 150),
        ("sources", 241),
        ("propositions", 30),
    ];
    assert_created(&first, &created);
    let after = app.record_counts().await;
    assert_eq!(after[5] - before[5], 1_203, "predictions");
    assert_eq!(after[1] - before[1], 150, "one alias per generated name");
    assert_eq!(
        app.count("prediction_search").await,
        after[5],
        "every prediction is in the search index"
    );
    // Experts, events and propositions get an entry each; sources and predictions written
    // together get one entry a statement: 241 sources in one, 1,203 predictions in one.
    assert_eq!(after[9] - before[9], 150 + 3 + 30 + 1 + 1);
    assert_eq!(
        app.records_without_one_creation_entry("prediction").await,
        0
    );
    assert_eq!(app.records_without_one_creation_entry("source").await, 0);
    app.assert_search_index_matches_the_records().await;
    // Propositions are numbered within their events from 0, as one by one would.
    let positions: Vec<i64> = sqlx::query_scalar(
        "SELECT position FROM propositions p JOIN events e ON e.id = p.event_id WHERE e.slug = 'event-1' ORDER BY position",
    )
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    assert_eq!(positions, (0..10).collect::<Vec<i64>>());

    let second = app.import(&text).await;
    assert_eq!(second.total_changes(), 0, "{second:?}");
    assert_eq!(app.record_counts().await, after);

    let found = app.get("/predictions?q=signals").await;
    assert_eq!(found.status, 200);
    assert!(
        !select(&found.html(), "mark").is_empty(),
        "search finds generated quotes"
    );
}

/// Sources are matched by URL: one given twice in a file, under two keys, is one source, and
/// the later record updates the earlier, whose first version stays in the change log.
#[tokio::test]
async fn a_source_given_twice_in_a_file_under_two_keys_is_one_source() {
    let app = spawn_empty_app().await;
    let mut file: serde_json::Value = serde_json::from_str(DEMO_DATA_SET).unwrap();
    let sources = file["sources"].as_array_mut().unwrap();
    for (i, source) in sources.iter_mut().enumerate() {
        source["url"] = format!("https://example.org/article-{i}").into();
    }
    let first_title = sources[0]["title"].as_str().unwrap().to_string();
    let mut again = sources[0].clone();
    again["key"] = "the-same-article-again".into();
    again["title"] = "The same article, retitled".into();
    // Last, so that the first is written with others, sharing one change-log entry.
    sources.push(again);
    let first_key = sources[0]["key"].as_str().unwrap().to_string();
    // One prediction cites the article by its second key.
    let citing = file["predictions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["source"] == first_key.as_str())
        .unwrap();
    citing["source"] = "the-same-article-again".into();

    let report = dataset::import_json(&app.db, &file.to_string(), false, None)
        .await
        .unwrap();
    let sources = report.counts.iter().find(|c| c.kind == "sources").unwrap();
    assert_eq!((sources.created, sources.updated), (5, 1), "{report:?}");
    assert_eq!(app.count("sources").await, 5);
    let (id, title, cited_by): (i64, String, i64) = app
        .row(
            "SELECT s.id, s.title, (SELECT COUNT(*) FROM predictions p WHERE p.source_id = s.id)
         FROM sources s WHERE s.url = 'https://example.org/article-0'",
            &[],
        )
        .await;
    assert_eq!(title, "The same article, retitled");
    let cited_in_file = file["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"] == first_key.as_str() || p["source"] == "the-same-article-again")
        .count();
    assert_eq!(usize::try_from(cited_by).unwrap(), cited_in_file);
    let first_version = app.first_version("source", id).await;
    assert_eq!(first_version["title"], first_title.as_str());

    let again = dataset::import_json(&app.db, &file.to_string(), false, None)
        .await
        .unwrap();
    let sources = again.counts.iter().find(|c| c.kind == "sources").unwrap();
    assert_eq!(sources.created, 0, "{again:?}");
}

//! Search pages listed best first from the index's own ranking (`best_ranked`): the pages must
//! be exactly those of ranking and joining every match, whatever the filter leaves out.

use hindsight::db::predictions::{self, Order, PredictionFilter};

use crate::helpers::{TestApp, select, spawn_app};

use hindsight::domain::dates::AsOf;

/// The order a search page must have, computed the slow way: every visible match ranked, then
/// sorted by rank and, among equals, the latest recorded first.
/// With `expert_id`, only theirs.
async fn every_match_ranked(
    app: &TestApp,
    search: &str,
    expert_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT p.id FROM predictions p
         JOIN (SELECT rowid AS id, bm25(prediction_search, 1.0, 0.5, 2.0) AS rank
               FROM prediction_search WHERE prediction_search MATCH $1) m ON m.id = p.id
         JOIN experts e ON e.id = p.expert_id JOIN propositions pr ON pr.id = p.proposition_id
         WHERE e.retracted_at IS NULL AND pr.retracted_at IS NULL AND p.retracted_at IS NULL
           AND ($4 IS NULL OR p.expert_id = $4)
         ORDER BY m.rank, p.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(search)
    .bind(limit)
    .bind(offset)
    .bind(expert_id)
    .fetch_all(&app.db.read)
    .await
    .unwrap()
}

async fn listed(app: &TestApp, filter: &PredictionFilter, limit: i64, offset: i64) -> Vec<i64> {
    predictions::list(&app.db, filter, AsOf::Live, Order::Relevance, limit, offset)
        .await
        .unwrap()
        .iter()
        .map(|row| row.id)
        .collect()
}

fn searching(text: &str) -> PredictionFilter {
    PredictionFilter {
        text: Some(text.to_string()),
        ..PredictionFilter::default()
    }
}

#[tokio::test]
async fn search_pages_are_those_of_ranking_every_match_even_when_the_best_are_retracted() {
    let app = spawn_app().await;
    app.import_generated(3_000, 60, 21).await;
    // A word many generated quotes hold, with many matches that tie.
    let search = predictions::search_query("likely").unwrap();
    let matches: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM prediction_search WHERE prediction_search MATCH $1",
    )
    .bind(&search)
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert!(matches > 250, "{matches}");

    let check = |label: &'static str| {
        let app = &app;
        let search = search.clone();
        async move {
            for (limit, offset) in [(25, 0), (25, 25), (25, 200), (10, 240), (25, 2_000)] {
                assert_eq!(
                    listed(app, &searching("likely"), limit, offset).await,
                    every_match_ranked(app, &search, None, limit, offset).await,
                    "{label}: {limit} from {offset}"
                );
            }
        }
    };
    check("as imported").await;

    // The 150 best matches retracted: more than the first 100 taken, so it must take more.
    sqlx::query(
        "UPDATE predictions SET retracted_at = '2024-07-01T00:00:00Z', retraction_reason = 'test'
         WHERE id IN (SELECT rowid FROM prediction_search WHERE prediction_search MATCH $1
                      ORDER BY bm25(prediction_search, 1.0, 0.5, 2.0), rowid DESC LIMIT 150)",
    )
    .bind(&search)
    .execute(&app.db.write)
    .await
    .unwrap();
    check("the best 150 retracted").await;

    // An expert retracted: every one of their predictions leaves the list.
    app.execute("UPDATE experts SET retracted_at = '2024-07-01T00:00:00Z', retraction_reason = 'test' WHERE id = (SELECT expert_id FROM predictions WHERE retracted_at IS NULL ORDER BY id DESC LIMIT 1)", &[]).await;
    check("an expert retracted").await;

    // Narrowed by an expert too: listed the straightforward way, in the same order.
    let still_listed = every_match_ranked(&app, &search, None, 100, 0).await;
    assert!(still_listed.len() > 30, "{still_listed:?}");
    let expert_id: i64 = app
        .scalar_with(
            "SELECT expert_id FROM predictions WHERE id = $1",
            &[still_listed[30]],
        )
        .await;
    let narrowed = PredictionFilter {
        expert_id: Some(expert_id),
        ..searching("likely")
    };
    let theirs = every_match_ranked(&app, &search, Some(expert_id), 25, 0).await;
    assert!(!theirs.is_empty());
    assert_eq!(listed(&app, &narrowed, 25, 0).await, theirs);
}

#[tokio::test]
async fn words_found_only_in_the_name_or_statement_leave_the_quote_words_marked() {
    let app = spawn_app().await;
    // "Jeh" is in the expert's name, not in the quote; "alliance" is in the quote.
    let page = app.get("/predictions?q=Jeh+alliance").await;
    assert_eq!(page.status, 200);
    let html = page.html();
    let who = select(&html, "article.prediction .who");
    assert!(!who.is_empty());
    assert!(who.iter().all(|name| name == "Jeh Sung-hoon"), "{who:?}");
    let marked = select(&html, "article.prediction blockquote mark");
    assert!(marked.iter().any(|word| word == "alliance"), "{marked:?}");
    assert!(!marked.iter().any(|word| word == "Jeh"), "{marked:?}");
}

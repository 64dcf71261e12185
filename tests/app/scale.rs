//! Pages stay readable (and small) when the archive is large: long lists come a page at a time.

use axum::http::StatusCode;

use crate::helpers::{TestApp, attribute, select, spawn_empty_app};

async fn generated(predictions: usize, experts: usize) -> TestApp {
    let app = spawn_empty_app().await;
    let file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions,
        experts,
        seed: 5,
    });
    hindsight::db::dataset::import_json(
        &app.db,
        &serde_json::to_string(&file).unwrap(),
        false,
        None,
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn the_leaderboard_comes_a_hundred_at_a_time() {
    let app = generated(3_000, 250).await;
    let first = app.get("/leaderboard").await.html();
    let ranks = select(
        &first,
        "table.leaderboard tbody tr:not(.crowd) td:first-child",
    );
    assert_eq!(ranks.len(), 100);
    assert_eq!(ranks[0], "1");
    let caption = select(&first, "table.leaderboard caption")[0].clone();
    assert!(caption.contains("100 a page: page 1 of"), "{caption}");
    let next = attribute(&first, ".pager a[rel=next]", "href");
    assert_eq!(next, "/leaderboard?page=2");
    let second = app.get(&next).await.html();
    assert_eq!(
        select(
            &second,
            "table.leaderboard tbody tr:not(.crowd) td:first-child"
        )[0],
        "101"
    );
    assert_eq!(
        attribute(&second, ".pager a[rel=prev]", "href"),
        "/leaderboard?page=1"
    );
    // Choices are kept from page to page.
    let filtered = app.get("/leaderboard?min=1&topic=security").await.html();
    if let Some(next) = select(&filtered, ".pager a[rel=next]").first() {
        assert_eq!(next, "Lower →");
        assert_eq!(
            attribute(&filtered, ".pager a[rel=next]", "href"),
            "/leaderboard?topic=security&min=1&page=2"
        );
    }
    let past_the_end = app.get("/leaderboard?page=0").await;
    assert_eq!(past_the_end.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_prolific_experts_scorecard_shows_the_newest_fifty_and_links_to_the_rest() {
    let app = generated(3_000, 250).await;
    // The generator quotes its first expert most.
    let page = app.get("/experts/expert-0").await.html();
    assert_eq!(select(&page, "article.prediction").len(), 50);
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'expert-0'",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert!(total > 50, "{total}");
    assert_eq!(
        select(&page, "#predictions-heading .count"),
        vec![total.to_string()]
    );
    assert_eq!(
        attribute(&page, "p.more a", "href"),
        "/predictions?expert=expert-0"
    );
    // With hundreds of experts, the filter is a text field, not a list of every name.
    let list = app.get("/predictions?expert=expert-0").await.html();
    assert_eq!(attribute(&list, "input#f-expert", "value"), "expert-0");
    assert!(select(&list, "select#f-expert").is_empty());
}

/// The live leaderboard, kept in memory and updated proposition by proposition, says what a
/// full computation from the database says, after each kind of write.
#[tokio::test]
async fn the_live_leaderboard_matches_a_full_computation_after_every_kind_of_write() {
    let app = crate::helpers::spawn_app().await;
    let session = app.analyst("lee").await;

    async fn rows(app: &TestApp, uri: &str) -> Vec<String> {
        select(&app.get(uri).await.html(), "table.leaderboard tbody tr")
    }
    async fn agree(app: &TestApp, after: &str) {
        let live = rows(app, "/leaderboard").await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let now = hindsight::domain::dates::format_moment(chrono::Utc::now());
        let query = crate::helpers::encode(&[("as_of", &now)]);
        let full = rows(app, &format!("/leaderboard?{query}")).await;
        assert!(!live.is_empty());
        assert_eq!(live, full, "after {after}");
    }

    agree(&app, "the demo").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let saved = app
        .post_form(
            &format!("/propositions/{id}/resolve"),
            Some(&session),
            &[
                ("outcome", "false"),
                ("decided_on", "2024-06-21"),
                ("evidence_url", "https://example.org/treaty-text"),
                ("rationale", "No article on reunification."),
                ("seen", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    agree(&app, "an outcome").await;

    let prediction: i64 = sqlx::query_scalar(
        "SELECT p.id FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'jeh-sung-hoon' LIMIT 1",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    let retracted = app
        .post_form(
            &format!("/predictions/{prediction}/retract"),
            Some(&session),
            &[("retract_reason", "Misattributed quote.")],
        )
        .await;
    assert_eq!(retracted.status, StatusCode::SEE_OTHER);
    agree(&app, "a retraction").await;

    let file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 400,
        experts: 40,
        seed: 9,
    });
    hindsight::db::dataset::import_json(
        &app.db,
        &serde_json::to_string(&file).unwrap(),
        false,
        None,
    )
    .await
    .unwrap();
    agree(&app, "an import").await;
}

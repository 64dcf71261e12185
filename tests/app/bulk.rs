//! The bulk-load path of the importer and what it relies on: the search index reading the
//! records (external content, kept right by triggers), change-log entries for records created
//! together, and indexes set aside during a large load and built again.

use hindsight::db::{dataset, entry};

use crate::helpers::{select, spawn_app};

/// The definitions of a table's indexes, to compare before and after a bulk load.
async fn index_definitions(app: &crate::helpers::TestApp, table: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name",
    )
    .bind(table)
    .fetch_all(&app.db.read)
    .await
    .unwrap()
}

async fn found(app: &crate::helpers::TestApp, words: &str) -> Vec<String> {
    let page = app
        .get(&format!("/predictions?q={}", words.replace(' ', "+")))
        .await;
    assert_eq!(page.status, 200);
    select(&page.html(), "article.prediction blockquote")
}

#[tokio::test]
async fn changes_to_quotes_statements_and_names_keep_the_search_index_true() {
    let app = spawn_app().await;
    app.assert_search_index_matches_the_records().await;

    let (id, expert_id): (i64, i64) = sqlx::query_as(
        "SELECT p.id, p.expert_id FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'joh-han-beom' ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE predictions SET quote = 'Zanzibar is a word no seed article holds.' WHERE id = $1",
    )
    .bind(id)
    .execute(&app.db.write)
    .await
    .unwrap();
    app.assert_search_index_matches_the_records().await;
    assert_eq!(found(&app, "zanzibar").await.len(), 1);

    sqlx::query("INSERT INTO expert_aliases (expert_id, alias, alias_key) VALUES ($1, 'Quillfeather', 'quillfeather')")
        .bind(expert_id)
        .execute(&app.db.write)
        .await
        .unwrap();
    app.assert_search_index_matches_the_records().await;
    assert_eq!(
        found(&app, "quillfeather").await.len(),
        5,
        "every prediction of the expert"
    );
    assert_eq!(found(&app, "quillfeather zanzibar").await.len(), 1);

    sqlx::query("UPDATE propositions SET statement = 'Xylophones are exported.' WHERE slug = 'joint-declaration-adopted'")
        .execute(&app.db.write)
        .await
        .unwrap();
    app.assert_search_index_matches_the_records().await;
    assert!(!found(&app, "xylophones").await.is_empty());

    // The check can fail: a change the index is not told of is caught.
    sqlx::query("DROP TRIGGER predictions_search_update")
        .execute(&app.db.write)
        .await
        .unwrap();
    sqlx::query("UPDATE predictions SET quote = 'Something else entirely.' WHERE id = $1")
        .bind(id)
        .execute(&app.db.write)
        .await
        .unwrap();
    assert!(app.search_index_check().await.is_err());
}

/// A large load drops the secondary indexes, writes, and builds them again from their own
/// definitions; the search index is filled once at the end. The result must be the same as
/// the careful path's: same indexes, a true search index, every record logged once.
#[tokio::test]
async fn a_bulk_load_leaves_the_same_indexes_a_true_search_index_and_one_creation_entry_each() {
    let app = spawn_app().await;
    let predictions_indexes = index_definitions(&app, "predictions").await;
    let sources_indexes = index_definitions(&app, "sources").await;
    assert!(predictions_indexes.len() >= 4, "{predictions_indexes:?}");

    let file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 6_000,
        experts: 300,
        seed: 11,
    });
    assert!(
        file.sources.len() >= 1_000,
        "large enough to load sources in bulk too"
    );
    let text = serde_json::to_string(&file).unwrap();
    let report = dataset::import_json(&app.db, &text, false, None)
        .await
        .unwrap();
    assert_eq!(report.created("predictions"), 6_000);

    assert_eq!(
        index_definitions(&app, "predictions").await,
        predictions_indexes
    );
    assert_eq!(index_definitions(&app, "sources").await, sources_indexes);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    app.assert_search_index_matches_the_records().await;
    assert_eq!(
        app.records_without_one_creation_entry("prediction").await,
        0
    );
    assert_eq!(app.records_without_one_creation_entry("source").await, 0);
    assert!(!found(&app, "signals").await.is_empty());

    let counts = app.record_counts().await;
    let again = dataset::import_json(&app.db, &text, false, None)
        .await
        .unwrap();
    assert_eq!(again.total_changes(), 0, "{again:?}");
    assert_eq!(app.record_counts().await, counts);
}

/// A record created with others has no change-log entry of its own until it changes; then its
/// first version is copied into one, so every version can still be shown.
#[tokio::test]
async fn a_record_created_in_a_run_gets_its_first_version_logged_when_it_first_changes() {
    let app = spawn_app().await;
    app.import_generated(1_500, 60, 5).await;
    let (id, quote): (i64, String) =
        sqlx::query_as("SELECT id, quote FROM predictions ORDER BY id DESC LIMIT 1 OFFSET 700")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let history = entry::history_of(&app.db, "prediction", id).await.unwrap();
    assert_eq!(history.len(), 1, "the run's entry");
    assert_eq!(
        (history[0].action.as_str(), history[0].entity_id),
        ("create", id)
    );
    assert_eq!(history[0].reason.as_deref(), Some("import"));

    // The run is found through its index, not by reading the log.
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT * FROM change_log WHERE entity = 'prediction' AND last_entity_id >= 5 ORDER BY last_entity_id LIMIT 1",
    )
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    assert!(
        plan.iter()
            .any(|(_, _, _, step)| step.contains("change_log_runs")),
        "{plan:?}"
    );

    sqlx::query(
        "UPDATE predictions SET quote = 'Changed by hand.', updated_at = 'now' WHERE id = $1",
    )
    .bind(id)
    .execute(&app.db.write)
    .await
    .unwrap();
    let snapshot: String = sqlx::query_scalar(
        "SELECT snapshot FROM change_log WHERE entity = 'prediction' AND entity_id = $1 AND last_entity_id IS NULL AND action = 'create'",
    )
    .bind(id)
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    let snapshot: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(
        snapshot["quote"],
        quote.as_str(),
        "the version first imported"
    );
    let history = entry::history_of(&app.db, "prediction", id).await.unwrap();
    assert_eq!(
        history.len(),
        1,
        "its own creation entry replaces the run's"
    );
    assert_eq!(history[0].reason.as_deref(), Some("import"));

    // A second change copies nothing more.
    sqlx::query("UPDATE predictions SET quote = 'Changed again.' WHERE id = $1")
        .bind(id)
        .execute(&app.db.write)
        .await
        .unwrap();
    let own: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM change_log WHERE entity = 'prediction' AND entity_id = $1 AND last_entity_id IS NULL",
    )
    .bind(id)
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(own, 1);
    app.assert_search_index_matches_the_records().await;
}

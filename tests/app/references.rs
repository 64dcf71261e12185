//! A bulk load checks references itself, once, instead of SQLite checking each row's.

use std::collections::BTreeSet;

use hindsight::db::dataset::{self, PREDICTION_REFERENCES, broken_references};
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqlitePool};

use crate::helpers::{TestApp, spawn_app, spawn_empty_app};

/// A writing connection with SQLite's reference checks off, to plant broken references. It is
/// closed when dropped: it must not serve another write.
async fn writer_not_checking_references(app: &TestApp) -> PoolConnection<Sqlite> {
    let mut writer = app.db.write.acquire().await.unwrap();
    writer.close_on_drop();
    run_on(&mut writer, "PRAGMA foreign_keys = OFF", &[]).await;
    writer
}

/// Runs `sql` on `writer`, with `binds` for $1, $2, …
async fn run_on(writer: &mut PoolConnection<Sqlite>, sql: &str, binds: &[i64]) {
    sqlx::query_with(sql, crate::helpers::arguments(binds))
        .execute(&mut **writer)
        .await
        .unwrap();
}

/// Whether the writer refuses a row that refers to nothing, as it must outside a bulk load.
pub async fn writer_refuses_a_broken_reference(write: &SqlitePool) -> bool {
    let written =
        sqlx::query("INSERT INTO event_topics (event_id, topic_id) VALUES (999999, 999999)")
            .execute(write)
            .await;
    match written {
        Ok(_) => false,
        Err(error) => error.to_string().contains("FOREIGN KEY"),
    }
}

#[tokio::test]
async fn a_bulk_load_leaves_no_broken_reference_and_the_writer_checking_them_again() {
    let app = spawn_empty_app().await;
    app.import_generated(3_000, 80, 7).await;
    assert_eq!(app.count("predictions").await, 3_000, "a bulk load");

    let broken: Vec<(String, Option<i64>, String, i64)> =
        sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let mut writer = app.db.write.acquire().await.unwrap();
    assert!(broken_references(&mut writer).await.unwrap().is_empty());
    let checking: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *writer)
        .await
        .unwrap();
    drop(writer);
    assert_eq!(checking, 1, "the writer checks references again");
    assert!(writer_refuses_a_broken_reference(&app.db.write).await);
}

#[tokio::test]
async fn broken_references_names_each_reference_that_leads_nowhere() {
    let app = spawn_app().await;
    let mut writer = writer_not_checking_references(&app).await;
    assert!(
        broken_references(&mut writer).await.unwrap().is_empty(),
        "the demo data is whole"
    );
    let prediction: i64 = sqlx::query_scalar("SELECT MIN(id) FROM predictions")
        .fetch_one(&mut *writer)
        .await
        .unwrap();
    let sql = "UPDATE predictions SET source_id = 777777 WHERE id = $1";
    run_on(&mut writer, sql, &[prediction]).await;
    run_on(&mut writer, "UPDATE event_topics SET topic_id = 888888 WHERE rowid = (SELECT MIN(rowid) FROM event_topics)", &[]).await;

    let broken = broken_references(&mut writer).await.unwrap();
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(
        broken.contains(&"predictions.source_id 777777: sources has no such id".to_string()),
        "{broken:?}"
    );
    assert!(
        broken.iter().any(|b| b.starts_with("event_topics ") && b.ends_with("refers to no record of topics")),
        "{broken:?}"
    );
}

#[tokio::test]
async fn the_references_checked_for_predictions_are_those_the_schema_declares() {
    let app = spawn_empty_app().await;
    // `broken_references` looks each one up by `id`, so that must be what each refers to.
    let declared: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('predictions')",
    )
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    let declared: BTreeSet<(String, String, String)> = declared.into_iter().collect();
    let checked: BTreeSet<(String, String, String)> = PREDICTION_REFERENCES
        .iter()
        .map(|(column, table)| {
            (
                (*column).to_string(),
                (*table).to_string(),
                "id".to_string(),
            )
        })
        .collect();
    assert_eq!(declared, checked);
}

/// The check is the import's: a reference already broken (here planted behind SQLite's back)
/// stops a bulk load before it commits, and nothing of the file is kept.
#[tokio::test]
async fn a_bulk_load_into_a_database_with_a_broken_reference_is_refused_and_changes_nothing() {
    let app = spawn_empty_app().await;
    let mut writer = writer_not_checking_references(&app).await;
    let sql = "INSERT INTO event_topics (event_id, topic_id) VALUES (999999, 999999)";
    run_on(&mut writer, sql, &[]).await;
    drop(writer);
    let counts = app.record_counts().await;

    let file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 2_000,
        experts: 50,
        seed: 11,
    });
    let refused =
        dataset::import_json(&app.db, &serde_json::to_string(&file).unwrap(), false, None)
            .await
            .expect_err("a broken reference in the database");
    let dataset::ApplyError::BrokenReferences(broken) = &refused else {
        panic!("expected broken references, got {refused}");
    };
    let mut broken = broken.clone();
    broken.sort();
    assert_eq!(
        broken,
        [
            "event_topics row 1: refers to no record of events",
            "event_topics row 1: refers to no record of topics"
        ]
    );
    assert!(
        refused.to_string().contains("nothing was imported"),
        "{refused}"
    );
    assert_eq!(app.record_counts().await, counts);
    assert_eq!(app.count("predictions").await, 0);
}

//! The bulk-load path of the importer and what it relies on: the search index reading the
//! records (external content, kept right by triggers), change-log entries for records created
//! together, and indexes set aside during a large load and built again.

use hindsight::db::dataset;

use crate::helpers::{select, spawn_app, spawn_empty_app};

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

    let (id, expert_id): (i64, i64) = app.row("SELECT p.id, p.expert_id FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'joh-han-beom' ORDER BY p.id LIMIT 1", &[]).await;
    app.execute(
        "UPDATE predictions SET quote = 'Zanzibar is a word no seed article holds.' WHERE id = $1",
        &[id],
    )
    .await;
    app.assert_search_index_matches_the_records().await;
    assert_eq!(found(&app, "zanzibar").await.len(), 1);

    app.execute("INSERT INTO expert_aliases (expert_id, alias, alias_key) VALUES ($1, 'Quillfeather', 'quillfeather')", &[expert_id]).await;
    app.assert_search_index_matches_the_records().await;
    assert_eq!(
        found(&app, "quillfeather").await.len(),
        5,
        "every prediction of the expert"
    );
    assert_eq!(found(&app, "quillfeather zanzibar").await.len(), 1);

    app.execute("UPDATE propositions SET statement = 'Xylophones are exported.' WHERE slug = 'joint-declaration-adopted'", &[]).await;
    app.assert_search_index_matches_the_records().await;
    assert!(!found(&app, "xylophones").await.is_empty());

    // The check can fail: a change the index is not told of is caught.
    app.execute("DROP TRIGGER predictions_search_update", &[])
        .await;
    app.execute(
        "UPDATE predictions SET quote = 'Something else entirely.' WHERE id = $1",
        &[id],
    )
    .await;
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
    crate::helpers::assert_integrity_ok(&app.db).await;
    app.assert_search_index_matches_the_records().await;
    assert_eq!(
        app.records_without_one_creation_entry("prediction").await,
        0
    );
    assert_eq!(app.records_without_one_creation_entry("source").await, 0);
    assert!(!found(&app, "signals").await.is_empty());

    app.assert_import_changes_nothing(&text).await;
}

/// Into an empty table the key index (expert, proposition, source) is set aside as well and
/// built at the end. A prediction repeated later in the file must still update the first one,
/// found by the id the importer kept, and the rebuilt key must still refuse a second copy.
#[tokio::test]
async fn a_first_bulk_load_rebuilds_the_key_index_and_still_merges_a_repeated_prediction() {
    let app = spawn_empty_app().await;
    let predictions_indexes = index_definitions(&app, "predictions").await;
    assert!(
        predictions_indexes
            .iter()
            .any(|(name, sql)| name == "predictions_key" && sql.starts_with("CREATE UNIQUE")),
        "{predictions_indexes:?}"
    );
    let mut file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 3_000,
        experts: 100,
        seed: 5,
    });
    let first_quote = file.predictions[7].quote.clone();
    let mut repeated = file.predictions[7].clone();
    repeated.quote = "A revised reading of what was said".to_string();
    file.predictions.push(repeated.clone());
    let text = serde_json::to_string(&file).unwrap();
    let report = dataset::import_json(&app.db, &text, false, None)
        .await
        .unwrap();
    assert_eq!(report.created("predictions"), 3_000, "{report:?}");
    let updated: u64 = report
        .counts
        .iter()
        .filter(|c| c.kind == "predictions")
        .map(|c| c.updated)
        .sum();
    assert_eq!(updated, 1, "{report:?}");
    assert_eq!(app.count("predictions").await, 3_000);

    assert_eq!(
        index_definitions(&app, "predictions").await,
        predictions_indexes
    );
    let (id, quote, expert_id, proposition_id, source_id): (i64, String, i64, i64, i64) =
        sqlx::query_as(
            "SELECT p.id, p.quote, p.expert_id, p.proposition_id, p.source_id FROM predictions p
             JOIN experts e ON e.id = p.expert_id JOIN propositions pr ON pr.id = p.proposition_id
             WHERE p.quote = $1",
        )
        .bind(&repeated.quote)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(quote, repeated.quote);
    // The first of the pair kept its id: the repeat updated it rather than adding a row.
    assert_eq!(id, 8);
    // Its first version is kept in the change log: the update copied it out of its run's
    // entry, which must be in the log by then.
    let history = hindsight::db::history::history_of(&app.db, "prediction", id)
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["import", "create"], "newest first: {history:?}");
    let first_version = app.first_version("prediction", id).await;
    assert_eq!(first_version["quote"], first_quote.as_str());
    app.assert_plan_uses(
        "SELECT id FROM predictions WHERE expert_id = 1 AND proposition_id = 1 AND source_id = 1",
        "predictions_key",
    )
    .await;
    let copy = sqlx::query(
        "INSERT INTO predictions (expert_id, proposition_id, source_id, quote, said_on, probability, probability_basis, created_at, updated_at)
         VALUES ($1, $2, $3, 'again', '2024-01-01', 0.5, 'stated', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
    )
    .bind(expert_id)
    .bind(proposition_id)
    .bind(source_id)
    .execute(&app.db.write)
    .await;
    let refused = copy.expect_err("the key is unique again");
    assert!(refused.to_string().contains("UNIQUE"), "{refused}");
    app.assert_search_index_matches_the_records().await;
    assert_eq!(
        app.records_without_one_creation_entry("prediction").await,
        0
    );
}

/// Migration 0013 builds the predictions table again to take the key out of it: every row,
/// trigger and index must come through, and the search index must still agree with the rows.
#[tokio::test]
async fn the_migration_that_rebuilds_predictions_keeps_every_row_trigger_and_index() {
    use std::str::FromStr;

    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("migrations-before-0013");
    std::fs::create_dir(&before).unwrap();
    for migration in std::fs::read_dir("migrations").unwrap() {
        let migration = migration.unwrap();
        let name = migration.file_name().into_string().unwrap();
        if name.as_str() < "0013" {
            std::fs::copy(migration.path(), before.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(before.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    // The demo's records, copied column by column from a database of today's schema into the
    // columns the old one has: today's import code writes columns the old schema lacks.
    let current = crate::helpers::spawn_app().await;
    let current_path = current.url.trim_start_matches("sqlite://").to_string();
    sqlx::query("ATTACH DATABASE $1 AS cur")
        .bind(&current_path)
        .execute(&pool)
        .await
        .unwrap();
    for table in [
        "topics",
        "experts",
        "expert_aliases",
        "expert_members",
        "sources",
        "source_authors",
        "events",
        "event_topics",
        "propositions",
        "proposition_topics",
        "predictions",
    ] {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&pool)
                .await
                .unwrap();
        let columns = columns.join(", ");
        sqlx::query(&format!(
            "INSERT INTO main.{table} ({columns}) SELECT {columns} FROM cur.{table}"
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query("DETACH DATABASE cur")
        .execute(&pool)
        .await
        .unwrap();
    // The importer keeps the search index; rows copied by hand need it built.
    sqlx::query("INSERT INTO prediction_search (prediction_search) VALUES ('rebuild')")
        .execute(&pool)
        .await
        .unwrap();
    let rows = "SELECT json_group_array(json_array(id, expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability, probability_basis, estimative_term_id, basis_note, retracted_at, retraction_reason, created_at, updated_at)) FROM (SELECT * FROM predictions ORDER BY id)";
    let triggers = "SELECT group_concat(name || ':' || sql, '|') FROM (SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'predictions' ORDER BY name)";
    let rows_before: String = sqlx::query_scalar(rows).fetch_one(&pool).await.unwrap();
    let triggers_before: String = sqlx::query_scalar(triggers).fetch_one(&pool).await.unwrap();
    let changes_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM score_changes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(rows_before.len() > 100, "{rows_before}");
    pool.close().await;

    let app = hindsight::db::Database::connect(&url).await.unwrap();
    let rows_after: String = sqlx::query_scalar(rows).fetch_one(&app.read).await.unwrap();
    assert_eq!(rows_after, rows_before);
    let triggers_after: String = sqlx::query_scalar(triggers)
        .fetch_one(&app.read)
        .await
        .unwrap();
    // Every trigger is still there; later migrations add their own (0015) and write some in
    // words older SQLite reads (0016).
    for trigger in triggers_before.split('|') {
        let name = trigger.split(':').next().unwrap();
        assert!(triggers_after.contains(&format!("{name}:")), "{name}");
    }
    // Copying the rows back is not taken for new predictions.
    let changes_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM score_changes")
        .fetch_one(&app.read)
        .await
        .unwrap();
    assert_eq!(changes_after, changes_before);
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'predictions' ORDER BY name",
    )
    .fetch_all(&app.read)
    .await
    .unwrap();
    assert_eq!(
        indexes,
        [
            "predictions_expert_said",
            "predictions_key",
            "predictions_proposition",
            "predictions_said",
            "predictions_source"
        ]
    );
    sqlx::query(
        "INSERT INTO prediction_search (prediction_search, rank) VALUES ('integrity-check', 1)",
    )
    .execute(&app.write)
    .await
    .expect("the search index agrees with the rebuilt table");
    crate::helpers::assert_integrity_ok(&app).await;
}

/// A record created with others has no change-log entry of its own until it changes; then its
/// first version is copied into one, so every version can still be shown.
#[tokio::test]
async fn a_record_created_in_a_run_gets_its_first_version_logged_when_it_first_changes() {
    let app = spawn_app().await;
    app.import_generated(1_500, 60, 5).await;
    let (id, quote): (i64, String) = app
        .row(
            "SELECT id, quote FROM predictions ORDER BY id DESC LIMIT 1 OFFSET 700",
            &[],
        )
        .await;
    let history = hindsight::db::history::history_of(&app.db, "prediction", id)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "the run's entry");
    assert_eq!(
        (history[0].action.as_str(), history[0].entity_id),
        ("create", id)
    );
    assert_eq!(history[0].reason.as_deref(), Some("import"));

    // The run is found through its index, not by reading the log.
    app.assert_plan_uses(
        "SELECT * FROM change_log WHERE entity = 'prediction' AND last_entity_id >= 5 ORDER BY last_entity_id LIMIT 1",
        "change_log_runs",
    )
    .await;

    app.execute(
        "UPDATE predictions SET quote = 'Changed by hand.', updated_at = 'now' WHERE id = $1",
        &[id],
    )
    .await;
    let snapshot = app.first_version("prediction", id).await;
    assert_eq!(
        snapshot["quote"],
        quote.as_str(),
        "the version first imported"
    );
    let history = hindsight::db::history::history_of(&app.db, "prediction", id)
        .await
        .unwrap();
    assert_eq!(
        history.len(),
        1,
        "its own creation entry replaces the run's"
    );
    assert_eq!(history[0].reason.as_deref(), Some("import"));

    // A second change copies nothing more.
    app.execute(
        "UPDATE predictions SET quote = 'Changed again.' WHERE id = $1",
        &[id],
    )
    .await;
    let own = app
        .count_where(
            "change_log",
            "entity = 'prediction' AND entity_id = $1 AND last_entity_id IS NULL",
            id,
        )
        .await;
    assert_eq!(own, 1);
    app.assert_search_index_matches_the_records().await;
}

/// The propositions queued for scoring after queue position `seq`, in the order queued.
async fn queued_after(app: &crate::helpers::TestApp, seq: i64) -> Vec<i64> {
    sqlx::query_scalar("SELECT proposition_id FROM score_changes WHERE seq > $1 ORDER BY seq")
        .bind(seq)
        .fetch_all(&app.db.read)
        .await
        .unwrap()
}

/// A bulk load sets aside the trigger that queues each new prediction's proposition to be
/// scored again, and queues each of the file's propositions once at the end instead: the same
/// propositions, each once, and the trigger back as it was.
#[tokio::test]
async fn a_bulk_load_queues_each_proposition_for_scoring_once_and_puts_the_trigger_back() {
    let app = spawn_app().await;
    let trigger = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'score_changes_prediction_insert'";
    let trigger_before: String = app.scalar(trigger).await;
    let (last_seq, last_prediction): (i64, i64) = app
        .row(
            "SELECT (SELECT MAX(seq) FROM score_changes), (SELECT MAX(id) FROM predictions)",
            &[],
        )
        .await;

    app.import_generated(3_000, 80, 3).await;

    let queued = queued_after(&app, last_seq).await;
    let loaded: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT proposition_id FROM predictions WHERE id > $1 ORDER BY proposition_id",
    )
    .bind(last_prediction)
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    assert!(loaded.len() > 20, "{}", loaded.len());
    // Outcomes in the file queue their propositions too, after the predictions' ones.
    assert_eq!(&queued[..loaded.len()], loaded.as_slice());
    let resolutions: i64 = app.scalar_with("SELECT COUNT(*) FROM resolutions r JOIN propositions p ON p.id = r.proposition_id WHERE p.id IN (SELECT proposition_id FROM predictions WHERE id > $1)", &[last_prediction]).await;
    assert_eq!(
        queued.len() - loaded.len(),
        usize::try_from(resolutions).unwrap()
    );
    let trigger_after: String = app.scalar(trigger).await;
    assert_eq!(trigger_after, trigger_before);

    // And it works again: one more prediction queues its proposition.
    let (expert_id, proposition_id, source_id): (i64, i64, i64) = app.row("SELECT expert_id, proposition_id, (SELECT MAX(id) FROM sources) FROM predictions WHERE id = $1", &[last_prediction + 1]).await;
    let seq_before: i64 = app.scalar("SELECT MAX(seq) FROM score_changes").await;
    app.execute("INSERT INTO predictions (expert_id, proposition_id, source_id, quote, said_on, probability, probability_basis, created_at, updated_at)
         VALUES ($1, $2, $3, 'one more', '2024-01-01', 0.5, 'stated', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')", &[expert_id, proposition_id, source_id]).await;
    let new = queued_after(&app, seq_before).await;
    assert_eq!(new, [proposition_id]);
}

/// A bulk load that fails after its predictions are written (here on an outcome recorded by
/// no one on record) changes nothing: the trigger, the indexes and the queue for scoring are
/// as they were.
#[tokio::test]
async fn a_bulk_load_that_fails_late_leaves_the_trigger_indexes_queue_and_reference_checks_as_they_were()
 {
    let app = spawn_app().await;
    let schema = "SELECT group_concat(name || ':' || sql, '|') FROM (SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'predictions' ORDER BY name)";
    let schema_before: String = app.scalar(schema).await;
    let counts = app.record_counts().await;
    let changes_before: i64 = app.scalar("SELECT COUNT(*) FROM score_changes").await;
    let mut file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 3_000,
        experts: 80,
        seed: 4,
    });
    file.resolutions[0].proposition = "no-such-proposition".to_string();
    let text = serde_json::to_string(&file).unwrap();

    let refused = dataset::import_json(&app.db, &text, false, None)
        .await
        .expect_err("an outcome of no proposition");
    assert!(refused.to_string().contains("proposition"), "{refused}");

    let schema_after: String = app.scalar(schema).await;
    assert_eq!(schema_after, schema_before);
    assert_eq!(app.record_counts().await, counts);
    let changes_after: i64 = app.scalar("SELECT COUNT(*) FROM score_changes").await;
    assert_eq!(changes_after, changes_before);
    assert!(
        crate::references::writer_refuses_a_broken_reference(&app.db.write).await,
        "the writer checks references again"
    );
}

/// Records already on record that come in a batch after new ones, while the statement of new
/// ones before them is still pending: the new are created, the known updated or left, and the
/// log, the search index and the counts agree.
#[tokio::test]
async fn predictions_on_record_after_new_ones_in_a_bulk_load_are_matched_and_logged() {
    let app = spawn_app().await;
    let mut file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 6_000,
        experts: 120,
        seed: 8,
    });
    let mut first = file.clone();
    first.predictions.truncate(2_500);
    dataset::import_json(
        &app.db,
        &serde_json::to_string(&first).unwrap(),
        false,
        None,
    )
    .await
    .unwrap();
    // The 3,500 new ones first, then the 2,500 on record, ten of them with a new quote.
    file.predictions.rotate_left(2_500);
    for (i, prediction) in file.predictions[3_500..3_510].iter_mut().enumerate() {
        prediction.quote = format!("Zephyrine revision number {i}");
    }
    let before = app.count("predictions").await;
    let report = dataset::import_json(&app.db, &serde_json::to_string(&file).unwrap(), false, None)
        .await
        .unwrap();
    let predictions = report
        .counts
        .iter()
        .find(|c| c.kind == "predictions")
        .unwrap();
    assert_eq!(
        (
            predictions.created,
            predictions.updated,
            predictions.unchanged
        ),
        (3_500, 10, 2_490),
        "{report:?}"
    );
    assert_eq!(app.count("predictions").await, before + 3_500);
    app.assert_search_index_matches_the_records().await;
    assert_eq!(
        app.records_without_one_creation_entry("prediction").await,
        0
    );
    assert_eq!(found(&app, "zephyrine").await.len(), 10);
    crate::helpers::assert_integrity_ok(&app.db).await;
}

//! A bulk load's own check that every reference leads to a record, in place of SQLite's.
//!
//! With foreign keys on, SQLite looks up the four records a prediction refers to as each row is
//! written: about 1.5 of the 5 s a million predictions took to write. A bulk load turns that
//! off for its transaction and checks once at the end, before it commits: predictions once per
//! distinct value (the million of the benchmark cite 200,000 sources), read from their indexes,
//! and every other table with SQLite's own `foreign_key_check`.

use sqlx::SqliteConnection;

/// What predictions refer to, column and table, as the schema declares it (a test compares the
/// two, so this cannot drift from it).
pub const PREDICTION_REFERENCES: [(&str, &str); 4] = [
    ("expert_id", "experts"),
    ("proposition_id", "propositions"),
    ("source_id", "sources"),
    ("estimative_term_id", "estimative_terms"),
];

/// How many broken references are described at most: one is already a fault of the importer.
const DESCRIBED: i64 = 10;

/// Every reference in the database that leads to no record, described for the log, e.g.
/// "predictions.expert_id 7: experts has no such id". Empty when all is well.
pub async fn broken_references(
    connection: &mut SqliteConnection,
) -> Result<Vec<String>, sqlx::Error> {
    let mut broken = Vec::new();
    for (column, table) in PREDICTION_REFERENCES {
        // Both names are this module's constants, never input.
        let missing: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT used.id FROM (SELECT DISTINCT {column} AS id FROM predictions WHERE {column} IS NOT NULL) used \
             WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE id = used.id) LIMIT $1"
        ))
        .bind(DESCRIBED)
        .fetch_all(&mut *connection)
        .await?;
        broken.extend(
            missing
                .into_iter()
                .map(|id| format!("predictions.{column} {id}: {table} has no such id")),
        );
    }
    let others: Vec<(String, Option<i64>, String)> = sqlx::query_as(
        "SELECT c.\"table\", c.rowid, c.parent FROM sqlite_schema s, pragma_foreign_key_check(s.name) c \
         WHERE s.type = 'table' AND s.name <> 'predictions' LIMIT $1",
    )
    .bind(DESCRIBED)
    .fetch_all(&mut *connection)
    .await?;
    broken.extend(others.into_iter().map(|(table, row, parent)| {
        let row = row.map_or_else(|| "a row".to_string(), |id| format!("row {id}"));
        format!("{table} {row}: refers to no record of {parent}")
    }));
    Ok(broken)
}

//! Counts for the front page. Experts and predictions are counted from what the server keeps
//! in memory (a million predictions take seconds to count here); the rest are small tables.

use super::Database;

#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub experts: usize,
    pub predictions: usize,
    pub propositions: i64,
    pub sources: i64,
}

/// (propositions on record, sources).
pub async fn proposition_and_source_counts(db: &Database) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM propositions WHERE retracted_at IS NULL),
                (SELECT COUNT(*) FROM sources)",
    )
    .fetch_one(&db.read)
    .await
}

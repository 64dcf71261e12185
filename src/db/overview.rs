//! Counts for the front page.

use super::Database;

#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub experts: i64,
    pub predictions: i64,
    pub propositions: i64,
    pub sources: i64,
}

pub async fn totals(db: &Database) -> Result<Totals, sqlx::Error> {
    let (experts, predictions, propositions, sources): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM experts WHERE retracted_at IS NULL),
                (SELECT COUNT(*) FROM predictions WHERE retracted_at IS NULL),
                (SELECT COUNT(*) FROM propositions WHERE retracted_at IS NULL),
                (SELECT COUNT(*) FROM sources)",
    )
    .fetch_one(&db.read)
    .await?;
    Ok(Totals {
        experts,
        predictions,
        propositions,
        sources,
    })
}

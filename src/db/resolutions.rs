//! Recording outcomes. Resolutions are append-only (the table's triggers refuse changes): a
//! correction is a new row that names the one it supersedes.

use super::Database;
use super::propositions::{ResolutionRow, history};
use crate::domain::Outcome;
use crate::domain::dates::format_date;

pub struct NewResolution<'a> {
    pub proposition_id: i64,
    pub outcome: Outcome,
    pub decided_on: chrono::NaiveDate,
    pub evidence_url: &'a str,
    pub rationale: &'a str,
    pub analyst_id: i64,
    /// The latest resolution the analyst saw when they opened the form (None: there was none).
    pub seen: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Someone recorded an outcome after the form was opened; nothing was written.
    #[error("the outcome changed since the form was opened")]
    Stale(Box<ResolutionRow>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Appends a resolution, unless another was recorded since `seen`: the check and the write are
/// one transaction on the single writer, so two analysts can never both "win".
pub async fn record(db: &Database, new: &NewResolution<'_>) -> Result<i64, RecordError> {
    let mut tx = db.write.begin().await?;
    let stamp = super::stamp(&mut tx).await?;
    let latest: Option<i64> = sqlx::query_scalar("SELECT id FROM resolutions WHERE proposition_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1")
        .bind(new.proposition_id)
        .fetch_optional(&mut *tx)
        .await?;
    if latest != new.seen {
        tx.rollback().await?;
        let current = history(db, new.proposition_id).await?.into_iter().next();
        return match current {
            Some(row) => Err(RecordError::Stale(Box::new(row))),
            None => Err(RecordError::Database(sqlx::Error::RowNotFound)),
        };
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO resolutions (proposition_id, outcome, decided_on, evidence_url, rationale, recorded_by, recorded_at, supersedes_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.proposition_id)
    .bind(new.outcome.as_str())
    .bind(format_date(new.decided_on))
    .bind(new.evidence_url)
    .bind(new.rationale)
    .bind(new.analyst_id)
    .bind(&stamp)
    .bind(new.seen)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    db.mark_changed();
    Ok(id)
}

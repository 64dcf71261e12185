//! Outcomes read back as the model's records. They are written by the import's path
//! (`db::dataset`), the outcome form's too; resolutions are append-only (the table's triggers
//! refuse changes): a correction is a new row that names the one it supersedes.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use super::decode::{self, Stored};
use super::{Database, query};
use crate::domain::model::Resolution;

/// An outcome as the database holds it: the record (its proposition by slug; who recorded it
/// and when, as the record claims, else the account and the moment it entered), with what pages
/// show beside it.
#[derive(Debug, Clone, FromRow)]
pub struct ResolutionRow {
    #[sqlx(flatten)]
    pub resolution: Stored<Resolution>,
    pub proposition_id: i64,
    pub proposition_statement: String,
    /// The name of the account that entered it, as pages show it.
    pub recorder_name: String,
    /// When it entered this database: what a page pinned to a moment compares.
    #[sqlx(rename = "recorded_at")]
    pub entered_at: DateTime<Utc>,
    /// The resolution this one corrected, if any.
    pub supersedes_id: Option<i64>,
}

decode::reads_as_stored!(ResolutionRow, resolution: Resolution);

impl FromRow<'_, SqliteRow> for Stored<Resolution> {
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        let resolution = Resolution {
            proposition: decode::slug(row, "proposition_slug")?,
            outcome: row.try_get("outcome")?,
            decided_on: decode::date(row, "decided_on")?,
            evidence_url: row.try_get("evidence_url")?,
            rationale: row.try_get("rationale")?,
            recorded_by: row.try_get("recorded_by")?,
            recorded_at: decode::moment(row, "claimed_at")?,
        };
        Self::with_id(row, resolution)
    }
}

impl ResolutionRow {
    pub fn outcome_label(&self) -> &'static str {
        self.outcome.label()
    }
}

const RESOLUTIONS: &str = "SELECT r.id, r.proposition_id, pr.slug AS proposition_slug,
    pr.statement AS proposition_statement, r.outcome, r.decided_on, r.evidence_url, r.rationale,
    COALESCE(r.claimed_recorded_by, a.username) AS recorded_by, a.display_name AS recorder_name,
    COALESCE(r.claimed_recorded_at, r.recorded_at) AS claimed_at, r.recorded_at, r.supersedes_id
FROM resolutions r JOIN propositions pr ON pr.id = r.proposition_id JOIN analysts a ON a.id = r.recorded_by";

/// Every resolution of a proposition, newest first: the outcome and its whole history.
pub async fn history(
    db: &Database,
    proposition_id: i64,
) -> Result<Vec<ResolutionRow>, sqlx::Error> {
    let sql =
        format!("{RESOLUTIONS} WHERE r.proposition_id = $1 ORDER BY r.recorded_at DESC, r.id DESC");
    query::all(db, &sql, &[proposition_id.into()]).await
}

/// The most recently recorded resolutions across all propositions.
pub async fn latest(db: &Database, limit: i64) -> Result<Vec<ResolutionRow>, sqlx::Error> {
    let sql = format!(
        "{RESOLUTIONS} WHERE pr.retracted_at IS NULL ORDER BY r.recorded_at DESC, COALESCE(r.claimed_recorded_at, r.recorded_at) DESC, r.id DESC LIMIT $1"
    );
    query::all(db, &sql, &[limit.into()]).await
}

/// Every resolution ever recorded, newest first, a page at a time.
pub async fn page(
    db: &Database,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResolutionRow>, sqlx::Error> {
    let sql = format!("{RESOLUTIONS} ORDER BY r.recorded_at DESC, r.id DESC LIMIT $1 OFFSET $2");
    query::all(db, &sql, &[limit.into(), offset.into()]).await
}

pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    query::count(db, "SELECT COUNT(*) FROM resolutions").await
}

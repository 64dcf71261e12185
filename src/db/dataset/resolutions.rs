//! Outcomes: appended in the order they were recorded, each naming the one it supersedes.

use super::{Change, Run, SQL_ANALYST, SQL_PROPOSITION};
use crate::domain::dates::{format_date, format_moment};
use crate::import::DataSet;

impl Run<'_, '_> {
    pub(super) async fn resolutions(&mut self, set: &DataSet) -> Result<(), sqlx::Error> {
        for resolution in &set.resolutions {
            let at = resolution.location.as_str();
            let proposition_id = self
                .find(SQL_PROPOSITION, resolution.proposition.as_str())
                .await?;
            let proposition_id = self.require(proposition_id, at, "proposition", || {
                format!("no proposition has the slug \"{}\"", resolution.proposition)
            });
            let analyst_id = self.find(SQL_ANALYST, &resolution.recorded_by).await?;
            let analyst_id = self.require(analyst_id, at, "recorded_by", || {
                format!("no analyst has the username \"{}\"", resolution.recorded_by)
            });
            let (Some(proposition_id), Some(analyst_id)) = (proposition_id, analyst_id) else {
                continue;
            };
            let recorded_at = format_moment(resolution.recorded_at);
            let outcome = resolution.outcome.as_str();
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM resolutions WHERE proposition_id = $1 AND recorded_at = $2 AND outcome = $3")
                .bind(proposition_id).bind(&recorded_at).bind(outcome).fetch_optional(&mut **self.tx).await?;
            if existing.is_some() {
                self.report.count("resolutions", Change::Unchanged);
                continue;
            }
            let supersedes: Option<i64> = sqlx::query_scalar("SELECT id FROM resolutions WHERE proposition_id = $1 AND recorded_at <= $2 ORDER BY recorded_at DESC, id DESC LIMIT 1")
                .bind(proposition_id).bind(&recorded_at).fetch_optional(&mut **self.tx).await?;
            sqlx::query("INSERT INTO resolutions (proposition_id, outcome, decided_on, evidence_url, rationale, recorded_by, recorded_at, supersedes_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(proposition_id).bind(outcome).bind(format_date(resolution.decided_on)).bind(&resolution.evidence_url)
                .bind(&resolution.rationale).bind(analyst_id).bind(&recorded_at).bind(supersedes)
                .execute(&mut **self.tx).await?;
            self.report.count("resolutions", Change::Created);
        }
        Ok(())
    }
}

//! Outcomes: appended in the order they were recorded, each naming the one it supersedes.
//! What is on record for the file's propositions is read once, so each outcome is matched and
//! chained in memory, and new ones are written many to a statement.

use std::collections::HashMap;

use sqlx::QueryBuilder;

use super::{Change, Run, SQL_PROPOSITION};
use crate::db::{IDS_PER_QUERY, push_ids};
use crate::domain::dates::{format_date, format_moment};
use crate::domain::model::Resolution;
use crate::import::{AtRecord, DataSet};

/// Rows a statement: 11 parameters each.
const BATCH: usize = 1000;

/// An outcome on record, or about to be: (the moment claimed for it, id, outcome).
type Recorded = (String, i64, String);

/// A new outcome, ready to insert.
struct NewResolution<'a> {
    id: i64,
    proposition_id: i64,
    record: &'a AtRecord<Resolution>,
    claimed_at: String,
    supersedes: Option<i64>,
}

impl Run<'_, '_> {
    /// Appends the file's outcomes that are not on record yet. Each is recorded by the account
    /// (or the shell user) running the import, at this import's write-clock stamp; what the
    /// file says of who recorded it and when is kept as its claim. Within a proposition they
    /// are appended in the file's order, each superseding the outcome then current, so the
    /// last in the file is current afterwards (an export lists them in the order they entered).
    pub(super) async fn resolutions(&mut self, set: &DataSet) -> Result<(), sqlx::Error> {
        let mut found = Vec::with_capacity(set.resolutions.len());
        for resolution in &set.resolutions {
            let at = resolution.record;
            let proposition_id = self
                .find(SQL_PROPOSITION, resolution.proposition.as_str())
                .await?;
            let proposition_id = self.require(proposition_id, at, "proposition", || {
                format!("no proposition has the slug \"{}\"", resolution.proposition)
            });
            if let Some(proposition_id) = proposition_id {
                found.push((resolution, proposition_id));
            }
        }
        if !self.issues.is_empty() || found.is_empty() {
            return Ok(());
        }
        let recorded_by = self.recorder().await?;
        let mut propositions: Vec<i64> = found.iter().map(|(_, id)| *id).collect();
        propositions.sort_unstable();
        propositions.dedup();
        let mut on_record = self.recorded_outcomes(&propositions).await?;
        let mut next_id = self.next_id("resolutions").await?;
        let mut fresh = Vec::new();
        for (record, proposition_id) in found {
            let claimed_at = format_moment(record.recorded_at);
            let outcome = record.outcome.as_str();
            let history = on_record.entry(proposition_id).or_default();
            if history
                .iter()
                .any(|(at, _, was)| *at == claimed_at && was == outcome)
            {
                self.report.count("resolutions", Change::Unchanged);
                continue;
            }
            // On record in entry order, so the last is the outcome current now.
            let supersedes = history.last().map(|(_, id, _)| *id);
            history.push((claimed_at.clone(), next_id, outcome.to_string()));
            fresh.push(NewResolution {
                id: next_id,
                proposition_id,
                record,
                claimed_at,
                supersedes,
            });
            next_id += 1;
        }
        for rows in fresh.chunks(BATCH) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO resolutions (id, proposition_id, outcome, decided_on, evidence_url, rationale, recorded_by, recorded_at, supersedes_id, claimed_recorded_at, claimed_recorded_by) ",
            );
            insert.push_values(rows, |mut row, new| {
                row.push_bind(new.id)
                    .push_bind(new.proposition_id)
                    .push_bind(new.record.outcome.as_str())
                    .push_bind(format_date(new.record.decided_on))
                    .push_bind(new.record.evidence_url.as_deref())
                    .push_bind(new.record.rationale.as_str())
                    .push_bind(recorded_by)
                    .push_bind(self.now.as_str())
                    .push_bind(new.supersedes)
                    .push_bind(new.claimed_at.as_str())
                    .push_bind(new.record.recorded_by.as_str());
            });
            insert.build().execute(&mut **self.tx).await?;
        }
        self.report.count_created("resolutions", fresh.len());
        Ok(())
    }

    /// The outcomes on record for `propositions`, by proposition.
    async fn recorded_outcomes(
        &mut self,
        propositions: &[i64],
    ) -> Result<HashMap<i64, Vec<Recorded>>, sqlx::Error> {
        let mut by_proposition: HashMap<i64, Vec<Recorded>> = HashMap::new();
        for chunk in propositions.chunks(IDS_PER_QUERY) {
            let mut query = QueryBuilder::new(
                "SELECT proposition_id, COALESCE(claimed_recorded_at, recorded_at), id, outcome FROM resolutions WHERE proposition_id IN (",
            );
            push_ids(&mut query, chunk);
            query.push(" ORDER BY recorded_at, id");
            let rows: Vec<(i64, String, i64, String)> =
                query.build_query_as().fetch_all(&mut **self.tx).await?;
            for (proposition_id, recorded_at, id, outcome) in rows {
                by_proposition
                    .entry(proposition_id)
                    .or_default()
                    .push((recorded_at, id, outcome));
            }
        }
        Ok(by_proposition)
    }
}

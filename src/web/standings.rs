//! The live leaderboard's forecasts, kept in memory grouped by proposition. At a million
//! predictions, reading them all takes seconds; after a new outcome only that proposition's
//! forecasts are read again (`score_changes` says which), and the standings are recomputed
//! from memory in tens of milliseconds.

use std::collections::{BTreeMap, HashMap};

use crate::db::scores::{self, ForecastRow};
use crate::db::{Database, END_OF_TIME};
use crate::domain::scoring::{PropositionForecasts, Scorecard, standings};

/// More changed propositions than this and everything is read again, in one query.
const REREAD_ALL_ABOVE: usize = 2_000;

#[derive(Default)]
struct Forecasts {
    by_proposition: BTreeMap<i64, PropositionForecasts>,
    /// The last `score_changes` row taken in; `None` until first read.
    applied: Option<i64>,
}

impl Forecasts {
    /// Replaces the groups of `ids` with `rows` (the live forecasts on them).
    fn replace(&mut self, ids: &[i64], rows: &[ForecastRow]) {
        for id in ids {
            self.by_proposition.remove(id);
        }
        for row in rows {
            let forecast = row.forecast();
            let group = self
                .by_proposition
                .entry(row.proposition_id)
                .or_insert_with(|| PropositionForecasts {
                    outcome: forecast.outcome,
                    forecasts: Vec::new(),
                });
            group.forecasts.push((row.expert_id, forecast.probability));
        }
    }
}

#[derive(Default)]
pub struct LiveStandings {
    forecasts: tokio::sync::Mutex<Forecasts>,
}

impl LiveStandings {
    /// Reads every forecast now, so that the first reader of the leaderboard does not wait.
    pub fn warm_in_background(self: &std::sync::Arc<Self>, db: Database) {
        let standings = std::sync::Arc::clone(self);
        tokio::spawn(async move {
            if let Err(error) = standings.cards(&db, i64::MIN).await {
                tracing::warn!(%error, "could not read the forecasts for the leaderboard");
            }
        });
    }

    /// Every expert's live leaderboard scorecard, and the crowd's, under `crowd`.
    pub async fn cards(
        &self,
        db: &Database,
        crowd: i64,
    ) -> Result<(HashMap<i64, Scorecard>, Option<Scorecard>), sqlx::Error> {
        let mut forecasts = self.forecasts.lock().await;
        let since = forecasts.applied.unwrap_or(0);
        let (latest, changed) = scores::score_changes_since(db, since).await?;
        if forecasts.applied.is_none() || changed.len() > REREAD_ALL_ABOVE {
            let rows = scores::forecasts(db, scores::Scope::default(), END_OF_TIME).await?;
            let mut fresh = Forecasts::default();
            fresh.replace(&[], &rows);
            *forecasts = fresh;
        } else if !changed.is_empty() {
            let rows = scores::live_forecasts_on(db, &changed).await?;
            forecasts.replace(&changed, &rows);
        }
        forecasts.applied = Some(latest);
        Ok(standings(&forecasts.by_proposition, crowd))
    }
}

//! The live leaderboard, kept in memory. At a million predictions, reading every forecast takes
//! seconds; it is done once, streamed, at start-up. After that `score_changes` says which
//! propositions a write touched, only their forecasts are read again, and their old share of
//! each expert's sums is swapped for the new one.

use std::collections::HashMap;

use crate::db::Database;
use crate::db::scores::{self, ForecastRow};
use crate::domain::scoring::{PropositionForecasts, Scorecard, Standings};

/// More changed propositions than this and everything is read again, in one pass.
const REREAD_ALL_ABOVE: usize = 2_000;

struct Live {
    standings: Standings,
    /// The last `score_changes` row taken in; `None` until everything was read once.
    applied: Option<i64>,
}

/// Groups rows (ordered by proposition) into propositions and hands each to `standings`.
fn group_into(standings: &mut Standings, ids: &[i64], rows: Vec<ForecastRow>) {
    let mut groups: HashMap<i64, PropositionForecasts> = HashMap::new();
    for row in rows {
        let forecast = row.forecast();
        groups
            .entry(row.proposition_id)
            .or_insert_with(|| PropositionForecasts {
                outcome: forecast.outcome,
                forecasts: Vec::new(),
            })
            .forecasts
            .push((row.expert_id, forecast.probability));
    }
    for id in ids {
        standings.set(*id, groups.remove(id));
    }
}

pub struct LiveStandings {
    live: tokio::sync::Mutex<Live>,
    crowd: i64,
}

impl LiveStandings {
    /// The crowd is scored under the id `crowd`, which no expert has.
    pub fn new(crowd: i64) -> Self {
        Self {
            live: tokio::sync::Mutex::new(Live {
                standings: Standings::new(crowd),
                applied: None,
            }),
            crowd,
        }
    }

    /// Reads every forecast now, so that the first reader of the leaderboard does not wait.
    pub fn warm_in_background(self: &std::sync::Arc<Self>, db: Database) {
        let standings = std::sync::Arc::clone(self);
        tokio::spawn(async move {
            if let Err(error) = standings.cards(&db).await {
                tracing::warn!(%error, "could not read the forecasts for the leaderboard");
            }
        });
    }

    /// Every expert's live leaderboard scorecard, and the crowd's.
    pub async fn cards(
        &self,
        db: &Database,
    ) -> Result<(HashMap<i64, Scorecard>, Option<Scorecard>), sqlx::Error> {
        let mut live = self.live.lock().await;
        let since = live.applied.unwrap_or(0);
        let (latest, changed) = scores::score_changes_since(db, since).await?;
        if live.applied.is_none() || changed.len() > REREAD_ALL_ABOVE {
            let mut standings = Standings::new(self.crowd);
            let mut current: Option<(i64, PropositionForecasts)> = None;
            scores::for_each_live_forecast(db, |row| {
                let forecast = row.forecast();
                match &mut current {
                    Some((id, group)) if *id == row.proposition_id => {
                        group.forecasts.push((row.expert_id, forecast.probability));
                    }
                    _ => {
                        if let Some((id, group)) = current.take() {
                            standings.set(id, Some(group));
                        }
                        current = Some((
                            row.proposition_id,
                            PropositionForecasts {
                                outcome: forecast.outcome,
                                forecasts: vec![(row.expert_id, forecast.probability)],
                            },
                        ));
                    }
                }
            })
            .await?;
            if let Some((id, group)) = current {
                standings.set(id, Some(group));
            }
            live.standings = standings;
        } else if !changed.is_empty() {
            let rows = scores::live_forecasts_on(db, &changed).await?;
            group_into(&mut live.standings, &changed, rows);
        }
        live.applied = Some(latest);
        Ok((live.standings.cards(), live.standings.crowd_card()))
    }
}

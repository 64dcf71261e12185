//! The live leaderboard, kept in memory. At a million predictions, reading every forecast takes
//! seconds; it is done once, streamed, at start-up. After that `score_changes` says which
//! propositions a write touched, only their forecasts are read again, and their old share of
//! each expert's sums is swapped for the new one. Every expert's name is kept the same way,
//! from `expert_changes`, so that pages listing thousands of experts read nothing per row.

use std::collections::HashMap;
use std::sync::Arc;

use crate::db::forecasts::{self, ChangeLog, ForecastRow};
use crate::db::{Database, experts};
use crate::domain::scoring::{PropositionForecasts, Scorecard, Standings};

/// More changed propositions (or experts) than this and everything is read again, in one pass.
const REREAD_ALL_ABOVE: usize = 2_000;

/// What a list of experts shows of each.
#[derive(Debug, Clone)]
pub struct ExpertName {
    pub slug: String,
    pub name: String,
    pub affiliation: Option<String>,
}

/// Every expert on record (retracted ones left out), by id.
pub type Names = HashMap<i64, ExpertName>;

#[derive(Default)]
struct Live {
    standings: Standings,
    /// The last `score_changes` row taken in; `None` until everything was read once.
    applied: Option<i64>,
    names: Arc<Names>,
    /// The last `expert_changes` row taken in.
    names_applied: Option<i64>,
}

/// The live numbers at one moment.
pub struct Board {
    /// Every expert with a live forecast: their leaderboard scorecard.
    pub cards: HashMap<i64, Scorecard>,
    pub crowd: Option<Scorecard>,
    pub names: Arc<Names>,
    /// Every live forecast: predictions on record by experts and on propositions on record.
    pub forecasts: usize,
}

/// The names of the experts scored in `cards`, retracted or not.
pub async fn names_of<T>(
    db: &Database,
    cards: &std::collections::HashMap<i64, T>,
) -> Result<Names, sqlx::Error> {
    let ids: Vec<i64> = cards.keys().copied().collect();
    Ok(experts::names_of(db, &ids)
        .await?
        .into_iter()
        .map(|(id, slug, name, affiliation, _)| named(id, slug, name, affiliation))
        .collect())
}

/// Every expert on record's name, read now.
pub async fn read_names(db: &Database) -> Result<Names, sqlx::Error> {
    Ok(experts::names(db)
        .await?
        .into_iter()
        .map(|(id, slug, name, affiliation)| named(id, slug, name, affiliation))
        .collect())
}

fn named(id: i64, slug: String, name: String, affiliation: Option<String>) -> (i64, ExpertName) {
    let name = ExpertName {
        slug,
        name,
        affiliation,
    };
    (id, name)
}

/// Brings `names` up to date with `expert_changes`; returns the last change taken in.
async fn refresh_names(
    db: &Database,
    names: &mut Arc<Names>,
    applied: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let (latest, changed) =
        forecasts::changes_since(db, ChangeLog::Experts, applied.unwrap_or(0)).await?;
    if applied.is_none() || changed.len() > REREAD_ALL_ABOVE {
        *names = Arc::new(read_names(db).await?);
    } else if !changed.is_empty() {
        let rows = experts::names_of(db, &changed).await?;
        let names = Arc::make_mut(names);
        for id in &changed {
            names.remove(id);
        }
        for (id, slug, name, affiliation, retracted) in rows {
            if !retracted {
                names.insert(
                    id,
                    ExpertName {
                        slug,
                        name,
                        affiliation,
                    },
                );
            }
        }
    }
    Ok(latest)
}

/// Groups `rows` by proposition and hands each of the propositions `ids` to `standings` (one
/// without rows has no live forecasts any more).
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

/// Nothing read until the first `board`.
#[derive(Default)]
pub struct LiveStandings {
    live: tokio::sync::Mutex<Live>,
}

impl LiveStandings {
    /// Reads every forecast now, so that the first reader of the leaderboard does not wait.
    pub fn warm_in_background(self: &std::sync::Arc<Self>, db: Database) {
        let standings = std::sync::Arc::clone(self);
        tokio::spawn(async move {
            if let Err(error) = standings.board(&db).await {
                tracing::warn!(%error, "could not read the forecasts for the leaderboard");
            }
        });
    }

    /// Every expert's live leaderboard scorecard, the crowd's, and every expert's name.
    pub async fn board(&self, db: &Database) -> Result<Board, sqlx::Error> {
        let mut live = self.live.lock().await;
        let live = &mut *live;
        // Standings first: experts are never deleted, so names read after them cover every
        // expert they score.
        let cards = self.refresh_standings(db, live).await?.cards();
        live.names_applied = Some(refresh_names(db, &mut live.names, live.names_applied).await?);
        Ok(Board {
            cards,
            crowd: live.standings.crowd_card(),
            forecasts: live.standings.forecast_count(),
            names: Arc::clone(&live.names),
        })
    }

    async fn refresh_standings<'a>(
        &self,
        db: &Database,
        live: &'a mut Live,
    ) -> Result<&'a Standings, sqlx::Error> {
        let since = live.applied.unwrap_or(0);
        let (latest, changed) = forecasts::changes_since(db, ChangeLog::Scores, since).await?;
        if live.applied.is_none() || changed.len() > REREAD_ALL_ABOVE {
            let mut standings = Standings::new();
            let mut current: Option<(i64, PropositionForecasts)> = None;
            forecasts::for_each_live_forecast(db, |row| {
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
            let rows = forecasts::live_forecasts_on(db, &changed).await?;
            group_into(&mut live.standings, &changed, rows);
        }
        live.applied = Some(latest);
        Ok(&live.standings)
    }
}

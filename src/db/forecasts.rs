//! The inputs of scoring: every prediction's probability with its proposition's outcome as of
//! a moment. Scores themselves are computed by `domain::scoring`, never stored.

use sqlx::FromRow;

use super::{Database, with_current_outcomes};
use crate::domain::dates::AsOf;
use crate::domain::{Forecast, Forecaster, Outcome, Probability};

#[derive(Debug, Clone, FromRow)]
pub struct ForecastRow {
    pub expert_id: i64,
    pub proposition_id: i64,
    pub event_id: i64,
    #[sqlx(try_from = "f64")]
    pub probability: Probability,
    pub outcome: Option<String>,
    pub resolved_at: Option<String>,
}

impl ForecastRow {
    pub fn forecast(&self) -> Forecast {
        Forecast {
            forecaster: Forecaster::Expert(self.expert_id),
            proposition: self.proposition_id,
            probability: self.probability,
            outcome: self.outcome.as_deref().and_then(Outcome::parse),
            resolved_at: self.resolved_at.clone(),
        }
    }
}

/// Which forecasts to score together; every field narrows, none means all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    /// Every forecast on the propositions this expert predicted: their own, and their peers'
    /// for the relative Brier score.
    pub peers_of: Option<i64>,
    pub event: Option<i64>,
    pub topic: Option<i64>,
}

impl Scope {
    pub fn peers_of(expert: i64) -> Self {
        Self {
            peers_of: Some(expert),
            ..Self::default()
        }
    }
}

/// The forecasts in `scope` on record at `as_of` and not retracted by then, with their
/// propositions' outcomes as of that moment.
pub async fn in_scope(
    db: &Database,
    scope: Scope,
    as_of: AsOf,
) -> Result<Vec<ForecastRow>, sqlx::Error> {
    let mut query = forecasts_query(as_of);
    if let Some(expert) = scope.peers_of {
        query
            .push(" AND p.proposition_id IN (SELECT proposition_id FROM ")
            .push(super::predictions_as_of(as_of))
            .push(" WHERE expert_id = ")
            .push_bind(expert)
            .push(")");
    }
    if let Some(event) = scope.event {
        query.push(" AND pr.event_id = ").push_bind(event);
    }
    if let Some(topic) = scope.topic {
        query
            .push(" AND p.proposition_id IN (SELECT proposition_id FROM proposition_topics WHERE topic_id = ")
            .push_bind(topic)
            .push(")");
    }
    query.build_query_as().fetch_all(&db.read).await
}

/// The query of `forecasts` before its scope narrows it.
fn forecasts_query<'a>(as_of: AsOf) -> sqlx::QueryBuilder<'a, sqlx::Sqlite> {
    let mut query = with_current_outcomes(as_of);
    query.push(
        "SELECT p.expert_id, p.proposition_id, pr.event_id, p.probability, co.outcome, co.decided_on AS resolved_at
         FROM ",
    );
    query.push(super::predictions_as_of(as_of)).push(
        " p
         JOIN propositions pr ON pr.id = p.proposition_id
         JOIN experts e ON e.id = p.expert_id
         LEFT JOIN current_outcomes co ON co.proposition_id = p.proposition_id
         WHERE pr.retracted_at IS NULL",
    );
    super::predictions::push_visible_as_of(&mut query, as_of);
    query
}

/// Hands every live forecast (as of the end of time) to `each`, one proposition after
/// another, read as a stream so that a million of them never sit in memory as rows at once.
pub async fn for_each_live_forecast(
    db: &Database,
    mut each: impl FnMut(ForecastRow),
) -> Result<(), sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut query = forecasts_query(AsOf::Live);
    query.push(" ORDER BY p.proposition_id");
    let mut rows = query.build_query_as::<ForecastRow>().fetch(&db.read);
    while let Some(row) = rows.try_next().await? {
        each(row);
    }
    Ok(())
}

/// The live forecasts (as of the end of time) on the propositions `ids`.
pub async fn live_forecasts_on(
    db: &Database,
    ids: &[i64],
) -> Result<Vec<ForecastRow>, sqlx::Error> {
    let mut rows = Vec::new();
    for ids in ids.chunks(super::IDS_PER_QUERY) {
        let mut query = forecasts_query(AsOf::Live);
        query.push(" AND p.proposition_id IN (");
        super::push_ids(&mut query, ids);
        rows.extend(query.build_query_as().fetch_all(&db.read).await?);
    }
    Ok(rows)
}

/// A table that triggers fill with a row per change, in commit order.
#[derive(Debug, Clone, Copy)]
pub enum ChangeLog {
    /// `score_changes`: propositions whose forecasts or outcome changed.
    Scores,
    /// `expert_changes`: experts added, renamed or retracted.
    Experts,
}

impl ChangeLog {
    fn queries(self) -> (&'static str, &'static str) {
        match self {
            Self::Scores => (
                "SELECT COALESCE(MAX(seq), 0) FROM score_changes",
                "SELECT DISTINCT proposition_id FROM score_changes WHERE seq > $1 AND seq <= $2",
            ),
            Self::Experts => (
                "SELECT COALESCE(MAX(seq), 0) FROM expert_changes",
                "SELECT DISTINCT expert_id FROM expert_changes WHERE seq > $1 AND seq <= $2",
            ),
        }
    }
}

/// The last change recorded in `log`, and the ids changed after `since` up to it (none when
/// nothing changed).
pub async fn changes_since(
    db: &Database,
    log: ChangeLog,
    since: i64,
) -> Result<(i64, Vec<i64>), sqlx::Error> {
    let (latest_sql, changed_sql) = log.queries();
    let latest: i64 = sqlx::query_scalar(latest_sql).fetch_one(&db.read).await?;
    if latest <= since {
        return Ok((latest, Vec::new()));
    }
    let changed = sqlx::query_scalar(changed_sql)
        .bind(since)
        .bind(latest)
        .fetch_all(&db.read)
        .await?;
    Ok((latest, changed))
}

/// (proposition id, topic slug, topic name) for the propositions an expert predicted.
pub async fn topics_of_expert(
    db: &Database,
    expert_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT pt.proposition_id, t.slug, t.name FROM proposition_topics pt
         JOIN topics t ON t.id = pt.topic_id
         WHERE pt.proposition_id IN (SELECT proposition_id FROM predictions WHERE expert_id = $1)
         ORDER BY t.name",
    )
    .bind(expert_id)
    .fetch_all(&db.read)
    .await
}

/// (id, slug, name) of every topic, for filter choices.
pub async fn topics(db: &Database) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name FROM topics ORDER BY name")
        .fetch_all(&db.read)
        .await
}

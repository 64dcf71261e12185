//! One module per page family; each owns its routes and its typed page structs.

mod cards;
mod entry;
mod events;
pub(crate) mod experts;
mod extract;
pub mod filters;
mod health;
mod home;
pub(crate) mod leaderboard;
pub(crate) mod predictions;
mod propositions;
mod resolve;
mod scales;
mod sources;
mod upload;

use axum::Router;

use super::AppState;
use crate::db::Database;
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::domain::dates::AsOf;

/// Between a scale's slug and one of its terms in a choice's value.
pub const SCALE_SEPARATOR: char = '|';

/// The estimative scales' terms as the choices of a form: "scale|term", labelled by `label`.
pub async fn scale_term_choices(
    db: &Database,
    label: impl Fn(&crate::db::scales::ScaleTerm) -> String,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    Ok(crate::db::scales::terms(db)
        .await?
        .iter()
        .map(|t| {
            (
                format!("{}{SCALE_SEPARATOR}{}", t.scale_slug, t.term),
                label(t),
            )
        })
        .collect())
}

/// The record whose page lists the predictions made on it or quoted from it.
pub enum PredictionsOn {
    Event(i64),
    Proposition(i64),
    Source(i64),
}

/// The predictions on a record's page, as of `as_of`, expert by expert. A proposition's or a
/// source's page shows up to 5,000; an event's grid up to 20,000, which bounds it for a
/// pathological event (the demo's has 33).
pub async fn predictions_on(
    db: &Database,
    on: PredictionsOn,
    as_of: AsOf,
) -> Result<Vec<PredictionRow>, sqlx::Error> {
    let mut filter = PredictionFilter::default();
    let most = match on {
        PredictionsOn::Event(id) => {
            filter.event_id = Some(id);
            20_000
        }
        PredictionsOn::Proposition(id) => {
            filter.proposition_id = Some(id);
            5000
        }
        PredictionsOn::Source(id) => {
            filter.source_id = Some(id);
            5000
        }
    };
    crate::db::predictions::list(db, &filter, as_of, Order::ByExpert, most, 0).await
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(experts::router())
        .merge(cards::router())
        .merge(entry::router())
        .merge(extract::router())
        .merge(leaderboard::router())
        .merge(events::router())
        .merge(propositions::router())
        .merge(resolve::router())
        .merge(predictions::router())
        .merge(sources::router())
        .merge(scales::router())
        .merge(upload::router())
        .merge(health::router())
}

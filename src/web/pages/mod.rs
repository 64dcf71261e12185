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

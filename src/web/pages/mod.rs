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

/// Reads a numeric id from a path, with a 404 for anything else (a path is not a parameter the
/// reader chose, so "not found" is the honest answer).
fn path_id(raw: &str, what: &str) -> Result<i64, super::AppError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        super::AppError::not_found(
            what,
            format!(
                "\u{201c}{raw}\u{201d} is not the number of any {}.",
                what.to_lowercase()
            ),
        )
    })
}

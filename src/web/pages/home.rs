use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::filters;
use super::leaderboard::{DEFAULT_MINIMUM, Entry, standing};
use crate::db::events::EventRow;
use crate::db::overview::Totals;
use crate::db::propositions::PropositionRow;
use crate::db::resolutions::ResolutionRow;
use crate::db::{events, overview, propositions};
use crate::domain::dates::AsOf;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

const LEADERS_SHOWN: usize = 5;

/// The most recent events shown; the rest are a link away.
const EVENTS_SHOWN: i64 = 6;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    totals: Totals,
    /// The newest few.
    events: Vec<EventRow>,
    event_total: i64,
    latest: Vec<ResolutionRow>,
    due: Vec<PropositionRow>,
    today: chrono::NaiveDate,
    /// The top of the leaderboard, ranked as it is.
    leaders: Vec<Entry>,
    leader_minimum: u32,
}

async fn home(State(state): State<AppState>) -> Result<HomePage, AppError> {
    let db = &state.db;
    let board = state.standings.board(db).await?;
    // The leaderboard's ranking, with its minimum: one order under one name.
    let (ranked, _) = standing(
        board.cards.iter().map(|(id, card)| (*id, card.clone())),
        &board.names,
        DEFAULT_MINIMUM,
    );
    let leaders: Vec<Entry> = ranked
        .into_iter()
        .take(LEADERS_SHOWN)
        .enumerate()
        .map(|(i, (expert, card))| Entry {
            rank: Some(i + 1),
            slug: expert.slug.clone(),
            name: expert.name.clone(),
            affiliation: expert.affiliation.clone(),
            card,
        })
        .collect();
    let (propositions, sources) = overview::proposition_and_source_counts(db).await?;
    Ok(HomePage {
        totals: Totals {
            experts: board.names.len(),
            predictions: board.forecasts,
            propositions,
            sources,
        },
        events: events::page(db, AsOf::Live, EVENTS_SHOWN, 0).await?,
        event_total: events::count(db).await?,
        latest: crate::db::resolutions::latest(db, 6).await?,
        due: propositions::due(db, 6).await?,
        today: chrono::Utc::now().date_naive(),
        leaders,
        leader_minimum: DEFAULT_MINIMUM,
    })
}

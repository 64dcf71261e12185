use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::experts::{ExpertSummary, summaries_of};
use super::filters;
use crate::db::events::EventRow;
use crate::db::overview::Totals;
use crate::db::propositions::{PropositionRow, ResolutionRow};
use crate::db::{END_OF_TIME, events, overview, propositions};
use crate::domain::scoring::HitRate;
use crate::web::standings::ExpertName;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// Experts need this many right-or-wrong calls to be listed among the leaders.
pub const LEADER_MINIMUM: u32 = 2;

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
    today: String,
    leaders: Vec<ExpertSummary>,
    leader_minimum: u32,
}

async fn home(State(state): State<AppState>) -> Result<HomePage, AppError> {
    let db = &state.db;
    let board = state.standings.board(db).await?;
    let mut leaders: Vec<(i64, &ExpertName, HitRate)> = board
        .cards
        .iter()
        .filter_map(|(id, card)| {
            let hit = card.hit_rate.filter(|h| h.n >= LEADER_MINIMUM)?;
            Some((*id, board.names.get(id)?, hit))
        })
        .collect();
    // Ranked by the lower end of the 95% interval: 2 of 2 does not outrank 9 of 10.
    leaders.sort_by(|(_, a_name, a), (_, b_name, b)| {
        b.low
            .total_cmp(&a.low)
            .then_with(|| a_name.name.cmp(&b_name.name))
    });
    let leader_ids: Vec<i64> = leaders
        .iter()
        .take(LEADERS_SHOWN)
        .map(|(id, _, _)| *id)
        .collect();
    let leaders = summaries_of(db, &board, &leader_ids).await?;
    let (propositions, sources) = overview::proposition_and_source_counts(db).await?;
    Ok(HomePage {
        totals: Totals {
            experts: board.names.len(),
            predictions: board.forecasts,
            propositions,
            sources,
        },
        events: events::page(db, END_OF_TIME, EVENTS_SHOWN, 0).await?,
        event_total: events::count(db).await?,
        latest: propositions::latest_resolutions(db, 6).await?,
        due: propositions::due(db, END_OF_TIME, 6).await?,
        today: crate::domain::dates::format_date(chrono::Utc::now().date_naive()),
        leaders,
        leader_minimum: LEADER_MINIMUM,
    })
}

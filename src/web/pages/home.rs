use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::experts::{ExpertSummary, summaries};
use super::filters;
use crate::db::events::EventRow;
use crate::db::overview::Totals;
use crate::db::propositions::{PropositionRow, ResolutionRow};
use crate::db::{END_OF_TIME, events, overview, propositions};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// Experts need this many right-or-wrong calls to be listed among the leaders.
pub const LEADER_MINIMUM: u32 = 2;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    totals: Totals,
    events: Vec<EventRow>,
    latest: Vec<ResolutionRow>,
    due: Vec<PropositionRow>,
    today: String,
    leaders: Vec<ExpertSummary>,
    leader_minimum: u32,
}

async fn home(State(state): State<AppState>) -> Result<HomePage, AppError> {
    let db = &state.db;
    let mut leaders: Vec<ExpertSummary> = summaries(db, END_OF_TIME)
        .await?
        .into_iter()
        .filter(|s| s.card.hit_rate.is_some_and(|h| h.n >= LEADER_MINIMUM))
        .collect();
    // Ranked by the lower end of the 95% interval: 2 of 2 does not outrank 9 of 10.
    leaders.sort_by(|a, b| {
        let low = |s: &ExpertSummary| s.card.hit_rate.map(|h| h.low).unwrap_or(0.0);
        low(b)
            .total_cmp(&low(a))
            .then_with(|| a.expert.name.cmp(&b.expert.name))
    });
    leaders.truncate(5);
    Ok(HomePage {
        totals: overview::totals(db).await?,
        events: events::all(db, END_OF_TIME).await?,
        latest: propositions::latest_resolutions(db, 6).await?,
        due: propositions::due(db, END_OF_TIME, 6).await?,
        today: crate::domain::dates::format_date(chrono::Utc::now().date_naive()),
        leaders,
        leader_minimum: LEADER_MINIMUM,
    })
}

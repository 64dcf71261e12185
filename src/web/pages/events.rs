use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::{PredictionsOn, filters, predictions_on};
use crate::db::events::EventRow;
use crate::db::forecasts::{self, ForecastRow, Scope};
use crate::db::predictions::PredictionRow;
use crate::db::propositions::PropositionRow;
use crate::db::{events, propositions};
use crate::domain::scoring::{Scorecard, consensus, scorecards};
use crate::domain::{Forecast, Tally, Verdict};
use crate::web::extract::Query;
use crate::web::format::score;
use crate::web::paging::{DEEPEST_ITEM, PageQuery, Pager, Paging};
use crate::web::query::{AsOf, AsOfQuery};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events/{slug}", get(grid))
}

/// Events listed a page at a time: each card counts its predictions, which at a million
/// predictions costs a few milliseconds an event.
pub const PAGE_SIZE: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "events.html")]
struct EventsPage {
    events: Vec<EventRow>,
    total: i64,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    Query(asked): Query<PageQuery>,
) -> Result<EventsPage, AppError> {
    let paging = Paging::within(asked.page, PAGE_SIZE, DEEPEST_ITEM)?;
    let total = events::count(&state.db).await?;
    Ok(EventsPage {
        events: events::page(&state.db, AsOf::Live, paging.limit(), paging.offset()).await?,
        total,
        pager: paging.pager(total, "/events"),
    })
}

/// One expert's predictions on one proposition (usually one; two when they said it twice).
pub struct GridCell {
    pub predictions: Vec<CellPrediction>,
}

pub struct CellPrediction {
    pub id: i64,
    pub proposition_id: i64,
    pub percent: String,
    pub verdict: Verdict,
    pub quote: String,
}

pub struct GridRow {
    pub expert_id: i64,
    pub expert_slug: String,
    pub expert_name: String,
    pub cells: Vec<GridCell>,
    pub tally: Tally,
    /// "0.334", the expert's Brier score on this event.
    pub brier: String,
}

/// The consensus: on each proposition, the median of the experts' probabilities.
pub struct CrowdRow {
    pub cells: Vec<Option<CrowdCell>>,
    pub card: Scorecard,
}

pub struct CrowdCell {
    pub percent: String,
    pub verdict: Verdict,
}

#[derive(Template, WebTemplate)]
#[template(path = "event.html")]
struct EventPage {
    as_of: AsOf,
    event: EventRow,
    propositions: Vec<PropositionRow>,
    rows: Vec<GridRow>,
    crowd: CrowdRow,
    event_url: String,
}

async fn grid(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(AsOfQuery { as_of }): Query<AsOfQuery>,
) -> Result<EventPage, AppError> {
    let db = &state.db;
    let event = events::by_slug(db, &slug, as_of).await?.ok_or_else(|| {
        AppError::not_found("Event", format!("No event has the address \u{201c}{slug}\u{201d}. The list of events shows every one Hindsight holds."))
    })?;
    let propositions = propositions::for_event(db, event.id, as_of).await?;
    let predictions = predictions_on(db, PredictionsOn::Event(event.id), as_of).await?;
    let mut rows = build_rows(&propositions, predictions);
    let scope = Scope {
        event: Some(event.id),
        ..Scope::default()
    };
    let forecasts: Vec<Forecast> = forecasts::in_scope(db, scope, as_of)
        .await?
        .iter()
        .map(ForecastRow::forecast)
        .collect();
    let cards = scorecards(&forecasts).experts;
    for row in &mut rows {
        row.brier = score(cards.get(&row.expert_id).and_then(|c| c.brier));
    }
    let crowd = crowd_row(&propositions, &forecasts);
    let event_url = format!(
        "{}/events/{}{}",
        state.public_url,
        event.slug,
        as_of.query()
    );
    Ok(EventPage {
        as_of,
        event,
        propositions,
        rows,
        crowd,
        event_url,
    })
}

/// Experts down the side, propositions across the top, in the order the list query gives
/// (by expert name), each cell holding that expert's predictions on that proposition.
fn build_rows(propositions: &[PropositionRow], predictions: Vec<PredictionRow>) -> Vec<GridRow> {
    let column: HashMap<i64, usize> = propositions
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    let mut rows: Vec<GridRow> = Vec::new();
    let mut row_of: HashMap<i64, usize> = HashMap::new();
    for prediction in predictions {
        let Some(&col) = column.get(&prediction.proposition_id) else {
            continue;
        };
        let index = *row_of.entry(prediction.expert_id).or_insert_with(|| {
            rows.push(GridRow {
                expert_id: prediction.expert_id,
                expert_slug: prediction.expert.clone(),
                expert_name: prediction.expert_name.clone(),
                cells: propositions
                    .iter()
                    .map(|_| GridCell {
                        predictions: Vec::new(),
                    })
                    .collect(),
                tally: Tally::default(),
                brier: String::new(),
            });
            rows.len() - 1
        });
        let verdict = prediction.verdict();
        let row = &mut rows[index];
        row.tally.add(verdict);
        row.cells[col].predictions.push(CellPrediction {
            id: prediction.id,
            proposition_id: prediction.proposition_id,
            percent: prediction.percent(),
            verdict,
            quote: prediction.prediction.record.quote,
        });
    }
    rows
}

/// The crowd's probability and verdict on each proposition, and its scorecard against the
/// experts as if it were one of them.
fn crowd_row(propositions: &[PropositionRow], forecasts: &[Forecast]) -> CrowdRow {
    let crowd = consensus(forecasts);
    let cells = propositions
        .iter()
        .map(|p| {
            crowd
                .iter()
                .find(|f| f.proposition == p.id)
                .map(|f| CrowdCell {
                    percent: f.probability.percent(),
                    verdict: f.verdict(),
                })
        })
        .collect();
    let mut everyone = forecasts.to_vec();
    everyone.extend(crowd);
    let card = scorecards(&everyone).crowd.unwrap_or_else(Scorecard::empty);
    CrowdRow { cells, card }
}

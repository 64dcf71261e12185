use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::filters;
use crate::db::events::EventRow;
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::propositions::PropositionRow;
use crate::db::{END_OF_TIME, events, predictions, propositions};
use crate::domain::{Tally, Verdict};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events/{slug}", get(grid))
}

#[derive(Template, WebTemplate)]
#[template(path = "events.html")]
struct EventsPage {
    events: Vec<EventRow>,
}

async fn list(State(state): State<AppState>) -> Result<EventsPage, AppError> {
    Ok(EventsPage {
        events: events::all(&state.db, END_OF_TIME).await?,
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
    pub expert_slug: String,
    pub expert_name: String,
    pub cells: Vec<GridCell>,
    pub tally: Tally,
}

#[derive(Template, WebTemplate)]
#[template(path = "event.html")]
struct EventPage {
    event: EventRow,
    propositions: Vec<PropositionRow>,
    rows: Vec<GridRow>,
}

/// Bounds the grid for a pathological event; the demo has 33.
const MAX_GRID_PREDICTIONS: i64 = 20_000;

async fn grid(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<EventPage, AppError> {
    let db = &state.db;
    let event = events::by_slug(db, &slug, END_OF_TIME).await?.ok_or_else(|| {
        AppError::not_found("Event", format!("No event has the address \u{201c}{slug}\u{201d}. The list of events shows every one Hindsight holds."))
    })?;
    let propositions = propositions::for_event(db, event.id, END_OF_TIME).await?;
    let filter = PredictionFilter {
        event_id: Some(event.id),
        ..PredictionFilter::default()
    };
    let predictions = predictions::list(
        db,
        &filter,
        END_OF_TIME,
        Order::ByExpert,
        MAX_GRID_PREDICTIONS,
        0,
    )
    .await?;
    let rows = build_rows(&propositions, predictions);
    Ok(EventPage {
        event,
        propositions,
        rows,
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
                expert_slug: prediction.expert_slug.clone(),
                expert_name: prediction.expert_name.clone(),
                cells: propositions
                    .iter()
                    .map(|_| GridCell {
                        predictions: Vec::new(),
                    })
                    .collect(),
                tally: Tally::default(),
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
            quote: prediction.quote,
        });
    }
    rows
}

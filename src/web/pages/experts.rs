use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::filters;
use crate::db::experts::ExpertRow;
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::{Database, END_OF_TIME, experts, predictions};
use crate::domain::{HitRate, Tally};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/experts", get(list))
        .route("/experts/{slug}", get(scorecard))
}

/// An expert with the count of how their predictions fared.
pub struct ExpertSummary {
    pub expert: ExpertRow,
    pub tally: Tally,
    pub hit_rate: Option<HitRate>,
}

pub async fn summaries(db: &Database, as_of: &str) -> Result<Vec<ExpertSummary>, sqlx::Error> {
    let mut tallies = experts::tallies(db, as_of).await?;
    Ok(experts::all(db)
        .await?
        .into_iter()
        .map(|expert| {
            let tally = tallies.remove(&expert.id).unwrap_or_default();
            ExpertSummary {
                hit_rate: tally.hit_rate(),
                expert,
                tally,
            }
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "experts.html")]
struct ExpertsPage {
    experts: Vec<ExpertSummary>,
}

async fn list(State(state): State<AppState>) -> Result<ExpertsPage, AppError> {
    Ok(ExpertsPage {
        experts: summaries(&state.db, END_OF_TIME).await?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "expert.html")]
struct ExpertPage {
    expert: ExpertRow,
    tally: Tally,
    hit_rate: Option<HitRate>,
    predictions: Vec<PredictionRow>,
}

/// Every prediction of one expert is shown on their page; this bounds a pathological archive.
const MAX_PREDICTIONS_SHOWN: i64 = 2000;

async fn scorecard(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<ExpertPage, AppError> {
    let db = &state.db;
    let expert = experts::by_slug(db, &slug).await?.ok_or_else(|| {
        AppError::not_found("Expert", format!("No expert has the address \u{201c}{slug}\u{201d}. The list of experts has everyone Hindsight scores, under every spelling of their name."))
    })?;
    let filter = PredictionFilter {
        expert_id: Some(expert.id),
        ..PredictionFilter::default()
    };
    let predictions = predictions::list(
        db,
        &filter,
        END_OF_TIME,
        Order::SaidDescending,
        MAX_PREDICTIONS_SHOWN,
        0,
    )
    .await?;
    let tally = Tally::from_verdicts(predictions.iter().map(PredictionRow::verdict));
    Ok(ExpertPage {
        hit_rate: tally.hit_rate(),
        expert,
        tally,
        predictions,
    })
}

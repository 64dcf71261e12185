use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::filters;
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::sources::SourceRow;
use crate::db::{END_OF_TIME, predictions, sources};
use crate::web::path::{Numbered, SourceNumber};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/sources/{id}", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "source.html")]
struct SourcePage {
    source: SourceRow,
    predictions: Vec<PredictionRow>,
}

const MAX_PREDICTIONS_SHOWN: i64 = 5000;

async fn show(
    State(state): State<AppState>,
    Numbered(id, _): Numbered<SourceNumber>,
) -> Result<SourcePage, AppError> {
    let db = &state.db;
    let source = sources::by_id(db, id).await?.ok_or_else(|| {
        AppError::not_found("Source", format!("There is no source number {id}. Every prediction links to the source it was published in."))
    })?;
    let filter = PredictionFilter {
        source_id: Some(id),
        ..PredictionFilter::default()
    };
    let predictions = predictions::list(
        db,
        &filter,
        END_OF_TIME,
        Order::ByExpert,
        MAX_PREDICTIONS_SHOWN,
        0,
    )
    .await?;
    Ok(SourcePage {
        source,
        predictions,
    })
}

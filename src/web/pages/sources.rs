use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;

use super::{PredictionsOn, filters, predictions_on};
use crate::db::predictions::PredictionRow;
use crate::db::sources;
use crate::db::sources::SourceRow;
use crate::domain::dates::AsOf;
use crate::web::path::Lookup;
use crate::web::path::SourceNumber;
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

async fn show(number: Lookup<SourceNumber>) -> Result<SourcePage, AppError> {
    let (db, id) = (&number.db, number.id);
    let source = sources::by_id(db, id).await?.ok_or_else(|| {
        AppError::not_found("Source", format!("There is no source number {id}. Every prediction links to the source it was published in."))
    })?;
    let predictions = predictions_on(db, PredictionsOn::Source(id), AsOf::Live).await?;
    Ok(SourcePage {
        source,
        predictions,
    })
}

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;

use super::{PredictionsOn, filters, predictions_on};
use crate::db::predictions::PredictionRow;
use crate::db::propositions;
use crate::db::propositions::PropositionRow;
use crate::db::resolutions::ResolutionRow;
use crate::domain::Tally;
use crate::domain::dates::AsOf;
use crate::web::path::Lookup;
use crate::web::path::PropositionNumber;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/propositions/{id}", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "proposition.html")]
struct PropositionPage {
    proposition: PropositionRow,
    predictions: Vec<PredictionRow>,
    tally: Tally,
    history: Vec<ResolutionRow>,
}

async fn show(number: Lookup<PropositionNumber>) -> Result<PropositionPage, AppError> {
    let (db, id) = (&number.db, number.id);
    let proposition = propositions::by_id(db, id).await?.ok_or_else(|| {
        AppError::not_found(
            "Proposition",
            format!(
                "There is no proposition number {id}. Each event's page lists its propositions."
            ),
        )
    })?;
    let predictions = predictions_on(db, PredictionsOn::Proposition(id), AsOf::Live).await?;
    let tally = Tally::from_verdicts(predictions.iter().map(PredictionRow::verdict));
    let history = crate::db::resolutions::history(db, id).await?;
    Ok(PropositionPage {
        proposition,
        predictions,
        tally,
        history,
    })
}

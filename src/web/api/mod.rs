//! The JSON API under /api/v1/: the same data as the pages, from the same queries, paginated,
//! with an OpenAPI document generated from this code at /api/openapi.json.

mod extract;
mod requests;
mod types;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::db::predictions::Order;
use crate::db::{events, experts, predictions, propositions, resolutions, sources};
use crate::domain::dates::AsOf;
use crate::web::extract::Query;
use crate::web::pages::experts::{expert_scorecard, find_expert, find_expert_as_of};
use crate::web::pages::predictions::{FilterQuery, count_cap, parse_filter};
use crate::web::paging::{Paging, PerPageQuery};
use crate::web::path::Lookup;
use crate::web::path::{PropositionNumber, SourceNumber};
use crate::web::query::AsOfQuery;
use crate::web::{AppError, AppState};
pub use requests::Listing;
pub use types::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/experts", get(list_experts))
        .route("/api/v1/experts/{slug}", get(get_expert))
        .route("/api/v1/experts/{slug}/scorecard", get(get_scorecard))
        .route("/api/v1/sources", get(list_sources))
        .route("/api/v1/sources/{id}", get(get_source))
        .route("/api/v1/events", get(list_events))
        .route("/api/v1/events/{slug}", get(get_event))
        .route("/api/v1/propositions", get(list_propositions))
        .route("/api/v1/propositions/{id}", get(get_proposition))
        .route("/api/v1/predictions", get(list_predictions))
        .route("/api/v1/resolutions", get(list_resolutions))
        .merge(extract::router())
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hindsight API",
        version = "1",
        description = "Expert predictions quoted in the news, their outcomes, and who was right. Reading needs no account; POST /api/v1/extract is for signed-in analysts."
    ),
    paths(
        list_experts,
        get_expert,
        get_scorecard,
        list_sources,
        get_source,
        list_events,
        get_event,
        list_propositions,
        get_proposition,
        list_predictions,
        list_resolutions,
        extract::extract
    ),
    components(schemas(
        Expert,
        Source,
        Event,
        Proposition,
        Resolution,
        Prediction,
        ScorecardJson,
        HitRate,
        CalibrationBin,
        Decomposition,
        TimePoint,
        ApiError,
        extract::ExtractRequest,
        extract::ExtractResponse,
        crate::extract::Candidate,
        crate::extract::PropositionSuggestion,
        crate::extract::SpeakerKind,
        crate::extract::Attribution
    ))
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    match ApiDoc::openapi().to_pretty_json() {
        Ok(text) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response(),
        Err(e) => ApiFailure(AppError::internal(e)).into_response(),
    }
}

/// An `AppError` answered as JSON rather than as a page.
pub struct ApiFailure(AppError);

impl From<AppError> for ApiFailure {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<sqlx::Error> for ApiFailure {
    fn from(e: sqlx::Error) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let (status, error, parameter) = match self.0 {
            AppError::NotFound { what, hint } => (
                StatusCode::NOT_FOUND,
                format!("{what} not found. {hint}"),
                None,
            ),
            AppError::BadParameter { parameter, message } => {
                (StatusCode::BAD_REQUEST, message, Some(parameter))
            }
            AppError::Forbidden(message) => (StatusCode::FORBIDDEN, message, None),
            AppError::TooLarge(message) => (StatusCode::PAYLOAD_TOO_LARGE, message, None),
            AppError::TwoFactorRequired => (
                StatusCode::FORBIDDEN,
                "Turn on two-factor sign-in at /account/two-factor first.".into(),
                None,
            ),
            AppError::SignInRequired { .. } => {
                (StatusCode::UNAUTHORIZED, "Sign in first.".into(), None)
            }
            AppError::Busy => {
                let mut response = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(ApiError {
                        error: "The server is busy; try again in a few seconds.".into(),
                        parameter: None,
                    }),
                )
                    .into_response();
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("5"),
                );
                return response;
            }
            AppError::Internal(detail) => {
                tracing::error!(detail = %format!("{detail:#}"), "API request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side; it has been logged.".into(),
                    None,
                )
            }
        };
        (status, Json(ApiError { error, parameter })).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiFailure>;

/// Every expert, by name.
#[utoipa::path(get, path = "/api/v1/experts", params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = Page<Expert>), (status = 400, body = ApiError)))]
async fn list_experts(list: Listing) -> ApiResult<Page<Expert>> {
    let db = &list.db;
    let rows = experts::page(db, list.limit(), list.offset());
    list.of(rows, experts::count(db)).await
}

#[utoipa::path(get, path = "/api/v1/experts/{slug}", params(("slug" = String, Path)), responses((status = 200, body = Expert), (status = 404, body = ApiError)))]
async fn get_expert(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Expert> {
    Ok(Json(find_expert(&state.db, &slug).await?.into()))
}

/// An expert's scorecard, live or as of a moment (RFC 3339 or YYYY-MM-DD).
#[utoipa::path(get, path = "/api/v1/experts/{slug}/scorecard", params(("slug" = String, Path), ("as_of" = Option<String>, Query)),
    responses((status = 200, body = ScorecardJson), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
async fn get_scorecard(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(AsOfQuery { as_of }): Query<AsOfQuery>,
) -> ApiResult<ScorecardJson> {
    let expert = find_expert_as_of(&state.db, &slug, as_of).await?;
    let (card, _) = expert_scorecard(&state.db, &expert, as_of).await?;
    let moment = as_of.is_pinned().then(|| as_of.param());
    Ok(Json(ScorecardJson::new(
        expert.slug.to_string(),
        moment,
        card,
    )))
}

#[utoipa::path(get, path = "/api/v1/sources", params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)), responses((status = 200, body = Page<Source>)))]
async fn list_sources(list: Listing) -> ApiResult<Page<Source>> {
    let db = &list.db;
    let rows = sources::page(db, list.limit(), list.offset());
    list.of(rows, sources::count(db)).await
}

#[utoipa::path(get, path = "/api/v1/sources/{id}", params(("id" = i64, Path)), responses((status = 200, body = Source), (status = 404, body = ApiError)))]
async fn get_source(source: Lookup<SourceNumber>) -> ApiResult<Source> {
    let row = sources::by_id(&source.db, source.id).await?;
    Ok(Json(source.found(row)?.into()))
}

#[utoipa::path(get, path = "/api/v1/events", params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)), responses((status = 200, body = Page<Event>)))]
async fn list_events(list: Listing) -> ApiResult<Page<Event>> {
    let db = &list.db;
    let rows = events::page(db, AsOf::Live, list.limit(), list.offset());
    list.of(rows, events::count(db)).await
}

#[utoipa::path(get, path = "/api/v1/events/{slug}", params(("slug" = String, Path)), responses((status = 200, body = Event), (status = 404, body = ApiError)))]
async fn get_event(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Event> {
    let event = events::by_slug(&state.db, &slug, AsOf::Live)
        .await?
        .ok_or_else(|| AppError::not_found("Event", format!("No event has the slug {slug}.")))?;
    Ok(Json(event.into()))
}

#[utoipa::path(get, path = "/api/v1/propositions", params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)), responses((status = 200, body = Page<Proposition>)))]
async fn list_propositions(list: Listing) -> ApiResult<Page<Proposition>> {
    let db = &list.db;
    let rows = async {
        let rows = propositions::page(db, AsOf::Live, list.limit(), list.offset()).await?;
        Ok(rows
            .into_iter()
            .map(|p| Proposition::new(p, None))
            .collect())
    };
    list.of(rows, propositions::count(db)).await
}

/// A proposition with its current outcome and every resolution, newest first.
#[utoipa::path(get, path = "/api/v1/propositions/{id}", params(("id" = i64, Path)), responses((status = 200, body = Proposition), (status = 404, body = ApiError)))]
async fn get_proposition(proposition: Lookup<PropositionNumber>) -> ApiResult<Proposition> {
    let (db, id) = (&proposition.db, proposition.id);
    let row = proposition.found(propositions::by_id(db, id).await?)?;
    let history = resolutions::history(db, id).await?;
    let history = history.into_iter().map(Resolution::from).collect();
    Ok(Json(Proposition::new(row, Some(history))))
}

/// Predictions, filtered as on /predictions; with `q`, best match first.
#[utoipa::path(get, path = "/api/v1/predictions",
    params(("expert" = Option<String>, Query), ("event" = Option<String>, Query), ("status" = Option<String>, Query, description = "right, wrong, no_call, pending or annulled"),
           ("outlet" = Option<String>, Query), ("q" = Option<String>, Query, description = "words to search for"), ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = Page<Prediction>), (status = 400, body = ApiError)))]
async fn list_predictions(
    State(state): State<AppState>,
    Query(query): Query<PerPageQuery>,
    Query(chosen): Query<FilterQuery>,
) -> ApiResult<Page<Prediction>> {
    let db = &state.db;
    let paging = Paging::within(query.page, query.per_page(), chosen.deepest())?;
    let (filter, _) = parse_filter(db, chosen).await?;
    let rows = predictions::list(
        db,
        &filter,
        AsOf::Live,
        Order::Relevance,
        paging.limit(),
        paging.offset(),
    )
    .await?;
    let cap = count_cap(paging.offset(), paging.limit());
    let counted = predictions::count_up_to(db, &filter, AsOf::Live, cap).await?;
    Ok(Json(Page {
        more: counted > cap,
        ..paging.of(rows, counted.min(cap))
    }))
}

/// Every resolution ever recorded, corrections included, newest first.
#[utoipa::path(get, path = "/api/v1/resolutions", params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)), responses((status = 200, body = Page<Resolution>)))]
async fn list_resolutions(list: Listing) -> ApiResult<Page<Resolution>> {
    let db = &list.db;
    let rows = resolutions::page(db, list.limit(), list.offset());
    list.of(rows, resolutions::count(db)).await
}

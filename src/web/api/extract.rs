//! POST /api/v1/extract: the candidate predictions in an article, for analysts' own tools.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ApiFailure, ApiResult};
use crate::extract::Candidate;
use crate::extract::input::{self, InputError, MAX_ARTICLE_BYTES};
use crate::extraction::propose;
use crate::web::auth::SignedIn;
use crate::web::{AppError, AppState};

/// The JSON wrapping around the article's text.
const JSON_ENVELOPE_BYTES: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/v1/extract",
        post(extract).layer(DefaultBodyLimit::max(
            MAX_ARTICLE_BYTES + JSON_ENVELOPE_BYTES,
        )),
    )
}

/// An article to read: its text, and optionally the file name it came in (".html" is read for
/// its main text; otherwise plain text or Markdown).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    pub text: String,
    #[serde(default)]
    pub file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ExtractResponse {
    pub candidates: Vec<Candidate>,
}

/// The candidate predictions in an article (analysts only: sign in first; the session cookie
/// is the credential). The body is JSON (`{"text": "...", "file_name": "article.html"}`) or the
/// article itself as text/plain, text/markdown or text/html. `quote` is an exact substring of
/// the text read, at byte offsets `start`..`end`. Nothing is written.
#[utoipa::path(post, path = "/api/v1/extract", request_body = ExtractRequest,
    responses((status = 200, body = ExtractResponse), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 413, body = ApiError)))]
async fn extract(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, AppError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<ExtractResponse> {
    signed_in?;
    let body = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(InputError::TooLarge.to_string())
        } else {
            AppError::bad_parameter("body", rejection.body_text())
        }
    })?;
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (bytes, name) = if content_type.starts_with("application/json") {
        let request: ExtractRequest = serde_json::from_slice(&body).map_err(|e| {
            AppError::bad_parameter("body", format!("The body is not the JSON this takes: {e}"))
        })?;
        (
            request.text.into_bytes(),
            request.file_name.unwrap_or_default(),
        )
    } else if content_type.starts_with("text/html") {
        (body.to_vec(), "article.html".to_string())
    } else {
        (body.to_vec(), String::new())
    };
    let article = input::read(&bytes, &name).map_err(refused)?;
    let knowledge = state.knowledge.get(&state.db).await?;
    let candidates = propose(&state.db, &knowledge, &article.text).await?;
    Ok(Json(ExtractResponse { candidates }))
}

fn refused(error: InputError) -> ApiFailure {
    match error {
        InputError::TooLarge => AppError::TooLarge(error.to_string()).into(),
        _ => AppError::bad_parameter("text", error.to_string()).into(),
    }
}

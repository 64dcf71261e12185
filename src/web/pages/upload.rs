//! /import: an analyst uploads a JSON or CSV file, sees what it would change (or every problem
//! in it, by line and field), and then imports it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::filters;
use crate::db::dataset::{ApplyError, ImportReport, import_bytes};
use crate::db::drafts;
use crate::import::{Format, ImportErrors, ImportIssue};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::path::{Numbered, UploadNumber};
use crate::web::{AppError, AppState};

/// The largest file the upload page takes; the shell command takes any size.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;
/// Problems listed on the page; the count says how many more there are.
const MAX_ISSUES_SHOWN: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/import",
            get(form)
                .post(preview)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/import/{draft}", post(commit))
        .route("/export.json", get(export_json))
        .route("/export.csv", get(export_csv))
}

fn download(content_type: &'static str, name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// Everything, with the full history of outcomes, as the JSON data set `hindsight import` reads.
async fn export_json(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
) -> Result<Response, AppError> {
    let file = crate::db::export::export(&state.db).await?;
    let text = serde_json::to_string_pretty(&file).map_err(AppError::internal)?;
    Ok(download("application/json", "hindsight-export.json", text))
}

/// Every prediction a row, then every outcome a row, as the CSV `hindsight import` reads.
async fn export_csv(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
) -> Result<Response, AppError> {
    let file = crate::db::export::export(&state.db).await?;
    let text = crate::import::csv::write(&file).map_err(AppError::internal)?;
    Ok(download(
        "text/csv; charset=utf-8",
        "hindsight-export.csv",
        text,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "upload.html")]
struct UploadPage {
    me: Analyst,
    file_name: String,
    report: Option<ImportReport>,
    issues: Vec<ImportIssue>,
    more_issues: usize,
    draft: Option<i64>,
    done: bool,
    message: String,
}

impl UploadPage {
    fn empty(me: Analyst) -> Self {
        Self {
            me,
            file_name: String::new(),
            report: None,
            issues: Vec::new(),
            more_issues: 0,
            draft: None,
            done: false,
            message: String::new(),
        }
    }
}

async fn form(SignedIn(me): SignedIn) -> UploadPage {
    UploadPage::empty(me)
}

async fn preview(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut page = UploadPage::empty(me);
    let mut upload = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes)),
                    Err(e) => page.message = format!("The file could not be received: {e}"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                page.message = format!("The upload could not be read: {e}");
                break;
            }
        }
    }
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        if page.message.is_empty() {
            page.message = "Choose a JSON or CSV file to check.".into();
        }
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let format = Format::guess(&name, &bytes);
    page.file_name = name.clone();
    match import_bytes(&state.db, &bytes, format, true, Some(page.me.id)).await {
        Ok(report) => {
            page.draft = Some(drafts::save(&state.db, page.me.id, &name, format, &bytes).await?);
            page.report = Some(report);
            Ok(page.into_response())
        }
        Err(ApplyError::Invalid(errors)) => Ok(refused(page, errors)),
        Err(other) => Err(other.into()),
    }
}

/// The page again with the file's problems (the first `MAX_ISSUES_SHOWN` of them).
fn refused(mut page: UploadPage, errors: ImportErrors) -> Response {
    page.more_issues = errors.0.len().saturating_sub(MAX_ISSUES_SHOWN);
    page.issues = errors.0.into_iter().take(MAX_ISSUES_SHOWN).collect();
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

async fn commit(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<UploadNumber>,
) -> Result<Response, AppError> {
    let (name, format, bytes) = drafts::take(&state.db, id, me.id).await?.ok_or_else(|| {
        AppError::not_found(
            "Upload",
            "This upload was imported already, has expired (uploads are kept a day), or is not yours. Upload the file again.",
        )
    })?;
    let mut page = UploadPage::empty(me);
    page.file_name = name;
    // Checked again: the database may have changed since the preview.
    match import_bytes(&state.db, &bytes, format, false, Some(page.me.id)).await {
        Ok(report) => {
            drafts::mark_used(&state.db, id).await?;
            page.report = Some(report);
            page.done = true;
            Ok(page.into_response())
        }
        Err(ApplyError::Invalid(errors)) => Ok(refused(page, errors)),
        Err(other) => Err(other.into()),
    }
}

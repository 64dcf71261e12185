//! /extract: an analyst pastes or uploads an article, the reader proposes its predictions, and
//! the analyst reviews them on one page (accept, edit or reject each), saves and resumes, and
//! commits the accepted ones through the import pipeline in one transaction.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::filters;
use crate::db::events;
use crate::db::extraction::{self as store, ReviewListing};
use crate::extract::input::{self, InputError, MAX_ARTICLE_BYTES};
use crate::extraction::new_review;
use crate::extraction::review::ArticleDetails;
use crate::web::auth::{Analyst, SignedIn};
use crate::web::{AppError, AppState, CHOICES_LISTED};

/// A review form carries every candidate's fields: far more than the usual form, still far
/// less than the article it came from.
const REVIEW_FORM_BYTES: usize = 4 * 1024 * 1024;
/// The paste or upload, plus the article's details around it.
const ARTICLE_FORM_BYTES: usize = MAX_ARTICLE_BYTES + 64 * 1024;
/// Open reviews listed on /extract.
const OPEN_REVIEWS_LISTED: i64 = 50;

mod review;

use review::{show, update};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/extract",
            get(start)
                .post(read_article)
                .layer(DefaultBodyLimit::max(ARTICLE_FORM_BYTES)),
        )
        .route(
            "/extract/{id}",
            get(show)
                .post(update)
                .layer(DefaultBodyLimit::max(REVIEW_FORM_BYTES)),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "extract.html")]
struct StartPage {
    me: Analyst,
    article: ArticleDetails,
    text: String,
    message: String,
    events: Option<Vec<(String, String)>>,
    open: Vec<ReviewListing>,
}

async fn start_page(
    state: &AppState,
    me: Analyst,
    article: ArticleDetails,
    text: String,
    message: String,
) -> Result<StartPage, AppError> {
    Ok(StartPage {
        open: store::open_reviews(&state.db, me.id, OPEN_REVIEWS_LISTED).await?,
        events: events::choices_up_to(&state.db, CHOICES_LISTED).await?,
        me,
        article,
        text,
        message,
    })
}

async fn start(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<StartPage, AppError> {
    start_page(
        &state,
        me,
        ArticleDetails::default(),
        String::new(),
        String::new(),
    )
    .await
}

/// What the start form sent.
#[derive(Default)]
struct ArticleForm {
    article: ArticleDetails,
    text: String,
    file: Option<(String, Vec<u8>)>,
}

/// Reads the start form; an upload too large for the form is `Err(413)`.
async fn read_form(multipart: &mut Multipart) -> Result<ArticleForm, (StatusCode, String)> {
    let mut form = ArticleForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(form),
            Err(e) => return Err((e.status(), refusal(e.status(), &e.body_text()))),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes.to_vec(),
            Err(e) => return Err((e.status(), refusal(e.status(), &e.body_text()))),
        };
        if name == "file" {
            if !bytes.is_empty() {
                form.file = Some((file_name.unwrap_or_default(), bytes));
            }
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        let article = &mut form.article;
        match name.as_str() {
            "text" => form.text = text,
            "title" => article.title = text,
            "outlet" => article.outlet = text,
            "url" => article.url = text,
            "published_on" => article.published_on = text,
            "event" => article.event = text,
            "decidable_by" => article.decidable_by = text,
            _ => {}
        }
    }
}

fn refusal(status: StatusCode, detail: &str) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        InputError::TooLarge.to_string()
    } else {
        format!("The form could not be read: {detail}")
    }
}

async fn read_article(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let form = match read_form(&mut multipart).await {
        Ok(form) => form,
        Err((status, message)) => {
            let page = start_page(
                &state,
                me,
                ArticleDetails::default(),
                String::new(),
                message,
            );
            return Ok((status, page.await?).into_response());
        }
    };
    let read = match &form.file {
        Some((name, bytes)) => input::read(bytes, name),
        None => input::read(form.text.as_bytes(), ""),
    };
    let article_input = match read {
        Ok(article_input) => article_input,
        Err(error) => {
            let status = if error == InputError::TooLarge {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let text = if form.text.len() <= MAX_ARTICLE_BYTES {
                form.text
            } else {
                String::new()
            };
            let page = start_page(&state, me, form.article, text, error.to_string()).await?;
            return Ok((status, page).into_response());
        }
    };
    let mut article = form.article;
    if article.title.is_empty() {
        article.title = article_input.title.clone().unwrap_or_default();
    }
    let knowledge = state.knowledge.get(&state.db).await?;
    let review = new_review(&state.db, &knowledge, &article_input.text, article).await?;
    if review.items.is_empty() {
        let message = "The reader found no forecasts in this text: no sentence says what someone expects to happen. Nothing was kept.".to_string();
        let page = start_page(&state, me, review.article, article_input.text, message).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let title = review_title(&review.article, &article_input.text);
    let json = serde_json::to_string(&review).map_err(AppError::internal)?;
    let id = store::create_review(&state.db, me.id, &title, &article_input.text, &json).await?;
    Ok(Redirect::to(&format!("/extract/{id}")).into_response())
}

/// The article's title, or its first line, for the list of reviews.
fn review_title(article: &ArticleDetails, text: &str) -> String {
    let title = if article.title.is_empty() {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("Untitled article")
    } else {
        article.title.as_str()
    };
    title.chars().take(200).collect()
}

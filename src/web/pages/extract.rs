//! /extract: an analyst pastes or uploads an article, the reader proposes its predictions, and
//! the analyst reviews them on one page (accept, edit or reject each), saves and resumes, and
//! commits the accepted ones through the import pipeline in one transaction.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::filters;
use crate::db::extraction::{self as store, ReviewListing, ReviewRow, Saved};
use crate::db::{entry, events};
use crate::extract::input::{self, InputError, MAX_ARTICLE_BYTES};
use crate::extraction::commit::{CommitError, Problem, commit};
use crate::extraction::new_review;
use crate::extraction::review::{ArticleDetails, NEW, ReviewItem, ReviewState};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState, CHOICES_LISTED};

/// A review form carries every candidate's fields: far more than the usual form, still far
/// less than the article it came from.
const REVIEW_FORM_BYTES: usize = 4 * 1024 * 1024;
/// The paste or upload, plus the article's details around it.
const ARTICLE_FORM_BYTES: usize = MAX_ARTICLE_BYTES + 64 * 1024;
/// Open reviews listed on /extract.
const OPEN_REVIEWS_LISTED: i64 = 50;

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
    let json = serde_json::to_string(&review).map_err(|e| AppError::Internal(e.to_string()))?;
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

/// One candidate as the review page draws it.
struct ItemView {
    index: usize,
    item: ReviewItem,
    /// The sentence around the quote, and the quote itself, for the context line.
    before: String,
    quoted: String,
    after: String,
}

impl ItemView {
    fn new(index: usize, item: &ReviewItem) -> Self {
        let (before, quoted, after) = match item.sentence.find(&item.quote) {
            Some(at) if !item.quote.is_empty() => (
                item.sentence[..at].to_string(),
                item.quote.clone(),
                item.sentence[at + item.quote.len()..].to_string(),
            ),
            _ => (item.sentence.clone(), String::new(), String::new()),
        };
        Self {
            index,
            item: item.clone(),
            before,
            quoted,
            after,
        }
    }

    fn field(&self, name: &str) -> String {
        format!("c{}.{name}", self.index)
    }

    fn id(&self, name: &str) -> String {
        format!("c{}-{name}", self.index)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "extract_review.html")]
struct ReviewPage {
    me: Analyst,
    id: i64,
    revision: i64,
    article: ArticleDetails,
    items: Vec<ItemView>,
    errors: FieldErrors,
    /// Problems with the review as a whole, or the count of field problems below.
    summary: Vec<String>,
    events: Option<Vec<(String, String)>>,
    scale_terms: Vec<(String, String)>,
    updated_at: String,
    committed_at: Option<String>,
    discarded_at: Option<String>,
    undecided: usize,
    accepted: usize,
    /// The choice value meaning "a new one".
    new: &'static str,
}

impl ReviewPage {
    fn error_of(&self, index: &usize, field: &str) -> &str {
        self.errors.of(&format!("c{index}.{field}"))
    }

    fn is_committed(&self) -> bool {
        self.committed_at.is_some()
    }
}

async fn review_page(
    state: &AppState,
    me: Analyst,
    row: &ReviewRow,
    review: &ReviewState,
) -> Result<ReviewPage, AppError> {
    let scale_terms = entry::scale_terms(&state.db)
        .await?
        .into_iter()
        .map(|t| {
            (
                format!("{}|{}", t.scale_slug, t.term),
                format!(
                    "{}: {} ({})",
                    t.scale_name,
                    t.term,
                    crate::extraction::review::percent(t.probability)
                ),
            )
        })
        .collect();
    Ok(ReviewPage {
        me,
        id: row.id,
        revision: row.revision,
        article: review.article.clone(),
        items: review
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| ItemView::new(i, item))
            .collect(),
        errors: FieldErrors::default(),
        summary: Vec::new(),
        events: events::choices_up_to(&state.db, CHOICES_LISTED).await?,
        scale_terms,
        updated_at: row.updated_at.clone(),
        committed_at: row.committed_at.clone(),
        discarded_at: row.discarded_at.clone(),
        undecided: review.undecided(),
        accepted: review.accepted().count(),
        new: NEW,
    })
}

fn review_id(raw: &str) -> Result<i64, AppError> {
    super::path_id(raw, "Review")
}

async fn load(
    state: &AppState,
    me: &Analyst,
    raw_id: &str,
) -> Result<(ReviewRow, ReviewState), AppError> {
    let id = review_id(raw_id)?;
    let row = store::review(&state.db, id, me.id).await?.ok_or_else(|| {
        AppError::not_found(
            "Review",
            "No review of yours has this number; your open reviews are listed on /extract.",
        )
    })?;
    let review: ReviewState = serde_json::from_str(&row.state)
        .map_err(|e| AppError::Internal(format!("review {id} cannot be read: {e}")))?;
    Ok((row, review))
}

async fn show(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw_id): Path<String>,
) -> Result<ReviewPage, AppError> {
    let (row, review) = load(&state, &me, &raw_id).await?;
    review_page(&state, me, &row, &review).await
}

/// The review moved on since the form was drawn: nothing is written, and the analyst is sent
/// to the review as it is now.
async fn stale(state: &AppState, me: Analyst, raw_id: &str) -> Result<Response, AppError> {
    let (row, review) = load(state, &me, raw_id).await?;
    let mut page = review_page(state, me, &row, &review).await?;
    page.summary.push(if row.committed_at.is_some() {
        "This review was committed already; nothing more was written.".to_string()
    } else {
        "This review changed since you opened it (it was saved in another window). Nothing was written; this is the review as it is now: make your changes again.".to_string()
    });
    Ok((StatusCode::CONFLICT, page).into_response())
}

async fn update(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw_id): Path<String>,
    body: String,
) -> Result<Response, AppError> {
    let posted: Vec<(String, String)> = serde_urlencoded::from_str(&body)
        .map_err(|_| AppError::bad_parameter("form", "The form could not be read."))?;
    let value = |name: &str| {
        posted
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (row, mut review) = load(&state, &me, &raw_id).await?;
    let revision = value("revision").and_then(|r| r.trim().parse::<i64>().ok());
    if revision != Some(row.revision) || row.committed_at.is_some() || row.discarded_at.is_some() {
        return stale(&state, me, &raw_id).await;
    }
    review.apply_form(&value);
    let json = serde_json::to_string(&review).map_err(|e| AppError::Internal(e.to_string()))?;
    let here = format!("/extract/{}", row.id);
    match value("action").as_deref().unwrap_or("save") {
        "discard" => {
            if store::close_review(&state.db, row.id, me.id, row.revision, &json, false).await?
                == Saved::Stale
            {
                return stale(&state, me, &raw_id).await;
            }
            Ok(Redirect::to("/extract").into_response())
        }
        "commit" => commit_review(&state, me, &row, review).await,
        _ => {
            if store::save_review(&state.db, row.id, me.id, row.revision, &json).await?
                == Saved::Stale
            {
                return stale(&state, me, &raw_id).await;
            }
            Ok(Redirect::to(&format!("{here}#saved")).into_response())
        }
    }
}

async fn commit_review(
    state: &AppState,
    me: Analyst,
    row: &ReviewRow,
    mut review: ReviewState,
) -> Result<Response, AppError> {
    match commit(&state.db, &mut review, me.id).await {
        Ok(_) => {
            let json =
                serde_json::to_string(&review).map_err(|e| AppError::Internal(e.to_string()))?;
            // The records are written; a review that another window moved on meanwhile stays
            // open, and committing it again finds every record already there.
            store::close_review(&state.db, row.id, me.id, row.revision, &json, true).await?;
            Ok(Redirect::to(&format!("/extract/{}", row.id)).into_response())
        }
        Err(CommitError::Problems(problems)) => {
            let mut page = review_page(state, me, row, &review).await?;
            refused(&mut page, problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(CommitError::Database(e)) => Err(e.into()),
        Err(CommitError::Import(e)) => Err(AppError::Internal(e.to_string())),
    }
}

/// Puts each problem beside its field, and a summary on top.
fn refused(page: &mut ReviewPage, problems: Vec<Problem>) {
    let count = problems.len();
    for problem in problems {
        match problem.item {
            Some(index) => page
                .errors
                .add(format!("c{index}.{}", problem.field), problem.message),
            None if problem.field == "items" => page.summary.push(problem.message),
            None => page.errors.add(problem.field, problem.message),
        }
    }
    page.summary.insert(
        0,
        format!(
            "Nothing was written. {} to correct, marked below.",
            if count == 1 {
                "One problem".to_string()
            } else {
                format!("{count} problems")
            }
        ),
    );
}

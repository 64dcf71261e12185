//! The review page of one article: every candidate with its decision and edits, saved and
//! resumed, and committed in one go; a stale form or a bad field writes nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::filters;
use crate::db::events;
use crate::db::extraction::{self as store, ReviewRow, Saved};
use crate::extraction::commit::{CommitError, Problem, commit};
use crate::extraction::review::{ArticleDetails, NEW, ReviewItem, ReviewState};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::path::{Numbered, ReviewNumber};
use crate::web::{AppError, AppState, CHOICES_LISTED};

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
pub(super) struct ReviewPage {
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
    let scale_terms = crate::web::pages::scale_term_choices(&state.db, |t| {
        let percent = crate::extraction::review::percent(t.probability);
        format!("{}: {} ({percent})", t.scale_name, t.term)
    })
    .await?;
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

async fn load(
    state: &AppState,
    me: &Analyst,
    id: i64,
) -> Result<(ReviewRow, ReviewState), AppError> {
    let row = store::review(&state.db, id, me.id).await?.ok_or_else(|| {
        AppError::not_found(
            "Review",
            "No review of yours has this number; your open reviews are listed on /extract.",
        )
    })?;
    let review: ReviewState = serde_json::from_str(&row.state)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("review {id} cannot be read: {e}")))?;
    Ok((row, review))
}

pub(super) async fn show(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<ReviewNumber>,
) -> Result<ReviewPage, AppError> {
    let (row, review) = load(&state, &me, id).await?;
    review_page(&state, me, &row, &review).await
}

/// The review moved on since the form was drawn: nothing is written, and the analyst is sent
/// to the review as it is now.
async fn stale(state: &AppState, me: Analyst, id: i64) -> Result<Response, AppError> {
    let (row, review) = load(state, &me, id).await?;
    let mut page = review_page(state, me, &row, &review).await?;
    page.summary.push(if row.committed_at.is_some() {
        "This review was committed already; nothing more was written.".to_string()
    } else {
        "This review changed since you opened it (it was saved in another window). Nothing was written; this is the review as it is now: make your changes again.".to_string()
    });
    Ok((StatusCode::CONFLICT, page).into_response())
}

pub(super) async fn update(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<ReviewNumber>,
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
    let (row, mut review) = load(&state, &me, id).await?;
    let revision = value("revision").and_then(|r| r.trim().parse::<i64>().ok());
    if revision != Some(row.revision) || row.committed_at.is_some() || row.discarded_at.is_some() {
        return stale(&state, me, id).await;
    }
    review.apply_form(&value);
    let json = serde_json::to_string(&review).map_err(AppError::internal)?;
    let here = format!("/extract/{}", row.id);
    match value("action").as_deref().unwrap_or("save") {
        "discard" => {
            if store::close_review(&state.db, row.id, me.id, row.revision, &json, false).await?
                == Saved::Stale
            {
                return stale(&state, me, id).await;
            }
            Ok(Redirect::to("/extract").into_response())
        }
        "commit" => commit_review(&state, me, &row, review).await,
        _ => {
            if store::save_review(&state.db, row.id, me.id, row.revision, &json).await?
                == Saved::Stale
            {
                return stale(&state, me, id).await;
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
            let json = serde_json::to_string(&review).map_err(AppError::internal)?;
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
        Err(CommitError::Import(e)) => Err(AppError::internal(e)),
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

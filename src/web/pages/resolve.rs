//! /propositions/{id}/resolve: the outcome form.

use crate::web::extract::Form;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::filters;
use crate::db::dataset::{ApplyError, Seen, apply_if_unchanged};
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::propositions::PropositionRow;
use crate::db::resolutions::ResolutionRow;
use crate::db::{predictions, propositions, resolutions};
use crate::domain::Outcome;
use crate::domain::dates::AsOf;
use crate::domain::dates::{format_date, format_moment, parse_date};
use crate::domain::text::required;
use crate::import::{self, DataSetFile, FORMAT_V1, ResolutionRecord};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::path::{Numbered, PropositionNumber};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/propositions/{id}/resolve", get(form).post(submit))
}

/// What the analyst typed, kept to show the form again.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResolveForm {
    outcome: String,
    decided_on: String,
    evidence_url: String,
    rationale: String,
    /// The id of the latest resolution when the form was opened, or empty.
    seen: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "resolve.html")]
struct ResolvePage {
    me: Analyst,
    proposition: PropositionRow,
    predictions: Vec<PredictionRow>,
    current: Option<ResolutionRow>,
    input: ResolveForm,
    errors: FieldErrors,
    /// Set when someone else recorded an outcome after the form was opened.
    conflict: Option<ResolutionRow>,
}

impl ResolvePage {
    fn outcomes(&self) -> [(&'static str, &'static str); 3] {
        [
            ("true", "True: it happened"),
            ("false", "False: it did not happen"),
            ("annulled", "Annulled: it cannot be decided (not scored)"),
        ]
    }
}

async fn find(state: &AppState, id: i64) -> Result<PropositionRow, AppError> {
    propositions::by_id(&state.db, id).await?.ok_or_else(|| {
        AppError::not_found(
            "Proposition",
            format!("There is no proposition number {id}."),
        )
    })
}

/// The form for proposition `id` as `me` sees it: blank but for today's date and the outcome it
/// is opened on, or with `input` as posted.
async fn page(
    state: &AppState,
    id: i64,
    me: Analyst,
    input: Option<ResolveForm>,
) -> Result<ResolvePage, AppError> {
    let proposition = find(state, id).await?;
    let filter = PredictionFilter {
        proposition_id: Some(id),
        ..PredictionFilter::default()
    };
    let predictions =
        predictions::list(&state.db, &filter, AsOf::Live, Order::ByExpert, 5000, 0).await?;
    let current = resolutions::history(&state.db, id)
        .await?
        .into_iter()
        .next();
    let input = input.unwrap_or_else(|| ResolveForm {
        seen: current
            .as_ref()
            .map(|r| r.id.to_string())
            .unwrap_or_default(),
        decided_on: format_date(chrono::Utc::now().date_naive()),
        ..ResolveForm::default()
    });
    Ok(ResolvePage {
        me,
        proposition,
        predictions,
        current,
        input,
        errors: FieldErrors::default(),
        conflict: None,
    })
}

async fn form(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PropositionNumber>,
) -> Result<ResolvePage, AppError> {
    page(&state, id, me, None).await
}

struct Checked {
    outcome: Outcome,
    decided_on: chrono::NaiveDate,
    evidence_url: String,
    rationale: String,
    seen: Option<i64>,
}

fn check(input: &ResolveForm) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::default();
    let outcome = Outcome::parse(&input.outcome);
    if outcome.is_none() {
        errors.add("outcome", "Choose true, false or annulled.");
    }
    let decided_on = parse_date(&input.decided_on);
    match decided_on {
        None => errors.add("decided_on", "Give the date it was decided as YYYY-MM-DD."),
        Some(date) if date > chrono::Utc::now().date_naive() => errors.add(
            "decided_on",
            "The date it was decided cannot be in the future.",
        ),
        Some(_) => {}
    }
    let evidence_url = input.evidence_url.trim();
    let link_ok = url::Url::parse(evidence_url)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        && evidence_url.len() <= 2000;
    if !link_ok {
        errors.add(
            "evidence_url",
            "Give a link (http or https) to the evidence: a report, a text, a record.",
        );
    }
    let rationale = input.rationale.trim();
    if required(rationale).is_none() {
        errors.add("rationale", "Say why: what the evidence shows, against the criteria. For a correction, say what changed.");
    } else if rationale.chars().count() > 5000 {
        errors.add("rationale", "Keep the rationale within 5,000 characters.");
    }
    let seen = match input.seen.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("seen", "The form was damaged in transit; open it again.");
                None
            }
        },
    };
    match (outcome, decided_on, errors.is_empty()) {
        (Some(outcome), Some(decided_on), true) => Ok(Checked {
            outcome,
            decided_on,
            evidence_url: evidence_url.to_string(),
            rationale: rationale.to_string(),
            seen,
        }),
        _ => Err(errors),
    }
}

/// Records the outcome, or shows the form again: with the messages of a field that cannot be
/// read, or with both versions when someone recorded an outcome after the form was opened. The
/// form's page (the predictions, the history) is only read when it is shown again.
async fn submit(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PropositionNumber>,
    Form(input): Form<ResolveForm>,
) -> Result<Response, AppError> {
    let proposition = find(&state, id).await?;
    let checked = match check(&input) {
        Ok(checked) => checked,
        Err(errors) => return shown_again(&state, id, me, input, Refused::Fields(errors)).await,
    };
    let seen = Seen::LatestOutcome {
        proposition_id: id,
        resolution_id: checked.seen,
    };
    let saved = match import::validate(&outcome_file(&proposition, &checked, &me)) {
        // Outcomes keep their own history (append-only, each naming the one it supersedes),
        // so the reason names the path, as every form's does.
        Ok(set) => apply_if_unchanged(&state.db, &set, me.id, "resolve", seen).await,
        Err(problems) => Err(ApplyError::Invalid(problems)),
    };
    match saved {
        // To the proposition's outcome as it now stands, at the top of its history.
        Ok(_) => Ok(Redirect::to(&format!("/propositions/{id}#outcome-heading")).into_response()),
        Err(ApplyError::Changed) => {
            let theirs = resolutions::history(&state.db, id)
                .await?
                .into_iter()
                .next();
            shown_again(&state, id, me, input, Refused::Changed(theirs)).await
        }
        Err(ApplyError::Invalid(problems)) => {
            let errors = FieldErrors::from_issues(&problems.0);
            shown_again(&state, id, me, input, Refused::Fields(errors)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Why an outcome was not recorded.
enum Refused {
    /// Fields that cannot be read, with their messages.
    Fields(FieldErrors),
    /// Someone recorded an outcome after the form was opened: theirs, now current.
    Changed(Option<ResolutionRow>),
}

/// The form again with `input` as posted: a 422 with the fields' messages, or a 409 showing
/// both versions. The form then knows of theirs, so saving again is a deliberate correction.
async fn shown_again(
    state: &AppState,
    id: i64,
    me: Analyst,
    input: ResolveForm,
    refused: Refused,
) -> Result<Response, AppError> {
    let mut page = page(state, id, me, Some(input)).await?;
    match refused {
        Refused::Fields(errors) => {
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Refused::Changed(theirs) => {
            page.input.seen = theirs
                .as_ref()
                .map(|r| r.id.to_string())
                .unwrap_or_default();
            page.current.clone_from(&theirs);
            page.conflict = theirs;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

/// The outcome as a one-record data set, recorded by `me` now: it is checked and written by
/// the import's own path, as every form's record is.
fn outcome_file(proposition: &PropositionRow, checked: &Checked, me: &Analyst) -> DataSetFile {
    DataSetFile {
        format: FORMAT_V1.to_string(),
        resolutions: vec![ResolutionRecord {
            proposition: proposition.slug.to_string(),
            outcome: checked.outcome.as_str().to_string(),
            decided_on: format_date(checked.decided_on),
            evidence_url: Some(checked.evidence_url.clone()),
            rationale: checked.rationale.clone(),
            recorded_by: me.username.clone(),
            recorded_at: format_moment(chrono::Utc::now()),
        }],
        ..DataSetFile::default()
    }
}

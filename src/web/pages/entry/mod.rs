//! Data entry for analysts: experts, sources, events, propositions and predictions. Each form
//! is turned into a one-record data set and written through the import path, so a form and a
//! file share one set of checks, one way of matching records, and one history.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

mod catalogue_forms;
mod expert_forms;
mod prediction_forms;
mod source_forms;

use super::filters;
use crate::db::dataset::{ApplyError, apply_with_reason};
use crate::db::entry::{self, Change};
use crate::db::{Database, END_OF_TIME, propositions};
use crate::domain::Slug;
use crate::import::{self, DataSetFile, FORMAT_V1};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/analyst", get(desk))
        .route(
            "/experts/new",
            get(expert_forms::new_expert).post(expert_forms::create_expert),
        )
        .route(
            "/experts/{slug}/edit",
            get(expert_forms::edit_expert).post(expert_forms::update_expert),
        )
        .route(
            "/experts/{slug}/retract",
            post(expert_forms::retract_expert),
        )
        .route(
            "/sources/new",
            get(source_forms::new_source).post(source_forms::create_source),
        )
        .route(
            "/events/new",
            get(catalogue_forms::new_event).post(catalogue_forms::create_event),
        )
        .route(
            "/events/{slug}/edit",
            get(catalogue_forms::edit_event).post(catalogue_forms::update_event),
        )
        .route(
            "/propositions/new",
            get(catalogue_forms::new_proposition).post(catalogue_forms::create_proposition),
        )
        .route(
            "/propositions/{id}/edit",
            get(catalogue_forms::edit_proposition).post(catalogue_forms::update_proposition),
        )
        .route(
            "/predictions/new",
            get(prediction_forms::new_prediction).post(prediction_forms::create_prediction),
        )
        .route(
            "/predictions/{id}/edit",
            get(prediction_forms::edit_prediction).post(prediction_forms::update_prediction),
        )
        .route(
            "/predictions/{id}/retract",
            post(prediction_forms::retract_prediction),
        )
}

/// One input of a form, described once and drawn by `entry.html`.
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: String,
    /// text, textarea, date, url, select, radio or checkboxes
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    /// (value, label) for select, radio and checkboxes.
    pub options: Vec<(String, String)>,
}

impl FormField {
    pub(super) fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            label,
            hint: String::new(),
            kind,
            value: String::new(),
            required: false,
            options: Vec::new(),
        }
    }
    /// A list of `choices`, or, when there are too many to list (`None`), a text field for the
    /// value itself, described by `typed`.
    pub(super) fn choice(
        name: &'static str,
        label: &'static str,
        choices: Option<Vec<(String, String)>>,
        listed: &str,
        typed: &str,
    ) -> Self {
        match choices {
            Some(options) => Self::new(name, label, "select")
                .options(options)
                .hint(listed),
            None => Self::new(name, label, "text").hint(typed),
        }
    }
    pub(super) fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub(super) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
    pub(super) fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }
    pub(super) fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }
    /// For checkboxes: whether `option` is among the chosen values.
    pub fn has(&self, option: &str) -> bool {
        self.value.split(',').any(|v| v == option)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "entry.html")]
pub(super) struct EntryPage {
    pub(super) me: Analyst,
    pub(super) heading: String,
    pub(super) intro: String,
    pub(super) action: String,
    pub(super) fields: Vec<FormField>,
    pub(super) errors: FieldErrors,
    pub(super) submit: &'static str,
    pub(super) cancel: String,
    /// (action, what) for a Retract form under the main one.
    pub(super) retract: Option<(String, String)>,
    pub(super) history: Vec<Change>,
}

/// A text field as typed, without the spaces around it.
#[derive(Default, Serialize)]
#[serde(transparent)]
pub(super) struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self(String::deserialize(deserializer)?.trim().to_string()))
    }
}

impl Text {
    pub(super) fn get(&self) -> String {
        self.0.clone()
    }
    /// `None` when left blank.
    pub(super) fn optional(&self) -> Option<String> {
        Some(self.get()).filter(|v| !v.is_empty())
    }
    /// One item a line, blank lines dropped.
    pub(super) fn lines(&self) -> Vec<String> {
        self.0
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(ToString::to_string)
            .collect()
    }
    /// A record's address as typed or chosen: "expert-0", "/experts/expert-0" or the whole
    /// URL all give "expert-0".
    pub(super) fn address(&self) -> String {
        let path = self.0.split(['?', '#']).next().unwrap_or_default();
        path.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// The boxes ticked in a list of checkboxes.
#[derive(Default, Serialize)]
#[serde(transparent)]
pub(super) struct Ticked(Vec<String>);

impl<'de> Deserialize<'de> for Ticked {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = Vec::<String>::deserialize(deserializer)?;
        Ok(Self(
            values
                .iter()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(ToString::to_string)
                .collect(),
        ))
    }
}

impl Ticked {
    pub(super) fn all(&self) -> Vec<String> {
        self.0.clone()
    }
}

/// The form under a record's page that retracts it.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct RetractForm {
    pub(super) retract_reason: Text,
}

/// Puts what was typed back into the fields, by name.
fn refill(form: &impl Serialize, fields: &mut [FormField]) {
    let typed = serde_json::to_value(form).unwrap_or_default();
    for field in fields {
        field.value = match typed.get(field.name) {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(serde_json::Value::Array(values)) => values
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect::<Vec<_>>()
                .join(","),
            _ => String::new(),
        };
    }
}

/// Validates and writes a one-record data set; field errors come back keyed by field name.
pub(super) async fn save(
    db: &Database,
    file: DataSetFile,
    me: &Analyst,
    reason: &str,
) -> Result<(), Result<FieldErrors, AppError>> {
    let set = import::validate(&file).map_err(|e| Ok(FieldErrors::from_issues(&e.0)))?;
    match apply_with_reason(db, &set, false, Some(me.id), reason).await {
        Ok(_) => Ok(()),
        Err(ApplyError::Invalid(e)) => Err(Ok(FieldErrors::from_issues(&e.0))),
        Err(other) => Err(Err(other.into())),
    }
}

pub(super) fn reason_field() -> FormField {
    FormField::new("reason", "Reason for the change", "textarea")
        .required()
        .hint("kept in the history beside the change")
}

pub(super) fn data_set() -> DataSetFile {
    DataSetFile {
        format: FORMAT_V1.to_string(),
        ..DataSetFile::default()
    }
}

pub(super) fn refused(page: EntryPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// Runs `save` and either redirects to `done` or shows the form again with its messages.
pub(super) async fn finish(
    state: &AppState,
    mut page: EntryPage,
    form: &impl Serialize,
    file: DataSetFile,
    reason: &str,
    done: String,
    mut errors: FieldErrors,
) -> Result<Response, AppError> {
    if errors.is_empty() {
        match save(&state.db, file, &page.me, reason).await {
            Ok(()) => return Ok(Redirect::to(&done).into_response()),
            Err(Ok(found)) => errors = found,
            Err(Err(e)) => return Err(e),
        }
    }
    refill(form, &mut page.fields);
    page.errors = errors;
    Ok(refused(page))
}

pub(super) fn require_reason(reason: &Text, errors: &mut FieldErrors) -> String {
    let reason = reason.get();
    if reason.is_empty() {
        errors.add("reason", "Say why this changes: it is kept in the history.");
    }
    reason
}

/// A slug as typed, or derived from `name` when the field is blank.
pub(super) fn slug_or_derived(slug: &Text, name: &str) -> String {
    let given = slug.get();
    if !given.is_empty() {
        return given;
    }
    Slug::from_name(name)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

// The desk

#[derive(Template, WebTemplate)]
#[template(path = "desk.html")]
struct DeskPage {
    me: Analyst,
    due: Vec<propositions::PropositionRow>,
    changes: Vec<Change>,
}

async fn desk(State(state): State<AppState>, SignedIn(me): SignedIn) -> Result<DeskPage, AppError> {
    Ok(DeskPage {
        me,
        due: propositions::due(&state.db, END_OF_TIME, 20).await?,
        changes: entry::recent_changes(&state.db, 25).await?,
    })
}

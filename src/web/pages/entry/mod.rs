//! Data entry for analysts: experts, sources, events, propositions and predictions. Each form
//! is turned into a one-record data set and written through the import path, so a form and a
//! file share one set of checks, one way of matching records, and one history.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

mod catalogue_forms;
mod expert_forms;
mod flow;
mod kind;
mod prediction_forms;
mod source_forms;

use super::filters;
use crate::db::history::{self, Change};
use crate::db::propositions;
use crate::domain::Slug;
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};
use flow::{data_set, reason_field, refuse_taken_slug};

/// A router with one route a row: `path => handlers`.
macro_rules! route_table {
    ($($path:literal => $handlers:expr),* $(,)?) => {
        Router::new()$(.route($path, $handlers))*
    };
}

pub fn router() -> Router<AppState> {
    use catalogue_forms::{EventForm as Event, PropositionForm as Proposition};
    use expert_forms::ExpertForm as Expert;
    use kind::{create, edit, new, retract, update};
    use prediction_forms::PredictionForm as Prediction;
    use source_forms::SourceForm as Source;
    route_table! {
        "/analyst" => get(desk),
        "/experts/new" => get(new::<Expert>).post(create::<Expert>),
        "/experts/{slug}/edit" => get(edit::<Expert>).post(update::<Expert>),
        "/experts/{slug}/retract" => post(retract::<Expert>),
        "/sources/new" => get(new::<Source>).post(create::<Source>),
        "/events/new" => get(new::<Event>).post(create::<Event>),
        "/events/{slug}/edit" => get(edit::<Event>).post(update::<Event>),
        "/propositions/new" => get(new::<Proposition>).post(create::<Proposition>),
        "/propositions/{id}/edit" => get(edit::<Proposition>).post(update::<Proposition>),
        "/predictions/new" => get(new::<Prediction>).post(create::<Prediction>),
        "/predictions/{id}/edit" => get(edit::<Prediction>).post(update::<Prediction>),
        "/predictions/{id}/retract" => post(retract::<Prediction>),
    }
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

/// A kind's form as the kind draws it: what the page says around the fields, and where it posts.
pub(super) struct FormPage {
    pub(super) heading: String,
    pub(super) intro: String,
    pub(super) action: String,
    pub(super) fields: Vec<FormField>,
    pub(super) submit: &'static str,
    pub(super) cancel: String,
    /// (action, what) for a Retract form under the main one.
    pub(super) retract: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "entry.html")]
pub(super) struct EntryPage {
    pub(super) me: Analyst,
    pub(super) form: FormPage,
    pub(super) errors: FieldErrors,
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

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self(text)
    }
}

/// A stored value that may be missing, as its field shows it: blank when it is.
impl<T: std::fmt::Display> From<Option<T>> for Text {
    fn from(value: Option<T>) -> Self {
        Self(value.map(|v| v.to_string()).unwrap_or_default())
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

/// A record's slug, which never changes: the stored one, or a new record's as typed, made from
/// `name` when the field is blank.
pub(super) fn slug_for(stored: Option<&Slug>, typed: &Text, name: &str) -> String {
    if let Some(slug) = stored {
        return slug.to_string();
    }
    let given = typed.get();
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
        due: propositions::due(&state.db, 20).await?,
        changes: history::recent_changes(&state.db, 25).await?,
    })
}

//! The flow every form shares: a one-record data set is saved through the import path, and a
//! refused form is shown again as it was typed, with its messages.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::kind::Draft;
use super::{EntryPage, FormField, Text};
use crate::db::Database;
use crate::db::dataset::{ApplyError, apply_with_reason};
use crate::import::{self, DataSetFile, FORMAT_V1};
use crate::web::auth::Analyst;
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};

/// Puts what was typed back into the fields, by name.
pub(super) fn refill(form: &impl Serialize, fields: &mut [FormField]) {
    // A form is a struct of text and tick-box fields, which always serialise; the default is
    // only there because the signature allows a type that would not.
    let form = serde_json::to_value(form).unwrap_or_default();
    for field in fields {
        field.value = value_of(&form, field.name);
    }
}

/// A field's value: text as typed, ticked boxes joined by commas, blank when absent.
fn value_of(form: &serde_json::Value, name: &str) -> String {
    match form.get(name) {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Array(values)) => values
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
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

/// Saves `draft` by `me` and goes to its page, or shows the form again with its messages. The
/// form's page (its lists of choices, its history) is only drawn when it is shown again.
pub(super) async fn finish(
    state: &AppState,
    me: Analyst,
    form: &impl Serialize,
    draft: Draft,
    reason: &str,
    page: impl AsyncFnOnce(Analyst) -> Result<EntryPage, AppError>,
) -> Result<Response, AppError> {
    let Draft {
        file,
        done,
        mut errors,
    } = draft;
    if errors.is_empty() {
        match save(&state.db, file, &me, reason).await {
            Ok(()) => return Ok(Redirect::to(&done).into_response()),
            Err(Ok(found)) => errors = found,
            Err(Err(e)) => return Err(e),
        }
    }
    let mut page = page(me).await?;
    refill(form, &mut page.form.fields);
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

/// Refuses a new record's `slug` (named `called`, e.g. "address"): another `kind` has it.
pub(super) fn refuse_taken_slug(errors: &mut FieldErrors, called: &str, slug: &str, kind: &str) {
    let message =
        format!("The {called} \u{201c}{slug}\u{201d} belongs to another {kind}; choose another.");
    errors.add("slug", message);
}

//! The handlers every kind of record shares. A kind's form says how it is drawn, what it saves
//! and how a stored record is found; adding, editing, saving and retracting then go the same
//! way for all of them.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::flow::{finish, refill, refused, require_reason};
use super::{EntryPage, FormPage, RetractForm, Text};
use crate::db::Database;
use crate::db::events::EventRow;
use crate::db::experts::ExpertRow;
use crate::db::history;
use crate::db::predictions::PredictionRow;
use crate::db::propositions::PropositionRow;
use crate::db::retraction::{self, Retractable};
use crate::import::DataSetFile;
use crate::web::auth::{Analyst, SignedIn};
use crate::web::extract::Form;
use crate::web::forms::FieldErrors;
use crate::web::path::{Counted, Numbered};
use crate::web::{AppError, AppState};

/// What a posted form saves.
pub(super) struct Draft {
    /// The record, as a one-record data set.
    pub(super) file: DataSetFile,
    /// The page to go to once it is saved.
    pub(super) done: String,
    /// What the import's checks cannot see, such as an address another record has.
    pub(super) errors: FieldErrors,
}

impl Draft {
    pub(super) fn new(file: DataSetFile, done: String) -> Self {
        let errors = FieldErrors::default();
        Self { file, done, errors }
    }
}

/// The form, as posted, that adds a record of one kind.
pub(super) trait RecordForm: DeserializeOwned + Serialize + Send + Sync + Sized {
    /// A stored record of the kind.
    type Record: Send + Sync;

    /// The form: blank for a new record, or for changing `record`.
    async fn page(db: &Database, record: Option<&Self::Record>) -> Result<FormPage, AppError>;

    /// What the form saves: a new record, or the change to `record`.
    async fn draft(&self, db: &Database, record: Option<&Self::Record>) -> Result<Draft, AppError>;
}

/// A stored record's id, by which its history and its retraction name it.
pub(super) trait Identified {
    fn id(&self) -> i64;
}

macro_rules! identified {
    ($($row:ty),*) => {
        $(impl Identified for $row {
            fn id(&self) -> i64 {
                self.id
            }
        })*
    };
}

identified!(EventRow, PropositionRow, ExpertRow, PredictionRow);

/// What names a record in its address: its slug, or its number.
pub(super) trait Address: FromRequestParts<AppState> + Send + Sync {
    /// What the 404 says when no `entity` has this address.
    fn missing(&self, entity: &str) -> String;
}

impl Address for Path<String> {
    fn missing(&self, entity: &str) -> String {
        format!("No {entity} has the address \u{201c}{}\u{201d}.", self.0)
    }
}

impl<C: Counted + Send + Sync> Address for Numbered<C> {
    fn missing(&self, entity: &str) -> String {
        format!("There is no {entity} number {}.", self.id())
    }
}

/// A form that also changes a stored record.
pub(super) trait EditForm: RecordForm<Record: Identified> {
    type At: Address;
    /// The kind, as the history names it.
    const ENTITY: &'static str;
    /// What a 404 adds after saying no record has the address: why, or where else to look.
    const MISSING_HINT: Option<&'static str> = None;

    // Spelled out, not `async fn`: the `Editing` extractor awaits it for any kind, and an
    // extractor's future must be `Send`, which only a bound here can promise.
    fn find(
        db: &Database,
        at: &Self::At,
    ) -> impl Future<Output = Result<Option<Self::Record>, AppError>> + Send;

    /// The stored record, as the form would post it.
    fn stored(record: &Self::Record) -> Self;

    /// Why the change is made: the field `reason_field` draws.
    fn reason(&self) -> &Text;
}

/// A form whose record can also be retracted.
pub(super) trait Retracts: EditForm {
    const RECORD: Retractable;

    /// Where to go once the record is gone.
    fn gone_to(record: &Self::Record) -> String;
}

/// A request about a stored record: from a signed-in analyst, for the record its address names.
pub(super) struct Editing<F: EditForm> {
    state: AppState,
    me: Analyst,
    record: F::Record,
}

impl<F: EditForm> FromRequestParts<AppState> for Editing<F> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(me) = SignedIn::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let at = F::At::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let found = F::find(&state.db, &at)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(record) = found else {
            let mut letters = F::ENTITY.chars();
            let what: String = letters
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(letters)
                .collect();
            let mut missing = at.missing(F::ENTITY);
            if let Some(hint) = F::MISSING_HINT {
                missing = format!("{missing} {hint}");
            }
            return Err(AppError::not_found(what, missing).into_response());
        };
        let state = state.clone();
        Ok(Self { state, me, record })
    }
}

pub(super) async fn new<F: RecordForm>(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    blank_page::<F>(&state.db, me, None).await
}

pub(super) async fn create<F: RecordForm>(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(form): Form<F>,
) -> Result<Response, AppError> {
    let draft = form.draft(&state.db, None).await?;
    let page = async |me| blank_page::<F>(&state.db, me, None).await;
    finish(&state, me, &form, draft, "created with the form", page).await
}

/// The form, with no value in its fields but their defaults.
async fn blank_page<F: RecordForm>(
    db: &Database,
    me: Analyst,
    record: Option<&F::Record>,
) -> Result<EntryPage, AppError> {
    Ok(EntryPage {
        me,
        form: F::page(db, record).await?,
        errors: FieldErrors::default(),
        history: Vec::new(),
    })
}

/// The form for changing `record`, with its history below it.
async fn change_page<F: EditForm>(
    db: &Database,
    me: Analyst,
    record: &F::Record,
) -> Result<EntryPage, AppError> {
    let mut page = blank_page::<F>(db, me, Some(record)).await?;
    page.history = history::history_of(db, F::ENTITY, record.id()).await?;
    Ok(page)
}

/// The form for changing `record`, showing what is stored.
async fn stored_page<F: EditForm>(
    db: &Database,
    me: Analyst,
    record: &F::Record,
) -> Result<EntryPage, AppError> {
    let mut page = change_page::<F>(db, me, record).await?;
    refill(&F::stored(record), &mut page.form.fields);
    Ok(page)
}

pub(super) async fn edit<F: EditForm>(
    Editing { state, me, record }: Editing<F>,
) -> Result<EntryPage, AppError> {
    stored_page::<F>(&state.db, me, &record).await
}

/// Saves a change, refused when the kind's own checks find a problem, and when the change does
/// not say why: the history keeps the reason.
pub(super) async fn update<F: EditForm>(
    Editing { state, me, record }: Editing<F>,
    Form(form): Form<F>,
) -> Result<Response, AppError> {
    let mut draft = form.draft(&state.db, Some(&record)).await?;
    let reason = require_reason(form.reason(), &mut draft.errors);
    let page = async |me| change_page::<F>(&state.db, me, &record).await;
    finish(&state, me, &form, draft, &reason, page).await
}

/// Retracts the record; without a reason, shows its form again with the message.
pub(super) async fn retract<F: Retracts>(
    Editing { state, me, record }: Editing<F>,
    Form(form): Form<RetractForm>,
) -> Result<Response, AppError> {
    let reason = form.retract_reason.get();
    if reason.is_empty() {
        let mut page = stored_page::<F>(&state.db, me, &record).await?;
        let message = format!(
            "Say why the {} is retracted: it is kept in the history.",
            F::ENTITY
        );
        page.errors.add("retract_reason", message);
        return Ok(refused(page));
    }
    retraction::retract(&state.db, F::RECORD, record.id(), &reason, me.id).await?;
    Ok(Redirect::to(&F::gone_to(&record)).into_response())
}

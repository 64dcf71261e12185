//! Events and propositions.

use crate::web::extract::Form;
use axum::extract::{Path, State};

use crate::web::path::{Numbered, PropositionNumber};
use axum::response::Response;

use super::{
    EntryPage, FormField, Text, Ticked, create, data_set, reason_field, refuse_taken_slug,
    slug_or_derived, update,
};
use crate::db::Database;
use crate::db::history;
use crate::db::{events, forecasts, propositions};
use crate::domain::dates::AsOf;
use crate::import;
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState, CHOICES_LISTED};

async fn topic_options(db: &Database) -> Result<Vec<(String, String)>, AppError> {
    Ok(forecasts::topics(db)
        .await?
        .into_iter()
        .map(|(_, slug, name)| (slug, name))
        .collect())
}

async fn event_page(db: &Database, me: Analyst, slug: Option<&str>) -> Result<EntryPage, AppError> {
    let mut fields = vec![
        FormField::new("title", "Title", "text")
            .required()
            .hint("e.g. Putin's visit to Pyongyang, June 2024"),
    ];
    if slug.is_none() {
        fields.push(
            FormField::new("slug", "Address", "text")
                .hint("for /events/…; left blank, it is made from the title; it never changes"),
        );
    }
    fields.extend([
        FormField::new("description", "Description", "textarea"),
        FormField::new("starts_on", "Starts on", "date"),
        FormField::new("ends_on", "Ends on", "date"),
        FormField::new("topics", "Topics", "checkboxes")
            .options(topic_options(db).await?)
            .hint("topics can be added, and none is ever lost"),
    ]);
    if slug.is_some() {
        fields.push(reason_field());
    }
    Ok(EntryPage {
        me,
        heading: if slug.is_some() {
            "Edit the event".into()
        } else {
            "Add an event".into()
        },
        intro: "Something that is going to happen, that predictions are about.".into(),
        action: slug
            .map(|s| format!("/events/{s}/edit"))
            .unwrap_or_else(|| "/events/new".into()),
        fields,
        errors: FieldErrors::default(),
        submit: if slug.is_some() {
            "Save the changes"
        } else {
            "Add the event"
        },
        cancel: slug
            .map(|s| format!("/events/{s}"))
            .unwrap_or_else(|| "/events".into()),
        retract: None,
        history: Vec::new(),
    })
}

/// The event form, as posted.
#[derive(Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct EventForm {
    title: Text,
    slug: Text,
    description: Text,
    starts_on: Text,
    ends_on: Text,
    topics: Ticked,
    reason: Text,
}

fn event_record(form: &EventForm, slug: String) -> import::EventRecord {
    import::EventRecord {
        slug,
        title: form.title.get(),
        description: form.description.optional(),
        starts_on: form.starts_on.optional(),
        ends_on: form.ends_on.optional(),
        topics: form.topics.all(),
    }
}

pub(super) async fn new_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    event_page(&state.db, me, None).await
}

pub(super) async fn create_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    let slug = slug_or_derived(&form.slug, &form.title.get());
    let mut errors = FieldErrors::default();
    let taken = events::by_slug(&state.db, &slug, AsOf::Live).await?;
    refuse_taken_slug(&mut errors, taken.is_some(), "address", &slug, "event");
    let mut file = data_set();
    file.events.push(event_record(&form, slug.clone()));
    let page = event_page(&state.db, me, None).await?;
    create(&state, page, &form, file, format!("/events/{slug}"), errors).await
}

async fn find_event(db: &Database, slug: &str) -> Result<events::EventRow, AppError> {
    events::by_slug(db, slug, AsOf::Live).await?.ok_or_else(|| {
        AppError::not_found(
            "Event",
            format!("No event has the address \u{201c}{slug}\u{201d}."),
        )
    })
}

pub(super) async fn edit_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
) -> Result<EntryPage, AppError> {
    let event = find_event(&state.db, &slug).await?;
    let topic_slugs = events::topic_slugs(&state.db, event.id).await?;
    let mut page = event_page(&state.db, me, Some(&slug)).await?;
    page.fill(|name| match name {
        "title" => event.title.clone(),
        "description" => event.description.clone().unwrap_or_default(),
        "starts_on" => event.starts_on.map(|on| on.to_string()).unwrap_or_default(),
        "ends_on" => event.ends_on.map(|on| on.to_string()).unwrap_or_default(),
        "topics" => topic_slugs.join(","),
        _ => String::new(),
    });
    page.history = history::history_of(&state.db, "event", event.id).await?;
    Ok(page)
}

pub(super) async fn update_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    let event = find_event(&state.db, &slug).await?;
    let mut file = data_set();
    file.events
        .push(event_record(&form, event.slug.to_string()));
    let page = event_page(&state.db, me, Some(&slug)).await?;
    let done = format!("/events/{slug}");
    update(
        &state,
        page,
        &form,
        &form.reason,
        file,
        done,
        FieldErrors::default(),
    )
    .await
}

async fn proposition_page(
    db: &Database,
    me: Analyst,
    id: Option<i64>,
) -> Result<EntryPage, AppError> {
    let mut fields = vec![
        FormField::choice(
            "event",
            "Event",
            events::choices_up_to(db, CHOICES_LISTED).await?,
            "",
            "the event's address, as in /events/…",
        )
        .required(),
    ];
    if id.is_none() {
        fields.push(FormField::new("slug", "Slug", "text").hint(
            "how imports refer to it; left blank, it is made from the statement; it never changes",
        ));
    }
    fields.extend([
        FormField::new("statement", "Statement", "textarea").required().hint("one resolvable claim, phrased positively: \u{201c}The summit produces a treaty with …\u{201d}; a prediction that it will not happen is a low probability on it"),
        FormField::new("criteria", "Resolution criteria", "textarea").required().hint("what counts as true, and what does not"),
        FormField::new("decidable_by", "Decidable by", "date").required(),
        FormField::new("topics", "Topics", "checkboxes").options(topic_options(db).await?),
    ]);
    if id.is_some() {
        fields.push(reason_field());
    }
    Ok(EntryPage {
        me,
        heading: if id.is_some() { "Edit the proposition".into() } else { "Add a proposition".into() },
        intro: "Several experts can predict on one proposition; their predictions are scored against its outcome.".into(),
        action: id.map(|i| format!("/propositions/{i}/edit")).unwrap_or_else(|| "/propositions/new".into()),
        fields,
        errors: FieldErrors::default(),
        submit: if id.is_some() { "Save the changes" } else { "Add the proposition" },
        cancel: id.map(|i| format!("/propositions/{i}")).unwrap_or_else(|| "/analyst".into()),
        retract: None,
        history: Vec::new(),
    })
}

/// The proposition form, as posted.
#[derive(Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct PropositionForm {
    event: Text,
    slug: Text,
    statement: Text,
    criteria: Text,
    decidable_by: Text,
    topics: Ticked,
    reason: Text,
}

fn proposition_record(form: &PropositionForm, slug: String) -> import::PropositionRecord {
    import::PropositionRecord {
        slug,
        event: form.event.address(),
        statement: form.statement.get(),
        criteria: form.criteria.get(),
        decidable_by: form.decidable_by.get(),
        topics: form.topics.all(),
    }
}

pub(super) async fn new_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    proposition_page(&state.db, me, None).await
}

pub(super) async fn create_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(form): Form<PropositionForm>,
) -> Result<Response, AppError> {
    let statement = form.statement.get();
    let derived: String = statement
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    let slug = slug_or_derived(&form.slug, &derived);
    let mut errors = FieldErrors::default();
    let taken = propositions::slug_taken(&state.db, &slug).await?;
    refuse_taken_slug(&mut errors, taken, "slug", &slug, "proposition");
    let mut file = data_set();
    file.propositions
        .push(proposition_record(&form, slug.clone()));
    let page = proposition_page(&state.db, me, None).await?;
    let event = form.event.address();
    create(
        &state,
        page,
        &form,
        file,
        format!("/events/{event}"),
        errors,
    )
    .await
}

async fn find_proposition(
    db: &Database,
    id: i64,
) -> Result<propositions::PropositionRow, AppError> {
    propositions::by_id(db, id).await?.ok_or_else(|| {
        AppError::not_found(
            "Proposition",
            format!("There is no proposition number {id}."),
        )
    })
}

pub(super) async fn edit_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PropositionNumber>,
) -> Result<EntryPage, AppError> {
    let proposition = find_proposition(&state.db, id).await?;
    let topic_slugs = propositions::topic_slugs(&state.db, proposition.id).await?;
    let mut page = proposition_page(&state.db, me, Some(proposition.id)).await?;
    page.fill(|name| match name {
        "event" => proposition.event.to_string(),
        "statement" => proposition.statement.clone(),
        "criteria" => proposition.criteria.clone(),
        "decidable_by" => proposition.decidable_by.to_string(),
        "topics" => topic_slugs.join(","),
        _ => String::new(),
    });
    page.history = history::history_of(&state.db, "proposition", proposition.id).await?;
    Ok(page)
}

pub(super) async fn update_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PropositionNumber>,
    Form(form): Form<PropositionForm>,
) -> Result<Response, AppError> {
    let proposition = find_proposition(&state.db, id).await?;
    let mut file = data_set();
    file.propositions
        .push(proposition_record(&form, proposition.slug.to_string()));
    let page = proposition_page(&state.db, me, Some(proposition.id)).await?;
    let done = format!("/propositions/{}", proposition.id);
    update(
        &state,
        page,
        &form,
        &form.reason,
        file,
        done,
        FieldErrors::default(),
    )
    .await
}

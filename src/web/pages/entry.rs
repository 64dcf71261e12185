//! Data entry for analysts: experts, sources, events, propositions and predictions. Each form
//! is turned into a one-record data set and written through the import path, so a form and a
//! file share one set of checks, one way of matching records, and one history.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::filters;
use crate::db::dataset::{ApplyError, apply_with_reason};
use crate::db::entry::{self, Change, Retractable};
use crate::db::{
    Database, END_OF_TIME, events, experts, predictions, propositions, scores, sources,
};
use crate::domain::{Probability, Slug};
use crate::import::{self, DataSetFile, FORMAT_V1};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/analyst", get(desk))
        .route("/experts/new", get(new_expert).post(create_expert))
        .route("/experts/{slug}/edit", get(edit_expert).post(update_expert))
        .route("/experts/{slug}/retract", post(retract_expert))
        .route("/sources/new", get(new_source).post(create_source))
        .route("/events/new", get(new_event).post(create_event))
        .route("/events/{slug}/edit", get(edit_event).post(update_event))
        .route(
            "/propositions/new",
            get(new_proposition).post(create_proposition),
        )
        .route(
            "/propositions/{id}/edit",
            get(edit_proposition).post(update_proposition),
        )
        .route(
            "/predictions/new",
            get(new_prediction).post(create_prediction),
        )
        .route(
            "/predictions/{id}/edit",
            get(edit_prediction).post(update_prediction),
        )
        .route("/predictions/{id}/retract", post(retract_prediction))
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
    fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
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
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
    fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }
    fn value(mut self, value: impl Into<String>) -> Self {
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
struct EntryPage {
    me: Analyst,
    heading: String,
    intro: String,
    action: String,
    fields: Vec<FormField>,
    errors: FieldErrors,
    submit: &'static str,
    cancel: String,
    /// (action, what) for a Retract form under the main one.
    retract: Option<(String, String)>,
    history: Vec<Change>,
}

/// The posted fields; a name may repeat (checkboxes).
struct Posted(Vec<(String, String)>);

impl Posted {
    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }
    fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }
    fn lines(&self, name: &str) -> Vec<String> {
        self.get(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(ToString::to_string)
            .collect()
    }
    /// Puts what was typed back into the fields.
    fn refill(&self, fields: &mut [FormField]) {
        for field in fields {
            field.value = if field.kind == "checkboxes" {
                self.all(field.name).join(",")
            } else {
                self.get(field.name)
            };
        }
    }
}

/// Validates and writes a one-record data set; field errors come back keyed by field name.
async fn save(
    db: &Database,
    file: DataSetFile,
    me: &Analyst,
    reason: &str,
) -> Result<(), Result<FieldErrors, AppError>> {
    let set = import::validate(&file).map_err(|e| Ok(FieldErrors::from_issues(&e.0)))?;
    match apply_with_reason(db, &set, false, Some(me.id), reason).await {
        Ok(_) => Ok(()),
        Err(ApplyError::Invalid(e)) => Err(Ok(FieldErrors::from_issues(&e.0))),
        Err(ApplyError::Database(e)) => Err(Err(e.into())),
    }
}

fn reason_field() -> FormField {
    FormField::new("reason", "Reason for the change", "textarea")
        .required()
        .hint("kept in the history beside the change")
}

fn data_set() -> DataSetFile {
    DataSetFile {
        format: FORMAT_V1.to_string(),
        ..DataSetFile::default()
    }
}

fn refused(page: EntryPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// Runs `save` and either redirects to `done` or shows the form again with its messages.
async fn finish(
    state: &AppState,
    mut page: EntryPage,
    posted: &Posted,
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
    posted.refill(&mut page.fields);
    page.errors = errors;
    Ok(refused(page))
}

fn require_reason(posted: &Posted, errors: &mut FieldErrors) -> String {
    let reason = posted.get("reason");
    if reason.is_empty() {
        errors.add("reason", "Say why this changes: it is kept in the history.");
    }
    reason
}

/// A slug from the field, or derived from `name` when the field is blank.
fn slug_or_derived(posted: &Posted, field: &str, name: &str) -> String {
    let given = posted.get(field);
    if !given.is_empty() {
        return given;
    }
    Slug::from_name(name)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

// ---- The desk ------------------------------------------------------------------------------

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

// ---- Experts -------------------------------------------------------------------------------

fn expert_fields(new: bool) -> Vec<FormField> {
    let kinds = vec![
        ("person".into(), "A person".into()),
        (
            "group".into(),
            "A group speaking as one (e.g. co-authors)".into(),
        ),
        (
            "collective".into(),
            "An anonymous speaker or body (\u{201c}a senior official\u{201d})".into(),
        ),
    ];
    let mut fields = vec![
        FormField::new("name", "Name", "text")
            .required()
            .hint("as the expert is best known"),
    ];
    if new {
        fields.push(FormField::new("slug", "Address", "text").hint("for /experts/…; lower-case letters, digits and hyphens; left blank, it is made from the name; it never changes"));
    }
    fields.extend([
        FormField::new("kind", "Kind", "radio").required().options(kinds).value("person"),
        FormField::new("affiliation", "Affiliation", "text"),
        FormField::new("title", "Title", "text"),
        FormField::new("bio", "Short bio", "textarea"),
        FormField::new("aliases", "Other spellings", "textarea").hint("one per line, as outlets print the name; spellings can be added, and none is ever lost"),
        FormField::new("members", "Members", "textarea").hint("for a group: one person per line"),
    ]);
    if !new {
        fields.push(reason_field());
    }
    fields
}

fn expert_record(posted: &Posted, slug: String) -> import::ExpertRecord {
    import::ExpertRecord {
        slug,
        name: posted.get("name"),
        kind: posted.get("kind"),
        affiliation: posted.optional("affiliation"),
        title: posted.optional("title"),
        bio: posted.optional("bio"),
        aliases: posted.lines("aliases"),
        members: posted.lines("members"),
    }
}

fn expert_page(me: Analyst, new: bool, slug: &str) -> EntryPage {
    EntryPage {
        me,
        heading: if new { "Add an expert".into() } else { "Edit the expert".into() },
        intro: "One record per person: add every spelling an outlet uses under \u{201c}Other spellings\u{201d}, so predictions quoted under any of them count for one expert.".into(),
        action: if new { "/experts/new".into() } else { format!("/experts/{slug}/edit") },
        fields: expert_fields(new),
        errors: FieldErrors::default(),
        submit: if new { "Add the expert" } else { "Save the changes" },
        cancel: if new { "/experts".into() } else { format!("/experts/{slug}") },
        retract: (!new).then(|| (format!("/experts/{slug}/retract"), "this expert".into())),
        history: Vec::new(),
    }
}

async fn new_expert(SignedIn(me): SignedIn) -> EntryPage {
    expert_page(me, true, "")
}

async fn create_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let posted = Posted(posted);
    let slug = slug_or_derived(&posted, "slug", &posted.get("name"));
    let mut errors = FieldErrors::default();
    if experts::by_slug(&state.db, &slug).await?.is_some() {
        errors.add(
            "slug",
            format!(
                "The address \u{201c}{slug}\u{201d} belongs to another expert; choose another."
            ),
        );
    }
    // An import matches a known spelling to its expert; a new expert must not take one.
    let record = expert_record(&posted, slug.clone());
    for (field, spelling) in
        std::iter::once(("name", &record.name)).chain(record.aliases.iter().map(|a| ("aliases", a)))
    {
        if let Some(owner) = experts::named(&state.db, spelling).await? {
            errors.add(field, format!("\u{201c}{spelling}\u{201d} already names {owner}: add this spelling to that expert instead."));
        }
    }
    let mut file = data_set();
    file.experts.push(record);
    finish(
        &state,
        expert_page(me, true, ""),
        &posted,
        file,
        "created with the form",
        format!("/experts/{slug}"),
        errors,
    )
    .await
}

async fn edit_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
) -> Result<EntryPage, AppError> {
    let expert = super::experts::find_expert(&state.db, &slug).await?;
    let mut page = expert_page(me, false, &slug);
    for field in &mut page.fields {
        field.value = match field.name {
            "name" => expert.name.clone(),
            "kind" => expert.kind.clone(),
            "affiliation" => expert.affiliation.clone().unwrap_or_default(),
            "title" => expert.title.clone().unwrap_or_default(),
            "bio" => expert.bio.clone().unwrap_or_default(),
            "aliases" => expert.alias_list().join("\n"),
            "members" => expert.member_list().join("\n"),
            _ => String::new(),
        };
    }
    page.heading = format!("Edit {}", expert.name);
    page.history = entry::history_of(&state.db, "expert", expert.id).await?;
    Ok(page)
}

async fn update_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let expert = super::experts::find_expert(&state.db, &slug).await?;
    let posted = Posted(posted);
    let mut errors = FieldErrors::default();
    let reason = require_reason(&posted, &mut errors);
    let mut file = data_set();
    file.experts
        .push(expert_record(&posted, expert.slug.clone()));
    let mut page = expert_page(me, false, &slug);
    page.history = entry::history_of(&state.db, "expert", expert.id).await?;
    finish(
        &state,
        page,
        &posted,
        file,
        &reason,
        format!("/experts/{slug}"),
        errors,
    )
    .await
}

async fn retract_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let expert = super::experts::find_expert(&state.db, &slug).await?;
    let posted = Posted(posted);
    let reason = posted.get("retract_reason");
    if reason.is_empty() {
        let mut page = expert_page(me, false, &slug);
        page.errors.add(
            "retract_reason",
            "Say why the expert is retracted: it is kept in the history.",
        );
        page.history = entry::history_of(&state.db, "expert", expert.id).await?;
        return Ok(refused(page));
    }
    entry::retract(&state.db, Retractable::Expert, expert.id, &reason, me.id).await?;
    Ok(Redirect::to("/experts").into_response())
}

// ---- Sources -------------------------------------------------------------------------------

fn source_page(me: Analyst) -> EntryPage {
    EntryPage {
        me,
        heading: "Add a source".into(),
        intro: "The article, brief or broadcast a prediction was published in. A source with a link is matched by its link, so it is never entered twice.".into(),
        action: "/sources/new".into(),
        fields: vec![
            FormField::new("title", "Title", "text").required(),
            FormField::new("outlet", "Outlet", "text").required().hint("the publication, e.g. The Korea Herald"),
            FormField::new("url", "Link", "url").hint("http or https; leave blank if there is none"),
            FormField::new("published_on", "Published on", "date").required(),
            FormField::new("authors", "Authors", "textarea").hint("one per line"),
            FormField::new("note", "Note on the citation", "textarea").hint("e.g. a date inferred from the text, a missing byline"),
        ],
        errors: FieldErrors::default(),
        submit: "Add the source",
        cancel: "/analyst".into(),
        retract: None,
        history: Vec::new(),
    }
}

async fn new_source(SignedIn(me): SignedIn) -> EntryPage {
    source_page(me)
}

async fn create_source(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let posted = Posted(posted);
    let mut file = data_set();
    file.sources.push(import::SourceRecord {
        key: "form".into(),
        title: posted.get("title"),
        outlet: posted.get("outlet"),
        url: posted.optional("url"),
        published_on: posted.get("published_on"),
        authors: posted.lines("authors"),
        note: posted.optional("note"),
    });
    finish(
        &state,
        source_page(me),
        &posted,
        file,
        "created with the form",
        "/predictions/new".into(),
        FieldErrors::default(),
    )
    .await
}

// ---- Events --------------------------------------------------------------------------------

async fn topic_options(db: &Database) -> Result<Vec<(String, String)>, AppError> {
    Ok(scores::topics(db)
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

fn event_record(posted: &Posted, slug: String) -> import::EventRecord {
    import::EventRecord {
        slug,
        title: posted.get("title"),
        description: posted.optional("description"),
        starts_on: posted.optional("starts_on"),
        ends_on: posted.optional("ends_on"),
        topics: posted.all("topics"),
    }
}

async fn new_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    event_page(&state.db, me, None).await
}

async fn create_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let posted = Posted(posted);
    let slug = slug_or_derived(&posted, "slug", &posted.get("title"));
    let mut errors = FieldErrors::default();
    if events::by_slug(&state.db, &slug, END_OF_TIME)
        .await?
        .is_some()
    {
        errors.add(
            "slug",
            format!("The address \u{201c}{slug}\u{201d} belongs to another event; choose another."),
        );
    }
    let mut file = data_set();
    file.events.push(event_record(&posted, slug.clone()));
    let page = event_page(&state.db, me, None).await?;
    finish(
        &state,
        page,
        &posted,
        file,
        "created with the form",
        format!("/events/{slug}"),
        errors,
    )
    .await
}

async fn find_event(db: &Database, slug: &str) -> Result<events::EventRow, AppError> {
    events::by_slug(db, slug, END_OF_TIME)
        .await?
        .ok_or_else(|| {
            AppError::not_found(
                "Event",
                format!("No event has the address \u{201c}{slug}\u{201d}."),
            )
        })
}

async fn edit_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
) -> Result<EntryPage, AppError> {
    let event = find_event(&state.db, &slug).await?;
    let topic_slugs: Vec<String> = sqlx::query_scalar("SELECT t.slug FROM event_topics et JOIN topics t ON t.id = et.topic_id WHERE et.event_id = $1")
        .bind(event.id)
        .fetch_all(&state.db.read)
        .await?;
    let mut page = event_page(&state.db, me, Some(&slug)).await?;
    for field in &mut page.fields {
        field.value = match field.name {
            "title" => event.title.clone(),
            "description" => event.description.clone().unwrap_or_default(),
            "starts_on" => event.starts_on.clone().unwrap_or_default(),
            "ends_on" => event.ends_on.clone().unwrap_or_default(),
            "topics" => topic_slugs.join(","),
            _ => String::new(),
        };
    }
    page.history = entry::history_of(&state.db, "event", event.id).await?;
    Ok(page)
}

async fn update_event(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let event = find_event(&state.db, &slug).await?;
    let posted = Posted(posted);
    let mut errors = FieldErrors::default();
    let reason = require_reason(&posted, &mut errors);
    let mut file = data_set();
    file.events.push(event_record(&posted, event.slug.clone()));
    let page = event_page(&state.db, me, Some(&slug)).await?;
    finish(
        &state,
        page,
        &posted,
        file,
        &reason,
        format!("/events/{slug}"),
        errors,
    )
    .await
}

// ---- Propositions --------------------------------------------------------------------------

async fn proposition_page(
    db: &Database,
    me: Analyst,
    id: Option<i64>,
) -> Result<EntryPage, AppError> {
    let events: Vec<(String, String)> = events::choices(db)
        .await?
        .into_iter()
        .map(|(_, slug, title)| (slug, title))
        .collect();
    let mut fields = vec![
        FormField::new("event", "Event", "select")
            .required()
            .options(events),
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

fn proposition_record(posted: &Posted, slug: String) -> import::PropositionRecord {
    import::PropositionRecord {
        slug,
        event: posted.get("event"),
        statement: posted.get("statement"),
        criteria: posted.get("criteria"),
        decidable_by: posted.get("decidable_by"),
        topics: posted.all("topics"),
    }
}

async fn new_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    proposition_page(&state.db, me, None).await
}

async fn create_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let posted = Posted(posted);
    let statement = posted.get("statement");
    let derived: String = statement
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    let slug = slug_or_derived(&posted, "slug", &derived);
    let mut errors = FieldErrors::default();
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM propositions WHERE slug = $1")
        .bind(&slug)
        .fetch_optional(&state.db.read)
        .await?;
    if taken.is_some() {
        errors.add(
            "slug",
            format!(
                "The slug \u{201c}{slug}\u{201d} belongs to another proposition; choose another."
            ),
        );
    }
    let mut file = data_set();
    file.propositions
        .push(proposition_record(&posted, slug.clone()));
    let page = proposition_page(&state.db, me, None).await?;
    let event = posted.get("event");
    finish(
        &state,
        page,
        &posted,
        file,
        "created with the form",
        format!("/events/{event}"),
        errors,
    )
    .await
}

async fn find_proposition(
    db: &Database,
    raw: &str,
) -> Result<propositions::PropositionRow, AppError> {
    let id = super::path_id(raw, "Proposition")?;
    propositions::by_id(db, id, END_OF_TIME)
        .await?
        .ok_or_else(|| {
            AppError::not_found(
                "Proposition",
                format!("There is no proposition number {id}."),
            )
        })
}

async fn edit_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw): Path<String>,
) -> Result<EntryPage, AppError> {
    let proposition = find_proposition(&state.db, &raw).await?;
    let topic_slugs: Vec<String> = sqlx::query_scalar("SELECT t.slug FROM proposition_topics pt JOIN topics t ON t.id = pt.topic_id WHERE pt.proposition_id = $1")
        .bind(proposition.id)
        .fetch_all(&state.db.read)
        .await?;
    let mut page = proposition_page(&state.db, me, Some(proposition.id)).await?;
    for field in &mut page.fields {
        field.value = match field.name {
            "event" => proposition.event_slug.clone(),
            "statement" => proposition.statement.clone(),
            "criteria" => proposition.criteria.clone(),
            "decidable_by" => proposition.decidable_by.clone(),
            "topics" => topic_slugs.join(","),
            _ => String::new(),
        };
    }
    page.history = entry::history_of(&state.db, "proposition", proposition.id).await?;
    Ok(page)
}

async fn update_proposition(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let proposition = find_proposition(&state.db, &raw).await?;
    let posted = Posted(posted);
    let mut errors = FieldErrors::default();
    let reason = require_reason(&posted, &mut errors);
    let mut file = data_set();
    file.propositions
        .push(proposition_record(&posted, proposition.slug.clone()));
    let page = proposition_page(&state.db, me, Some(proposition.id)).await?;
    finish(
        &state,
        page,
        &posted,
        file,
        &reason,
        format!("/propositions/{}", proposition.id),
        errors,
    )
    .await
}

// ---- Predictions ---------------------------------------------------------------------------

const SCALE_SEPARATOR: char = '|';

async fn prediction_page(
    db: &Database,
    me: Analyst,
    existing: Option<&predictions::PredictionRow>,
) -> Result<EntryPage, AppError> {
    let mut fields = Vec::new();
    if existing.is_none() {
        let experts: Vec<(String, String)> = experts::all(db)
            .await?
            .into_iter()
            .map(|e| (e.slug, e.name))
            .collect();
        let propositions: Vec<(String, String)> = entry::proposition_choices(db)
            .await?
            .into_iter()
            .map(|(_, slug, label)| (slug, label))
            .collect();
        let sources: Vec<(String, String)> = entry::source_choices(db)
            .await?
            .into_iter()
            .map(|(id, label)| (id.to_string(), label))
            .collect();
        fields.extend([
            FormField::new("expert", "Expert", "select")
                .required()
                .options(experts)
                .hint("not listed? add the expert first"),
            FormField::new("proposition", "Proposition", "select")
                .required()
                .options(propositions),
            FormField::new("source", "Source", "select")
                .required()
                .options(sources)
                .hint("not listed? add the source first"),
        ]);
    }
    let terms: Vec<(String, String)> = entry::scale_terms(db)
        .await?
        .into_iter()
        .map(|t| {
            (
                format!("{}{SCALE_SEPARATOR}{}", t.scale_slug, t.term),
                format!(
                    "{}: \u{201c}{}\u{201d} = {}",
                    t.scale_name,
                    t.term,
                    Probability::new(t.probability)
                        .map(Probability::percent)
                        .unwrap_or_default()
                ),
            )
        })
        .collect();
    let bases = vec![
        (
            "scale".into(),
            "From the estimative scale: the hedge words' number".into(),
        ),
        (
            "stated".into(),
            "Stated by the expert: they gave the number".into(),
        ),
        (
            "analyst".into(),
            "Analyst's judgement: give the number and the reason".into(),
        ),
    ];
    fields.extend([
        FormField::new("quote", "Quote", "textarea").required().hint("the expert's exact words, as published"),
        FormField::new("said_on", "Said on", "date").required(),
        FormField::new("hedge_words", "Hedge words", "text").hint("the words that carry the probability: \u{201c}highly unlikely\u{201d}, \u{201c}the possibility is slim\u{201d}"),
        FormField::new("basis", "Where the probability comes from", "radio").required().options(bases).value("scale"),
        FormField::new("scale_term", "Scale term", "select").options(terms).hint("for a probability from the scale: the term that matches the hedge words; its number is used"),
        FormField::new("probability", "Probability", "text").hint("for a stated number or a judgement: 0.3 or 30%"),
        FormField::new("basis_note", "Why this number", "textarea").hint("required for an analyst's judgement; shown beside the prediction"),
    ]);
    if existing.is_some() {
        fields.push(reason_field());
    }
    let id = existing.map(|p| p.id);
    Ok(EntryPage {
        me,
        heading: match existing {
            Some(p) => format!("Edit {}'s prediction", p.expert_name),
            None => "Add a prediction".into(),
        },
        intro: match existing {
            Some(p) => format!("On \u{201c}{}\u{201d}, in {}, \u{201c}{}\u{201d}.", p.proposition_statement, p.source_outlet, p.source_title),
            None => "One expert's stance on one proposition, as published. A prediction that something will not happen is a low probability on the positive proposition.".into(),
        },
        action: id.map(|i| format!("/predictions/{i}/edit")).unwrap_or_else(|| "/predictions/new".into()),
        fields,
        errors: FieldErrors::default(),
        submit: if existing.is_some() { "Save the changes" } else { "Add the prediction" },
        cancel: existing.map(|p| format!("/experts/{}", p.expert_slug)).unwrap_or_else(|| "/analyst".into()),
        retract: id.map(|i| (format!("/predictions/{i}/retract"), "this prediction".into())),
        history: Vec::new(),
    })
}

/// Builds the prediction (and the source record it refers to) from the form.
async fn prediction_file(
    db: &Database,
    posted: &Posted,
    expert: String,
    proposition: String,
    source_id: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<DataSetFile, AppError> {
    let mut file = data_set();
    let source = match source_id {
        Some(id) => sources::by_id(db, id).await?,
        None => None,
    };
    match source {
        Some(source) => file.sources.push(import::SourceRecord {
            key: "form".into(),
            title: source.title,
            outlet: source.outlet,
            url: source.url,
            published_on: source.published_on,
            authors: source
                .authors
                .map(|a| a.split("; ").map(ToString::to_string).collect())
                .unwrap_or_default(),
            note: source.note,
        }),
        None => errors.add(
            "source",
            "Choose the source the prediction was published in.",
        ),
    }
    let basis = posted.get("basis");
    let probability = match posted.get("probability").as_str() {
        "" => None,
        text => match Probability::parse(text) {
            Ok(p) => Some(p.value()),
            Err(e) => {
                errors.add("probability", format!("\u{201c}{text}\u{201d} {e}."));
                None
            }
        },
    };
    let scale_term = match posted.get("scale_term").split_once(SCALE_SEPARATOR) {
        Some((scale, term)) if basis == "scale" => Some(import::ScaleTermRef {
            scale: scale.into(),
            term: term.into(),
        }),
        _ if basis == "scale" => {
            errors.add(
                "scale_term",
                "Choose the scale term that matches the hedge words.",
            );
            None
        }
        _ => None,
    };
    file.predictions.push(import::PredictionRecord {
        expert,
        proposition,
        source: "form".into(),
        quote: posted.get("quote"),
        said_on: posted.get("said_on"),
        hedge_words: posted.optional("hedge_words"),
        basis,
        probability: if posted.get("basis") == "scale" {
            None
        } else {
            probability
        },
        scale_term,
        basis_note: posted.optional("basis_note"),
        recorded_at: None,
    });
    Ok(file)
}

async fn new_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    prediction_page(&state.db, me, None).await
}

async fn create_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let posted = Posted(posted);
    let mut errors = FieldErrors::default();
    let source_id = posted.get("source").parse::<i64>().ok();
    let file = prediction_file(
        &state.db,
        &posted,
        posted.get("expert"),
        posted.get("proposition"),
        source_id,
        &mut errors,
    )
    .await?;
    let page = prediction_page(&state.db, me, None).await?;
    let done = format!("/experts/{}", posted.get("expert"));
    finish(
        &state,
        page,
        &posted,
        file,
        "created with the form",
        done,
        errors,
    )
    .await
}

async fn find_prediction(db: &Database, raw: &str) -> Result<predictions::PredictionRow, AppError> {
    let id = super::path_id(raw, "Prediction")?;
    predictions::by_id(db, id).await?.ok_or_else(|| {
        AppError::not_found(
            "Prediction",
            format!("There is no prediction number {id}, or it was retracted."),
        )
    })
}

async fn edit_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw): Path<String>,
) -> Result<EntryPage, AppError> {
    let prediction = find_prediction(&state.db, &raw).await?;
    let mut page = prediction_page(&state.db, me, Some(&prediction)).await?;
    let scale_slug: Option<String> = sqlx::query_scalar("SELECT s.slug FROM predictions p JOIN estimative_terms t ON t.id = p.estimative_term_id JOIN estimative_scales s ON s.id = t.scale_id WHERE p.id = $1")
        .bind(prediction.id)
        .fetch_optional(&state.db.read)
        .await?;
    for field in &mut page.fields {
        field.value = match field.name {
            "quote" => prediction.quote.clone(),
            "said_on" => prediction.said_on.clone(),
            "hedge_words" => prediction.hedge_words.clone().unwrap_or_default(),
            "basis" => prediction.probability_basis.clone(),
            "scale_term" => match (&scale_slug, &prediction.scale_term) {
                (Some(scale), Some(term)) => format!("{scale}{SCALE_SEPARATOR}{term}"),
                _ => String::new(),
            },
            "probability" => format!("{}", prediction.probability),
            "basis_note" => prediction.basis_note.clone().unwrap_or_default(),
            _ => String::new(),
        };
    }
    page.history = entry::history_of(&state.db, "prediction", prediction.id).await?;
    Ok(page)
}

async fn update_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let prediction = find_prediction(&state.db, &raw).await?;
    let posted = Posted(posted);
    let mut errors = FieldErrors::default();
    let reason = require_reason(&posted, &mut errors);
    let proposition_slug: String =
        sqlx::query_scalar("SELECT slug FROM propositions WHERE id = $1")
            .bind(prediction.proposition_id)
            .fetch_one(&state.db.read)
            .await?;
    let file = prediction_file(
        &state.db,
        &posted,
        prediction.expert_slug.clone(),
        proposition_slug,
        Some(prediction.source_id),
        &mut errors,
    )
    .await?;
    let mut page = prediction_page(&state.db, me, Some(&prediction)).await?;
    page.history = entry::history_of(&state.db, "prediction", prediction.id).await?;
    let done = format!(
        "/experts/{}#prediction-{}",
        prediction.expert_slug, prediction.id
    );
    finish(&state, page, &posted, file, &reason, done, errors).await
}

async fn retract_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(raw): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let prediction = find_prediction(&state.db, &raw).await?;
    let posted = Posted(posted);
    let reason = posted.get("retract_reason");
    if reason.is_empty() {
        let mut page = prediction_page(&state.db, me, Some(&prediction)).await?;
        page.errors.add(
            "retract_reason",
            "Say why the prediction is retracted: it is kept in the history.",
        );
        return Ok(refused(page));
    }
    entry::retract(
        &state.db,
        Retractable::Prediction,
        prediction.id,
        &reason,
        me.id,
    )
    .await?;
    Ok(Redirect::to(&format!("/experts/{}", prediction.expert_slug)).into_response())
}

//! Adding, editing and retracting experts.

use crate::web::extract::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{
    EntryPage, FormField, RetractForm, Text, create, data_set, reason_field, refuse_taken_slug,
    retract, slug_or_derived, update,
};
use crate::db::experts;
use crate::db::history;
use crate::db::retraction::Retractable;
use crate::import;
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};

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

/// The expert form, as posted.
#[derive(Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct ExpertForm {
    name: Text,
    slug: Text,
    kind: Text,
    affiliation: Text,
    title: Text,
    bio: Text,
    aliases: Text,
    members: Text,
    reason: Text,
}

fn expert_record(form: &ExpertForm, slug: String) -> import::ExpertRecord {
    import::ExpertRecord {
        slug,
        name: form.name.get(),
        kind: form.kind.get(),
        affiliation: form.affiliation.optional(),
        title: form.title.optional(),
        bio: form.bio.optional(),
        aliases: form.aliases.lines(),
        members: form.members.lines(),
        retraction: None,
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

/// The edit form of the expert at `slug`, with its history below it.
async fn expert_page_with_history(
    state: &AppState,
    me: Analyst,
    slug: &str,
    id: i64,
) -> Result<EntryPage, AppError> {
    let mut page = expert_page(me, false, slug);
    page.history = history::history_of(&state.db, "expert", id).await?;
    Ok(page)
}

pub(super) async fn new_expert(SignedIn(me): SignedIn) -> EntryPage {
    expert_page(me, true, "")
}

pub(super) async fn create_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(form): Form<ExpertForm>,
) -> Result<Response, AppError> {
    let slug = slug_or_derived(&form.slug, &form.name.get());
    let mut errors = FieldErrors::default();
    let taken = experts::by_slug(&state.db, &slug).await?;
    refuse_taken_slug(&mut errors, taken.is_some(), "address", &slug, "expert");
    // An import matches a known spelling to its expert; a new expert must not take one.
    let record = expert_record(&form, slug.clone());
    for (field, spelling) in
        std::iter::once(("name", &record.name)).chain(record.aliases.iter().map(|a| ("aliases", a)))
    {
        if let Some(owner) = experts::named(&state.db, spelling).await? {
            errors.add(field, format!("\u{201c}{spelling}\u{201d} already names {owner}: add this spelling to that expert instead."));
        }
    }
    let mut file = data_set();
    file.experts.push(record);
    let page = expert_page(me, true, "");
    create(
        &state,
        page,
        &form,
        file,
        format!("/experts/{slug}"),
        errors,
    )
    .await
}

pub(super) async fn edit_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
) -> Result<EntryPage, AppError> {
    let expert = super::super::experts::find_expert(&state.db, &slug).await?;
    let mut page = expert_page_with_history(&state, me, &slug, expert.id).await?;
    page.fill(|name| match name {
        "name" => expert.name.clone(),
        "kind" => expert.kind.as_str().to_string(),
        "affiliation" => expert.affiliation.clone().unwrap_or_default(),
        "title" => expert.title.clone().unwrap_or_default(),
        "bio" => expert.bio.clone().unwrap_or_default(),
        "aliases" => expert.alias_list().join("\n"),
        "members" => expert.member_list().join("\n"),
        _ => String::new(),
    });
    page.heading = format!("Edit {}", expert.name);
    Ok(page)
}

pub(super) async fn update_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<ExpertForm>,
) -> Result<Response, AppError> {
    let expert = super::super::experts::find_expert(&state.db, &slug).await?;
    let mut file = data_set();
    file.experts
        .push(expert_record(&form, expert.slug.to_string()));
    let page = expert_page_with_history(&state, me, &slug, expert.id).await?;
    let done = format!("/experts/{slug}");
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

pub(super) async fn retract_expert(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<RetractForm>,
) -> Result<Response, AppError> {
    let expert = super::super::experts::find_expert(&state.db, &slug).await?;
    let record = (Retractable::Expert, expert.id);
    let page = expert_page_with_history(&state, me.clone(), &slug, expert.id);
    retract(
        &state,
        &me,
        record,
        &form,
        "expert",
        page,
        "/experts".into(),
    )
    .await
}

//! Adding sources.

use axum::extract::State;
use axum::response::Response;

use super::{EntryPage, FormField, Text, create, data_set};
use crate::import;
use crate::web::auth::{Analyst, SignedIn};
use crate::web::extract::Form;
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};

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

/// The source form, as posted.
#[derive(Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct SourceForm {
    title: Text,
    outlet: Text,
    url: Text,
    published_on: Text,
    authors: Text,
    note: Text,
}

pub(super) async fn new_source(SignedIn(me): SignedIn) -> EntryPage {
    source_page(me)
}

pub(super) async fn create_source(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let mut file = data_set();
    file.sources.push(import::SourceRecord {
        key: "form".into(),
        title: form.title.get(),
        outlet: form.outlet.get(),
        url: form.url.optional(),
        published_on: form.published_on.get(),
        authors: form.authors.lines(),
        note: form.note.optional(),
    });
    let done = "/predictions/new".into();
    create(
        &state,
        source_page(me),
        &form,
        file,
        done,
        FieldErrors::default(),
    )
    .await
}

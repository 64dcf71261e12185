//! Adding sources.

use std::convert::Infallible;

use super::kind::{Draft, RecordForm};
use super::{FormField, FormPage, Text, data_set};
use crate::db::Database;
use crate::import;
use crate::web::AppError;

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

/// Sources, which the form only ever adds.
impl RecordForm for SourceForm {
    type Record = Infallible;

    async fn page(_: &Database, _: Option<&Infallible>) -> Result<FormPage, AppError> {
        Ok(FormPage {
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
            submit: "Add the source",
            cancel: "/analyst".into(),
            retract: None,
        })
    }

    async fn draft(&self, _: &Database, _: Option<&Infallible>) -> Result<Draft, AppError> {
        let mut file = data_set();
        file.sources.push(import::SourceRecord {
            key: "form".into(),
            title: self.title.get(),
            outlet: self.outlet.get(),
            url: self.url.optional(),
            published_on: self.published_on.get(),
            authors: self.authors.lines(),
            note: self.note.optional(),
        });
        Ok(Draft::new(file, "/predictions/new".into()))
    }
}

//! Events and propositions.

use axum::extract::Path;

use super::kind::{Draft, EditForm, RecordForm};
use super::{
    FormField, FormPage, Text, Ticked, data_set, reason_field, refuse_taken_slug, slug_for,
};
use crate::db::events::{self, EventRow};
use crate::db::propositions::{self, PropositionRow};
use crate::db::{Database, forecasts};
use crate::domain::dates::AsOf;
use crate::import;
use crate::web::forms::FieldErrors;
use crate::web::path::{Numbered, PropositionNumber};
use crate::web::{AppError, CHOICES_LISTED};

async fn topic_options(db: &Database) -> Result<Vec<(String, String)>, AppError> {
    Ok(forecasts::topics(db)
        .await?
        .into_iter()
        .map(|(_, slug, name)| (slug, name))
        .collect())
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

impl RecordForm for EventForm {
    type Record = EventRow;

    async fn page(db: &Database, event: Option<&EventRow>) -> Result<FormPage, AppError> {
        let slug = event.map(|e| e.slug.to_string());
        let mut fields = vec![
            FormField::new("title", "Title", "text")
                .required()
                .hint("e.g. Putin's visit to Pyongyang, June 2024"),
        ];
        if slug.is_none() {
            fields
                .push(FormField::new("slug", "Address", "text").hint(
                    "for /events/…; left blank, it is made from the title; it never changes",
                ));
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
        Ok(FormPage {
            heading: if slug.is_some() {
                "Edit the event".into()
            } else {
                "Add an event".into()
            },
            intro: "Something that is going to happen, that predictions are about.".into(),
            action: slug
                .as_ref()
                .map(|s| format!("/events/{s}/edit"))
                .unwrap_or_else(|| "/events/new".into()),
            fields,
            submit: if slug.is_some() {
                "Save the changes"
            } else {
                "Add the event"
            },
            cancel: slug
                .map(|s| format!("/events/{s}"))
                .unwrap_or_else(|| "/events".into()),
            retract: None,
        })
    }

    async fn draft(&self, db: &Database, event: Option<&EventRow>) -> Result<Draft, AppError> {
        let slug = slug_for(event.map(|e| &e.slug), &self.slug, &self.title.get());
        let mut errors = FieldErrors::default();
        if event.is_none() && events::id_by_slug(db, &slug).await?.is_some() {
            refuse_taken_slug(&mut errors, "address", &slug, "event");
        }
        let mut file = data_set();
        file.events.push(import::EventRecord {
            slug: slug.clone(),
            title: self.title.get(),
            description: self.description.optional(),
            starts_on: self.starts_on.optional(),
            ends_on: self.ends_on.optional(),
            topics: self.topics.all(),
        });
        let done = format!("/events/{slug}");
        Ok(Draft { file, done, errors })
    }
}

impl EditForm for EventForm {
    type At = Path<String>;
    const ENTITY: &'static str = "event";

    async fn find(db: &Database, at: &Self::At) -> Result<Option<Self::Record>, AppError> {
        Ok(events::by_slug(db, &at.0, AsOf::Live).await?)
    }

    fn stored(event: &EventRow) -> Self {
        Self {
            title: event.title.clone().into(),
            description: event.description.as_deref().into(),
            starts_on: event.starts_on.into(),
            ends_on: event.ends_on.into(),
            topics: Ticked(event.topics.iter().map(ToString::to_string).collect()),
            ..Self::default()
        }
    }

    fn reason(&self) -> &Text {
        &self.reason
    }
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

impl RecordForm for PropositionForm {
    type Record = PropositionRow;

    async fn page(
        db: &Database,
        proposition: Option<&PropositionRow>,
    ) -> Result<FormPage, AppError> {
        let id = proposition.map(|p| p.id);
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
        Ok(FormPage {
            heading: if id.is_some() { "Edit the proposition".into() } else { "Add a proposition".into() },
            intro: "Several experts can predict on one proposition; their predictions are scored against its outcome.".into(),
            action: id.map(|i| format!("/propositions/{i}/edit")).unwrap_or_else(|| "/propositions/new".into()),
            fields,
            submit: if id.is_some() { "Save the changes" } else { "Add the proposition" },
            cancel: id.map(|i| format!("/propositions/{i}")).unwrap_or_else(|| "/analyst".into()),
            retract: None,
        })
    }

    async fn draft(
        &self,
        db: &Database,
        proposition: Option<&PropositionRow>,
    ) -> Result<Draft, AppError> {
        let statement = self.statement.get();
        let opening: Vec<_> = statement.split_whitespace().take(8).collect();
        let slug = slug_for(proposition.map(|p| &p.slug), &self.slug, &opening.join(" "));
        let mut errors = FieldErrors::default();
        if proposition.is_none() && propositions::slug_taken(db, &slug).await? {
            refuse_taken_slug(&mut errors, "slug", &slug, "proposition");
        }
        let done = match proposition {
            Some(proposition) => format!("/propositions/{}", proposition.id),
            None => format!("/events/{}", self.event.address()),
        };
        let mut file = data_set();
        file.propositions.push(import::PropositionRecord {
            slug,
            event: self.event.address(),
            statement: self.statement.get(),
            criteria: self.criteria.get(),
            decidable_by: self.decidable_by.get(),
            topics: self.topics.all(),
        });
        Ok(Draft { file, done, errors })
    }
}

impl EditForm for PropositionForm {
    type At = Numbered<PropositionNumber>;
    const ENTITY: &'static str = "proposition";

    async fn find(db: &Database, at: &Self::At) -> Result<Option<Self::Record>, AppError> {
        Ok(propositions::by_id(db, at.id()).await?)
    }

    fn stored(proposition: &PropositionRow) -> Self {
        Self {
            event: proposition.event.to_string().into(),
            statement: proposition.statement.clone().into(),
            criteria: proposition.criteria.clone().into(),
            decidable_by: proposition.decidable_by.to_string().into(),
            topics: Ticked(proposition.topics.iter().map(ToString::to_string).collect()),
            ..Self::default()
        }
    }

    fn reason(&self) -> &Text {
        &self.reason
    }
}

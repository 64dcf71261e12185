//! Adding, editing and retracting experts.

use axum::extract::Path;

use super::kind::{Draft, EditForm, RecordForm, Retracts};
use super::{FormField, FormPage, Text, data_set, reason_field, refuse_taken_slug, slug_for};
use crate::db::Database;
use crate::db::experts::{self, ExpertRow};
use crate::db::retraction::Retractable;
use crate::import;
use crate::web::AppError;
use crate::web::forms::FieldErrors;

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

impl RecordForm for ExpertForm {
    type Record = ExpertRow;

    async fn page(_: &Database, expert: Option<&ExpertRow>) -> Result<FormPage, AppError> {
        let new = expert.is_none();
        let slug = expert.map(|e| e.slug.to_string()).unwrap_or_default();
        Ok(FormPage {
            heading: expert.map_or_else(|| "Add an expert".into(), |e| format!("Edit {}", e.name)),
            intro: "One record per person: add every spelling an outlet uses under \u{201c}Other spellings\u{201d}, so predictions quoted under any of them count for one expert.".into(),
            action: if new { "/experts/new".into() } else { format!("/experts/{slug}/edit") },
            fields: expert_fields(new),
            submit: if new { "Add the expert" } else { "Save the changes" },
            cancel: if new { "/experts".into() } else { format!("/experts/{slug}") },
            retract: (!new).then(|| (format!("/experts/{slug}/retract"), "this expert".into())),
        })
    }

    async fn draft(&self, db: &Database, expert: Option<&ExpertRow>) -> Result<Draft, AppError> {
        let slug = slug_for(expert.map(|e| &e.slug), &self.slug, &self.name.get());
        let mut errors = FieldErrors::default();
        if expert.is_none() && experts::by_slug(db, &slug).await?.is_some() {
            refuse_taken_slug(&mut errors, "address", &slug, "expert");
        }
        let record = import::ExpertRecord {
            slug: slug.clone(),
            name: self.name.get(),
            kind: self.kind.get(),
            affiliation: self.affiliation.optional(),
            title: self.title.optional(),
            bio: self.bio.optional(),
            aliases: self.aliases.lines(),
            members: self.members.lines(),
            retraction: None,
        };
        if expert.is_none() {
            // An import matches a known spelling to its expert; a new expert must not take one.
            let spellings = record.aliases.iter().map(|a| ("aliases", a));
            for (field, spelling) in std::iter::once(("name", &record.name)).chain(spellings) {
                if let Some(owner) = experts::named(db, spelling).await? {
                    errors.add(field, format!("\u{201c}{spelling}\u{201d} already names {owner}: add this spelling to that expert instead."));
                }
            }
        }
        let mut file = data_set();
        file.experts.push(record);
        Ok(Draft {
            file,
            done: format!("/experts/{slug}"),
            errors,
        })
    }
}

impl EditForm for ExpertForm {
    type At = Path<String>;
    const ENTITY: &'static str = "expert";
    const MISSING_HINT: Option<&'static str> = Some(
        "The list of experts has everyone Hindsight scores, under every spelling of their name.",
    );

    async fn find(db: &Database, at: &Self::At) -> Result<Option<Self::Record>, AppError> {
        Ok(experts::by_slug(db, &at.0).await?)
    }

    fn stored(expert: &ExpertRow) -> Self {
        Self {
            name: expert.name.clone().into(),
            kind: expert.kind.as_str().to_string().into(),
            affiliation: expert.affiliation.as_deref().into(),
            title: expert.title.as_deref().into(),
            bio: expert.bio.as_deref().into(),
            aliases: expert.alias_list().join("\n").into(),
            members: expert.member_list().join("\n").into(),
            ..Self::default()
        }
    }

    fn reason(&self) -> &Text {
        &self.reason
    }
}

impl Retracts for ExpertForm {
    const RECORD: Retractable = Retractable::Expert;

    fn gone_to(_: &ExpertRow) -> String {
        "/experts".into()
    }
}

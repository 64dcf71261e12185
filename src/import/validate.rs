//! Turns the records of a file into domain types, collecting every problem with where it is.
//!
//! Each kind of record has its own step, in the order the format lists them: the catalogue
//! (analysts, topics, experts, sources, events, propositions) here, the claims (predictions and
//! their outcomes) in `claims`. The checks of a single field are `Checker`'s.

mod checker;
mod claims;
#[cfg(test)]
mod tests;

use super::ImportErrors;
use super::RecordKind::{
    Analysts, Events, Experts, Predictions, Propositions, Resolutions, Sources, Topics,
};
use super::format::*;
use super::valid::*;
use crate::domain::model::{Event, Expert, Proposition, Source, Topic};
use crate::domain::text::alias_key;
use crate::domain::{ExpertKind, Role, Slug};
use checker::{Checker, RecordChecker};

pub fn validate(file: &DataSetFile) -> Result<DataSet, ImportErrors> {
    let mut c = Checker { issues: Vec::new() };
    let set = DataSet {
        analysts: c.each(Analysts, &file.analysts, analyst),
        topics: c.each(Topics, &file.topics, topic),
        experts: c.each(Experts, &file.experts, expert),
        sources: c.each(Sources, &file.sources, source),
        events: c.each(Events, &file.events, event),
        propositions: c.each(Propositions, &file.propositions, proposition),
        predictions: c.each(Predictions, &file.predictions, claims::prediction),
        resolutions: c.each(Resolutions, &file.resolutions, claims::resolution),
    };
    if c.issues.is_empty() {
        Ok(set)
    } else {
        Err(ImportErrors(c.issues))
    }
}

fn analyst(c: &mut RecordChecker<'_>, record: &AnalystRecord) -> Option<ValidAnalyst> {
    c.unique("username", &record.username);
    let username = c.text("username", &record.username, 64);
    let display_name = c.text("display_name", &record.display_name, 200);
    let roles = "must be analyst or admin";
    let role = c.read("role", &record.role, Role::parse, roles);
    Some(ValidAnalyst {
        username: username?,
        display_name: display_name?,
        role: role?,
    })
}

/// The slug that names the record: well formed, and on no earlier record of its kind in the file.
fn own_slug(c: &mut RecordChecker<'_>, slug: &str) -> Option<Slug> {
    c.unique("slug", slug);
    c.slug("slug", slug)
}

fn topic(c: &mut RecordChecker<'_>, record: &TopicRecord) -> Option<Topic> {
    let slug = own_slug(c, &record.slug);
    let name = c.text("name", &record.name, 200);
    Some(Topic {
        slug: slug?,
        name: name?,
    })
}

fn expert(c: &mut RecordChecker<'_>, record: &ExpertRecord) -> Option<Expert> {
    let slug = own_slug(c, &record.slug);
    let name = c.text("name", &record.name, 300);
    let kinds = "must be person, group or collective";
    let kind = c.read("kind", &record.kind, ExpertKind::parse, kinds);
    let aliases = c.names("aliases", &record.aliases);
    // Every spelling of every name, so that one alias cannot name two experts.
    for alias in aliases.iter().chain(name.iter()) {
        c.unique("aliases", &alias_key(alias));
    }
    let members = c.names("members", &record.members);
    if kind == Some(ExpertKind::Group) && members.is_empty() {
        c.issue("members",
            "is required for a group: name the people speaking as one (or make the kind person or collective)",
        );
    }
    Some(Expert {
        affiliation: c.optional_text("affiliation", record.affiliation.as_deref(), 300),
        title: c.optional_text("title", record.title.as_deref(), 300),
        bio: c.optional_text("bio", record.bio.as_deref(), 4000),
        retraction: c.retraction(record.retraction.as_ref()),
        slug: slug?,
        name: name?,
        kind: kind?,
        aliases,
        members,
    })
}

fn source(c: &mut RecordChecker<'_>, record: &SourceRecord) -> Option<Source> {
    c.unique("key", &record.key);
    let key = c.text("key", &record.key, 200);
    let title = c.text("title", &record.title, 500);
    let outlet = c.text("outlet", &record.outlet, 200);
    let url = c.url("url", record.url.as_deref());
    let published_on = c.date("published_on", &record.published_on);
    let authors = c.names("authors", &record.authors);
    let note = c.optional_text("note", record.note.as_deref(), 2000);
    Some(Source {
        key: key?,
        title: title?,
        outlet: outlet?,
        url,
        published_on: published_on?,
        authors,
        note,
    })
}

fn event(c: &mut RecordChecker<'_>, record: &EventRecord) -> Option<Event> {
    let slug = own_slug(c, &record.slug);
    let title = c.text("title", &record.title, 300);
    let description = c.optional_text("description", record.description.as_deref(), 4000);
    let starts_on = c.optional_date("starts_on", record.starts_on.as_deref());
    let ends_on = c.optional_date("ends_on", record.ends_on.as_deref());
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        c.issue("ends_on", "is before starts_on");
    }
    let topics = c.slugs("topics", &record.topics);
    Some(Event {
        slug: slug?,
        title: title?,
        description,
        starts_on,
        ends_on,
        topics,
    })
}

fn proposition(c: &mut RecordChecker<'_>, record: &PropositionRecord) -> Option<Proposition> {
    let slug = own_slug(c, &record.slug);
    let event = c.slug("event", &record.event);
    let statement = c.text("statement", &record.statement, 1000);
    let criteria = c.text("criteria", &record.criteria, 4000);
    let decidable_by = c.date("decidable_by", &record.decidable_by);
    let topics = c.slugs("topics", &record.topics);
    Some(Proposition {
        slug: slug?,
        event: event?,
        statement: statement?,
        criteria: criteria?,
        decidable_by: decidable_by?,
        topics,
    })
}

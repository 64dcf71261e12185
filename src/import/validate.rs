//! Turns the records of a file into domain types, collecting every problem with where it is.
//!
//! Each kind of record has its own step, in the order the format lists them: the catalogue
//! (analysts, topics, experts, sources, events, propositions) here, the claims (predictions and
//! their outcomes) in `claims`. The checks of a single field are `Checker`'s.

mod checker;
mod claims;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use super::format::*;
use super::valid::*;
use super::{ImportErrors, RecordKind};
use crate::domain::model::{Event, Expert, Proposition, Source, Topic};
use crate::domain::text::alias_key;
use crate::domain::{ExpertKind, Role};
use checker::Checker;

pub fn validate(file: &DataSetFile) -> Result<DataSet, ImportErrors> {
    let mut c = Checker { issues: Vec::new() };
    let set = DataSet {
        analysts: analysts(&mut c, &file.analysts),
        topics: topics(&mut c, &file.topics),
        experts: experts(&mut c, &file.experts),
        sources: sources(&mut c, &file.sources),
        events: events(&mut c, &file.events),
        propositions: propositions(&mut c, &file.propositions),
        predictions: c.each(
            RecordKind::Predictions,
            &file.predictions,
            claims::prediction,
        ),
        resolutions: c.each(
            RecordKind::Resolutions,
            &file.resolutions,
            claims::resolution,
        ),
    };
    if c.issues.is_empty() {
        Ok(set)
    } else {
        Err(ImportErrors(c.issues))
    }
}

fn analysts(c: &mut Checker, records: &[AnalystRecord]) -> Vec<ValidAnalyst> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Analysts, records, |c, record| {
        c.unique(&mut seen, "username", &record.username);
        let username = c.text("username", &record.username, 64);
        let display_name = c.text("display_name", &record.display_name, 200);
        let roles = "must be analyst or admin";
        let role = c.read("role", &record.role, Role::parse, roles);
        Some(ValidAnalyst {
            username: username?,
            display_name: display_name?,
            role: role?,
        })
    })
}

fn topics(c: &mut Checker, records: &[TopicRecord]) -> Vec<Topic> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Topics, records, |c, record| {
        c.unique(&mut seen, "slug", &record.slug);
        let slug = c.slug("slug", &record.slug);
        let name = c.text("name", &record.name, 200);
        Some(Topic {
            slug: slug?,
            name: name?,
        })
    })
}

fn experts(c: &mut Checker, records: &[ExpertRecord]) -> Vec<Expert> {
    // Every spelling of every name, so that one alias cannot name two experts.
    let mut seen_aliases = HashSet::new();
    let mut seen = HashSet::new();
    c.each(RecordKind::Experts, records, |c, record| {
        c.unique(&mut seen, "slug", &record.slug);
        let slug = c.slug("slug", &record.slug);
        let name = c.text("name", &record.name, 300);
        let kinds = "must be person, group or collective";
        let kind = c.read("kind", &record.kind, ExpertKind::parse, kinds);
        let aliases = c.names("aliases", &record.aliases);
        for alias in aliases.iter().chain(name.iter()) {
            c.unique(&mut seen_aliases, "aliases", &alias_key(alias));
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
    })
}

fn sources(c: &mut Checker, records: &[SourceRecord]) -> Vec<Source> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Sources, records, |c, record| {
        c.unique(&mut seen, "key", &record.key);
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
    })
}

fn events(c: &mut Checker, records: &[EventRecord]) -> Vec<Event> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Events, records, |c, record| {
        c.unique(&mut seen, "slug", &record.slug);
        let slug = c.slug("slug", &record.slug);
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
    })
}

fn propositions(c: &mut Checker, records: &[PropositionRecord]) -> Vec<Proposition> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Propositions, records, |c, record| {
        c.unique(&mut seen, "slug", &record.slug);
        let slug = c.slug("slug", &record.slug);
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
    })
}

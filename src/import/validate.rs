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
        predictions: claims::predictions(&mut c, &file.predictions),
        resolutions: claims::resolutions(&mut c, &file.resolutions),
    };
    if c.issues.is_empty() {
        Ok(set)
    } else {
        Err(ImportErrors(c.issues))
    }
}

fn analysts(c: &mut Checker, records: &[AnalystRecord]) -> Vec<ValidAnalyst> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Analysts, records, |c, at, record| {
        c.unique(&mut seen, at, "username", &record.username);
        let username = c.text(at, "username", &record.username, 64);
        let display_name = c.text(at, "display_name", &record.display_name, 200);
        let role = c.one_of(at, "role", &record.role, Role::parse, "analyst or admin");
        Some(ValidAnalyst {
            username: username?,
            display_name: display_name?,
            role: role?,
        })
    })
}

fn topics(c: &mut Checker, records: &[TopicRecord]) -> Vec<Topic> {
    let mut seen = HashSet::new();
    c.each(RecordKind::Topics, records, |c, at, record| {
        c.unique(&mut seen, at, "slug", &record.slug);
        let slug = c.slug(at, "slug", &record.slug);
        let name = c.text(at, "name", &record.name, 200);
        Some(Topic {
            slug: slug?,
            name: name?,
        })
    })
}

fn experts(c: &mut Checker, records: &[ExpertRecord]) -> Vec<Expert> {
    let mut seen = HashSet::new();
    // Every spelling of every name, so that one alias cannot name two experts.
    let mut seen_aliases = HashSet::new();
    c.each(RecordKind::Experts, records, |c, at, record| {
        c.unique(&mut seen, at, "slug", &record.slug);
        let slug = c.slug(at, "slug", &record.slug);
        let name = c.text(at, "name", &record.name, 300);
        let kinds = "person, group or collective";
        let kind = c.one_of(at, "kind", &record.kind, ExpertKind::parse, kinds);
        let aliases = c.names(at, "aliases", &record.aliases);
        for alias in aliases.iter().chain(name.iter()) {
            c.unique(&mut seen_aliases, at, "aliases", &alias_key(alias));
        }
        let members = c.names(at, "members", &record.members);
        if kind == Some(ExpertKind::Group) && members.is_empty() {
            c.issue(
                at,
                "members",
                "is required for a group: name the people speaking as one (or make the kind person or collective)",
            );
        }
        Some(Expert {
            affiliation: c.optional_text(at, "affiliation", record.affiliation.as_deref(), 300),
            title: c.optional_text(at, "title", record.title.as_deref(), 300),
            bio: c.optional_text(at, "bio", record.bio.as_deref(), 4000),
            retraction: c.retraction(at, record.retraction.as_ref()),
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
    c.each(RecordKind::Sources, records, |c, at, record| {
        c.unique(&mut seen, at, "key", &record.key);
        let key = c.text(at, "key", &record.key, 200);
        let title = c.text(at, "title", &record.title, 500);
        let outlet = c.text(at, "outlet", &record.outlet, 200);
        let url = c.url(at, "url", record.url.as_deref());
        let published_on = c.date(at, "published_on", &record.published_on);
        let authors = c.names(at, "authors", &record.authors);
        let note = c.optional_text(at, "note", record.note.as_deref(), 2000);
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
    c.each(RecordKind::Events, records, |c, at, record| {
        c.unique(&mut seen, at, "slug", &record.slug);
        let slug = c.slug(at, "slug", &record.slug);
        let title = c.text(at, "title", &record.title, 300);
        let description = c.optional_text(at, "description", record.description.as_deref(), 4000);
        let starts_on = c.optional_date(at, "starts_on", record.starts_on.as_deref());
        let ends_on = c.optional_date(at, "ends_on", record.ends_on.as_deref());
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            c.issue(at, "ends_on", "is before starts_on");
        }
        let topics = c.slugs(at, "topics", &record.topics);
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
    c.each(RecordKind::Propositions, records, |c, at, record| {
        c.unique(&mut seen, at, "slug", &record.slug);
        let slug = c.slug(at, "slug", &record.slug);
        let event = c.slug(at, "event", &record.event);
        let statement = c.text(at, "statement", &record.statement, 1000);
        let criteria = c.text(at, "criteria", &record.criteria, 4000);
        let decidable_by = c.date(at, "decidable_by", &record.decidable_by);
        let topics = c.slugs(at, "topics", &record.topics);
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

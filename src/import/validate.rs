//! Turns the records of a file into domain types, collecting every problem with where it is.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::format::*;
use super::{ImportErrors, ImportIssue};
use crate::domain::dates::{parse_date, parse_moment};
use crate::domain::text::required;
use crate::domain::{ExpertKind, Outcome, Probability, ProbabilityBasis, Role, Slug};

#[derive(Debug, Clone)]
pub struct ValidAnalyst {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone)]
pub struct ValidTopic {
    pub slug: Slug,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ValidExpert {
    pub slug: Slug,
    pub name: String,
    pub kind: ExpertKind,
    pub affiliation: Option<String>,
    pub title: Option<String>,
    pub bio: Option<String>,
    pub aliases: Vec<String>,
    pub members: Vec<String>,
    pub retraction: Option<(DateTime<Utc>, String)>,
}

#[derive(Debug, Clone)]
pub struct ValidSource {
    pub key: String,
    pub title: String,
    pub outlet: String,
    pub url: Option<String>,
    pub published_on: NaiveDate,
    pub authors: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidEvent {
    pub slug: Slug,
    pub title: String,
    pub description: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub topics: Vec<Slug>,
}

#[derive(Debug, Clone)]
pub struct ValidProposition {
    pub slug: Slug,
    pub event: Slug,
    pub statement: String,
    pub criteria: String,
    pub decidable_by: NaiveDate,
    pub topics: Vec<Slug>,
}

#[derive(Debug, Clone)]
pub struct ValidPrediction {
    /// Which record this was, for messages found only when it meets the database.
    pub location: String,
    pub expert: String,
    pub proposition: Slug,
    pub source_key: String,
    pub quote: String,
    pub said_on: NaiveDate,
    pub hedge_words: Option<String>,
    pub basis: ProbabilityBasis,
    /// `None` only for basis scale, where the term gives it.
    pub probability: Option<Probability>,
    pub scale_term: Option<ScaleTermRef>,
    pub basis_note: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub retraction: Option<(DateTime<Utc>, String)>,
}

#[derive(Debug, Clone)]
pub struct ValidResolution {
    pub location: String,
    pub proposition: Slug,
    pub outcome: Outcome,
    pub decided_on: NaiveDate,
    pub evidence_url: Option<String>,
    pub rationale: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A data set with every record checked.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    pub analysts: Vec<ValidAnalyst>,
    pub topics: Vec<ValidTopic>,
    pub experts: Vec<ValidExpert>,
    pub sources: Vec<ValidSource>,
    pub events: Vec<ValidEvent>,
    pub propositions: Vec<ValidProposition>,
    pub predictions: Vec<ValidPrediction>,
    pub resolutions: Vec<ValidResolution>,
}

/// Collects problems so a file reports all of them at once.
struct Checker {
    issues: Vec<ImportIssue>,
}

impl Checker {
    fn retraction(
        &mut self,
        location: &str,
        retraction: Option<&Retraction>,
    ) -> Option<(DateTime<Utc>, String)> {
        let retraction = retraction?;
        let at = parse_moment(&retraction.at);
        if at.is_none() {
            self.issue(
                location,
                "retraction",
                format!("\"{}\" is not an RFC 3339 moment", retraction.at),
            );
        }
        let reason = self.text(location, "retraction", &retraction.reason, 2000);
        Some((at?, reason?))
    }

    fn issue(&mut self, location: &str, field: &str, message: impl Into<String>) {
        self.issues.push(ImportIssue {
            location: format!("{location}, field {field}"),
            message: message.into(),
        });
    }

    fn text(&mut self, location: &str, field: &str, value: &str, max: usize) -> Option<String> {
        match required(value) {
            None => {
                self.issue(location, field, "is required and may not be blank");
                None
            }
            Some(text) if text.chars().count() > max => {
                self.issue(location, field, format!("is longer than {max} characters"));
                None
            }
            Some(text) if text.contains('\0') => {
                self.nul(location, field);
                None
            }
            Some(text) => Some(text),
        }
    }

    /// SQLite's text functions stop at a NUL, so a value holding one could not be checked or
    /// shown whole.
    fn nul(&mut self, location: &str, field: &str) {
        self.issue(
            location,
            field,
            "holds a NUL character (byte 0), which text may not contain",
        );
    }

    fn optional_text(
        &mut self,
        location: &str,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let text = value.and_then(required)?;
        if text.chars().count() > max {
            self.issue(location, field, format!("is longer than {max} characters"));
            return None;
        }
        if text.contains('\0') {
            self.nul(location, field);
            return None;
        }
        Some(text)
    }

    fn slug(&mut self, location: &str, field: &str, value: &str) -> Option<Slug> {
        Slug::parse(value)
            .map_err(|e| self.issue(location, field, format!("\"{value}\" {e}")))
            .ok()
    }

    fn date(&mut self, location: &str, field: &str, value: &str) -> Option<NaiveDate> {
        let date = parse_date(value);
        if date.is_none() {
            self.issue(
                location,
                field,
                format!("\"{value}\" is not a date of the form YYYY-MM-DD"),
            );
        }
        date
    }

    fn optional_date(
        &mut self,
        location: &str,
        field: &str,
        value: Option<&str>,
    ) -> Option<NaiveDate> {
        value.and_then(|v| self.date(location, field, v))
    }

    fn url(&mut self, location: &str, field: &str, value: Option<&str>) -> Option<String> {
        let text = value.and_then(required)?;
        match url::Url::parse(&text) {
            Ok(parsed)
                if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() =>
            {
                Some(text)
            }
            _ => {
                self.issue(
                    location,
                    field,
                    format!("\"{text}\" is not an http or https link"),
                );
                None
            }
        }
    }

    fn unique(&mut self, seen: &mut HashSet<String>, location: &str, field: &str, key: &str) {
        if !seen.insert(key.to_string()) {
            self.issue(
                location,
                field,
                format!("\"{key}\" appears twice in the file"),
            );
        }
    }
}

fn names(checker: &mut Checker, location: &str, field: &str, values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| checker.text(location, field, v, 300))
        .collect()
}

fn slugs(checker: &mut Checker, location: &str, field: &str, values: &[String]) -> Vec<Slug> {
    values
        .iter()
        .filter_map(|v| checker.slug(location, field, v))
        .collect()
}

pub fn validate(file: &DataSetFile) -> Result<DataSet, ImportErrors> {
    let mut c = Checker { issues: Vec::new() };
    let mut set = DataSet::default();

    let mut seen = HashSet::new();
    for (i, record) in file.analysts.iter().enumerate() {
        let at = format!("analysts #{}", i + 1);
        c.unique(&mut seen, &at, "username", &record.username);
        let username = c.text(&at, "username", &record.username, 64);
        let display_name = c.text(&at, "display_name", &record.display_name, 200);
        let role = Role::parse(&record.role);
        if role.is_none() {
            c.issue(
                &at,
                "role",
                format!("\"{}\" must be analyst or admin", record.role),
            );
        }
        if let (Some(username), Some(display_name), Some(role)) = (username, display_name, role) {
            set.analysts.push(ValidAnalyst {
                username,
                display_name,
                role,
            });
        }
    }

    let mut seen = HashSet::new();
    for (i, record) in file.topics.iter().enumerate() {
        let at = format!("topics #{}", i + 1);
        c.unique(&mut seen, &at, "slug", &record.slug);
        let slug = c.slug(&at, "slug", &record.slug);
        let name = c.text(&at, "name", &record.name, 200);
        if let (Some(slug), Some(name)) = (slug, name) {
            set.topics.push(ValidTopic { slug, name });
        }
    }

    let mut seen = HashSet::new();
    let mut seen_aliases = HashSet::new();
    for (i, record) in file.experts.iter().enumerate() {
        let at = format!("experts #{}", i + 1);
        c.unique(&mut seen, &at, "slug", &record.slug);
        let slug = c.slug(&at, "slug", &record.slug);
        let name = c.text(&at, "name", &record.name, 300);
        let kind = ExpertKind::parse(&record.kind);
        if kind.is_none() {
            c.issue(
                &at,
                "kind",
                format!("\"{}\" must be person, group or collective", record.kind),
            );
        }
        let aliases = names(&mut c, &at, "aliases", &record.aliases);
        for alias in aliases.iter().chain(name.iter()) {
            c.unique(
                &mut seen_aliases,
                &at,
                "aliases",
                &crate::domain::text::alias_key(alias),
            );
        }
        let members = names(&mut c, &at, "members", &record.members);
        if kind == Some(ExpertKind::Group) && members.is_empty() {
            c.issue(
                &at,
                "members",
                "is required for a group: name the people speaking as one (or make the kind person or collective)",
            );
        }
        let affiliation = c.optional_text(&at, "affiliation", record.affiliation.as_deref(), 300);
        let title = c.optional_text(&at, "title", record.title.as_deref(), 300);
        let bio = c.optional_text(&at, "bio", record.bio.as_deref(), 4000);
        let retraction = c.retraction(&at, record.retraction.as_ref());
        if let (Some(slug), Some(name), Some(kind)) = (slug, name, kind) {
            set.experts.push(ValidExpert {
                slug,
                name,
                kind,
                affiliation,
                title,
                bio,
                aliases,
                members,
                retraction,
            });
        }
    }

    let mut seen = HashSet::new();
    for (i, record) in file.sources.iter().enumerate() {
        let at = format!("sources #{}", i + 1);
        c.unique(&mut seen, &at, "key", &record.key);
        let key = c.text(&at, "key", &record.key, 200);
        let title = c.text(&at, "title", &record.title, 500);
        let outlet = c.text(&at, "outlet", &record.outlet, 200);
        let url = c.url(&at, "url", record.url.as_deref());
        let published_on = c.date(&at, "published_on", &record.published_on);
        let authors = names(&mut c, &at, "authors", &record.authors);
        let note = c.optional_text(&at, "note", record.note.as_deref(), 2000);
        if let (Some(key), Some(title), Some(outlet), Some(published_on)) =
            (key, title, outlet, published_on)
        {
            set.sources.push(ValidSource {
                key,
                title,
                outlet,
                url,
                published_on,
                authors,
                note,
            });
        }
    }

    let mut seen = HashSet::new();
    for (i, record) in file.events.iter().enumerate() {
        let at = format!("events #{}", i + 1);
        c.unique(&mut seen, &at, "slug", &record.slug);
        let slug = c.slug(&at, "slug", &record.slug);
        let title = c.text(&at, "title", &record.title, 300);
        let description = c.optional_text(&at, "description", record.description.as_deref(), 4000);
        let starts_on = c.optional_date(&at, "starts_on", record.starts_on.as_deref());
        let ends_on = c.optional_date(&at, "ends_on", record.ends_on.as_deref());
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            c.issue(&at, "ends_on", "is before starts_on");
        }
        let topics = slugs(&mut c, &at, "topics", &record.topics);
        if let (Some(slug), Some(title)) = (slug, title) {
            set.events.push(ValidEvent {
                slug,
                title,
                description,
                starts_on,
                ends_on,
                topics,
            });
        }
    }

    let mut seen = HashSet::new();
    for (i, record) in file.propositions.iter().enumerate() {
        let at = format!("propositions #{}", i + 1);
        c.unique(&mut seen, &at, "slug", &record.slug);
        let slug = c.slug(&at, "slug", &record.slug);
        let event = c.slug(&at, "event", &record.event);
        let statement = c.text(&at, "statement", &record.statement, 1000);
        let criteria = c.text(&at, "criteria", &record.criteria, 4000);
        let decidable_by = c.date(&at, "decidable_by", &record.decidable_by);
        let topics = slugs(&mut c, &at, "topics", &record.topics);
        if let (Some(slug), Some(event), Some(statement), Some(criteria), Some(decidable_by)) =
            (slug, event, statement, criteria, decidable_by)
        {
            set.propositions.push(ValidProposition {
                slug,
                event,
                statement,
                criteria,
                decidable_by,
                topics,
            });
        }
    }

    for (i, record) in file.predictions.iter().enumerate() {
        let at = format!("predictions #{}", i + 1);
        let expert = c.text(&at, "expert", &record.expert, 300);
        let proposition = c.slug(&at, "proposition", &record.proposition);
        let source_key = c.text(&at, "source", &record.source, 200);
        let quote = c.text(&at, "quote", &record.quote, 5000);
        let said_on = c.date(&at, "said_on", &record.said_on);
        let hedge_words = c.optional_text(&at, "hedge_words", record.hedge_words.as_deref(), 300);
        let basis_note = c.optional_text(&at, "basis_note", record.basis_note.as_deref(), 2000);
        let basis = ProbabilityBasis::parse(&record.basis);
        let retraction = c.retraction(&at, record.retraction.as_ref());
        let recorded_at = record.recorded_at.as_deref().and_then(|text| {
            let moment = parse_moment(text);
            if moment.is_none() {
                c.issue(
                    &at,
                    "recorded_at",
                    format!("\"{text}\" is not an RFC 3339 moment or a YYYY-MM-DD date"),
                );
            }
            moment
        });
        let probability = match record.probability.map(Probability::new) {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                c.issue(
                    &at,
                    "probability",
                    format!("{} {e}", record.probability.unwrap_or_default()),
                );
                None
            }
            None => None,
        };
        match basis {
            None => c.issue(
                &at,
                "basis",
                format!("\"{}\" must be stated, scale or analyst", record.basis),
            ),
            Some(ProbabilityBasis::Scale) => {
                if record.scale_term.is_none() {
                    c.issue(&at, "scale_term", "is required when basis is scale");
                }
                if hedge_words.is_none() {
                    c.issue(
                        &at,
                        "hedge_words",
                        "is required when basis is scale: they are what the scale reads",
                    );
                }
            }
            Some(other) => {
                if record.probability.is_none() {
                    c.issue(
                        &at,
                        "probability",
                        format!("is required when basis is {}", other.as_str()),
                    );
                }
                if other == ProbabilityBasis::Stated
                    && let Some(term) = &record.scale_term
                {
                    c.issue(
                        &at,
                        "scale_term",
                        format!(
                            "\"{}\" is a scale term, but basis stated means the expert gave the number: leave the term out, or use basis scale",
                            term.term
                        ),
                    );
                }
                if other == ProbabilityBasis::Analyst && basis_note.is_none() {
                    c.issue(
                        &at,
                        "basis_note",
                        "is required when basis is analyst: say why the number is what it is",
                    );
                }
            }
        }
        if let (
            Some(expert),
            Some(proposition),
            Some(source_key),
            Some(quote),
            Some(said_on),
            Some(basis),
        ) = (expert, proposition, source_key, quote, said_on, basis)
        {
            set.predictions.push(ValidPrediction {
                location: at,
                expert,
                proposition,
                source_key,
                quote,
                said_on,
                hedge_words,
                basis,
                probability,
                scale_term: record.scale_term.clone(),
                basis_note,
                recorded_at,
                retraction,
            });
        }
    }

    for (i, record) in file.resolutions.iter().enumerate() {
        let at = format!("resolutions #{}", i + 1);
        let proposition = c.slug(&at, "proposition", &record.proposition);
        let outcome = Outcome::parse(&record.outcome);
        if outcome.is_none() {
            c.issue(
                &at,
                "outcome",
                format!("\"{}\" must be true, false or annulled", record.outcome),
            );
        }
        let decided_on = c.date(&at, "decided_on", &record.decided_on);
        let evidence_url = c.url(&at, "evidence_url", record.evidence_url.as_deref());
        let rationale = c.text(&at, "rationale", &record.rationale, 5000);
        let recorded_by = c.text(&at, "recorded_by", &record.recorded_by, 64);
        let recorded_at = parse_moment(&record.recorded_at);
        if recorded_at.is_none() {
            c.issue(
                &at,
                "recorded_at",
                format!(
                    "\"{}\" is not an RFC 3339 moment or a YYYY-MM-DD date",
                    record.recorded_at
                ),
            );
        }
        let today = Utc::now().date_naive();
        if decided_on.is_some_and(|day| day > today) {
            c.issue(
                &at,
                "decided_on",
                format!(
                    "\"{}\" is in the future: an outcome is recorded once it is decided",
                    record.decided_on
                ),
            );
        }
        // A bare date means that whole day, so today is never "in the future"; a moment may run
        // a few minutes ahead of this server's clock.
        let claimed_future = recorded_at.is_some_and(|moment| {
            if record.recorded_at.trim().len() == 10 {
                moment.date_naive() > today
            } else {
                moment > Utc::now() + chrono::Duration::minutes(5)
            }
        });
        if claimed_future {
            c.issue(
                &at,
                "recorded_at",
                format!(
                    "\"{}\" is in the future: say when the outcome was recorded, not when it will be",
                    record.recorded_at
                ),
            );
        }
        if let (
            Some(proposition),
            Some(outcome),
            Some(decided_on),
            Some(rationale),
            Some(recorded_by),
            Some(recorded_at),
        ) = (
            proposition,
            outcome,
            decided_on,
            rationale,
            recorded_by,
            recorded_at,
        ) {
            set.resolutions.push(ValidResolution {
                location: at,
                proposition,
                outcome,
                decided_on,
                evidence_url,
                rationale,
                recorded_by,
                recorded_at,
            });
        }
    }

    if c.issues.is_empty() {
        Ok(set)
    } else {
        Err(ImportErrors(c.issues))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{DEMO_DATA_SET, parse};

    fn file_with_prediction(probability: &str, basis: &str) -> String {
        format!(
            r#"{{"format": "hindsight/v1", "predictions": [{{"expert": "x", "proposition": "p",
            "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "{basis}",
            "probability": {probability}}}]}}"#
        )
    }

    fn issues_of(text: &str) -> Vec<String> {
        match parse(text).and_then(|f| validate(&f)) {
            Ok(_) => Vec::new(),
            Err(ImportErrors(issues)) => issues.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn the_demo_data_set_is_valid() {
        let set = parse(DEMO_DATA_SET).and_then(|f| validate(&f));
        assert!(set.is_ok(), "{:?}", set.err());
    }

    #[test]
    fn a_probability_above_one_names_its_record_and_field() {
        let issues = issues_of(&file_with_prediction("1.5", "stated"));
        assert_eq!(
            issues,
            vec!["predictions #1, field probability: 1.5 must be between 0 and 1 (or 0% and 100%)"]
        );
    }

    #[test]
    fn analyst_judgement_needs_a_reason() {
        let issues = issues_of(&file_with_prediction("0.3", "analyst"));
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0].starts_with("predictions #1, field basis_note"),
            "{issues:?}"
        );
    }

    #[test]
    fn bad_json_gives_line_and_column_once() {
        let issues = issues_of("{\"format\": \"hindsight/v1\",\n \"experts\": [}");
        assert_eq!(issues.len(), 1);
        assert!(issues[0].starts_with("line 2, column 14: "), "{issues:?}");
        assert_eq!(
            issues[0].matches("line").count(),
            1,
            "the place is said once: {issues:?}"
        );
    }

    #[test]
    fn an_unknown_top_level_field_is_named() {
        let issues = issues_of("{\"format\": \"hindsight/v1\",\n \"expertz\": []}");
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(
            issues[0].starts_with("field expertz: unknown field \"expertz\""),
            "{issues:?}"
        );
    }

    /// Before: one message, "line 1, column 320: missing field `decidable_by` at line 1
    /// column 320", for the first problem only.
    #[test]
    fn structural_errors_name_every_record_and_field_at_once() {
        let text = r#"{"format": "hindsight/v1",
          "experts": [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B", "nickname": "Bee"}],
          "propositions": [{"slug": "p", "event": "e", "statement": "S.", "criteria": "C."}],
          "predictions": [
            {"expert": "a", "proposition": "p", "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "scale", "hedge_words": "unlikely", "scale_term": {"scale": "icd-203"}},
            {"expert": "a", "proposition": "p", "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "stated", "probability": true}
          ]}"#;
        let issues = issues_of(text);
        assert_eq!(
            issues,
            vec![
                "experts #2, field nickname: is not a field of this record (expected one of slug, name, kind, affiliation, title, bio, aliases, members, retraction)",
                "propositions #1, field decidable_by: is missing",
                "predictions #1, field scale_term.term: is missing",
                "predictions #2, field probability: invalid type: boolean `true`, expected a number from 0 to 1, or a percentage such as \"71.4%\"",
            ],
        );
    }

    #[test]
    fn a_list_or_record_of_the_wrong_shape_is_named() {
        let issues = issues_of(
            r#"{"format": "hindsight/v1", "topics": {"slug": "t"}, "experts": ["Lim Eul-chul"]}"#,
        );
        assert_eq!(
            issues,
            vec![
                "field topics: must be a list ([...]) of records, not an object",
                "experts #1: must be a record ({...}), not text",
            ]
        );
    }

    #[test]
    fn a_probability_may_be_written_as_a_percentage() {
        for (written, value) in [("\"71.4%\"", 0.714), ("\"35 %\"", 0.35), ("\"0.25\"", 0.25)] {
            let file = parse(&file_with_prediction(written, "stated"));
            let set = file.and_then(|f| validate(&f));
            let p = set.map(|s| s.predictions[0].probability.map(Probability::value));
            assert!(
                matches!(p, Ok(Some(v)) if (v - value).abs() < 1e-12),
                "{written}: {p:?}"
            );
        }
        assert_eq!(
            issues_of(&file_with_prediction("\"140%\"", "stated")),
            vec![
                "predictions #1, field probability: \"140%\" must be between 0 and 1 (or 0% and 100%)"
            ]
        );
    }

    #[test]
    fn a_group_needs_its_members() {
        let issues = issues_of(
            r#"{"format": "hindsight/v1", "experts": [{"slug": "pair", "name": "Two co-authors", "kind": "group"}]}"#,
        );
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(
            issues[0].starts_with("experts #1, field members: is required for a group"),
            "{issues:?}"
        );
    }

    #[test]
    fn a_stated_number_has_no_scale_term() {
        let text = r#"{"format": "hindsight/v1", "predictions": [{"expert": "x", "proposition": "p",
            "source": "s", "quote": "q", "said_on": "2024-06-13", "basis": "stated", "probability": 0.3,
            "scale_term": {"scale": "icd-203", "term": "unlikely"}}]}"#;
        let issues = issues_of(text);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(
            issues[0].starts_with(
                "predictions #1, field scale_term: \"unlikely\" is a scale term, but basis stated"
            ),
            "{issues:?}"
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(issues_of("  \n"), vec!["line 1: the file is empty"]);
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let text = r#"{"format": "hindsight/v1",
          "experts": [{"slug": "Bad Slug", "name": " ", "kind": "robot"}],
          "sources": [{"key": "s", "title": "t", "outlet": "o", "published_on": "13/06/2024", "url": "ftp://x"}]}"#;
        let issues = issues_of(text);
        assert_eq!(issues.len(), 5, "{issues:?}");
        assert!(
            issues
                .iter()
                .any(|i| i.starts_with("sources #1, field published_on"))
        );
        assert!(
            issues
                .iter()
                .any(|i| i.starts_with("sources #1, field url"))
        );
    }

    #[test]
    fn one_alias_cannot_name_two_experts() {
        let text = r#"{"format": "hindsight/v1", "experts": [
          {"slug": "a", "name": "Joh Han-beom"}, {"slug": "b", "name": "B", "aliases": ["joh hanbeom"]}]}"#;
        let issues = issues_of(text);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].starts_with("experts #2, field aliases"));
    }
}

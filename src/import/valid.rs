//! The records of a data set once checked: what `validate` makes of a file's records, and what
//! `db::dataset` writes. Each field holds a value its type has checked (a slug, a date, a
//! probability within [0, 1]), so a bad value cannot reach the database.

use chrono::{DateTime, NaiveDate, Utc};

use super::format::ScaleTermRef;
use super::issue::RecordRef;
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
    pub record: RecordRef,
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
    /// Which record this was, for messages found only when it meets the database.
    pub record: RecordRef,
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

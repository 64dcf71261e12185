//! The model: the records Hindsight keeps, as values that have passed their checks.
//!
//! A file, a form, the API and article extraction all produce these (through `import`), and
//! `db::dataset` writes them. Every field holds a value its type has checked: a `Slug` is
//! URL-safe, a date is a date, a `Probability` lies within [0, 1], a kind or an outcome is one
//! of its names, and how a prediction's number was obtained is an `Estimate` whose variants
//! carry exactly what each way of obtaining it requires. The rules tying one field to another
//! (a group names its members, an event ends after it starts, an outcome is not in the future)
//! are checked where the values are read, with the record and field named (`import::validate`).
//!
//! What a record refers to it names the way a file does: an expert by slug or any of their
//! names, a proposition or an event by slug, a source by its key in the file. Ids are the
//! database's business.

mod estimate;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use estimate::{Estimate, EstimateError, GivenEstimate, ScaleReading, ScaleTerm};

use super::{ExpertKind, Outcome, Slug};

/// A slug is written as its text wherever the model is serialised (the JSON API).
/// When and why a record was retracted: it leaves pages and scores from then on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retraction {
    pub at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub slug: Slug,
    pub name: String,
}

/// Who made predictions: a person, a group speaking as one, or an anonymous collective.
///
/// Serialised as the JSON API shows it; the API's schema is derived from it too, which is why
/// some of its fields carry plain comments (a doc comment would become their description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Expert {
    #[schema(value_type = String)]
    pub slug: Slug,
    pub name: String,
    /// person, group or collective
    #[schema(value_type = String)]
    pub kind: ExpertKind,
    pub affiliation: Option<String>,
    pub title: Option<String>,
    pub bio: Option<String>,
    // Other spellings the expert is matched by.
    pub aliases: Vec<String>,
    // For a group, the people speaking as one.
    pub members: Vec<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub retraction: Option<Retraction>,
}

/// An article or brief predictions were published in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Source {
    /// What the file's predictions call it; not kept (a stored source goes by its id).
    #[serde(skip)]
    #[schema(ignore)]
    pub key: String,
    pub title: String,
    pub outlet: String,
    pub url: Option<String>,
    #[schema(value_type = String)]
    pub published_on: NaiveDate,
    pub authors: Vec<String>,
    pub note: Option<String>,
}

/// Something that happens, about which propositions are made.
///
/// The JSON API names its topics, so they are left for it to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Event {
    #[schema(value_type = String)]
    pub slug: Slug,
    pub title: String,
    pub description: Option<String>,
    #[schema(value_type = Option<String>)]
    pub starts_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>)]
    pub ends_on: Option<NaiveDate>,
    #[serde(skip)]
    #[schema(ignore)]
    pub topics: Vec<Slug>,
}

/// A statement about an event that will turn out true or false, and how to tell.
///
/// The JSON API names its topics, so they are left for it to write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Proposition {
    #[schema(value_type = String)]
    pub slug: Slug,
    #[schema(value_type = String)]
    pub event: Slug,
    pub statement: String,
    pub criteria: String,
    #[schema(value_type = String)]
    pub decidable_by: NaiveDate,
    #[serde(skip)]
    #[schema(ignore)]
    pub topics: Vec<Slug>,
}

/// What an expert said of a proposition, where and when, and the probability it amounts to.
///
/// As entered, a number read off an estimative scale is not known until the scale is looked up
/// (the scales are data), so a prediction is read as a `Prediction<GivenEstimate>` and its
/// `GivenEstimate::read` gives the `Estimate` once the scale's number for the term is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction<E = Estimate> {
    /// The expert's slug or one of their names.
    pub expert: String,
    pub proposition: Slug,
    /// The key of the source it was published in.
    pub source: String,
    pub quote: String,
    pub said_on: NaiveDate,
    /// The words that carried the probability ("highly unlikely").
    pub hedge_words: Option<String>,
    pub estimate: E,
    /// When it went on record elsewhere: a claim, kept and exported.
    pub recorded_at: Option<DateTime<Utc>>,
    pub retraction: Option<Retraction>,
}

/// An outcome recorded for a proposition; a later one supersedes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub proposition: Slug,
    pub outcome: Outcome,
    pub decided_on: NaiveDate,
    pub evidence_url: Option<String>,
    pub rationale: String,
    /// The username of whoever recorded it, as claimed.
    pub recorded_by: String,
    /// When it was recorded, as claimed.
    pub recorded_at: DateTime<Utc>,
}

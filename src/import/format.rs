//! The records of a `hindsight/v1` file exactly as written, before validation. Unknown fields
//! are refused so that a misspelt field name is an error, not silently lost data.

use serde::{Deserialize, Serialize};

pub const FORMAT_V1: &str = "hindsight/v1";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSetFile {
    pub format: String,
    #[serde(default)]
    pub analysts: Vec<AnalystRecord>,
    #[serde(default)]
    pub topics: Vec<TopicRecord>,
    #[serde(default)]
    pub experts: Vec<ExpertRecord>,
    #[serde(default)]
    pub sources: Vec<SourceRecord>,
    #[serde(default)]
    pub events: Vec<EventRecord>,
    #[serde(default)]
    pub propositions: Vec<PropositionRecord>,
    #[serde(default)]
    pub predictions: Vec<PredictionRecord>,
    #[serde(default)]
    pub resolutions: Vec<ResolutionRecord>,
}

/// An account that recorded outcomes. Imported accounts cannot sign in: a password is only
/// ever set by its owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalystRecord {
    pub username: String,
    pub display_name: String,
    #[serde(default = "default_role")]
    pub role: String,
}

fn default_role() -> String {
    "analyst".to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicRecord {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertRecord {
    pub slug: String,
    pub name: String,
    /// person, group or collective
    #[serde(default = "default_kind")]
    pub kind: String,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    /// Other spellings of the name, as outlets print it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// For a group: the people speaking as one.
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retraction: Option<Retraction>,
}

/// When and why a record was retracted: it leaves pages and scores from then on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Retraction {
    /// RFC 3339
    pub at: String,
    pub reason: String,
}

fn default_kind() -> String {
    "person".to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    /// How predictions in this file refer to the source; not stored.
    pub key: String,
    pub title: String,
    pub outlet: String,
    #[serde(default)]
    pub url: Option<String>,
    /// YYYY-MM-DD
    pub published_on: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A source on record, as a file gives it: the export writes it so, and a form refers to it so.
impl From<crate::domain::model::Source> for SourceRecord {
    fn from(source: crate::domain::model::Source) -> Self {
        Self {
            key: source.key,
            title: source.title,
            outlet: source.outlet,
            url: source.url,
            published_on: source.published_on.to_string(),
            authors: source.authors,
            note: source.note,
        }
    }
}

/// Read from a file, or from the database by the export (its topics added after).
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
    #[serde(default)]
    #[sqlx(skip)]
    pub topics: Vec<String>,
}

/// Read from a file, or from the database by the export (its topics added after).
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct PropositionRecord {
    pub slug: String,
    /// The event's slug.
    pub event: String,
    pub statement: String,
    pub criteria: String,
    /// YYYY-MM-DD
    pub decidable_by: String,
    #[serde(default)]
    #[sqlx(skip)]
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictionRecord {
    /// The expert's slug or any of their aliases.
    pub expert: String,
    /// The proposition's slug.
    pub proposition: String,
    /// The key of a source in this file.
    pub source: String,
    pub quote: String,
    /// YYYY-MM-DD
    pub said_on: String,
    #[serde(default)]
    pub hedge_words: Option<String>,
    /// stated, scale or analyst
    pub basis: String,
    /// Required for stated and analyst; for scale it is read from the scale term. A number
    /// from 0 to 1, or, as the forms accept it, a percentage: `"71.4%"` (also `"0.714"`).
    #[serde(default, deserialize_with = "probability_number_or_text")]
    pub probability: Option<f64>,
    /// For basis scale: the scale's slug and the term, e.g. {"scale": "icd-203", "term": "unlikely"}.
    #[serde(default)]
    pub scale_term: Option<ScaleTermRef>,
    /// Why the number is what it is; required for basis analyst.
    #[serde(default)]
    pub basis_note: Option<String>,
    /// When the prediction went on record elsewhere (RFC 3339 or YYYY-MM-DD): provenance, kept
    /// and exported as a claim. When it entered this database is the import's own moment, and
    /// that alone is what a scorecard "as of" a moment reads.
    #[serde(default)]
    pub recorded_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retraction: Option<Retraction>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ScaleTermRef {
    pub scale: String,
    pub term: String,
}

/// Read from a file, or from the database by the export.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct ResolutionRecord {
    /// The proposition's slug.
    pub proposition: String,
    /// true, false or annulled
    pub outcome: String,
    /// YYYY-MM-DD
    pub decided_on: String,
    #[serde(default)]
    pub evidence_url: Option<String>,
    pub rationale: String,
    /// Who recorded it, as the file says: kept as a claim. The outcome is recorded in this
    /// database by whoever runs the import.
    pub recorded_by: String,
    /// When it was recorded, as the file says (RFC 3339 or YYYY-MM-DD, not in the future): kept
    /// as a claim, and how a re-import recognises an outcome already on record.
    pub recorded_at: String,
}

/// A probability as a number (checked against 0..=1 by validation, which names the field) or as
/// text the forms would accept ("71.4%", "0.714"), read by the same parser as the forms.
fn probability_number_or_text<'de, D>(deserializer: D) -> Result<Option<f64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor;

    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<f64>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number from 0 to 1, or a percentage such as \"71.4%\"")
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(value as f64))
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(value as f64))
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            crate::domain::Probability::parse(text)
                .map(|p| Some(p.value()))
                .map_err(|e| E::custom(format!("\"{text}\" {e}")))
        }
    }

    deserializer.deserialize_any(Visitor)
}

//! Reads a news article and proposes the predictions in it: who said what about the future, in
//! which words, and what probability those words carry. Plain Rust, no I/O: the caller passes
//! what the database knows (`Knowledge`) and gets `Candidate`s back for an analyst to review.
//! Nothing here writes; a reviewed candidate is saved through the import pipeline.

// The API documents these types as they are (`utoipa::ToSchema`): the JSON the reader's
// callers get is this module's own shape, not a copy of it.
use serde::Serialize;

/// An expert already on record, for matching speakers against.
#[derive(Debug, Clone)]
pub struct KnownExpert {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub affiliation: Option<String>,
}

/// One term of an estimative scale in the database.
#[derive(Debug, Clone)]
pub struct KnownScaleTerm {
    /// The scale's slug, e.g. "uk-yardstick".
    pub scale: String,
    pub term: String,
    pub probability: f64,
}

/// What the database knows that the reader uses. The experts' index is built once, the first
/// time an article is read with it (for 2,000 experts building it takes longer than reading an
/// article), and kept as long as this value: the experts cannot change under it.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    experts: Vec<KnownExpert>,
    pub scale_terms: Vec<KnownScaleTerm>,
    index: std::sync::OnceLock<std::sync::Arc<names::ExpertIndex>>,
}

impl Knowledge {
    pub fn new(experts: Vec<KnownExpert>, scale_terms: Vec<KnownScaleTerm>) -> Self {
        Self {
            experts,
            scale_terms,
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn experts(&self) -> &[KnownExpert] {
        &self.experts
    }

    /// The index of the experts' spellings, built on first use.
    pub fn expert_index(&self) -> std::sync::Arc<names::ExpertIndex> {
        std::sync::Arc::clone(
            self.index
                .get_or_init(|| std::sync::Arc::new(names::ExpertIndex::new(&self.experts))),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerKind {
    Person,
    Group,
    Collective,
    Unattributed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    Direct,
    Reported,
    AccordingTo,
    Unattributed,
}

/// The proposition a candidate is about: a drafted statement, and (filled in by the caller,
/// which holds the search index) existing propositions it may be.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PropositionSuggestion {
    pub slug: Option<String>,
    pub statement: String,
    pub alternatives: Vec<String>,
}

/// One proposed prediction, for an analyst to accept, edit or reject.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Candidate {
    /// Verbatim text of the input: `text[start..end] == quote`.
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    pub speaker: Option<String>,
    pub speaker_kind: SpeakerKind,
    pub affiliation: Option<String>,
    pub title: Option<String>,
    /// The slug of the expert on record this speaker is, when exactly one matches.
    pub expert: Option<String>,
    /// Other experts on record this speaker may be (spelling variants), for the analyst.
    pub expert_alternatives: Vec<String>,
    pub attribution: Attribution,
    pub hedge_words: Option<String>,
    pub probability: Option<f64>,
    pub scale: Option<String>,
    pub scale_term: Option<String>,
    pub probability_reason: String,
    pub proposition: PropositionSuggestion,
}

pub use describe::describe;

/// The candidate predictions in an article's plain text, in the order they appear.
pub fn extract(text: &str, known: &Knowledge) -> Vec<Candidate> {
    reader::read(text, known)
}

mod apposition;
mod attribution;
mod describe;
mod filters;
pub mod gold;
pub mod hedges;
pub mod html;
pub mod input;
mod likelihood;
pub mod names;
mod phrases;
mod quoted;
mod quotes;
mod reader;
mod segments;
mod sentences;
mod speakers;
mod statement;
#[cfg(test)]
mod tests;
mod text;
mod triggers;

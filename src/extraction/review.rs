//! A review: the article's details and, for each candidate, the analyst's decision and edits.
//! Kept as one JSON document (`extraction_reviews.state`) between visits, so an analyst can stop
//! and resume; nothing in it is a record until the review is committed.

use serde::{Deserialize, Serialize};

use crate::db::extraction::SimilarProposition;
use crate::extract::{Candidate, SpeakerKind};

/// The value of the expert and proposition choices that means "a new one, as written below".
/// Slugs are lower-case letters, digits and hyphens, so no slug is this.
pub const NEW: &str = "+new";

/// What the analyst decided for a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    #[default]
    Undecided,
    Accept,
    Reject,
}

impl Decision {
    pub fn parse(text: &str) -> Self {
        match text {
            "accept" => Self::Accept,
            "reject" => Self::Reject,
            _ => Self::Undecided,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Undecided => "undecided",
            Self::Accept => "accept",
            Self::Reject => "reject",
        }
    }
}

/// A (value, label) pair of a choice list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The source the predictions come from, and where new propositions go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDetails {
    pub title: String,
    pub outlet: String,
    pub url: String,
    /// YYYY-MM-DD: the predictions are dated to it.
    pub published_on: String,
    /// The event new propositions belong to (its slug).
    pub event: String,
    /// YYYY-MM-DD: when new propositions can be decided.
    pub decidable_by: String,
}

/// One candidate as the analyst has it so far. Text fields hold what was typed, unparsed: the
/// commit checks them all at once through the import's own checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub decision: Decision,
    pub quote: String,
    /// Where the reader found the quote in the article (byte offsets), as proposed.
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    /// The speaker as printed, and (for a new expert) how to record them.
    pub speaker: String,
    /// person, group or collective.
    pub speaker_kind: String,
    pub affiliation: String,
    pub title: String,
    /// direct, reported, according_to or unattributed: how the article attributes it.
    pub attribution: String,
    /// An expert's slug, or `NEW` for a new expert from the speaker fields.
    pub expert: String,
    pub expert_choices: Vec<Choice>,
    /// A proposition's slug, or `NEW` for a new one from `statement` and `criteria`.
    pub proposition: String,
    pub proposition_choices: Vec<Choice>,
    pub statement: String,
    pub criteria: String,
    pub hedge_words: String,
    /// As typed: "0.45" or "45%".
    pub probability: String,
    /// stated, scale or analyst.
    pub basis: String,
    /// "scale|term" for basis scale.
    pub scale_term: String,
    /// Why the number is what it is (the basis note of an analyst's reading).
    pub reason: String,
}

/// The whole review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewState {
    pub article: ArticleDetails,
    pub items: Vec<ReviewItem>,
}

/// A number as the forms show it ("45%", "67.5%"), as every page does; a number that is no
/// probability stays as it is, for the commit's check to refuse by name.
pub fn percent(probability: f64) -> String {
    crate::domain::Probability::new(probability).map_or_else(
        |_| probability.to_string(),
        crate::domain::Probability::percent,
    )
}

fn speaker_kind(kind: SpeakerKind) -> &'static str {
    match kind {
        SpeakerKind::Person => "person",
        SpeakerKind::Group => "group",
        SpeakerKind::Collective | SpeakerKind::Unattributed => "collective",
    }
}

fn attribution(candidate: &Candidate) -> &'static str {
    match candidate.attribution {
        crate::extract::Attribution::Direct => "direct",
        crate::extract::Attribution::Reported => "reported",
        crate::extract::Attribution::AccordingTo => "according_to",
        crate::extract::Attribution::Unattributed => "unattributed",
    }
}

/// How the candidate's number was reached, as the import names it: a scale term, a number the
/// speaker gave, or otherwise the reader's reading, which the analyst answers for.
fn basis(candidate: &Candidate) -> &'static str {
    let stated = candidate
        .hedge_words
        .as_deref()
        .is_some_and(|words| words.chars().any(|c| c.is_ascii_digit()));
    if candidate.scale_term.is_some() && candidate.scale.is_some() {
        "scale"
    } else if stated {
        "stated"
    } else {
        "analyst"
    }
}

/// A review item from a reader's candidate. `experts` names the expert slugs it proposes
/// (slug → name), `propositions` the existing propositions it proposes.
pub fn item_from(
    candidate: &Candidate,
    expert_names: &dyn Fn(&str) -> String,
    propositions: &[SimilarProposition],
    outlet: &str,
) -> ReviewItem {
    let mut expert_choices: Vec<Choice> = candidate
        .expert
        .iter()
        .chain(candidate.expert_alternatives.iter())
        .map(|slug| Choice {
            value: slug.clone(),
            label: expert_names(slug),
        })
        .collect();
    expert_choices.dedup_by(|a, b| a.value == b.value);
    let unattributed = candidate.speaker_kind == SpeakerKind::Unattributed;
    let speaker = match (&candidate.speaker, unattributed) {
        (Some(name), false) => name.clone(),
        // The writer's own voice is the outlet's forecast.
        _ => outlet.to_string(),
    };
    let statement = candidate.proposition.statement.clone();
    ReviewItem {
        decision: Decision::Undecided,
        quote: candidate.quote.clone(),
        start: candidate.start,
        end: candidate.end,
        sentence: candidate.sentence.clone(),
        speaker,
        speaker_kind: speaker_kind(candidate.speaker_kind).to_string(),
        affiliation: candidate.affiliation.clone().unwrap_or_default(),
        title: candidate.title.clone().unwrap_or_default(),
        attribution: attribution(candidate).to_string(),
        expert: candidate.expert.clone().unwrap_or_else(|| NEW.to_string()),
        expert_choices,
        proposition: NEW.to_string(),
        proposition_choices: propositions
            .iter()
            .map(|p| Choice {
                value: p.slug.clone(),
                label: p.statement.clone(),
            })
            .collect(),
        criteria: format!(
            "True if this happens as stated: {}",
            statement.trim_end_matches('.')
        ),
        statement,
        hedge_words: candidate.hedge_words.clone().unwrap_or_default(),
        probability: candidate.probability.map(percent).unwrap_or_default(),
        basis: basis(candidate).to_string(),
        scale_term: match (&candidate.scale, &candidate.scale_term) {
            (Some(scale), Some(term)) => format!("{scale}|{term}"),
            _ => String::new(),
        },
        reason: candidate.probability_reason.clone(),
    }
}

/// The fields of one item a review form posts, named `c{index}.{field}`.
pub const ITEM_FIELDS: [&str; 14] = [
    "decision",
    "quote",
    "speaker",
    "speaker_kind",
    "affiliation",
    "title",
    "expert",
    "proposition",
    "statement",
    "criteria",
    "hedge_words",
    "probability",
    "basis",
    "scale_term",
];

impl ReviewState {
    /// Takes what a review form posted: the article's details and every item's fields. A field
    /// the form did not send keeps its value; `reason` follows the analyst's own note when
    /// they give one.
    pub fn apply_form(&mut self, posted: &dyn Fn(&str) -> Option<String>) {
        let fields = [
            ("title", &mut self.article.title),
            ("outlet", &mut self.article.outlet),
            ("url", &mut self.article.url),
            ("published_on", &mut self.article.published_on),
            ("event", &mut self.article.event),
            ("decidable_by", &mut self.article.decidable_by),
        ];
        take_posted(fields, posted);
        for (index, item) in self.items.iter_mut().enumerate() {
            item.apply_form(index, posted);
        }
    }

    /// The accepted items, with their positions in the review.
    pub fn accepted(&self) -> impl Iterator<Item = (usize, &ReviewItem)> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.decision == Decision::Accept)
    }

    /// How many items are still undecided.
    pub fn undecided(&self) -> usize {
        self.items
            .iter()
            .filter(|item| item.decision == Decision::Undecided)
            .count()
    }
}

impl ReviewItem {
    fn apply_form(&mut self, index: usize, posted: &dyn Fn(&str) -> Option<String>) {
        let field = |name: &str| posted(&format!("c{index}.{name}"));
        if let Some(decision) = field("decision") {
            self.decision = Decision::parse(decision.trim());
        }
        let fields = [
            ("quote", &mut self.quote),
            ("speaker", &mut self.speaker),
            ("speaker_kind", &mut self.speaker_kind),
            ("affiliation", &mut self.affiliation),
            ("title", &mut self.title),
            ("expert", &mut self.expert),
            ("proposition", &mut self.proposition),
            ("statement", &mut self.statement),
            ("criteria", &mut self.criteria),
            ("hedge_words", &mut self.hedge_words),
            ("probability", &mut self.probability),
            ("basis", &mut self.basis),
            ("scale_term", &mut self.scale_term),
            ("reason", &mut self.reason),
        ];
        take_posted(fields, &field);
    }
}

/// Sets each field the form sent to what it sent, trimmed.
fn take_posted<const N: usize>(
    fields: [(&str, &mut String); N],
    posted: &dyn Fn(&str) -> Option<String>,
) {
    for (name, slot) in fields {
        if let Some(value) = posted(name) {
            *slot = value.trim().to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_the_forms_write_them() {
        assert_eq!(percent(0.45), "45%");
        assert_eq!(percent(0.675), "67.5%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn a_form_changes_only_the_fields_it_sends() {
        let mut state = ReviewState {
            items: vec![ReviewItem {
                quote: "It will rain.".into(),
                probability: "90%".into(),
                ..ReviewItem::default()
            }],
            ..ReviewState::default()
        };
        let posted = |name: &str| match name {
            "c0.decision" => Some("accept".to_string()),
            "c0.probability" => Some(" 80% ".to_string()),
            "outlet" => Some("The Daily".to_string()),
            _ => None,
        };
        state.apply_form(&posted);
        assert_eq!(state.items[0].decision, Decision::Accept);
        assert_eq!(state.items[0].probability, "80%");
        assert_eq!(state.items[0].quote, "It will rain.");
        assert_eq!(state.article.outlet, "The Daily");
        assert_eq!(state.accepted().count(), 1);
        assert_eq!(state.undecided(), 0);
    }
}

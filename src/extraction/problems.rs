//! Problems with a review, each at the item and field an analyst fixes: the review's own
//! checks name them directly, and the import's (by record and field of the data set the review
//! became) are moved back to the item each record came from.

use super::commit::Plan;
use crate::import::{ImportIssue, Place, RecordKind};

/// A problem with a review, at an item's field (`item` Some) or the article's (`item` None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub item: Option<usize>,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub(super) fn at(item: usize, field: &str, message: impl Into<String>) -> Self {
        Self {
            item: Some(item),
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub(super) fn article(field: &str, message: impl Into<String>) -> Self {
        Self {
            item: None,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Which review field an import field is.
fn review_field(kind: &str, field: &str) -> (bool, &'static str) {
    // (on the article?, the review's field)
    match (kind, field) {
        ("sources", "title") => (true, "title"),
        ("sources", "outlet") => (true, "outlet"),
        ("sources", "url") => (true, "url"),
        ("sources", _) | ("predictions", "said_on") => (true, "published_on"),
        ("propositions", "event") => (true, "event"),
        ("propositions", "decidable_by") => (true, "decidable_by"),
        ("propositions", "criteria") => (false, "criteria"),
        ("propositions", _) => (false, "statement"),
        ("experts", "kind" | "members") => (false, "speaker_kind"),
        ("experts", "affiliation") => (false, "affiliation"),
        ("experts", "title") => (false, "title"),
        ("experts", _) => (false, "speaker"),
        (_, "expert") => (false, "expert"),
        (_, "proposition") => (false, "proposition"),
        (_, "quote") => (false, "quote"),
        (_, "hedge_words") => (false, "hedge_words"),
        (_, "basis") => (false, "basis"),
        (_, "scale_term") => (false, "scale_term"),
        (_, "basis_note") => (false, "reason"),
        _ => (false, "probability"),
    }
}

impl Plan {
    /// The import's problems ("predictions #2, field probability: …"), each moved to the item
    /// and field of the review it came from.
    pub fn locate(&self, issues: &[ImportIssue]) -> Vec<Problem> {
        issues.iter().map(|issue| self.locate_one(issue)).collect()
    }

    fn locate_one(&self, issue: &ImportIssue) -> Problem {
        let (record, field) = match &issue.place {
            Place::Record { record, field } => (Some(*record), field.as_deref().unwrap_or("")),
            _ => (None, ""),
        };
        let kind = record.map_or("", |r| r.kind.list());
        let items = match record.map(|r| r.kind) {
            Some(RecordKind::Experts) => &self.experts,
            Some(RecordKind::Propositions) => &self.propositions,
            _ => &self.predictions,
        };
        let (on_article, field) = review_field(kind, field);
        let item = match record {
            Some(record) if !on_article => record
                .number
                .checked_sub(1)
                .and_then(|p| items.get(p).copied()),
            _ => None,
        };
        Problem {
            item,
            field: field.to_string(),
            message: issue.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportIssue, RecordKind, RecordRef};

    #[test]
    fn import_problems_go_back_to_the_item_and_field() {
        let plan = Plan {
            predictions: vec![3, 5],
            experts: vec![5],
            ..Plan::default()
        };
        let issue = |kind: RecordKind, index: usize, field: &str| {
            ImportIssue::new(RecordRef::at(kind, index).field(field), "bad")
        };
        assert_eq!(
            plan.locate(&[issue(RecordKind::Predictions, 1, "probability")])[0],
            Problem::at(5, "probability", "bad")
        );
        assert_eq!(
            plan.locate(&[issue(RecordKind::Experts, 0, "name")])[0],
            Problem::at(5, "speaker", "bad")
        );
        assert_eq!(
            plan.locate(&[issue(RecordKind::Sources, 0, "published_on")])[0],
            Problem::article("published_on", "bad")
        );
        assert_eq!(
            plan.locate(&[issue(RecordKind::Predictions, 0, "said_on")])[0],
            Problem::article("published_on", "bad")
        );
    }
}

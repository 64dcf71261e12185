//! The claims of a file: predictions (with the rules tying a probability to where it came
//! from) and the outcomes recorded for propositions (which cannot be in the future).

use chrono::{DateTime, NaiveDate, Utc};

use super::checker::RecordChecker;
use crate::domain::model::{GivenEstimate, Prediction, Resolution, ScaleTerm};
use crate::domain::{Outcome, Probability, ProbabilityBasis};
use crate::import::format::{PredictionRecord, ResolutionRecord};
use crate::import::valid::AtRecord;

type Given = Prediction<GivenEstimate>;

pub(super) fn prediction(
    c: &mut RecordChecker<'_>,
    record: &PredictionRecord,
) -> Option<AtRecord<Given>> {
    let expert = c.text("expert", &record.expert, 300);
    let proposition = c.slug("proposition", &record.proposition);
    let source_key = c.text("source", &record.source, 200);
    let quote = c.text("quote", &record.quote, 5000);
    let said_on = c.date("said_on", &record.said_on);
    let hedge_words = c.optional_text("hedge_words", record.hedge_words.as_deref(), 300);
    let basis_note = c.optional_text("basis_note", record.basis_note.as_deref(), 2000);
    let basis = ProbabilityBasis::parse(&record.basis);
    let retraction = c.retraction(record.retraction.as_ref());
    let recorded_at = record
        .recorded_at
        .as_deref()
        .and_then(|text| c.moment("recorded_at", text));
    let probability = record.probability.and_then(|value| {
        Probability::new(value)
            .map_err(|e| c.issue("probability", format!("{value} {e}")))
            .ok()
    });
    let given = Supplied {
        hedge_words: hedge_words.is_some(),
        basis_note: basis_note.is_some(),
    };
    basis_rules(c, record, basis, given);
    // Whatever a basis requires and is missing was reported by `basis_rules`.
    let term = record.scale_term.as_ref().map(|t| ScaleTerm {
        scale: t.scale.clone(),
        term: t.term.clone(),
    });
    let estimate = match basis? {
        ProbabilityBasis::Stated => GivenEstimate::Stated {
            probability: probability?,
            note: basis_note,
        },
        ProbabilityBasis::Scale => GivenEstimate::Scale {
            term: term?,
            given: probability,
            note: basis_note,
        },
        ProbabilityBasis::Analyst => GivenEstimate::Analyst {
            probability: probability?,
            note: basis_note?,
            term,
        },
    };
    let value = Prediction {
        expert: expert?,
        proposition: proposition?,
        source: source_key?,
        quote: quote?,
        said_on: said_on?,
        hedge_words,
        estimate,
        recorded_at,
        retraction,
    };
    Some(AtRecord {
        record: c.at,
        value,
    })
}

/// Which of the fields a basis may require were given (and passed their own checks).
struct Supplied {
    hedge_words: bool,
    basis_note: bool,
}

/// What each basis requires: a number read off a scale needs the term and the words it read; a
/// stated or analyst's number needs the number; the analyst's, a note saying why; and a stated
/// number has no scale term.
fn basis_rules(
    c: &mut RecordChecker<'_>,
    record: &PredictionRecord,
    basis: Option<ProbabilityBasis>,
    given: Supplied,
) {
    match basis {
        None => c.issue(
            "basis",
            format!("\"{}\" must be stated, scale or analyst", record.basis),
        ),
        Some(ProbabilityBasis::Scale) => {
            if record.scale_term.is_none() {
                c.issue("scale_term", "is required when basis is scale");
            }
            if !given.hedge_words {
                c.issue(
                    "hedge_words",
                    "is required when basis is scale: they are what the scale reads",
                );
            }
        }
        Some(other) => {
            if record.probability.is_none() {
                c.issue(
                    "probability",
                    format!("is required when basis is {}", other.as_str()),
                );
            }
            if other == ProbabilityBasis::Stated
                && let Some(term) = &record.scale_term
            {
                c.issue("scale_term",
                    format!(
                        "\"{}\" is a scale term, but basis stated means the expert gave the number: leave the term out, or use basis scale",
                        term.term
                    ),
                );
            }
            if other == ProbabilityBasis::Analyst && !given.basis_note {
                c.issue(
                    "basis_note",
                    "is required when basis is analyst: say why the number is what it is",
                );
            }
        }
    }
}

pub(super) fn resolution(
    c: &mut RecordChecker<'_>,
    record: &ResolutionRecord,
) -> Option<AtRecord<Resolution>> {
    let proposition = c.slug("proposition", &record.proposition);
    let outcomes = "must be true, false or annulled";
    let outcome = c.read("outcome", &record.outcome, Outcome::parse, outcomes);
    let decided_on = c.date("decided_on", &record.decided_on);
    let evidence_url = c.url("evidence_url", record.evidence_url.as_deref());
    let rationale = c.text("rationale", &record.rationale, 5000);
    let recorded_by = c.text("recorded_by", &record.recorded_by, 64);
    let recorded_at = c.moment("recorded_at", &record.recorded_at);
    not_in_the_future(c, record, decided_on, recorded_at);
    let value = Resolution {
        proposition: proposition?,
        outcome: outcome?,
        decided_on: decided_on?,
        evidence_url,
        rationale: rationale?,
        recorded_by: recorded_by?,
        recorded_at: recorded_at?,
    };
    Some(AtRecord {
        record: c.at,
        value,
    })
}

/// An outcome is recorded once it is decided: neither the day it was decided nor the moment it
/// was recorded may be after now.
fn not_in_the_future(
    c: &mut RecordChecker<'_>,
    record: &ResolutionRecord,
    decided_on: Option<NaiveDate>,
    recorded_at: Option<DateTime<Utc>>,
) {
    let today = Utc::now().date_naive();
    if decided_on.is_some_and(|day| day > today) {
        c.issue(
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
            "recorded_at",
            format!(
                "\"{}\" is in the future: say when the outcome was recorded, not when it will be",
                record.recorded_at
            ),
        );
    }
}

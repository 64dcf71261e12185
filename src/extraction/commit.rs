//! Committing a review: the accepted candidates become one `hindsight/v1` data set (the
//! article as its source, new experts and propositions, the predictions) and go through the
//! import's checks and writer in one transaction, so an extraction and a file import share one
//! set of rules and one history. Every problem comes back to the item and field it is in.

use std::collections::BTreeMap;

pub use super::problems::Problem;
use super::review::{NEW, ReviewItem, ReviewState};
use crate::db::Database;
use crate::db::dataset::{ApplyError, ImportReport, apply_with_reason};
use crate::db::extraction as store;
use crate::domain::{Probability, Slug};
use crate::import::{
    self, DataSetFile, ExpertRecord, FORMAT_V1, PredictionRecord, PropositionRecord, ScaleTermRef,
    SourceRecord,
};

/// The key the article goes by within the data set.
const SOURCE_KEY: &str = "article";
/// The longest slug drafted from a statement: long enough to tell questions apart, short
/// enough to read in an address.
const DRAFTED_SLUG_CHARS: usize = 60;

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("{} problem(s) in the review; nothing was written", .0.len())]
    Problems(Vec<Problem>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Import(ApplyError),
}

/// The data set a review commits, and which item each of its records came from.
#[derive(Debug, Default)]
pub struct Plan {
    pub file: DataSetFile,
    pub(super) experts: Vec<usize>,
    pub(super) propositions: Vec<usize>,
    pub(super) predictions: Vec<usize>,
}

/// What a commit wrote.
#[derive(Debug)]
pub struct Committed {
    pub report: ImportReport,
}

/// Checks the review against the database and writes its accepted items; nothing is written
/// when anything is wrong. On success each accepted item of `state` names the expert and the
/// proposition it was written under (new ones by the slugs given them).
pub async fn commit(
    db: &Database,
    state: &mut ReviewState,
    analyst_id: i64,
) -> Result<Committed, CommitError> {
    let plan = plan(db, state).await?;
    let set = import::validate(&plan.file).map_err(|e| CommitError::Problems(plan.locate(&e.0)))?;
    match apply_with_reason(db, &set, false, Some(analyst_id), "extract").await {
        Ok(report) => {
            for (record, &index) in plan.file.predictions.iter().zip(&plan.predictions) {
                if let Some(item) = state.items.get_mut(index) {
                    item.expert.clone_from(&record.expert);
                    item.proposition.clone_from(&record.proposition);
                }
            }
            Ok(Committed { report })
        }
        Err(ApplyError::Invalid(e)) => Err(CommitError::Problems(plan.locate(&e.0))),
        Err(other) => Err(CommitError::Import(other)),
    }
}

/// The data set of the review's accepted items, after the checks only the review can make.
pub async fn plan(db: &Database, state: &ReviewState) -> Result<Plan, CommitError> {
    let mut problems = Vec::new();
    if state.accepted().next().is_none() {
        problems.push(Problem::article(
            "items",
            "Accept at least one candidate to commit; nothing else would be written.",
        ));
    }
    let mut plan = Plan::default();
    plan.file.format = FORMAT_V1.to_string();
    plan.file.sources.push(source(state));
    let taken = taken_proposition_slugs(db, state).await?;
    let scale_numbers: BTreeMap<String, f64> = crate::db::scales::terms(db)
        .await?
        .into_iter()
        .map(|t| (format!("{}|{}", t.scale_slug, t.term), t.probability))
        .collect();
    let mut new_experts: BTreeMap<String, String> = BTreeMap::new();
    let mut new_propositions: BTreeMap<String, String> = BTreeMap::new();
    for (index, item) in state.accepted() {
        let expert = match expert(db, index, item, &mut new_experts, &mut plan).await? {
            Ok(slug) => slug,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let proposition =
            match proposition(state, index, item, &taken, &mut new_propositions, &mut plan) {
                Ok(slug) => slug,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
        match prediction(state, index, item, expert, proposition, &scale_numbers) {
            Ok(record) => {
                plan.file.predictions.push(record);
                plan.predictions.push(index);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(CommitError::Problems(problems))
    }
}

fn source(state: &ReviewState) -> SourceRecord {
    let article = &state.article;
    SourceRecord {
        key: SOURCE_KEY.to_string(),
        title: article.title.clone(),
        outlet: article.outlet.clone(),
        url: Some(article.url.clone()).filter(|u| !u.is_empty()),
        published_on: article.published_on.clone(),
        authors: Vec::new(),
        note: Some("Predictions proposed by article extraction and reviewed by an analyst.".into()),
    }
}

/// The slug the item chose in the list for `field` (its expert or its proposition), or a
/// problem when it chose none; `None` when it asks for a new one.
fn chosen(index: usize, field: &str, choice: &str) -> Option<Result<String, Problem>> {
    if choice == NEW {
        return None;
    }
    Some(if choice.is_empty() {
        let message = format!("Choose the {field}, or a new one.");
        Err(Problem::at(index, field, message))
    } else {
        Ok(choice.to_string())
    })
}

/// The slug of the item's expert: one on record, or a new one written from the speaker fields.
/// A new expert whose name is already on record is refused: the analyst chooses the one on
/// record, so that no two records are one person and no record is merged without being asked.
async fn expert(
    db: &Database,
    index: usize,
    item: &ReviewItem,
    new_experts: &mut BTreeMap<String, String>,
    plan: &mut Plan,
) -> Result<Result<String, Problem>, sqlx::Error> {
    if let Some(chosen) = chosen(index, "expert", &item.expert) {
        return Ok(chosen);
    }
    let name = item.speaker.trim();
    let Ok(slug) = Slug::from_name(name).map(|s| s.to_string()) else {
        return Ok(Err(Problem::at(
            index,
            "speaker",
            "Give the speaker's name.",
        )));
    };
    if new_experts.contains_key(&slug) {
        return Ok(Ok(slug));
    }
    if let Some(found) = store::expert_spelled(db, name, &slug).await? {
        return Ok(Err(Problem::at(
            index,
            "expert",
            format!(
                "\u{201c}{name}\u{201d} is already on record as {found}: choose them in the list, or give the new expert another name."
            ),
        )));
    }
    new_experts.insert(slug.clone(), name.to_string());
    plan.file.experts.push(ExpertRecord {
        slug: slug.clone(),
        name: name.to_string(),
        kind: item.speaker_kind.clone(),
        affiliation: Some(item.affiliation.clone()).filter(|a| !a.is_empty()),
        title: Some(item.title.clone()).filter(|t| !t.is_empty()),
        bio: None,
        aliases: Vec::new(),
        members: if item.speaker_kind == "group" {
            members(name)
        } else {
            Vec::new()
        },
        retraction: None,
    });
    plan.experts.push(index);
    Ok(Ok(slug))
}

/// The people of a group as printed: "Kim A and Kim B", "A, B and C", "A & B".
fn members(name: &str) -> Vec<String> {
    name.split([',', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

async fn taken_proposition_slugs(
    db: &Database,
    state: &ReviewState,
) -> Result<Vec<String>, sqlx::Error> {
    let drafted: Vec<String> = state
        .accepted()
        .filter(|(_, item)| item.proposition == NEW)
        .filter_map(|(_, item)| drafted_slug(&item.statement))
        .collect();
    let mut candidates = drafted.clone();
    for slug in &drafted {
        candidates.extend((2..10).map(|n| format!("{slug}-{n}")));
    }
    store::proposition_slugs_taken(db, &candidates).await
}

/// A slug from a statement's first words, cut at a word.
fn drafted_slug(statement: &str) -> Option<String> {
    let slug = Slug::from_name(statement).ok()?.to_string();
    if slug.len() <= DRAFTED_SLUG_CHARS {
        return Some(slug);
    }
    let cut = slug[..DRAFTED_SLUG_CHARS]
        .rfind('-')
        .unwrap_or(DRAFTED_SLUG_CHARS);
    Some(slug[..cut].to_string())
}

/// The slug of the item's proposition: an existing one, or a new one from the statement, under
/// a slug no proposition has (a taken slug would make the import change that proposition).
fn proposition(
    state: &ReviewState,
    index: usize,
    item: &ReviewItem,
    taken: &[String],
    new_propositions: &mut BTreeMap<String, String>,
    plan: &mut Plan,
) -> Result<String, Problem> {
    if let Some(chosen) = chosen(index, "proposition", &item.proposition) {
        return chosen;
    }
    let statement = item.statement.trim();
    if let Some(slug) = new_propositions.get(statement) {
        return Ok(slug.clone());
    }
    let base = drafted_slug(statement).ok_or_else(|| {
        Problem::at(
            index,
            "statement",
            "Write the statement of the new proposition.",
        )
    })?;
    let slug = std::iter::once(base.clone())
        .chain((2..10).map(|n| format!("{base}-{n}")))
        .find(|s| !taken.contains(s) && !new_propositions.values().any(|v| v == s))
        .ok_or_else(|| {
            Problem::at(
                index,
                "statement",
                "Propositions with this statement are on record already; choose one of them, or reword it.",
            )
        })?;
    new_propositions.insert(statement.to_string(), slug.clone());
    plan.file.propositions.push(PropositionRecord {
        slug: slug.clone(),
        event: state.article.event.clone(),
        statement: statement.to_string(),
        criteria: item.criteria.clone(),
        decidable_by: state.article.decidable_by.clone(),
        topics: Vec::new(),
    });
    plan.propositions.push(index);
    Ok(slug)
}

fn prediction(
    state: &ReviewState,
    index: usize,
    item: &ReviewItem,
    expert: String,
    proposition: String,
    scale_numbers: &BTreeMap<String, f64>,
) -> Result<PredictionRecord, Problem> {
    let typed = item.probability.trim();
    let probability = if typed.is_empty() {
        None
    } else {
        Some(
            Probability::parse(typed)
                .map_err(|e| {
                    Problem::at(index, "probability", format!("\u{201c}{typed}\u{201d} {e}"))
                })?
                .value(),
        )
    };
    // A scale term fixes the number; a different number typed beside it is the analyst's own
    // reading, which is recorded as such, with its reason, never silently dropped.
    if item.basis == "scale"
        && let (Some(typed_number), Some(term_number)) =
            (probability, scale_numbers.get(&item.scale_term))
        && (typed_number - term_number).abs() > 0.0005
    {
        return Err(Problem::at(
            index,
            "probability",
            format!(
                "The scale term reads as {}; to record {typed} instead, choose \u{201c}My reading\u{201d} and say why in the note.",
                super::review::percent(*term_number)
            ),
        ));
    }
    let probability = probability.filter(|_| item.basis != "scale");
    let scale_term = if item.basis == "scale" {
        let (scale, term) = item.scale_term.split_once('|').ok_or_else(|| {
            Problem::at(
                index,
                "scale_term",
                "Choose the scale term the hedge words match.",
            )
        })?;
        Some(ScaleTermRef {
            scale: scale.to_string(),
            term: term.to_string(),
        })
    } else {
        None
    };
    Ok(PredictionRecord {
        expert,
        proposition,
        source: SOURCE_KEY.to_string(),
        quote: item.quote.clone(),
        said_on: state.article.published_on.clone(),
        hedge_words: Some(item.hedge_words.clone()).filter(|h| !h.is_empty()),
        basis: item.basis.clone(),
        probability,
        scale_term,
        basis_note: (item.basis == "analyst")
            .then(|| item.reason.clone())
            .filter(|r| !r.is_empty()),
        recorded_at: None,
        retraction: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_lists_its_members() {
        assert_eq!(members("Kim A and Kim B"), vec!["Kim A", "Kim B"]);
        assert_eq!(members("A, B & C"), vec!["A", "B", "C"]);
    }

    #[test]
    fn drafted_slugs_are_cut_at_a_word() {
        let slug = drafted_slug(
            "The new treaty between the two countries includes a clause on automatic military intervention.",
        )
        .unwrap_or_default();
        assert!(slug.len() <= DRAFTED_SLUG_CHARS, "{slug}");
        assert!(!slug.ends_with('-'));
        assert!(slug.starts_with("the-new-treaty"));
        assert_eq!(drafted_slug("!!!"), None);
    }
}

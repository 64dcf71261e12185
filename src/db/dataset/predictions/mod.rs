//! Predictions, written in batches: at a million rows a query or two per record would cost more
//! than the writing itself. So what they refer to is looked up once per distinct reference, every
//! record is checked before any is written, new rows go in many to a statement, and each
//! statement is built while SQLite writes the one before it (`write`). A bulk load sets aside
//! the indexes of predictions and the trigger that queues each new prediction for scoring, and
//! does their work once at the end.

mod write;

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::{Run, SQL_EXPERT_REFERENCE, SQL_PROPOSITION};
use crate::domain::Probability;
use crate::domain::dates::format_date;
use crate::domain::model::{Estimate, GivenEstimate, Prediction};
use crate::domain::text::alias_key;
use crate::import::AtRecord;

/// A prediction as the file gives it.
type Given = AtRecord<Prediction<GivenEstimate>>;

/// Rows a statement: 18 parameters each stays under SQLite's limit of 32,766.
const BATCH: usize = 1800;

/// Queues the proposition of every new prediction to be scored again, one row per prediction.
/// A bulk load sets it aside and queues each of its propositions once, at the end.
const SCORE_QUEUE_TRIGGER: &str = "score_changes_prediction_insert";

/// A prediction whose references all point at records.
struct Resolved<'a> {
    record: &'a Given,
    expert_id: i64,
    proposition_id: i64,
    source_id: i64,
    term_id: Option<i64>,
    estimate: Estimate,
}

type Key = (i64, i64, i64);

impl Resolved<'_> {
    /// What makes a prediction the same one on a second import.
    fn key(&self) -> Key {
        (self.expert_id, self.proposition_id, self.source_id)
    }

    fn said_on(&self) -> String {
        format_date(self.record.said_on)
    }

    /// What the change log keeps of it.
    fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            expert_id: self.expert_id,
            proposition_id: self.proposition_id,
            source_id: self.source_id,
            quote: &self.record.quote,
            said_on: self.said_on(),
            hedge_words: self.record.hedge_words.as_deref(),
            probability: self.estimate.probability().value(),
            basis: self.estimate.basis().as_str(),
            estimative_term_id: self.term_id,
            basis_note: self.estimate.note(),
        }
    }
}

#[derive(Serialize)]
struct Snapshot<'a> {
    expert_id: i64,
    proposition_id: i64,
    source_id: i64,
    quote: &'a str,
    said_on: String,
    hedge_words: Option<&'a str>,
    probability: f64,
    basis: &'a str,
    estimative_term_id: Option<i64>,
    basis_note: Option<&'a str>,
}

/// What the file's predictions refer to, each distinct reference looked up once: `None` where
/// nothing answers to it.
#[derive(Default)]
struct References<'a> {
    experts: HashMap<&'a str, Option<i64>>,
    propositions: HashMap<&'a str, Option<i64>>,
    /// By (scale, term): the term's id and the probability the scale gives it.
    terms: HashMap<(&'a str, &'a str), Option<(i64, f64)>>,
}

/// The id a reference was found to name, if it names anything.
fn known(found: &HashMap<&str, Option<i64>>, reference: &str) -> Option<i64> {
    found.get(reference).copied().flatten()
}

/// How this file's predictions are being written.
struct Load<'a> {
    /// Whether there were predictions before: only then can one in the file be on record.
    had_predictions: bool,
    /// The id of each prediction written, by key, while the key index is set aside.
    written: Option<HashMap<Key, i64>>,
    /// The id the next new prediction gets. Ids are given, not returned: rows coming back from
    /// SQLite cross to this thread one by one, which at a million rows costs more than writing
    /// them. The single writer holds the transaction, so no one else can take an id meanwhile.
    next_id: i64,
    /// The last statement of new predictions, built and not yet run.
    pending: Option<write::NewRows<'a>>,
    /// The propositions of the predictions created, to queue for scoring at the end, while the
    /// trigger that queues them one by one is set aside.
    to_score: Option<BTreeSet<i64>>,
}

impl Run<'_, '_> {
    pub(super) async fn predictions(
        &mut self,
        predictions: &[Given],
        source_ids: &HashMap<String, i64>,
    ) -> Result<(), sqlx::Error> {
        let total = u64::try_from(predictions.len()).unwrap_or(u64::MAX);
        let references = self.references(predictions).await?;
        // Every record is checked before any is written: once anything is wrong, nothing will be.
        let resolved: Vec<Resolved<'_>> = predictions
            .iter()
            .filter_map(|prediction| self.resolve(prediction, source_ids, &references))
            .collect();
        if !self.issues.is_empty() {
            return Ok(());
        }
        let next_id = self.next_id("predictions").await?;
        // With none on record before, a prediction can only meet one from earlier in this file.
        let had_predictions = next_id > 1;
        let bulk = self.bulk_load;
        // Into an empty table, the key index (expert, proposition, source) is set aside too and
        // built at the end, which checks it is still unique: every key written is then known
        // here, with its id, so nothing needs the index to find a prediction meanwhile.
        let key_set_aside = bulk && !had_predictions;
        let (set_aside, score_trigger) = if bulk {
            (
                self.set_aside_indexes("predictions", key_set_aside).await?,
                self.set_aside_trigger(SCORE_QUEUE_TRIGGER).await?,
            )
        } else {
            (Vec::new(), None)
        };
        let mut load = Load {
            had_predictions,
            written: key_set_aside.then(|| HashMap::with_capacity(resolved.len())),
            next_id,
            pending: None,
            to_score: score_trigger.is_some().then(BTreeSet::new),
        };
        self.write_in_order(resolved, &mut load, total).await?;
        let to_score = load.to_score.take();
        self.progress.predictions(total, total);
        if bulk {
            self.progress.stage("indexing predictions for search");
        }
        self.index_unindexed_for_search().await?;
        if let Some(trigger) = score_trigger {
            self.restore_trigger(&trigger).await?;
            self.queue_for_scoring(&to_score.unwrap_or_default())
                .await?;
        }
        if bulk {
            self.progress.stage("rebuilding the indexes of predictions");
        }
        self.restore_indexes(set_aside).await
    }

    /// Writes the predictions in the file's order: new ones in batches, and one met earlier
    /// in the file as an update of it, once everything before it is written.
    async fn write_in_order<'a>(
        &mut self,
        resolved: Vec<Resolved<'a>>,
        load: &mut Load<'a>,
        total: u64,
    ) -> Result<(), sqlx::Error> {
        let mut seen = HashSet::with_capacity(resolved.len());
        let mut batch = Vec::with_capacity(BATCH);
        for (index, resolved) in resolved.into_iter().enumerate() {
            if !seen.insert(resolved.key()) {
                // Twice in one file: the later record updates the earlier, in file order.
                self.queue_batch(std::mem::take(&mut batch), load).await?;
                self.finish_pending(load).await?;
                let written = load
                    .written
                    .as_ref()
                    .and_then(|w| w.get(&resolved.key()).copied());
                let id = match written {
                    Some(id) => id,
                    None => self.prediction_id(resolved.key()).await?,
                };
                self.update_one(&resolved, id).await?;
                continue;
            }
            batch.push(resolved);
            if batch.len() == BATCH {
                self.queue_batch(std::mem::take(&mut batch), load).await?;
                let not_yet_written = load.pending.as_ref().map_or(0, write::NewRows::len);
                let written = (index + 1).saturating_sub(not_yet_written);
                self.progress
                    .predictions(u64::try_from(written).unwrap_or(total), total);
            }
        }
        self.queue_batch(batch, load).await?;
        self.finish_pending(load).await?;
        Ok(())
    }

    /// Looks up each expert, proposition and scale term the predictions name, once each.
    async fn references<'a>(
        &mut self,
        predictions: &'a [Given],
    ) -> Result<References<'a>, sqlx::Error> {
        let mut references = References::default();
        for prediction in predictions {
            let expert = prediction.expert.as_str();
            if !references.experts.contains_key(expert) {
                let id = self.expert_id(expert).await?;
                references.experts.insert(expert, id);
            }
            let proposition = prediction.proposition.as_str();
            if !references.propositions.contains_key(proposition) {
                let id = self.find(SQL_PROPOSITION, proposition).await?;
                references.propositions.insert(proposition, id);
            }
            if let Some(term) = prediction.estimate.term() {
                let key = (term.scale.as_str(), term.term.as_str());
                if let Entry::Vacant(slot) = references.terms.entry(key) {
                    let found: Option<(i64, f64)> = sqlx::query_as(
                        "SELECT t.id, t.probability FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id WHERE s.slug = $1 AND t.term = $2",
                    )
                    .bind(key.0).bind(key.1).fetch_optional(&mut **self.tx).await?;
                    slot.insert(found);
                }
            }
        }
        Ok(references)
    }

    async fn expert_id(&mut self, reference: &str) -> Result<Option<i64>, sqlx::Error> {
        if let Some(id) = self
            .found
            .get(&(SQL_EXPERT_REFERENCE, reference.to_string()))
        {
            return Ok(Some(*id));
        }
        let id: Option<i64> = sqlx::query_scalar(SQL_EXPERT_REFERENCE)
            .bind(reference)
            .bind(alias_key(reference))
            .fetch_optional(&mut **self.tx)
            .await?;
        if let Some(id) = id {
            self.found
                .insert((SQL_EXPERT_REFERENCE, reference.to_string()), id);
        }
        Ok(id)
    }

    /// What `prediction` refers to, recording an issue for anything missing.
    fn resolve<'a>(
        &mut self,
        prediction: &'a Given,
        source_ids: &HashMap<String, i64>,
        references: &References<'_>,
    ) -> Option<Resolved<'a>> {
        let at = prediction.record;
        let expert_id = known(&references.experts, prediction.expert.as_str());
        let expert_id = self.require(expert_id, at, "expert", || {
            format!("no expert has the slug or alias \"{}\"", prediction.expert)
        });
        let proposition_id = known(&references.propositions, prediction.proposition.as_str());
        let proposition_id = self.require(proposition_id, at, "proposition", || {
            format!("no proposition has the slug \"{}\"", prediction.proposition)
        });
        let source_id = source_ids.get(&prediction.source).copied();
        let source_id = self.require(source_id, at, "source", || {
            format!(
                "no source in this file has the key \"{}\"",
                prediction.source
            )
        });
        let (term_id, scale_gives) = self.term(prediction, references)?;
        let estimate = prediction
            .estimate
            .read(scale_gives)
            .map_err(|e| self.issue(at, "probability", e.to_string()))
            .ok();
        Some(Resolved {
            record: prediction,
            expert_id: expert_id?,
            proposition_id: proposition_id?,
            source_id: source_id?,
            term_id,
            estimate: estimate?,
        })
    }

    /// The id of the scale term a prediction names and the number the scale gives it; `None`,
    /// with an issue recorded, when the scale has no such term.
    fn term(
        &mut self,
        prediction: &Given,
        references: &References<'_>,
    ) -> Option<(Option<i64>, Option<Probability>)> {
        let Some(term) = prediction.estimate.term() else {
            return Some((None, None));
        };
        let found = references
            .terms
            .get(&(term.scale.as_str(), term.term.as_str()))
            .copied()
            .flatten();
        let Some((id, scale_gives)) = found else {
            self.issue(
                prediction.record,
                "scale_term",
                format!(
                    "\"{}\" is not a term of the scale \"{}\" (see /scales)",
                    term.term, term.scale
                ),
            );
            return None;
        };
        // The scales are this project's own data, checked by their migration.
        Some((Some(id), Probability::new(scale_gives).ok()))
    }
}

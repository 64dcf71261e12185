//! Predictions, written in batches: at a million rows a query or two per record would cost more
//! than the writing itself, so lookups are cached and new rows go in many to a statement.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::QueryBuilder;

use super::{Change, Run, SQL_EXPERT_REFERENCE, SQL_PROPOSITION, is_bulk_load, to_json};
use crate::domain::dates::{format_date, format_moment};
use crate::domain::text::alias_key;
use crate::domain::{Probability, ProbabilityBasis};
use crate::import::ValidPrediction;

/// Rows a statement: 15 parameters each stays well under SQLite's limit of 32,766.
const BATCH: usize = 2000;

/// A prediction whose references all point at records.
struct Resolved<'a> {
    record: &'a ValidPrediction,
    expert_id: i64,
    proposition_id: i64,
    source_id: i64,
    term_id: Option<i64>,
    probability: Probability,
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
            probability: self.probability.value(),
            basis: self.record.basis.as_str(),
            estimative_term_id: self.term_id,
            basis_note: self.record.basis_note.as_deref(),
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

/// How this file's predictions are being written.
struct Load {
    /// Whether there were predictions before: only then can one in the file be on record.
    had_predictions: bool,
    /// Whether indexes are set aside and the search index filled at the end.
    bulk: bool,
    /// The id of each prediction written, by key, while the key index is set aside.
    written: Option<HashMap<Key, i64>>,
}

/// Scale terms by (scale, term): the id and the probability the scale gives.
type Terms = HashMap<(String, String), Option<(i64, f64)>>;

impl Run<'_, '_> {
    pub(super) async fn predictions(
        &mut self,
        predictions: &[ValidPrediction],
        source_ids: &HashMap<String, i64>,
    ) -> Result<(), sqlx::Error> {
        let total = u64::try_from(predictions.len()).unwrap_or(u64::MAX);
        let on_record: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM predictions")
            .fetch_one(&mut **self.tx)
            .await?;
        // With none on record before, a prediction can only meet one from earlier in this file.
        let had_predictions = on_record > 0;
        let bulk = is_bulk_load(predictions.len(), on_record);
        // Into an empty table, the key index (expert, proposition, source) is set aside too and
        // built at the end, which checks it is still unique: every key written is then known
        // here, with its id, so nothing needs the index to find a prediction meanwhile.
        let key_set_aside = bulk && !had_predictions;
        let set_aside = if bulk {
            self.set_aside_indexes("predictions", key_set_aside).await?
        } else {
            Vec::new()
        };
        let mut load = Load {
            had_predictions,
            bulk,
            written: key_set_aside.then(HashMap::new),
        };
        let mut terms = Terms::new();
        let mut seen = HashSet::new();
        let mut batch = Vec::with_capacity(BATCH);
        for (index, prediction) in predictions.iter().enumerate() {
            let resolved = self.resolve(prediction, source_ids, &mut terms).await?;
            // Once anything is wrong nothing will be written; the rest is only checked.
            let Some(resolved) = resolved.filter(|_| self.issues.is_empty()) else {
                continue;
            };
            if !seen.insert(resolved.key()) {
                // Twice in one file: the later record updates the earlier, in file order.
                self.write_batch(std::mem::take(&mut batch), &mut load)
                    .await?;
                let known = load
                    .written
                    .as_ref()
                    .and_then(|w| w.get(&resolved.key()).copied());
                self.write_one(&resolved, known).await?;
                continue;
            }
            batch.push(resolved);
            if batch.len() == BATCH {
                self.write_batch(std::mem::take(&mut batch), &mut load)
                    .await?;
                self.progress
                    .predictions(u64::try_from(index + 1).unwrap_or(total), total);
            }
        }
        self.write_batch(batch, &mut load).await?;
        drop(load);
        self.progress.predictions(total, total);
        if self.issues.is_empty() {
            // Nothing is kept when anything was wrong, and rolling back restores the indexes.
            if bulk {
                self.progress.stage("indexing predictions for search");
            }
            self.index_unindexed_for_search().await?;
            if bulk {
                self.progress.stage("rebuilding the indexes of predictions");
            }
            self.restore_indexes(set_aside).await?;
        }
        Ok(())
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

    /// Looks up what `prediction` refers to, recording an issue for anything missing.
    async fn resolve<'a>(
        &mut self,
        prediction: &'a ValidPrediction,
        source_ids: &HashMap<String, i64>,
        terms: &mut Terms,
    ) -> Result<Option<Resolved<'a>>, sqlx::Error> {
        let at = prediction.location.as_str();
        let expert_id = self.expert_id(&prediction.expert).await?;
        let expert_id = self.require(expert_id, at, "expert", || {
            format!("no expert has the slug or alias \"{}\"", prediction.expert)
        });
        let proposition_id = self
            .find(SQL_PROPOSITION, prediction.proposition.as_str())
            .await?;
        let proposition_id = self.require(proposition_id, at, "proposition", || {
            format!("no proposition has the slug \"{}\"", prediction.proposition)
        });
        let source_id = source_ids.get(&prediction.source_key).copied();
        let source_id = self.require(source_id, at, "source", || {
            format!(
                "no source in this file has the key \"{}\"",
                prediction.source_key
            )
        });
        let mut term_id = None;
        let mut probability = prediction.probability;
        if let Some(term) = &prediction.scale_term {
            let key = (term.scale.clone(), term.term.clone());
            let found = match terms.get(&key) {
                Some(found) => *found,
                None => {
                    let found: Option<(i64, f64)> = sqlx::query_as(
                        "SELECT t.id, t.probability FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id WHERE s.slug = $1 AND t.term = $2",
                    )
                    .bind(&term.scale).bind(&term.term).fetch_optional(&mut **self.tx).await?;
                    terms.insert(key, found);
                    found
                }
            };
            match found {
                None => self.issue(
                    at,
                    "scale_term",
                    format!(
                        "\"{}\" is not a term of the scale \"{}\" (see /scales)",
                        term.term, term.scale
                    ),
                ),
                Some((id, term_probability)) => {
                    term_id = Some(id);
                    if prediction.basis == ProbabilityBasis::Scale {
                        match probability {
                            Some(given) if (given.value() - term_probability).abs() > 1e-9 => self.issue(at, "probability", format!(
                                "{} differs from the {} the scale gives \"{}\": leave it out, or use basis analyst to override",
                                given.value(), term_probability, term.term)),
                            _ => probability = Probability::new(term_probability).ok(),
                        }
                    }
                }
            }
        }
        let (Some(expert_id), Some(proposition_id), Some(source_id), Some(probability)) =
            (expert_id, proposition_id, source_id, probability)
        else {
            return Ok(None);
        };
        Ok(Some(Resolved {
            record: prediction,
            expert_id,
            proposition_id,
            source_id,
            term_id,
            probability,
        }))
    }

    /// Writes a batch: one query finds those already on record (updated one by one, as they
    /// are few), one inserts the rest, one logs their creation. In a bulk load the new rows
    /// are indexed for search once, at the end: FTS5 writes a segment at every statement.
    async fn write_batch(
        &mut self,
        batch: Vec<Resolved<'_>>,
        load: &mut Load,
    ) -> Result<(), sqlx::Error> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut existing = HashSet::new();
        if load.had_predictions {
            let mut query = QueryBuilder::new(
                "SELECT expert_id, proposition_id, source_id FROM predictions WHERE (expert_id, proposition_id, source_id) IN (",
            );
            query.push_values(&batch, |mut row, r| {
                row.push_bind(r.expert_id)
                    .push_bind(r.proposition_id)
                    .push_bind(r.source_id);
            });
            query.push(")");
            let found: Vec<Key> = query.build_query_as().fetch_all(&mut **self.tx).await?;
            existing.extend(found);
        }
        let mut fresh = Vec::with_capacity(batch.len());
        for resolved in batch {
            if existing.contains(&resolved.key()) {
                self.write_one(&resolved, None).await?;
            } else {
                fresh.push(resolved);
            }
        }
        if fresh.is_empty() {
            return Ok(());
        }

        // Ids are given, not returned: rows coming back from SQLite cross to this thread one by
        // one, which at a million rows costs more than writing them. The single writer holds
        // the transaction, so no one else can take these ids in the meantime.
        let first_id = self.next_id("predictions").await?;
        let ids: Vec<i64> = (first_id..).take(fresh.len()).collect();
        let now = self.now.clone();
        let mut insert = QueryBuilder::new(
            "INSERT INTO predictions (id, expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability, probability_basis, estimative_term_id, basis_note, created_at, updated_at, retracted_at, retraction_reason) ",
        );
        insert.push_values(fresh.iter().zip(&ids), |mut row, (r, id)| {
            let created_at = r
                .record
                .recorded_at
                .map_or_else(|| now.clone(), format_moment);
            let retraction = r.record.retraction.as_ref();
            row.push_bind(*id)
                .push_bind(r.expert_id)
                .push_bind(r.proposition_id)
                .push_bind(r.source_id)
                .push_bind(r.record.quote.as_str())
                .push_bind(r.said_on())
                .push_bind(r.record.hedge_words.as_deref())
                .push_bind(r.probability.value())
                .push_bind(r.record.basis.as_str())
                .push_bind(r.term_id)
                .push_bind(r.record.basis_note.as_deref())
                .push_bind(created_at.clone())
                .push_bind(created_at)
                .push_bind(retraction.map(|(at, _)| format_moment(*at)))
                .push_bind(retraction.map(|(_, reason)| reason.as_str()));
        });
        insert.build().execute(&mut **self.tx).await?;
        if let Some(written) = &mut load.written {
            written.extend(fresh.iter().map(Resolved::key).zip(ids.iter().copied()));
        }
        self.unindexed_from.get_or_insert(first_id);
        if !load.bulk {
            self.index_unindexed_for_search().await?;
        }

        self.log_created("prediction", first_id, &fresh, |one| {
            to_json(&one.snapshot())
        })
        .await?;
        self.report.count_many(
            "predictions",
            Change::Created,
            u64::try_from(fresh.len()).unwrap_or(u64::MAX),
        );
        Ok(())
    }

    /// Adds the predictions written since the last call to the full-text index, in one
    /// statement. Ids only grow, so they are the rows from the first id not yet indexed on.
    async fn index_unindexed_for_search(&mut self) -> Result<(), sqlx::Error> {
        let Some(from) = self.unindexed_from.take() else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO prediction_search (rowid, quote, statement, names)
             SELECT id, quote, statement, names FROM prediction_search_documents WHERE id >= $1",
        )
        .bind(from)
        .execute(&mut **self.tx)
        .await?;
        Ok(())
    }

    /// Creates or updates one prediction: for those already on record, and for a record that
    /// repeats an earlier one in the same file (whose id is `known` when the key index is set
    /// aside).
    async fn write_one(
        &mut self,
        resolved: &Resolved<'_>,
        known: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        let prediction = resolved.record;
        let (expert_id, proposition_id, source_id) = resolved.key();
        let (term_id, probability) = (resolved.term_id, resolved.probability);
        let said_on = resolved.said_on();
        let basis = prediction.basis.as_str();
        // An update tells the search index what the row said before, so the row must be in it.
        self.index_unindexed_for_search().await?;
        let existing: Option<i64> = match known {
            Some(id) => Some(id),
            None => sqlx::query_scalar("SELECT id FROM predictions WHERE expert_id = $1 AND proposition_id = $2 AND source_id = $3")
                .bind(expert_id).bind(proposition_id).bind(source_id).fetch_optional(&mut **self.tx).await?,
        };
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO predictions (expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability, probability_basis, estimative_term_id, basis_note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id")
                    .bind(expert_id).bind(proposition_id).bind(source_id).bind(&prediction.quote).bind(&said_on).bind(&prediction.hedge_words)
                    .bind(probability.value()).bind(basis).bind(term_id).bind(&prediction.basis_note)
                    .bind(prediction.recorded_at.map(format_moment).unwrap_or_else(|| self.now.clone()))
                    .fetch_one(&mut **self.tx).await?;
                self.unindexed_from = Some(id);
                self.index_unindexed_for_search().await?;
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE predictions SET quote = $1, said_on = $2, hedge_words = $3, probability = $4, probability_basis = $5, estimative_term_id = $6, basis_note = $7, updated_at = $8 WHERE id = $9 AND NOT (quote = $1 AND said_on = $2 AND hedge_words IS $3 AND probability = $4 AND probability_basis = $5 AND estimative_term_id IS $6 AND basis_note IS $7)")
                    .bind(&prediction.quote).bind(&said_on).bind(&prediction.hedge_words).bind(probability.value()).bind(basis).bind(term_id).bind(&prediction.basis_note).bind(&self.now).bind(id)
                    .execute(&mut **self.tx).await?;
                (id, Change::of(&done))
            }
        };
        self.retract("predictions", id, prediction.retraction.as_ref())
            .await?;
        self.log("prediction", id, change, &resolved.snapshot())
            .await?;
        self.report.count("predictions", change);
        Ok(())
    }
}

//! Writing resolved predictions. New ones go in many to a statement, and each statement is built
//! on this thread while SQLite's own thread runs the one before it: building binds 18 values a
//! row, which at a million rows is seconds of work that would otherwise leave SQLite waiting.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::task::Poll;

use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Encode, QueryBuilder, Sqlite, Type};

use super::{Key, Load, Resolved};
use crate::db::dataset::{Change, Run, to_json};
use crate::domain::dates::format_moment;

/// The columns of a new prediction, in the order `NewRows::build` binds them.
const COLUMNS: [&str; 18] = [
    "id",
    "expert_id",
    "proposition_id",
    "source_id",
    "quote",
    "said_on",
    "hedge_words",
    "probability",
    "probability_basis",
    "estimative_term_id",
    "basis_note",
    "created_at",
    "updated_at",
    "retracted_at",
    "retraction_reason",
    "entered_at",
    "claimed_recorded_at",
    "claimed_retracted_at",
];

/// A statement inserting new predictions with consecutive ids from `first_id`, built and not
/// yet run. Its values are owned: sqlx copies borrowed text when it hands a statement over,
/// which would put that copying outside the overlap.
pub(super) struct NewRows<'a> {
    sql: String,
    arguments: SqliteArguments<'a>,
    first_id: i64,
    rows: Vec<Resolved<'a>>,
}

fn bind<'q, T>(arguments: &mut SqliteArguments<'q>, value: T) -> Result<(), sqlx::Error>
where
    T: 'q + Encode<'q, Sqlite> + Type<Sqlite>,
{
    arguments.add(value).map_err(sqlx::Error::Encode)
}

impl<'a> NewRows<'a> {
    /// How many predictions it writes.
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    fn build(rows: Vec<Resolved<'a>>, first_id: i64, now: &str) -> Result<Self, sqlx::Error> {
        let placeholders = format!("({})", vec!["?"; COLUMNS.len()].join(", "));
        let sql = format!(
            "INSERT INTO predictions ({}) VALUES {}",
            COLUMNS.join(", "),
            vec![placeholders; rows.len()].join(", ")
        );
        let mut arguments = SqliteArguments::default();
        arguments.reserve(rows.len() * COLUMNS.len(), 0);
        for (id, r) in (first_id..).zip(&rows) {
            let record = r.record;
            // This database's clock; what the file says of when is provenance.
            let claimed_recorded_at = record.recorded_at.map(format_moment);
            let retraction = record.retraction.as_ref();
            bind(&mut arguments, id)?;
            bind(&mut arguments, r.expert_id)?;
            bind(&mut arguments, r.proposition_id)?;
            bind(&mut arguments, r.source_id)?;
            bind(&mut arguments, record.quote.clone())?;
            bind(&mut arguments, r.said_on())?;
            bind(&mut arguments, record.hedge_words.clone())?;
            bind(&mut arguments, r.estimate.probability().value())?;
            bind(&mut arguments, r.estimate.basis().as_str())?;
            bind(&mut arguments, r.term_id)?;
            bind(&mut arguments, r.estimate.note().map(str::to_string))?;
            bind(&mut arguments, now.to_string())?;
            bind(&mut arguments, now.to_string())?;
            bind(&mut arguments, retraction.map(|_| now.to_string()))?;
            bind(&mut arguments, retraction.map(|r| r.reason.clone()))?;
            bind(&mut arguments, now.to_string())?;
            bind(&mut arguments, claimed_recorded_at)?;
            bind(&mut arguments, retraction.map(|r| format_moment(r.at)))?;
        }
        Ok(Self {
            sql,
            arguments,
            first_id,
            rows,
        })
    }
}

/// Runs `work` on this thread while `statement` runs on SQLite's. sqlx hands a statement to the
/// connection's own thread when it is first polled, so polling it once before `work` lets the
/// two overlap; on 2 cores that hides the cost of building statements behind writing them.
/// That is how sqlx-sqlite 0.8.6 (pinned in Cargo.toml) sends it: `ConnectionWorker::execute`
/// in its `connection/worker.rs`. Were a later version to send it only when awaited, results
/// would be the same, only the statements would run one after another again.
async fn alongside<S: Future, T>(statement: S, work: impl FnOnce() -> T) -> (S::Output, T) {
    let mut statement = std::pin::pin!(statement);
    let started = std::future::poll_fn(|cx| Poll::Ready(statement.as_mut().poll(cx))).await;
    let done = work();
    let output = match started {
        Poll::Ready(output) => output,
        Poll::Pending => statement.await,
    };
    (output, done)
}

impl<'a> Run<'_, '_> {
    /// Takes a batch: one query finds those already on record (updated one by one, as they are
    /// few), and the rest become the next statement of new predictions, left pending while the
    /// one before runs. In a bulk load the new rows are indexed for search once, at the end:
    /// FTS5 writes a segment at every statement.
    pub(super) async fn queue_batch(
        &mut self,
        batch: Vec<Resolved<'a>>,
        load: &mut Load<'a>,
    ) -> Result<(), sqlx::Error> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut on_record = HashMap::new();
        if load.had_predictions {
            // The keys in one batch are all new to this file, so none is in the statement still
            // pending: this can run before it.
            let mut query = QueryBuilder::new(
                "SELECT expert_id, proposition_id, source_id, id FROM predictions WHERE (expert_id, proposition_id, source_id) IN (",
            );
            query.push_values(&batch, |mut row, r| {
                row.push_bind(r.expert_id)
                    .push_bind(r.proposition_id)
                    .push_bind(r.source_id);
            });
            query.push(")");
            let found: Vec<(i64, i64, i64, i64)> =
                query.build_query_as().fetch_all(&mut **self.tx).await?;
            on_record.extend(found.into_iter().map(|(e, p, s, id)| ((e, p, s), id)));
        }
        let mut fresh = Vec::with_capacity(batch.len());
        for resolved in batch {
            if let Some(&id) = on_record.get(&resolved.key()) {
                self.finish_pending(load).await?;
                self.update_one(&resolved, id).await?;
            } else {
                fresh.push(resolved);
            }
        }
        if fresh.is_empty() {
            return Ok(());
        }
        let first_id = load.next_id;
        let count = i64::try_from(fresh.len()).unwrap_or(i64::MAX);
        load.next_id = first_id.saturating_add(count);
        if let Some(written) = &mut load.written {
            written.extend(fresh.iter().map(Resolved::key).zip(first_id..));
        }
        let built = match load.pending.take() {
            None => NewRows::build(fresh, first_id, &self.now),
            Some(previous) => {
                let run =
                    sqlx::query_with(&previous.sql, previous.arguments).execute(&mut **self.tx);
                let (ran, built) =
                    alongside(run, || NewRows::build(fresh, first_id, &self.now)).await;
                ran?;
                self.after_new_rows(previous.first_id, &previous.rows, load)
                    .await?;
                built
            }
        }?;
        load.pending = Some(built);
        Ok(())
    }

    /// Runs the statement of new predictions still pending, if any.
    pub(super) async fn finish_pending(&mut self, load: &mut Load<'a>) -> Result<(), sqlx::Error> {
        let Some(pending) = load.pending.take() else {
            return Ok(());
        };
        sqlx::query_with(&pending.sql, pending.arguments)
            .execute(&mut **self.tx)
            .await?;
        self.after_new_rows(pending.first_id, &pending.rows, load)
            .await
    }

    /// Indexes (outside a bulk load), logs and counts new predictions once they are written.
    async fn after_new_rows(
        &mut self,
        first_id: i64,
        rows: &[Resolved<'_>],
        load: &mut Load<'_>,
    ) -> Result<(), sqlx::Error> {
        self.unindexed_from.get_or_insert(first_id);
        if let Some(to_score) = &mut load.to_score {
            to_score.extend(rows.iter().map(|r| r.proposition_id));
        }
        if !self.bulk_load {
            self.index_unindexed_for_search().await?;
        }
        self.log_created("prediction", first_id, rows, |one| to_json(&one.snapshot()))
            .await?;
        self.report.count_created("predictions", rows.len());
        Ok(())
    }

    /// Adds the predictions written since the last call to the full-text index, in one
    /// statement. Ids only grow, so they are the rows from the first id not yet indexed on.
    pub(super) async fn index_unindexed_for_search(&mut self) -> Result<(), sqlx::Error> {
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

    /// Queues `propositions` to be scored again, as the trigger set aside for a bulk load would
    /// have, once each.
    pub(super) async fn queue_for_scoring(
        &mut self,
        propositions: &BTreeSet<i64>,
    ) -> Result<(), sqlx::Error> {
        let ids = serde_json::to_string(propositions).map_err(|e| sqlx::Error::Encode(e.into()))?;
        sqlx::query("INSERT INTO score_changes (proposition_id) SELECT value FROM json_each($1)")
            .bind(ids)
            .execute(&mut **self.tx)
            .await?;
        Ok(())
    }

    /// The id of the prediction on record with `key`.
    pub(super) async fn prediction_id(&mut self, key: Key) -> Result<i64, sqlx::Error> {
        let (expert_id, proposition_id, source_id) = key;
        sqlx::query_scalar("SELECT id FROM predictions WHERE expert_id = $1 AND proposition_id = $2 AND source_id = $3")
            .bind(expert_id).bind(proposition_id).bind(source_id).fetch_one(&mut **self.tx).await
    }

    /// Updates prediction `id`, on record or written earlier in this file, from a record that
    /// repeats it. No statement of new predictions may be pending.
    pub(super) async fn update_one(
        &mut self,
        resolved: &Resolved<'_>,
        id: i64,
    ) -> Result<(), sqlx::Error> {
        let prediction = resolved.record;
        let (term_id, estimate) = (resolved.term_id, &resolved.estimate);
        let said_on = resolved.said_on();
        let basis = estimate.basis().as_str();
        // An update tells the search index what the row said before, so the row must be in it.
        self.index_unindexed_for_search().await?;
        let done = sqlx::query("UPDATE predictions SET quote = $1, said_on = $2, hedge_words = $3, probability = $4, probability_basis = $5, estimative_term_id = $6, basis_note = $7, updated_at = $8, entered_at = $8 WHERE id = $9 AND NOT (quote = $1 AND said_on = $2 AND hedge_words IS $3 AND probability = $4 AND probability_basis = $5 AND estimative_term_id IS $6 AND basis_note IS $7)")
            .bind(&prediction.quote).bind(&said_on).bind(&prediction.hedge_words).bind(estimate.probability().value()).bind(basis).bind(term_id).bind(estimate.note()).bind(&self.now).bind(id)
            .execute(&mut **self.tx).await?;
        let change = Change::of(&done);
        self.retract("predictions", id, prediction.retraction.as_ref())
            .await?;
        self.log("prediction", id, change, &resolved.snapshot())
            .await?;
        self.report.count("predictions", change);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::alongside;

    #[tokio::test]
    async fn the_statement_starts_before_the_work_alongside_it() {
        let started = Cell::new(false);
        let statement = async {
            started.set(true);
            tokio::task::yield_now().await;
            "ran"
        };
        let (ran, saw_started) = alongside(statement, || started.get()).await;
        assert_eq!(ran, "ran");
        assert!(
            saw_started,
            "the work ran before the statement was first polled"
        );
    }

    #[tokio::test]
    async fn a_statement_done_at_once_is_not_polled_again() {
        let (ran, worked) = alongside(async { 7 }, || 8).await;
        assert_eq!((ran, worked), (7, 8));
    }
}

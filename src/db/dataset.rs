//! Writes a validated data set (see `crate::import`) in one transaction. Records are matched
//! to what is already there, so importing the same file twice changes nothing the second time:
//! experts by slug or any alias, sources by URL (or outlet, title and date when they have none),
//! events, topics and propositions by slug, predictions by expert, proposition and source,
//! resolutions by proposition, moment and outcome.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{Sqlite, Transaction};

use super::{Database, now};
use crate::domain::dates::{format_date, format_moment};
use crate::domain::text::alias_key;
use crate::domain::{Probability, ProbabilityBasis};
use crate::import::{
    DataSet, ImportErrors, ImportIssue, ValidExpert, ValidPrediction, ValidSource,
};

/// What an import did (or, in a dry run, would do), per kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub counts: Vec<KindCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindCount {
    pub kind: &'static str,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl ImportReport {
    fn count(&mut self, kind: &'static str, change: Change) {
        let position = match self.counts.iter().position(|c| c.kind == kind) {
            Some(position) => position,
            None => {
                self.counts.push(KindCount {
                    kind,
                    ..KindCount::default()
                });
                self.counts.len() - 1
            }
        };
        let entry = &mut self.counts[position];
        match change {
            Change::Created => entry.created += 1,
            Change::Updated => entry.updated += 1,
            Change::Unchanged => entry.unchanged += 1,
        }
    }

    pub fn created(&self, kind: &str) -> u64 {
        self.counts
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.created)
            .sum()
    }

    pub fn total_changes(&self) -> u64 {
        self.counts.iter().map(|c| c.created + c.updated).sum()
    }
}

const SQL_EVENT: &str = "SELECT id FROM events WHERE slug = $1";
const SQL_PROPOSITION: &str = "SELECT id FROM propositions WHERE slug = $1";
const SQL_ANALYST: &str = "SELECT id FROM analysts WHERE username = $1";
const SQL_TOPIC: &str = "SELECT id FROM topics WHERE slug = $1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Created,
    Updated,
    Unchanged,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Invalid(#[from] ImportErrors),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Imports `set`. With `dry_run`, everything is checked and counted and then rolled back.
/// `analyst_id` is recorded in the change log as who imported it (`None`: from the shell).
pub async fn apply(
    db: &Database,
    set: &DataSet,
    dry_run: bool,
    analyst_id: Option<i64>,
) -> Result<ImportReport, ApplyError> {
    apply_with_reason(db, set, dry_run, analyst_id, "import").await
}

/// As `apply`, recording `reason` in the change log: the data-entry forms write through here,
/// so a form and an import share one set of checks and one history.
pub async fn apply_with_reason(
    db: &Database,
    set: &DataSet,
    dry_run: bool,
    analyst_id: Option<i64>,
    reason: &str,
) -> Result<ImportReport, ApplyError> {
    let mut tx = db.write.begin().await?;
    let mut run = Run {
        tx: &mut tx,
        report: ImportReport {
            dry_run,
            counts: Vec::new(),
        },
        issues: Vec::new(),
        analyst_id,
        reason: reason.to_string(),
        now: now(),
    };
    run.all(set).await?;
    let Run { report, issues, .. } = run;
    if !issues.is_empty() {
        tx.rollback().await?;
        return Err(ApplyError::Invalid(ImportErrors(issues)));
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

struct Run<'t, 'c> {
    tx: &'t mut Transaction<'c, Sqlite>,
    report: ImportReport,
    issues: Vec<ImportIssue>,
    analyst_id: Option<i64>,
    reason: String,
    now: String,
}

impl Run<'_, '_> {
    fn issue(&mut self, location: &str, field: &str, message: String) {
        self.issues.push(ImportIssue {
            location: format!("{location}, field {field}"),
            message,
        });
    }

    /// Carries a retraction over from the file; one already recorded is kept as it is.
    async fn retract(
        &mut self,
        table: &str,
        id: i64,
        retraction: Option<&(chrono::DateTime<chrono::Utc>, String)>,
    ) -> Result<(), sqlx::Error> {
        let Some((at, reason)) = retraction else {
            return Ok(());
        };
        // The table name is one of this module's constants, never input.
        let sql = format!(
            "UPDATE {table} SET retracted_at = $1, retraction_reason = $2 WHERE id = $3 AND retracted_at IS NULL"
        );
        sqlx::query(&sql)
            .bind(format_moment(*at))
            .bind(reason)
            .bind(id)
            .execute(&mut **self.tx)
            .await?;
        Ok(())
    }

    /// The id of the one row `sql` selects for `key`, e.g. a proposition by slug.
    async fn find(&mut self, sql: &str, key: &str) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar(sql)
            .bind(key)
            .fetch_optional(&mut **self.tx)
            .await
    }

    /// Passes `id` through, recording an issue at `field` when the record it names is missing.
    fn require(
        &mut self,
        id: Option<i64>,
        at: &str,
        field: &str,
        missing: impl FnOnce() -> String,
    ) -> Option<i64> {
        if id.is_none() {
            self.issue(at, field, missing());
        }
        id
    }

    async fn log(
        &mut self,
        entity: &str,
        id: i64,
        change: Change,
        snapshot: &impl Serialize,
    ) -> Result<(), sqlx::Error> {
        if change == Change::Unchanged {
            return Ok(());
        }
        let action = if change == Change::Created {
            "create"
        } else {
            "import"
        };
        let snapshot = serde_json::to_string(snapshot).unwrap_or_else(|_| "{}".to_string());
        sqlx::query("INSERT INTO change_log (entity, entity_id, action, analyst_id, changed_at, reason, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(entity).bind(id).bind(action).bind(self.analyst_id).bind(&self.now).bind(&self.reason).bind(snapshot)
            .execute(&mut **self.tx).await?;
        Ok(())
    }

    async fn all(&mut self, set: &DataSet) -> Result<(), sqlx::Error> {
        for analyst in &set.analysts {
            let existing = self.find(SQL_ANALYST, &analyst.username).await?;
            // An import never changes an existing account: roles are managed by admins only.
            if existing.is_some() {
                self.report.count("analysts", Change::Unchanged);
                continue;
            }
            sqlx::query("INSERT INTO analysts (username, display_name, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&analyst.username).bind(&analyst.display_name).bind(analyst.role.as_str()).bind(&self.now)
                .execute(&mut **self.tx).await?;
            self.report.count("analysts", Change::Created);
        }
        for topic in &set.topics {
            let id = self.find(SQL_TOPIC, topic.slug.as_str()).await?;
            let change = match id {
                None => {
                    sqlx::query("INSERT INTO topics (slug, name) VALUES ($1, $2)")
                        .bind(topic.slug.as_str())
                        .bind(&topic.name)
                        .execute(&mut **self.tx)
                        .await?;
                    Change::Created
                }
                Some(id) => {
                    let done =
                        sqlx::query("UPDATE topics SET name = $1 WHERE id = $2 AND name <> $1")
                            .bind(&topic.name)
                            .bind(id)
                            .execute(&mut **self.tx)
                            .await?;
                    if done.rows_affected() > 0 {
                        Change::Updated
                    } else {
                        Change::Unchanged
                    }
                }
            };
            self.report.count("topics", change);
        }
        for (i, expert) in set.experts.iter().enumerate() {
            self.expert(i, expert).await?;
        }
        let mut source_ids = HashMap::new();
        for source in &set.sources {
            let id = self.source(source).await?;
            source_ids.insert(source.key.clone(), id);
        }
        for (i, event) in set.events.iter().enumerate() {
            let at = format!("events #{}", i + 1);
            let existing = self.find(SQL_EVENT, event.slug.as_str()).await?;
            let (description, starts, ends) = (
                event.description.as_deref(),
                event.starts_on.map(format_date),
                event.ends_on.map(format_date),
            );
            let (id, change) = match existing {
                None => {
                    let id: i64 = sqlx::query_scalar("INSERT INTO events (slug, title, description, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                        .bind(event.slug.as_str()).bind(&event.title).bind(description).bind(&starts).bind(&ends).bind(&self.now)
                        .fetch_one(&mut **self.tx).await?;
                    (id, Change::Created)
                }
                Some(id) => {
                    let done = sqlx::query("UPDATE events SET title = $1, description = $2, starts_on = $3, ends_on = $4 WHERE id = $5 AND NOT (title = $1 AND description IS $2 AND starts_on IS $3 AND ends_on IS $4)")
                        .bind(&event.title).bind(description).bind(&starts).bind(&ends).bind(id)
                        .execute(&mut **self.tx).await?;
                    (
                        id,
                        if done.rows_affected() > 0 {
                            Change::Updated
                        } else {
                            Change::Unchanged
                        },
                    )
                }
            };
            self.topics("event_topics", "event_id", id, &event.topics, &at)
                .await?;
            self.log("event", id, change, &serde_json::json!({"slug": event.slug.as_str(), "title": event.title, "description": description, "starts_on": starts, "ends_on": ends})).await?;
            self.report.count("events", change);
        }
        for (i, proposition) in set.propositions.iter().enumerate() {
            let at = format!("propositions #{}", i + 1);
            let event_id = self.find(SQL_EVENT, proposition.event.as_str()).await?;
            let Some(event_id) = self.require(event_id, &at, "event", || {
                format!("no event has the slug \"{}\"", proposition.event)
            }) else {
                continue;
            };
            let existing = self
                .find(SQL_PROPOSITION, proposition.slug.as_str())
                .await?;
            let decidable_by = format_date(proposition.decidable_by);
            let (id, change) = match existing {
                None => {
                    let id: i64 = sqlx::query_scalar("INSERT INTO propositions (event_id, slug, statement, criteria, decidable_by, position, created_at) VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position) + 1, 0) FROM propositions WHERE event_id = $1), $6) RETURNING id")
                        .bind(event_id).bind(proposition.slug.as_str()).bind(&proposition.statement).bind(&proposition.criteria).bind(&decidable_by).bind(&self.now)
                        .fetch_one(&mut **self.tx).await?;
                    (id, Change::Created)
                }
                Some(id) => {
                    let done = sqlx::query("UPDATE propositions SET event_id = $1, statement = $2, criteria = $3, decidable_by = $4 WHERE id = $5 AND NOT (event_id = $1 AND statement = $2 AND criteria = $3 AND decidable_by = $4)")
                        .bind(event_id).bind(&proposition.statement).bind(&proposition.criteria).bind(&decidable_by).bind(id)
                        .execute(&mut **self.tx).await?;
                    (
                        id,
                        if done.rows_affected() > 0 {
                            Change::Updated
                        } else {
                            Change::Unchanged
                        },
                    )
                }
            };
            self.topics(
                "proposition_topics",
                "proposition_id",
                id,
                &proposition.topics,
                &at,
            )
            .await?;
            self.log("proposition", id, change, &serde_json::json!({"slug": proposition.slug.as_str(), "event_id": event_id, "statement": proposition.statement, "criteria": proposition.criteria, "decidable_by": decidable_by})).await?;
            self.report.count("propositions", change);
        }
        for prediction in &set.predictions {
            self.prediction(prediction, &source_ids).await?;
        }
        for resolution in &set.resolutions {
            let at = resolution.location.as_str();
            let proposition_id = self
                .find(SQL_PROPOSITION, resolution.proposition.as_str())
                .await?;
            let proposition_id = self.require(proposition_id, at, "proposition", || {
                format!("no proposition has the slug \"{}\"", resolution.proposition)
            });
            let analyst_id = self.find(SQL_ANALYST, &resolution.recorded_by).await?;
            let analyst_id = self.require(analyst_id, at, "recorded_by", || {
                format!("no analyst has the username \"{}\"", resolution.recorded_by)
            });
            let (Some(proposition_id), Some(analyst_id)) = (proposition_id, analyst_id) else {
                continue;
            };
            let recorded_at = format_moment(resolution.recorded_at);
            let outcome = resolution.outcome.as_str();
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM resolutions WHERE proposition_id = $1 AND recorded_at = $2 AND outcome = $3")
                .bind(proposition_id).bind(&recorded_at).bind(outcome).fetch_optional(&mut **self.tx).await?;
            if existing.is_some() {
                self.report.count("resolutions", Change::Unchanged);
                continue;
            }
            let supersedes: Option<i64> = sqlx::query_scalar("SELECT id FROM resolutions WHERE proposition_id = $1 AND recorded_at <= $2 ORDER BY recorded_at DESC, id DESC LIMIT 1")
                .bind(proposition_id).bind(&recorded_at).fetch_optional(&mut **self.tx).await?;
            sqlx::query("INSERT INTO resolutions (proposition_id, outcome, decided_on, evidence_url, rationale, recorded_by, recorded_at, supersedes_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(proposition_id).bind(outcome).bind(format_date(resolution.decided_on)).bind(&resolution.evidence_url)
                .bind(&resolution.rationale).bind(analyst_id).bind(&recorded_at).bind(supersedes)
                .execute(&mut **self.tx).await?;
            self.report.count("resolutions", Change::Created);
        }
        Ok(())
    }

    async fn topics(
        &mut self,
        table: &str,
        column: &str,
        id: i64,
        topics: &[crate::domain::Slug],
        at: &str,
    ) -> Result<(), sqlx::Error> {
        for topic in topics {
            let topic_id = self.find(SQL_TOPIC, topic.as_str()).await?;
            if let Some(topic_id) = self.require(topic_id, at, "topics", || {
                format!("no topic has the slug \"{topic}\"")
            }) {
                // Table and column names come from this module's own constants, never from input.
                let sql = format!(
                    "INSERT INTO {table} ({column}, topic_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                );
                sqlx::query(&sql)
                    .bind(id)
                    .bind(topic_id)
                    .execute(&mut **self.tx)
                    .await?;
            }
        }
        Ok(())
    }

    async fn expert(&mut self, index: usize, expert: &ValidExpert) -> Result<(), sqlx::Error> {
        let at = format!("experts #{}", index + 1);
        let mut existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM experts WHERE slug = $1")
                .bind(expert.slug.as_str())
                .fetch_optional(&mut **self.tx)
                .await?;
        if existing.is_none() {
            for name in std::iter::once(&expert.name).chain(&expert.aliases) {
                existing =
                    sqlx::query_scalar("SELECT expert_id FROM expert_aliases WHERE alias_key = $1")
                        .bind(alias_key(name))
                        .fetch_optional(&mut **self.tx)
                        .await?;
                if existing.is_some() {
                    break;
                }
            }
        }
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO experts (slug, name, kind, affiliation, title, bio, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
                    .bind(expert.slug.as_str()).bind(&expert.name).bind(expert.kind.as_str()).bind(&expert.affiliation).bind(&expert.title).bind(&expert.bio).bind(&self.now)
                    .fetch_one(&mut **self.tx).await?;
                for (position, member) in expert.members.iter().enumerate() {
                    sqlx::query("INSERT INTO expert_members (expert_id, position, name) VALUES ($1, $2, $3)")
                        .bind(id).bind(i64::try_from(position).unwrap_or(i64::MAX)).bind(member).execute(&mut **self.tx).await?;
                }
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE experts SET name = $1, kind = $2, affiliation = $3, title = $4, bio = $5, updated_at = $6 WHERE id = $7 AND NOT (name = $1 AND kind = $2 AND affiliation IS $3 AND title IS $4 AND bio IS $5)")
                    .bind(&expert.name).bind(expert.kind.as_str()).bind(&expert.affiliation).bind(&expert.title).bind(&expert.bio).bind(&self.now).bind(id)
                    .execute(&mut **self.tx).await?;
                (
                    id,
                    if done.rows_affected() > 0 {
                        Change::Updated
                    } else {
                        Change::Unchanged
                    },
                )
            }
        };
        // The name itself is an alias too, so a later file that spells it differently still matches.
        for name in std::iter::once(&expert.name).chain(&expert.aliases) {
            let key = alias_key(name);
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT expert_id FROM expert_aliases WHERE alias_key = $1")
                    .bind(&key)
                    .fetch_optional(&mut **self.tx)
                    .await?;
            match owner {
                None => {
                    sqlx::query("INSERT INTO expert_aliases (expert_id, alias, alias_key) VALUES ($1, $2, $3)")
                        .bind(id).bind(name).bind(&key).execute(&mut **self.tx).await?;
                }
                Some(owner) if owner != id => {
                    self.issue(
                        &at,
                        "aliases",
                        format!("\"{name}\" already names another expert"),
                    );
                }
                Some(_) => {}
            }
        }
        self.retract("experts", id, expert.retraction.as_ref())
            .await?;
        self.log("expert", id, change, &serde_json::json!({"slug": expert.slug.as_str(), "name": expert.name, "kind": expert.kind.as_str(), "affiliation": expert.affiliation, "title": expert.title, "bio": expert.bio, "aliases": expert.aliases, "members": expert.members})).await?;
        self.report.count("experts", change);
        Ok(())
    }

    async fn source(&mut self, source: &ValidSource) -> Result<i64, sqlx::Error> {
        let published_on = format_date(source.published_on);
        let existing: Option<i64> = match &source.url {
            Some(url) => sqlx::query_scalar("SELECT id FROM sources WHERE url = $1").bind(url).fetch_optional(&mut **self.tx).await?,
            None => sqlx::query_scalar("SELECT id FROM sources WHERE url IS NULL AND outlet = $1 AND title = $2 AND published_on = $3")
                .bind(&source.outlet).bind(&source.title).bind(&published_on).fetch_optional(&mut **self.tx).await?,
        };
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO sources (title, outlet, url, published_on, note, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(&source.title).bind(&source.outlet).bind(&source.url).bind(&published_on).bind(&source.note).bind(&self.now)
                    .fetch_one(&mut **self.tx).await?;
                for (position, author) in source.authors.iter().enumerate() {
                    sqlx::query("INSERT INTO source_authors (source_id, position, name) VALUES ($1, $2, $3)")
                        .bind(id).bind(i64::try_from(position).unwrap_or(i64::MAX)).bind(author).execute(&mut **self.tx).await?;
                }
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE sources SET title = $1, outlet = $2, published_on = $3, note = $4 WHERE id = $5 AND NOT (title = $1 AND outlet = $2 AND published_on = $3 AND note IS $4)")
                    .bind(&source.title).bind(&source.outlet).bind(&published_on).bind(&source.note).bind(id)
                    .execute(&mut **self.tx).await?;
                (
                    id,
                    if done.rows_affected() > 0 {
                        Change::Updated
                    } else {
                        Change::Unchanged
                    },
                )
            }
        };
        self.log("source", id, change, &serde_json::json!({"title": source.title, "outlet": source.outlet, "url": source.url, "published_on": published_on, "authors": source.authors, "note": source.note})).await?;
        self.report.count("sources", change);
        Ok(id)
    }

    async fn prediction(
        &mut self,
        prediction: &ValidPrediction,
        source_ids: &HashMap<String, i64>,
    ) -> Result<(), sqlx::Error> {
        let at = prediction.location.as_str();
        let expert_id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM experts WHERE slug = $1 UNION SELECT expert_id FROM expert_aliases WHERE alias_key = $2 LIMIT 1",
        )
        .bind(&prediction.expert).bind(alias_key(&prediction.expert)).fetch_optional(&mut **self.tx).await?;
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
            let found: Option<(i64, f64)> = sqlx::query_as(
                "SELECT t.id, t.probability FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id WHERE s.slug = $1 AND t.term = $2",
            )
            .bind(&term.scale).bind(&term.term).fetch_optional(&mut **self.tx).await?;
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
            return Ok(());
        };
        let said_on = format_date(prediction.said_on);
        let basis = prediction.basis.as_str();
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM predictions WHERE expert_id = $1 AND proposition_id = $2 AND source_id = $3")
            .bind(expert_id).bind(proposition_id).bind(source_id).fetch_optional(&mut **self.tx).await?;
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO predictions (expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability, probability_basis, estimative_term_id, basis_note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id")
                    .bind(expert_id).bind(proposition_id).bind(source_id).bind(&prediction.quote).bind(&said_on).bind(&prediction.hedge_words)
                    .bind(probability.value()).bind(basis).bind(term_id).bind(&prediction.basis_note)
                    .bind(prediction.recorded_at.map(format_moment).unwrap_or_else(|| self.now.clone()))
                    .fetch_one(&mut **self.tx).await?;
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE predictions SET quote = $1, said_on = $2, hedge_words = $3, probability = $4, probability_basis = $5, estimative_term_id = $6, basis_note = $7, updated_at = $8 WHERE id = $9 AND NOT (quote = $1 AND said_on = $2 AND hedge_words IS $3 AND probability = $4 AND probability_basis = $5 AND estimative_term_id IS $6 AND basis_note IS $7)")
                    .bind(&prediction.quote).bind(&said_on).bind(&prediction.hedge_words).bind(probability.value()).bind(basis).bind(term_id).bind(&prediction.basis_note).bind(&self.now).bind(id)
                    .execute(&mut **self.tx).await?;
                (
                    id,
                    if done.rows_affected() > 0 {
                        Change::Updated
                    } else {
                        Change::Unchanged
                    },
                )
            }
        };
        self.retract("predictions", id, prediction.retraction.as_ref())
            .await?;
        self.log("prediction", id, change, &serde_json::json!({"expert_id": expert_id, "proposition_id": proposition_id, "source_id": source_id, "quote": prediction.quote, "said_on": said_on, "hedge_words": prediction.hedge_words, "probability": probability.value(), "basis": basis, "estimative_term_id": term_id, "basis_note": prediction.basis_note})).await?;
        self.report.count("predictions", change);
        Ok(())
    }
}

/// Reads, checks and imports a file in either format: every problem comes back with its line
/// (CSV) or record (JSON) and field, and a file with any problem changes nothing.
pub async fn import_bytes(
    db: &Database,
    bytes: &[u8],
    format: crate::import::Format,
    dry_run: bool,
    analyst_id: Option<i64>,
) -> Result<ImportReport, ApplyError> {
    let (set, lines) = crate::import::read(bytes, format)?;
    match apply(db, &set, dry_run, analyst_id).await {
        Err(ApplyError::Invalid(errors)) => Err(ApplyError::Invalid(lines.relabel(errors))),
        other => other,
    }
}

/// Validates and imports the text of a `hindsight/v1` file.
pub async fn import_json(
    db: &Database,
    text: &str,
    dry_run: bool,
    analyst_id: Option<i64>,
) -> Result<ImportReport, ApplyError> {
    let file = crate::import::parse(text)?;
    let set = crate::import::validate(&file)?;
    apply(db, &set, dry_run, analyst_id).await
}

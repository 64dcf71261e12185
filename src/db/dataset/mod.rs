//! Writes a validated data set (see `crate::import`) in one transaction. Records are matched
//! to what is already there, so importing the same file twice changes nothing the second time:
//! experts by slug or any alias, sources by URL (or outlet, title and date when they have none),
//! events, topics and propositions by slug, predictions by expert, proposition and source,
//! resolutions by proposition, moment and outcome.

mod bulk;
mod catalogue;
mod experts;
mod log;
mod predictions;
mod propositions;
mod references;
mod report;
mod resolutions;
mod rows;
mod sources;

use std::collections::HashMap;

use sqlx::{Connection, Sqlite, SqliteConnection, Transaction};

pub use references::{PREDICTION_REFERENCES, broken_references};
pub use report::{ImportReport, KindCount};

use log::{LogEntry, to_json};
use report::Change;
use rows::numbered;

use super::Database;
use crate::domain::dates::format_moment;
use crate::domain::model::Retraction;
use crate::import::{DataSet, ImportErrors, ImportIssue, RecordRef};

const SQL_EVENT: &str = "SELECT id FROM events WHERE slug = $1";
const SQL_PROPOSITION: &str = "SELECT id FROM propositions WHERE slug = $1";

const SQL_TOPIC: &str = "SELECT id FROM topics WHERE slug = $1";
const SQL_INSERT_MEMBERS: &str = "INSERT INTO expert_members (expert_id, position, name) ";
const SQL_INSERT_AUTHORS: &str = "INSERT INTO source_authors (source_id, position, name) ";
/// An expert by slug ($1) or by the key of any spelling of their name ($2).
const SQL_EXPERT_REFERENCE: &str = "SELECT id FROM experts WHERE slug = $1 UNION ALL SELECT expert_id FROM expert_aliases WHERE alias_key = $2 LIMIT 1";

/// Whether writing `incoming` records into a table holding about `on_record` is a bulk load:
/// large, and at least doubling the table. Its secondary indexes are then built once at the
/// end and its references checked once at the end, which is cheaper than doing either row by
/// row, but costs in proportion to the whole table: hence the second condition.
fn is_bulk_load(incoming: usize, on_record: i64) -> bool {
    const AT_LEAST: usize = 1_000;
    incoming >= AT_LEAST && i64::try_from(incoming).unwrap_or(i64::MAX) >= on_record
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Invalid(#[from] ImportErrors),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A bulk load would have left references to no record: a fault of the importer, never of
    /// the file. Nothing was imported.
    #[error("the import would have left references to no record, so nothing was imported: {}", .0.join("; "))]
    BrokenReferences(Vec<String>),
    /// What the form saw when it was opened (`Seen`) no longer holds: someone saved first.
    /// Nothing was written.
    #[error("the record changed since the form was opened, so nothing was written")]
    Changed,
}

/// What a form saw when it was opened, checked again inside the write's transaction: of two
/// analysts saving over the same record, only the first is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The proposition's latest outcome on record (`None`: it had none).
    LatestOutcome {
        proposition_id: i64,
        resolution_id: Option<i64>,
    },
}

impl Seen {
    async fn still_holds(self, tx: &mut Transaction<'_, Sqlite>) -> Result<bool, sqlx::Error> {
        match self {
            Self::LatestOutcome {
                proposition_id,
                resolution_id,
            } => {
                let latest: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM resolutions WHERE proposition_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1",
                )
                .bind(proposition_id)
                .fetch_optional(&mut **tx)
                .await?;
                Ok(latest == resolution_id)
            }
        }
    }
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
    apply_with_progress(db, set, dry_run, analyst_id, reason, &NoProgress).await
}

/// As `apply_with_reason`, by a signed-in analyst's form, only if what the form saw when it
/// was opened still holds (`ApplyError::Changed` otherwise).
pub async fn apply_if_unchanged(
    db: &Database,
    set: &DataSet,
    analyst_id: i64,
    reason: &str,
    seen: Seen,
) -> Result<ImportReport, ApplyError> {
    let how = How {
        dry_run: false,
        analyst_id: Some(analyst_id),
        reason,
        bulk_load: false,
        seen: Some(seen),
    };
    let mut writer = db.write.acquire().await?;
    apply_on(db, &mut writer, set, &how, &NoProgress).await
}

/// Told how far a long import has got, e.g. to draw a progress bar.
pub trait Progress: Sync {
    /// What is being done now, e.g. "checking".
    fn stage(&self, _what: &'static str) {}
    /// `done` of `total` predictions are written.
    fn predictions(&self, done: u64, total: u64);
}

pub struct NoProgress;

impl Progress for NoProgress {
    fn predictions(&self, _done: u64, _total: u64) {}
}

/// As `apply_with_reason`, reporting progress as it goes.
pub async fn apply_with_progress(
    db: &Database,
    set: &DataSet,
    dry_run: bool,
    analyst_id: Option<i64>,
    reason: &str,
    progress: &dyn Progress,
) -> Result<ImportReport, ApplyError> {
    let mut writer = db.write.acquire().await?;
    let on_record: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM predictions")
        .fetch_one(&mut *writer)
        .await?;
    let bulk_load = is_bulk_load(set.predictions.len(), on_record);
    let how = How {
        dry_run,
        analyst_id,
        reason,
        bulk_load,
        seen: None,
    };
    if !bulk_load {
        return apply_on(db, &mut writer, set, &how, progress).await;
    }
    // SQLite's check of each row's references gives way to one check of them all before the
    // commit (see `references`). The setting cannot change inside a transaction, so it is the
    // connection's; and the connection is closed afterwards instead of going back to the pool,
    // so that however this ends, no other write runs without the checks. The close is awaited
    // (SQLite is done with the connection before this returns); only if this is dropped
    // halfway does the pool close it in the background.
    writer.close_on_drop();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *writer)
        .await?;
    let applied = apply_on(db, &mut writer, set, &how, progress).await;
    // What the import did stands whatever the close says: it has committed or rolled back.
    if let Err(error) = writer.close().await {
        tracing::warn!("cannot close the writer after a bulk load: {error}");
    }
    applied
}

/// How a data set is applied.
struct How<'a> {
    dry_run: bool,
    analyst_id: Option<i64>,
    reason: &'a str,
    /// See `is_bulk_load`.
    bulk_load: bool,
    seen: Option<Seen>,
}

/// Applies `set` in one transaction on the writer.
async fn apply_on(
    db: &Database,
    writer: &mut SqliteConnection,
    set: &DataSet,
    how: &How<'_>,
    progress: &dyn Progress,
) -> Result<ImportReport, ApplyError> {
    let mut tx = writer.begin().await?;
    let now = crate::db::stamp(&mut tx).await?;
    if let Some(seen) = how.seen
        && !seen.still_holds(&mut tx).await?
    {
        tx.rollback().await?;
        return Err(ApplyError::Changed);
    }
    let mut run = Run {
        found: HashMap::new(),
        progress,
        pending_log: Vec::new(),
        tx: &mut tx,
        report: ImportReport {
            dry_run: how.dry_run,
            counts: Vec::new(),
        },
        issues: Vec::new(),
        unindexed_from: None,
        bulk_load: how.bulk_load,
        analyst_id: how.analyst_id,
        reason: how.reason.to_string(),
        now,
    };
    run.all(set).await?;
    let Run { report, issues, .. } = run;
    if !issues.is_empty() {
        tx.rollback().await?;
        return Err(ApplyError::Invalid(ImportErrors(issues)));
    }
    if how.bulk_load {
        progress.stage("checking references");
        let broken = broken_references(&mut tx).await?;
        if !broken.is_empty() {
            tx.rollback().await?;
            return Err(ApplyError::BrokenReferences(broken));
        }
    }
    if how.dry_run {
        tx.rollback().await?;
    } else {
        progress.stage("committing");
        tx.commit().await?;
        db.mark_changed();
    }
    Ok(report)
}

struct Run<'t, 'c> {
    tx: &'t mut Transaction<'c, Sqlite>,
    /// Ids already looked up, by query and key. Only ids found are kept: nothing is deleted,
    /// so an id once found stays right, while a record missing now may be created later on.
    found: HashMap<(&'static str, String), i64>,
    progress: &'t dyn Progress,
    /// Change-log entries not yet written.
    pending_log: Vec<LogEntry>,
    report: ImportReport,
    issues: Vec<ImportIssue>,
    /// The first prediction written but not yet in the search index.
    unindexed_from: Option<i64>,
    /// Whether the file's predictions are a bulk load (`is_bulk_load`): SQLite's foreign-key
    /// checks are off, the indexes of predictions set aside until the end.
    bulk_load: bool,
    analyst_id: Option<i64>,
    reason: String,
    now: String,
}

impl Run<'_, '_> {
    fn issue(&mut self, at: RecordRef, field: &str, message: String) {
        self.issues.push(ImportIssue::new(at.field(field), message));
    }

    /// Carries a retraction over from the file; one already recorded is kept as it is.
    async fn retract(
        &mut self,
        table: &str,
        id: i64,
        retraction: Option<&Retraction>,
    ) -> Result<(), sqlx::Error> {
        let Some(Retraction { at, reason }) = retraction else {
            return Ok(());
        };
        // Retracted as of this database's clock; the file's moment is what it claims. A
        // prediction's retraction is a version of it, stamped like any other change.
        let stamped = if table == "predictions" {
            ", entered_at = $4"
        } else {
            ""
        };
        // The table name is one of this module's constants, never input.
        let sql = format!(
            "UPDATE {table} SET retracted_at = $4, retraction_reason = $2, claimed_retracted_at = $1{stamped} WHERE id = $3 AND retracted_at IS NULL"
        );
        sqlx::query(&sql)
            .bind(format_moment(*at))
            .bind(reason)
            .bind(id)
            .bind(&self.now)
            .execute(&mut **self.tx)
            .await?;
        Ok(())
    }

    /// The account this import is recorded by: the signed-in analyst's, or for an import from
    /// the shell (and the demo data set at start-up) one that stands for the shell user.
    async fn recorder(&mut self) -> Result<i64, sqlx::Error> {
        match self.analyst_id {
            Some(id) => Ok(id),
            None => crate::db::accounts::shell_account(self.tx, &self.now).await,
        }
    }

    /// Passes `id` through, recording an issue at `field` when the record it names is missing.
    fn require(
        &mut self,
        id: Option<i64>,
        at: RecordRef,
        field: &str,
        missing: impl FnOnce() -> String,
    ) -> Option<i64> {
        if id.is_none() {
            self.issue(at, field, missing());
        }
        id
    }

    async fn all(&mut self, set: &DataSet) -> Result<(), sqlx::Error> {
        self.progress
            .stage("writing experts, sources and propositions");
        let source_ids = self.catalogue(set).await?;
        self.progress.stage("writing predictions");
        self.predictions(&set.predictions, &source_ids).await?;
        self.progress.stage("writing outcomes");
        self.resolutions(set).await?;
        self.flush_log().await
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
    import_bytes_with_progress(db, bytes, format, dry_run, analyst_id, &NoProgress).await
}

/// As `import_bytes`, reporting progress as it goes.
pub async fn import_bytes_with_progress(
    db: &Database,
    bytes: &[u8],
    format: crate::import::Format,
    dry_run: bool,
    analyst_id: Option<i64>,
    progress: &dyn Progress,
) -> Result<ImportReport, ApplyError> {
    progress.stage("reading and checking");
    let (set, lines) = crate::import::read(bytes, format)?;
    match apply_with_progress(db, &set, dry_run, analyst_id, "import", progress).await {
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

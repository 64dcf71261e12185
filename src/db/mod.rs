//! The data-access boundary: all SQL lives under this module, one file per aggregate. Outside
//! it, clippy.toml forbids sqlx's query functions, so no SQL creeps into the web layer.
#![allow(clippy::disallowed_methods)]
//!
//! SQLite runs in WAL mode with one writer connection and a pool of readers, so a page being
//! read never waits for an outcome being written. SQL stays portable where it costs nothing
//! (standard SQL, `$n` placeholders, UTC timestamps as text) for the planned PostgreSQL backend.

pub mod accounts;
pub mod dataset;
pub mod decode;
pub mod drafts;
pub mod events;
pub mod experts;
pub mod export;
pub mod extraction;
pub mod forecasts;
pub mod history;
pub mod overview;
pub mod predictions;
pub mod propositions;
pub mod query;
pub mod resolutions;
pub mod retraction;
pub mod scales;
pub mod sources;
pub mod two_factor;

use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::domain::dates::{AsOf, format_moment};

/// Later than any recorded moment: the upper bound a live view compares stored moments with.
const END_OF_TIME: &str = "9999-12-31T23:59:59.999Z";

/// What `as_of` is compared with in SQL: the stored form of its moment, or for a live view a
/// bound later than any, so that one query serves both.
fn upper_bound(as_of: AsOf) -> String {
    as_of
        .moment()
        .map_or_else(|| END_OF_TIME.to_string(), format_moment)
}

/// Pinned to the last write committed: what a Share link carries. Every write after it is
/// stamped later, so the page it links to is final from the moment it is shared, and every
/// reader who shares between two writes shares the same address.
pub async fn pinned_to_last_write(db: &Database) -> Result<AsOf, sqlx::Error> {
    let stamp = last_stamp(db).await?;
    Ok(AsOf::At(
        crate::domain::dates::parse_moment(&stamp).unwrap_or_else(Utc::now),
    ))
}

/// Whether a view can never change: pinned at or before the last write committed. A moment
/// after it is not, yet: a write already under way may still be stamped before it.
pub async fn is_final(db: &Database, as_of: AsOf) -> Result<bool, sqlx::Error> {
    let Some(moment) = as_of.moment() else {
        return Ok(false);
    };
    Ok(format_moment(moment) <= last_stamp(db).await?)
}

/// Ids bound in one `IN (...)` list; SQLite allows 32,766 parameters, older builds 999.
pub const IDS_PER_QUERY: usize = 900;

/// Choices for a form's list, fetched with `LIMIT limit + 1`: all of them when they fit in
/// `limit`, else `None` (the form then takes a typed address).
pub fn listed_up_to<T>(rows: Vec<T>, limit: i64) -> Option<Vec<T>> {
    (i64::try_from(rows.len()).unwrap_or(i64::MAX) <= limit).then_some(rows)
}

/// Finishes an `IN (` list with `ids`, each bound.
pub fn push_ids(query: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, ids: &[i64]) {
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file")]
    Exists(String),
    #[error("{0} is not a path SQLite can open")]
    Path(String),
    #[error("the copy failed SQLite's integrity check: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot sync the copy to disk: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Clone, Debug)]
pub struct Database {
    /// Readers: several connections, never used for writes.
    pub read: SqlitePool,
    /// The single writer, so SQLite never answers "database is locked" to a second writer.
    pub write: SqlitePool,
    /// Goes up with every change to the data, so that whatever was computed from it (finished
    /// pages) knows it is out of date.
    pub generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Database {
    /// Opens (creating if missing) and migrates the database at `url`, e.g.
    /// `sqlite://hindsight.db`.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives power loss as well as a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // The writer gets a larger page cache: a big import touches index pages all over the
        // file, and with SQLite's default 2 MB it spends its time spilling and re-reading them.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .pragma("cache_size", "-65536")
                    .pragma("temp_store", "memory"),
            )
            .await?;
        sqlx::migrate!("./migrations").run(&write).await?;
        // Sessions live in the same file, in the table tower-sessions manages.
        tower_sessions_sqlx_store::SqliteStore::new(write.clone())
            .migrate()
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            read,
            write,
            generation: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(1)),
        })
    }

    /// Gives the writer a page cache of `megabytes`: for a long import from the shell, where
    /// memory is plentiful and the indexes of a large database do not fit the default.
    pub async fn set_writer_cache(&self, megabytes: u32) -> Result<(), sqlx::Error> {
        let kibibytes = i64::from(megabytes) * 1024;
        // A pragma's value cannot be bound; this one is a number made here.
        sqlx::query(&format!("PRAGMA cache_size = -{kibibytes}"))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Says the data has changed: called after a write commits.
    pub fn mark_changed(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Writes a consistent snapshot of the database to `path` (which must not exist) while
    /// readers and the writer carry on: `VACUUM INTO` reads one transaction's view. The copy is
    /// synced to disk, then opened on its own and checked with `integrity_check`. Returns the
    /// number of predictions in the copy.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<i64, BackupError> {
        if path.exists() {
            return Err(BackupError::Exists(path.display().to_string()));
        }
        let target = path
            .to_str()
            .ok_or_else(|| BackupError::Path(path.display().to_string()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.read)
            .await?;
        std::fs::File::open(path)?.sync_all()?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The new file's name must reach the disk too.
            std::fs::File::open(parent)?.sync_all()?;
        }
        let copy = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(SqliteConnectOptions::new().filename(path).read_only(true))
            .await?;
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&copy)
            .await?;
        let predictions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM predictions")
            .fetch_one(&copy)
            .await?;
        copy.close().await;
        if verdict != "ok" {
            return Err(BackupError::Corrupt(verdict));
        }
        Ok(predictions)
    }

    pub async fn is_empty(&self) -> Result<bool, sqlx::Error> {
        let (predictions, experts): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM predictions), (SELECT COUNT(*) FROM experts)",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(predictions == 0 && experts == 0)
    }

    /// For /healthz: a query that touches the file, on both pools.
    pub async fn check(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1 FROM estimative_scales LIMIT 1")
            .fetch_optional(&self.read)
            .await?;
        sqlx::query("SELECT 1").fetch_one(&self.write).await?;
        Ok(())
    }

    pub async fn close(&self) {
        // A connection handed back a moment ago returns to its pool on a task of its own, and
        // closing the pool does not wait for it: it would stay open, and SQLite keeps the WAL
        // file until the last connection closes. Give such connections a moment to come back.
        settle(&self.read).await;
        settle(&self.write).await;
        // The writer must close last: only a connection that can write copies the WAL into the
        // file and removes it. After a bulk load the pool has none (the load closed its own, see
        // `dataset::apply_with_progress`), so one is opened for this.
        if self.write.size() == 0 {
            let opened = sqlx::query("SELECT 1").execute(&self.write).await;
            if let Err(error) = opened {
                tracing::warn!("cannot reopen the writer to close the database cleanly: {error}");
            }
            settle(&self.write).await;
        }
        self.read.close().await;
        self.write.close().await;
    }
}

/// Waits up to two seconds for every connection of `pool` to be back in it.
async fn settle(pool: &SqlitePool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while pool.num_idle() < pool.size() as usize && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Splits a `group_concat(…, '; ')` column back into its items.
pub fn split_list(joined: Option<&str>) -> Vec<&str> {
    joined
        .map(|s| s.split("; ").filter(|item| !item.is_empty()).collect())
        .unwrap_or_default()
}

pub fn now() -> String {
    format_moment(Utc::now())
}

/// Takes this transaction's stamp from the write clock (migration 0015): the moment its records
/// enter the database, which is what `as_of` compares. It must be the transaction's first write,
/// so that it takes SQLite's write lock and stamps rise in the order transactions commit; it is
/// the wall clock, or a millisecond past the last stamp if the wall clock has not moved on.
pub async fn stamp(tx: &mut sqlx::SqliteConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE write_clock SET last_entered_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
             strftime('%Y-%m-%dT%H:%M:%fZ', last_entered_at, '+0.001 seconds'))
         WHERE id = 1 RETURNING last_entered_at",
    )
    .fetch_one(tx)
    .await
}

/// SQLite's `data_version` on `connection`: it changes whenever another connection commits.
pub async fn data_version(connection: &mut sqlx::SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(connection)
        .await
}

/// The stamp of the last write committed: a page pinned at or before it can never change, since
/// every later write is stamped later.
pub async fn last_stamp(db: &Database) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT last_entered_at FROM write_clock WHERE id = 1")
        .fetch_one(&db.read)
        .await
}

/// The latest resolution of each proposition recorded at or before `$1`: its current outcome
/// "as of" that moment. Every query that shows an outcome starts from this, so the as-of rule
/// lives in one place.
pub const CURRENT_OUTCOMES: &str = "current_outcomes AS (
    SELECT r.proposition_id, r.outcome, r.id AS resolution_id, r.recorded_at, r.decided_on
    FROM resolutions r
    WHERE r.recorded_at <= $1 AND r.id = (
        SELECT latest.id FROM resolutions latest
        WHERE latest.proposition_id = r.proposition_id AND latest.recorded_at <= $1
        ORDER BY latest.recorded_at DESC, latest.id DESC LIMIT 1))";

/// The table of predictions as they stood at `as_of`: the table itself when live, else
/// `predictions_at`, which `with_current_outcomes` defines for a pinned moment.
pub fn predictions_as_of(as_of: AsOf) -> &'static str {
    if as_of.is_pinned() {
        "predictions_at"
    } else {
        "predictions"
    }
}

/// Each prediction's version in force at `$1`: the row itself when it entered by then, else the
/// version of prediction_versions that was (migration 0015). Its `created_at` is the moment
/// the version entered; `claimed_recorded_at`, the prediction's claim (versions keep none). NOT MATERIALIZED lets SQLite fold it into the query that reads it, so
/// each branch is searched through its indexes (an expert's, a proposition's) instead of every
/// prediction being copied first.
pub const PREDICTIONS_AT: &str = "predictions_at AS NOT MATERIALIZED (
    SELECT id, expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability,
        probability_basis, estimative_term_id, basis_note, retracted_at, entered_at AS created_at,
        claimed_recorded_at
    FROM predictions WHERE entered_at <= $1
    UNION ALL
    SELECT v.prediction_id, v.expert_id, v.proposition_id, v.source_id, v.quote, v.said_on,
        v.hedge_words, v.probability, v.probability_basis, v.estimative_term_id, v.basis_note,
        v.retracted_at, v.entered_at,
        (SELECT c.claimed_recorded_at FROM predictions c WHERE c.id = v.prediction_id)
    FROM prediction_versions v WHERE v.entered_at <= $1 AND v.superseded_at > $1)";

/// Starts a query with the `current_outcomes` table as of `as_of` (see `CURRENT_OUTCOMES`),
/// and for a pinned moment `predictions_at` (see `predictions_as_of`), for queries whose other
/// filters are added as they are chosen.
pub fn with_current_outcomes<'a>(as_of: AsOf) -> sqlx::QueryBuilder<'a, sqlx::Sqlite> {
    let bound = upper_bound(as_of);
    let mut query = sqlx::QueryBuilder::new(
        "WITH current_outcomes AS (
    SELECT r.proposition_id, r.outcome, r.id AS resolution_id, r.recorded_at, r.decided_on
    FROM resolutions r
    WHERE r.recorded_at <= ",
    );
    query.push_bind(bound.clone());
    query.push(
        " AND r.id = (
        SELECT latest.id FROM resolutions latest
        WHERE latest.proposition_id = r.proposition_id AND latest.recorded_at <= ",
    );
    query.push_bind(bound.clone());
    query.push(" ORDER BY latest.recorded_at DESC, latest.id DESC LIMIT 1))");
    if as_of.is_pinned() {
        let (head, tail) = PREDICTIONS_AT
            .split_once("$1")
            .unwrap_or((PREDICTIONS_AT, ""));
        query.push(", ").push(head).push_bind(bound.clone());
        let (middle, tail) = tail.split_once("$1").unwrap_or((tail, ""));
        query.push(middle).push_bind(bound.clone());
        let (middle, tail) = tail.split_once("$1").unwrap_or((tail, ""));
        query.push(middle).push_bind(bound).push(tail);
    }
    query.push(" ");
    query
}

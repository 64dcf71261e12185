//! Sources: the articles and briefs predictions were published in.

use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use super::decode::{self, Stored};
use super::{Database, query};
use crate::domain::model::Source;

/// A source as the database holds it, with how many predictions on record it holds.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub source: Stored<Source>,
    pub predictions: i64,
}

decode::reads_as_stored!(SourceRow, source: Source);

impl FromRow<'_, SqliteRow> for SourceRow {
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        let source = Source {
            key: key(row.try_get("id")?),
            title: row.try_get("title")?,
            outlet: row.try_get("outlet")?,
            url: row.try_get("url")?,
            published_on: decode::date(row, "published_on")?,
            authors: decode::list(row, "authors")?,
            note: row.try_get("note")?,
        };
        Ok(Self {
            source: Stored::with_id(row, source)?,
            predictions: row.try_get("predictions")?,
        })
    }
}

/// The key a stored source goes by in a file: the database keeps none, and its id is unique.
pub fn key(id: i64) -> String {
    format!("source-{id}")
}

impl SourceRow {
    pub fn author_list(&self) -> Vec<&str> {
        self.authors.iter().map(String::as_str).collect()
    }
}

const SELECT: &str = "SELECT s.id, s.title, s.outlet, s.url, s.published_on, s.note,
    (SELECT group_concat(a.name, '; ') FROM (SELECT name FROM source_authors WHERE source_id = s.id ORDER BY position) a) AS authors,
    (SELECT COUNT(*) FROM predictions p WHERE p.source_id = s.id AND p.retracted_at IS NULL) AS predictions
FROM sources s";

pub async fn by_id(db: &Database, id: i64) -> Result<Option<SourceRow>, sqlx::Error> {
    query::optional(db, &format!("{SELECT} WHERE s.id = $1"), &[id.into()]).await
}

/// Sources newest first, a page at a time.
pub async fn page(db: &Database, limit: i64, offset: i64) -> Result<Vec<SourceRow>, sqlx::Error> {
    let sql = format!("{SELECT} ORDER BY s.published_on DESC, s.outlet, s.id LIMIT $1 OFFSET $2");
    query::all(db, &sql, &[limit.into(), offset.into()]).await
}

pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    query::count(db, "SELECT COUNT(*) FROM sources").await
}

pub async fn all(db: &Database) -> Result<Vec<SourceRow>, sqlx::Error> {
    let sql = format!("{SELECT} ORDER BY s.published_on DESC, s.outlet");
    query::all(db, &sql, &[]).await
}

/// (id, "outlet, title (date)") of every source, newest first, or `None` when there are more
/// than `limit`.
pub async fn choices_up_to(
    db: &Database,
    limit: i64,
) -> Result<Option<Vec<(String, String)>>, sqlx::Error> {
    let sql = "SELECT CAST(id AS TEXT), outlet || ', ' || title || ' (' || published_on || ')' FROM sources
         ORDER BY published_on DESC, outlet LIMIT $1";
    query::choices_up_to(db, sql, limit).await
}

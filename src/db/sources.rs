//! Sources: the articles and briefs predictions were published in.

use sqlx::FromRow;

use super::Database;

#[derive(Debug, Clone, FromRow)]
pub struct SourceRow {
    pub id: i64,
    pub title: String,
    pub outlet: String,
    pub url: Option<String>,
    pub published_on: String,
    pub note: Option<String>,
    pub authors: Option<String>,
    pub predictions: i64,
}

impl SourceRow {
    pub fn author_list(&self) -> Vec<&str> {
        super::split_list(self.authors.as_deref())
    }
}

const SELECT: &str = "SELECT s.id, s.title, s.outlet, s.url, s.published_on, s.note,
    (SELECT group_concat(a.name, '; ') FROM (SELECT name FROM source_authors WHERE source_id = s.id ORDER BY position) a) AS authors,
    (SELECT COUNT(*) FROM predictions p WHERE p.source_id = s.id AND p.retracted_at IS NULL) AS predictions
FROM sources s";

pub async fn by_id(db: &Database, id: i64) -> Result<Option<SourceRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&db.read)
        .await
}

/// Sources newest first, a page at a time.
pub async fn page(db: &Database, limit: i64, offset: i64) -> Result<Vec<SourceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} ORDER BY s.published_on DESC, s.outlet, s.id LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await
}

pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sources")
        .fetch_one(&db.read)
        .await
}

pub async fn all(db: &Database) -> Result<Vec<SourceRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} ORDER BY s.published_on DESC, s.outlet"))
        .fetch_all(&db.read)
        .await
}

//! The change log as pages show it: the latest changes, and one record's history.

use sqlx::FromRow;

use super::{Database, query};

#[derive(Debug, Clone, FromRow)]
pub struct Change {
    pub entity: String,
    pub entity_id: i64,
    /// For records created together by an import: the last of their ids.
    pub last_entity_id: Option<i64>,
    pub action: String,
    pub analyst: Option<String>,
    pub changed_at: String,
    pub reason: Option<String>,
}

pub async fn recent_changes(db: &Database, limit: i64) -> Result<Vec<Change>, sqlx::Error> {
    let sql = "SELECT c.entity, c.entity_id, c.last_entity_id, c.action, a.display_name AS analyst, c.changed_at, c.reason
         FROM change_log c LEFT JOIN analysts a ON a.id = c.analyst_id ORDER BY c.id DESC LIMIT $1";
    query::all(db, sql, &[limit.into()]).await
}

/// The history of one record, newest first: its own entries and, until it was first changed,
/// the entry of the import that created it with others (see migration 0012).
pub async fn history_of(db: &Database, entity: &str, id: i64) -> Result<Vec<Change>, sqlx::Error> {
    query::all(
        db,
        "SELECT c.id, c.entity, c.entity_id, NULL AS last_entity_id, c.action, a.display_name AS analyst, c.changed_at, c.reason
         FROM change_log c LEFT JOIN analysts a ON a.id = c.analyst_id
         WHERE c.entity = $1 AND c.entity_id = $2 AND c.last_entity_id IS NULL
         UNION ALL
         SELECT run.id, run.entity, $2, NULL, run.action, a.display_name, run.changed_at, run.reason
         FROM (SELECT * FROM change_log WHERE entity = $1 AND last_entity_id >= $2
               ORDER BY last_entity_id LIMIT 1) run
         LEFT JOIN analysts a ON a.id = run.analyst_id
         WHERE run.entity_id <= $2
           AND NOT EXISTS (SELECT 1 FROM change_log WHERE entity = $1 AND entity_id = $2
                           AND action = 'create' AND last_entity_id IS NULL)
         ORDER BY 1 DESC",
        &[entity.into(), id.into()],
    )
    .await
}

//! Events, with counts of what has been predicted and decided about them.

use sqlx::FromRow;

use super::{CURRENT_OUTCOMES, Database};

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub topics: Option<String>,
    pub propositions: i64,
    pub resolved: i64,
    pub predictions: i64,
    pub experts: i64,
}

impl EventRow {
    pub fn topic_list(&self) -> Vec<&str> {
        super::split_list(self.topics.as_deref())
    }
}

fn select() -> String {
    format!(
        "WITH {CURRENT_OUTCOMES}
SELECT ev.id, ev.slug, ev.title, ev.description, ev.starts_on, ev.ends_on,
    (SELECT group_concat(t.name, '; ') FROM event_topics et JOIN topics t ON t.id = et.topic_id WHERE et.event_id = ev.id) AS topics,
    (SELECT COUNT(*) FROM propositions pr WHERE pr.event_id = ev.id AND pr.retracted_at IS NULL) AS propositions,
    (SELECT COUNT(*) FROM propositions pr JOIN current_outcomes co ON co.proposition_id = pr.id WHERE pr.event_id = ev.id AND pr.retracted_at IS NULL) AS resolved,
    (SELECT COUNT(*) FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id WHERE pr.event_id = ev.id AND p.retracted_at IS NULL) AS predictions,
    (SELECT COUNT(DISTINCT p.expert_id) FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id WHERE pr.event_id = ev.id AND p.retracted_at IS NULL) AS experts
FROM events ev"
    )
}

pub async fn all(db: &Database, as_of: &str) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} ORDER BY ev.starts_on DESC, ev.title",
        select()
    ))
    .bind(as_of)
    .fetch_all(&db.read)
    .await
}

pub async fn by_slug(
    db: &Database,
    slug: &str,
    as_of: &str,
) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE ev.slug = $2", select()))
        .bind(as_of)
        .bind(slug)
        .fetch_optional(&db.read)
        .await
}

/// (id, slug, title) of every event, for filter choices.
pub async fn choices(db: &Database) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, title FROM events ORDER BY starts_on DESC, title")
        .fetch_all(&db.read)
        .await
}

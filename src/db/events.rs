//! Events, with counts of what has been predicted and decided about them.

use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};
use utoipa::ToSchema;

use super::decode::{self, Stored};
use super::query::Choices;
use super::{CURRENT_OUTCOMES, Database, query};
use crate::domain::dates::AsOf;
use crate::domain::model::Event;

/// An event as the database holds it, with its topics by name and its counts.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub event: Stored<Event>,
    /// Its topics' names, as pages and the API show them (the record holds their slugs).
    pub topic_names: Vec<String>,
    pub counts: EventCounts,
}

/// What has been said and decided about an event (shown by the API as it is).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventCounts {
    pub propositions: i64,
    pub resolved: i64,
    pub predictions: i64,
    pub experts: i64,
}

decode::reads_as_stored!(EventRow, event: Event);

impl FromRow<'_, SqliteRow> for EventRow {
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        let event = Event {
            slug: decode::slug(row, "slug")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            starts_on: decode::optional_date(row, "starts_on")?,
            ends_on: decode::optional_date(row, "ends_on")?,
            topics: decode::slugs(row, "topic_slugs")?,
        };
        Ok(Self {
            event: Stored::with_id(row, event)?,
            topic_names: decode::list(row, "topics")?,
            counts: EventCounts {
                propositions: row.try_get("propositions")?,
                resolved: row.try_get("resolved")?,
                predictions: row.try_get("predictions")?,
                experts: row.try_get("experts")?,
            },
        })
    }
}

impl EventRow {
    pub fn topic_list(&self) -> Vec<&str> {
        self.topic_names.iter().map(String::as_str).collect()
    }
}

/// Events with their counts as of `$1`; pinned, the counts read each prediction's version of
/// that moment (see `super::predictions_as_of`).
fn select(as_of: AsOf) -> String {
    let pinned = as_of.is_pinned();
    let predictions = super::predictions_as_of(as_of);
    let predictions_at = if pinned {
        format!(", {}", super::PREDICTIONS_AT)
    } else {
        String::new()
    };
    let experts_live = if pinned {
        "(e.retracted_at IS NULL OR e.retracted_at > $1)"
    } else {
        "e.retracted_at IS NULL"
    };
    format!(
        "WITH {CURRENT_OUTCOMES}{predictions_at}
SELECT ev.id, ev.slug, ev.title, ev.description, ev.starts_on, ev.ends_on,
    (SELECT group_concat(t.name, '; ') FROM event_topics et JOIN topics t ON t.id = et.topic_id WHERE et.event_id = ev.id) AS topics,
    (SELECT group_concat(t.slug, '; ') FROM event_topics et JOIN topics t ON t.id = et.topic_id WHERE et.event_id = ev.id) AS topic_slugs,
    (SELECT COUNT(*) FROM propositions pr WHERE pr.event_id = ev.id AND pr.retracted_at IS NULL) AS propositions,
    (SELECT COUNT(*) FROM propositions pr JOIN current_outcomes co ON co.proposition_id = pr.id WHERE pr.event_id = ev.id AND pr.retracted_at IS NULL) AS resolved,
    (SELECT COUNT(*) FROM {predictions} p JOIN propositions pr ON pr.id = p.proposition_id JOIN experts e ON e.id = p.expert_id WHERE pr.event_id = ev.id AND p.retracted_at IS NULL AND {experts_live}) AS predictions,
    (SELECT COUNT(DISTINCT p.expert_id) FROM {predictions} p JOIN propositions pr ON pr.id = p.proposition_id JOIN experts e ON e.id = p.expert_id WHERE pr.event_id = ev.id AND p.retracted_at IS NULL AND {experts_live}) AS experts
FROM events ev"
    )
}

/// Events newest first, a page at a time.
pub async fn page(
    db: &Database,
    as_of: AsOf,
    limit: i64,
    offset: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let sql = format!(
        "{} ORDER BY ev.starts_on DESC, ev.title LIMIT $2 OFFSET $3",
        select(as_of)
    );
    query::all(db, &sql, &[as_of.into(), limit.into(), offset.into()]).await
}

pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    query::count(db, "SELECT COUNT(*) FROM events").await
}

pub async fn by_slug(
    db: &Database,
    slug: &str,
    as_of: AsOf,
) -> Result<Option<EventRow>, sqlx::Error> {
    let sql = format!("{} WHERE ev.slug = $2", select(as_of));
    query::optional(db, &sql, &[as_of.into(), slug.into()]).await
}

/// (slug, title) of every event, newest first, or `None` when there are more than `limit`: a
/// form then takes a typed address instead of a list.
pub async fn choices_up_to(db: &Database, limit: i64) -> Result<Choices, sqlx::Error> {
    let sql = "SELECT slug, title FROM events ORDER BY starts_on DESC, title LIMIT $1";
    query::choices_up_to(db, sql, limit).await
}

/// The id of the event at `slug`.
pub async fn id_by_slug(db: &Database, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    query::value(db, "SELECT id FROM events WHERE slug = $1", &[slug.into()]).await
}

/// (slug, title) of the events `ids`, by id.
pub async fn titles_of(
    db: &Database,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, (String, String)>, sqlx::Error> {
    let select = "SELECT id, slug, title FROM events WHERE id IN (";
    let rows: Vec<(i64, String, String)> = query::in_list(db, select, ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, title)| (id, (slug, title)))
        .collect())
}

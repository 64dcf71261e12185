//! Propositions with their current outcome, and the full history of their resolutions.

use chrono::NaiveDate;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use super::decode::{self, Stored};
use super::{CURRENT_OUTCOMES, Database, query};
use crate::domain::Outcome;
use crate::domain::dates::AsOf;
use crate::domain::model::Proposition;

/// A proposition as the database holds it, with its event's id and title, its topics by name
/// and its outcome as of the moment asked about.
#[derive(Debug, Clone)]
pub struct PropositionRow {
    pub proposition: Stored<Proposition>,
    pub event_id: i64,
    pub event_title: String,
    /// Its topics' names, as pages and the API show them (the record holds their slugs).
    pub topic_names: Vec<String>,
    pub outcome: Option<Outcome>,
    pub decided_on: Option<NaiveDate>,
}

decode::reads_as_stored!(PropositionRow, proposition: Proposition);

impl FromRow<'_, SqliteRow> for PropositionRow {
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        let proposition = Proposition {
            slug: decode::slug(row, "slug")?,
            event: decode::slug(row, "event_slug")?,
            statement: row.try_get("statement")?,
            criteria: row.try_get("criteria")?,
            decidable_by: decode::date(row, "decidable_by")?,
            topics: decode::slugs(row, "topic_slugs")?,
        };
        Ok(Self {
            proposition: Stored::with_id(row, proposition)?,
            event_id: row.try_get("event_id")?,
            event_title: row.try_get("event_title")?,
            topic_names: decode::list(row, "topics")?,
            outcome: row.try_get("outcome")?,
            decided_on: decode::optional_date(row, "decided_on")?,
        })
    }
}

impl PropositionRow {
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    pub fn topic_list(&self) -> Vec<&str> {
        self.topic_names.iter().map(String::as_str).collect()
    }
}

fn select() -> String {
    format!(
        "WITH {CURRENT_OUTCOMES}
SELECT pr.id, pr.slug, pr.event_id, ev.slug AS event_slug, ev.title AS event_title, pr.statement,
    pr.criteria, pr.decidable_by,
    (SELECT group_concat(t.name, '; ') FROM proposition_topics pt JOIN topics t ON t.id = pt.topic_id WHERE pt.proposition_id = pr.id) AS topics,
    (SELECT group_concat(t.slug, '; ') FROM proposition_topics pt JOIN topics t ON t.id = pt.topic_id WHERE pt.proposition_id = pr.id) AS topic_slugs,
    co.outcome, r.decided_on
FROM propositions pr
JOIN events ev ON ev.id = pr.event_id
LEFT JOIN current_outcomes co ON co.proposition_id = pr.id
LEFT JOIN resolutions r ON r.id = co.resolution_id
WHERE pr.retracted_at IS NULL"
    )
}

/// The proposition as it stands now, with its current outcome.
pub async fn by_id(db: &Database, id: i64) -> Result<Option<PropositionRow>, sqlx::Error> {
    let sql = format!("{} AND pr.id = $2", select());
    query::optional(db, &sql, &[AsOf::Live.into(), id.into()]).await
}

pub async fn for_event(
    db: &Database,
    event_id: i64,
    as_of: AsOf,
) -> Result<Vec<PropositionRow>, sqlx::Error> {
    let tail = "AND pr.event_id = $2 ORDER BY pr.position, pr.id";
    listed(db, as_of, tail, &[event_id.into()]).await
}

/// Propositions with no outcome yet, soonest decidable first: what an analyst should resolve.
pub async fn due(db: &Database, limit: i64) -> Result<Vec<PropositionRow>, sqlx::Error> {
    let tail = "AND co.outcome IS NULL ORDER BY pr.decidable_by, pr.id LIMIT $2";
    listed(db, AsOf::Live, tail, &[limit.into()]).await
}

/// Propositions, by event and order, a page at a time.
pub async fn page(
    db: &Database,
    as_of: AsOf,
    limit: i64,
    offset: i64,
) -> Result<Vec<PropositionRow>, sqlx::Error> {
    let tail = "ORDER BY pr.event_id, pr.position, pr.id LIMIT $2 OFFSET $3";
    listed(db, as_of, tail, &[limit.into(), offset.into()]).await
}

/// The propositions on record as of `as_of` that `tail` keeps and orders: its conditions and
/// limits take `$2` on, bound to `params`.
async fn listed(
    db: &Database,
    as_of: AsOf,
    tail: &str,
    params: &[query::Param<'_>],
) -> Result<Vec<PropositionRow>, sqlx::Error> {
    let sql = format!("{} {tail}", select());
    let mut bound = vec![as_of.into()];
    bound.extend_from_slice(params);
    query::all(db, &sql, &bound).await
}

pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    query::count(
        db,
        "SELECT COUNT(*) FROM propositions WHERE retracted_at IS NULL",
    )
    .await
}

/// (slug, "event: statement") of every proposition on record, or `None` when there are more
/// than `limit`: the form then takes a typed address.
pub async fn choices_up_to(
    db: &Database,
    limit: i64,
) -> Result<Option<Vec<(String, String)>>, sqlx::Error> {
    let sql = "SELECT pr.slug, ev.title || ': ' || pr.statement FROM propositions pr JOIN events ev ON ev.id = pr.event_id
         WHERE pr.retracted_at IS NULL ORDER BY ev.title, pr.position, pr.id LIMIT $1";
    query::choices_up_to(db, sql, limit).await
}

/// Whether any proposition, retracted or not, has this slug.
pub async fn slug_taken(db: &Database, slug: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM propositions WHERE slug = $1";
    let id: Option<i64> = query::value(db, sql, &[slug.into()]).await?;
    Ok(id.is_some())
}

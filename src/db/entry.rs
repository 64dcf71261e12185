//! What data entry needs beyond the import path: retraction, choices for pickers, and the
//! recent history of changes.

use sqlx::FromRow;

use super::{Database, query};

/// What can be retracted: a retracted record leaves every page and every score, but stays in
/// the database with its history.
#[derive(Debug, Clone, Copy)]
pub enum Retractable {
    Expert,
    Prediction,
}

impl Retractable {
    fn table(self) -> &'static str {
        match self {
            Self::Expert => "experts",
            Self::Prediction => "predictions",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Self::Expert => "expert",
            Self::Prediction => "prediction",
        }
    }
}

/// Retracts a record with a reason, in one transaction with its change-log entry. False when
/// there was no such record, or it was already retracted.
pub async fn retract(
    db: &Database,
    what: Retractable,
    id: i64,
    reason: &str,
    by: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    let stamp = super::stamp(&mut tx).await?;
    // A prediction's retraction is a version of it, in force from this stamp.
    let stamped = match what {
        Retractable::Prediction => ", entered_at = $1",
        Retractable::Expert => "",
    };
    // The table name is one of two constants above, never input.
    let sql = format!(
        "UPDATE {} SET retracted_at = $1, retraction_reason = $2{stamped} WHERE id = $3 AND retracted_at IS NULL",
        what.table()
    );
    let done = sqlx::query(&sql)
        .bind(&stamp)
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("INSERT INTO change_log (entity, entity_id, action, analyst_id, changed_at, reason, snapshot) VALUES ($1, $2, 'retract', $3, $4, $5, json_object('retracted_at', $4))")
        .bind(what.entity())
        .bind(id)
        .bind(by)
        .bind(&stamp)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    db.mark_changed();
    Ok(true)
}

#[derive(Debug, Clone, FromRow)]
pub struct ScaleTerm {
    pub scale_slug: String,
    pub scale_name: String,
    pub term: String,
    pub probability: f64,
}

/// A term of an estimative scale, with its published range, as the scales page shows it.
#[derive(Debug, Clone, FromRow)]
pub struct ScaleRange {
    pub scale_slug: String,
    pub scale_name: String,
    pub citation: String,
    pub term: String,
    pub probability: f64,
    pub low: f64,
    pub high: f64,
}

/// Every estimative scale with its terms and ranges, in the order they are published.
pub async fn scale_ranges(db: &Database) -> Result<Vec<ScaleRange>, sqlx::Error> {
    let sql = "SELECT s.slug AS scale_slug, s.name AS scale_name, s.citation, t.term, t.probability, t.low, t.high
         FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id ORDER BY s.position, t.position";
    query::all(db, sql, &[]).await
}

/// Every estimative term, scale by scale, for the hedge-word picker.
pub async fn scale_terms(db: &Database) -> Result<Vec<ScaleTerm>, sqlx::Error> {
    let sql = "SELECT s.slug AS scale_slug, s.name AS scale_name, t.term, t.probability
         FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id ORDER BY s.position, t.position";
    query::all(db, sql, &[]).await
}

/// (slug, "event: statement") of every proposition on record, or `None` when there are more
/// than `limit`: the form then takes a typed address.
pub async fn proposition_choices_up_to(
    db: &Database,
    limit: i64,
) -> Result<Option<Vec<(String, String)>>, sqlx::Error> {
    let sql = "SELECT pr.slug, ev.title || ': ' || pr.statement FROM propositions pr JOIN events ev ON ev.id = pr.event_id
         WHERE pr.retracted_at IS NULL ORDER BY ev.title, pr.position, pr.id LIMIT $1";
    query::choices_up_to(db, sql, limit).await
}

/// (id, "outlet, title (date)") of every source, newest first, or `None` when there are more
/// than `limit`.
pub async fn source_choices_up_to(
    db: &Database,
    limit: i64,
) -> Result<Option<Vec<(String, String)>>, sqlx::Error> {
    let sql = "SELECT CAST(id AS TEXT), outlet || ', ' || title || ' (' || published_on || ')' FROM sources
         ORDER BY published_on DESC, outlet LIMIT $1";
    query::choices_up_to(db, sql, limit).await
}

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

/// The slugs of the topics an event or a proposition is tagged with.
pub async fn event_topic_slugs(db: &Database, event_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT t.slug FROM event_topics et JOIN topics t ON t.id = et.topic_id WHERE et.event_id = $1";
    let slugs: Vec<(String,)> = query::all(db, sql, &[event_id.into()]).await?;
    Ok(slugs.into_iter().map(|(slug,)| slug).collect())
}

pub async fn proposition_topic_slugs(
    db: &Database,
    proposition_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT t.slug FROM proposition_topics pt JOIN topics t ON t.id = pt.topic_id WHERE pt.proposition_id = $1";
    let slugs: Vec<(String,)> = query::all(db, sql, &[proposition_id.into()]).await?;
    Ok(slugs.into_iter().map(|(slug,)| slug).collect())
}

pub async fn proposition_slug_taken(db: &Database, slug: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM propositions WHERE slug = $1";
    let id: Option<i64> = query::value(db, sql, &[slug.into()]).await?;
    Ok(id.is_some())
}

pub async fn proposition_slug(db: &Database, id: i64) -> Result<Option<String>, sqlx::Error> {
    query::value(
        db,
        "SELECT slug FROM propositions WHERE id = $1",
        &[id.into()],
    )
    .await
}

/// The slug of the scale a prediction's hedge words were read on, if they were.
pub async fn prediction_scale_slug(
    db: &Database,
    prediction_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let sql =
        "SELECT s.slug FROM predictions p JOIN estimative_terms t ON t.id = p.estimative_term_id
         JOIN estimative_scales s ON s.id = t.scale_id WHERE p.id = $1";
    query::value(db, sql, &[prediction_id.into()]).await
}

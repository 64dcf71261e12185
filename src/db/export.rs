//! Everything, as a `hindsight/v1` data set: the inverse of `dataset`. Importing an export into
//! an empty database gives the same records, the same history of outcomes, and so the same
//! scorecards at every moment.

use std::collections::HashMap;

use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use super::{Database, split_list};
use crate::import::{
    DataSetFile, EventRecord, ExpertRecord, FORMAT_V1, PredictionRecord, PropositionRecord,
    ResolutionRecord, Retraction, ScaleTermRef, SourceRecord, TopicRecord,
};

/// Topic slugs per owner id, from a (owner id, slug) query.
async fn tags(db: &Database, sql: &str) -> Result<HashMap<i64, Vec<String>>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(&db.read).await?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, slug) in rows {
        map.entry(id).or_default().push(slug);
    }
    Ok(map)
}

fn retraction(at: Option<String>, reason: Option<String>) -> Option<Retraction> {
    at.map(|at| Retraction {
        at,
        reason: reason.unwrap_or_else(|| "retracted".into()),
    })
}

#[derive(FromRow)]
struct ExpertExport {
    slug: String,
    name: String,
    kind: String,
    affiliation: Option<String>,
    title: Option<String>,
    bio: Option<String>,
    aliases: Option<String>,
    members: Option<String>,
    retracted_at: Option<String>,
    retraction_reason: Option<String>,
}

#[derive(FromRow)]
struct PredictionExport {
    expert: String,
    proposition: String,
    source_id: i64,
    quote: String,
    said_on: String,
    hedge_words: Option<String>,
    probability: f64,
    probability_basis: String,
    scale: Option<String>,
    term: Option<String>,
    basis_note: Option<String>,
    created_at: String,
    retracted_at: Option<String>,
    retraction_reason: Option<String>,
}

pub async fn export(db: &Database) -> Result<DataSetFile, sqlx::Error> {
    Ok(DataSetFile {
        format: FORMAT_V1.to_string(),
        // No accounts: an import never creates them, and usernames are not the file's to carry.
        analysts: Vec::new(),
        topics: topics(db).await?,
        experts: experts(db).await?,
        sources: sources(db).await?,
        events: with_topics(db, EVENT_TOPICS, EVENTS, |event: &mut EventRecord| {
            &mut event.topics
        })
        .await?,
        propositions: with_topics(
            db,
            PROPOSITION_TOPICS,
            PROPOSITIONS,
            |p: &mut PropositionRecord| &mut p.topics,
        )
        .await?,
        predictions: predictions(db).await?,
        resolutions: resolutions(db).await?,
    })
}

async fn topics(db: &Database) -> Result<Vec<TopicRecord>, sqlx::Error> {
    let topics: Vec<(String, String)> = sqlx::query_as("SELECT slug, name FROM topics ORDER BY id")
        .fetch_all(&db.read)
        .await?;
    Ok(topics
        .into_iter()
        .map(|(slug, name)| TopicRecord { slug, name })
        .collect())
}

fn owned(list: Vec<&str>) -> Vec<String> {
    list.into_iter().map(ToString::to_string).collect()
}

async fn experts(db: &Database) -> Result<Vec<ExpertRecord>, sqlx::Error> {
    let experts: Vec<ExpertExport> = sqlx::query_as(
        "SELECT e.slug, e.name, e.kind, e.affiliation, e.title, e.bio,
            (SELECT group_concat(alias, '; ') FROM (SELECT alias FROM expert_aliases WHERE expert_id = e.id AND alias <> e.name ORDER BY id)) AS aliases,
            (SELECT group_concat(name, '; ') FROM (SELECT name FROM expert_members WHERE expert_id = e.id ORDER BY position)) AS members,
            COALESCE(e.claimed_retracted_at, e.retracted_at) AS retracted_at, e.retraction_reason
         FROM experts e ORDER BY e.id",
    )
    .fetch_all(&db.read)
    .await?;
    Ok(experts
        .into_iter()
        .map(|e| ExpertRecord {
            aliases: owned(split_list(e.aliases.as_deref())),
            members: owned(split_list(e.members.as_deref())),
            retraction: retraction(e.retracted_at, e.retraction_reason),
            slug: e.slug,
            name: e.name,
            kind: e.kind,
            affiliation: e.affiliation,
            title: e.title,
            bio: e.bio,
        })
        .collect())
}

/// Sources are keyed by their id (`sources::key`): a file names them by key, and an id is unique.
async fn sources(db: &Database) -> Result<Vec<SourceRecord>, sqlx::Error> {
    let sources = super::sources::all(db).await?;
    Ok(sources
        .into_iter()
        .map(|s| SourceRecord::from(s.source.record))
        .collect())
}

/// The records `sql` reads (its `id` column the owner id `tags_sql` gives topics for, the other
/// columns named as the record's fields), each with its topics.
async fn with_topics<R>(
    db: &Database,
    tags_sql: &str,
    sql: &str,
    topics: fn(&mut R) -> &mut Vec<String>,
) -> Result<Vec<R>, sqlx::Error>
where
    R: for<'r> FromRow<'r, SqliteRow>,
{
    let mut tags = tags(db, tags_sql).await?;
    let rows = sqlx::query(sql).fetch_all(&db.read).await?;
    rows.iter()
        .map(|row| {
            let mut record = R::from_row(row)?;
            let id: i64 = row.try_get("id")?;
            *topics(&mut record) = tags.remove(&id).unwrap_or_default();
            Ok(record)
        })
        .collect()
}

/// Each event's topics, by event id, and the events, each with its id.
const EVENT_TOPICS: &str = "SELECT et.event_id, t.slug FROM event_topics et JOIN topics t ON t.id = et.topic_id ORDER BY t.id";
const EVENTS: &str =
    "SELECT id, slug, title, description, starts_on, ends_on FROM events ORDER BY id";

/// Each proposition's topics, by proposition id, and the propositions, each with its id.
const PROPOSITION_TOPICS: &str = "SELECT pt.proposition_id, t.slug FROM proposition_topics pt JOIN topics t ON t.id = pt.topic_id ORDER BY t.id";
const PROPOSITIONS: &str = "SELECT pr.id, pr.slug, ev.slug AS event, pr.statement, pr.criteria, pr.decidable_by FROM propositions pr JOIN events ev ON ev.id = pr.event_id ORDER BY pr.event_id, pr.position, pr.id";

async fn predictions(db: &Database) -> Result<Vec<PredictionRecord>, sqlx::Error> {
    let predictions: Vec<PredictionExport> = sqlx::query_as(
        "SELECT e.slug AS expert, pr.slug AS proposition, p.source_id, p.quote, p.said_on, p.hedge_words, p.probability,
            p.probability_basis, s.slug AS scale, t.term, p.basis_note,
            COALESCE(p.claimed_recorded_at, p.created_at) AS created_at,
            COALESCE(p.claimed_retracted_at, p.retracted_at) AS retracted_at, p.retraction_reason
         FROM predictions p JOIN experts e ON e.id = p.expert_id JOIN propositions pr ON pr.id = p.proposition_id
         LEFT JOIN estimative_terms t ON t.id = p.estimative_term_id LEFT JOIN estimative_scales s ON s.id = t.scale_id
         ORDER BY p.id",
    )
    .fetch_all(&db.read)
    .await?;
    Ok(predictions.into_iter().map(prediction).collect())
}

fn prediction(p: PredictionExport) -> PredictionRecord {
    let scale_term = match (p.scale, p.term) {
        (Some(scale), Some(term)) => Some(ScaleTermRef { scale, term }),
        _ => None,
    };
    PredictionRecord {
        // A scale's number comes from its term; give it only where the term does not.
        probability: (p.probability_basis != "scale" || scale_term.is_none())
            .then_some(p.probability),
        scale_term,
        expert: p.expert,
        proposition: p.proposition,
        source: super::decode::source_key(p.source_id),
        quote: p.quote,
        said_on: p.said_on,
        hedge_words: p.hedge_words,
        basis: p.probability_basis,
        basis_note: p.basis_note,
        recorded_at: Some(p.created_at),
        retraction: retraction(p.retracted_at, p.retraction_reason),
    }
}

/// Every outcome ever recorded, in the order they entered, so that importing them again
/// supersedes one with the next as it happened.
async fn resolutions(db: &Database) -> Result<Vec<ResolutionRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT pr.slug AS proposition, r.outcome, r.decided_on, r.evidence_url, r.rationale,
            COALESCE(r.claimed_recorded_by, a.username) AS recorded_by,
            COALESCE(r.claimed_recorded_at, r.recorded_at) AS recorded_at
         FROM resolutions r JOIN propositions pr ON pr.id = r.proposition_id JOIN analysts a ON a.id = r.recorded_by
         ORDER BY r.recorded_at, r.id",
    )
    .fetch_all(&db.read)
    .await
}

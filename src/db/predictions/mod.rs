//! Predictions as pages show them: each with its expert, proposition, event, source and the
//! proposition's outcome as of a moment. One query serves every page, filtered as asked.

use chrono::NaiveDate;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Row, Sqlite};

mod search;

use super::decode::{self, Stored};
use super::{Database, with_current_outcomes};
use crate::domain::dates::{AsOf, format_moment};
use crate::domain::model::{Estimate, Prediction, ScaleTerm};
use crate::domain::{Outcome, Probability, ProbabilityBasis, Verdict};
pub use search::{BEST_FIRST_UP_TO, search_query};
use search::{RANK, best_ranked, mark_search_words};

/// A prediction as pages show it: the record as the model holds it (its expert and
/// proposition by slug, its source by the key an export gives it, its `recorded_at` the claim
/// as the export writes it, else when it entered this database), with what it refers to and
/// its proposition's outcome as of the moment asked about.
#[derive(Debug, Clone, FromRow)]
pub struct PredictionRow {
    #[sqlx(flatten)]
    pub prediction: Stored<Prediction>,
    pub expert_id: i64,
    pub expert_name: String,
    pub proposition_id: i64,
    pub proposition_statement: String,
    pub event_slug: String,
    pub event_title: String,
    #[sqlx(flatten)]
    pub published_in: Citation,
    /// The name of the scale its term is read on, where it names one.
    pub scale_name: Option<String>,
    pub outcome: Option<Outcome>,
    /// Byte ranges of the quote that matched a search, in order; empty when not searched.
    #[sqlx(skip)]
    pub quote_marks: Vec<std::ops::Range<usize>>,
}

decode::reads_as_stored!(PredictionRow, prediction: Prediction);

/// The source a prediction was published in, as the prediction cites it.
#[derive(Debug, Clone, FromRow)]
pub struct Citation {
    #[sqlx(rename = "source_id")]
    pub id: i64,
    #[sqlx(rename = "source_title")]
    pub title: String,
    #[sqlx(rename = "source_outlet")]
    pub outlet: String,
    #[sqlx(rename = "source_url")]
    pub url: Option<String>,
    #[sqlx(rename = "source_published_on")]
    pub published_on: NaiveDate,
}

impl FromRow<'_, SqliteRow> for Stored<Prediction> {
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        let prediction = Prediction {
            expert: row.try_get("expert_slug")?,
            proposition: decode::slug(row, "proposition_slug")?,
            source: decode::source_key(row.try_get("source_id")?),
            quote: row.try_get("quote")?,
            said_on: decode::date(row, "said_on")?,
            hedge_words: row.try_get("hedge_words")?,
            estimate: decode::estimate(row)?,
            recorded_at: Some(decode::moment(row, "recorded_at")?),
            retraction: None,
        };
        Self::with_id(row, prediction)
    }
}

impl PredictionRow {
    pub fn probability(&self) -> Probability {
        self.estimate.probability()
    }

    pub fn percent(&self) -> String {
        self.probability().percent()
    }

    pub fn basis(&self) -> ProbabilityBasis {
        self.estimate.basis()
    }

    /// Why the number is what it is, where a note gives it.
    pub fn basis_note(&self) -> Option<&str> {
        self.estimate.note()
    }

    /// The scale term its number was read from, or that an analyst's number overrides.
    pub fn scale_term(&self) -> Option<&ScaleTerm> {
        match &self.estimate {
            Estimate::Scale(reading) => Some(reading.term()),
            Estimate::Analyst { term, .. } => term.as_ref(),
            Estimate::Stated { .. } => None,
        }
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.probability(), self.outcome())
    }

    /// "ICD 203 (US Intelligence Community): “unlikely”", "stated by the expert", ...
    pub fn basis_label(&self) -> String {
        match (&self.estimate, &self.scale_name) {
            (Estimate::Scale(reading), Some(scale)) => {
                format!("{scale}: \u{201c}{}\u{201d}", reading.term().term)
            }
            _ => self.basis().label().to_string(),
        }
    }
}

/// Which predictions to list. Every field narrows the list; none lists them all.
#[derive(Debug, Clone, Default)]
pub struct PredictionFilter {
    pub expert_id: Option<i64>,
    pub event_id: Option<i64>,
    pub proposition_id: Option<i64>,
    pub source_id: Option<i64>,
    pub verdict: Option<Verdict>,
    pub outlet: Option<String>,
    /// Words that must appear in the quote, the proposition or the expert's name.
    pub text: Option<String>,
}

impl PredictionFilter {
    /// Whether anything but the searched words narrows the list.
    fn narrows_besides_text(&self) -> bool {
        self.expert_id.is_some()
            || self.event_id.is_some()
            || self.proposition_id.is_some()
            || self.source_id.is_some()
            || self.verdict.is_some()
            || self.outlet.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Best match first (only with a text filter; otherwise newest first).
    Relevance,
    /// Newest first, as a browsing reader expects.
    SaidDescending,
    /// The event grid and proposition pages: by expert, then date.
    ByExpert,
}

/// The SELECT, joined to the search results (their rank) when there is a search, of the
/// predictions as they stood at `as_of` (see `predictions_as_of`).
fn select(filter: &PredictionFilter, as_of: AsOf, query: &mut QueryBuilder<'_, Sqlite>) {
    let (head, tail) = SELECT.split_once("{search}").unwrap_or((SELECT, ""));
    query.push(head.replace("{predictions}", crate::db::predictions_as_of(as_of)));
    if let Some(search) = filter.text.as_deref().and_then(search_query) {
        query
            .push(format!(
                " JOIN (SELECT rowid AS id, {RANK} AS rank FROM prediction_search WHERE prediction_search MATCH "
            ))
            .push_bind(search)
            .push(") m ON m.id = p.id");
    }
    query.push(tail);
}

const SELECT: &str = "SELECT p.id, p.expert_id, e.slug AS expert_slug, e.name AS expert_name,
    p.proposition_id, pr.slug AS proposition_slug, pr.statement AS proposition_statement,
    ev.slug AS event_slug, ev.title AS event_title,
    p.source_id, s.title AS source_title, s.outlet AS source_outlet, s.url AS source_url,
    s.published_on AS source_published_on, p.quote, p.said_on, p.hedge_words, p.probability,
    p.probability_basis, p.basis_note, sc.slug AS scale_slug, sc.name AS scale_name,
    t.term AS scale_term,
    COALESCE(p.claimed_recorded_at, p.created_at) AS recorded_at, co.outcome
FROM {predictions} p{search}
JOIN experts e ON e.id = p.expert_id
JOIN propositions pr ON pr.id = p.proposition_id
JOIN events ev ON ev.id = pr.event_id
JOIN sources s ON s.id = p.source_id
LEFT JOIN estimative_terms t ON t.id = p.estimative_term_id
LEFT JOIN estimative_scales sc ON sc.id = t.scale_id
LEFT JOIN current_outcomes co ON co.proposition_id = p.proposition_id
WHERE pr.retracted_at IS NULL";

/// Keeps the predictions in force and not retracted at `as_of`, by experts not retracted then,
/// so that a page pinned to a moment never changes when predictions are added, edited or
/// retracted later. The FROM must be `predictions_as_of(as_of)`, which holds each prediction's
/// version of that moment; retractions are stamped by the same clock.
pub fn push_visible_as_of(query: &mut QueryBuilder<'_, Sqlite>, as_of: AsOf) {
    query.push(" AND p.retracted_at IS NULL");
    match as_of.moment() {
        None => query.push(" AND e.retracted_at IS NULL"),
        Some(moment) => query
            .push(" AND (e.retracted_at IS NULL OR e.retracted_at > ")
            .push_bind(format_moment(moment))
            .push(")"),
    };
}

fn push_filters(query: &mut QueryBuilder<'_, Sqlite>, filter: &PredictionFilter) {
    if let Some(id) = filter.expert_id {
        query.push(" AND p.expert_id = ").push_bind(id);
    }
    if let Some(id) = filter.event_id {
        query.push(" AND pr.event_id = ").push_bind(id);
    }
    if let Some(id) = filter.proposition_id {
        query.push(" AND p.proposition_id = ").push_bind(id);
    }
    if let Some(id) = filter.source_id {
        query.push(" AND p.source_id = ").push_bind(id);
    }
    if let Some(outlet) = &filter.outlet {
        query.push(" AND s.outlet = ").push_bind(outlet.clone());
    }
    if filter
        .text
        .as_deref()
        .is_some_and(|t| search_query(t).is_none())
    {
        // Words made only of punctuation: nothing can match them.
        query.push(" AND 1 = 0");
    }
    if let Some(verdict) = filter.verdict {
        // The same rule as `Verdict::of`, in SQL so that pages of a filtered list stay exact;
        // tests check the two agree.
        query.push(match verdict {
            Verdict::Pending => " AND co.outcome IS NULL",
            Verdict::Annulled => " AND co.outcome = 'annulled'",
            Verdict::NoCall => " AND co.outcome IN ('true', 'false') AND p.probability = 0.5",
            Verdict::Right => " AND ((co.outcome = 'true' AND p.probability > 0.5) OR (co.outcome = 'false' AND p.probability < 0.5))",
            Verdict::Wrong => " AND ((co.outcome = 'true' AND p.probability < 0.5) OR (co.outcome = 'false' AND p.probability > 0.5))",
        });
    }
}

pub async fn list(
    db: &Database,
    filter: &PredictionFilter,
    as_of: AsOf,
    order: Order,
    limit: i64,
    offset: i64,
) -> Result<Vec<PredictionRow>, sqlx::Error> {
    let best_first = match filter.text.as_deref().and_then(search_query) {
        Some(search) if order == Order::Relevance && !filter.narrows_besides_text() => {
            best_ranked(db, filter, &search, as_of, limit, offset).await?
        }
        _ => None,
    };
    let mut rows = match best_first {
        Some(rows) => rows,
        // The straightforward way: every match of a search ranked and joined, then sorted.
        None => {
            let mut query = with_current_outcomes(as_of);
            select(filter, as_of, &mut query);
            push_visible_as_of(&mut query, as_of);
            push_filters(&mut query, filter);
            let searched = filter.text.as_deref().and_then(search_query).is_some();
            query.push(match order {
                Order::Relevance if searched => BY_RANK,
                Order::Relevance | Order::SaidDescending => " ORDER BY p.said_on DESC, p.id DESC",
                Order::ByExpert => " ORDER BY e.name, p.said_on, p.id",
            });
            query
                .push(" LIMIT ")
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(offset);
            query.build_query_as().fetch_all(&db.read).await?
        }
    };
    if let Some(text) = filter.text.as_deref() {
        mark_search_words(db, text, &mut rows).await?;
    }
    Ok(rows)
}

/// Best match first; among equals, the latest recorded. The index can give that order on its
/// own (see `best_ranked`): breaking ties by the date said would mean reading every match's
/// record, and a common word ties thousands.
const BY_RANK: &str = " ORDER BY m.rank, p.id DESC";

/// How many predictions match `filter`, counting no further than `cap + 1`: at a million
/// predictions an exact count of a broad filter takes seconds, and a reader only needs to
/// know there are more than a page holds. Joins only what the filter needs.
pub async fn count_up_to(
    db: &Database,
    filter: &PredictionFilter,
    as_of: AsOf,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    let mut query = with_current_outcomes(as_of);
    query.push("SELECT COUNT(*) FROM (SELECT 1");
    push_from_what_filter_needs(&mut query, filter, as_of, true);
    query
        .push(" LIMIT ")
        .push_bind(cap.saturating_add(1))
        .push(") counted");
    query.build_query_scalar().fetch_one(&db.read).await
}

/// `FROM predictions p`, joined to only what `filter` needs, and its conditions: a count or a
/// list of ids reads far less than the rows a page shows. With `searched`, joined to the
/// matches of its words too.
fn push_from_what_filter_needs<'a>(
    query: &mut QueryBuilder<'a, Sqlite>,
    filter: &'a PredictionFilter,
    as_of: AsOf,
    searched: bool,
) {
    query
        .push(" FROM ")
        .push(crate::db::predictions_as_of(as_of))
        .push(" p");
    if let Some(search) = filter
        .text
        .as_deref()
        .and_then(search_query)
        .filter(|_| searched)
    {
        query
            .push(" JOIN (SELECT rowid AS id FROM prediction_search WHERE prediction_search MATCH ")
            .push_bind(search)
            .push(") m ON m.id = p.id");
    }
    query.push(
        " JOIN experts e ON e.id = p.expert_id JOIN propositions pr ON pr.id = p.proposition_id",
    );
    if filter.outlet.is_some() {
        query.push(" JOIN sources s ON s.id = p.source_id");
    }
    if filter.verdict.is_some() {
        query.push(" LEFT JOIN current_outcomes co ON co.proposition_id = p.proposition_id");
    }
    query.push(" WHERE pr.retracted_at IS NULL");
    push_visible_as_of(query, as_of);
    push_filters(query, filter);
}

/// The outlets that have sources, by name, or `None` when there are more than `limit`. Each
/// step jumps along the outlet index to the next name, so a hundred thousand sources from a
/// few outlets cost a few lookups.
pub async fn outlets_up_to(db: &Database, limit: i64) -> Result<Option<Vec<String>>, sqlx::Error> {
    let outlets: Vec<String> = sqlx::query_scalar(
        "WITH RECURSIVE outlet (name) AS (
             SELECT MIN(outlet) FROM sources
             UNION ALL
             SELECT (SELECT MIN(s.outlet) FROM sources s WHERE s.outlet > outlet.name)
             FROM outlet WHERE outlet.name IS NOT NULL)
         SELECT name FROM outlet WHERE name IS NOT NULL LIMIT $1",
    )
    .bind(limit + 1)
    .fetch_all(&db.read)
    .await?;
    Ok(super::listed_up_to(outlets, limit))
}

/// Whether some source was published by `outlet`.
pub async fn outlet_exists(db: &Database, outlet: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sources WHERE outlet = $1)")
        .bind(outlet)
        .fetch_one(&db.read)
        .await
}

/// One prediction on record now, by id.
pub async fn by_id(db: &Database, id: i64) -> Result<Option<PredictionRow>, sqlx::Error> {
    let mut query = with_current_outcomes(AsOf::Live);
    select(&PredictionFilter::default(), AsOf::Live, &mut query);
    push_visible_as_of(&mut query, AsOf::Live);
    query.push(" AND p.id = ").push_bind(id);
    query.build_query_as().fetch_optional(&db.read).await
}

//! What the API returns: the model's own records, serialised as they are, with only what the API
//! adds around them (addresses, ids, counts, verdicts); their schemas are merged into one object
//! each, so the OpenAPI document shows plain objects.

use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::db::events::{EventCounts, EventRow};
use crate::db::experts::ExpertRow;
use crate::db::predictions::PredictionRow;
use crate::db::propositions::PropositionRow;
use crate::db::resolutions::ResolutionRow;
use crate::db::sources::SourceRow;
use crate::domain::scoring::Scorecard;
pub use crate::domain::scoring::{Bin as CalibrationBin, Decomposition, HitRate, TimePoint};
use crate::domain::{Verdict, model};

/// One page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// How many items the list holds; with `more`, how many were counted before counting
    /// stopped (predictions are counted up to 10,000 or one past this page, whichever is more).
    pub total: i64,
    /// True when the list holds more than `total` items.
    pub more: bool,
}

/// An expert as the API shows them: the record, and where its page is.
#[derive(Serialize)]
pub struct Expert {
    #[serde(flatten)]
    pub expert: model::Expert,
    pub url: String,
}

impl From<ExpertRow> for Expert {
    fn from(e: ExpertRow) -> Self {
        Self {
            url: format!("/experts/{}", e.slug),
            expert: e.record,
        }
    }
}

impl PartialSchema for Expert {
    fn schema() -> RefOr<Schema> {
        flattened([model::Expert::schema(), fields([("url", String::schema())])])
    }
}

impl ToSchema for Expert {}

/// A source as the API shows it: its id, the record, and how many predictions it holds.
#[derive(Serialize)]
pub struct Source {
    pub id: i64,
    #[serde(flatten)]
    pub source: model::Source,
    pub predictions: i64,
}

impl From<SourceRow> for Source {
    fn from(s: SourceRow) -> Self {
        Self {
            id: s.source.id,
            source: s.source.record,
            predictions: s.predictions,
        }
    }
}

impl PartialSchema for Source {
    fn schema() -> RefOr<Schema> {
        flattened([
            fields([("id", i64::schema())]),
            model::Source::schema(),
            fields([("predictions", i64::schema())]),
        ])
    }
}

impl ToSchema for Source {}

/// An event as the API shows it: the record, its topics by name, and its counts.
#[derive(Serialize)]
pub struct Event {
    #[serde(flatten)]
    pub event: model::Event,
    pub topics: Vec<String>,
    #[serde(flatten)]
    pub counts: EventCounts,
}

impl From<EventRow> for Event {
    fn from(e: EventRow) -> Self {
        Self {
            event: e.event.record,
            topics: e.topic_names,
            counts: e.counts,
        }
    }
}

impl PartialSchema for Event {
    fn schema() -> RefOr<Schema> {
        flattened([
            model::Event::schema(),
            fields([("topics", <Vec<String>>::schema())]),
            EventCounts::schema(),
        ])
    }
}

impl ToSchema for Event {}

/// A proposition as the API shows it: its id, the record, and what the API adds after it.
#[derive(Serialize)]
pub struct Proposition {
    pub id: i64,
    #[serde(flatten)]
    pub proposition: model::Proposition,
    #[serde(flatten)]
    pub standing: PropositionStanding,
}

/// What the API shows of a proposition after its record.
#[derive(Serialize, ToSchema)]
pub struct PropositionStanding {
    pub topics: Vec<String>,
    /// The current outcome: true, false, annulled, or null while undecided.
    pub outcome: Option<String>,
    /// Every resolution, newest first (only on the single-proposition endpoint).
    pub history: Option<Vec<Resolution>>,
}

impl Proposition {
    pub fn new(p: PropositionRow, history: Option<Vec<Resolution>>) -> Self {
        Self {
            id: p.proposition.id,
            proposition: p.proposition.record,
            standing: PropositionStanding {
                topics: p.topic_names,
                outcome: p.outcome.map(|outcome| outcome.as_str().to_string()),
                history,
            },
        }
    }
}

impl PartialSchema for Proposition {
    fn schema() -> RefOr<Schema> {
        flattened([
            fields([("id", i64::schema())]),
            model::Proposition::schema(),
            PropositionStanding::schema(),
        ])
    }
}

impl ToSchema for Proposition {}

// An outcome as the API shows it: the record's fields, the name of who entered it and when it
// entered (the moment `as_of` compares). Only the fields whose doc comment the API's document
// shows have one; a doc comment here would become a description, which it has none.
#[derive(Serialize, ToSchema)]
pub struct Resolution {
    pub id: i64,
    pub proposition_id: i64,
    /// true, false or annulled
    #[schema(value_type = String)]
    pub outcome: crate::domain::Outcome,
    #[schema(value_type = String)]
    pub decided_on: chrono::NaiveDate,
    pub evidence_url: Option<String>,
    pub rationale: String,
    pub recorded_by: String,
    #[serde(serialize_with = "crate::domain::dates::serialize_moment")]
    #[schema(value_type = String)]
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// The resolution this one corrected, if any.
    pub supersedes_id: Option<i64>,
}

impl From<ResolutionRow> for Resolution {
    fn from(row: ResolutionRow) -> Self {
        Self {
            id: row.id,
            proposition_id: row.proposition_id,
            outcome: row.outcome,
            decided_on: row.decided_on,
            evidence_url: row.resolution.record.evidence_url,
            rationale: row.resolution.record.rationale,
            recorded_by: row.recorder_name,
            recorded_at: row.entered_at,
            supersedes_id: row.supersedes_id,
        }
    }
}

/// A prediction as the API shows it: the record's fields with what they refer to, and its
/// verdict after them.
#[derive(Serialize)]
pub struct Prediction {
    #[serde(flatten)]
    pub prediction: PredictionFields,
    #[serde(flatten)]
    pub verdict: PredictionVerdict,
}

// The record's fields in one flat object: its expert and proposition by address and by name,
// how its number was obtained in three fields. Only the fields whose doc comment the API's
// document shows have one; a doc comment would become a description.
#[derive(Serialize, ToSchema)]
#[schema(as = Prediction)]
pub struct PredictionFields {
    pub id: i64,
    pub expert: String,
    pub expert_name: String,
    pub proposition_id: i64,
    pub proposition: String,
    pub event: String,
    pub source_id: i64,
    pub quote: String,
    #[schema(value_type = String)]
    pub said_on: chrono::NaiveDate,
    pub hedge_words: Option<String>,
    #[schema(value_type = f64)]
    pub probability: crate::domain::Probability,
    /// stated, scale or analyst
    #[schema(value_type = String)]
    pub basis: crate::domain::ProbabilityBasis,
    pub basis_note: Option<String>,
    pub scale: Option<String>,
    pub scale_term: Option<String>,
    /// The proposition's outcome as of the moment asked about.
    #[schema(value_type = Option<String>)]
    pub outcome: Option<crate::domain::Outcome>,
}

impl From<&PredictionRow> for PredictionFields {
    fn from(row: &PredictionRow) -> Self {
        Self {
            id: row.id,
            expert: row.expert.clone(),
            expert_name: row.expert_name.clone(),
            proposition_id: row.proposition_id,
            proposition: row.proposition_statement.clone(),
            event: row.event_slug.clone(),
            source_id: row.published_in.id,
            quote: row.quote.clone(),
            said_on: row.said_on,
            hedge_words: row.hedge_words.clone(),
            probability: row.probability(),
            basis: row.basis(),
            basis_note: row.basis_note().map(str::to_string),
            scale: row.scale_name.clone(),
            scale_term: row.scale_term().map(|t| t.term.clone()),
            outcome: row.outcome,
        }
    }
}

/// How a prediction fared, after its row.
#[derive(Serialize, ToSchema)]
pub struct PredictionVerdict {
    /// right, wrong, no_call, pending or annulled
    #[schema(value_type = String)]
    pub verdict: Verdict,
}

impl From<PredictionRow> for Prediction {
    fn from(prediction: PredictionRow) -> Self {
        Self {
            verdict: PredictionVerdict {
                verdict: prediction.verdict(),
            },
            prediction: PredictionFields::from(&prediction),
        }
    }
}

impl PartialSchema for Prediction {
    fn schema() -> RefOr<Schema> {
        flattened([PredictionFields::schema(), PredictionVerdict::schema()])
    }
}

impl ToSchema for Prediction {}

#[derive(Serialize, ToSchema)]
pub struct ScorecardJson {
    pub expert: String,
    /// The moment it is computed as of (RFC 3339), or null for live.
    pub as_of: Option<String>,
    pub right: u32,
    pub wrong: u32,
    pub no_call: u32,
    pub pending: u32,
    pub annulled: u32,
    pub scored: u32,
    pub hit_rate: Option<HitRate>,
    pub brier: Option<f64>,
    pub log_score: Option<f64>,
    pub relative_brier: Option<f64>,
    pub relative_brier_propositions: u32,
    pub calibration: Vec<CalibrationBin>,
    pub decomposition: Option<Decomposition>,
    pub over_time: Vec<TimePoint>,
}

impl ScorecardJson {
    pub fn new(expert: String, as_of: Option<String>, card: Scorecard) -> Self {
        Self {
            expert,
            as_of,
            right: card.tally.right,
            wrong: card.tally.wrong,
            no_call: card.tally.no_call,
            pending: card.tally.pending,
            annulled: card.tally.annulled,
            scored: card.scored,
            hit_rate: card.hit_rate,
            brier: card.brier,
            log_score: card.log_score,
            relative_brier: card.relative_brier.map(|r| r.value),
            relative_brier_propositions: card.relative_brier.map(|r| r.propositions).unwrap_or(0),
            calibration: card.calibration.bins,
            decomposition: card.calibration.decomposition,
            over_time: card.over_time,
        }
    }
}

/// A problem with the request, named by its parameter.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
    pub parameter: Option<String>,
}

/// One object's schema with the properties (and required ones) of `parts` in turn: the schema
/// of a struct whose fields serde flattens, which utoipa would write as an `allOf` instead.
fn flattened(parts: impl IntoIterator<Item = RefOr<Schema>>) -> RefOr<Schema> {
    let mut whole = ObjectBuilder::new().schema_type(Type::Object).build();
    for part in parts {
        if let RefOr::T(Schema::Object(Object {
            properties,
            required,
            ..
        })) = part
        {
            whole.properties.extend(properties);
            whole.required.extend(required);
        }
    }
    RefOr::T(Schema::Object(whole))
}

/// The schema of an object holding `properties`, each required.
fn fields<const N: usize>(properties: [(&str, RefOr<Schema>); N]) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for (name, schema) in properties {
        object = object.property(name, schema).required(name);
    }
    object.into()
}

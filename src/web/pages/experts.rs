use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::filters;
use crate::db::experts::ExpertRow;
use crate::db::forecasts::{ForecastRow, Scope};
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::{Database, events, experts, forecasts, predictions};
use crate::domain::scoring::{Decomposition, scorecards};
use crate::domain::{Forecast, Scorecard};
use crate::live_leaderboard::{Board, ExpertName};
use crate::web::charts;
use crate::web::extract::Query;
use crate::web::format::{percent, score, signed};
use crate::web::paging::{DEEPEST_ITEM, PageQuery, Pager, Paging};
use crate::web::query::{AsOf, AsOfQuery};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/experts", get(list))
        .route("/experts/{slug}", get(scorecard))
}

/// An expert with their scorecard over every event.
pub struct ExpertSummary {
    pub expert: ExpertRow,
    pub card: Scorecard,
}

/// Experts listed a page at a time: an archive can hold ten thousand.
pub const PAGE_SIZE: usize = 100;

/// The summaries of the experts `ids`, in that order, with their live scorecards.
pub async fn summaries_of(
    db: &Database,
    board: &Board,
    ids: &[i64],
) -> Result<Vec<ExpertSummary>, sqlx::Error> {
    let mut rows: HashMap<i64, ExpertRow> = experts::by_ids(db, ids)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    Ok(ids
        .iter()
        .filter_map(|id| rows.remove(id))
        .map(|expert| ExpertSummary {
            card: board
                .cards
                .get(&expert.id)
                .cloned()
                .unwrap_or_else(Scorecard::empty),
            expert,
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "experts.html")]
struct ExpertsPage {
    experts: Vec<ExpertSummary>,
    total: usize,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    Query(asked): Query<PageQuery>,
) -> Result<ExpertsPage, AppError> {
    // Listed from memory: any depth is cheap, so pages of one item set the limit (10,000 pages).
    let page = Paging::within(asked.page, 1, DEEPEST_ITEM)?.page;
    let paging = Paging::at(page, PAGE_SIZE as i64);
    let board = state.standings.board(&state.db).await?;
    let mut by_name: Vec<(&i64, &ExpertName)> = board.names.iter().collect();
    by_name.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(b.0)));
    let ids: Vec<i64> = by_name
        .iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(0))
        .take(PAGE_SIZE)
        .map(|(id, _)| **id)
        .collect();
    Ok(ExpertsPage {
        experts: summaries_of(&state.db, &board, &ids).await?,
        total: by_name.len(),
        pager: paging.pager(by_name.len() as i64, "/experts"),
    })
}

/// One line of the per-event or per-topic breakdown.
pub struct Breakdown {
    pub label: String,
    pub href: String,
    pub card: Scorecard,
}

#[derive(Template, WebTemplate)]
#[template(path = "expert.html")]
struct ExpertPage {
    expert: ExpertRow,
    card: Scorecard,
    as_of: AsOf,
    share_url: String,
    card_url: String,
    badge_url: String,
    page_url: String,
    calibration_svg: String,
    over_time_svg: String,
    by_event: Vec<Breakdown>,
    by_topic: Vec<Breakdown>,
    predictions: Vec<PredictionRow>,
    /// All of them, of which `predictions` are the newest.
    prediction_count: i64,
}

impl ExpertPage {
    fn decomposition(&self) -> Option<Decomposition> {
        self.card.calibration.decomposition
    }
    /// The decomposition's remainder with its sign ("−0.012", "+0.004", "0.000"): it can be
    /// negative.
    fn remainder(&self) -> String {
        signed(self.decomposition().map(|d| d.within_bin))
    }
    fn summary(&self) -> String {
        summary_line(&self.card)
    }
}

/// "2 of 4 right (50%), Brier 0.334 on 4 scored predictions"
pub fn summary_line(card: &Scorecard) -> String {
    match card.hit_rate {
        Some(hit) => format!(
            "{} of {} right ({}), Brier {} on {} scored prediction{}",
            hit.hits,
            hit.n,
            percent(hit.rate),
            score(card.brier),
            card.scored,
            if card.scored == 1 { "" } else { "s" }
        ),
        None => format!(
            "{} prediction{} on record, none scored yet",
            card.tally.total(),
            if card.tally.total() == 1 { "" } else { "s" }
        ),
    }
}

/// The newest predictions shown on a scorecard; the rest are a link away, on /predictions.
const MAX_PREDICTIONS_SHOWN: i64 = 50;

pub async fn find_expert(db: &Database, slug: &str) -> Result<ExpertRow, AppError> {
    find_expert_as_of(db, slug, AsOf::Live).await
}

/// The expert whose scorecard is shown as of `as_of`: one retracted since that moment still has
/// the scorecard it had then.
pub async fn find_expert_as_of(
    db: &Database,
    slug: &str,
    as_of: AsOf,
) -> Result<ExpertRow, AppError> {
    experts::by_slug_as_of(db, slug, as_of).await?.ok_or_else(|| {
        AppError::not_found("Expert", format!("No expert has the address \u{201c}{slug}\u{201d}. The list of experts has everyone Hindsight scores, under every spelling of their name."))
    })
}

/// The expert's scorecard as of a moment, with the forecasts it was computed from.
pub async fn expert_scorecard(
    db: &Database,
    expert: &ExpertRow,
    as_of: AsOf,
) -> Result<(Scorecard, Vec<ForecastRow>), AppError> {
    let rows = forecasts::in_scope(db, Scope::peers_of(expert.id), as_of).await?;
    let forecasts: Vec<Forecast> = rows.iter().map(ForecastRow::forecast).collect();
    let card = scorecards(&forecasts)
        .experts
        .remove(&expert.id)
        .unwrap_or_else(Scorecard::empty);
    Ok((card, rows))
}

/// The expert's scorecard over each event they made predictions about.
async fn by_event(
    db: &Database,
    expert_id: i64,
    rows: &[ForecastRow],
) -> Result<Vec<Breakdown>, AppError> {
    let mut per_event: BTreeMap<i64, Vec<Forecast>> = BTreeMap::new();
    for row in rows {
        per_event
            .entry(row.event_id)
            .or_default()
            .push(row.forecast());
    }
    let event_ids: Vec<i64> = per_event.keys().copied().collect();
    let event_titles = events::titles_of(db, &event_ids).await?;
    Ok(per_event
        .into_iter()
        .filter_map(|(event_id, forecasts)| {
            let card = scorecards(&forecasts).experts.remove(&expert_id)?;
            let (slug, title) = event_titles.get(&event_id)?.clone();
            Some(Breakdown {
                label: title,
                href: format!("/events/{slug}"),
                card,
            })
        })
        .collect())
}

/// The expert's scorecard over each topic of the propositions they made predictions about.
async fn by_topic(
    db: &Database,
    expert_id: i64,
    rows: &[ForecastRow],
) -> Result<Vec<Breakdown>, AppError> {
    let mut per_topic: BTreeMap<(String, String), Vec<Forecast>> = BTreeMap::new();
    let topics = forecasts::topics_of_expert(db, expert_id).await?;
    let mut topics_of: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (proposition, slug, name) in topics {
        topics_of.entry(proposition).or_default().push((name, slug));
    }
    for row in rows {
        for topic in topics_of.get(&row.proposition_id).into_iter().flatten() {
            per_topic
                .entry(topic.clone())
                .or_default()
                .push(row.forecast());
        }
    }
    Ok(per_topic
        .into_iter()
        .filter_map(|((name, slug), forecasts)| {
            let card = scorecards(&forecasts).experts.remove(&expert_id)?;
            Some(Breakdown {
                label: name,
                href: format!("/leaderboard?topic={slug}"),
                card,
            })
        })
        .collect())
}

async fn scorecard(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(AsOfQuery { as_of }): Query<AsOfQuery>,
) -> Result<ExpertPage, AppError> {
    let db = &state.db;
    let expert = find_expert_as_of(db, &slug, as_of).await?;
    let (card, rows) = expert_scorecard(db, &expert, as_of).await?;

    // Per event and per topic: the same scoring over the forecasts of that event or topic.
    let by_event = by_event(db, expert.id, &rows).await?;
    let by_topic = by_topic(db, expert.id, &rows).await?;
    let filter = PredictionFilter {
        expert_id: Some(expert.id),
        ..PredictionFilter::default()
    };
    let predictions = predictions::list(
        db,
        &filter,
        as_of,
        Order::SaidDescending,
        MAX_PREDICTIONS_SHOWN,
        0,
    )
    .await?;
    // One expert's predictions, counted in full: the expert index bounds the work.
    let prediction_count = predictions::count_up_to(db, &filter, as_of, i64::MAX).await?;
    let base = format!("{}/experts/{}", state.public_url, expert.slug);
    Ok(ExpertPage {
        calibration_svg: charts::calibration(&card.calibration.bins, "calibration"),
        over_time_svg: charts::over_time(&card.over_time, "over-time"),
        // A pinned page shares itself; the live one, its numbers as of the last write.
        share_url: if as_of.is_pinned() {
            format!("{base}{}", as_of.query())
        } else {
            format!(
                "{base}{}",
                crate::db::pinned_to_last_write(db).await?.query()
            )
        },
        card_url: format!("{base}/card.png{}", as_of.query()),
        badge_url: format!("{base}/badge.svg{}", as_of.query()),
        page_url: format!("{base}{}", as_of.query()),
        expert,
        card,
        as_of,
        by_event,
        by_topic,
        predictions,
        prediction_count,
    })
}

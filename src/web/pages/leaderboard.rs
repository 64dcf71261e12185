use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::filters;
use crate::db::forecasts::{ForecastRow, Scope};
use crate::db::{Database, events, forecasts};
use crate::domain::Forecast;
use crate::domain::scoring::{Scorecard, consensus, scorecards};
use crate::live_leaderboard::{self as standings, Board, ExpertName};
use crate::web::extract::{Query, Whole};
use crate::web::paging::Paging;
use crate::web::query::AsOf;
use crate::web::{AppError, AppState, CHOICES_LISTED};

pub fn router() -> Router<AppState> {
    Router::new().route("/leaderboard", get(leaderboard))
}

/// Fewer scored predictions than this and an expert is listed but not ranked: one lucky call
/// should not top the table.
pub const DEFAULT_MINIMUM: u32 = 3;

pub struct Entry {
    pub rank: Option<usize>,
    pub slug: String,
    pub name: String,
    pub affiliation: Option<String>,
    pub card: Scorecard,
}

#[derive(Template, WebTemplate)]
#[template(path = "leaderboard.html")]
struct LeaderboardPage {
    /// This page of the ranked experts.
    ranked: Vec<Entry>,
    ranked_total: usize,
    page: usize,
    pages: usize,
    /// The first of those below the minimum, by name.
    unranked: Vec<Entry>,
    unranked_total: usize,
    crowd: Option<Entry>,
    minimum: u32,
    as_of: AsOf,
    chosen_event: String,
    chosen_topic: String,
    /// Every event, or `None` when there are too many to list: the form takes an address.
    events: Option<Vec<(String, String)>>,
    topics: Vec<(i64, String, String)>,
}

/// Ranked experts a page: a large archive ranks thousands.
pub const PAGE_SIZE: usize = 100;

impl LeaderboardPage {
    /// This leaderboard's address at another page, keeping every other choice.
    fn link(&self, page: usize) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("event", self.chosen_event.as_str()),
            ("topic", self.chosen_topic.as_str()),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if self.minimum != DEFAULT_MINIMUM {
            query.append_pair("min", &self.minimum.to_string());
        }
        if self.as_of.is_pinned() {
            query.append_pair("as_of", &self.as_of.param());
        }
        query.append_pair("page", &page.to_string());
        format!("/leaderboard?{}", query.finish())
    }
}

/// Experts with their scorecards, in a list's order.
pub type Standing<'a> = Vec<(&'a ExpertName, Scorecard)>;

/// The leaderboard's one ranking, which the home page's leaders are the top of: the experts with
/// at least `minimum` scored predictions, best first (see [`rank`]), and the others by name.
pub fn standing(
    cards: impl IntoIterator<Item = (i64, Scorecard)>,
    names: &standings::Names,
    minimum: u32,
) -> (Standing<'_>, Standing<'_>) {
    let mut ranked = Vec::new();
    let mut unranked = Vec::new();
    for (id, card) in cards {
        let Some(expert) = names.get(&id) else {
            continue;
        };
        if card.scored >= minimum {
            ranked.push((expert, card));
        } else {
            unranked.push((expert, card));
        }
    }
    rank(&mut ranked);
    unranked.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name));
    (ranked, unranked)
}

/// Best first: by relative Brier (an expert with no peers comes after those with), then Brier,
/// then name so that ties read in a stable order.
fn rank(entries: &mut [(&ExpertName, Scorecard)]) {
    entries.sort_by(|(a_name, a), (b_name, b)| {
        let relative = |card: &Scorecard| {
            card.relative_brier
                .map(|r| r.value)
                .unwrap_or(f64::INFINITY)
        };
        let brier = |card: &Scorecard| card.brier.unwrap_or(f64::INFINITY);
        relative(a)
            .total_cmp(&relative(b))
            .then(brier(a).total_cmp(&brier(b)))
            .then_with(|| a_name.name.cmp(&b_name.name))
    });
}

fn entry(rank: Option<usize>, expert: &ExpertName, card: Scorecard) -> Entry {
    Entry {
        rank,
        slug: expert.slug.clone(),
        name: expert.name.clone(),
        affiliation: expert.affiliation.clone(),
        card,
    }
}

/// The event or topic chosen by address, or a 400 that names the parameter.
async fn chosen_event(db: &Database, slug: &str) -> Result<i64, AppError> {
    events::id_by_slug(db, slug).await?.ok_or_else(|| {
        AppError::bad_parameter(
            "event",
            format!("No event has the address \u{201c}{slug}\u{201d}; choose one from the list."),
        )
    })
}

/// The id of the topic whose address is `slug`.
fn chosen_topic(topics: &[(i64, String, String)], slug: &str) -> Result<i64, AppError> {
    let topic = topics.iter().find(|(_, s, _)| s == slug).ok_or_else(|| {
        AppError::bad_parameter(
            "topic",
            format!("No topic has the address \u{201c}{slug}\u{201d}; choose one from the list."),
        )
    })?;
    Ok(topic.0)
}

/// The standings asked for: the live ones kept in memory, or, for an event, a topic or a
/// moment, computed from the forecasts in scope.
async fn board(state: &AppState, scope: Scope, as_of: AsOf) -> Result<Board, AppError> {
    let db = &state.db;
    let live = scope.event.is_none() && scope.topic.is_none() && !as_of.is_pinned();
    if live {
        return Ok(state.standings.board(db).await?);
    }
    let forecasts: Vec<Forecast> = forecasts::in_scope(db, scope, as_of)
        .await?
        .iter()
        .map(ForecastRow::forecast)
        .collect();
    let mut with_crowd = forecasts.clone();
    with_crowd.extend(consensus(&forecasts));
    let crowd = scorecards(&with_crowd).crowd.filter(|c| c.scored > 0);
    let cards = scorecards(&forecasts).experts;
    Ok(Board {
        forecasts: forecasts.len(),
        cards: cards.clone(),
        crowd,
        // Experts retracted since a pinned moment keep their place on its board.
        names: std::sync::Arc::new(standings::names_of(db, &cards).await?),
    })
}

/// What the leaderboard reads from its address.
#[derive(serde::Deserialize)]
struct LeaderboardQuery {
    #[serde(default)]
    as_of: AsOf,
    min: Option<Whole<1, 10_000>>,
    page: Option<Whole<1, 1_000_000>>,
    event: Option<String>,
    topic: Option<String>,
}

async fn leaderboard(
    State(state): State<AppState>,
    Query(query): Query<LeaderboardQuery>,
) -> Result<LeaderboardPage, AppError> {
    let db = &state.db;
    let as_of = query.as_of;
    let minimum = query.min.map_or(DEFAULT_MINIMUM, |n| n.0);
    let all_topics = forecasts::topics(db).await?;
    let mut scope = Scope::default();
    if let Some(slug) = &query.event {
        scope.event = Some(self::chosen_event(db, slug).await?);
    }
    if let Some(slug) = &query.topic {
        scope.topic = Some(self::chosen_topic(&all_topics, slug)?);
    }
    let board = self::board(&state, scope, as_of).await?;
    let crowd = board.crowd.map(|card| Entry {
        rank: None,
        slug: String::new(),
        name: "The crowd: the median expert".to_string(),
        affiliation: None,
        card,
    });

    let (ranked, unranked) = standing(board.cards, &board.names, minimum);
    let (ranked_total, unranked_total) = (ranked.len(), unranked.len());
    let pages = ranked_total.div_ceil(PAGE_SIZE).max(1);
    let paging = Paging::at(query.page.map_or(1, |n| i64::from(n.0)), PAGE_SIZE as i64);
    let page = usize::try_from(paging.page).unwrap_or(1);
    let first = usize::try_from(paging.offset()).unwrap_or(0);
    let ranked: Vec<Entry> = ranked
        .into_iter()
        .enumerate()
        .skip(first)
        .take(PAGE_SIZE)
        .map(|(i, (expert, card))| entry(Some(i + 1), expert, card))
        .collect();
    let unranked: Vec<Entry> = unranked
        .into_iter()
        .take(PAGE_SIZE)
        .map(|(expert, card)| entry(None, expert, card))
        .collect();
    Ok(LeaderboardPage {
        ranked,
        ranked_total,
        page,
        pages,
        unranked,
        unranked_total,
        crowd,
        minimum,
        as_of,
        chosen_event: query.event.unwrap_or_default(),
        chosen_topic: query.topic.unwrap_or_default(),
        events: events::choices_up_to(db, CHOICES_LISTED).await?,
        topics: all_topics,
    })
}

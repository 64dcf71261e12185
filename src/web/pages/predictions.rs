use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;

use super::filters;
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::{Database, END_OF_TIME, events, experts, predictions};
use crate::domain::Verdict;
use crate::web::query::QueryParams;
use crate::web::{AppError, AppState, CHOICES_LISTED};

pub fn router() -> Router<AppState> {
    Router::new().route("/predictions", get(browse))
}

pub const PAGE_SIZE: i64 = 25;

/// The filters as the reader chose them, echoed back into the form and the page links.
#[derive(Default)]
pub struct Chosen {
    expert: String,
    event: String,
    status: String,
    outlet: String,
    q: String,
}

impl Chosen {
    /// The query string for another page of the same list.
    fn link(&self, page: i64) -> String {
        let pairs = [
            ("expert", &self.expert),
            ("event", &self.event),
            ("status", &self.status),
            ("outlet", &self.outlet),
            ("q", &self.q),
        ];
        let mut encoder = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            encoder.append_pair(key, value);
        }
        if page > 1 {
            encoder.append_pair("page", &page.to_string());
        }
        let query = encoder.finish();
        if query.is_empty() {
            "/predictions".to_string()
        } else {
            format!("/predictions?{query}")
        }
    }
}

const STATUSES: [Verdict; 5] = [
    Verdict::Right,
    Verdict::Wrong,
    Verdict::NoCall,
    Verdict::Pending,
    Verdict::Annulled,
];

#[derive(Template, WebTemplate)]
#[template(path = "predictions.html")]
struct PredictionsPage {
    predictions: Vec<PredictionRow>,
    chosen: Chosen,
    /// How many match, or with `more`, how many were counted before counting stopped.
    total: i64,
    more: bool,
    page: i64,
    pages: i64,
    first_shown: i64,
    last_shown: i64,
    previous_link: Option<String>,
    next_link: Option<String>,
    /// The choices for each filter, or `None` when there are too many to list.
    experts: Option<Vec<(String, String)>>,
    events: Option<Vec<(String, String)>>,
    outlets: Option<Vec<String>>,
    statuses: Vec<Verdict>,
}

/// How deep a list of predictions reaches by page: a search less far than a plain list.
pub fn deepest_for(params: &QueryParams) -> i64 {
    if params.get("q").is_some() {
        crate::web::query::DEEPEST_MATCH
    } else {
        crate::web::query::DEEPEST_ITEM
    }
}

/// A list says exactly how many predictions match up to this many; past it, "more than".
pub const COUNTED_UP_TO: i64 = 10_000;

/// How far to count for a page that starts at `offset` and holds `per_page`: at least
/// `COUNTED_UP_TO`, and always one past the page, so that the next page's link is right.
pub fn count_cap(offset: i64, per_page: i64) -> i64 {
    offset.saturating_add(per_page).max(COUNTED_UP_TO)
}

async fn browse(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<PredictionsPage, AppError> {
    let db = &state.db;
    let params = QueryParams::parse(raw.as_deref())?;
    let deepest = deepest_for(&params);
    let page = params.page_within(PAGE_SIZE, deepest)?;
    let (filter, chosen) = parse_filter(db, &params).await?;
    let offset = (page - 1) * PAGE_SIZE;
    let cap = count_cap(offset, PAGE_SIZE);
    let counted = predictions::count_up_to(db, &filter, END_OF_TIME, cap).await?;
    let more = counted > cap;
    let total = counted.min(cap);
    let rows = predictions::list(
        db,
        &filter,
        END_OF_TIME,
        Order::Relevance,
        PAGE_SIZE,
        offset,
    )
    .await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let shown = i64::try_from(rows.len()).unwrap_or(0);
    Ok(PredictionsPage {
        first_shown: if shown > 0 { offset + 1 } else { 0 },
        last_shown: offset + shown,
        previous_link: (page > 1).then(|| chosen.link((page - 1).min(pages))),
        next_link: (offset + shown < counted
            && page < crate::web::query::last_page(PAGE_SIZE, deepest))
        .then(|| chosen.link(page + 1)),
        predictions: rows,
        chosen,
        total,
        more,
        page,
        pages,
        experts: experts::choices_up_to(db, CHOICES_LISTED).await?,
        events: events::choices_up_to(db, CHOICES_LISTED).await?,
        outlets: predictions::outlets_up_to(db, CHOICES_LISTED).await?,
        statuses: STATUSES.to_vec(),
    })
}

/// Reads the filters of a predictions list (shared by the page and the API); a bad value is a
/// 400 that names its parameter.
pub async fn parse_filter(
    db: &Database,
    params: &QueryParams,
) -> Result<(PredictionFilter, Chosen), AppError> {
    let mut chosen = Chosen::default();
    let mut filter = PredictionFilter::default();

    if let Some(slug) = params.get("expert") {
        let id = experts::id_by_slug(db, slug).await?.ok_or_else(|| {
            AppError::bad_parameter("expert", format!("No expert has the address \u{201c}{slug}\u{201d}; choose one from the list of experts."))
        })?;
        filter.expert_id = Some(id);
        chosen.expert = slug.to_string();
    }
    if let Some(slug) = params.get("event") {
        let id = events::id_by_slug(db, slug).await?.ok_or_else(|| {
            AppError::bad_parameter("event", format!("No event has the address \u{201c}{slug}\u{201d}; choose one from the list of events."))
        })?;
        filter.event_id = Some(id);
        chosen.event = slug.to_string();
    }
    if let Some(status) = params.get("status") {
        let verdict = STATUSES.iter().find(|v| v.as_str() == status).ok_or_else(|| {
            AppError::bad_parameter("status", format!("\u{201c}{status}\u{201d} is not an outcome status: use right, wrong, no_call, pending or annulled."))
        })?;
        filter.verdict = Some(*verdict);
        chosen.status = status.to_string();
    }
    if let Some(outlet) = params.get("outlet") {
        if !predictions::outlet_exists(db, outlet).await? {
            return Err(AppError::bad_parameter(
                "outlet",
                format!(
                    "No source was published by \u{201c}{outlet}\u{201d}; choose an outlet from the list."
                ),
            ));
        }
        filter.outlet = Some(outlet.to_string());
        chosen.outlet = outlet.to_string();
    }
    if let Some(q) = params.get("q") {
        if q.chars().count() > 200 {
            return Err(AppError::bad_parameter(
                "q",
                "The search text is longer than 200 characters.",
            ));
        }
        filter.text = Some(q.to_string());
        chosen.q = q.to_string();
    }

    Ok((filter, chosen))
}

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::filters;
use crate::db::predictions::{Order, PredictionFilter, PredictionRow};
use crate::db::{Database, events, experts, predictions};
use crate::domain::Verdict;
use crate::domain::dates::AsOf;
use crate::web::extract::Query;
use crate::web::paging::{DEEPEST_ITEM, DEEPEST_MATCH, PageQuery, Paging};
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

/// The filters of a predictions list as asked for (shared by the page and the API).
#[derive(serde::Deserialize)]
pub struct FilterQuery {
    expert: Option<String>,
    event: Option<String>,
    status: Option<String>,
    outlet: Option<String>,
    q: Option<String>,
}

impl FilterQuery {
    /// How deep the list reaches by page: a search less far than a plain list.
    pub fn deepest(&self) -> i64 {
        if self.q.is_some() {
            DEEPEST_MATCH
        } else {
            DEEPEST_ITEM
        }
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
    Query(asked): Query<PageQuery>,
    Query(query): Query<FilterQuery>,
) -> Result<PredictionsPage, AppError> {
    let db = &state.db;
    let deepest = query.deepest();
    let paging = Paging::within(asked.page, PAGE_SIZE, deepest)?;
    let page = paging.page;
    let (filter, chosen) = parse_filter(db, query).await?;
    let offset = paging.offset();
    let cap = count_cap(offset, PAGE_SIZE);
    let counted = predictions::count_up_to(db, &filter, AsOf::Live, cap).await?;
    let more = counted > cap;
    let total = counted.min(cap);
    let rows =
        predictions::list(db, &filter, AsOf::Live, Order::Relevance, PAGE_SIZE, offset).await?;
    let pages = paging.pages(total);
    let shown = i64::try_from(rows.len()).unwrap_or(0);
    Ok(PredictionsPage {
        first_shown: if shown > 0 { offset + 1 } else { 0 },
        last_shown: offset + shown,
        previous_link: (page > 1).then(|| chosen.link((page - 1).min(pages))),
        next_link: (offset + shown < counted && page < Paging::last_page(PAGE_SIZE, deepest))
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
    query: FilterQuery,
) -> Result<(PredictionFilter, Chosen), AppError> {
    let mut chosen = Chosen::default();
    let mut filter = PredictionFilter::default();

    if let Some(slug) = query.expert {
        let id = experts::id_by_slug(db, &slug).await?;
        filter.expert_id = Some(listed("expert", &slug, id)?);
        chosen.expert = slug;
    }
    if let Some(slug) = query.event {
        let id = events::id_by_slug(db, &slug).await?;
        filter.event_id = Some(listed("event", &slug, id)?);
        chosen.event = slug;
    }
    if let Some(status) = query.status {
        let verdict = STATUSES.iter().find(|v| v.as_str() == status.as_str()).ok_or_else(|| {
            AppError::bad_parameter("status", format!("\u{201c}{status}\u{201d} is not an outcome status: use right, wrong, no_call, pending or annulled."))
        })?;
        filter.verdict = Some(*verdict);
        chosen.status = status;
    }
    if let Some(outlet) = query.outlet {
        if !predictions::outlet_exists(db, &outlet).await? {
            return Err(AppError::bad_parameter(
                "outlet",
                format!(
                    "No source was published by \u{201c}{outlet}\u{201d}; choose an outlet from the list."
                ),
            ));
        }
        filter.outlet = Some(outlet.clone());
        chosen.outlet = outlet;
    }
    if let Some(q) = query.q {
        if q.chars().count() > 200 {
            return Err(AppError::bad_parameter(
                "q",
                "The search text is longer than 200 characters.",
            ));
        }
        filter.text = Some(q.clone());
        chosen.q = q;
    }

    Ok((filter, chosen))
}

/// The id of the expert or event a filter names by its address, or a 400 naming the filter.
fn listed(parameter: &str, slug: &str, id: Option<i64>) -> Result<i64, AppError> {
    id.ok_or_else(|| {
        AppError::bad_parameter(
            parameter,
            format!(
                "No {parameter} has the address \u{201c}{slug}\u{201d}; choose one from the list of {parameter}s."
            ),
        )
    })
}

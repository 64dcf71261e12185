//! Reads query strings by hand so that a bad value gets a 400 page naming its parameter,
//! rather than a generic rejection. Each page accepts the parameters it reads and no others
//! (`refuse_unknown_parameters`): an address that differs only by a parameter nobody reads
//! would be a new page to make, and a way around the page cache.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppError;

/// The deepest item a paged list reaches by page number: past it, narrow the filters or take
/// the whole export. Skipping a million search matches to show two hundred costs seconds.
pub const DEEPEST_ITEM: i64 = 10_000;

/// The deepest match a search reaches by page number: up to here its best matches come from
/// the search index alone; past it every match is ranked, which at 200,000 predictions took
/// two seconds a page for a common word.
pub const DEEPEST_MATCH: i64 = crate::db::predictions::BEST_FIRST_UP_TO;

/// The last page a list of `per_page` items a page reaches, `deepest` items in all.
pub fn last_page(per_page: i64, deepest: i64) -> i64 {
    (deepest / per_page.max(1)).max(1)
}

/// The parameters each page reads; a route not listed reads none.
fn accepted(route: &str) -> &'static [&'static str] {
    const PAGED: &[&str] = &["page", "per_page"];
    match route {
        "/experts" | "/events" => &["page"],
        "/experts/{slug}"
        | "/experts/{slug}/card.png"
        | "/experts/{slug}/badge.svg"
        | "/events/{slug}" => &["as_of"],
        "/leaderboard" => &["as_of", "min", "page", "event", "topic"],
        "/predictions" => &["expert", "event", "status", "outlet", "q", "page"],
        "/login" => &["next"],
        "/api/v1/experts/{slug}/scorecard" => &["as_of"],
        "/api/v1/experts"
        | "/api/v1/sources"
        | "/api/v1/events"
        | "/api/v1/propositions"
        | "/api/v1/resolutions" => PAGED,
        "/api/v1/predictions" => &[
            "expert", "event", "status", "outlet", "q", "page", "per_page",
        ],
        _ => &[],
    }
}

/// Added by newsletters and social sites to every link they carry; never read by a page.
fn tracking(name: &str) -> bool {
    name.starts_with("utm_")
        || matches!(
            name,
            "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "igshid" | "twclid"
        )
}

/// Before a GET page runs: a shared link that carries tracking parameters is sent on to the
/// same address without them (so every copy of it is one page), and any other parameter the
/// page does not read gets a 400 naming it.
pub async fn refuse_unknown_parameters(request: Request, next: Next) -> Response {
    let Some(raw) = request.uri().query() else {
        return next.run(request).await;
    };
    let api = request.uri().path().starts_with("/api/");
    let refuse = |error: AppError| -> Response {
        if api {
            super::api::ApiFailure::from(error).into_response()
        } else {
            error.into_response()
        }
    };
    let params = match QueryParams::parse(Some(raw)) {
        Ok(params) => params,
        Err(error) => return refuse(error),
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("", MatchedPath::as_str);
    let accepted = accepted(route);
    if let Some((name, _)) = params
        .0
        .iter()
        .find(|(name, _)| !tracking(name) && !accepted.contains(&name.as_str()))
    {
        let message = if accepted.is_empty() {
            format!(
                "This page takes no parameters; remove \u{201c}{name}\u{201d} from the address."
            )
        } else {
            format!(
                "This page does not read \u{201c}{name}\u{201d}. It reads: {}.",
                accepted.join(", ")
            )
        };
        return refuse(AppError::bad_parameter(name.clone(), message));
    }
    if params.0.iter().any(|(name, _)| tracking(name)) {
        let kept: Vec<&(String, String)> = params
            .0
            .iter()
            .filter(|(name, _)| !tracking(name))
            .collect();
        let mut target = request.uri().path().to_string();
        if !kept.is_empty() {
            target.push('?');
            target.push_str(&serde_urlencoded::to_string(kept).unwrap_or_default());
        }
        return Redirect::permanent(&target).into_response();
    }
    next.run(request).await
}

pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or(""))
            .map_err(|_| {
                AppError::bad_parameter(
                    "query string",
                    "The address's query string could not be read.",
                )
            })?;
        Ok(Self(pairs))
    }

    /// The parameter's value, trimmed; `None` when absent or blank (an empty form field).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// A page number: a whole number from 1, for pages of `per_page` items that reach no deeper
    /// than `DEEPEST_ITEM`.
    pub fn page(&self, per_page: i64) -> Result<i64, AppError> {
        self.page_within(per_page, DEEPEST_ITEM)
    }

    /// A page number for a list that reaches no deeper than `deepest` items; a search reaches
    /// `DEEPEST_MATCH` (its matches are ranked from the index alone up to there).
    pub fn page_within(&self, per_page: i64, deepest: i64) -> Result<i64, AppError> {
        let last = (deepest / per_page.max(1)).max(1);
        match self.get("page") {
            None => Ok(1),
            Some(text) => match text.parse::<i64>() {
                Ok(page) if (1..=last).contains(&page) => Ok(page),
                Ok(page) if page > last => Err(AppError::bad_parameter(
                    "page",
                    format!(
                        "Pages stop at {last} (the first {deepest} items): narrow the list with its filters (analysts can download everything from /export.json)."
                    ),
                )),
                _ => Err(AppError::bad_parameter(
                    "page",
                    format!(
                        "\u{201c}{text}\u{201d} is not a page number: use a whole number from 1."
                    ),
                )),
            },
        }
    }
}

/// The moment a page is computed as of: live (every outcome recorded so far) or pinned.
#[derive(Debug, Clone)]
pub struct AsOf {
    stored: String,
    pinned: Option<chrono::DateTime<chrono::Utc>>,
}

impl AsOf {
    pub fn live() -> Self {
        Self {
            stored: crate::db::END_OF_TIME.to_string(),
            pinned: None,
        }
    }

    pub fn at(moment: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            stored: crate::domain::dates::format_moment(moment),
            pinned: Some(moment),
        }
    }

    /// Pinned to the last write committed: what a Share link carries. Every write after it is
    /// stamped later, so the page it links to is final from the moment it is shared, and every
    /// reader who shares between two writes shares the same address.
    pub async fn last_write(db: &crate::db::Database) -> Result<Self, sqlx::Error> {
        let stamp = crate::db::last_stamp(db).await?;
        Ok(crate::domain::dates::parse_moment(&stamp)
            .map_or_else(|| Self::at(chrono::Utc::now()), Self::at))
    }

    /// Whether the page can never change: pinned at or before the last write committed. A
    /// moment after it is not, yet: a write already under way may still be stamped before it.
    pub async fn is_final(&self, db: &crate::db::Database) -> Result<bool, sqlx::Error> {
        if self.pinned.is_none() {
            return Ok(false);
        }
        Ok(self.stored.as_str() <= crate::db::last_stamp(db).await?.as_str())
    }

    /// For queries: compared with stored UTC text.
    pub fn stored(&self) -> &str {
        &self.stored
    }

    pub fn is_pinned(&self) -> bool {
        self.pinned.is_some()
    }

    /// "20 June 2024, 23:59 UTC"; empty when live.
    pub fn label(&self) -> String {
        self.pinned
            .map(|m| m.format("%-d %B %Y, %H:%M UTC").to_string())
            .unwrap_or_default()
    }

    /// "?as_of=…" to append to a link, or nothing when live.
    pub fn query(&self) -> String {
        match self.pinned {
            Some(_) => format!(
                "?as_of={}",
                url::form_urlencoded::byte_serialize(self.stored.as_bytes()).collect::<String>()
            ),
            None => String::new(),
        }
    }
}

impl QueryParams {
    /// `as_of`: RFC 3339 or YYYY-MM-DD (the end of that day, UTC); absent means live.
    pub fn as_of(&self) -> Result<AsOf, AppError> {
        let Some(text) = self.get("as_of") else {
            return Ok(AsOf::live());
        };
        let moment = crate::domain::dates::parse_moment(text).ok_or_else(|| {
            AppError::bad_parameter("as_of", format!("\u{201c}{text}\u{201d} is not a moment: use a date such as 2024-06-20, or RFC 3339 such as 2024-06-20T09:00:00Z."))
        })?;
        if moment > chrono::Utc::now() + chrono::Duration::days(1) {
            return Err(AppError::bad_parameter(
                "as_of",
                format!(
                    "\u{201c}{text}\u{201d} is in the future: a pinned scorecard needs a moment that has passed."
                ),
            ));
        }
        Ok(AsOf::at(moment))
    }

    /// A whole number parameter within `range`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: u32,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<u32, AppError> {
        match self.get(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    AppError::bad_parameter(
                        name,
                        format!(
                            "\u{201c}{text}\u{201d} is not a whole number from {} to {}.",
                            range.start(),
                            range.end()
                        ),
                    )
                }),
        }
    }
}

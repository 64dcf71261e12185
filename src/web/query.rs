//! What query strings mean across pages: the moment a page is computed as of, and which
//! parameters each page reads. Each page accepts the parameters it reads and no others
//! (`refuse_unknown_parameters`): an address that differs only by a parameter nobody reads
//! would be a new page to make, and a way around the page cache.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppError;
use super::extract::{Param, Refusal, deserialize_as_param};

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
    let path = request.uri().path().to_string();
    let refuse = |error: AppError| Refusal::new(error, &path).into_response();
    let params = match super::extract::pairs(Some(raw)) {
        Ok(params) => params,
        Err(error) => return refuse(error),
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("", MatchedPath::as_str);
    let accepted = accepted(route);
    if let Some((name, _)) = params
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
    if params.iter().any(|(name, _)| tracking(name)) {
        let kept: Vec<&(String, String)> =
            params.iter().filter(|(name, _)| !tracking(name)).collect();
        let mut target = request.uri().path().to_string();
        if !kept.is_empty() {
            target.push('?');
            target.push_str(&serde_urlencoded::to_string(kept).unwrap_or_default());
        }
        return Redirect::permanent(&target).into_response();
    }
    next.run(request).await
}

/// The moment a page is computed as of, read from `as_of`.
pub use crate::domain::dates::AsOf;

/// `as_of`: RFC 3339 or YYYY-MM-DD (the end of that day, UTC); absent means live.
impl Param for AsOf {
    fn parse(text: &str) -> Result<Self, String> {
        let moment = crate::domain::dates::parse_moment(text).ok_or_else(|| {
            format!("\u{201c}{text}\u{201d} is not a moment: use a date such as 2024-06-20, or RFC 3339 such as 2024-06-20T09:00:00Z.")
        })?;
        if moment > chrono::Utc::now() + chrono::Duration::days(1) {
            return Err(format!(
                "\u{201c}{text}\u{201d} is in the future: a pinned scorecard needs a moment that has passed."
            ));
        }
        Ok(Self::At(moment))
    }
}
deserialize_as_param!(AsOf);

/// `as_of` alone: the pages that show one scorecard or grid, live or pinned.
#[derive(serde::Deserialize)]
pub struct AsOfQuery {
    #[serde(default)]
    pub as_of: AsOf,
}

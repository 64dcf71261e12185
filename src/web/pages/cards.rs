//! /experts/{slug}/card.png and /experts/{slug}/badge.svg, both honouring `as_of`. Each
//! carries an ETag of its content: a reader's cache revalidates cheaply and gets 304 while
//! nothing changed. A pinned image can be cached for long, a live one briefly.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::experts::{expert_scorecard, find_expert_as_of};
use crate::domain::Scorecard;
use crate::web::cards::{CardFacts, badge_svg, card_svg, render_png};
use crate::web::extract::Query;
use crate::web::format::score;
use crate::web::query::{AsOf, AsOfQuery};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/experts/{slug}/card.png", get(image::<false>))
        .route("/experts/{slug}/badge.svg", get(image::<true>))
}

fn facts(name: &str, affiliation: Option<&str>, card: &Scorecard, as_of: AsOf) -> CardFacts {
    CardFacts {
        name: name.to_string(),
        affiliation: affiliation.unwrap_or_default().to_string(),
        hit_rate: card
            .hit_rate
            .map(|h| h.percent())
            .unwrap_or_else(|| "\u{2013}".into()),
        hits: card
            .hit_rate
            .map(|h| format!("{} of {} right", h.hits, h.n))
            .unwrap_or_else(|| "no calls scored yet".into()),
        brier: score(card.brier),
        calls: card.hit_rate.map_or(0, |h| h.n),
        scored: card.scored,
        moment: if as_of.is_pinned() {
            format!("as of {}", as_of.label())
        } else {
            "live".into()
        },
    }
}

/// The facts on the card, and whether its moment is final.
async fn load(state: &AppState, slug: &str, as_of: AsOf) -> Result<(CardFacts, bool), AppError> {
    // Asked before the card is read: a moment final by then is one every write at or before
    // it has committed for, so the card read next is the one it will always be. Asked after,
    // a write stamped at or before the moment could commit in between and leave an image
    // marked immutable that misses it.
    let fixed = crate::db::is_final(&state.db, as_of).await?;
    let expert = find_expert_as_of(&state.db, slug, as_of).await?;
    let (card, _) = expert_scorecard(&state.db, &expert, as_of).await?;
    Ok((
        facts(&expert.name, expert.affiliation.as_deref(), &card, as_of),
        fixed,
    ))
}

/// The image's identity is the SVG it is drawn from: same SVG, same image.
fn etag_of(svg: &str) -> String {
    let mut hasher = DefaultHasher::new();
    svg.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

fn respond(
    headers: &HeaderMap,
    etag: String,
    fixed: bool,
    content_type: &'static str,
    body: impl FnOnce() -> Result<Vec<u8>, AppError>,
) -> Result<Response, AppError> {
    let cache = if fixed {
        crate::web::cache::IMMUTABLE
    } else {
        "public, max-age=60, must-revalidate"
    };
    let etag_value = HeaderValue::from_str(&etag).map_err(AppError::internal)?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag_value),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
        )
            .into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body()?,
    )
        .into_response())
}

/// An image of the expert's scorecard, drawn from its SVG by `draw`, as `content_type`.
struct Image {
    content_type: &'static str,
    svg: fn(&CardFacts) -> String,
    draw: fn(String) -> Result<Vec<u8>, AppError>,
}

const CARD_IMAGE: Image = Image {
    content_type: "image/png",
    svg: card_svg,
    draw: |svg| render_png(&svg).map_err(AppError::internal),
};

const BADGE_IMAGE: Image = Image {
    content_type: "image/svg+xml",
    svg: badge_svg,
    draw: |svg| Ok(svg.into_bytes()),
};

/// The link-preview card (a PNG), or with `BADGE` the embeddable badge (an SVG).
async fn image<const BADGE: bool>(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(AsOfQuery { as_of }): Query<AsOfQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let image = if BADGE { BADGE_IMAGE } else { CARD_IMAGE };
    let (facts, fixed) = load(&state, &slug, as_of).await?;
    let svg = (image.svg)(&facts);
    respond(&headers, etag_of(&svg), fixed, image.content_type, || {
        (image.draw)(svg)
    })
}

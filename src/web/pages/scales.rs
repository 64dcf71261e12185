//! /scales: the estimative scales that turn hedge words into numbers, as stored, so that a reader
//! can check any probability read from words.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::db::scales::{self, ScaleRange};
use crate::web::format::percent;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/scales", get(show))
}

pub struct Scale {
    pub slug: String,
    pub name: String,
    pub citation: String,
    /// (term, range as "5%–20%", the number it is scored as)
    pub terms: Vec<(String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "scales.html")]
struct ScalesPage {
    scales: Vec<Scale>,
}

/// A term's number as scored, to the tenth of a point where it has one (12.5%), which the
/// rounded percentages elsewhere would hide.
fn exact_percent(value: f64) -> String {
    let points = value * 100.0;
    if (points - points.round()).abs() < 1e-9 {
        format!("{points:.0}%")
    } else {
        format!("{points:.1}%")
    }
}

fn group(rows: Vec<ScaleRange>) -> Vec<Scale> {
    let mut scales: Vec<Scale> = Vec::new();
    for row in rows {
        let term = (
            row.term,
            format!("{}\u{2013}{}", percent(row.low), percent(row.high)),
            exact_percent(row.probability),
        );
        match scales.last_mut() {
            Some(scale) if scale.slug == row.scale_slug => scale.terms.push(term),
            _ => scales.push(Scale {
                slug: row.scale_slug,
                name: row.scale_name,
                citation: row.citation,
                terms: vec![term],
            }),
        }
    }
    scales
}

async fn show(State(state): State<AppState>) -> Result<ScalesPage, AppError> {
    Ok(ScalesPage {
        scales: group(scales::ranges(&state.db).await?),
    })
}

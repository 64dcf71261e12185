//! The estimative scales as stored: each term's number and published range.

use sqlx::FromRow;

use super::{Database, query};

#[derive(Debug, Clone, FromRow)]
pub struct ScaleTerm {
    pub scale_slug: String,
    pub scale_name: String,
    pub term: String,
    pub probability: f64,
}

/// A term of an estimative scale, with its published range, as the scales page shows it.
#[derive(Debug, Clone, FromRow)]
pub struct ScaleRange {
    pub scale_slug: String,
    pub scale_name: String,
    pub citation: String,
    pub term: String,
    pub probability: f64,
    pub low: f64,
    pub high: f64,
}

/// Every estimative scale with its terms and ranges, in the order they are published.
pub async fn ranges(db: &Database) -> Result<Vec<ScaleRange>, sqlx::Error> {
    let sql = "SELECT s.slug AS scale_slug, s.name AS scale_name, s.citation, t.term, t.probability, t.low, t.high
         FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id ORDER BY s.position, t.position";
    query::all(db, sql, &[]).await
}

/// Every estimative term, scale by scale, for the hedge-word picker.
pub async fn terms(db: &Database) -> Result<Vec<ScaleTerm>, sqlx::Error> {
    let sql = "SELECT s.slug AS scale_slug, s.name AS scale_name, t.term, t.probability
         FROM estimative_terms t JOIN estimative_scales s ON s.id = t.scale_id ORDER BY s.position, t.position";
    query::all(db, sql, &[]).await
}

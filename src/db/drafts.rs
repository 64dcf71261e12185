//! Uploaded files between their preview and their import.

use super::{Database, now};
use crate::import::Format;

pub async fn save(
    db: &Database,
    analyst_id: i64,
    file_name: &str,
    format: Format,
    content: &[u8],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO import_drafts (analyst_id, file_name, format, content, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(analyst_id)
        .bind(file_name)
        .bind(match format {
            Format::Json => "json",
            Format::Csv => "csv",
        })
        .bind(content)
        .bind(now())
        .fetch_one(&db.write)
        .await
}

/// An unused draft of this analyst's: (file name, format, content).
pub async fn take(
    db: &Database,
    id: i64,
    analyst_id: i64,
) -> Result<Option<(String, Format, Vec<u8>)>, sqlx::Error> {
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as("SELECT file_name, format, content FROM import_drafts WHERE id = $1 AND analyst_id = $2 AND used_at IS NULL")
        .bind(id)
        .bind(analyst_id)
        .fetch_optional(&db.read)
        .await?;
    Ok(row.map(|(name, format, content)| {
        (
            name,
            if format == "csv" {
                Format::Csv
            } else {
                Format::Json
            },
            content,
        )
    }))
}

pub async fn mark_used(db: &Database, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE import_drafts SET used_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}

//! Uploaded files between their preview and their import.
//!
//! A draft is not a record: an unused one is gone after `KEPT_FOR`, and an analyst keeps at most
//! `KEPT_PER_ANALYST` (the oldest goes first). A used one stays as the note of which file an
//! import came from, its content emptied after `KEPT_FOR`: what it held is in the records now.

use chrono::Utc;

use super::{Database, now};
use crate::domain::dates::format_moment;
use crate::import::Format;

/// How long an uploaded file is kept.
pub const KEPT_FOR: chrono::Duration = chrono::Duration::hours(24);
/// Unused drafts an analyst may hold at once.
pub const KEPT_PER_ANALYST: i64 = 10;

fn cutoff() -> String {
    format_moment(Utc::now() - KEPT_FOR)
}

/// Keeps the upload as a draft, after clearing out expired ones and this analyst's oldest past
/// the cap, in one transaction.
pub async fn save(
    db: &Database,
    analyst_id: i64,
    file_name: &str,
    format: Format,
    content: &[u8],
) -> Result<i64, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    let cutoff = cutoff();
    sqlx::query("DELETE FROM import_drafts WHERE used_at IS NULL AND created_at < $1")
        .bind(&cutoff)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE import_drafts SET content = X'' WHERE used_at IS NOT NULL AND created_at < $1 AND length(content) > 0")
        .bind(&cutoff)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM import_drafts WHERE id IN (SELECT id FROM import_drafts WHERE analyst_id = $1 AND used_at IS NULL ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET $2)")
        .bind(analyst_id)
        .bind(KEPT_PER_ANALYST - 1)
        .execute(&mut *tx)
        .await?;
    let id = sqlx::query_scalar("INSERT INTO import_drafts (analyst_id, file_name, format, content, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(analyst_id)
        .bind(file_name)
        .bind(match format {
            Format::Json => "json",
            Format::Csv => "csv",
        })
        .bind(content)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// An unused draft of this analyst's: (file name, format, content).
pub async fn take(
    db: &Database,
    id: i64,
    analyst_id: i64,
) -> Result<Option<(String, Format, Vec<u8>)>, sqlx::Error> {
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as("SELECT file_name, format, content FROM import_drafts WHERE id = $1 AND analyst_id = $2 AND used_at IS NULL AND created_at >= $3")
        .bind(id)
        .bind(analyst_id)
        .bind(cutoff())
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

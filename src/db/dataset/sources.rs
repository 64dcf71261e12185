//! Sources, written in batches like predictions: a large file cites hundreds of thousands.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::QueryBuilder;

use super::{Change, Run, SQL_INSERT_AUTHORS, is_bulk_load, numbered, to_json};
use crate::domain::dates::format_date;
use crate::domain::model::Source;

/// Rows a statement: 7 parameters each.
const BATCH: usize = 1000;

#[derive(Serialize)]
struct Snapshot<'a> {
    title: &'a str,
    outlet: &'a str,
    url: Option<&'a str>,
    published_on: String,
    authors: &'a [String],
    note: Option<&'a str>,
}

fn snapshot(source: &Source) -> Snapshot<'_> {
    Snapshot {
        title: &source.title,
        outlet: &source.outlet,
        url: source.url.as_deref(),
        published_on: format_date(source.published_on),
        authors: &source.authors,
        note: source.note.as_deref(),
    }
}

impl Run<'_, '_> {
    /// Writes the file's sources; returns their ids by the keys predictions use.
    pub(super) async fn sources(
        &mut self,
        sources: &[Source],
    ) -> Result<HashMap<String, i64>, sqlx::Error> {
        let on_record: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM sources")
            .fetch_one(&mut **self.tx)
            .await?;
        let had_sources = on_record > 0;
        let set_aside = if is_bulk_load(sources.len(), on_record) {
            self.set_aside_indexes("sources", false).await?
        } else {
            Vec::new()
        };
        let mut ids = HashMap::with_capacity(sources.len());
        let mut seen_urls = HashSet::new();
        for chunk in sources.chunks(BATCH) {
            let urls = chunk.iter().filter_map(|s| s.url.as_deref());
            let on_record = self
                .on_record(had_sources, ("sources", "url"), urls)
                .await?;
            // New, with a URL, and its first time in this file: written in bulk. The rest (on
            // record already, no URL to match by, or repeated) one by one, as before.
            let mut fresh = Vec::with_capacity(chunk.len());
            for source in chunk {
                match source.url.as_deref() {
                    Some(url) if !on_record.contains(url) && seen_urls.insert(url) => {
                        fresh.push(source);
                    }
                    url => {
                        if url.is_some_and(|url| !on_record.contains(url)) {
                            // A repeat of a source new in this file: its first time may not be
                            // written yet, and the repeat must find it to update it.
                            self.write_fresh_sources(std::mem::take(&mut fresh), &mut ids)
                                .await?;
                        }
                        let id = self.source(source).await?;
                        ids.insert(source.key.clone(), id);
                    }
                }
            }
            self.write_fresh_sources(fresh, &mut ids).await?;
        }
        self.restore_indexes(set_aside).await?;
        Ok(ids)
    }

    /// Writes sources new to the database and to this file, many to a statement, with their
    /// authors, and keeps their ids by key.
    async fn write_fresh_sources(
        &mut self,
        fresh: Vec<&Source>,
        ids: &mut HashMap<String, i64>,
    ) -> Result<(), sqlx::Error> {
        if fresh.is_empty() {
            return Ok(());
        }
        let first_id = self.next_id("sources").await?;
        let fresh_ids: Vec<i64> = (first_id..).take(fresh.len()).collect();
        let now = self.now.clone();
        let mut insert = QueryBuilder::new(
            "INSERT INTO sources (id, title, outlet, url, published_on, note, created_at) ",
        );
        insert.push_values(fresh.iter().zip(&fresh_ids), |mut row, (s, id)| {
            row.push_bind(*id)
                .push_bind(s.title.as_str())
                .push_bind(s.outlet.as_str())
                .push_bind(s.url.as_deref())
                .push_bind(format_date(s.published_on))
                .push_bind(s.note.as_deref())
                .push_bind(now.clone());
        });
        insert.build().execute(&mut **self.tx).await?;
        let authors: Vec<(i64, i64, &str)> = fresh
            .iter()
            .zip(&fresh_ids)
            .flat_map(|(s, id)| numbered(*id, &s.authors))
            .collect();
        self.insert_triples(SQL_INSERT_AUTHORS, &authors).await?;
        self.log_created("source", first_id, &fresh, |one| to_json(&snapshot(one)))
            .await?;
        for (source, id) in fresh.iter().zip(&fresh_ids) {
            ids.insert(source.key.clone(), *id);
        }
        self.report.count_created("sources", fresh.len());
        Ok(())
    }

    async fn source(&mut self, source: &Source) -> Result<i64, sqlx::Error> {
        let published_on = format_date(source.published_on);
        let existing: Option<i64> = match &source.url {
            Some(url) => sqlx::query_scalar("SELECT id FROM sources WHERE url = $1").bind(url).fetch_optional(&mut **self.tx).await?,
            None => sqlx::query_scalar("SELECT id FROM sources WHERE url IS NULL AND outlet = $1 AND title = $2 AND published_on = $3")
                .bind(&source.outlet).bind(&source.title).bind(&published_on).fetch_optional(&mut **self.tx).await?,
        };
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO sources (title, outlet, url, published_on, note, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(&source.title).bind(&source.outlet).bind(&source.url).bind(&published_on).bind(&source.note).bind(&self.now)
                    .fetch_one(&mut **self.tx).await?;
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE sources SET title = $1, outlet = $2, published_on = $3, note = $4 WHERE id = $5 AND NOT (title = $1 AND outlet = $2 AND published_on = $3 AND note IS $4)")
                    .bind(&source.title).bind(&source.outlet).bind(&published_on).bind(&source.note).bind(id)
                    .execute(&mut **self.tx).await?;
                (id, Change::of(&done))
            }
        };
        if change == Change::Created {
            self.insert_numbered(SQL_INSERT_AUTHORS, id, &source.authors)
                .await?;
        }
        self.log("source", id, change, &snapshot(source)).await?;
        self.report.count("sources", change);
        Ok(id)
    }
}

//! Experts, sources, events, propositions and topics: the records predictions point at, matched to what is already there so a re-import changes nothing.

use std::collections::HashMap;

use super::{Change, Run, SQL_EVENT, SQL_TOPIC};
use crate::domain::dates::format_date;
use crate::import::{DataSet, RecordKind, RecordRef};

impl Run<'_, '_> {
    /// Writes every record but predictions and resolutions; returns the ids of the file's
    /// sources by their keys.
    pub(super) async fn catalogue(
        &mut self,
        set: &DataSet,
    ) -> Result<HashMap<String, i64>, sqlx::Error> {
        // A file's `analysts` are never written: accounts and roles come from `hindsight user
        // add` and the admin pages alone, so an upload cannot make its author an admin.
        for topic in &set.topics {
            let id = self.find(SQL_TOPIC, topic.slug.as_str()).await?;
            let change = match id {
                None => {
                    sqlx::query("INSERT INTO topics (slug, name) VALUES ($1, $2)")
                        .bind(topic.slug.as_str())
                        .bind(&topic.name)
                        .execute(&mut **self.tx)
                        .await?;
                    Change::Created
                }
                Some(id) => {
                    let done =
                        sqlx::query("UPDATE topics SET name = $1 WHERE id = $2 AND name <> $1")
                            .bind(&topic.name)
                            .bind(id)
                            .execute(&mut **self.tx)
                            .await?;
                    Change::of(&done)
                }
            };
            self.report.count("topics", change);
        }
        self.experts(&set.experts).await?;
        let source_ids = self.sources(&set.sources).await?;
        for (i, event) in set.events.iter().enumerate() {
            let at = RecordRef::at(RecordKind::Events, i);
            let existing = self.find(SQL_EVENT, event.slug.as_str()).await?;
            let (description, starts, ends) = (
                event.description.as_deref(),
                event.starts_on.map(format_date),
                event.ends_on.map(format_date),
            );
            let (id, change) = match existing {
                None => {
                    let id: i64 = sqlx::query_scalar("INSERT INTO events (slug, title, description, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                        .bind(event.slug.as_str()).bind(&event.title).bind(description).bind(&starts).bind(&ends).bind(&self.now)
                        .fetch_one(&mut **self.tx).await?;
                    (id, Change::Created)
                }
                Some(id) => {
                    let done = sqlx::query("UPDATE events SET title = $1, description = $2, starts_on = $3, ends_on = $4 WHERE id = $5 AND NOT (title = $1 AND description IS $2 AND starts_on IS $3 AND ends_on IS $4)")
                        .bind(&event.title).bind(description).bind(&starts).bind(&ends).bind(id)
                        .execute(&mut **self.tx).await?;
                    (id, Change::of(&done))
                }
            };
            self.topics("event_topics", "event_id", id, &event.topics, at)
                .await?;
            self.log("event", id, change, &serde_json::json!({"slug": event.slug.as_str(), "title": event.title, "description": description, "starts_on": starts, "ends_on": ends})).await?;
            self.report.count("events", change);
        }
        self.propositions(&set.propositions).await?;
        Ok(source_ids)
    }

    pub(super) async fn topics(
        &mut self,
        table: &str,
        column: &str,
        id: i64,
        topics: &[crate::domain::Slug],
        at: RecordRef,
    ) -> Result<(), sqlx::Error> {
        for topic in topics {
            let topic_id = self.find(SQL_TOPIC, topic.as_str()).await?;
            if let Some(topic_id) = self.require(topic_id, at, "topics", || {
                format!("no topic has the slug \"{topic}\"")
            }) {
                // Table and column names come from this module's own constants, never from input.
                let sql = format!(
                    "INSERT INTO {table} ({column}, topic_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                );
                sqlx::query(&sql)
                    .bind(id)
                    .bind(topic_id)
                    .execute(&mut **self.tx)
                    .await?;
            }
        }
        Ok(())
    }
}

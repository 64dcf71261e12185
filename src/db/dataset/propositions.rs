//! Propositions, new ones written in batches: a large archive asks tens of thousands.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::QueryBuilder;

use super::{Change, Run, SQL_EVENT, SQL_PROPOSITION, SQL_TOPIC};
use crate::domain::dates::format_date;
use crate::domain::model::Proposition;
use crate::import::{RecordKind, RecordRef};

/// Rows a statement: 8 parameters each.
const BATCH: usize = 500;

#[derive(Serialize)]
struct Snapshot<'a> {
    slug: &'a str,
    event_id: i64,
    statement: &'a str,
    criteria: &'a str,
    decidable_by: String,
}

fn snapshot(proposition: &Proposition, event_id: i64) -> Snapshot<'_> {
    Snapshot {
        slug: proposition.slug.as_str(),
        event_id,
        statement: &proposition.statement,
        criteria: &proposition.criteria,
        decidable_by: format_date(proposition.decidable_by),
    }
}

/// A proposition new to the database, written in a batch.
struct Fresh<'a> {
    /// Its place in the file's list, from 0.
    index: usize,
    id: i64,
    event_id: i64,
    proposition: &'a Proposition,
    /// Its place in its event's list.
    position: i64,
}

impl Run<'_, '_> {
    pub(super) async fn propositions(
        &mut self,
        propositions: &[Proposition],
    ) -> Result<(), sqlx::Error> {
        let had_propositions = self.has_rows("propositions").await?;
        let mut seen = HashSet::new();
        // The next free position in each event's list, once looked up.
        let mut positions: HashMap<i64, i64> = HashMap::new();
        for (chunk_index, chunk) in propositions.chunks(BATCH).enumerate() {
            let slugs = chunk.iter().map(|proposition| proposition.slug.as_str());
            let on_record = self
                .on_record(had_propositions, ("propositions", "slug"), slugs)
                .await?;
            let mut fresh = Vec::with_capacity(chunk.len());
            for (offset, proposition) in chunk.iter().enumerate() {
                let index = chunk_index * BATCH + offset;
                let event_id = self.find(SQL_EVENT, proposition.event.as_str()).await?;
                let first_time = seen.insert(proposition.slug.as_str());
                match event_id {
                    Some(event_id)
                        if first_time && !on_record.contains(proposition.slug.as_str()) =>
                    {
                        fresh.push((index, proposition, event_id));
                    }
                    // Missing events are reported there; the rest is matched one by one.
                    _ => self.proposition(index, proposition).await?,
                }
            }
            if !fresh.is_empty() {
                let rows = self.number(&fresh, &mut positions).await?;
                self.insert_fresh(&rows).await?;
            }
        }
        Ok(())
    }

    /// Gives each new proposition its id and its place at the end of its event's list.
    async fn number<'a>(
        &mut self,
        fresh: &[(usize, &'a Proposition, i64)],
        positions: &mut HashMap<i64, i64>,
    ) -> Result<Vec<Fresh<'a>>, sqlx::Error> {
        let unknown: Vec<i64> = fresh
            .iter()
            .map(|(_, _, event)| *event)
            .filter(|event| !positions.contains_key(event))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !unknown.is_empty() {
            let mut query = QueryBuilder::new(
                "SELECT event_id, MAX(position) + 1 FROM propositions WHERE event_id IN (",
            );
            let mut list = query.separated(", ");
            for event in &unknown {
                list.push_bind(*event);
            }
            query.push(") GROUP BY event_id");
            let found: Vec<(i64, i64)> = query.build_query_as().fetch_all(&mut **self.tx).await?;
            positions.extend(unknown.iter().map(|event| (*event, 0)));
            positions.extend(found);
        }
        let first_id = self.next_id("propositions").await?;
        let rows = fresh
            .iter()
            .zip(first_id..)
            .map(|(&(index, proposition, event_id), id)| {
                let next = positions.entry(event_id).or_insert(0);
                let position = *next;
                *next += 1;
                Fresh {
                    index,
                    id,
                    event_id,
                    proposition,
                    position,
                }
            })
            .collect();
        Ok(rows)
    }

    /// Writes new propositions, their topics and their change-log entries.
    async fn insert_fresh(&mut self, rows: &[Fresh<'_>]) -> Result<(), sqlx::Error> {
        let now = self.now.clone();
        let mut insert = QueryBuilder::new(
            "INSERT INTO propositions (id, event_id, slug, statement, criteria, decidable_by, position, created_at) ",
        );
        insert.push_values(rows, |mut row, fresh| {
            let p = fresh.proposition;
            row.push_bind(fresh.id)
                .push_bind(fresh.event_id)
                .push_bind(p.slug.as_str())
                .push_bind(p.statement.as_str())
                .push_bind(p.criteria.as_str())
                .push_bind(format_date(p.decidable_by))
                .push_bind(fresh.position)
                .push_bind(now.clone());
        });
        insert.build().execute(&mut **self.tx).await?;
        let mut links = Vec::new();
        for fresh in rows {
            let (id, proposition) = (fresh.id, fresh.proposition);
            let at = RecordRef::at(RecordKind::Propositions, fresh.index);
            for topic in &proposition.topics {
                let topic_id = self.find(SQL_TOPIC, topic.as_str()).await?;
                if let Some(topic_id) = self.require(topic_id, at, "topics", || {
                    format!("no topic has the slug \"{topic}\"")
                }) {
                    links.push((id, topic_id));
                }
            }
            self.found
                .insert((SQL_PROPOSITION, proposition.slug.to_string()), id);
            let snapshot = snapshot(proposition, fresh.event_id);
            self.log("proposition", id, Change::Created, &snapshot)
                .await?;
        }
        for links in links.chunks(BATCH) {
            let mut insert =
                QueryBuilder::new("INSERT INTO proposition_topics (proposition_id, topic_id) ");
            insert.push_values(links, |mut row, (proposition, topic)| {
                row.push_bind(*proposition).push_bind(*topic);
            });
            insert.push(" ON CONFLICT DO NOTHING");
            insert.build().execute(&mut **self.tx).await?;
        }
        self.report.count_created("propositions", rows.len());
        Ok(())
    }

    /// Matches, creates or updates one proposition.
    async fn proposition(
        &mut self,
        i: usize,
        proposition: &Proposition,
    ) -> Result<(), sqlx::Error> {
        let at = RecordRef::at(RecordKind::Propositions, i);
        let event_id = self.find(SQL_EVENT, proposition.event.as_str()).await?;
        let Some(event_id) = self.require(event_id, at, "event", || {
            format!("no event has the slug \"{}\"", proposition.event)
        }) else {
            return Ok(());
        };
        let existing = self
            .find(SQL_PROPOSITION, proposition.slug.as_str())
            .await?;
        let decidable_by = format_date(proposition.decidable_by);
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO propositions (event_id, slug, statement, criteria, decidable_by, position, created_at) VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position) + 1, 0) FROM propositions WHERE event_id = $1), $6) RETURNING id")
                    .bind(event_id).bind(proposition.slug.as_str()).bind(&proposition.statement).bind(&proposition.criteria).bind(&decidable_by).bind(&self.now)
                    .fetch_one(&mut **self.tx).await?;
                self.found
                    .insert((SQL_PROPOSITION, proposition.slug.to_string()), id);
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE propositions SET event_id = $1, statement = $2, criteria = $3, decidable_by = $4 WHERE id = $5 AND NOT (event_id = $1 AND statement = $2 AND criteria = $3 AND decidable_by = $4)")
                    .bind(event_id).bind(&proposition.statement).bind(&proposition.criteria).bind(&decidable_by).bind(id)
                    .execute(&mut **self.tx).await?;
                (id, Change::of(&done))
            }
        };
        self.topics(
            "proposition_topics",
            "proposition_id",
            id,
            &proposition.topics,
            at,
        )
        .await?;
        self.log("proposition", id, change, &snapshot(proposition, event_id))
            .await?;
        self.report.count("propositions", change);
        Ok(())
    }
}

//! Experts with their aliases and members, new ones written in batches.

use std::collections::HashSet;

use serde::Serialize;
use sqlx::QueryBuilder;

use super::{Change, Run, SQL_EXPERT_REFERENCE, SQL_INSERT_MEMBERS, numbered};
use crate::domain::model::Expert;
use crate::domain::text::alias_key;
use crate::import::{RecordKind, RecordRef};

/// Rows a statement: 8 parameters each.
const BATCH: usize = 500;

#[derive(Serialize)]
struct Snapshot<'a> {
    slug: &'a str,
    name: &'a str,
    kind: &'a str,
    affiliation: Option<&'a str>,
    title: Option<&'a str>,
    bio: Option<&'a str>,
    aliases: &'a [String],
    members: &'a [String],
}

fn snapshot(expert: &Expert) -> Snapshot<'_> {
    Snapshot {
        slug: expert.slug.as_str(),
        name: &expert.name,
        kind: expert.kind.as_str(),
        affiliation: expert.affiliation.as_deref(),
        title: expert.title.as_deref(),
        bio: expert.bio.as_deref(),
        aliases: &expert.aliases,
        members: &expert.members,
    }
}

/// Every spelling an expert is matched by: the name itself and each alias, without repeats.
fn names(expert: &Expert) -> Vec<(&str, String)> {
    let mut keys = HashSet::new();
    std::iter::once(&expert.name)
        .chain(&expert.aliases)
        .filter_map(|name| {
            let key = alias_key(name);
            keys.insert(key.clone()).then_some((name.as_str(), key))
        })
        .collect()
}

/// An expert new in every way, with every spelling it is matched by.
type Fresh<'a> = (&'a Expert, Vec<(&'a str, String)>);

impl Run<'_, '_> {
    pub(super) async fn experts(&mut self, experts: &[Expert]) -> Result<(), sqlx::Error> {
        let had_experts = self.has_rows("experts").await?;
        let mut seen_slugs = HashSet::new();
        let mut seen_keys = HashSet::new();
        for (chunk_index, chunk) in experts.chunks(BATCH).enumerate() {
            let slugs = chunk.iter().map(|expert| expert.slug.as_str());
            let slugs_on_record = self
                .on_record(had_experts, ("experts", "slug"), slugs)
                .await?;
            let chunk_names: Vec<_> = chunk.iter().map(names).collect();
            let keys = chunk_names.iter().flatten().map(|(_, key)| key.as_str());
            let keys_on_record = self
                .on_record(had_experts, ("expert_aliases", "alias_key"), keys)
                .await?;
            // New in every way (slug and every spelling), not retracted, and not meeting an
            // earlier record of this file: written in bulk. Anything else takes the careful path
            // that matches, updates and reports clashes one expert at a time.
            let mut fresh = Vec::with_capacity(chunk.len());
            for (offset, (expert, names)) in chunk.iter().zip(chunk_names).enumerate() {
                let is_new = expert.retraction.is_none()
                    && !slugs_on_record.contains(expert.slug.as_str())
                    && !seen_slugs.contains(expert.slug.as_str())
                    && names
                        .iter()
                        .all(|(_, key)| !keys_on_record.contains(key) && !seen_keys.contains(key));
                seen_slugs.insert(expert.slug.as_str());
                seen_keys.extend(names.iter().map(|(_, key)| key.clone()));
                if is_new {
                    fresh.push((expert, names));
                } else {
                    self.expert(chunk_index * BATCH + offset, expert).await?;
                }
            }
            if !fresh.is_empty() {
                self.insert_fresh_experts(&fresh).await?;
            }
        }
        Ok(())
    }

    /// Writes new experts with their spellings, members and change-log entries.
    async fn insert_fresh_experts(&mut self, fresh: &[Fresh<'_>]) -> Result<(), sqlx::Error> {
        let first_id = self.next_id("experts").await?;
        let ids: Vec<i64> = (first_id..).take(fresh.len()).collect();
        let now = self.now.clone();
        let mut insert = QueryBuilder::new(
            "INSERT INTO experts (id, slug, name, kind, affiliation, title, bio, created_at, updated_at) ",
        );
        insert.push_values(fresh.iter().zip(&ids), |mut row, ((e, _), id)| {
            row.push_bind(*id)
                .push_bind(e.slug.as_str())
                .push_bind(e.name.as_str())
                .push_bind(e.kind.as_str())
                .push_bind(e.affiliation.as_deref())
                .push_bind(e.title.as_deref())
                .push_bind(e.bio.as_deref())
                .push_bind(now.clone())
                .push_bind(now.clone());
        });
        insert.build().execute(&mut **self.tx).await?;
        let aliases: Vec<(i64, &str, &str)> = fresh
            .iter()
            .zip(&ids)
            .flat_map(|((_, names), id)| {
                names
                    .iter()
                    .map(move |(name, key)| (*id, *name, key.as_str()))
            })
            .collect();
        for aliases in aliases.chunks(BATCH) {
            let mut insert =
                QueryBuilder::new("INSERT INTO expert_aliases (expert_id, alias, alias_key) ");
            insert.push_values(aliases, |mut row, (id, name, key)| {
                row.push_bind(*id).push_bind(*name).push_bind(*key);
            });
            insert.build().execute(&mut **self.tx).await?;
        }
        let members: Vec<(i64, i64, &str)> = fresh
            .iter()
            .zip(&ids)
            .flat_map(|((e, _), id)| numbered(*id, &e.members))
            .collect();
        self.insert_triples(SQL_INSERT_MEMBERS, &members).await?;
        for ((e, _), id) in fresh.iter().zip(&ids) {
            self.log("expert", *id, Change::Created, &snapshot(e))
                .await?;
            // Predictions further on name experts by slug: spare them a query each.
            self.found
                .insert((SQL_EXPERT_REFERENCE, e.slug.to_string()), *id);
        }
        self.report.count_created("experts", fresh.len());
        Ok(())
    }

    async fn expert(&mut self, index: usize, expert: &Expert) -> Result<(), sqlx::Error> {
        let at = RecordRef::at(RecordKind::Experts, index);
        let mut existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM experts WHERE slug = $1")
                .bind(expert.slug.as_str())
                .fetch_optional(&mut **self.tx)
                .await?;
        if existing.is_none() {
            for name in std::iter::once(&expert.name).chain(&expert.aliases) {
                existing =
                    sqlx::query_scalar("SELECT expert_id FROM expert_aliases WHERE alias_key = $1")
                        .bind(alias_key(name))
                        .fetch_optional(&mut **self.tx)
                        .await?;
                if existing.is_some() {
                    break;
                }
            }
        }
        let (id, change) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar("INSERT INTO experts (slug, name, kind, affiliation, title, bio, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
                    .bind(expert.slug.as_str()).bind(&expert.name).bind(expert.kind.as_str()).bind(&expert.affiliation).bind(&expert.title).bind(&expert.bio).bind(&self.now)
                    .fetch_one(&mut **self.tx).await?;
                (id, Change::Created)
            }
            Some(id) => {
                let done = sqlx::query("UPDATE experts SET name = $1, kind = $2, affiliation = $3, title = $4, bio = $5, updated_at = $6 WHERE id = $7 AND NOT (name = $1 AND kind = $2 AND affiliation IS $3 AND title IS $4 AND bio IS $5)")
                    .bind(&expert.name).bind(expert.kind.as_str()).bind(&expert.affiliation).bind(&expert.title).bind(&expert.bio).bind(&self.now).bind(id)
                    .execute(&mut **self.tx).await?;
                (id, Change::of(&done))
            }
        };
        if change == Change::Created {
            self.insert_numbered(SQL_INSERT_MEMBERS, id, &expert.members)
                .await?;
        }
        // The name itself is an alias too, so a later file that spells it differently still matches.
        for name in std::iter::once(&expert.name).chain(&expert.aliases) {
            let key = alias_key(name);
            let owner: Option<i64> =
                sqlx::query_scalar("SELECT expert_id FROM expert_aliases WHERE alias_key = $1")
                    .bind(&key)
                    .fetch_optional(&mut **self.tx)
                    .await?;
            match owner {
                None => {
                    sqlx::query("INSERT INTO expert_aliases (expert_id, alias, alias_key) VALUES ($1, $2, $3)")
                        .bind(id).bind(name).bind(&key).execute(&mut **self.tx).await?;
                }
                Some(owner) if owner != id => {
                    self.issue(
                        at,
                        "aliases",
                        format!("\"{name}\" already names another expert"),
                    );
                }
                Some(_) => {}
            }
        }
        self.retract("experts", id, expert.retraction.as_ref())
            .await?;
        self.log("expert", id, change, &snapshot(expert)).await?;
        self.report.count("experts", change);
        Ok(())
    }
}

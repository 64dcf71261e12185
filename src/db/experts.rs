//! Experts with their aliases, members and a count of how their predictions fared.

use std::collections::HashMap;

use sqlx::FromRow;

use super::{Database, split_list};
use crate::domain::{ExpertKind, Outcome, Probability, Tally, Verdict};

#[derive(Debug, Clone, FromRow)]
pub struct ExpertRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub affiliation: Option<String>,
    pub title: Option<String>,
    pub bio: Option<String>,
    /// Other spellings, joined by "; " (the name itself is left out).
    pub aliases: Option<String>,
    /// For a group, its members joined by "; ".
    pub members: Option<String>,
}

impl ExpertRow {
    pub fn kind(&self) -> Option<ExpertKind> {
        ExpertKind::parse(&self.kind)
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind().map(ExpertKind::label).unwrap_or("Expert")
    }

    pub fn alias_list(&self) -> Vec<&str> {
        split_list(self.aliases.as_deref())
    }

    pub fn member_list(&self) -> Vec<&str> {
        split_list(self.members.as_deref())
    }

    /// "Senior research fellow, Korea Institute for National Unification (KINU)"
    pub fn role_line(&self) -> String {
        match (&self.title, &self.affiliation) {
            (Some(title), Some(affiliation)) => format!("{title}, {affiliation}"),
            (Some(one), None) | (None, Some(one)) => one.clone(),
            (None, None) => String::new(),
        }
    }
}

const SELECT: &str = "SELECT e.id, e.slug, e.name, e.kind, e.affiliation, e.title, e.bio,
    (SELECT group_concat(a.alias, '; ') FROM expert_aliases a WHERE a.expert_id = e.id AND a.alias <> e.name) AS aliases,
    (SELECT group_concat(m.name, '; ') FROM (SELECT name FROM expert_members WHERE expert_id = e.id ORDER BY position) m) AS members
FROM experts e WHERE e.retracted_at IS NULL";

pub async fn all(db: &Database) -> Result<Vec<ExpertRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} ORDER BY e.name"))
        .fetch_all(&db.read)
        .await
}

/// (id, slug, name, affiliation) of every expert on record, for lists as long as the archive.
pub async fn names(
    db: &Database,
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name, affiliation FROM experts WHERE retracted_at IS NULL")
        .fetch_all(&db.read)
        .await
}

pub async fn by_slug(db: &Database, slug: &str) -> Result<Option<ExpertRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} AND e.slug = $1"))
        .bind(slug)
        .fetch_optional(&db.read)
        .await
}

/// Who was right, per expert, as of a moment: one pass over every prediction's probability
/// and outcome, counted with the domain's own rule.
pub async fn tallies(db: &Database, as_of: &str) -> Result<HashMap<i64, Tally>, sqlx::Error> {
    let inputs = super::predictions::verdict_inputs(db, as_of).await?;
    let mut tallies: HashMap<i64, Tally> = HashMap::new();
    for (expert_id, probability, outcome) in inputs {
        let probability = Probability::new(probability).unwrap_or(Probability::EVEN);
        let verdict = Verdict::of(probability, outcome.as_deref().and_then(Outcome::parse));
        tallies.entry(expert_id).or_default().add(verdict);
    }
    Ok(tallies)
}

/// The name of the expert this spelling (name or alias, in any case or hyphenation) belongs to.
pub async fn named(db: &Database, spelling: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT e.name FROM expert_aliases a JOIN experts e ON e.id = a.expert_id WHERE a.alias_key = $1")
        .bind(crate::domain::text::alias_key(spelling))
        .fetch_optional(&db.read)
        .await
}

//! Experts with their aliases, members and a count of how their predictions fared.

use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Row};

use super::decode::{self, Stored};
use super::query::Choices;
use super::{Database, query};
use crate::domain::ExpertKind;
use crate::domain::dates::AsOf;
use crate::domain::model::Expert;

/// An expert as the database holds it: the record, with its id.
pub type ExpertRow = Stored<Expert>;

impl FromRow<'_, SqliteRow> for Stored<Expert> {
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        let expert = Expert {
            slug: decode::slug(row, "slug")?,
            name: row.try_get("name")?,
            kind: decode::parsed(row, "kind", "an expert kind", ExpertKind::parse)?,
            affiliation: row.try_get("affiliation")?,
            title: row.try_get("title")?,
            bio: row.try_get("bio")?,
            aliases: decode::list(row, "aliases")?,
            members: decode::list(row, "members")?,
            retraction: decode::retraction(row)?,
        };
        Self::with_id(row, expert)
    }
}

impl Stored<Expert> {
    /// Other spellings (the name itself is left out).
    pub fn alias_list(&self) -> Vec<&str> {
        self.aliases.iter().map(String::as_str).collect()
    }

    /// For a group, its members in order.
    pub fn member_list(&self) -> Vec<&str> {
        self.members.iter().map(String::as_str).collect()
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
    (SELECT group_concat(m.name, '; ') FROM (SELECT name FROM expert_members WHERE expert_id = e.id ORDER BY position) m) AS members,
    COALESCE(e.claimed_retracted_at, e.retracted_at) AS retracted_at, e.retraction_reason
FROM experts e WHERE e.retracted_at IS NULL";

/// (id, slug, name, affiliation) of every expert on record, for lists as long as the archive.
pub async fn names(
    db: &Database,
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    let sql = "SELECT id, slug, name, affiliation FROM experts WHERE retracted_at IS NULL";
    query::all(db, sql, &[]).await
}

/// Experts on record by name, a page at a time.
pub async fn page(db: &Database, limit: i64, offset: i64) -> Result<Vec<ExpertRow>, sqlx::Error> {
    let sql = format!("{SELECT} ORDER BY e.name, e.id LIMIT $1 OFFSET $2");
    query::all(db, &sql, &[limit.into(), offset.into()]).await
}

/// How many experts are on record.
pub async fn count(db: &Database) -> Result<i64, sqlx::Error> {
    query::count(
        db,
        "SELECT COUNT(*) FROM experts WHERE retracted_at IS NULL",
    )
    .await
}

/// (id, slug, name, affiliation, retracted) of the experts `ids`, for names kept in memory.
pub async fn names_of(
    db: &Database,
    ids: &[i64],
) -> Result<Vec<(i64, String, String, Option<String>, bool)>, sqlx::Error> {
    let select =
        "SELECT id, slug, name, affiliation, retracted_at IS NOT NULL FROM experts WHERE id IN (";
    query::in_list(db, select, ids).await
}

/// The experts `ids` that are on record, in no particular order.
pub async fn by_ids(db: &Database, ids: &[i64]) -> Result<Vec<ExpertRow>, sqlx::Error> {
    query::in_list(db, &format!("{SELECT} AND e.id IN ("), ids).await
}

/// The id of the expert on record at `slug`.
pub async fn id_by_slug(db: &Database, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    let sql = "SELECT id FROM experts WHERE slug = $1 AND retracted_at IS NULL";
    query::value(db, sql, &[slug.into()]).await
}

/// (slug, name) of every expert on record by name, or `None` when there are more than
/// `limit`: a form then takes a typed address instead of a list.
pub async fn choices_up_to(db: &Database, limit: i64) -> Result<Choices, sqlx::Error> {
    let sql = "SELECT slug, name FROM experts WHERE retracted_at IS NULL ORDER BY name LIMIT $1";
    query::choices_up_to(db, sql, limit).await
}

/// The expert at `slug` as of a moment: one retracted since still has the scorecard it had.
pub async fn by_slug_as_of(
    db: &Database,
    slug: &str,
    as_of: AsOf,
) -> Result<Option<ExpertRow>, sqlx::Error> {
    if !as_of.is_pinned() {
        return by_slug(db, slug).await;
    }
    let select = SELECT.replace(
        "WHERE e.retracted_at IS NULL",
        "WHERE (e.retracted_at IS NULL OR e.retracted_at > $2)",
    );
    let sql = format!("{select} AND e.slug = $1");
    query::optional(db, &sql, &[slug.into(), as_of.into()]).await
}

pub async fn by_slug(db: &Database, slug: &str) -> Result<Option<ExpertRow>, sqlx::Error> {
    query::optional(db, &format!("{SELECT} AND e.slug = $1"), &[slug.into()]).await
}

/// The name of the expert this spelling (name or alias, in any case or hyphenation) belongs to.
pub async fn named(db: &Database, spelling: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT e.name FROM expert_aliases a JOIN experts e ON e.id = a.expert_id WHERE a.alias_key = $1")
        .bind(crate::domain::text::alias_key(spelling))
        .fetch_optional(&db.read)
        .await
}

//! What article extraction reads from the database (the experts to match speakers against, the
//! estimative scales, propositions like a drafted statement) and the reviews it keeps.

use super::{Database, now, query};
use crate::extract::{Knowledge, KnownExpert, KnownScaleTerm};

/// The experts on record (not retracted) with every spelling of their names, and every term of
/// every estimative scale.
pub async fn knowledge(db: &Database) -> Result<Knowledge, sqlx::Error> {
    // \x1f (unit separator) cannot occur in a name typed into a form or a file's text field.
    let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT e.slug, e.name, e.affiliation,
                (SELECT group_concat(alias, char(31)) FROM
                    (SELECT a.alias FROM expert_aliases a WHERE a.expert_id = e.id ORDER BY a.id))
         FROM experts e WHERE e.retracted_at IS NULL ORDER BY e.id",
    )
    .fetch_all(&db.read)
    .await?;
    let experts = rows
        .into_iter()
        .map(|(slug, name, affiliation, aliases)| KnownExpert {
            slug,
            name,
            affiliation,
            aliases: aliases
                .map(|joined| joined.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
        })
        .collect();
    let terms: Vec<(String, String, f64)> = sqlx::query_as(
        "SELECT s.slug, t.term, t.probability FROM estimative_terms t
         JOIN estimative_scales s ON s.id = t.scale_id ORDER BY s.position, t.position",
    )
    .fetch_all(&db.read)
    .await?;
    let scale_terms = terms
        .into_iter()
        .map(|(scale, term, probability)| KnownScaleTerm {
            scale,
            term,
            probability,
        })
        .collect();
    Ok(Knowledge::new(experts, scale_terms))
}

/// An existing proposition a drafted statement may be.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct SimilarProposition {
    pub slug: String,
    pub statement: String,
    pub event_slug: String,
}

/// Up to `limit` open propositions whose statements share words with `statement`, best first
/// (BM25 over the statements' stems). `statement` is reduced to its words, each quoted, so that
/// nothing in it is read as search syntax.
pub async fn similar_propositions(
    db: &Database,
    statement: &str,
    limit: i64,
) -> Result<Vec<SimilarProposition>, sqlx::Error> {
    let Some(query) = any_of_words(statement) else {
        return Ok(Vec::new());
    };
    sqlx::query_as(
        "SELECT p.slug, p.statement, e.slug AS event_slug
         FROM (SELECT rowid AS id, bm25(proposition_search) AS rank FROM proposition_search
               WHERE proposition_search MATCH $1 ORDER BY rank LIMIT 50) m
         JOIN propositions p ON p.id = m.id
         JOIN events e ON e.id = p.event_id
         WHERE p.retracted_at IS NULL
         ORDER BY m.rank, p.id LIMIT $2",
    )
    .bind(query)
    .bind(limit)
    .fetch_all(&db.read)
    .await
}

/// Words that say little about which question a statement is (articles, auxiliaries, the hedges
/// the reader strips anyway): matching on them would rank every proposition alike.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "is", "are", "be", "been", "was", "were", "will", "would", "may", "might", "could", "can",
    "should", "that", "this", "it", "its", "their", "his", "her", "not", "no", "than", "into",
    "within", "about", "after", "before", "there", "which", "who", "what", "has", "have", "had",
    "do", "does", "did", "also", "new",
];

/// An FTS5 query matching any of the statement's content words (at most 12), or None when it
/// has none.
fn any_of_words(statement: &str) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for word in statement
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
    {
        let lower = word.to_lowercase();
        if STOP_WORDS.contains(&lower.as_str()) || words.contains(&lower) {
            continue;
        }
        words.push(lower);
        if words.len() == 12 {
            break;
        }
    }
    (!words.is_empty()).then(|| {
        words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" OR ")
    })
}

/// The slug of the expert on record under this name (as their slug, their name or an alias, in
/// any case or hyphenation) or at `slug`.
pub async fn expert_spelled(
    db: &Database,
    name: &str,
    slug: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT e.slug FROM experts e WHERE e.slug IN ($1, $2)
         UNION ALL
         SELECT e.slug FROM expert_aliases a JOIN experts e ON e.id = a.expert_id WHERE a.alias_key IN ($3, $4)
         LIMIT 1",
    )
    .bind(name)
    .bind(slug)
    .bind(crate::domain::text::alias_key(name))
    .bind(crate::domain::text::alias_key(slug))
    .fetch_optional(&db.read)
    .await
}

/// Which of `slugs` are taken by a proposition already.
pub async fn proposition_slugs_taken(
    db: &Database,
    slugs: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let select = "SELECT slug FROM propositions WHERE slug IN (";
    let taken: Vec<(String,)> = query::in_list(db, select, slugs).await?;
    Ok(taken.into_iter().map(|(slug,)| slug).collect())
}

/// The names of the experts at `slugs` (slug, name).
pub async fn expert_names(
    db: &Database,
    slugs: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    query::in_list(db, "SELECT slug, name FROM experts WHERE slug IN (", slugs).await
}

/// A saved review of one article's candidates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub analyst_id: i64,
    pub title: String,
    pub article: String,
    pub state: String,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    pub committed_at: Option<String>,
    pub discarded_at: Option<String>,
}

/// A review in an analyst's list (without the article and the state).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewListing {
    pub id: i64,
    pub title: String,
    pub updated_at: String,
    pub committed_at: Option<String>,
}

/// Keeps a new review; returns its id.
pub async fn create_review(
    db: &Database,
    analyst_id: i64,
    title: &str,
    article: &str,
    state: &str,
) -> Result<i64, sqlx::Error> {
    let at = now();
    sqlx::query_scalar(
        "INSERT INTO extraction_reviews (analyst_id, title, article, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(analyst_id)
    .bind(title)
    .bind(article)
    .bind(state)
    .bind(at)
    .fetch_one(&db.write)
    .await
}

/// This analyst's review `id`, whatever its state.
pub async fn review(
    db: &Database,
    id: i64,
    analyst_id: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    let sql = "SELECT * FROM extraction_reviews WHERE id = $1 AND analyst_id = $2";
    query::optional(db, sql, &[id.into(), analyst_id.into()]).await
}

/// Reviews of this analyst's still open (not committed, not discarded), newest first.
pub async fn open_reviews(
    db: &Database,
    analyst_id: i64,
    limit: i64,
) -> Result<Vec<ReviewListing>, sqlx::Error> {
    let sql = "SELECT id, title, updated_at, committed_at FROM extraction_reviews
         WHERE analyst_id = $1 AND committed_at IS NULL AND discarded_at IS NULL
         ORDER BY updated_at DESC, id DESC LIMIT $2";
    query::all(db, sql, &[analyst_id.into(), limit.into()]).await
}

/// How saving a review went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Saved; the review's new revision.
    At(i64),
    /// The review moved on since `revision` (another tab saved it, or it was committed or
    /// discarded): nothing was written.
    Stale,
}

/// Saves the review's state if it is still at `revision` and open.
pub async fn save_review(
    db: &Database,
    id: i64,
    analyst_id: i64,
    revision: i64,
    state: &str,
) -> Result<Saved, sqlx::Error> {
    update_open_review(db, [id, analyst_id, revision], state, "").await
}

/// Marks the review committed (with the state that was committed) or discarded, if it is still
/// at `revision` and open.
pub async fn close_review(
    db: &Database,
    id: i64,
    analyst_id: i64,
    revision: i64,
    state: &str,
    committed: bool,
) -> Result<Saved, sqlx::Error> {
    let closed = if committed {
        ", committed_at = $2"
    } else {
        ", discarded_at = $2"
    };
    update_open_review(db, [id, analyst_id, revision], state, closed).await
}

/// Writes `state` to the review `[id, analyst_id, revision]` if it is still at that revision
/// and open, with `also_set` (one of the assignments written above, never input) besides.
async fn update_open_review(
    db: &Database,
    [id, analyst_id, revision]: [i64; 3],
    state: &str,
    also_set: &str,
) -> Result<Saved, sqlx::Error> {
    let sql = format!(
        "UPDATE extraction_reviews SET state = $1, revision = revision + 1, updated_at = $2{also_set}
         WHERE id = $3 AND analyst_id = $4 AND revision = $5
           AND committed_at IS NULL AND discarded_at IS NULL
         RETURNING revision"
    );
    let saved: Option<i64> = sqlx::query_scalar(&sql)
        .bind(state)
        .bind(now())
        .bind(id)
        .bind(analyst_id)
        .bind(revision)
        .fetch_optional(&db.write)
        .await?;
    Ok(saved.map_or(Saved::Stale, Saved::At))
}

#[cfg(test)]
mod tests {
    use super::any_of_words;

    #[test]
    fn a_statement_becomes_quoted_content_words() {
        assert_eq!(
            any_of_words("The treaty includes an \"automatic\" intervention clause."),
            Some(
                "\"treaty\" OR \"includes\" OR \"automatic\" OR \"intervention\" OR \"clause\""
                    .into()
            )
        );
        assert_eq!(any_of_words("it will be"), None);
        assert_eq!(
            any_of_words("\" OR NEAR("),
            Some("\"near\"".into()),
            "search syntax becomes a quoted word"
        );
    }
}

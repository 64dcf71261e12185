//! The reads every aggregate makes the same way: rows of one statement with its parameters
//! bound in order, rows by a list of ids (in chunks SQLite accepts), a count, and the choices of
//! a form's list. Each module keeps only its SQL.

use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, Sqlite};

use super::Database;
use crate::domain::dates::AsOf;

/// A value bound to a statement's next placeholder ($1, $2, … in order).
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Text(&'a str),
    Number(i64),
    /// Bound as the moment stored times are compared with (`super::upper_bound`).
    Moment(AsOf),
}

impl From<AsOf> for Param<'_> {
    fn from(as_of: AsOf) -> Self {
        Self::Moment(as_of)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(text)
    }
}

impl From<i64> for Param<'_> {
    fn from(number: i64) -> Self {
        Self::Number(number)
    }
}

/// A row type the read helpers can decode.
pub trait Decoded: for<'r> FromRow<'r, SqliteRow> + Send + Unpin {}

impl<T: for<'r> FromRow<'r, SqliteRow> + Send + Unpin> Decoded for T {}

fn bound<'q, T: Decoded>(
    sql: &'q str,
    params: &[Param<'q>],
) -> sqlx::query::QueryAs<'q, Sqlite, T, sqlx::sqlite::SqliteArguments<'q>> {
    params
        .iter()
        .fold(sqlx::query_as(sql), |query, param| match *param {
            Param::Text(text) => query.bind(text),
            Param::Number(number) => query.bind(number),
            Param::Moment(as_of) => query.bind(super::upper_bound(as_of)),
        })
}

/// Every row `sql` reads, with `params` bound.
pub async fn all<T: Decoded>(
    db: &Database,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<T>, sqlx::Error> {
    bound(sql, params).fetch_all(&db.read).await
}

/// The row `sql` reads, if there is one, with `params` bound.
pub async fn optional<T: Decoded>(
    db: &Database,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Option<T>, sqlx::Error> {
    bound(sql, params).fetch_optional(&db.read).await
}

/// The one value of the row `sql` reads, if there is one, with `params` bound.
pub async fn value<T>(
    db: &Database,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Option<T>, sqlx::Error>
where
    (T,): Decoded,
{
    let row: Option<(T,)> = optional(db, sql, params).await?;
    Ok(row.map(|(value,)| value))
}

/// The one number `sql` reads (a `COUNT(*)`).
pub async fn count(db: &Database, sql: &str) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(sql).fetch_one(&db.read).await?;
    Ok(count)
}

/// The rows `select` reads for `keys` (ids or slugs), in no particular order: `select` ends in
/// `IN (`, which is finished with a chunk of the keys at a time, each bound.
pub async fn in_list<T: Decoded, K>(
    db: &Database,
    select: &str,
    keys: &[K],
) -> Result<Vec<T>, sqlx::Error>
where
    K: for<'q> sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + Sync,
{
    let mut rows = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(super::IDS_PER_QUERY) {
        let mut query = sqlx::QueryBuilder::new(select);
        let mut list = query.separated(", ");
        for key in chunk {
            list.push_bind(key);
        }
        query.push(")");
        rows.extend(query.build_query_as().fetch_all(&db.read).await?);
    }
    Ok(rows)
}

/// A form's list of choices, (address, label) each, or `None` when there are too many to list.
pub type Choices = Option<Vec<(String, String)>>;

/// The choices for a form's list that `sql` reads (its `LIMIT $1` bound to `limit + 1`): all of
/// them when they fit in `limit`, else `None` (the form then takes a typed address).
pub async fn choices_up_to<T: Decoded>(
    db: &Database,
    sql: &str,
    limit: i64,
) -> Result<Option<Vec<T>>, sqlx::Error> {
    let rows = all(db, sql, &[Param::Number(limit + 1)]).await?;
    Ok(super::listed_up_to(rows, limit))
}

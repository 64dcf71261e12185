//! Reading a row into the model: each column parsed into its checked type, and a value that does
//! not parse an error naming its column, never a default standing in for it.

use std::ops::Deref;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::domain::Slug;
use crate::domain::dates::{parse_date, parse_moment};
use crate::domain::model::{Estimate, Retraction, ScaleReading, ScaleTerm};
use crate::domain::{Probability, ProbabilityBasis};

/// A record as the database holds it: the model's value and the id the database gave it.
/// It reads as the record itself (`stored.slug`), so pages need not know which they hold.
#[derive(Debug, Clone)]
pub struct Stored<T> {
    pub id: i64,
    pub record: T,
}

impl<T> Stored<T> {
    /// `record`, with the id the row's `id` column holds.
    pub fn with_id(row: &SqliteRow, record: T) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            record,
        })
    }
}

impl<T> Deref for Stored<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.record
    }
}

/// Lets a row that holds a `Stored` record in `$field` (with what a page shows beside it) read
/// as that record: `row.slug`, `row.id`.
macro_rules! reads_as_stored {
    ($row:ty, $field:ident: $record:ty) => {
        impl std::ops::Deref for $row {
            type Target = $crate::db::decode::Stored<$record>;

            fn deref(&self) -> &Self::Target {
                &self.$field
            }
        }
    };
}

pub(crate) use reads_as_stored;

/// Columns that hold one of a set of names decode straight into their enum, and a name outside
/// the set is an error naming the column (sqlx adds it), not `None` read as "pending".
macro_rules! decodes_by_name {
    ($named:ty, $expected:literal) => {
        impl sqlx::Type<sqlx::Sqlite> for $named {
            fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
                <String as sqlx::Type<sqlx::Sqlite>>::type_info()
            }

            fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for $named {
            fn decode(
                value: sqlx::sqlite::SqliteValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
                <$named>::parse(&text).ok_or_else(|| {
                    Box::new(Undecodable {
                        value: text,
                        expected: $expected,
                    })
                    .into()
                })
            }
        }
    };
}

decodes_by_name!(crate::domain::Outcome, "an outcome");
decodes_by_name!(crate::domain::ProbabilityBasis, "a probability basis");

/// A stored value that is not what its column should hold.
#[derive(Debug, thiserror::Error)]
#[error("{value:?} is not {expected}")]
pub struct Undecodable {
    pub value: String,
    pub expected: &'static str,
}

/// The column `name` read as text and parsed by `parse`, which answers `None` for a value it
/// does not accept (`expected` says what it wanted).
pub fn parsed<T>(
    row: &SqliteRow,
    name: &str,
    expected: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(name)?;
    parse(&text).ok_or_else(|| undecodable(name, text, expected))
}

/// As `parsed`, for a column that may be NULL.
pub fn parsed_optional<T>(
    row: &SqliteRow,
    name: &str,
    expected: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, sqlx::Error> {
    let text: Option<String> = row.try_get(name)?;
    text.map(|text| parse(&text).ok_or_else(|| undecodable(name, text, expected)))
        .transpose()
}

fn undecodable(column: &str, value: String, expected: &'static str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: Box::new(Undecodable { value, expected }),
    }
}

pub fn slug(row: &SqliteRow, name: &str) -> Result<Slug, sqlx::Error> {
    parsed(row, name, "a slug", |text| Slug::parse(text).ok())
}

pub fn date(row: &SqliteRow, name: &str) -> Result<NaiveDate, sqlx::Error> {
    parsed(row, name, "a date (YYYY-MM-DD)", parse_date)
}

pub fn optional_date(row: &SqliteRow, name: &str) -> Result<Option<NaiveDate>, sqlx::Error> {
    parsed_optional(row, name, "a date (YYYY-MM-DD)", parse_date)
}

pub fn moment(row: &SqliteRow, name: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    parsed(row, name, "a moment (RFC 3339)", parse_moment)
}

/// A `group_concat(…, '; ')` column split back into its items; NULL is the empty list.
pub fn list(row: &SqliteRow, name: &str) -> Result<Vec<String>, sqlx::Error> {
    let joined: Option<String> = row.try_get(name)?;
    Ok(super::split_list(joined.as_deref())
        .into_iter()
        .map(ToString::to_string)
        .collect())
}

/// A `group_concat(…, '; ')` column of slugs, each checked.
pub fn slugs(row: &SqliteRow, name: &str) -> Result<Vec<Slug>, sqlx::Error> {
    list(row, name)?
        .into_iter()
        .map(|item| Slug::parse(&item).map_err(|_| undecodable(name, item, "a list of slugs")))
        .collect()
}

/// The key an export gives the source with `id`: a stored source goes by its id, and a file
/// names its sources by key.
pub fn source_key(id: i64) -> String {
    format!("source-{id}")
}

/// How a prediction's number was obtained, from the columns `probability`,
/// `probability_basis`, `basis_note`, `scale_slug` and `scale_term`. A basis stored without
/// what it requires (a scale reading without its term, an analyst's number without the reason)
/// is an error naming the missing column, as a file giving it would be refused.
pub fn estimate(row: &SqliteRow) -> Result<Estimate, sqlx::Error> {
    let value: f64 = row.try_get("probability")?;
    let probability = Probability::new(value)
        .map_err(|_| undecodable("probability", value.to_string(), "a probability in [0, 1]"))?;
    let note: Option<String> = row.try_get("basis_note")?;
    let scale: Option<String> = row.try_get("scale_slug")?;
    let term: Option<String> = row.try_get("scale_term")?;
    let term = scale
        .zip(term)
        .map(|(scale, term)| ScaleTerm { scale, term });
    match row.try_get::<ProbabilityBasis, _>("probability_basis")? {
        ProbabilityBasis::Stated => Ok(Estimate::Stated { probability, note }),
        ProbabilityBasis::Scale => {
            let term = term.ok_or_else(|| {
                undecodable(
                    "scale_term",
                    "NULL".into(),
                    "the term a scale reading needs",
                )
            })?;
            // The stored number is the one the scale gave the term, so nothing can differ.
            ScaleReading::new(term, probability, None, note)
                .map(Estimate::Scale)
                .map_err(|error| {
                    undecodable("probability", error.to_string(), "the scale's number")
                })
        }
        ProbabilityBasis::Analyst => {
            let note = note.ok_or_else(|| {
                undecodable(
                    "basis_note",
                    "NULL".into(),
                    "the reason an analyst's number needs",
                )
            })?;
            Ok(Estimate::Analyst {
                probability,
                note,
                term,
            })
        }
    }
}

/// The retraction recorded in the columns `retracted_at` and `retraction_reason`, if any. A
/// retraction recorded without a reason reads "retracted", as the export writes it.
pub fn retraction(row: &SqliteRow) -> Result<Option<Retraction>, sqlx::Error> {
    let Some(at) = parsed_optional(row, "retracted_at", "a moment (RFC 3339)", parse_moment)?
    else {
        return Ok(None);
    };
    let reason: Option<String> = row.try_get("retraction_reason")?;
    Ok(Some(Retraction {
        at,
        reason: reason.unwrap_or_else(|| "retracted".into()),
    }))
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use crate::domain::Outcome;

    async fn one_row(sql: &str) -> sqlx::sqlite::SqliteRow {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        sqlx::query(sql).fetch_one(&pool).await.unwrap()
    }

    #[tokio::test]
    async fn an_undecodable_value_is_an_error_naming_its_column_not_a_default() {
        let row = one_row("SELECT 'Not A Slug' AS slug, '2024-02-30' AS decided_on, 'maybe' AS outcome, NULL AS ends_on").await;
        for (column, error) in [
            ("slug", super::slug(&row, "slug").err()),
            ("decided_on", super::date(&row, "decided_on").err()),
            ("outcome", row.try_get::<Outcome, _>("outcome").err()),
        ] {
            match error {
                Some(sqlx::Error::ColumnDecode { index, .. }) => {
                    assert!(index.contains(column), "{index}")
                }
                other => panic!("{column}: {other:?}"),
            }
        }
        assert_eq!(super::optional_date(&row, "ends_on").unwrap(), None);
    }

    /// A row with the estimate's columns: probability, basis, note, scale and term.
    async fn estimate_of(columns: &str) -> Result<super::Estimate, sqlx::Error> {
        let sql = format!("SELECT {columns}");
        super::estimate(&one_row(&sql).await)
    }

    fn column_named(result: Result<super::Estimate, sqlx::Error>) -> String {
        match result {
            Err(sqlx::Error::ColumnDecode { index, .. }) => index,
            other => panic!("not a column error: {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_estimate_decodes_with_what_its_basis_requires_or_names_what_is_missing() {
        let read = estimate_of("0.2 AS probability, 'scale' AS probability_basis, NULL AS basis_note, 'icd-203' AS scale_slug, 'unlikely' AS scale_term").await.unwrap();
        assert_eq!(read.basis(), crate::domain::ProbabilityBasis::Scale);
        assert_eq!(read.probability().value(), 0.2);
        let analyst = estimate_of("0.7 AS probability, 'analyst' AS probability_basis, 'flat statement' AS basis_note, NULL AS scale_slug, NULL AS scale_term").await.unwrap();
        assert_eq!(analyst.note(), Some("flat statement"));

        let no_term = estimate_of("0.2 AS probability, 'scale' AS probability_basis, NULL AS basis_note, NULL AS scale_slug, NULL AS scale_term").await;
        assert_eq!(column_named(no_term), "scale_term");
        let no_reason = estimate_of("0.7 AS probability, 'analyst' AS probability_basis, NULL AS basis_note, NULL AS scale_slug, NULL AS scale_term").await;
        assert_eq!(column_named(no_reason), "basis_note");
        let out_of_range = estimate_of("1.5 AS probability, 'stated' AS probability_basis, NULL AS basis_note, NULL AS scale_slug, NULL AS scale_term").await;
        assert_eq!(column_named(out_of_range), "probability");
        let unknown_basis = estimate_of("0.5 AS probability, 'hunch' AS probability_basis, NULL AS basis_note, NULL AS scale_slug, NULL AS scale_term").await;
        assert!(column_named(unknown_basis).contains("probability_basis"));
    }
}

//! What every writer of the import asks of the tables: the next id, a record by its key,
//! which of a chunk's keys are on record already, and rows of a record's numbered names.

use std::collections::HashSet;

use super::Run;

/// Numbered child rows, e.g. a source's authors in order: (parent id, position, name).
pub(super) fn numbered(parent: i64, names: &[String]) -> impl Iterator<Item = (i64, i64, &str)> {
    names.iter().enumerate().map(move |(position, name)| {
        (
            parent,
            i64::try_from(position).unwrap_or(i64::MAX),
            name.as_str(),
        )
    })
}

impl Run<'_, '_> {
    /// The id the next row of `table` gets: its largest so far plus one.
    pub(super) async fn next_id(&mut self, table: &'static str) -> Result<i64, sqlx::Error> {
        // The table name is one of this module's constants, never input.
        let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
        sqlx::query_scalar(&sql).fetch_one(&mut **self.tx).await
    }

    /// The id of the one row `sql` selects for `key`, e.g. a proposition by slug.
    pub(super) async fn find(
        &mut self,
        sql: &'static str,
        key: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        if let Some(id) = self.found.get(&(sql, key.to_string())) {
            return Ok(Some(*id));
        }
        let id: Option<i64> = sqlx::query_scalar(sql)
            .bind(key)
            .fetch_optional(&mut **self.tx)
            .await?;
        if let Some(id) = id {
            self.found.insert((sql, key.to_string()), id);
        }
        Ok(id)
    }

    /// Whether `table` had any row before this import wrote to it.
    pub(super) async fn has_rows(&mut self, table: &'static str) -> Result<bool, sqlx::Error> {
        // The table name is one of this module's constants, never input.
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {table})");
        sqlx::query_scalar(&sql).fetch_one(&mut **self.tx).await
    }

    /// Which of `values` the `column` of `table` holds already, e.g. which of a chunk's slugs
    /// are on record. A table that was empty before the import (`searched` false) can hold
    /// none of them, and is not asked.
    pub(super) async fn on_record<'v>(
        &mut self,
        searched: bool,
        (table, column): (&'static str, &'static str),
        values: impl IntoIterator<Item = &'v str>,
    ) -> Result<HashSet<String>, sqlx::Error> {
        if !searched {
            return Ok(HashSet::new());
        }
        // Table and column names are this module's constants, never input.
        let select = format!("SELECT {column} FROM {table} WHERE {column} IN (");
        let mut query = sqlx::QueryBuilder::new(select);
        let mut list = query.separated(", ");
        for value in values {
            list.push_bind(value);
        }
        query.push(")");
        let found: Vec<String> = query.build_query_scalar().fetch_all(&mut **self.tx).await?;
        Ok(found.into_iter().collect())
    }

    /// Writes `names` as the numbered child rows of `parent` with `insert`.
    pub(super) async fn insert_numbered(
        &mut self,
        insert: &'static str,
        parent: i64,
        names: &[String],
    ) -> Result<(), sqlx::Error> {
        let rows: Vec<_> = numbered(parent, names).collect();
        self.insert_triples(insert, &rows).await
    }

    /// Writes rows of three values with `insert` (e.g. "INSERT INTO t (a, b, c) "), many to a
    /// statement.
    pub(super) async fn insert_triples(
        &mut self,
        insert: &'static str,
        rows: &[(i64, i64, &str)],
    ) -> Result<(), sqlx::Error> {
        for rows in rows.chunks(1000) {
            let mut query = sqlx::QueryBuilder::new(insert);
            query.push_values(rows, |mut row, (a, b, c)| {
                row.push_bind(*a).push_bind(*b).push_bind(*c);
            });
            query.build().execute(&mut **self.tx).await?;
        }
        Ok(())
    }
}

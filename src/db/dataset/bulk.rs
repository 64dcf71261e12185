//! What a bulk load sets aside while it writes (secondary indexes, a trigger) and builds again
//! at the end: cheaper than keeping them up to date row by row.

use super::Run;

impl Run<'_, '_> {
    /// Drops the secondary indexes of `table` for a bulk load and returns what rebuilds them.
    /// Unique indexes stay unless `unique_too`: the importer matches records by them. When they
    /// go, building them again at the end checks the rows are still unique, or fails the import.
    pub(super) async fn set_aside_indexes(
        &mut self,
        table: &'static str,
        unique_too: bool,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        // Constraints written inside a table (no `sql` of their own) can never be dropped.
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL AND ($2 OR sql NOT LIKE 'CREATE UNIQUE%')",
        )
        .bind(table)
        .bind(unique_too)
        .fetch_all(&mut **self.tx)
        .await?;
        for (name, _) in &indexes {
            // The name comes from the schema itself, quoted as an identifier.
            let sql = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
            sqlx::query(&sql).execute(&mut **self.tx).await?;
        }
        Ok(indexes)
    }

    /// Drops the trigger `name` for a bulk load that does its work once at the end instead, and
    /// returns its definition to create it again with (`None`: there is no such trigger).
    pub(super) async fn set_aside_trigger(
        &mut self,
        name: &'static str,
    ) -> Result<Option<String>, sqlx::Error> {
        let definition: Option<String> = sqlx::query_scalar(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = $1",
        )
        .bind(name)
        .fetch_optional(&mut **self.tx)
        .await?;
        if definition.is_some() {
            // The name is found in the schema, and quoted as an identifier.
            let sql = format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\""));
            sqlx::query(&sql).execute(&mut **self.tx).await?;
        }
        Ok(definition)
    }

    /// Creates again a trigger `set_aside_trigger` dropped, from its own definition.
    pub(super) async fn restore_trigger(&mut self, definition: &str) -> Result<(), sqlx::Error> {
        sqlx::query(definition).execute(&mut **self.tx).await?;
        Ok(())
    }

    /// Builds again the indexes `set_aside_indexes` dropped, each from its own definition.
    pub(super) async fn restore_indexes(
        &mut self,
        indexes: Vec<(String, String)>,
    ) -> Result<(), sqlx::Error> {
        for (_, sql) in indexes {
            sqlx::query(&sql).execute(&mut **self.tx).await?;
        }
        Ok(())
    }
}

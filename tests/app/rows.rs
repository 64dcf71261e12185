//! Counting the rows a test expects a change to have written (or left alone).

use crate::helpers::TestApp;

impl TestApp {
    /// How many rows of `table` meet `condition`, in which `$1` stands for `id`.
    pub async fn count_where(&self, table: &str, condition: &str, id: i64) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {condition}");
        self.scalar_with(&sql, &[id]).await
    }

    /// The id of the one row of `table` that meets `condition`.
    pub async fn id_where(&self, table: &str, condition: &str) -> i64 {
        self.scalar(&format!("SELECT id FROM {table} WHERE {condition}"))
            .await
    }
}

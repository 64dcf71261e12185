//! SQLite's own share of an import, measured on the database just imported: its predictions
//! copied inside SQLite into an empty table of the same definition, with nothing read from a
//! file, parsed or bound by Rust. No import can write the same rows faster in one SQLite writer,
//! so this is the ceiling the import rate is held against. Everything is rolled back.

use std::time::Instant;

use sqlx::Connection;

/// Seconds each part took.
pub struct Floor {
    /// The rows, with their checks, into a table with no index yet; foreign keys off, as a bulk
    /// load has them (it checks references once at its end, a few tenths of a second more).
    pub rows: f64,
    /// The key index and the four secondary indexes, each built in one pass.
    pub indexes: f64,
    /// The full-text index of quote, statement and names, in one statement, as a bulk load
    /// fills it (64 MB term table).
    pub search: f64,
}

impl Floor {
    pub fn total(&self) -> f64 {
        self.rows + self.indexes + self.search
    }
}

/// Measures the floor on the database at `url`, with the page cache an import from the shell
/// gets (512 MB).
pub async fn measure(url: &str) -> Floor {
    let mut connection = sqlx::SqliteConnection::connect(url).await.unwrap();
    for pragma in [
        "PRAGMA foreign_keys = OFF",
        "PRAGMA cache_size = -524288",
        "PRAGMA temp_store = MEMORY",
    ] {
        sqlx::query(pragma).execute(&mut connection).await.unwrap();
    }
    let definition: String = sqlx::query_scalar(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'predictions'",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap();
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'predictions' AND sql IS NOT NULL",
    )
    .fetch_all(&mut connection)
    .await
    .unwrap();
    let mut tx = connection.begin().await.unwrap();
    let copy = definition.replacen(
        "CREATE TABLE predictions",
        "CREATE TABLE floor_predictions",
        1,
    );
    sqlx::query(&copy).execute(&mut *tx).await.unwrap();

    let started = Instant::now();
    sqlx::query("INSERT INTO floor_predictions SELECT * FROM predictions ORDER BY id")
        .execute(&mut *tx)
        .await
        .unwrap();
    let rows = started.elapsed().as_secs_f64();

    let started = Instant::now();
    for (n, index) in indexes.iter().enumerate() {
        // "CREATE [UNIQUE] INDEX name ON predictions (…)" for the copy, under a name of its own.
        let (head, columns) = index.split_once(" ON predictions ").unwrap();
        let kind = if head.starts_with("CREATE UNIQUE") {
            "UNIQUE INDEX"
        } else {
            "INDEX"
        };
        let sql = format!("CREATE {kind} floor_index_{n} ON floor_predictions {columns}");
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    }
    let indexes = started.elapsed().as_secs_f64();

    sqlx::query(
        "CREATE VIRTUAL TABLE floor_search USING fts5(quote, statement, names, content = '', \
         tokenize = 'unicode61 remove_diacritics 2')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("INSERT INTO floor_search (floor_search, rank) VALUES ('hashsize', 67108864)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let started = Instant::now();
    sqlx::query(
        "INSERT INTO floor_search (rowid, quote, statement, names) \
         SELECT id, quote, statement, names FROM prediction_search_documents",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    let search = started.elapsed().as_secs_f64();
    tx.rollback().await.unwrap();
    Floor {
        rows,
        indexes,
        search,
    }
}

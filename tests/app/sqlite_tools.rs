//! A Hindsight file opens in the tools people use: the system's `sqlite3` (Debian 12 ships
//! 3.40, Ubuntu 22.04 3.37) reads its schema, passes `integrity_check`, and queries every table
//! and view. `.ci/run` installs `sqlite3`.

use std::process::Command;

use crate::helpers::demo_with_analyst;

fn sqlite3(path: &str, sql: &str) -> String {
    let output = Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .output()
        .expect("the sqlite3 command runs (apt-get install sqlite3)");
    assert!(
        output.status.success(),
        "sqlite3 {path} {sql:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_system_sqlite3_opens_checks_and_reads_a_migrated_database() {
    let (app, session) = demo_with_analyst("ana").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    app.record_outcome(&session, id, "false", "No article on it.")
        .await;
    app.db.close().await;
    let path = app.url.trim_start_matches("sqlite://").to_string();
    let version = String::from_utf8_lossy(
        &Command::new("sqlite3")
            .arg("--version")
            .output()
            .expect("sqlite3 --version")
            .stdout,
    )
    .into_owned();
    assert_eq!(
        sqlite3(&path, "PRAGMA integrity_check;").trim(),
        "ok",
        "{version}"
    );
    let names = sqlite3(
        &path,
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name;",
    );
    let names: Vec<&str> = names.lines().filter(|n| !n.is_empty()).collect();
    assert!(names.contains(&"prediction_search_documents"), "{names:?}");
    assert!(names.contains(&"predictions"), "{names:?}");
    for name in &names {
        let count = sqlite3(&path, &format!("SELECT count(*) FROM \"{name}\";"));
        assert!(count.trim().parse::<i64>().is_ok(), "{name}: {count}");
    }
    let found = sqlite3(
        &path,
        "SELECT count(*) FROM prediction_search WHERE prediction_search MATCH 'treaty';",
    );
    assert!(found.trim().parse::<i64>().unwrap() > 0, "{found}");
}

//! Backups are consistent and restorable; a server killed in the middle of writing keeps every
//! write it acknowledged.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;

use hindsight::db::{Database, dataset};
use hindsight::import::DEMO_DATA_SET;

use crate::binary::{Launch, add_analyst, sign_in, start};
use crate::helpers::{attribute, select, spawn_app};

#[tokio::test]
async fn a_backup_taken_while_serving_restores_to_the_same_scorecards() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.db");
    // A reader in the middle of the backup sees nothing odd, and the copy is complete.
    let (count, page) = tokio::join!(app.db.backup_to(&copy), app.get("/experts/jeh-sung-hoon"));
    assert_eq!(count.unwrap(), app.count("predictions").await);
    assert_eq!(page.status, 200);
    assert!(
        matches!(
            app.db.backup_to(&copy).await,
            Err(hindsight::db::BackupError::Exists(_))
        ),
        "an existing file is never overwritten"
    );

    // Restoring is copying the file into place and starting on it.
    let restored_path = dir.path().join("restored.db");
    std::fs::copy(&copy, &restored_path).unwrap();
    let restored = Database::connect(&format!("sqlite://{}", restored_path.display()))
        .await
        .unwrap();
    let options = hindsight::app::Options::new(
        restored.clone(),
        crate::helpers::PUBLIC_URL,
        crate::helpers::static_dir(),
    );
    let restored_app = hindsight::app::App::build(options).await.unwrap().router;
    for uri in [
        "/leaderboard",
        "/experts/jeh-sung-hoon",
        "/events/putin-visit-pyongyang-2024",
    ] {
        let original = select(&app.html(uri).await, "main table, .tally");
        let response = tower::ServiceExt::oneshot(
            restored_app.clone(),
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        assert_eq!(select(&html, "main table, .tally"), original, "{uri}");
    }
}

/// The real server over `url`, loading the demo when the file is empty, logging problems only.
pub fn demo_server(url: &str, output: Stdio) -> Launch<'_> {
    Launch {
        url,
        log: "warn",
        output,
        demo: true,
        args: &[],
    }
}

/// A database file of its own in a new folder, holding the demo.
async fn demo_file() -> (tempfile::TempDir, String, Database) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hindsight.db").display());
    let db = Database::connect(&url).await.unwrap();
    dataset::import_json(&db, DEMO_DATA_SET, false, None)
        .await
        .unwrap();
    (dir, url, db)
}

/// Opens the file at `url`, which must pass SQLite's integrity check.
async fn open_intact(url: &str) -> Database {
    let db = Database::connect(url).await.unwrap();
    crate::helpers::assert_integrity_ok(&db).await;
    db
}

/// The real binary, killed with SIGKILL while an analyst records outcomes as fast as it
/// answers. Every outcome it acknowledged (a 303) must be in the file afterwards, and the file
/// must pass SQLite's integrity check.
#[tokio::test]
async fn a_server_killed_mid_write_keeps_every_acknowledged_outcome() {
    let (_dir, url, db) = demo_file().await;
    let password = "a long enough passphrase";
    add_analyst(&db, "kim", password).await;
    let propositions: Vec<i64> = sqlx::query_scalar("SELECT id FROM propositions ORDER BY id")
        .fetch_all(&db.read)
        .await
        .unwrap();
    db.close().await;

    let (mut server, http) = start(demo_server(&url, Stdio::null())).await;
    let http = Arc::new(http);
    let cookie = sign_in(&http, "kim", password).await;

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (http, acknowledged) = (Arc::clone(&http), Arc::clone(&acknowledged));
        tokio::spawn(async move {
            for i in 0.. {
                let id = propositions[i % propositions.len()];
                let path = format!("/propositions/{id}/resolve");
                let Ok(form) = http.try_get(&path, &cookie).await else {
                    return;
                };
                let seen = attribute(
                    &scraper::Html::parse_document(&form),
                    "input[name=seen]",
                    "value",
                );
                let rationale = format!("Stream write #{i}.");
                let outcome = if i % 2 == 0 { "true" } else { "false" };
                let fields = [
                    ("outcome", outcome),
                    ("decided_on", "2024-07-01"),
                    ("evidence_url", "https://example.org/evidence"),
                    ("rationale", rationale.as_str()),
                    ("seen", seen.as_str()),
                ];
                match http.try_post_form(&path, Some(&cookie), &fields).await {
                    Ok((status, _)) if status == 303 => {
                        acknowledged.lock().unwrap().push(rationale)
                    }
                    Ok((status, _)) => panic!("write {i} refused with {status}"),
                    Err(_) => return,
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap(); // SIGKILL: no chance to finish anything.
    server.child.wait().unwrap();
    writer.await.unwrap();

    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 5,
        "a stream of writes: {}",
        acknowledged.len()
    );
    let db = open_intact(&url).await;
    let kept: Vec<String> = sqlx::query_scalar(
        "SELECT rationale FROM resolutions WHERE rationale LIKE 'Stream write #%'",
    )
    .fetch_all(&db.read)
    .await
    .unwrap();
    for rationale in &acknowledged {
        assert!(
            kept.contains(rationale),
            "{rationale} was acknowledged and lost"
        );
    }
}

/// SIGTERM while a request is still arriving: the server stops taking connections, answers
/// the one in flight, then closes the database cleanly (SQLite folds the write-ahead log
/// back into the file and removes it only when the last connection closes properly).
#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_closes_the_database() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hindsight.db").display());
    let (mut server, http) = start(demo_server(&url, Stdio::null())).await;
    let port = server.port;
    // Pages read just before the signal: their connections are on their way back to the pool
    // when it closes (once, that left the WAL behind).
    for path in ["/experts", "/", "/healthz"] {
        http.try_get(path, "").await.unwrap();
    }

    let body = "username=nobody&password=not+the+right+one";
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         Sec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let signalled = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "no new connections once shutting down"
    );

    stream.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status_line = response.lines().next().unwrap_or_default().to_string();
    assert!(
        status_line.starts_with("HTTP/1.1 "),
        "the request in flight is answered: {response}"
    );
    assert!(!status_line.starts_with("HTTP/1.1 5"), "{status_line}");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the server exits once the request is answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    assert!(
        !dir.path().join("hindsight.db-wal").exists(),
        "the database was closed cleanly"
    );
    open_intact(&url).await;
}

/// A connection handed back just before the database closes still gets closed properly: it
/// returns to its pool on a task of its own, which closing has to wait for, or SQLite keeps
/// the WAL file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_right_after_a_query_leaves_no_wal_behind() {
    // A race: without the wait it lost about one time in three, so try it ten times.
    for round in 0..10 {
        let (dir, url, db) = demo_file().await;
        let mut connection = db.read.acquire().await.unwrap();
        let experts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM experts")
            .fetch_one(&mut *connection)
            .await
            .unwrap();
        assert_eq!(experts, 15, "the demo's experts");
        drop(connection);
        db.close().await;
        assert!(
            !dir.path().join("hindsight.db-wal").exists(),
            "round {round}: the WAL is left behind"
        );
        open_intact(&url).await;
    }
}

/// A bulk load closes the writer's connection it ran on (see `references`), and a read-only
/// connection cannot fold the WAL back into the file: closing the database afterwards still
/// does, with every prediction in the file itself.
#[tokio::test]
async fn closing_after_a_bulk_load_leaves_no_wal_behind() {
    let (dir, url, db) = demo_file().await;
    let file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: 2_000,
        experts: 40,
        seed: 5,
    });
    dataset::import_json(&db, &serde_json::to_string(&file).unwrap(), false, None)
        .await
        .unwrap();
    assert_eq!(db.write.size(), 0, "the bulk load closed its connection");
    db.close().await;
    assert!(
        !dir.path().join("hindsight.db-wal").exists(),
        "the WAL is left behind"
    );
    let db = open_intact(&url).await;
    let predictions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM predictions")
        .fetch_one(&db.read)
        .await
        .unwrap();
    assert!(predictions >= 2_000, "{predictions}");
}

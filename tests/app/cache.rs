//! Finished public pages are kept until the data changes, and never shared with analysts.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{select, spawn_app};

#[tokio::test]
async fn a_page_is_kept_with_an_etag_and_a_browser_with_it_gets_304() {
    let app = spawn_app().await;
    let first = app.get_ok("/experts/jeh-sung-hoon").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-cache");
    let second = app.get("/experts/jeh-sung-hoon").await;
    assert_eq!(second.body, first.body);
    assert_eq!(second.headers[header::ETAG], etag.as_str());

    let revalidated = app
        .send(
            Request::get("/experts/jeh-sung-hoon")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());

    // Compressed and plain copies are kept apart.
    let gzipped = app
        .send(
            Request::get("/experts/jeh-sung-hoon")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(gzipped.headers[header::CONTENT_ENCODING], "gzip");
    let plain = app.get("/experts/jeh-sung-hoon").await;
    assert!(!plain.headers.contains_key(header::CONTENT_ENCODING));
    assert_eq!(plain.body, first.body);
}

#[tokio::test]
async fn a_write_through_the_site_makes_every_page_new() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    let session = app.analyst("ana").await;
    let before = app.get("/experts/jeh-sung-hoon").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let saved = app
        .record_outcome(
            &session,
            id,
            "false",
            "The text has no article on reunification.",
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = app.get("/experts/jeh-sung-hoon").await;
    assert_ne!(after.headers[header::ETAG], before.headers[header::ETAG]);
    assert_eq!(
        select(&after.html(), ".tally dd.num"),
        vec!["2", "1", "0"],
        "right, wrong, pending"
    );
}

#[tokio::test]
async fn a_signed_in_analyst_is_never_served_from_the_readers_copies() {
    let app = spawn_app().await;
    let reader = app.get("/experts/jeh-sung-hoon").await;
    assert!(reader.headers.contains_key(header::ETAG));
    let session = app.analyst("ana").await;
    let analyst = app.get_as("/experts/jeh-sung-hoon", Some(&session)).await;
    assert_eq!(analyst.status, StatusCode::OK);
    assert!(
        !analyst.headers.contains_key(header::ETAG),
        "made for them, not kept"
    );
}

#[tokio::test]
async fn a_write_by_another_process_is_noticed_within_seconds() {
    let app = spawn_app().await;
    let watcher =
        hindsight::web::cache::watch_for_outside_writes(app.db.clone(), app.pages.clone());
    let before = app.get("/leaderboard").await;
    // Let the watcher read the version it starts from.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // Another process: its own connections to the same file, so this server's counter
    // does not move.
    let other = hindsight::db::Database::connect(&app.url).await.unwrap();
    sqlx::query("UPDATE experts SET name = 'Jeh Sung-hoon (renamed)' WHERE slug = 'jeh-sung-hoon'")
        .execute(&other.write)
        .await
        .unwrap();
    let mut changed = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if app.get("/leaderboard").await.body != before.body {
            changed = true;
            break;
        }
    }
    assert!(
        changed,
        "the leaderboard shows the new name within 4 seconds"
    );
    assert!(app.get("/leaderboard").await.body.contains("(renamed)"));
    watcher.stop().await;
}

#[tokio::test]
async fn a_final_pinned_page_is_kept_across_writes_and_a_live_one_is_not() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    let stamp = hindsight::db::last_stamp(&app.db).await.unwrap();
    let pinned = format!(
        "/experts/jeh-sung-hoon?as_of={}",
        url::form_urlencoded::byte_serialize(stamp.as_bytes()).collect::<String>()
    );
    let first = app.get(&pinned).await;
    assert_eq!(
        first.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    app.get("/experts/jeh-sung-hoon").await;
    assert!(app.pages.holds(&pinned) && app.pages.holds("/experts/jeh-sung-hoon"));
    let session = app.analyst("ana").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let saved = app
        .record_outcome(&session, id, "false", "No article on it.")
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // As the watcher does when it sees the write.
    app.pages.invalidate();
    assert!(
        app.pages.holds(&pinned),
        "the pinned page reads the same forever"
    );
    assert!(!app.pages.holds("/experts/jeh-sung-hoon"));
    assert_eq!(app.get(&pinned).await.body, first.body);
}

//! Findings of a security probe, each with the test that failed before its fix: a bounded
//! sign-in throttle, a cache no stranger can empty, parameters no page reads, deep pages,
//! costly work that cannot starve the rest, redirects, private pages, uploads, CSV and marks.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use hindsight::domain::Role;

use crate::helpers::{
    PUBLIC_URL, Page, TestApp, another_server, attribute, demo_with_analyst, encode, select,
    spawn_app,
};
use crate::tables::assert_api_refused;

/// A sign-in form POSTed from `address`, as a browser on this site sends it.
fn login_from(address: &str, username: &str, password: &str, next: &str) -> Request<Body> {
    let mut request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, PUBLIC_URL)
        .body(Body::from(encode(&[
            ("username", username),
            ("password", password),
            ("next", next),
        ])))
        .unwrap();
    let address: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(address));
    request
}

#[tokio::test]
async fn a_sign_in_flood_with_huge_usernames_leaves_the_throttle_small() {
    let app = spawn_app().await;
    // Far over any sign-in form: refused before it is read.
    let huge = "u".repeat(250_000);
    let page = app
        .send(login_from("192.0.2.1", &huge, "whatever password", "/"))
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Under the form limit but no possible username: nothing is remembered of it.
    let mut refused = 0;
    for n in 0..400 {
        let address = format!("198.51.{}.{}", n / 200, n % 200);
        let name = format!("{}{n}", "u".repeat(5_000));
        let page = app
            .send(login_from(&address, &name, "whatever password", "/"))
            .await;
        assert_ne!(page.status, StatusCode::SEE_OTHER);
        refused += usize::from(page.status == StatusCode::UNAUTHORIZED);
    }
    assert_eq!(refused, 400, "each is told no, without an account check");
    let tracked = app.state.throttle.tracked();
    assert!(
        tracked <= 400,
        "one fixed-size entry per address and nothing per name: {tracked}"
    );
    // One address past its allowance is turned away before its fields are looked at.
    let mut throttled = 0;
    for n in 0..40 {
        let page = app
            // Names no account can have: no password work, so the loop is quick and no
            // allowance refills (one every three seconds) while it runs.
            .send(login_from(
                "203.0.113.9",
                &format!("no such user {n}"),
                "wrong password!",
                "/",
            ))
            .await;
        throttled += usize::from(page.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(throttled, 20, "twenty attempts a minute an address");
}

#[tokio::test]
async fn a_stranger_guessing_cannot_lock_the_owner_out() {
    let app = spawn_app().await;
    let password = app.add_account("eli", Role::Analyst).await;
    for _ in 0..8 {
        app.send(login_from("203.0.113.5", "eli", "a wrong guess here", "/"))
            .await;
    }
    let stranger = app
        .send(login_from("203.0.113.5", "eli", &password, "/"))
        .await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = app
        .send(login_from("198.51.100.20", "eli", &password, "/analyst"))
        .await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER, "{}", owner.body);
    assert_eq!(owner.location(), "/analyst");
}

#[tokio::test]
async fn an_anonymous_post_does_not_empty_the_page_cache() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    app.get_ok("/experts/jeh-sung-hoon").await;
    assert!(app.pages.holds("/experts/jeh-sung-hoon"));
    for _ in 0..3 {
        let page = app.post_form("/logout", None, &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = app.login("nobody", "x").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    assert!(
        app.pages.holds("/experts/jeh-sung-hoon"),
        "still kept: nothing was written"
    );
    // A real write still makes pages new.
    let session = app.analyst("ana").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let saved = app
        .record_outcome(&session, id, "false", "No article on reunification.")
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(!app.pages.holds("/experts/jeh-sung-hoon"));
}

#[tokio::test]
async fn a_parameter_no_page_reads_is_refused_by_name() {
    let app = spawn_app().await;
    // Each page names the parameter it does not read.
    app.assert_each_refused([
        ("/experts/jeh-sung-hoon?foo=1", "foo"),
        ("/events/putin-visits-pyongyang-2024?x=1", "x"),
        ("/?nocache=123", "nocache"),
        ("/leaderboard?as_of=2024-07-01&sort=name", "sort"),
    ])
    .await;
    let api = app.get("/api/v1/predictions?q=treaty&cachebuster=1").await;
    assert_api_refused(&api, "cachebuster");
    // What a page does read still works.
    app.get_ok("/leaderboard?as_of=2024-07-01&min=1").await;
}

#[tokio::test]
async fn tracking_parameters_lead_to_the_same_page_without_them() {
    let app = spawn_app().await;
    let page = app
        .get_expecting(
            StatusCode::PERMANENT_REDIRECT,
            "/experts/jeh-sung-hoon?utm_source=newsletter&as_of=2024-07-01&fbclid=abc",
        )
        .await;
    assert_eq!(page.location(), "/experts/jeh-sung-hoon?as_of=2024-07-01");
    let page = app.get("/leaderboard?utm_medium=social").await;
    assert_eq!(page.location(), "/leaderboard");
}

#[tokio::test]
async fn deep_pages_are_refused_with_a_way_on() {
    let app = spawn_app().await;
    let deep = "/api/v1/predictions?q=a&page=1000000&per_page=200";
    assert_api_refused(&app.get(deep).await, "page");
    assert_eq!(
        app.get("/api/v1/predictions?page=50&per_page=200")
            .await
            .status,
        StatusCode::OK,
        "the 10,000th item is reachable"
    );
    assert_eq!(
        app.get("/api/v1/predictions?page=51&per_page=200")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // A search reaches its first 5,000 matches, ranked from the index alone.
    assert_eq!(
        app.get("/api/v1/predictions?q=treaty&page=25&per_page=200")
            .await
            .status,
        StatusCode::OK
    );
    let deep_search = app
        .get("/api/v1/predictions?q=treaty&page=26&per_page=200")
        .await;
    assert_eq!(deep_search.status, StatusCode::BAD_REQUEST);
    assert!(
        deep_search.json()["error"]
            .as_str()
            .unwrap()
            .contains("5000")
    );
    assert_eq!(
        app.get("/predictions?q=treaty&page=201").await.status,
        StatusCode::BAD_REQUEST
    );
    let page = app.get("/predictions?page=401").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("narrow"), "{}", page.body);
    app.get_ok("/predictions?page=400").await;
}

#[tokio::test]
async fn pages_not_kept_wait_their_turn_and_the_rest_is_served() {
    let app = spawn_app().await;
    let busy_app = another_server(&app, |options| {
        options.page_cache = Some(Arc::new(hindsight::web::cache::PageCache::with_queue_wait(
            &app.db,
            Duration::from_millis(200),
        )));
    })
    .await;
    let pages = busy_app.pages.clone();
    assert_eq!(
        busy_app.get("/experts/jeh-sung-hoon").await.status,
        StatusCode::OK
    );
    // Every permit taken: as if that many costly searches were running.
    let all = pages.uncached_work().available_permits();
    let held = pages
        .uncached_work()
        .clone()
        .acquire_many_owned(u32::try_from(all).unwrap())
        .await
        .unwrap();
    let refused = busy_app.get("/predictions?q=treaty").await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.headers[header::RETRY_AFTER], "5");
    assert_eq!(busy_app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(
        busy_app.get("/experts/jeh-sung-hoon").await.status,
        StatusCode::OK,
        "a kept page needs no turn"
    );
    drop(held);
    assert_eq!(
        busy_app.get("/predictions?q=treaty").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_in_sends_on_only_to_a_path_of_this_site() {
    let app = spawn_app().await;
    let form = app.get_ok("/login?next=/%09/evil.example").await;
    assert_eq!(attribute(&form.html(), "input[name=next]", "value"), "/");
    let password = app.add_account("ida", Role::Analyst).await;
    for next in [
        "/\t/evil.example",
        "/\u{1}x",
        "//evil.example",
        "/\\evil.example",
    ] {
        let page = app
            .send(login_from("192.0.2.40", "ida", &password, next))
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{next:?}: {}",
            page.body
        );
        assert_eq!(page.location(), "/", "{next:?}");
    }
}

#[tokio::test]
async fn pages_for_one_person_are_never_stored_by_a_cache() {
    let (app, session) = demo_with_analyst("ana").await;
    for uri in [
        "/analyst",
        "/experts/jeh-sung-hoon",
        "/import",
        "/export.csv",
    ] {
        let page = app.get_as(uri, Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store", "{uri}");
    }
    assert_eq!(
        app.get("/login").await.headers[header::CACHE_CONTROL],
        "no-store"
    );
    assert_eq!(
        app.get("/experts/jeh-sung-hoon").await.headers[header::CACHE_CONTROL],
        "no-cache",
        "a reader's copy may be kept and revalidated"
    );
}

async fn upload(app: &TestApp, session: &str, name: &str) -> Page {
    let demo = hindsight::import::DEMO_DATA_SET.as_bytes();
    app.upload(session, name, demo).await
}

#[tokio::test]
async fn uploads_expire_and_an_analyst_keeps_only_a_few() {
    let (app, session) = demo_with_analyst("ana").await;
    for n in 0..12 {
        let page = upload(&app, &session, &format!("file-{n}.json")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    assert_eq!(app.count("import_drafts").await, 10, "the oldest two went");
    let newest: i64 = app.scalar("SELECT max(id) FROM import_drafts").await;
    app.execute(
        "UPDATE import_drafts SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = $1",
        &[newest],
    )
    .await;
    let page = app
        .post_as(&session, &format!("/import/{newest}"), &[])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "a day old: gone");
    assert!(page.body.contains("expired"));
    let later = upload(&app, &session, "later.json").await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    let names: Vec<String> = sqlx::query_scalar("SELECT file_name FROM import_drafts")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    assert!(!names.contains(&"file-11.json".to_string()), "{names:?}");
    assert!(names.contains(&"later.json".to_string()));
    assert_eq!(names.len(), 10);
}

#[tokio::test]
async fn the_csv_export_writes_formulas_as_text() {
    let app = spawn_app().await;
    app.execute("UPDATE sources SET title = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE id = (SELECT min(id) FROM sources)", &[]).await;
    let session = app.analyst("ana").await;
    let csv = app.get_as("/export.csv", Some(&session)).await.body;
    assert!(
        csv.contains("\"'=HYPERLINK("),
        "{}",
        &csv[..400.min(csv.len())]
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let starts_a_formula = reader
        .records()
        .flat_map(|record| {
            record
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|cell| cell.starts_with(['=', '+', '-', '@']))
        .count();
    assert_eq!(starts_a_formula, 0);
}

#[tokio::test]
async fn a_quote_holding_the_marks_own_characters_cannot_add_markup() {
    let app = spawn_app().await;
    sqlx::query(
        "UPDATE predictions SET quote = $1 || quote WHERE id = (SELECT min(id) FROM predictions)",
    )
    .bind("\u{E000} sneaky \u{E001} ")
    .execute(&app.db.write)
    .await
    .unwrap();
    let page = app.get_ok("/predictions?q=sneaky").await;
    let html = page.html();
    let marks = select(&html, "mark");
    assert_eq!(marks, vec!["sneaky"], "the searched word alone is marked");
    assert!(page.body.contains('\u{E000}'), "the characters stay text");
}

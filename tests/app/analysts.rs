use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hindsight::db::accounts;
use hindsight::domain::Role;

use crate::helpers::{
    PUBLIC_URL, Page, TestApp, assert_each_marked, attribute, demo_with_analyst, named, select,
    spawn_app, spawn_empty_app, spawn_empty_app_at,
};

/// What the set-up form at `link` answers to (username, display name, password, confirmation).
async fn set_up(
    app: &TestApp,
    link: &str,
    [username, display_name, password, confirm]: [&str; 4],
) -> Page {
    let fields = named(
        ["username", "display_name", "password", "confirm"],
        [username, display_name, password, confirm],
    );
    app.post_form(link, None, &fields).await
}

#[tokio::test]
async fn the_set_up_link_creates_the_first_admin_once() {
    let app = spawn_empty_app().await;
    assert!(!accounts::has_active_admin(&app.db).await.unwrap());
    let token = accounts::first_admin_token(&app.db, chrono::Duration::hours(1))
        .await
        .unwrap();
    let link = format!("/setup/{token}");
    app.get_ok(&link).await;

    let refused = set_up(&app, &link, ["Ada Lovelace", "", "short", "other"]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert_each_marked(&html, &["username", "display_name", "password", "confirm"]);
    assert_eq!(
        attribute(&html, "#username", "value"),
        "ada lovelace",
        "the input is kept"
    );
    assert_eq!(app.count("analysts").await, 0, "nothing was written");

    let password = "a long enough passphrase";
    let done = set_up(&app, &link, ["ada", "Ada", password, password]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(accounts::has_active_admin(&app.db).await.unwrap());
    let hash: String = app
        .scalar("SELECT password_hash FROM analysts WHERE username = 'ada'")
        .await;
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "argon2id at ASVS strength"
    );
    assert_eq!(
        app.get(&link).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );
    let again = set_up(&app, &link, ["eve", "Eve", password, password]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("analysts").await, 1);
}

#[tokio::test]
async fn sign_in_answers_alike_for_an_unknown_user_and_a_wrong_password() {
    let app = spawn_app().await;
    app.add_account("bea", Role::Analyst).await;
    let unknown = app.login("nobody", "whatever whatever").await;
    let wrong = app.login("bea", "not her password").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        select(&unknown.html(), ".form-error"),
        select(&wrong.html(), ".form-error")
    );
    assert!(unknown.session_cookie().is_none() && wrong.session_cookie().is_none());
    // The demo analyst has no password: it can never sign in.
    let demo = app.login("demo-analyst", "").await;
    assert_eq!(demo.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_and_renewed_at_sign_in() {
    let app = spawn_app().await;
    let password = app.add_account("cai", Role::Analyst).await;
    let first = app.login("cai", &password).await;
    let cookie = first.set_cookie_header();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    let session = first.session_cookie().unwrap();
    let second = app
        .post_as(
            &session,
            "/login",
            &[("username", "cai"), ("password", &password)],
        )
        .await;
    let renewed = second
        .session_cookie()
        .unwrap_or_else(|| panic!("{:?} {:?}", second.status, second.headers));
    assert_ne!(session, renewed, "a new session id at sign-in");
    assert_eq!(first.location(), "/");
}

#[tokio::test]
async fn over_tls_the_cookie_is_secure_and_host_prefixed() {
    let app = spawn_empty_app_at("https://hindsight.example").await;
    let password = app.add_account("dee", Role::Analyst).await;
    let page = app
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "https://hindsight.example")
                .body(Body::from(crate::helpers::encode(&[
                    ("username", "dee"),
                    ("password", &password),
                ])))
                .unwrap(),
        )
        .await;
    let cookie = page.set_cookie_header();
    assert!(
        cookie.starts_with("__Host-hindsight=")
            && cookie.contains("Secure")
            && cookie.contains("Path=/")
            && !cookie.contains("Domain"),
        "{cookie}"
    );
}

#[tokio::test]
async fn sign_in_is_throttled_per_account() {
    let app = spawn_app().await;
    let password = app.add_account("eli", Role::Analyst).await;
    for _ in 0..5 {
        let page = app.login("eli", "guess guess guess").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let throttled = app.login("eli", &password).await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(select(&throttled.html(), ".form-error")[0].contains("Too many sign-in attempts"));
    // Another account is not held up by it.
    let other = app.add_account("fay", Role::Analyst).await;
    assert_eq!(app.login("fay", &other).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_out_is_a_post_that_ends_the_session() {
    let (app, session) = demo_with_analyst("gus").await;
    assert_eq!(app.status_as("/analyst", &session).await, StatusCode::OK);
    assert_eq!(
        app.status_as("/logout", &session).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "no GET changes anything"
    );
    let out = app.post_as(&session, "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = app.get_as("/analyst", Some(&session)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.location(), "/login?next=%2Fanalyst");
}

#[tokio::test]
async fn anonymous_writes_go_to_sign_in_and_change_nothing() {
    let app = spawn_app().await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let before = app.count("resolutions").await;
    let page = app
        .post_form(
            &format!("/propositions/{id}/resolve"),
            None,
            &[("outcome", "false")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        format!("/login?next=%2Fpropositions%2F{id}%2Fresolve")
    );
    assert_eq!(app.count("resolutions").await, before);
    for uri in [
        "/analyst",
        "/experts/new",
        "/predictions/new",
        "/admin/analysts",
        &format!("/propositions/{id}/resolve"),
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(page.location().starts_with("/login?next="), "{uri}");
    }
}

#[tokio::test]
async fn a_cross_origin_post_is_refused() {
    let (app, session) = demo_with_analyst("hal").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let before = app.count("resolutions").await;
    let body = crate::helpers::encode(&[
        ("outcome", "false"),
        ("decided_on", "2024-12-04"),
        ("evidence_url", "https://evil.example"),
        ("rationale", "forged"),
        ("seen", ""),
    ]);
    let forged = Request::post(format!("/propositions/{id}/resolve"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &session)
        .header(header::ORIGIN, "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("resolutions").await,
        before,
        "nothing was written"
    );
    let same_site = app.post_as(&session, "/logout", &[]).await;
    assert_eq!(
        same_site.status,
        StatusCode::SEE_OTHER,
        "the site's own forms still work"
    );
    assert!(PUBLIC_URL.starts_with("http://"));
}

#[tokio::test]
async fn an_analyst_gets_403_on_admin_pages_and_an_admin_manages_accounts() {
    let (app, analyst) = demo_with_analyst("ivy").await;
    assert_eq!(
        app.status_as("/admin/analysts", &analyst).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.admin_adds(&analyst, "x", "X", "admin").await.status,
        StatusCode::FORBIDDEN
    );

    let admin_password = app.add_account("jo", Role::Admin).await;
    let admin = app.sign_in("jo", &admin_password).await;
    let added = app
        .admin_adds(&admin, "kim", "Kim Analyst", "analyst")
        .await;
    assert_eq!(added.status, StatusCode::OK);
    let link = select(&added.html(), ".issued code")[0].clone();
    assert!(link.starts_with("http://hindsight.test/setup/"), "{link}");
    let taken = app.admin_adds(&admin, "kim", "Kim again", "analyst").await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        select(&taken.html(), "#username-error"),
        vec!["That username is taken."]
    );

    // Disabling an analyst ends their session at their next request.
    let ivy = app.id_where("analysts", "username = 'ivy'").await;
    let disabled = app
        .post_as(&admin, &format!("/admin/analysts/{ivy}/disable"), &[])
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    let after = app.get_as("/analyst", Some(&analyst)).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the disabled analyst is signed out"
    );
    let password = crate::helpers::TEST_PASSWORD;
    assert_eq!(
        app.login("ivy", password).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(app.count("analysts").await >= 4, "disabled, not deleted");
}

#[tokio::test]
async fn the_user_add_command_prints_a_one_time_link() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let stdout = crate::binary::run_to_success(&[
        "user",
        "add",
        "lee",
        "--role",
        "admin",
        "--display-name",
        "Lee",
        "--database",
        &url,
        "--public-url",
        "https://h.example",
    ]);
    assert!(stdout.contains("Added lee (admin)"), "{stdout}");
    assert!(stdout.contains("https://h.example/setup/"), "{stdout}");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["user", "add", "Bad Name", "--database", &url])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NAME:"));
}

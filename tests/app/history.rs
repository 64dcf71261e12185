//! Issue 18: a page pinned to a moment shows what this database held then, and nothing written
//! afterwards changes it. For every write path (prediction edit and retraction, outcome
//! correction, command-line import and web upload with back-dated, future-dated and forged
//! outcomes), every pinned page is compared before and after the write, while the live page
//! changes as it should; a property test runs random sequences of writes; and the pinned scores
//! are checked against a re-computation from the raw tables as they stood at that moment.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hindsight::db::dataset::{self, ApplyError};
use hindsight::domain::scoring::{brier, log_score};
use hindsight::domain::{Outcome, Probability, Verdict};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{PUBLIC_URL, TestApp, attribute, demo_with_analyst, select, spawn_app};

/// The experts whose pages are pinned: between them they hold predictions on every
/// proposition the writes below touch.
const EXPERTS: [&str; 3] = ["joh-han-beom", "asia-business-daily-desk", "jeh-sung-hoon"];
const EVENT: &str = "putin-visit-pyongyang-2024";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn query_moment(moment: &str) -> String {
    url::form_urlencoded::byte_serialize(moment.as_bytes()).collect()
}

/// A response as bytes, with its headers.
struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

async fn fetch(app: &TestApp, method: Method, uri: &str) -> Raw {
    let response = app
        .router
        .clone()
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    Raw {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes().to_vec(),
    }
}

/// The pages pinned at `moment`: scorecards, leaderboards, cards, badges, the API's scorecards
/// and (when it takes `as_of`) the event grid.
fn pinned_uris(moment: &str, with_event_grid: bool) -> Vec<String> {
    let at = query_moment(moment);
    let mut uris = vec![
        format!("/leaderboard?as_of={at}"),
        format!("/leaderboard?as_of={at}&min=1"),
    ];
    for slug in EXPERTS {
        uris.push(format!("/experts/{slug}?as_of={at}"));
        uris.push(format!("/experts/{slug}/card.png?as_of={at}"));
        uris.push(format!("/experts/{slug}/badge.svg?as_of={at}"));
        uris.push(format!("/api/v1/experts/{slug}/scorecard?as_of={at}"));
    }
    if with_event_grid {
        uris.push(format!("/events/{EVENT}?as_of={at}"));
    }
    uris
}

/// Whether `/events/{slug}` takes `as_of` yet (a known gap being closed in parallel).
async fn event_grid_pins(app: &TestApp) -> bool {
    let at = query_moment(&hindsight::db::last_stamp(&app.db).await.unwrap());
    fetch(app, Method::GET, &format!("/events/{EVENT}?as_of={at}"))
        .await
        .status
        == StatusCode::OK
}

/// The numbers a page shows, for a readable failure: every number-bearing element of an HTML
/// page, the JSON itself, or the image's ETag.
fn numbers(uri: &str, raw: &Raw) -> Vec<String> {
    if uri.contains("card.png") || uri.contains("badge.svg") {
        return vec![
            raw.headers
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string(),
        ];
    }
    let text = String::from_utf8_lossy(&raw.body);
    if uri.starts_with("/api/") {
        return vec![text.into_owned()];
    }
    let html = scraper::Html::parse_document(&text);
    [
        ".scores .score-value",
        ".score-n",
        ".tally dd.num",
        "table.data td.num",
        "table.data tbody tr",
        "article.prediction",
        ".count",
    ]
    .iter()
    .flat_map(|selector| select(&html, selector))
    .collect()
}

/// Every pinned page of `moments`: (moment, address, status, numbers, body).
type Snapshot = Vec<(String, String, StatusCode, Vec<String>, Vec<u8>)>;

async fn snapshot(app: &TestApp, moments: &[String], with_event_grid: bool) -> Snapshot {
    let mut pages = Vec::new();
    for moment in moments {
        for uri in pinned_uris(moment, with_event_grid) {
            let raw = fetch(app, Method::GET, &uri).await;
            assert_eq!(raw.status, StatusCode::OK, "{uri}");
            let numbers = numbers(&uri, &raw);
            pages.push((moment.clone(), uri, raw.status, numbers, raw.body));
        }
    }
    pages
}

/// A second server over `app`'s database, with nothing kept yet: its pages are made from the
/// database, as after a restart (the first server keeps final pages across writes).
async fn fresh_server(app: &TestApp) -> TestApp {
    crate::helpers::another_server(app, |_| {}).await
}

/// Asserts that every page of `before` reads the same now: as kept by the server's page cache,
/// and made afresh from the database by a server that kept nothing.
async fn assert_unchanged(app: &TestApp, before: &Snapshot, what: &str) {
    let restarted = fresh_server(app).await;
    for (fresh, server) in [(false, app), (true, &restarted)] {
        let last = hindsight::db::last_stamp(&app.db).await.unwrap();
        for (moment, uri, status, numbers_before, body_before) in before {
            let final_now = &(moment.as_str() <= last.as_str());
            let raw = fetch(server, Method::GET, uri).await;
            assert_eq!(raw.status, *status, "{what}: {uri}");
            assert_eq!(
                &numbers(uri, &raw),
                numbers_before,
                "{what}: the numbers of {uri} changed (fresh from the database: {fresh})"
            );
            assert!(
                &raw.body == body_before,
                "{what}: {uri} is not byte-for-byte the same (fresh: {fresh})"
            );
            // Every moment at or before the last write is final.
            if *final_now {
                assert_eq!(
                    raw.headers[header::CACHE_CONTROL],
                    IMMUTABLE,
                    "{what}: {uri}"
                );
            }
        }
    }
}

/// Two moments to pin before a write: the last write committed (final at once), and one just
/// taken (final only once the next write commits).
async fn moments_before_a_write(app: &TestApp) -> Vec<String> {
    let last = hindsight::db::last_stamp(&app.db).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    let now = hindsight::domain::dates::format_moment(chrono::Utc::now());
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    vec![last, now]
}

/// The live scorecard's tally (right, wrong, pending) and headline scores.
async fn live(app: &TestApp, slug: &str) -> (Vec<String>, Vec<String>) {
    let html = app.html(&format!("/experts/{slug}")).await;
    let mut tally = select(&html, ".tally dd.num");
    tally.truncate(3);
    (tally, select(&html, ".scores .score-value"))
}

async fn live_api(app: &TestApp, slug: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/experts/{slug}/scorecard"))
        .await
        .json()
}

async fn prediction_of(app: &TestApp, expert: &str, proposition: &str) -> (i64, String, String) {
    sqlx::query_as(
        "SELECT p.id, p.quote, p.said_on FROM predictions p JOIN experts e ON e.id = p.expert_id
         JOIN propositions pr ON pr.id = p.proposition_id WHERE e.slug = $1 AND pr.slug = $2",
    )
    .bind(expert)
    .bind(proposition)
    .fetch_one(&app.db.read)
    .await
    .unwrap()
}

/// Edits prediction (id, quote, said_on) to a number the expert stated, through the edit form,
/// and checks the edit was saved.
async fn edit_to_stated(
    app: &TestApp,
    session: &str,
    (id, quote, said_on): (i64, &str, &str),
    hedge_words: &str,
    probability: &str,
    reason: &str,
) {
    let fields = [
        ("quote", quote),
        ("said_on", said_on),
        ("hedge_words", hedge_words),
        ("basis", "stated"),
        ("probability", probability),
        ("reason", reason),
    ];
    let edit = format!("/predictions/{id}/edit");
    let saved = app.post_as(session, &edit, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

/// The id of the proposition's current resolution, as the outcome form carries it.
/// Uploads `content` as `session` for its preview.
async fn upload(app: &TestApp, session: &str, content: &str) -> crate::helpers::Page {
    app.upload(session, "history.json", content.as_bytes())
        .await
}

/// Uploads `content` and imports it from the preview, as an analyst does on the web.
async fn upload_and_import(app: &TestApp, session: &str, content: &str) {
    let preview = upload(app, session, content).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let action = attribute(&preview.html(), "form[action^='/import/']", "action");
    assert!(!action.is_empty(), "{}", preview.body);
    let done = app.post_as(session, &action, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

/// A file of one resolution.
fn resolution_file(
    proposition: &str,
    outcome: &str,
    recorded_at: &str,
    recorded_by: &str,
) -> String {
    format!(
        r#"{{"format": "hindsight/v1", "resolutions": [{{"proposition": "{proposition}", "outcome": "{outcome}", "decided_on": "2024-06-01", "evidence_url": "https://example.org/correction", "rationale": "A back-dated correction.", "recorded_by": "{recorded_by}", "recorded_at": "{recorded_at}"}}]}}"#
    )
}

/// The intervention clause decided false, in a file that says it was recorded on 1 June 2024
/// by the demo's analyst.
fn back_dated_outcome() -> String {
    resolution_file(
        "treaty-automatic-military-intervention",
        "false",
        "2024-06-01T00:00:00Z",
        "demo-analyst",
    )
}

/// Uploads `file` and imports it as `session`, and asserts that every pinned page survives it.
async fn pinned_pages_survive_an_upload(app: &TestApp, session: &str, what: &str, file: &str) {
    pinned_pages_survive(app, what, || async {
        upload_and_import(app, session, file).await;
    })
    .await;
}

/// Pins, writes with `write`, and checks every pinned page; returns the pinned snapshot's
/// moments for further checks.
async fn pinned_pages_survive<F, Fut>(app: &TestApp, what: &str, write: F) -> Vec<String>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let with_grid = event_grid_pins(app).await;
    let moments = moments_before_a_write(app).await;
    let before = snapshot(app, &moments, with_grid).await;
    write().await;
    assert_unchanged(app, &before, what).await;
    moments
}

#[tokio::test]
async fn a_prediction_edit_leaves_every_pinned_page_as_it_was() {
    let (app, session) = demo_with_analyst("ada").await;
    let (id, quote, said_on) =
        prediction_of(&app, "joh-han-beom", "strategic-partnership-declared").await;
    let live_before = live(&app, "joh-han-beom").await;
    assert_eq!(live_before.0, vec!["2", "2", "0"], "right, wrong, pending");
    pinned_pages_survive(&app, "an edit", || async {
        let reason = "He gave a number in the full interview.";
        edit_to_stated(
            &app,
            &session,
            (id, &quote, &said_on),
            "likely",
            "5%",
            reason,
        )
        .await;
    })
    .await;
    let versions = app
        .count_where("prediction_versions", "prediction_id = $1", id)
        .await;
    assert_eq!(versions, 1, "the version replaced is kept");
    let live_after = live(&app, "joh-han-beom").await;
    assert_eq!(live_after.0, vec!["1", "3", "0"], "the live page changed");
    assert_ne!(live_after.1, live_before.1);
}

#[tokio::test]
async fn a_prediction_retraction_leaves_every_pinned_page_as_it_was() {
    let (app, session) = demo_with_analyst("bea").await;
    let (id, _, _) = prediction_of(
        &app,
        "joh-han-beom",
        "military-technology-transfer-announced",
    )
    .await;
    pinned_pages_survive(&app, "a retraction", || async {
        app.retract(
            &session,
            &format!("/predictions/{id}"),
            "Misattributed quote.",
        )
        .await;
    })
    .await;
    assert_eq!(
        live(&app, "joh-han-beom").await.0,
        vec!["1", "2", "0"],
        "one right call fewer, live"
    );
    let pinned_before: String = app.scalar_with("SELECT entered_at FROM prediction_versions WHERE prediction_id = $1 AND retracted_at IS NULL", &[id]).await;
    assert!(!pinned_before.is_empty(), "the unretracted version is kept");
}

#[tokio::test]
async fn an_outcome_correction_leaves_every_pinned_page_as_it_was() {
    let (app, session) = demo_with_analyst("cy").await;
    let id = app
        .proposition_id("military-technology-transfer-announced")
        .await;
    let api_before = live_api(&app, "asia-business-daily-desk").await;
    pinned_pages_survive(&app, "a correction", || async {
        let rationale = "Correction: the transfer was announced.";
        app.correct_outcome(&session, id, "true", rationale).await;
    })
    .await;
    assert_eq!(live(&app, "joh-han-beom").await.0, vec!["1", "3", "0"]);
    let api_after = live_api(&app, "asia-business-daily-desk").await;
    assert_ne!(
        (&api_after["right"], &api_after["brier"]),
        (&api_before["right"], &api_before["brier"]),
        "the live API changed"
    );
}

#[tokio::test]
async fn a_back_dated_import_from_the_shell_leaves_every_pinned_page_as_it_was() {
    let app = spawn_app().await;
    let file = back_dated_outcome();
    let moments = pinned_pages_survive(&app, "a back-dated import", || async {
        dataset::import_json(&app.db, &file, false, None)
            .await
            .unwrap();
    })
    .await;
    // Joh said "very unlikely" to an intervention clause: right, now that it is false.
    assert_eq!(live(&app, "joh-han-beom").await.0, vec!["3", "1", "0"]);
    // The claimed moment is provenance: pinned to June 2024 this database held nothing, and
    // pinned after the load but before the import it holds the old outcome.
    let (recorded_at, claimed): (String, String) = app
        .row(
            "SELECT recorded_at, claimed_recorded_at FROM resolutions ORDER BY id DESC LIMIT 1",
            &[],
        )
        .await;
    assert_eq!(claimed, "2024-06-01T00:00:00.000Z");
    assert!(
        recorded_at > moments[1],
        "{recorded_at} entered after the pin"
    );
    let by: String = app.scalar("SELECT a.username FROM resolutions r JOIN analysts a ON a.id = r.recorded_by ORDER BY r.id DESC LIMIT 1").await;
    assert!(by.starts_with("shell:"), "recorded by the shell user: {by}");
}

#[tokio::test]
async fn a_back_dated_upload_leaves_every_pinned_page_as_it_was() {
    let (app, session) = demo_with_analyst("dot").await;
    let file = back_dated_outcome();
    pinned_pages_survive_an_upload(&app, &session, "a back-dated upload", &file).await;
    assert_eq!(live(&app, "joh-han-beom").await.0, vec!["3", "1", "0"]);
    let by: String = app.scalar("SELECT a.username FROM resolutions r JOIN analysts a ON a.id = r.recorded_by ORDER BY r.id DESC LIMIT 1").await;
    assert_eq!(by, "dot", "recorded by the analyst who imported it");
}

#[tokio::test]
async fn a_future_dated_outcome_is_refused_on_upload_and_from_the_shell_and_changes_nothing() {
    let (app, session) = demo_with_analyst("eve").await;
    let file = resolution_file(
        "treaty-automatic-military-intervention",
        "false",
        "2098-01-01T00:00:00Z",
        "demo-analyst",
    );
    let counts = app.record_counts().await;
    let live_before = (
        live(&app, "joh-han-beom").await,
        app.get("/leaderboard").await.body,
    );
    pinned_pages_survive(&app, "a future-dated file", || async {
        let refused = upload(&app, &session, &file).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let issues = select(&refused.html(), "ol.issues li");
        assert!(
            issues.iter().any(|i| i.contains("recorded_at")),
            "the field is named: {issues:?}"
        );
        let error = dataset::import_json(&app.db, &file, false, None)
            .await
            .unwrap_err();
        let ApplyError::Invalid(errors) = error else {
            panic!("expected a validation error, got {error}")
        };
        assert_eq!(
            errors.0[0].place.to_string(),
            "resolutions #1, field recorded_at",
            "{errors:?}"
        );
    })
    .await;
    assert_eq!(app.record_counts().await, counts, "nothing written");
    assert_eq!(
        (
            live(&app, "joh-han-beom").await,
            app.get("/leaderboard").await.body
        ),
        live_before,
        "the live pages did not change either"
    );
    // And a correction through the form still takes effect afterwards.
    let id = app
        .proposition_id("treaty-automatic-military-intervention")
        .await;
    app.correct_outcome(&session, id, "false", "Corrected through the form.")
        .await;
    assert_eq!(live(&app, "joh-han-beom").await.0, vec!["3", "1", "0"]);
}

#[tokio::test]
async fn a_file_cannot_say_another_account_recorded_an_outcome() {
    let app = spawn_app().await;
    app.add_account("admin", hindsight::domain::Role::Admin)
        .await;
    let session = app.analyst("fay").await;
    let file = resolution_file(
        "north-korea-joins-sco-or-csto",
        "annulled",
        "2025-01-01T00:00:00Z",
        "admin",
    );
    pinned_pages_survive_an_upload(&app, &session, "a forged recorder", &file).await;
    let (by, claimed): (String, Option<String>) = app.row("SELECT a.username, r.claimed_recorded_by FROM resolutions r JOIN analysts a ON a.id = r.recorded_by ORDER BY r.id DESC LIMIT 1", &[]).await;
    assert_eq!(by, "fay", "recorded by the importer");
    assert_eq!(claimed.as_deref(), Some("admin"), "the claim is kept");
    let id = app.proposition_id("north-korea-joins-sco-or-csto").await;
    let page = app.html(&format!("/propositions/{id}")).await;
    let current = select(&page, ".outcome-box .meta").join(" ");
    assert!(current.contains("by fay (test)"), "{current}");
    for text in select(&page, ".outcome-box .meta, ol.history > li") {
        assert!(
            !text.contains("by admin"),
            "the page says the named account recorded it: {text}"
        );
    }

    // The same from the shell: the shell user, not the account the file names.
    let file = resolution_file(
        "north-korea-joins-sco-or-csto",
        "false",
        "2025-02-01T00:00:00Z",
        "admin",
    );
    dataset::import_json(&app.db, &file, false, None)
        .await
        .unwrap();
    let by: String = app.scalar("SELECT a.username FROM resolutions r JOIN analysts a ON a.id = r.recorded_by ORDER BY r.id DESC LIMIT 1").await;
    assert!(by.starts_with("shell:"), "{by}");
}

#[tokio::test]
async fn a_file_listing_an_admin_creates_no_account() {
    let (app, session) = demo_with_analyst("gil").await;
    let accounts = app.count("analysts").await;
    let file = r#"{"format": "hindsight/v1",
      "analysts": [{"username": "mallory", "display_name": "Mallory", "role": "admin"}],
      "resolutions": [{"proposition": "treaty-mentions-reunification", "outcome": "false", "decided_on": "2024-06-21", "rationale": "No article on reunification.", "recorded_by": "mallory", "recorded_at": "2024-06-21T00:00:00Z"}]}"#;
    pinned_pages_survive(&app, "a file with accounts", || async {
        upload_and_import(&app, &session, file).await;
    })
    .await;
    dataset::import_json(&app.db, &file.replace("mallory", "trudy"), false, None)
        .await
        .unwrap();
    let named: i64 = app.scalar("SELECT COUNT(*) FROM analysts WHERE username IN ('mallory', 'trudy') OR role = 'admin'").await;
    assert_eq!(named, 0, "no account from a file, and no admin at all");
    // The shell import may add its own shell:USER account, never one the file names.
    let added: Vec<String> = sqlx::query_scalar("SELECT username FROM analysts ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    assert!(
        app.count("analysts").await <= accounts + 1
            && added.iter().all(|u| u == "gil" || u.starts_with("shell:")),
        "{added:?}"
    );
    assert_eq!(live(&app, "jeh-sung-hoon").await.0, vec!["2", "1", "0"]);
}

#[tokio::test]
async fn pinned_final_pages_are_immutable_and_head_answers_as_get() {
    let app = spawn_app().await;
    let last = hindsight::db::last_stamp(&app.db).await.unwrap();
    let with_grid = event_grid_pins(&app).await;
    assert!(with_grid, "the event grid takes as_of");
    let mut uris = pinned_uris(&last, with_grid);
    uris.push("/experts/joh-han-beom".into());
    uris.push("/experts/joh-han-beom/card.png".into());
    for uri in &uris {
        // HEAD first (made afresh), then GET (from the copy), then HEAD again.
        let head = fetch(&app, Method::HEAD, uri).await;
        let get = fetch(&app, Method::GET, uri).await;
        let again = fetch(&app, Method::HEAD, uri).await;
        assert_eq!(get.status, StatusCode::OK, "{uri}");
        assert_eq!(head.status, get.status, "{uri}");
        let without_id = |headers: &HeaderMap| {
            let mut headers = headers.clone();
            headers.remove("x-request-id");
            headers
        };
        assert_eq!(
            without_id(&head.headers),
            without_id(&get.headers),
            "HEAD answers as GET: {uri}"
        );
        assert_eq!(
            without_id(&again.headers),
            without_id(&get.headers),
            "{uri}"
        );
        assert!(head.body.is_empty() && again.body.is_empty(), "{uri}");
        let control = &get.headers[header::CACHE_CONTROL];
        if uri.contains("as_of") {
            assert_eq!(control, IMMUTABLE, "{uri}");
        } else {
            assert_ne!(control, IMMUTABLE, "a live page revalidates: {uri}");
            assert!(get.headers.contains_key(header::ETAG), "{uri}");
        }
    }
    // A moment after the last write is not final yet.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    let now = hindsight::domain::dates::format_moment(chrono::Utc::now());
    let open = fetch(
        &app,
        Method::GET,
        &format!("/experts/joh-han-beom?as_of={}", query_moment(&now)),
    )
    .await;
    assert_ne!(open.headers[header::CACHE_CONTROL], IMMUTABLE);
}

#[tokio::test]
async fn the_share_link_on_a_live_scorecard_pins_the_last_write() {
    let (app, session) = demo_with_analyst("hal").await;
    for round in 0..2 {
        let last = hindsight::db::last_stamp(&app.db).await.unwrap();
        let html = app.html("/experts/jeh-sung-hoon").await;
        assert_eq!(
            attribute(&html, "a.permalink", "href"),
            format!(
                "{PUBLIC_URL}/experts/jeh-sung-hoon?as_of={}",
                query_moment(&last)
            ),
            "round {round}"
        );
        // A write moves it on.
        let id = app.proposition_id("treaty-mentions-reunification").await;
        let outcome = if round == 0 { "false" } else { "true" };
        app.correct_outcome(&session, id, outcome, "Round.").await;
        assert!(hindsight::db::last_stamp(&app.db).await.unwrap() > last);
    }
}

// ---------------------------------------------------------------------------------------------
// Scores re-computed from the raw tables as they stood at a moment.

/// What scoring needs of one prediction version.
#[derive(Clone, Debug)]
struct Version {
    prediction: i64,
    expert: i64,
    proposition: i64,
    probability: f64,
    retracted: bool,
    entered_at: String,
    /// `None` for the current row.
    superseded_at: Option<String>,
}

/// The tables, read raw.
struct Records {
    versions: Vec<Version>,
    /// (proposition, outcome, recorded_at, id)
    resolutions: Vec<(i64, String, String, i64)>,
    /// expert id -> retracted_at
    experts_retracted: HashMap<i64, Option<String>>,
    propositions_retracted: HashMap<i64, bool>,
}

async fn read_records(app: &TestApp) -> Records {
    let mut versions = read_versions(
        app,
        "SELECT id, expert_id, proposition_id, probability, retracted_at, entered_at, NULL FROM predictions",
    )
    .await;
    versions.extend(read_versions(
        app,
        "SELECT prediction_id, expert_id, proposition_id, probability, retracted_at, entered_at, superseded_at FROM prediction_versions",
    )
    .await);
    Records {
        versions,
        resolutions: app
            .rows("SELECT proposition_id, outcome, recorded_at, id FROM resolutions")
            .await,
        experts_retracted: app
            .rows::<(i64, Option<String>)>("SELECT id, retracted_at FROM experts")
            .await
            .into_iter()
            .collect(),
        propositions_retracted: app
            .rows::<(i64, bool)>("SELECT id, retracted_at IS NOT NULL FROM propositions")
            .await
            .into_iter()
            .collect(),
    }
}

/// The prediction versions `sql` reads: (prediction, expert, proposition, probability,
/// retracted_at, entered_at, superseded_at).
async fn read_versions(app: &TestApp, sql: &str) -> Vec<Version> {
    type Row = (i64, i64, i64, f64, Option<String>, String, Option<String>);
    let rows: Vec<Row> = app.rows(sql).await;
    rows.into_iter()
        .map(
            |(
                prediction,
                expert,
                proposition,
                probability,
                retracted_at,
                entered_at,
                superseded_at,
            )| Version {
                prediction,
                expert,
                proposition,
                probability,
                retracted: retracted_at.is_some(),
                entered_at,
                superseded_at,
            },
        )
        .collect()
}

/// An expert's numbers as of `moment`, re-computed from `records` by hand.
#[derive(Debug, PartialEq)]
struct Recomputed {
    right: u32,
    wrong: u32,
    pending: u32,
    annulled: u32,
    scored: u32,
    brier: Option<f64>,
    log_score: Option<f64>,
}

fn recompute(records: &Records, expert: i64, moment: &str) -> Recomputed {
    // Each prediction's version in force at the moment: entered by then, superseded after.
    let in_force = records.versions.iter().filter(|v| {
        v.expert == expert
            && v.entered_at.as_str() <= moment
            && v.superseded_at
                .as_deref()
                .is_none_or(|until| until > moment)
    });
    let outcome_of = |proposition: i64| -> Option<Outcome> {
        records
            .resolutions
            .iter()
            .filter(|(p, _, at, _)| *p == proposition && at.as_str() <= moment)
            .max_by(|a, b| (&a.2, a.3).cmp(&(&b.2, b.3)))
            .and_then(|(_, outcome, _, _)| Outcome::parse(outcome))
    };
    let expert_shown = records.experts_retracted[&expert]
        .as_deref()
        .is_none_or(|at| at > moment);
    let mut out = Recomputed {
        right: 0,
        wrong: 0,
        pending: 0,
        annulled: 0,
        scored: 0,
        brier: None,
        log_score: None,
    };
    if !expert_shown {
        return out;
    }
    let (mut brier_sum, mut log_sum, mut seen) = (0.0, 0.0, std::collections::HashSet::new());
    for version in in_force {
        assert!(seen.insert(version.prediction), "one version in force");
        if version.retracted || records.propositions_retracted[&version.proposition] {
            continue;
        }
        let outcome = outcome_of(version.proposition);
        match Verdict::of(Probability::new(version.probability).unwrap(), outcome) {
            Verdict::Right => out.right += 1,
            Verdict::Wrong => out.wrong += 1,
            Verdict::Pending => out.pending += 1,
            Verdict::Annulled => out.annulled += 1,
            Verdict::NoCall => {}
        }
        if let Some(o) = outcome.and_then(Outcome::as_binary) {
            out.scored += 1;
            brier_sum += brier(version.probability, o);
            log_sum += log_score(version.probability, o);
        }
    }
    if out.scored > 0 {
        out.brier = Some(brier_sum / f64::from(out.scored));
        out.log_score = Some(log_sum / f64::from(out.scored));
    }
    out
}

/// The API's pinned scorecard, in the same shape.
async fn api_numbers(app: &TestApp, slug: &str, moment: &str) -> Recomputed {
    let json = app
        .get(&format!(
            "/api/v1/experts/{slug}/scorecard?as_of={}",
            query_moment(moment)
        ))
        .await
        .json();
    let count = |name: &str| u32::try_from(json[name].as_u64().unwrap()).unwrap();
    Recomputed {
        right: count("right"),
        wrong: count("wrong"),
        pending: count("pending"),
        annulled: count("annulled"),
        scored: count("scored"),
        brier: json["brier"].as_f64(),
        log_score: json["log_score"].as_f64(),
    }
}

fn same(a: &Recomputed, b: &Recomputed) -> bool {
    let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-12,
        (None, None) => true,
        _ => false,
    };
    (a.right, a.wrong, a.pending, a.annulled, a.scored)
        == (b.right, b.wrong, b.pending, b.annulled, b.scored)
        && close(a.brier, b.brier)
        && close(a.log_score, b.log_score)
}

/// Every expert's pinned API scorecard at each of `moments` equals the re-computation.
async fn assert_scores_recompute(app: &TestApp, moments: &[String]) {
    let app = &fresh_server(app).await;
    let records = read_records(app).await;
    let experts: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM experts")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    for moment in moments {
        for (id, slug) in &experts {
            let expected = recompute(&records, *id, moment);
            if records.experts_retracted[id]
                .as_deref()
                .is_some_and(|at| at <= moment.as_str())
            {
                // Retracted by then: no scorecard is served for that moment.
                let at = query_moment(moment);
                let page = app
                    .get(&format!("/api/v1/experts/{slug}/scorecard?as_of={at}"))
                    .await;
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{slug} as of {moment}");
                continue;
            }
            let served = api_numbers(app, slug, moment).await;
            assert!(
                same(&served, &expected),
                "{slug} as of {moment}: served {served:?}, re-computed {expected:?}"
            );
        }
    }
}

#[tokio::test]
async fn every_pinned_score_equals_a_recomputation_from_the_records_of_its_moment() {
    let (app, session) = demo_with_analyst("ivy").await;
    let mut moments = vec![hindsight::db::last_stamp(&app.db).await.unwrap()];
    // An edit, a retraction, a correction through the form, a back-dated import: a moment
    // pinned after each.
    let (edited, quote, said_on) =
        prediction_of(&app, "joh-han-beom", "strategic-partnership-declared").await;
    let edited = (edited, quote.as_str(), said_on.as_str());
    let reason = "A number was given.";
    edit_to_stated(&app, &session, edited, "likely", "5%", reason).await;
    moments.push(hindsight::db::last_stamp(&app.db).await.unwrap());
    let (retracted, _, _) = prediction_of(&app, "yang-moo-jin", "new-treaty-signed").await;
    app.retract(&session, &format!("/predictions/{retracted}"), "Misquoted.")
        .await;
    moments.push(hindsight::db::last_stamp(&app.db).await.unwrap());
    let id = app.proposition_id("joint-declaration-adopted").await;
    app.correct_outcome(&session, id, "true", "Correction.")
        .await;
    moments.push(hindsight::db::last_stamp(&app.db).await.unwrap());
    dataset::import_json(
        &app.db,
        &resolution_file(
            "treaty-automatic-military-intervention",
            "false",
            "2024-06-01T00:00:00Z",
            "demo-analyst",
        ),
        false,
        None,
    )
    .await
    .unwrap();
    moments.push(hindsight::db::last_stamp(&app.db).await.unwrap());
    // A second edit of the same prediction: three versions, one in force at each moment.
    let reason = "Another reading.";
    edit_to_stated(&app, &session, edited, "likely", "55%", reason).await;
    moments.push(hindsight::db::last_stamp(&app.db).await.unwrap());
    // Moments in between writes too: a millisecond before each stamp.
    let between: Vec<String> = moments
        .iter()
        .skip(1)
        .map(|m| {
            let at = hindsight::domain::dates::parse_moment(m).unwrap()
                - chrono::Duration::milliseconds(1);
            hindsight::domain::dates::format_moment(at)
        })
        .collect();
    moments.extend(between);
    assert_scores_recompute(&app, &moments).await;
    // The pinned numbers really differ from one moment to the next.
    let joh: Vec<Recomputed> = {
        let mut out = Vec::new();
        for moment in &moments[..6] {
            out.push(api_numbers(&app, "joh-han-beom", moment).await);
        }
        out
    };
    assert_eq!(
        joh.iter().map(|r| (r.right, r.wrong)).collect::<Vec<_>>(),
        vec![(2, 2), (1, 3), (1, 3), (1, 3), (2, 2), (3, 1)],
        "{joh:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Random sequences of writes.

#[derive(Clone, Debug)]
enum Write {
    /// Import a file with a resolution (claimed at `back_days` before now) and a new
    /// prediction on `proposition` by `expert`.
    Import {
        proposition: usize,
        expert: usize,
        outcome: usize,
        probability: u8,
        back_days: u16,
    },
    /// Edit the probability of the `prediction`-th prediction on record.
    Edit { prediction: usize, probability: u8 },
    /// Correct the outcome of the `proposition`-th proposition through the form.
    Correct { proposition: usize, outcome: usize },
    /// Retract the `prediction`-th prediction through the form.
    Retract { prediction: usize },
    /// Retract the `expert`-th expert on record through the form.
    RetractExpert { expert: usize },
}

fn writes() -> impl proptest::strategy::Strategy<Value = Vec<Write>> {
    use proptest::prelude::*;
    let write = prop_oneof![
        (0usize..64, 0usize..64, 0usize..3, 1u8..99, 0u16..900).prop_map(
            |(proposition, expert, outcome, probability, back_days)| Write::Import {
                proposition,
                expert,
                outcome,
                probability,
                back_days
            }
        ),
        (0usize..64, 0u8..=100).prop_map(|(prediction, probability)| Write::Edit {
            prediction,
            probability
        }),
        (0usize..64, 0usize..3).prop_map(|(proposition, outcome)| Write::Correct {
            proposition,
            outcome
        }),
        (0usize..64).prop_map(|prediction| Write::Retract { prediction }),
        (0usize..64).prop_map(|expert| Write::RetractExpert { expert }),
    ];
    proptest::collection::vec(write, 4..9)
}

const OUTCOMES: [&str; 3] = ["true", "false", "annulled"];

async fn apply_write(app: &TestApp, session: &str, write: &Write, n: usize) {
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM propositions ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    let experts: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM experts WHERE retracted_at IS NULL ORDER BY id")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    let predictions: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT p.id, p.quote, p.said_on FROM predictions p JOIN experts e ON e.id = p.expert_id
         WHERE p.retracted_at IS NULL AND e.retracted_at IS NULL ORDER BY p.id",
    )
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    match write {
        Write::Import {
            proposition,
            expert,
            outcome,
            probability,
            back_days,
        } => {
            let claimed = chrono::Utc::now() - chrono::Duration::days(i64::from(*back_days) + 1);
            let file = format!(
                r#"{{"format": "hindsight/v1",
                  "sources": [{{"key": "s", "title": "Generated {n}", "outlet": "Test Outlet", "published_on": "2024-06-18"}}],
                  "predictions": [{{"expert": "{expert}", "proposition": "{proposition}", "source": "s", "quote": "Generated quote {n}.", "said_on": "2024-06-18", "basis": "stated", "probability": {p}}}],
                  "resolutions": [{{"proposition": "{proposition}", "outcome": "{outcome}", "decided_on": "{decided}", "rationale": "Generated outcome {n}.", "recorded_by": "demo-analyst", "recorded_at": "{recorded}"}}]}}"#,
                expert = experts[expert % experts.len()],
                proposition = slugs[proposition % slugs.len()],
                outcome = OUTCOMES[outcome % 3],
                p = f64::from(*probability) / 100.0,
                decided = claimed.format("%Y-%m-%d"),
                recorded = hindsight::domain::dates::format_moment(claimed),
            );
            dataset::import_json(&app.db, &file, false, None)
                .await
                .unwrap();
        }
        Write::Edit {
            prediction,
            probability,
        } => {
            let Some((id, quote, said_on)) = predictions.get(prediction % predictions.len().max(1))
            else {
                return;
            };
            let probability = format!("{probability}%");
            let edit = (*id, quote.as_str(), said_on.as_str());
            edit_to_stated(app, session, edit, "", &probability, "Generated edit.").await;
        }
        Write::Correct {
            proposition,
            outcome,
        } => {
            let slug = &slugs[proposition % slugs.len()];
            let id = app.proposition_id(slug).await;
            app.correct_outcome(session, id, OUTCOMES[outcome % 3], "Generated correction.")
                .await;
        }
        Write::RetractExpert { expert } => {
            // Keep a few experts on record for the imports.
            if experts.len() < 4 {
                return;
            }
            let slug = &experts[expert % experts.len()];
            app.retract(
                session,
                &format!("/experts/{slug}"),
                "Generated retraction.",
            )
            .await;
        }
        Write::Retract { prediction } => {
            let Some((id, _, _)) = predictions.get(prediction % predictions.len().max(1)) else {
                return;
            };
            app.retract(
                session,
                &format!("/predictions/{id}"),
                "Generated retraction.",
            )
            .await;
        }
    }
}

/// The numbers of the pages pinned at `moment` that the property test follows.
async fn followed(app: &TestApp, moment: &str) -> Vec<(String, Vec<String>)> {
    let at = query_moment(moment);
    let mut uris = vec![format!("/leaderboard?as_of={at}&min=1")];
    if event_grid_pins(app).await {
        uris.push(format!("/events/{EVENT}?as_of={at}"));
    }
    for slug in ["joh-han-beom", "unnamed-experts-in-seoul", "doo-jin-ho"] {
        uris.push(format!("/experts/{slug}?as_of={at}"));
        uris.push(format!("/api/v1/experts/{slug}/scorecard?as_of={at}"));
        uris.push(format!("/experts/{slug}/badge.svg?as_of={at}"));
    }
    let mut out = Vec::new();
    for uri in uris {
        let raw = fetch(app, Method::GET, &uri).await;
        // An expert retracted by then has no page pinned at that moment: a 404, for good.
        let mut numbers = vec![raw.status.to_string()];
        numbers.extend(self::numbers(&uri, &raw));
        numbers.push(String::from_utf8_lossy(&raw.body).into_owned());
        out.push((uri, numbers));
    }
    out
}

#[tokio::test]
async fn a_page_pinned_at_any_moment_never_changes_under_random_writes() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let started = std::time::Instant::now();
    let mut cases = 0;
    while cases < 10 && started.elapsed() < std::time::Duration::from_secs(12) {
        let sequence = writes().new_tree(&mut runner).unwrap().current();
        let (app, session) = demo_with_analyst("pat").await;
        let mut pinned = Vec::new();
        let first = hindsight::db::last_stamp(&app.db).await.unwrap();
        pinned.push((first.clone(), followed(&app, &first).await));
        for (n, write) in sequence.iter().enumerate() {
            apply_write(&app, &session, write, n).await;
            let moment = hindsight::db::last_stamp(&app.db).await.unwrap();
            pinned.push((moment.clone(), followed(&app, &moment).await));
        }
        let restarted = fresh_server(&app).await;
        for (moment, pages) in &pinned {
            for ((uri, now), (_, then)) in followed(&restarted, moment).await.iter().zip(pages) {
                if now != then {
                    let differ: Vec<(usize, &String, &String)> = now
                        .iter()
                        .zip(then)
                        .enumerate()
                        .filter(|(_, (a, b))| a != b)
                        .map(|(i, (a, b))| (i, b, a))
                        .take(3)
                        .collect();
                    panic!("{uri} changed after {sequence:?}: (index, then, now) {differ:#?}");
                }
            }
        }
        let moments: Vec<String> = pinned.iter().map(|(m, _)| m.clone()).collect();
        assert_scores_recompute(&app, &moments).await;
        cases += 1;
    }
    assert!(cases >= 2, "at least two sequences ran ({cases})");
}

#[tokio::test]
async fn an_expert_retraction_leaves_every_pinned_page_as_it_was() {
    let (app, session) = demo_with_analyst("kit").await;
    pinned_pages_survive(&app, "an expert's retraction", || async {
        app.retract(
            &session,
            "/experts/asia-business-daily-desk",
            "Not an expert: a news desk.",
        )
        .await;
    })
    .await;
    assert_eq!(
        app.get("/experts/asia-business-daily-desk").await.status,
        StatusCode::NOT_FOUND,
        "gone from the live pages"
    );
    assert!(
        !app.get("/leaderboard?min=1")
            .await
            .body
            .contains("asia-business-daily-desk")
    );
}

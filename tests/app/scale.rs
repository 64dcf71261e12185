//! Pages stay readable (and small) when the archive is large: long lists come a page at a time.

use axum::http::StatusCode;

use crate::helpers::{TestApp, attribute, select, spawn_empty_app};

async fn generated(predictions: usize, experts: usize) -> TestApp {
    let app = spawn_empty_app().await;
    app.import_generated(predictions, experts, 5).await;
    app
}

#[tokio::test]
async fn the_leaderboard_comes_a_hundred_at_a_time() {
    let app = generated(3_000, 250).await;
    let first = app.html("/leaderboard").await;
    let ranks = select(
        &first,
        "table.leaderboard tbody tr:not(.crowd) td:first-child",
    );
    assert_eq!(ranks.len(), 100);
    assert_eq!(ranks[0], "1");
    let caption = select(&first, "table.leaderboard caption")[0].clone();
    assert!(caption.contains("100 a page: page 1 of"), "{caption}");
    let next = attribute(&first, ".pager a[rel=next]", "href");
    assert_eq!(next, "/leaderboard?page=2");
    let second = app.html(&next).await;
    assert_eq!(
        select(
            &second,
            "table.leaderboard tbody tr:not(.crowd) td:first-child"
        )[0],
        "101"
    );
    assert_eq!(
        attribute(&second, ".pager a[rel=prev]", "href"),
        "/leaderboard?page=1"
    );
    // Choices are kept from page to page.
    let filtered = app.html("/leaderboard?min=1&topic=security").await;
    assert_eq!(select(&filtered, ".pager a[rel=next]"), ["Lower →"]);
    assert_eq!(
        attribute(&filtered, ".pager a[rel=next]", "href"),
        "/leaderboard?topic=security&min=1&page=2"
    );
    let past_the_end = app.get("/leaderboard?page=0").await;
    assert_eq!(past_the_end.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_prolific_experts_scorecard_shows_the_newest_fifty_and_links_to_the_rest() {
    let app = generated(3_000, 250).await;
    // The generator quotes its first expert most.
    let page = app.html("/experts/expert-0").await;
    assert_eq!(select(&page, "article.prediction").len(), 50);
    let total: i64 = app.scalar("SELECT COUNT(*) FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'expert-0'").await;
    assert!(total > 50, "{total}");
    assert_eq!(
        select(&page, "#predictions-heading .count"),
        vec![total.to_string()]
    );
    assert_eq!(
        attribute(&page, "p.more a", "href"),
        "/predictions?expert=expert-0"
    );
    // With hundreds of experts, the filter is a text field, not a list of every name.
    let list = app.html("/predictions?expert=expert-0").await;
    assert_eq!(attribute(&list, "input#f-expert", "value"), "expert-0");
    assert!(select(&list, "select#f-expert").is_empty());
}

/// The live leaderboard, kept in memory and updated proposition by proposition, says what a
/// full computation from the database says, after each kind of write.
#[tokio::test]
async fn the_live_leaderboard_matches_a_full_computation_after_every_kind_of_write() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    let session = app.analyst("lee").await;

    async fn rows(app: &TestApp, uri: &str) -> Vec<String> {
        select(&app.html(uri).await, "table.leaderboard tbody tr")
    }
    async fn agree(app: &TestApp, after: &str) {
        let live = rows(app, "/leaderboard").await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let now = hindsight::domain::dates::format_moment(chrono::Utc::now());
        let query = crate::helpers::encode(&[("as_of", &now)]);
        let full = rows(app, &format!("/leaderboard?{query}")).await;
        assert!(!live.is_empty());
        assert_eq!(live, full, "after {after}");
    }

    agree(&app, "the demo").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let saved = app
        .record_outcome(&session, id, "false", "No article on reunification.")
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    agree(&app, "an outcome").await;

    let prediction: i64 = app.scalar("SELECT p.id FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'jeh-sung-hoon' LIMIT 1").await;
    app.retract(
        &session,
        &format!("/predictions/{prediction}"),
        "Misattributed quote.",
    )
    .await;
    agree(&app, "a retraction").await;

    // Names are kept in memory too: a rename and a retracted expert show at once.
    let renamed = app
        .post_as(
            &session,
            "/experts/joh-han-beom/edit",
            &[
                ("name", "Joh Han-beom (KINU)"),
                ("kind", "person"),
                (
                    "affiliation",
                    "Korea Institute for National Unification (KINU)",
                ),
                ("reason", "Name as the institute prints it."),
            ],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    agree(&app, "a rename").await;
    assert!(
        rows(&app, "/leaderboard")
            .await
            .iter()
            .any(|row| row.contains("Joh Han-beom (KINU)"))
    );
    let experts_before = select(&app.html("/experts").await, "table.experts tbody tr").len();
    app.retract(
        &session,
        "/experts/jeh-sung-hoon",
        "Not an expert on this subject.",
    )
    .await;
    agree(&app, "an expert's retraction").await;
    assert!(
        !rows(&app, "/leaderboard")
            .await
            .iter()
            .any(|row| row.contains("Jeh Sung-hoon"))
    );
    let experts_page = app.html("/experts").await;
    assert_eq!(
        select(&experts_page, "table.experts tbody tr").len(),
        experts_before - 1
    );
    assert!(!experts_page.html().contains("Jeh Sung-hoon"));

    app.import_generated(400, 40, 9).await;
    agree(&app, "an import").await;
    // Large enough to be a bulk load, which queues each of its propositions for scoring once,
    // at the end, instead of one entry per prediction as it is written.
    app.import_generated(3_000, 60, 10).await;
    agree(&app, "a bulk import").await;
}

/// At ten thousand predictions the lists stay a page long: experts a hundred a page, events
/// twenty, and a count that stops at ten thousand.
#[tokio::test]
async fn long_lists_come_a_page_at_a_time_and_counts_stop_at_ten_thousand() {
    let app = generated(10_100, 250).await;

    let experts = app.html("/experts").await;
    assert_eq!(select(&experts, "table.experts tbody tr").len(), 100);
    let caption = select(&experts, "table.experts caption")[0].clone();
    assert!(
        caption.starts_with("250 experts, by name, 100 a page: page 1 of 3"),
        "{caption}"
    );
    let next = attribute(&experts, ".pager a[rel=next]", "href");
    assert_eq!(next, "/experts?page=2");
    let last = app.html("/experts?page=3").await;
    assert_eq!(select(&last, "table.experts tbody tr").len(), 50);
    let first_names = select(&experts, "table.experts tbody th a");
    let mut sorted = first_names.clone();
    sorted.sort();
    assert_eq!(first_names, sorted, "by name");

    let events: i64 = app.scalar("SELECT COUNT(*) FROM events").await;
    let list = app.html("/events").await;
    assert_eq!(
        i64::try_from(select(&list, "ul.cards > li").len()).unwrap(),
        events.min(20)
    );
    let home = app.html("/").await;
    assert!(select(&home, "ul.cards > li").len() <= 6);
    assert_eq!(
        select(&home, "section p > a[href='/events']")[0],
        format!("All {events} events →")
    );
    assert!(
        select(&home, "p.totals")[0].starts_with("250 experts · 10100 predictions"),
        "{:?}",
        select(&home, "p.totals")
    );

    let predictions = app.html("/predictions").await;
    let count = select(&predictions, "p.result-count")[0].clone();
    assert_eq!(
        count,
        "Showing 1–25 of more than 10000 predictions · page 1"
    );
    assert_eq!(
        attribute(&predictions, ".pager a[rel=next]", "href"),
        "/predictions?page=2"
    );
    // Pages reach the ten thousandth prediction and stop there, without a link past it.
    let deep = app.html("/predictions?page=400").await;
    assert!(
        select(&deep, "p.result-count")[0]
            .starts_with("Showing 9976\u{2013}10000 of more than 10000 predictions"),
        "{:?}",
        select(&deep, "p.result-count")
    );
    assert!(select(&deep, ".pager a[rel=next]").is_empty());
    assert_eq!(
        app.get("/predictions?page=401").await.status,
        axum::http::StatusCode::BAD_REQUEST
    );
    let api = app.get("/api/v1/predictions?per_page=100").await.json();
    assert_eq!(api["total"].as_i64(), Some(10_000));
    assert_eq!(api["more"].as_bool(), Some(true));
    // A narrow filter is counted exactly.
    let one = app.get("/api/v1/predictions?expert=expert-3").await.json();
    assert_eq!(one["more"].as_bool(), Some(false));
    let exact: i64 = app.scalar("SELECT COUNT(*) FROM predictions p JOIN experts e ON e.id = p.expert_id WHERE e.slug = 'expert-3'").await;
    assert_eq!(one["total"].as_i64(), Some(exact));
}

/// With more experts than a list can hold, the new-prediction form asks for the expert's
/// address and takes it as typed, path or whole URL.
#[tokio::test]
async fn the_prediction_form_takes_a_typed_address_when_the_list_would_be_too_long() {
    let app = generated(600, 250).await;
    let session = app.analyst("lee").await;
    let form = app.get_as("/predictions/new", Some(&session)).await.html();
    assert!(select(&form, "select#f-expert").is_empty());
    assert_eq!(select(&form, "input#f-expert[type=text]").len(), 1);
    let proposition = attribute(
        &form,
        "select#f-proposition option[value]:not([value=''])",
        "value",
    );
    let source = attribute(
        &form,
        "select#f-source option[value]:not([value=''])",
        "value",
    );
    let before = app.count("predictions").await;
    let post = |expert: &'static str, proposition: String, quote: &'static str| {
        let source = source.clone();
        let (app, session) = (&app, &session);
        async move {
            app.post_as(
                session,
                "/predictions/new",
                &[
                    ("expert", expert),
                    ("proposition", proposition.as_str()),
                    ("source", source.as_str()),
                    ("quote", quote),
                    ("said_on", "2024-06-17"),
                    ("hedge_words", ""),
                    ("basis", "stated"),
                    ("scale_term", ""),
                    ("probability", "0.95"),
                    ("basis_note", ""),
                ],
            )
            .await
        }
    };
    let saved = post(
        "http://localhost/experts/expert-3/",
        proposition.clone(),
        "It is a near certainty.",
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/experts/expert-3");
    assert_eq!(app.count("predictions").await, before + 1);
    // A proposition typed as its page's address: its number.
    let number = app.proposition_id(&proposition).await;
    let by_number = post(
        "expert-4",
        format!("/propositions/{number}"),
        "Typed by its number.",
    )
    .await;
    assert_eq!(
        by_number.status,
        StatusCode::SEE_OTHER,
        "{}",
        by_number.body
    );
    let stored: i64 = app
        .scalar("SELECT proposition_id FROM predictions WHERE quote = 'Typed by its number.'")
        .await;
    assert_eq!(stored, number);
    let unknown = post("no-such-expert", proposition.clone(), "Another.").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("predictions").await, before + 2);
}

/// Events and sources are listed newest first a page at a time; SQLite must read them in that
/// order from an index, or it counts the predictions of every one of them to sort them.
#[tokio::test]
async fn events_and_sources_are_read_in_order_from_an_index() {
    let app = crate::helpers::spawn_app().await;
    for (query, index) in [
        (
            "SELECT ev.id FROM events ev ORDER BY ev.starts_on DESC, ev.title LIMIT 20 OFFSET 0",
            "events_by_start",
        ),
        (
            "SELECT s.id FROM sources s ORDER BY s.published_on DESC, s.outlet, s.id LIMIT 50 OFFSET 0",
            "sources_by_date",
        ),
    ] {
        let steps = app.query_plan(query).await;
        assert!(steps.iter().any(|s| s.contains(index)), "{steps:?}");
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{steps:?}"
        );
    }
}

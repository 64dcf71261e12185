use axum::http::StatusCode;

use crate::helpers::{TestApp, attribute, demo_html, select, spawn_app, spawn_empty_app};
use crate::tables::assert_texts;

/// The people, groups and anonymous speakers quoted in the five seed articles.
const SEED_EXPERTS: [&str; 15] = [
    "Doo Jin-ho",
    "Hyun Seung-soo",
    "Jeh Sung-hoon",
    "Joh Han-beom",
    "Kim Sung-bae and Kim Jong-won",
    "Konstantin Asmolov",
    "Lim Eul-chul",
    "Senior South Korean presidential official",
    "South Korean government",
    "The Asia Business Daily (news desk)",
    "Unnamed diplomatic sources",
    "Unnamed experts (The Hankyoreh, 17 June 2024)",
    "Unnamed experts (report of 13 June 2024)",
    "Unnamed experts in Seoul",
    "Yang Moo-jin",
];

/// The demo and its proposition on the treaty's automatic intervention clause, on which the
/// experts split.
async fn demo_and_automatic_intervention() -> (TestApp, i64) {
    let app = spawn_app().await;
    let id = app
        .proposition_id("treaty-automatic-military-intervention")
        .await;
    (app, id)
}

#[tokio::test]
async fn experts_lists_every_seed_expert_exactly_once() {
    let app = spawn_app().await;
    let page = app.get_ok("/experts").await;
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    let names = select(&page.html(), "table.experts tbody th a");
    let mut expected: Vec<String> = SEED_EXPERTS.iter().map(ToString::to_string).collect();
    expected.sort();
    let mut listed = names.clone();
    listed.sort();
    assert_eq!(listed, expected, "each seed expert once, no one else");
    // "Cho Han-bum" (one article's romanization) is the same person, shown as an alias.
    let aliases = select(&page.html(), "table.experts tbody th .aliases");
    assert_eq!(aliases, vec!["also Cho Han-bum"]);
}

#[tokio::test]
async fn event_grid_shows_who_was_right_on_automatic_intervention() {
    let (app, id) = demo_and_automatic_intervention().await;
    let page = app.get_ok("/events/putin-visit-pyongyang-2024").await;
    let html = page.html();
    let columns: Vec<String> = html
        .select(&scraper::Selector::parse("#grid thead th.qcol").unwrap())
        .map(|th| {
            th.value()
                .attr("data-proposition")
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let column = columns
        .iter()
        .position(|c| *c == id.to_string())
        .expect("the question has a column");
    let header = select(&html, "#grid thead th.qcol")[column].clone();
    assert!(header.ends_with("True"), "the clause was signed: {header}");

    let row_selector = scraper::Selector::parse("#grid tbody tr").unwrap();
    let cell_selector = scraper::Selector::parse("td.cell").unwrap();
    let link_selector = scraper::Selector::parse("a.cellpred").unwrap();
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    for row in html.select(&row_selector) {
        let expert = row
            .value()
            .attr("data-expert")
            .unwrap_or_default()
            .to_string();
        let cell = row
            .select(&cell_selector)
            .nth(column)
            .expect("a cell per column");
        for prediction in cell.select(&link_selector) {
            let text: String = prediction.text().collect();
            match prediction.value().attr("data-verdict") {
                Some("wrong") => {
                    assert!(
                        text.contains('\u{2717}') && text.contains("Wrong"),
                        "mark and word, not colour alone: {text}"
                    );
                    wrong.push(expert.clone());
                }
                Some("right") => right.push(expert.clone()),
                other => panic!("{expert} has an unexpected verdict {other:?}"),
            }
        }
    }
    wrong.sort();
    assert_eq!(
        wrong,
        vec![
            "asia-business-daily-desk",
            "hyun-seung-soo",
            "jeh-sung-hoon",
            "joh-han-beom",
            "kim-sung-bae-kim-jong-won",
            "many-experts-hankyoreh"
        ]
    );
    assert!(right.is_empty(), "nobody predicted the clause: {right:?}");
}

#[tokio::test]
async fn event_grid_totals_each_expert() {
    let app = spawn_app().await;
    let html = app.html("/events/putin-visit-pyongyang-2024").await;
    let row = scraper::Selector::parse(
        "#grid tbody tr[data-expert=\"unnamed-diplomatic-sources\"] td.num",
    )
    .unwrap();
    let totals: Vec<String> = html.select(&row).map(|td| td.text().collect()).collect();
    // Three right, none wrong; Brier (0.01 + 0.105625 + 0.01) / 3 = 0.041875.
    assert_eq!(totals, vec!["3", "0", "0.042"]);
}

#[tokio::test]
async fn expert_page_shows_profile_summary_and_every_prediction() {
    let app = spawn_app().await;
    let page = app.get_ok("/experts/joh-han-beom").await;
    let html = page.html();
    assert_eq!(select(&html, "h1"), vec!["Joh Han-beom"]);
    assert_eq!(
        select(&html, ".profile .role"),
        vec!["Senior research fellow, Korea Institute for National Unification (KINU)"]
    );
    // Hand count: right on strategic partnership and no technology transfer; wrong on the
    // intervention clause and (as Cho Han-bum) on military commitments; workers annulled.
    assert_eq!(select(&html, ".tally dd.num"), vec!["2", "2", "0", "1"]);
    assert_eq!(select(&html, ".score.hit .score-value"), vec!["50%"]);
    assert!(select(&html, ".score.hit .score-n")[0].contains("2 right of 4 calls"));
    assert_eq!(select(&html, "article.prediction").len(), 5);
    let quotes = select(&html, "article.prediction blockquote");
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("Cho Han-bum, a senior researcher at KINU")),
        "the alias's quote is his"
    );
    let verdicts = select(&html, "article.prediction .verdict");
    assert_eq!(verdicts.iter().filter(|v| v.ends_with("Right")).count(), 2);
    assert_eq!(verdicts.iter().filter(|v| v.ends_with("Wrong")).count(), 2);
    assert_eq!(
        verdicts.iter().filter(|v| v.ends_with("Annulled")).count(),
        1
    );
    let basis = select(&html, "article.prediction .basis");
    assert!(
        basis.contains(
            &"ICD 203 (US Intelligence Community): \u{201c}very unlikely\u{201d}".to_string()
        ),
        "{basis:?}"
    );
    assert!(basis.contains(&"analyst's judgement".to_string()));
    let sources = select(&html, "article.prediction .cite a");
    assert!(
        sources
            .iter()
            .all(|s| s.starts_with("The Asia Business Daily")
                || s.starts_with("Unidentified outlet")),
        "{sources:?}"
    );
}

#[tokio::test]
async fn group_expert_names_its_members() {
    let html = demo_html("/experts/kim-sung-bae-kim-jong-won").await;
    assert_texts(
        &html,
        &[(".members", "Speaking as one: Kim Sung-bae and Kim Jong-won")],
    );
    assert_eq!(
        select(&html, ".tally dd.num")[..2],
        ["0".to_string(), "2".to_string()]
    );
}

#[tokio::test]
async fn proposition_page_shows_predictions_outcome_and_history() {
    let (app, id) = demo_and_automatic_intervention().await;
    let page = app.get_ok(&format!("/propositions/{id}")).await;
    let html = page.html();
    assert_eq!(select(&html, "article.prediction").len(), 6);
    assert_eq!(select(&html, ".outcome-box .outcome"), vec!["True"]);
    let history = select(&html, "ol.history > li .tag");
    assert_eq!(
        history,
        vec!["current", "superseded"],
        "the correction and the entry it superseded"
    );
    assert!(
        select(&html, "ol.history > li")[0].contains("Outcome unchanged; evidence strengthened")
    );
    assert!(select(&html, ".criteria p")[0].contains("A duty only to consult does not count"));
}

#[tokio::test]
async fn undecided_proposition_says_so() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let html = app.html(&format!("/propositions/{id}")).await;
    assert_texts(
        &html,
        &[
            (".outcome-box .outcome", "Not yet decided"),
            ("article.prediction .verdict", "\u{2026} Pending"),
        ],
    );
}

#[tokio::test]
async fn source_page_cites_the_article_and_lists_its_predictions() {
    let app = spawn_app().await;
    let id = app.id_where("sources", "outlet = 'The Korea Herald'").await;
    let html = app.html(&format!("/sources/{id}")).await;
    assert_texts(
        &html,
        &[
            ("h1", "Seoul says Putin to visit N. Korea 'in a few days'"),
            (".profile .role", "By Ji Da-gyum and Son Ji-hyoung"),
        ],
    );
    // Lim 2, Jeh 3, Hyun 2 (the treaty, tourism), the presidential official 2, unnamed
    // experts in Seoul 2 (military commitments, workers), diplomatic sources 1.
    assert_eq!(select(&html, "article.prediction").len(), 12);
}

#[tokio::test]
async fn overview_shows_events_outcomes_due_and_leaders() {
    let app = spawn_app().await;
    let page = app.get_ok("/").await;
    let html = page.html();
    assert_eq!(
        select(&html, ".cards .card h3 a"),
        vec!["Putin's visit to Pyongyang, June 2024"]
    );
    // Experts, predictions, propositions, sources: see import::the_demo_loads_everything_once.
    assert_eq!(select(&html, ".totals .num"), vec!["15", "36", "14", "5"]);
    let latest = select(&html, "section[aria-labelledby=latest-heading] li a");
    assert_eq!(
        latest[0], "The summit produces a treaty with an automatic military intervention clause.",
        "the 2025 correction is newest"
    );
    // Every demo proposition has an outcome (reunification, which no source settles, is
    // annulled): none is due. With that outcome left out, it is.
    let due = select(&html, "section[aria-labelledby=due-heading] li a");
    assert!(due.is_empty(), "{due:?}");
    let open = crate::helpers::spawn_app_with_an_open_question().await;
    let due = select(
        &open.get("/").await.html(),
        "section[aria-labelledby=due-heading] li a",
    );
    assert_eq!(
        due,
        vec!["The treaty signed during the visit mentions Korean reunification."]
    );
}

/// "Leaders" on the home page are the top of the leaderboard, in its order and with its
/// minimum: one ranking under one word, not a second one by the hit rate's interval.
#[tokio::test]
async fn the_home_pages_leaders_are_the_top_of_the_leaderboard() {
    let app = spawn_app().await;
    let home = app.html("/").await;
    let leaders = select(&home, "section[aria-labelledby=leaders-heading] tbody th a");
    let board = app.html("/leaderboard").await;
    let ranked = select(&board, "table.leaderboard tbody tr:not(.crowd) th a");
    assert_eq!(leaders.len(), 5, "{leaders:?}");
    assert_eq!(
        leaders[..],
        ranked[..5],
        "the same experts in the same order"
    );
    let note = select(&home, "section[aria-labelledby=leaders-heading] .note").join(" ");
    assert!(
        note.contains("relative Brier") && note.contains("at least 3 scored predictions"),
        "{note}"
    );
    let home_first = select(
        &home,
        "section[aria-labelledby=leaders-heading] tbody tr:first-child td.num",
    );
    let board_first = select(&board, "table.leaderboard tbody tr:first-child td.num");
    assert_eq!(
        home_first[..2],
        [
            board_first[0].clone(),
            board_first[2]
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string()
        ],
        "rank 1 and its relative Brier, as the leaderboard shows them"
    );
}

#[tokio::test]
async fn an_empty_database_still_renders_every_listing() {
    let app = spawn_empty_app().await;
    for uri in ["/", "/experts", "/events", "/predictions"] {
        app.get_ok(uri).await;
    }
    assert_eq!(
        select(&app.html("/predictions").await, ".result-count"),
        vec!["No predictions match."]
    );
}

#[tokio::test]
async fn unknown_addresses_get_a_helpful_404() {
    let app = spawn_app().await;
    let missing = [
        ("/experts/nobody", "Expert not found"),
        ("/events/nothing", "Event not found"),
        ("/propositions/999999", "Proposition not found"),
        ("/propositions/abc", "Proposition not found"),
        ("/sources/999999", "Source not found"),
        ("/sources/-1", "Source not found"),
        ("/no/such/page", "Page not found"),
    ];
    for ((uri, heading), page) in app.get_each(StatusCode::NOT_FOUND, missing).await {
        let html = page.html();
        assert_eq!(select(&html, "h1"), vec![heading], "{uri}");
        assert!(
            !select(&html, ".error .links a").is_empty(),
            "{uri} offers a way on"
        );
    }
}

#[tokio::test]
async fn health_check_reports_the_database() {
    let app = spawn_app().await;
    let page = app.get_ok("/healthz").await;
    let body: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
}

#[tokio::test]
async fn health_check_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.close().await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn style_sheet_is_served() {
    let app = spawn_app().await;
    let page = app.get_ok("/static/style.css").await;
    assert!(page.content_type.starts_with("text/css"));
    assert!(page.body.contains("prefers-color-scheme: dark"));
}

#[tokio::test]
async fn every_page_has_landmarks_and_a_title() {
    let app = spawn_app().await;
    let id = app.proposition_id("new-treaty-signed").await;
    for uri in [
        "/".to_string(),
        "/experts".into(),
        "/experts/yang-moo-jin".into(),
        "/events".into(),
        "/events/putin-visit-pyongyang-2024".into(),
        format!("/propositions/{id}"),
        "/predictions".into(),
        "/sources/1".into(),
    ] {
        let html = app.html(&uri).await;
        assert_eq!(select(&html, "main#main").len(), 1, "{uri}");
        assert_eq!(select(&html, "nav[aria-label=Main]").len(), 1, "{uri}");
        assert_eq!(select(&html, "h1").len(), 1, "{uri} has one heading");
        assert!(select(&html, "title")[0].ends_with("· Hindsight"), "{uri}");
        assert_eq!(select(&html, "html[lang=en]").len(), 1);
    }
}

#[tokio::test]
async fn the_estimative_scales_are_a_page_every_footer_links_to() {
    let app = spawn_app().await;
    let home = app.html("/").await;
    assert_eq!(
        attribute(&home, "footer a[href='/scales']", "href"),
        "/scales"
    );
    let page = app.get_ok("/scales").await;
    let html = page.html();
    assert_eq!(
        select(&html, "section h2"),
        vec![
            "ICD 203 (US Intelligence Community)",
            "Sherman Kent (1964)",
            "UK probability yardstick"
        ]
    );
    // ICD 203: "very unlikely" spans 5–20% and is scored as its middle.
    let rows = select(&html, "#scale-icd-203 ~ div tbody tr");
    assert_eq!(rows.len(), 14, "{rows:?}");
    assert!(
        rows.iter().any(|row| row == "very unlikely5%–20%12.5%"),
        "{rows:?}"
    );
}

/// Counts on pages take their noun through one filter: "15 experts, by name".
#[tokio::test]
async fn counts_take_their_noun_in_the_right_number() {
    let app = spawn_app().await;
    let caption = select(&app.html("/experts").await, "caption").join(" ");
    assert!(caption.starts_with("15 experts, by name"), "{caption}");
}

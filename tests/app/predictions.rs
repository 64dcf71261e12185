use axum::http::StatusCode;
use hindsight::db::predictions::{self, Order, PredictionFilter};
use hindsight::domain::Verdict;
use hindsight::domain::dates::AsOf;

use crate::helpers::{TestApp, select, spawn_app};
use crate::tables::assert_texts;

/// Who made each prediction the page at `uri` lists, in its order.
async fn speakers(app: &TestApp, uri: &str) -> Vec<String> {
    select(&app.html(uri).await, "article.prediction .who")
}

#[tokio::test]
async fn lists_all_predictions_newest_first_in_pages_of_25() {
    let app = spawn_app().await;
    let first = app.html("/predictions").await;
    assert_texts(
        &first,
        &[(
            ".result-count",
            "Showing 1–25 of 36 predictions · page 1 of 2",
        )],
    );
    assert_eq!(select(&first, "article.prediction").len(), 25);
    assert_eq!(select(&first, ".pager a[rel=next]"), vec!["Older →"]);
    let second = app.html("/predictions?page=2").await;
    assert_eq!(select(&second, "article.prediction").len(), 11);
    assert_eq!(select(&second, ".pager a[rel=prev]"), vec!["← Newer"]);
    assert!(select(&second, ".pager a[rel=next]").is_empty());
    let beyond = app.get_ok("/predictions?page=9").await;
    assert_eq!(select(&beyond.html(), "article.prediction").len(), 0);
}

#[tokio::test]
async fn outcome_filter_agrees_with_the_domain_rule() {
    let app = spawn_app().await;
    let all = predictions::list(
        &app.db,
        &PredictionFilter::default(),
        AsOf::Live,
        Order::SaidDescending,
        1000,
        0,
    )
    .await
    .unwrap();
    let mut listed = 0;
    for verdict in [
        Verdict::Right,
        Verdict::Wrong,
        Verdict::NoCall,
        Verdict::Pending,
        Verdict::Annulled,
    ] {
        let filter = PredictionFilter {
            verdict: Some(verdict),
            ..PredictionFilter::default()
        };
        let rows = predictions::list(&app.db, &filter, AsOf::Live, Order::SaidDescending, 1000, 0)
            .await
            .unwrap();
        assert!(rows.iter().all(|r| r.verdict() == verdict), "{verdict:?}");
        let expected = all.iter().filter(|r| r.verdict() == verdict).count();
        assert_eq!(rows.len(), expected, "{verdict:?}");
        listed += rows.len();
    }
    assert_eq!(
        listed,
        all.len(),
        "every prediction falls in exactly one status"
    );
    // Hand count from the demo data: 18 right, 14 wrong, 0 pending, 4 annulled (36). Right
    // gains Lim on the treaty (70%, true) and Hyun on cooperation agreements (67.5%, true);
    // wrong gains the 13 June report's sentence, now held by the government and that report's
    // experts (32.5% on the treaty, signed); pending loses Jeh on reunification, annulled.
    let page = app.html("/predictions?status=wrong").await;
    assert_eq!(
        select(&page, ".result-count"),
        vec!["Showing 1–14 of 14 predictions"]
    );
    assert!(
        select(&page, "article.prediction .verdict")
            .iter()
            .all(|v| v.ends_with("Wrong"))
    );
}

#[tokio::test]
async fn filters_combine_and_stay_in_the_form_and_page_links() {
    let app = spawn_app().await;
    let html = app
        .html("/predictions?expert=joh-han-beom&status=right")
        .await;
    assert_eq!(select(&html, "article.prediction").len(), 2);
    assert_eq!(
        select(&html, "#f-expert option[selected]"),
        vec!["Joh Han-beom"]
    );
    assert_eq!(select(&html, "#f-status option[selected]"), vec!["Right"]);

    let html = app.html("/predictions?outlet=The+Hankyoreh").await;
    // Doo 2, the two Kims 2, unnamed experts 1, diplomatic sources 1.
    assert_eq!(select(&html, "article.prediction").len(), 6);
    assert!(
        select(&html, "article.prediction .cite a")
            .iter()
            .all(|c| c.starts_with("The Hankyoreh"))
    );

    let html = app
        .html("/predictions?event=putin-visit-pyongyang-2024&q=Armenia")
        .await;
    assert_eq!(
        select(&html, "article.prediction .who"),
        vec!["Kim Sung-bae and Kim Jong-won"]
    );
    assert_eq!(select(&html, "#f-q").len(), 1);

    assert_eq!(
        speakers(&app, "/predictions?q=reunification").await,
        vec!["Jeh Sung-hoon"],
        "matches the proposition's words too"
    );

    // An alias finds its expert's predictions.
    let html = app.html("/predictions?q=Cho+Han-bum").await;
    assert_eq!(select(&html, "article.prediction").len(), 5);

    // Workers (Joh, unnamed experts in Seoul), tourism (Hyun), reunification (Jeh).
    let html = app.html("/predictions?status=annulled").await;
    assert_eq!(select(&html, "article.prediction").len(), 4);
    let html = app.html("/predictions?q=the").await;
    let next = scraper::Selector::parse(".pager a[rel=next]").unwrap();
    let link = html
        .select(&next)
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_default();
    assert_eq!(link, "/predictions?q=the&page=2");
}

#[tokio::test]
async fn search_text_with_wildcards_matches_literally() {
    let app = spawn_app().await;
    let html = app.html("/predictions?q=%25").await;
    assert_texts(&html, &[(".result-count", "No predictions match.")]);
    let html = app.html("/predictions?q=2%2B2").await;
    // The two predictions on the 2+2 dialogue, whose proposition says "2+2".
    assert_eq!(
        select(&html, "article.prediction").len(),
        2,
        "the literal '2+2'"
    );
}

#[tokio::test]
async fn a_bad_parameter_gets_a_400_that_names_it() {
    let app = spawn_app().await;
    let refused = app
        .assert_each_refused([
            ("/predictions?page=0", "page"),
            ("/predictions?page=two", "page"),
            ("/predictions?page=-3", "page"),
            ("/predictions?status=maybe", "status"),
            ("/predictions?expert=nobody", "expert"),
            ("/predictions?event=olympics", "event"),
            ("/predictions?outlet=The+Daily+Planet", "outlet"),
        ])
        .await;
    for ((uri, parameter), html) in refused {
        assert_eq!(
            select(&html, "h1"),
            vec![format!(
                "The parameter \u{201c}{parameter}\u{201d} is not valid"
            )],
            "{uri}"
        );
    }
    let long = format!("/predictions?q={}", "a".repeat(201));
    assert_eq!(app.get(&long).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn empty_parameters_are_ignored_and_unknown_ones_refused() {
    let app = spawn_app().await;
    let refused = app.get("/predictions?sort=new&expert=").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(select(&refused.html(), ".error code"), vec!["sort"]);
    let page = app.get_ok("/predictions?expert=&status=&q=").await;
    assert_eq!(select(&page.html(), "article.prediction").len(), 25);
}

#[tokio::test]
async fn search_ranks_the_best_match_first_and_highlights_the_words() {
    let app = spawn_app().await;
    let query = "/predictions?q=automatic+intervention+clause";
    let page = app.get(query).await;
    let html = page.html();
    let who = select(&html, "article.prediction .who");
    // Hyun's quote has all three words; others have them only in the proposition's statement.
    assert_eq!(who[0], "Hyun Seung-soo", "{who:?}");
    assert!(
        page.body
            .contains("<mark>automatic</mark> <mark>intervention</mark> <mark>clause</mark>")
    );
    assert_eq!(
        speakers(&app, "/predictions?q=reunif").await,
        vec!["Jeh Sung-hoon"],
        "the last word matches as a prefix"
    );
    let accents = app.get("/predictions?q=Seoul%E2%80%99s+unlikely").await;
    assert_eq!(
        accents.status,
        StatusCode::OK,
        "punctuation typed by a reader cannot break the query"
    );
}

#[tokio::test]
async fn highlighting_never_lets_markup_through() {
    let quote = "<b onmouseover=alert(1)>Armenia</b> again";
    let app = TestApp::demo_with_one_quote("T", quote).await;
    let page = app.get("/predictions?q=Armenia").await;
    assert!(!page.body.contains("<b onmouseover"), "escaped");
    assert!(
        page.body
            .contains("&lt;b onmouseover=alert(1)&gt;<mark>Armenia</mark>&lt;/b&gt; again")
    );
}

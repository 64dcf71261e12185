use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hindsight::db::dataset;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{TestApp, attribute, select, spawn_app};

/// Records an outcome now, through the import path (the outcome form arrives with accounts).
async fn record_outcome(app: &TestApp, proposition: &str, outcome: &str) {
    let now = hindsight::domain::dates::format_moment(chrono::Utc::now());
    let text = format!(
        r#"{{"format": "hindsight/v1", "resolutions": [{{"proposition": "{proposition}", "outcome": "{outcome}", "decided_on": "2024-12-04",
        "rationale": "Test outcome.", "recorded_by": "demo-analyst", "recorded_at": "{now}"}}]}}"#
    );
    dataset::import_json(&app.db, &text, false, None)
        .await
        .unwrap();
}

async fn get_with(
    app: &TestApp,
    uri: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes().to_vec(),
    )
}

#[tokio::test]
async fn the_scorecard_headline_matches_the_hand_computed_scores() {
    let app = spawn_app().await;
    let html = app.html("/experts/joh-han-beom").await;
    // See domain::scoring tests for the arithmetic: Brier 0.33421875, relative +0.201875 over
    // three propositions, log 0.9454543, 2 of 4 right.
    assert_eq!(
        select(&html, ".scores .score-value"),
        vec!["50%", "0.334", "+0.202", "0.945"]
    );
    assert!(select(&html, ".score.relative .score-n")[0].contains("on 3 propositions"));
    assert!(select(&html, ".score.hit .score-n")[0].contains("2 right of 4 calls"));
    let bins = select(
        &html,
        "section[aria-labelledby=calibration-heading] table.data:not(.decomposition) tbody th",
    );
    assert_eq!(bins, vec!["10–20%", "30–40%", "40–50%", "60–70%"]);
    assert_eq!(
        select(&html, "table.decomposition tr.total td"),
        vec!["0.334"],
        "the parts add up to the Brier score"
    );
    assert_eq!(
        select(&html, "svg.chart").len(),
        2,
        "calibration and over time"
    );
    assert_eq!(
        select(&html, "svg.chart title"),
        vec!["Calibration", "Brier score over time"]
    );
    assert!(select(&html, "#by-event-heading").len() == 1);
    assert_eq!(select(&html, "section.methods dt").len(), 9);
}

#[tokio::test]
async fn two_more_experts_match_their_hand_computed_scores() {
    let app = spawn_app().await;
    // Kim Sung-bae and Kim Jong-won: 15% on the clause and 15% on any military commitment
    // (both true): Brier (0.85)² = 0.7225. Relative: on the clause 0.7225 against the median
    // of the others' 0.455625 (Hyun), 0.455625 (ABD desk), 0.455625 (Hankyoreh's experts),
    // 0.765625 (Joh), 0.81 (Jeh) = 0.455625, +0.266875; on military commitments 0.7225
    // against the median of 0.01 (experts in Seoul), 0.16 (Lim), 0.16 (Asmolov), 0.36 (Cho),
    // 0.9025 (Yang) = 0.16, +0.5625; mean +0.4146875. Log −ln 0.15 = 1.8971200.
    let kims = ["0%", "0.722", "+0.415", "1.897"];
    // Unnamed diplomatic sources: Brier 0.041875, relative +0.02390625, log 0.2012545.
    let unnamed = ["100%", "0.042", "+0.024", "0.201"];
    for (expert, scores) in [
        ("kim-sung-bae-kim-jong-won", kims),
        ("unnamed-diplomatic-sources", unnamed),
    ] {
        let html = app.html(&format!("/experts/{expert}")).await;
        assert_eq!(select(&html, ".scores .score-value"), scores, "{expert}");
    }
}

#[tokio::test]
async fn a_pinned_link_keeps_its_numbers_when_a_new_outcome_is_recorded() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    let live = app.html("/experts/jeh-sung-hoon").await;
    let share = attribute(&live, "a.permalink", "href");
    let pinned_path = share
        .strip_prefix("http://hindsight.test")
        .expect("an absolute link to this site");
    assert!(pinned_path.starts_with("/experts/jeh-sung-hoon?as_of="));
    let before = select(&app.html(pinned_path).await, ".tally dd.num");
    assert_eq!(before, vec!["1", "1", "1"], "right, wrong, pending");

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    // Jeh said reunification was unlikely to be mentioned (32.5%); record that it was not.
    record_outcome(&app, "treaty-mentions-reunification", "false").await;

    let pinned = app.html(pinned_path).await;
    assert_eq!(
        select(&pinned, ".tally dd.num"),
        before,
        "the pinned page did not change"
    );
    assert!(select(&pinned, ".pinned")[0].starts_with("As of "));
    let live = app.html("/experts/jeh-sung-hoon").await;
    assert_eq!(
        select(&live, ".tally dd.num"),
        vec!["2", "1", "0"],
        "the live page did"
    );
    assert_ne!(
        select(&live, ".scores .score-value"),
        select(&pinned, ".scores .score-value")
    );
}

/// An empty database that, 5 ms after a moment, loads the demo: the demo, and that moment.
async fn demo_loaded_after_a_moment() -> (TestApp, String) {
    let app = crate::helpers::spawn_empty_app().await;
    let before = hindsight::domain::dates::format_moment(chrono::Utc::now());
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    dataset::import_json(&app.db, hindsight::import::DEMO_DATA_SET, false, None)
        .await
        .unwrap();
    (app, before)
}

#[tokio::test]
async fn as_of_reads_what_this_database_held_at_that_moment() {
    let (app, before) = demo_loaded_after_a_moment().await;
    let loaded = hindsight::db::last_stamp(&app.db).await.unwrap();
    // The articles are from June 2024, but this database learnt of them only now: pinned
    // before the load, it held nothing.
    for moment in ["2024-06-20", before.as_str()] {
        let html = app
            .html(&format!("/experts/joh-han-beom?as_of={moment}"))
            .await;
        assert_eq!(select(&html, "article.prediction").len(), 0, "{moment}");
        assert_eq!(
            select(&html, ".scores .score-value"),
            vec!["\u{2013}", "\u{2013}", "\u{2013}", "\u{2013}"]
        );
    }
    let html = app
        .html(&format!("/experts/joh-han-beom?as_of={loaded}"))
        .await;
    assert_eq!(select(&html, "article.prediction").len(), 5);
    let live = app.html("/experts/joh-han-beom").await;
    assert_eq!(
        select(&html, ".tally dd.num"),
        select(&live, ".tally dd.num"),
        "pinned at the load, the same as live until the next write"
    );
}

#[tokio::test]
async fn a_bad_or_future_as_of_is_refused() {
    let app = spawn_app().await;
    app.assert_each_refused([
        ("/experts/joh-han-beom?as_of=yesterday", "as_of"),
        ("/experts/joh-han-beom?as_of=2999-01-01", "as_of"),
        ("/leaderboard?as_of=20/06/2024", "as_of"),
        ("/experts/joh-han-beom/card.png?as_of=x", "as_of"),
    ])
    .await;
}

/// The image at `uri`, which must be there, of `content_type`: its headers and bytes.
async fn image(app: &TestApp, uri: &str, content_type: &str) -> (axum::http::HeaderMap, Vec<u8>) {
    let (status, headers, body) = get_with(app, uri, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], content_type);
    (headers, body)
}

/// A PNG's width and height, from its IHDR chunk (big-endian, at bytes 16..24).
fn png_size(png: &[u8]) -> (u32, u32) {
    let be_u32 = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (be_u32(16), be_u32(20))
}

#[tokio::test]
async fn the_preview_image_is_a_1200_by_630_png_with_an_etag() {
    let app = spawn_app().await;
    let (headers, body) = image(&app, "/experts/joh-han-beom/card.png", "image/png").await;
    assert_eq!(&body[1..4], b"PNG");
    let (width, height) = png_size(&body);
    assert_eq!(width, 1200);
    assert_eq!(height, 630);
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let (status, _, body) = get_with(&app, "/experts/joh-han-beom/card.png", Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (_, pinned, _) = get_with(
        &app,
        "/experts/joh-han-beom/card.png?as_of=2024-06-20",
        None,
    )
    .await;
    assert_ne!(
        pinned[header::ETAG].to_str().unwrap(),
        etag,
        "another moment, another image"
    );
    assert_eq!(
        pinned[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable",
        "a moment before the last write is final"
    );
    let (status, _, _) = get_with(&app, "/experts/nobody/card.png", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_badge_is_well_formed_svg_and_changes_with_the_record() {
    let app = spawn_app().await;
    let (headers, body) = image(&app, "/experts/jeh-sung-hoon/badge.svg", "image/svg+xml").await;
    let svg = String::from_utf8(body).unwrap();
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "well-formed SVG: {svg}");
    // Jeh: intervention (0.1 − 1)² = 0.81, new treaty (0.675 − 1)² = 0.105625; mean 0.4578125.
    assert!(
        svg.contains("50% right of 2 calls · 2 scored · Brier 0.458"),
        "{svg}"
    );
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    record_outcome(&app, "treaty-mentions-reunification", "false").await;
    let (status, headers, _) =
        get_with(&app, "/experts/jeh-sung-hoon/badge.svg", Some(&etag)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a new outcome is a new badge, not a 304"
    );
    assert_ne!(headers[header::ETAG].to_str().unwrap(), etag);
}

#[tokio::test]
async fn scorecard_and_event_pages_carry_link_preview_tags() {
    let app = spawn_app().await;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let html = app
        .html(&format!("/experts/joh-han-beom?as_of={today}"))
        .await;
    let image = attribute(&html, "meta[property='og:image']", "content");
    assert_eq!(
        image,
        format!(
            "http://hindsight.test/experts/joh-han-beom/card.png?as_of={today}T23%3A59%3A59.999Z"
        )
    );
    assert_eq!(
        attribute(&html, "meta[name='twitter:card']", "content"),
        "summary_large_image"
    );
    assert!(attribute(&html, "meta[property='og:description']", "content").contains("Brier"));
    let html = app.html("/events/putin-visit-pyongyang-2024").await;
    assert_eq!(
        attribute(&html, "meta[property='og:title']", "content"),
        "Putin's visit to Pyongyang, June 2024: who was right"
    );
    assert_eq!(
        attribute(&html, "meta[property='og:url']", "content"),
        "http://hindsight.test/events/putin-visit-pyongyang-2024"
    );
}

#[tokio::test]
async fn the_leaderboard_ranks_by_relative_brier_above_a_stated_minimum() {
    let app = spawn_app().await;
    let page = app.get_ok("/leaderboard").await;
    let html = page.html();
    assert!(select(&html, ".lead")[0].contains("at least 3 scored predictions"));
    let names = select(&html, "table.leaderboard tbody tr:not(.crowd) th a");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "Hyun Seung-soo",
            "Joh Han-beom",
            "The Asia Business Daily (news desk)",
            "Unnamed diplomatic sources",
            "Yang Moo-jin"
        ]
    );
    let relative: Vec<f64> = select(
        &html,
        "table.leaderboard tbody tr:not(.crowd) td:nth-child(4)",
    )
    .iter()
    .map(|t| {
        t.split_whitespace()
            .next()
            .unwrap()
            .replace('\u{2212}', "-")
            .replace('+', "")
            .parse()
            .unwrap()
    })
    .collect();
    assert!(
        relative.windows(2).all(|w| w[0] <= w[1]),
        "ascending: {relative:?}"
    );
    // Hyun Seung-soo leads (3 scored; relative on the 2 propositions others predicted too):
    // on the clause (32.5%, true) 0.455625 against the median of 0.455625, 0.455625, 0.7225,
    // 0.765625, 0.81 = 0.7225 (−0.266875); on the new treaty (90%, true) 0.01 against the
    // median of 0.09 (Lim), 0.105625 (Jeh), 0.16 (Asmolov), 0.455625 (government), 0.455625
    // (13 June experts), 0.9025 (Yang) = (0.16 + 0.455625) / 2 = 0.3078125 (−0.2978125).
    // Mean −0.28234375. Cooperation agreements besides the treaty: he alone predicted them.
    assert_eq!(names[0], "Hyun Seung-soo");
    assert_eq!(
        select(
            &html,
            "table.leaderboard tbody tr:first-child td:nth-child(4)"
        )[0],
        "\u{2212}0.282 (2)"
    );
    assert_eq!(
        select(&html, "table.leaderboard tr.crowd").len(),
        1,
        "the crowd is shown as the bar to beat"
    );

    let everyone = app.html("/leaderboard?min=1").await;
    assert_eq!(
        select(&everyone, "table.leaderboard tbody tr:not(.crowd)").len(),
        15,
        "every expert has a scored prediction"
    );
    let treaties = app.html("/leaderboard?topic=treaties&min=1").await;
    assert!(
        !select(&treaties, "table.leaderboard tbody tr:not(.crowd) th a")
            .contains(&"Senior South Korean presidential official".to_string())
    );
    app.assert_each_refused([
        ("/leaderboard?min=0", "min"),
        ("/leaderboard?min=lots", "min"),
        ("/leaderboard?topic=sport", "topic"),
        ("/leaderboard?event=nope", "event"),
    ])
    .await;
}

#[tokio::test]
async fn the_event_grid_has_a_consensus_row_scored_like_an_expert() {
    let app = spawn_app().await;
    let html = app.html("/events/putin-visit-pyongyang-2024").await;
    let crowd = select(&html, "#grid tfoot tr.crowd td.cell");
    // Automatic intervention: the median of 0.1, 0.125, 0.15, 0.325, 0.325, 0.325 is 0.2375.
    assert_eq!(crowd[0], "23.8% ✗ Wrong");
    assert_eq!(crowd.len(), 14, "a column a proposition");
    assert_eq!(
        select(&html, "#grid tfoot tr.crowd td.num").len(),
        3,
        "right, wrong and Brier"
    );
}

#[tokio::test]
async fn the_event_grid_takes_as_of_and_refuses_a_moment_it_cannot_read() {
    let (app, before) = demo_loaded_after_a_moment().await;
    let garbage = app
        .get("/events/putin-visit-pyongyang-2024?as_of=garbage")
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    let pinned = app
        .get(&format!(
            "/events/putin-visit-pyongyang-2024?as_of={before}"
        ))
        .await;
    assert_eq!(pinned.status, StatusCode::OK);
    let html = pinned.html();
    assert_eq!(select(&html, "aside.pinned").len(), 1);
    assert!(
        select(&html, "tbody tr th a").is_empty(),
        "no expert had predicted yet"
    );
    let live = app.html("/events/putin-visit-pyongyang-2024").await;
    assert!(select(&live, "tbody tr th a").len() > 5);
}

/// The decomposition's last term is Brier minus the other three, so it can be negative: it is
/// called the remainder, the methods note says what it is and why it can be negative, and its
/// sign is the site's minus sign (U+2212), never a hyphen.
#[tokio::test]
async fn the_decompositions_remainder_is_named_explained_and_signed_like_the_rest() {
    let app = spawn_app().await;
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM experts ORDER BY slug")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    let mut negative = 0usize;
    let mut shown = 0;
    for slug in &slugs {
        let html = app.html(&format!("/experts/{slug}")).await;
        let rows = select(&html, "table.decomposition tr");
        if rows.is_empty() {
            continue;
        }
        shown += 1;
        let text = rows.join(" | ");
        assert!(!text.contains("Spread within bins"), "{slug}: {text}");
        for value in select(&html, "table.decomposition td.num") {
            assert!(
                !value.contains('-'),
                "{slug}: a hyphen for a minus in {value:?}"
            );
        }
        let remainder = select(&html, "table.decomposition tr.remainder");
        assert_eq!(remainder.len(), 1, "{slug}: {text}");
        assert!(remainder[0].contains("Remainder"), "{}", remainder[0]);
        let value = select(&html, "table.decomposition tr.remainder td.num").join("");
        if value.starts_with('\u{2212}') {
            negative += 1;
        } else {
            assert!(
                value == "0.000" || value.starts_with('+'),
                "{slug}: {value}"
            );
        }
        let methods = select(&html, ".methods dl").join(" ");
        assert!(
            methods.contains("Remainder") && methods.contains("can be negative"),
            "{methods}"
        );
    }
    assert!(shown > 0, "some scorecards show a decomposition");
    // The re-read demo has no negative remainder; how a negative one is written (U+2212) is
    // checked by `format::signed`'s unit tests.
    let _ = negative;
}

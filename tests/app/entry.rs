use axum::http::StatusCode;

use crate::helpers::{
    TestApp, assert_each_marked, attribute, demo_with_analyst, select, spawn_app, with_fields,
};

#[tokio::test]
async fn an_analyst_records_an_outcome_and_the_marks_change() {
    let app = crate::helpers::spawn_app_with_an_open_question().await;
    let session = app.analyst("mia").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let form = app
        .get_as(&format!("/propositions/{id}/resolve"), Some(&session))
        .await
        .html();
    assert!(select(&form, ".criteria p")[0].contains("refers to the reunification of Korea"));
    assert_eq!(
        select(&form, "article.prediction").len(),
        1,
        "every prediction on it"
    );
    let seen = app.outcome_seen(&session, id).await;
    assert_eq!(seen, "", "no outcome yet");
    let before = select(&app.html("/experts/jeh-sung-hoon").await, ".tally dd.num");

    let saved = app
        .resolve(
            &session,
            id,
            &[
                ("outcome", "false"),
                (
                    "evidence_url",
                    "https://hani.co.kr/arti/english_edition/e_northkorea/1145928.html",
                ),
                (
                    "rationale",
                    "The full text has no article on reunification.",
                ),
                ("seen", &seen),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.html(&format!("/propositions/{id}")).await;
    assert_eq!(select(&page, ".outcome-box .outcome"), vec!["False"]);
    let entry = select(&page, "ol.history > li")[0].clone();
    assert!(
        entry.contains("by mia (test)")
            && entry.contains("The full text has no article on reunification."),
        "{entry}"
    );
    let after = select(&app.html("/experts/jeh-sung-hoon").await, ".tally dd.num");
    assert_eq!(
        (before[0].as_str(), before[2].as_str()),
        ("1", "1"),
        "one right, one pending before"
    );
    assert_eq!(
        (after[0].as_str(), after[2].as_str()),
        ("2", "0"),
        "two right, none pending after"
    );
    // Written by the import's own path, as a file's outcome would be: who recorded it is kept
    // as the record's claim beside the account, and an export lists it by that username.
    assert_eq!(
        app.count_where(
            "resolutions",
            "proposition_id = $1 AND claimed_recorded_by = 'mia' AND outcome = 'false'",
            id
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_correction_is_a_new_entry_and_the_history_keeps_both() {
    let (app, session) = demo_with_analyst("ned").await;
    let id = app.proposition_id("north-korea-joins-sco-or-csto").await;
    let seen = app.outcome_seen(&session, id).await;
    assert!(!seen.is_empty(), "the demo resolved it");
    let correction = app
        .resolve(
            &session,
            id,
            &[
                ("outcome", "annulled"),
                ("decided_on", "2024-11-30"),
                (
                    "rationale",
                    "Correction: the deadline in the criteria was set by us, not the expert.",
                ),
                ("seen", &seen),
            ],
        )
        .await;
    assert_eq!(correction.status, StatusCode::SEE_OTHER);
    let page = app.html(&format!("/propositions/{id}")).await;
    assert_eq!(
        select(&page, "ol.history > li .tag"),
        vec!["current", "superseded"]
    );
    assert_eq!(select(&page, ".outcome-box .outcome"), vec!["Annulled"]);
    let supersedes: Option<i64> = app.scalar_with("SELECT supersedes_id FROM resolutions WHERE proposition_id = $1 ORDER BY id DESC LIMIT 1", &[id]).await;
    assert_eq!(supersedes.map(|s| s.to_string()), Some(seen));
}

#[tokio::test]
async fn a_stale_form_gets_409_with_both_versions_and_overwrites_nothing() {
    let app = spawn_app().await;
    let (first, second) = (app.analyst("ola").await, app.analyst("pia").await);
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let seen_by_first = app.outcome_seen(&first, id).await;
    let seen_by_second = app.outcome_seen(&second, id).await;
    let fields = |outcome: &'static str, why: &'static str, seen: String| {
        move |_: ()| {
            vec![
                ("outcome", outcome.to_string()),
                ("decided_on", "2024-06-21".to_string()),
                ("evidence_url", "https://example.org/e".to_string()),
                ("rationale", why.to_string()),
                ("seen", seen),
            ]
        }
    };
    let second_fields = fields("true", "Pia's reading.", seen_by_second)(());
    let second_fields: Vec<(&str, &str)> = second_fields
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    assert_eq!(
        app.post_as(
            &second,
            &format!("/propositions/{id}/resolve"),
            &second_fields
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let count = app.count("resolutions").await;

    let first_fields = fields("false", "Ola's reading.", seen_by_first)(());
    let first_fields: Vec<(&str, &str)> =
        first_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let stale = app
        .post_as(
            &first,
            &format!("/propositions/{id}/resolve"),
            &first_fields,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("resolutions").await,
        count,
        "nothing overwritten, nothing added"
    );
    let html = stale.html();
    let versions = select(&html, ".conflict .version");
    assert!(
        versions[0].contains("Pia's reading.") && versions[1].contains("Ola's reading."),
        "{versions:?}"
    );
    assert_eq!(
        select(&html, "#rationale"),
        vec!["Ola's reading."],
        "the input is kept"
    );
    // Saving again from the conflict page is a deliberate correction.
    let now_seen = attribute(&html, "input[name=seen]", "value");
    let again: Vec<(&str, &str)> = first_fields
        .iter()
        .map(|(k, v)| {
            if *k == "seen" {
                (*k, now_seen.as_str())
            } else {
                (*k, *v)
            }
        })
        .collect();
    assert_eq!(
        app.post_as(&first, &format!("/propositions/{id}/resolve"), &again)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("resolutions").await, count + 1);
}

#[tokio::test]
async fn a_rejected_outcome_form_keeps_the_input_and_marks_each_bad_field() {
    let (app, session) = demo_with_analyst("quinn").await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let before = app.count("resolutions").await;
    let every_field_bad = [
        ("outcome", "maybe"),
        ("decided_on", "2999-01-01"),
        ("evidence_url", "ftp://example.org/x"),
        ("rationale", " "),
    ];
    let page = app.resolve(&session, id, &every_field_bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.html();
    assert_each_marked(
        &html,
        &["outcome", "decided_on", "evidence_url", "rationale"],
    );
    assert_eq!(
        attribute(&html, "#evidence_url", "value"),
        "ftp://example.org/x"
    );
    assert!(select(&html, ".form-error")[0].contains("Nothing was saved"));
    assert_eq!(app.count("resolutions").await, before);
}

#[tokio::test]
async fn analysts_add_and_edit_experts_with_history() {
    let (app, session) = demo_with_analyst("rae").await;
    let lankov = [
        ("name", "Andrei Lankov"),
        ("slug", ""),
        ("kind", "person"),
        ("affiliation", "Kookmin University"),
        ("title", "Professor"),
        ("bio", ""),
        ("aliases", "Andrey Lankov\nA. Lankov"),
        ("members", ""),
    ];
    let created = app.post_saved(&session, "/experts/new", &lankov).await;
    assert_eq!(created.location(), "/experts/andrei-lankov");
    let page = app.html("/experts/andrei-lankov").await;
    assert_eq!(
        select(&page, ".aliases"),
        vec!["Also spelt: Andrey Lankov, A. Lankov"]
    );

    // An alias already taken by another expert is refused, and nothing is written.
    let experts = app.count("experts").await;
    let taken_alias = with_fields(&lankov, &[("name", "Someone"), ("aliases", "Cho Han-bum")]);
    let clash = app
        .post_refused(&session, "/experts/new", &taken_alias, "aliases")
        .await;
    assert!(clash.contains("already names Joh Han-beom"), "{clash}");
    assert_eq!(
        select(&app.html("/experts/joh-han-beom").await, "h1"),
        vec!["Joh Han-beom"],
        "the existing expert is untouched"
    );
    assert_eq!(app.count("experts").await, experts);

    let edit = "/experts/andrei-lankov/edit";
    let in_seoul = [
        ("name", "Andrei Lankov"),
        ("kind", "person"),
        ("affiliation", "Kookmin University, Seoul"),
    ];
    let no_reason = [&in_seoul[..], &[("reason", "")]].concat();
    app.post_refused(&session, edit, &no_reason, "reason").await;
    let reason = "Affiliation as printed in his latest column.";
    let with_reason = [&in_seoul[..], &[("title", "Professor"), ("reason", reason)]].concat();
    app.post_saved(&session, edit, &with_reason).await;
    assert_eq!(
        select(&app.html("/experts/andrei-lankov").await, ".profile .role"),
        vec!["Professor, Kookmin University, Seoul"]
    );
    let history = select(
        &app.get_as("/experts/andrei-lankov/edit", Some(&session))
            .await
            .html(),
        "ol.history li",
    );
    assert_eq!(history.len(), 2);
    assert!(
        history[0].contains("Affiliation as printed in his latest column.")
            && history[0].contains("rae (test)"),
        "{history:?}"
    );
}

/// The card, on `expert`'s page, of the prediction whose quote holds `words`.
async fn card_quoting(app: &TestApp, expert: &str, words: &str) -> String {
    let html = app.html(&format!("/experts/{expert}")).await;
    select(&html, "article.prediction")
        .into_iter()
        .find(|c| c.contains(words))
        .unwrap()
}

#[tokio::test]
async fn analysts_add_a_prediction_from_hedge_words_or_override_it_with_a_reason() {
    let (app, session) = demo_with_analyst("sam").await;
    let source = app.id_where("sources", "outlet = 'The Hankyoreh'").await;
    let source = source.to_string();
    let base = [
        ("expert", "doo-jin-ho"),
        ("proposition", "joint-declaration-adopted"),
        ("source", source.as_str()),
        ("quote", "A declaration is unlikely."),
        ("said_on", "2024-06-17"),
        ("hedge_words", "unlikely"),
    ];
    let mut scale: Vec<(&str, &str)> = base.to_vec();
    scale.extend([
        ("basis", "scale"),
        ("scale_term", "icd-203|unlikely"),
        ("probability", ""),
        ("basis_note", ""),
    ]);
    app.post_saved(&session, "/predictions/new", &scale).await;
    let quote_card = card_quoting(&app, "doo-jin-ho", "A declaration is unlikely.").await;
    assert!(
        quote_card.contains("32.5%")
            && quote_card.contains("ICD 203 (US Intelligence Community): \u{201c}unlikely\u{201d}"),
        "{quote_card}"
    );

    // An override without a reason is refused; with one, the page says it was a judgement.
    let id = app
        .id_where("predictions", "quote = 'A declaration is unlikely.'")
        .await;
    let edit = format!("/predictions/{id}/edit");
    // The claim as it was added (who said it, of what and where stay), now an analyst's number.
    let judgement = with_fields(
        &base[3..],
        &[
            ("basis", "analyst"),
            ("probability", "15%"),
            ("basis_note", ""),
            ("reason", "He was firmer in the interview."),
        ],
    );
    app.post_refused(&session, &edit, &judgement, "basis_note")
        .await;
    let above_one = with_fields(&judgement, &[("basis", "stated"), ("probability", "150%")]);
    let bad_number = app
        .post_refused(&session, &edit, &above_one, "probability")
        .await;
    assert!(bad_number.contains("between 0 and 1"), "{bad_number}");
    let noted = with_fields(
        &judgement,
        &[("basis_note", "Firmer in the full interview.")],
    );
    app.post_saved(&session, &edit, &noted).await;
    let card = card_quoting(&app, "doo-jin-ho", "A declaration is unlikely.").await;
    assert!(
        card.contains("15%")
            && card.contains("analyst's judgement")
            && card.contains("Firmer in the full interview."),
        "{card}"
    );

    // Retracted, never deleted.
    app.retract(
        &session,
        &format!("/predictions/{id}"),
        "Misattributed quote.",
    )
    .await;
    assert!(
        !app.get("/experts/doo-jin-ho")
            .await
            .body
            .contains("A declaration is unlikely.")
    );
    let kept = app
        .count_where(
            "predictions",
            "id = $1 AND retraction_reason = 'Misattributed quote.'",
            id,
        )
        .await;
    assert_eq!(kept, 1);
    let log = app
        .count_where("change_log", "entity = 'prediction' AND entity_id = $1", id)
        .await;
    assert_eq!(log, 3, "created, edited, retracted");
}

/// The event form for the party congress, which ends `ends_on`.
fn congress_ending(ends_on: &str) -> [(&str, &str); 6] {
    [
        ("title", "North Korean party congress, 2026"),
        ("description", ""),
        ("starts_on", "2026-01-10"),
        ("ends_on", ends_on),
        ("topics", "korean-peninsula"),
        ("topics", "diplomacy"),
    ]
}

#[tokio::test]
async fn analysts_add_sources_events_and_propositions() {
    let (app, session) = demo_with_analyst("tia").await;
    let ends_first = congress_ending("2026-01-05");
    // It ends before it starts.
    let ends_on = app
        .post_refused(&session, "/events/new", &ends_first, "ends_on")
        .await;
    assert!(ends_on.contains("before starts_on"), "{ends_on}");
    let event = app
        .post_saved(&session, "/events/new", &congress_ending("2026-01-20"))
        .await;
    assert_eq!(event.location(), "/events/north-korean-party-congress-2026");
    let premier = [
        ("event", "north-korean-party-congress-2026"),
        ("statement", "The congress names a new premier."),
        (
            "criteria",
            "True if a new premier is named during the congress.",
        ),
        ("decidable_by", "2026-02-01"),
        ("topics", "korean-peninsula"),
    ];
    app.post_saved(&session, "/propositions/new", &premier)
        .await;
    let html = app.html("/events/north-korean-party-congress-2026").await;
    assert_eq!(
        select(&html, ".propositions li a"),
        vec!["The congress names a new premier."]
    );
    let not_a_link = [
        ("title", "Congress preview"),
        ("outlet", "NK News"),
        ("url", "not a link"),
        ("published_on", "2026-01-02"),
    ];
    let url = app
        .post_refused(&session, "/sources/new", &not_a_link, "url")
        .await;
    assert!(url.contains("is not an http or https link"), "{url}");
}

#[tokio::test]
async fn an_edit_form_for_a_record_not_on_record_is_a_404_that_says_where_to_look() {
    let (app, session) = demo_with_analyst("una").await;
    let mut said = Vec::new();
    for uri in [
        "/predictions/999999/edit",
        "/experts/nobody-at-all/edit",
        "/events/no-such-event/edit",
    ] {
        let page = app.get_as(uri, Some(&session)).await;
        said.push((page.status, select(&page.html(), ".error .lead").join("")));
    }
    let not_found = |text: &str| (StatusCode::NOT_FOUND, text.to_string());
    assert_eq!(
        said,
        vec![
            not_found("There is no prediction number 999999. It may have been retracted."),
            not_found(
                "No expert has the address \u{201c}nobody-at-all\u{201d}. The list of experts has everyone Hindsight scores, under every spelling of their name."
            ),
            not_found("No event has the address \u{201c}no-such-event\u{201d}."),
        ]
    );
}

#[tokio::test]
async fn an_edit_form_ticks_the_topics_the_record_has() {
    let (app, session) = demo_with_analyst("viv").await;
    let ticked = |html: &scraper::Html| {
        let mut slugs: Vec<String> = select_values(html, "input[name=topics][checked]");
        slugs.sort();
        slugs
    };
    let event = app
        .get_as("/events/putin-visit-pyongyang-2024/edit", Some(&session))
        .await
        .html();
    assert_eq!(
        ticked(&event),
        vec![
            "diplomacy",
            "korean-peninsula",
            "military-cooperation",
            "russia",
            "treaties"
        ]
    );
    let id = app
        .proposition_id("treaty-automatic-military-intervention")
        .await;
    let proposition = app
        .get_as(&format!("/propositions/{id}/edit"), Some(&session))
        .await
        .html();
    assert_eq!(
        ticked(&proposition),
        vec!["military-cooperation", "treaties"]
    );
}

/// The `value` of every element `selector` finds.
fn select_values(html: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr("value").map(str::to_string))
        .collect()
}

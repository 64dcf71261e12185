//! Article extraction end to end: the JSON API, the /extract page, the review and its commit
//! through the import pipeline, and every way a bad article or a bad commit writes nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scraper::Selector;

use crate::helpers::{PUBLIC_URL, Page, TestApp, attribute, demo_with_analyst, select, spawn_app};
use crate::tables::assert_api_refused;

const SEED_003: &str = include_str!("../fixtures/extraction/seeds/003_10dfcf0b65ddf187.txt");
const EVENT: &str = "putin-visit-pyongyang-2024";

/// A multipart form as a browser sends it: (field, file name, content).
fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "hindsight-extraction-boundary";
    let mut body = Vec::new();
    for (name, file_name, content) in fields {
        let file = file_name
            .map(|f| format!("; filename=\"{f}\""))
            .unwrap_or_default();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_article(
    app: &TestApp,
    session: &str,
    fields: &[(&str, Option<&str>, &[u8])],
) -> Page {
    let (content_type, body) = multipart(fields);
    let request = Request::post("/extract")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, session)
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, PUBLIC_URL)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn post_api(app: &TestApp, session: Option<&str>, content_type: &str, body: Vec<u8>) -> Page {
    let mut request = Request::post("/api/v1/extract").header(header::CONTENT_TYPE, content_type);
    if let Some(session) = session {
        request = request.header(header::COOKIE, session);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

/// Pastes seed article 003 with its details; the review's address.
async fn read_seed_003(app: &TestApp, session: &str) -> String {
    let page = post_article(
        app,
        session,
        &[
            ("text", None, SEED_003.as_bytes()),
            (
                "title",
                None,
                b"Putin to visit North Korea (pasted for review)",
            ),
            ("outlet", None, b"The Asia Business Daily (review test)"),
            ("published_on", None, b"2024-06-17"),
            ("event", None, EVENT.as_bytes()),
            ("decidable_by", None, b"2024-06-30"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location();
    assert!(location.starts_with("/extract/"), "{location}");
    location
}

/// The review's candidates: (index, quote) in page order.
fn candidates(page: &Page) -> Vec<(usize, String)> {
    let html = page.html();
    let selector = Selector::parse("section.candidate textarea[name$='.quote']").unwrap();
    html.select(&selector)
        .map(|e| {
            let name = e.value().attr("name").unwrap_or_default();
            let index = name
                .trim_start_matches('c')
                .split('.')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (index, e.text().collect::<String>())
        })
        .collect()
}

/// The index of the candidate whose quote holds `words`.
fn candidate_with(list: &[(usize, String)], words: &str) -> usize {
    list.iter()
        .find(|(_, quote)| quote.contains(words))
        .map(|(i, _)| *i)
        .unwrap_or_else(|| panic!("no candidate quotes {words:?}: {list:#?}"))
}

fn revision(page: &Page) -> String {
    attribute(&page.html(), "input[name=revision]", "value")
}

/// A review's form as one analyst posts it.
struct ReviewForm<'a> {
    app: &'a TestApp,
    url: &'a str,
    session: &'a str,
}

impl<'a> ReviewForm<'a> {
    /// The review at `url`, as `session` posts it.
    fn new(app: &'a TestApp, url: &'a str, session: &'a str) -> Self {
        Self { app, url, session }
    }

    /// Posts the form: its revision, the button pressed, and `fields`, where a field of a
    /// candidate is named by its index (`(Some(3), "decision", "accept")` is `c3.decision`) and
    /// one of the article by `None`.
    async fn post(
        &self,
        revision: &str,
        action: &str,
        fields: &[(Option<usize>, &str, &str)],
    ) -> Page {
        let names: Vec<String> = fields
            .iter()
            .map(|(item, name, _)| match item {
                Some(index) => format!("c{index}.{name}"),
                None => (*name).to_string(),
            })
            .collect();
        let mut form: Vec<(&str, &str)> = vec![("revision", revision), ("action", action)];
        form.extend(
            names
                .iter()
                .zip(fields)
                .map(|(name, (_, _, value))| (name.as_str(), *value)),
        );
        self.app.post_as(self.session, self.url, &form).await
    }

    /// Commits `fields` over the revision `page` shows.
    async fn commit(&self, page: &Page, fields: &[(Option<usize>, &str, &str)]) -> Page {
        self.post(&revision(page), "commit", fields).await
    }
}

/// Asserts that `page` says nothing was written, and that nothing was: the record counts are
/// still `before`.
async fn assert_nothing_written(app: &TestApp, page: &Page, before: &[i64], why: &str) {
    assert!(
        select(&page.html(), "#problems")
            .join("")
            .contains("Nothing was written")
    );
    assert_eq!(app.record_counts().await, before, "{why}");
}

/// The fields that accept candidate `index` with the analyst's own `probability`.
fn accepted_at(index: usize, probability: &str) -> [(Option<usize>, &str, &str); 3] {
    [
        (Some(index), "decision", "accept"),
        (Some(index), "basis", "analyst"),
        (Some(index), "probability", probability),
    ]
}

#[tokio::test]
async fn the_api_reads_an_article_for_analysts_only() {
    let app = spawn_app().await;
    let body = serde_json::json!({ "text": SEED_003 })
        .to_string()
        .into_bytes();
    let anonymous = post_api(&app, None, "application/json", body.clone()).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    assert!(
        anonymous.json()["error"]
            .as_str()
            .unwrap()
            .contains("Sign in")
    );

    let session = app.analyst("mia").await;
    let answer = post_api(&app, Some(&session), "application/json", body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json = answer.json();
    let list = json["candidates"].as_array().unwrap();
    assert!(list.len() >= 3, "{json:#}");
    crate::helpers::assert_candidates_in_the_apis_shape(SEED_003, list);
    let joh: Vec<_> = list
        .iter()
        .filter(|c| c["expert"] == "joh-han-beom")
        .collect();
    assert!(
        !joh.is_empty(),
        "Joh Han-beom is matched to the expert on record: {json:#}"
    );
    assert!(joh.iter().all(|c| {
        c["proposition"]["alternatives"]
            .as_array()
            .is_some_and(|a| a.len() <= 3)
    }));

    let as_text = post_api(
        &app,
        Some(&session),
        "text/plain; charset=utf-8",
        SEED_003.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(as_text.status, StatusCode::OK);
    assert_eq!(
        as_text.json()["candidates"].as_array().unwrap().len(),
        list.len(),
        "the same article as plain text reads the same"
    );

    let document = app.get("/api/openapi.json").await.json();
    assert!(
        document["paths"]["/api/v1/extract"]["post"].is_object(),
        "the endpoint is documented"
    );
    let documented: Vec<&String> = document["components"]["schemas"]["Candidate"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let answered: Vec<&String> = list[0].as_object().unwrap().keys().collect();
    assert_eq!(
        answered, documented,
        "a candidate has the documented fields, in order"
    );
}

#[tokio::test]
async fn bad_articles_are_refused_by_name_and_nothing_is_kept() {
    let (app, session) = demo_with_analyst("mia").await;
    let extract = |content_type: &'static str, body: Vec<u8>| {
        post_api(&app, Some(&session), content_type, body)
    };

    let empty = extract("application/json", br#"{"text": "   "}"#.to_vec()).await;
    assert_api_refused(&empty, "text");
    let pdf = b"%PDF-1.7\n\0\0\x01binary".to_vec();
    let binary = extract("application/octet-stream", pdf).await;
    assert_eq!(binary.status, StatusCode::BAD_REQUEST, "{}", binary.body);
    let huge = "word ".repeat(220_000);
    let too_large = extract("text/plain", huge.clone().into_bytes()).await;
    assert_eq!(
        too_large.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_large.body
    );

    #[allow(clippy::type_complexity)]
    let cases: [(&str, Option<&str>, Vec<u8>, StatusCode, &str); 5] = [
        (
            "text",
            None,
            b"  \n ".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
        ),
        (
            "file",
            Some("scan.pdf"),
            b"%PDF-1.4\n\0\0\0\x07binary".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "binary",
        ),
        (
            "file",
            Some("latin1.txt"),
            b"Caf\xe9 au lait will be served.".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "UTF-8",
        ),
        (
            "file",
            Some("menu.html"),
            b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"
                .to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no article text",
        ),
        (
            "file",
            Some("huge.txt"),
            huge.into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "1 MB",
        ),
    ];
    for (field, file_name, content, status, says) in cases {
        let page = post_article(&app, &session, &[(field, file_name, &content)]).await;
        assert_eq!(page.status, status, "{says}: {}", page.body);
        let message = select(&page.html(), "#message").join(" ");
        assert!(message.contains(says), "{says}: {message}");
    }
    assert_eq!(
        app.count("extraction_reviews").await,
        0,
        "a refused article leaves no review"
    );
}

#[tokio::test]
async fn an_analyst_reviews_saves_resumes_and_commits_three_predictions() {
    let (app, session) = demo_with_analyst("mia").await;
    let predictions_before = app.count("predictions").await;
    let review = read_seed_003(&app, &session).await;
    let form = ReviewForm::new(&app, &review, &session);

    let page = app.get_as(&review, Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    let list = candidates(&page);
    let slim = candidate_with(&list, "slim");
    let partnership = candidate_with(&list, "strategic partnership");
    let technology = candidate_with(&list, "core military technology");
    let expert = attribute(
        &page.html(),
        &format!("select[name='c{slim}.expert'] option[selected]"),
        "value",
    );
    assert_eq!(expert, "joh-han-beom", "matched to the expert on record");
    assert!(
        select(&page.html(), &format!("#c{slim} .reading"))
            .join("")
            .contains('%'),
        "the number beside the words"
    );

    // Accept one and save: the review is kept, and resumes where it was left.
    let first = revision(&page);
    let saved = form
        .post(&first, "save", &[(Some(slim), "decision", "accept")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.count("predictions").await,
        predictions_before,
        "saving writes no record"
    );
    let resumed = app.get_as(&review, Some(&session)).await;
    assert_ne!(revision(&resumed), first);
    assert_eq!(
        attribute(
            &resumed.html(),
            &format!("input[name='c{slim}.decision'][checked]"),
            "value"
        ),
        "accept"
    );
    let open = app.get_as("/extract", Some(&session)).await;
    assert!(
        select(&open.html(), ".reviews a")
            .join(" ")
            .contains("pasted for review")
    );

    // Accept two more, one of them edited, and commit.
    let mut fields = vec![(Some(partnership), "decision", "accept")];
    fields.extend(accepted_at(technology, "20%"));
    let reason = "'unlikely' read a little lower: he rules it out in the next breath.";
    fields.push((Some(technology), "reason", reason));
    let committed = form.commit(&resumed, &fields).await;
    assert_eq!(
        committed.status,
        StatusCode::SEE_OTHER,
        "{}",
        committed.body
    );
    assert_eq!(app.count("predictions").await, predictions_before + 3);
    let done = app.get_as(&review, Some(&session)).await;
    assert!(select(&done.html(), "h1").join("").starts_with("Committed"));

    let scorecard = app.get("/experts/joh-han-beom").await;
    let quotes = select(&scorecard.html(), "article.prediction blockquote").join(" ");
    assert!(quotes.contains("core military technology"), "{quotes}");
    let grid = app.get(&format!("/events/{EVENT}")).await;
    assert!(
        grid.body.contains("20%"),
        "the edited number is on the event grid"
    );
    let stored: f64 = app
        .scalar("SELECT probability FROM predictions WHERE basis_note LIKE '%rules it out%'")
        .await;
    assert!((stored - 0.2).abs() < 1e-9);
}

#[tokio::test]
async fn a_stale_or_bad_commit_writes_nothing() {
    let (app, session) = demo_with_analyst("mia").await;
    let review = read_seed_003(&app, &session).await;
    let form = ReviewForm::new(&app, &review, &session);
    let page = app.get_as(&review, Some(&session)).await;
    let list = candidates(&page);
    let slim = candidate_with(&list, "slim");
    let before = app.record_counts().await;

    let bad = form.commit(&page, &accepted_at(slim, "very")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let message = select(&bad.html(), &format!("#c{slim}-probability-error")).join("");
    assert!(
        message.contains("very"),
        "the message names what was typed: {message}"
    );
    assert_nothing_written(&app, &bad, &before, "a bad field writes nothing").await;

    let partnership = candidate_with(&list, "strategic partnership");
    let scale_basis = attribute(
        &page.html(),
        &format!("select[name='c{partnership}.basis'] option[selected]"),
        "value",
    );
    assert_eq!(
        scale_basis, "scale",
        "'likely' is a term of a published scale"
    );
    let number_beside_a_term = [
        (Some(partnership), "decision", "accept"),
        (Some(partnership), "probability", "20%"),
    ];
    let overridden = form.commit(&page, &number_beside_a_term).await;
    assert_eq!(
        overridden.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        overridden.body
    );
    let message = select(
        &overridden.html(),
        &format!("#c{partnership}-probability-error"),
    )
    .join("");
    assert!(
        message.contains("My reading"),
        "a number beside a scale term is not dropped silently: {message}"
    );
    assert_eq!(app.record_counts().await, before);

    let accept_slim = (Some(slim), "decision", "accept");
    let no_event = form
        .commit(&page, &[accept_slim, (None, "event", "no-such-event")])
        .await;
    assert_eq!(
        no_event.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_event.body
    );
    assert!(
        !select(&no_event.html(), "#event-error").join("").is_empty(),
        "{}",
        no_event.body
    );
    assert_eq!(app.record_counts().await, before);

    // Another window saves; this one's commit is then stale.
    let saved = form.post(&revision(&page), "save", &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stale = form.commit(&page, &[accept_slim]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_nothing_written(&app, &stale, &before, "a stale review writes nothing").await;

    // Someone else's review is not found.
    let other = app.analyst("noor").await;
    assert_eq!(app.status_as(&review, &other).await, StatusCode::NOT_FOUND);
    let theirs = ReviewForm::new(&app, &review, &other)
        .post("1", "commit", &[])
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
}

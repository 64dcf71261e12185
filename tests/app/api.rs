use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

async fn json(app: &crate::helpers::TestApp, uri: &str) -> (StatusCode, Value) {
    let page = app.get(uri).await;
    assert!(
        page.content_type.starts_with("application/json"),
        "{uri}: {}",
        page.content_type
    );
    (
        page.status,
        serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{uri}: {e}: {}", page.body)),
    )
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint_as_it_answers() {
    let app = spawn_app().await;
    let (status, doc) = json(&app, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "an OpenAPI 3 document"
    );
    let id = app
        .proposition_id("treaty-automatic-military-intervention")
        .await;
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 12);
    let schemas = &doc["components"]["schemas"];
    for (path, item) in paths {
        if item.get("get").is_none() {
            // The one endpoint that reads a body; `extraction::the_api_reads_an_article_…`
            // checks its answer against the document.
            assert_eq!(path, "/api/v1/extract");
            assert!(item["post"].is_object());
            continue;
        }
        let uri = path
            .replace(
                "{slug}",
                if path.contains("events") {
                    "putin-visit-pyongyang-2024"
                } else {
                    "joh-han-beom"
                },
            )
            .replace("{id}", &id.to_string());
        let (status, body) = json(&app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        // The documented 200 body: its schema's properties are the ones the answer has.
        let schema = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        let reference = schema["$ref"]
            .as_str()
            .map(|r| r.trim_start_matches("#/components/schemas/").to_string());
        let properties = match reference {
            Some(name) => schemas[&name]["properties"].as_object().cloned(),
            None => schema["properties"].as_object().cloned(),
        };
        let properties = properties
            .unwrap_or_else(|| panic!("{path} documents its body's properties: {schema}"));
        let answered: Vec<&String> = body.as_object().unwrap().keys().collect();
        let documented: Vec<&String> = properties.keys().collect();
        assert_eq!(answered, documented, "{path}");
    }
}

#[tokio::test]
async fn the_api_pages_filters_and_scores() {
    let app = spawn_app().await;
    let (_, experts) = json(&app, "/api/v1/experts?per_page=5&page=3").await;
    assert_eq!(
        (
            experts["total"].as_i64(),
            experts["items"].as_array().map(Vec::len)
        ),
        // 15 experts, 5 a page: page 3 holds the last 5.
        (Some(15), Some(5))
    );
    let (_, joh) = json(&app, "/api/v1/experts/joh-han-beom").await;
    assert_eq!(joh["aliases"], serde_json::json!(["Cho Han-bum"]));
    let (_, card) = json(&app, "/api/v1/experts/joh-han-beom/scorecard").await;
    assert_eq!(
        (card["right"].as_u64(), card["wrong"].as_u64()),
        (Some(2), Some(2))
    );
    assert!((card["brier"].as_f64().unwrap() - 0.334_218_75).abs() < 1e-9);
    assert!((card["relative_brier"].as_f64().unwrap() - 0.201_875).abs() < 1e-9);
    let (_, pinned) = json(
        &app,
        "/api/v1/experts/joh-han-beom/scorecard?as_of=2024-06-19",
    )
    .await;
    assert_eq!(
        (pinned["scored"].as_u64(), pinned["as_of"].as_str()),
        (Some(0), Some("2024-06-19T23:59:59.999Z"))
    );
    let (_, wrong) = json(&app, "/api/v1/predictions?status=wrong&per_page=200").await;
    // 14: see predictions::outcome_filter_agrees_with_the_domain_rule for the hand count.
    assert_eq!(wrong["total"].as_i64(), Some(14));
    assert!(
        wrong["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["verdict"] == "wrong")
    );
    let (_, search) = json(&app, "/api/v1/predictions?q=Armenia").await;
    assert_eq!(search["items"][0]["expert"], "kim-sung-bae-kim-jong-won");
    let id = app
        .proposition_id("treaty-automatic-military-intervention")
        .await;
    let (_, proposition) = json(&app, &format!("/api/v1/propositions/{id}")).await;
    assert_eq!(
        proposition["history"].as_array().map(Vec::len),
        Some(2),
        "the correction and the original"
    );
    let (_, resolutions) = json(&app, "/api/v1/resolutions?per_page=200").await;
    // 15: the 13 before, plus reunification annulled and cooperation agreements true.
    assert_eq!(resolutions["total"].as_i64(), Some(15));
}

#[tokio::test]
async fn api_errors_are_json_and_name_the_parameter() {
    let app = spawn_app().await;
    for (uri, status, parameter) in [
        (
            "/api/v1/predictions?status=maybe",
            StatusCode::BAD_REQUEST,
            Some("status"),
        ),
        (
            "/api/v1/experts?per_page=1000",
            StatusCode::BAD_REQUEST,
            Some("per_page"),
        ),
        (
            "/api/v1/experts/joh-han-beom/scorecard?as_of=soon",
            StatusCode::BAD_REQUEST,
            Some("as_of"),
        ),
        ("/api/v1/experts/nobody", StatusCode::NOT_FOUND, None),
        ("/api/v1/propositions/abc", StatusCode::NOT_FOUND, None),
    ] {
        let (got, body) = json(&app, uri).await;
        assert_eq!(got, status, "{uri}");
        assert_eq!(body["parameter"].as_str(), parameter, "{uri}");
        assert!(!body["error"].as_str().unwrap().is_empty());
    }
}

/// A record number in a path that is not one is "not found", as a page and as JSON, naming what.
#[tokio::test]
async fn a_path_number_that_is_not_one_is_not_found_naming_what() {
    let app = spawn_app().await;
    for uri in ["/sources/abc", "/propositions/0", "/propositions/2.5"] {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("is not the number of any"), "{uri}");
    }
    let (status, body) = json(&app, "/api/v1/sources/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Source not found"),
        "{body}"
    );
}

/// The bodies the API answers and its OpenAPI document, byte for byte as they were when the
/// JSON types started serialising the domain's records: a refactor must leave every one as is.
/// The moments the database stamps as it imports vary from run to run and are masked.
#[tokio::test]
async fn the_api_bodies_and_document_are_pinned() {
    let app = spawn_app().await;
    // The pinned bodies hold every id, so the ids in these addresses are pinned with them.
    let uris = [
        "/api/openapi.json",
        "/api/v1/experts?per_page=100",
        "/api/v1/experts/joh-han-beom",
        "/api/v1/sources?per_page=100",
        "/api/v1/sources/1",
        "/api/v1/events?per_page=100",
        "/api/v1/events/putin-visit-pyongyang-2024",
        "/api/v1/propositions?per_page=100",
        "/api/v1/propositions/1",
        "/api/v1/predictions?per_page=200",
        "/api/v1/resolutions?per_page=200",
    ];
    let mut answered = String::new();
    for uri in uris {
        let page = app.get(uri).await;
        answered.push_str(&format!("{uri} {}\n{}\n", page.status, page.body));
    }
    let answered = mask_stamps(&answered);
    let pinned_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/api/answers.txt"
    );
    if std::env::var_os("PIN_API_ANSWERS").is_some() {
        std::fs::write(pinned_path, &answered).unwrap();
    }
    let pinned = std::fs::read_to_string(pinned_path).unwrap();
    for (line, (got, want)) in answered.lines().zip(pinned.lines()).enumerate() {
        assert_eq!(got, want, "line {}", line + 1);
    }
    assert_eq!(answered.lines().count(), pinned.lines().count());
}

/// Replaces each write stamp of today ("2026-…T…Z" made by the database clock) by a mark.
fn mask_stamps(text: &str) -> String {
    let today = chrono::Utc::now().format("%Y-%m-%dT").to_string();
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&today) {
        masked.push_str(&rest[..at]);
        let stamp_len = rest[at..].find('"').unwrap_or(rest.len() - at);
        masked.push_str("<stamp>");
        rest = &rest[at + stamp_len..];
    }
    masked.push_str(rest);
    masked
}

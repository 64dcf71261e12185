use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hindsight::db::{Database, dataset};
use hindsight::import::DEMO_DATA_SET;
use hindsight::web::{AppState, router};
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Database,
    _dir: TempDir,
}

pub fn static_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static")
}

/// A fresh database in its own directory, migrated and empty.
pub async fn spawn_empty_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let db = Database::connect(&url)
        .await
        .expect("database opens and migrates");
    let router = router(
        AppState {
            db: db.clone(),
            public_url: "http://hindsight.test".into(),
        },
        &static_dir(),
    );
    TestApp {
        router,
        db,
        _dir: dir,
    }
}

/// A fresh database holding the demo data set, loaded as `cargo run` loads it.
pub async fn spawn_app() -> TestApp {
    let app = spawn_empty_app().await;
    dataset::import_json(&app.db, DEMO_DATA_SET, false, None)
        .await
        .expect("demo data set imports");
    app
}

pub struct Page {
    pub status: StatusCode,
    pub content_type: String,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

impl TestApp {
    pub async fn get(&self, uri: &str) -> Page {
        let request = Request::get(uri)
            .body(Body::empty())
            .expect("request builds");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        Page {
            status,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db.read)
            .await
            .expect("count")
    }

    pub async fn proposition_id(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM propositions WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.db.read)
            .await
            .expect("proposition exists")
    }
}

pub fn select(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    html.select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

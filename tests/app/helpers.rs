use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use hindsight::app::{App, Options};
use hindsight::db::dataset::ImportReport;
use hindsight::db::{Database, accounts, dataset};
use hindsight::domain::Role;
use hindsight::import::DEMO_DATA_SET;
use hindsight::web::AppState;
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Database,
    /// The server's finished pages.
    pub pages: std::sync::Arc<hindsight::web::cache::PageCache>,
    /// The database's URL, for a second process's view of the same file.
    pub url: String,
    /// What the router was built with: the throttle, the cache, the standings.
    pub state: AppState,
    _dir: std::sync::Arc<TempDir>,
}

impl TestApp {
    /// `app` over its database at `url`, kept in `dir` for as long as a test holds it.
    fn serving(app: App, url: String, dir: std::sync::Arc<TempDir>) -> TestApp {
        let App { state, router } = app;
        TestApp {
            router,
            db: state.db.clone(),
            pages: state.pages.clone(),
            url,
            state,
            _dir: dir,
        }
    }
}

pub fn static_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static")
}

/// The tables that hold the data set's records, the ones an import writes.
pub const DATA_TABLES: [&str; 8] = [
    "experts",
    "expert_aliases",
    "sources",
    "events",
    "propositions",
    "predictions",
    "resolutions",
    "topics",
];

/// Asserts that the file under `db` passes SQLite's integrity check.
pub async fn assert_integrity_ok(db: &Database) {
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db.read)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}

pub const PUBLIC_URL: &str = "http://hindsight.test";

/// The password `add_account` gives every account: long, uncommon, without a username.
pub const TEST_PASSWORD: &str = "tiny violet kettles hum at dawn";

/// A fresh database in its own directory, migrated and empty, served as `public_url`.
pub async fn spawn_empty_app_at(public_url: &str) -> TestApp {
    spawn_configured(public_url, |_| {}).await
}

/// The demo, served with `configure` applied to the server's options (shorter session times,
/// the admin two-factor requirement).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Options)) -> TestApp {
    spawn_configured(PUBLIC_URL, |options| {
        options.load_demo_if_empty = true;
        configure(options);
    })
    .await
}

/// A fresh database in its own directory, served by the `App` that `main` builds, with
/// `configure` applied to its options.
async fn spawn_configured(public_url: &str, configure: impl FnOnce(&mut Options)) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let db = Database::connect(&url)
        .await
        .expect("database opens and migrates");
    let mut options = Options::new(db, public_url, static_dir());
    configure(&mut options);
    let app = App::build(options).await.expect("the app builds");
    TestApp::serving(app, url, std::sync::Arc::new(dir))
}

/// A second server over `app`'s database, served as `PUBLIC_URL`, with nothing kept yet and
/// `configure` applied to its options.
pub async fn another_server(app: &TestApp, configure: impl FnOnce(&mut Options)) -> TestApp {
    let mut options = Options::new(app.db.clone(), PUBLIC_URL, static_dir());
    configure(&mut options);
    let built = App::build(options).await.expect("the app builds");
    TestApp::serving(built, app.url.clone(), std::sync::Arc::clone(&app._dir))
}

pub async fn spawn_empty_app() -> TestApp {
    spawn_empty_app_at(PUBLIC_URL).await
}

/// A fresh database holding the demo data set, loaded as `cargo run` loads it.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The page at `uri` of a fresh demo, parsed: for a test that reads one page and nothing else.
pub async fn demo_html(uri: &str) -> Html {
    spawn_app().await.html(uri).await
}

/// The demo with an analyst, `username`, signed in: the opening of most tests of the forms.
pub async fn demo_with_analyst(username: &str) -> (TestApp, String) {
    let app = spawn_app().await;
    let session = app.analyst(username).await;
    (app, session)
}

/// The demo with one question still waiting for its outcome: its outcome on whether the treaty
/// mentions reunification (annulled: no source settles it) left out, for tests in which an
/// analyst decides an open question and Jeh Sung-hoon's tally moves from pending to right.
pub async fn spawn_app_with_an_open_question() -> TestApp {
    let mut demo: serde_json::Value = serde_json::from_str(DEMO_DATA_SET).expect("demo is JSON");
    demo["resolutions"]
        .as_array_mut()
        .expect("the demo has resolutions")
        .retain(|r| r["proposition"] != "treaty-mentions-reunification");
    let app = spawn_empty_app().await;
    dataset::import_json(&app.db, &demo.to_string(), false, None)
        .await
        .expect("demo data set imports");
    app
}

fn header_value(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

pub struct Page {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn location(&self) -> String {
        self.header(header::LOCATION)
    }

    /// The first value of header `name`, or nothing.
    pub fn header(&self, name: header::HeaderName) -> String {
        header_value(&self.headers, name)
    }

    /// The session cookie this response sets, as "name=value".
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("hindsight="))
            .and_then(|v| v.split(';').next())
            .map(ToString::to_string)
    }

    pub fn set_cookie_header(&self) -> String {
        self.header(header::SET_COOKIE)
    }
}

/// The outcome form as a test fills it in where it says nothing else: true, decided 21 June
/// 2024, with evidence and a rationale, and no outcome seen before.
pub const OUTCOME_FORM: [(&str, &str); 5] = [
    ("outcome", "true"),
    ("decided_on", "2024-06-21"),
    ("evidence_url", "https://example.org/treaty-text"),
    ("rationale", "Decided in a test."),
    ("seen", ""),
];

/// `defaults` with `fields` in place of the ones of the same name; a field `defaults` lacks
/// comes after them.
pub fn with_fields<'a>(
    defaults: &[(&'a str, &'a str)],
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = defaults
        .iter()
        .map(|&(name, value)| {
            fields
                .iter()
                .find(|(field, _)| *field == name)
                .map_or((name, value), |&(_, given)| (name, given))
        })
        .collect();
    form.extend(
        fields
            .iter()
            .filter(|(field, _)| !defaults.iter().any(|(name, _)| name == field)),
    );
    form
}

/// Form fields: each of `names` with the value at its place in `values`.
pub fn named<'a, const N: usize>(
    names: [&'a str; N],
    values: [&'a str; N],
) -> [(&'a str, &'a str); N] {
    std::array::from_fn(|i| (names[i], values[i]))
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    let mut encoder = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        encoder.append_pair(k, v);
    }
    encoder.finish()
}

impl TestApp {
    /// Uploads `content` as a file called `name` on the import page, as `session`, for its
    /// preview.
    pub async fn upload(&self, session: &str, name: &str, content: &[u8]) -> Page {
        let (content_type, body) = multipart(name, content);
        let request = Request::post("/import")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, session)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = header_value(&headers, header::CONTENT_TYPE);
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        Page {
            status,
            content_type,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.get_as(uri, None).await
    }

    /// The page at `uri`, which must be there (200 OK).
    pub async fn get_ok(&self, uri: &str) -> Page {
        let page = self.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        page
    }

    /// The page at `uri`, parsed.
    pub async fn html(&self, uri: &str) -> Html {
        self.get(uri).await.html()
    }

    pub async fn get_as(&self, uri: &str, cookie: Option<&str>) -> Page {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request builds"))
            .await
    }

    /// A form POST as a browser on this site sends it (same-origin fetch metadata).
    pub async fn post_form(
        &self,
        uri: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, PUBLIC_URL);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(
            request
                .body(Body::from(encode(fields)))
                .expect("request builds"),
        )
        .await
    }

    /// A form POST from a browser signed in as `session`.
    pub async fn post_as(&self, session: &str, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.post_form(uri, Some(session), fields).await
    }

    /// Posts a form as `session` and asserts that it was saved: the answer sends the browser on.
    pub async fn post_saved(&self, session: &str, uri: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.post_as(session, uri, fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{uri}: {}", page.body);
        page
    }

    /// Posts a form as `session` and asserts that it was refused (422) with one message on
    /// `field`; the message.
    pub async fn post_refused(
        &self,
        session: &str,
        uri: &str,
        fields: &[(&str, &str)],
        field: &str,
    ) -> String {
        let page = self.post_as(session, uri, fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        let messages = select(&page.html(), &format!("#{field}-error"));
        assert_eq!(messages.len(), 1, "{uri}: {messages:?}");
        messages[0].clone()
    }

    /// Retracts the record at `path` ("/predictions/7") through its form, as `session`, for
    /// `reason`, and asserts that it is done.
    pub async fn retract(&self, session: &str, path: &str, reason: &str) {
        let fields = [("retract_reason", reason)];
        let done = self
            .post_as(session, &format!("{path}/retract"), &fields)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }

    /// Records `outcome` for proposition `id` through the outcome form, signed in as `session`,
    /// decided 21 June 2024 with `rationale`; the form's answer.
    pub async fn record_outcome(
        &self,
        session: &str,
        id: i64,
        outcome: &str,
        rationale: &str,
    ) -> Page {
        self.resolve(
            session,
            id,
            &[("outcome", outcome), ("rationale", rationale)],
        )
        .await
    }

    /// Posts the outcome form of proposition `id` as `session`: `OUTCOME_FORM` with `fields` in
    /// place of the fields of the same name.
    pub async fn resolve(&self, session: &str, id: i64, fields: &[(&str, &str)]) -> Page {
        self.post_form(
            &format!("/propositions/{id}/resolve"),
            Some(session),
            &with_fields(&OUTCOME_FORM, fields),
        )
        .await
    }

    /// The `seen` field of the outcome form of proposition `id`: the outcome it was opened over.
    pub async fn outcome_seen(&self, session: &str, id: i64) -> String {
        let form = self
            .get_as(&format!("/propositions/{id}/resolve"), Some(session))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        attribute(&form.html(), "input[name=seen]", "value")
    }

    /// Corrects the outcome of proposition `id` to `outcome` through the form, over the outcome
    /// the form shows, and asserts it is saved.
    pub async fn correct_outcome(&self, session: &str, id: i64, outcome: &str, rationale: &str) {
        let seen = self.outcome_seen(session, id).await;
        let fields = [
            ("outcome", outcome),
            ("rationale", rationale),
            ("seen", &seen),
        ];
        let saved = self.resolve(session, id, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }

    /// The demo with one more prediction (see `import_one_quote`).
    pub async fn demo_with_one_quote(source_title: &str, quote: &str) -> TestApp {
        let app = spawn_app().await;
        app.import_one_quote(source_title, quote).await;
        app
    }

    /// Imports one prediction by Doo Jin-ho on the joint declaration, said 18 June 2024, with
    /// `quote`, from a source titled `source_title`: for tests of what pages make of the text.
    pub async fn import_one_quote(&self, source_title: &str, quote: &str) {
        let file = serde_json::json!({
            "format": "hindsight/v1",
            "sources": [{"key": "s", "title": source_title, "outlet": "O", "published_on": "2024-06-18"}],
            "predictions": [{"expert": "doo-jin-ho", "proposition": "joint-declaration-adopted", "source": "s",
                             "quote": quote, "said_on": "2024-06-18", "basis": "stated", "probability": 0.1}]
        });
        dataset::import_json(&self.db, &file.to_string(), false, None)
            .await
            .unwrap();
    }

    /// Imports a generated data set (see `hindsight generate`).
    pub async fn import_generated(&self, predictions: usize, experts: usize, seed: u64) {
        let file = hindsight::generate::data_set(hindsight::generate::Spec {
            predictions,
            experts,
            seed,
        });
        hindsight::db::dataset::import_json(
            &self.db,
            &serde_json::to_string(&file).expect("a generated file serialises"),
            false,
            None,
        )
        .await
        .expect("a generated file imports");
    }

    /// Imports the data set `text`, which must be valid, as no analyst.
    pub async fn import(&self, text: &str) -> ImportReport {
        dataset::import_json(&self.db, text, false, None)
            .await
            .unwrap()
    }

    /// How many rows each table of records holds, to show that something wrote nothing.
    pub async fn record_counts(&self) -> Vec<i64> {
        let mut counts = Vec::new();
        for table in DATA_TABLES.into_iter().chain(["analysts", "change_log"]) {
            counts.push(self.count(table).await);
        }
        counts
    }

    /// Imports `text` again and asserts that it changed nothing: no change reported, no row
    /// added anywhere.
    pub async fn assert_import_changes_nothing(&self, text: &str) {
        let before = self.record_counts().await;
        let report = dataset::import_json(&self.db, text, false, None)
            .await
            .unwrap();
        assert_eq!(report.total_changes(), 0, "{report:?}");
        assert_eq!(self.record_counts().await, before);
    }

    /// Asserts that SQLite's plan for `sql` goes through `index`.
    pub async fn assert_plan_uses(&self, sql: &str, index: &str) {
        let plan = self.query_plan(sql).await;
        assert!(plan.iter().any(|step| step.contains(index)), "{plan:?}");
    }

    /// The first version of a record, from the creation entry of its own the change log keeps
    /// (for a record created with others, copied there when it first changed).
    pub async fn first_version(&self, entity: &str, id: i64) -> serde_json::Value {
        let snapshot: String = sqlx::query_scalar(
            "SELECT snapshot FROM change_log WHERE entity = $1 AND entity_id = $2 AND action = 'create' AND last_entity_id IS NULL",
        )
        .bind(entity)
        .bind(id)
        .fetch_one(&self.db.read)
        .await
        .expect("a creation entry of its own");
        serde_json::from_str(&snapshot).expect("a snapshot is JSON")
    }

    /// Predictions (or sources) whose first version is not in the change log exactly once: in
    /// an entry of their own, or in the run of an import that wrote them with others.
    pub async fn records_without_one_creation_entry(&self, entity: &str) -> i64 {
        let table = match entity {
            "prediction" => "predictions",
            "source" => "sources",
            other => panic!("no runs are logged for {other}"),
        };
        // A record's first version is in its run's entry until it first changes; then a trigger
        // copies it into an entry of its own, which takes the run's place.
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM (SELECT
               (SELECT COUNT(*) FROM change_log c WHERE c.entity = $1 AND c.action = 'create'
                  AND c.last_entity_id IS NULL AND c.entity_id = r.id) AS own,
               (SELECT COUNT(*) FROM change_log c WHERE c.entity = $1 AND c.action = 'create'
                  AND r.id BETWEEN c.entity_id AND c.last_entity_id) AS runs
             FROM {table} r)
             WHERE NOT ((own = 1 AND runs <= 1) OR (own = 0 AND runs = 1))"
        ))
        .bind(entity)
        .fetch_one(&self.db.read)
        .await
        .expect("creation entries")
    }

    /// FTS5 compares its index with the text it reads from the records (external content):
    /// an error here means a trigger told it the wrong old text.
    pub async fn search_index_check(&self) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO prediction_search (prediction_search, rank) VALUES ('integrity-check', 1)",
        )
        .execute(&self.db.write)
        .await
        .map(|_| ())
    }

    pub async fn assert_search_index_matches_the_records(&self) {
        if let Err(e) = self.search_index_check().await {
            panic!("the search index does not match the records: {e}");
        }
    }

    /// One value that `sql` reads.
    pub async fn scalar<T>(&self, sql: &str) -> T
    where
        T: Send + Unpin,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        self.scalar_with(sql, &[]).await
    }

    /// One value that `sql` reads, with `binds` for $1, $2, …
    pub async fn scalar_with<T>(&self, sql: &str, binds: &[i64]) -> T
    where
        T: Send + Unpin,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        let (value,) = self.row::<(T,)>(sql, binds).await;
        value
    }

    /// The one row `sql` reads, with `binds` for $1, $2, …
    pub async fn row<T>(&self, sql: &str, binds: &[i64]) -> T
    where
        T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        sqlx::query_as_with(sql, arguments(binds))
            .fetch_one(&self.db.read)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every row `sql` reads.
    pub async fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        sqlx::query_as(sql)
            .fetch_all(&self.db.read)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs `sql`, with `binds` for $1, $2, …, on the writer, as a test that breaks a record does.
    pub async fn execute(&self, sql: &str, binds: &[i64]) {
        sqlx::query_with(sql, arguments(binds))
            .execute(&self.db.write)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// SQLite's plan for `sql`, a step a line.
    pub async fn query_plan(&self, sql: &str) -> Vec<String> {
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                .fetch_all(&self.db.read)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        plan.into_iter().map(|(_, _, _, step)| step).collect()
    }

    /// The status `uri` answers `session` with.
    pub async fn status_as(&self, uri: &str, session: &str) -> StatusCode {
        self.get_as(uri, Some(session)).await.status
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

    /// An account with no password yet: its id and the token of its set-up link, valid for an
    /// hour.
    pub async fn account_to_set_up(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
    ) -> (i64, String) {
        accounts::create(
            &self.db,
            username,
            display_name,
            role,
            None,
            chrono::Duration::hours(1),
        )
        .await
        .expect("account")
    }

    /// What the set-up link `link` answers `password`, typed twice.
    pub async fn choose_password(&self, link: &str, password: &str) -> Page {
        let fields = [("password", password), ("confirm", password)];
        self.post_form(link, None, &fields).await
    }

    /// An account with a password, made the way its owner would: through its set-up link.
    pub async fn add_account(&self, username: &str, role: Role) -> String {
        let password = TEST_PASSWORD.to_string();
        let display_name = format!("{username} (test)");
        let (_, token) = self.account_to_set_up(username, &display_name, role).await;
        let page = self
            .choose_password(&format!("/setup/{token}"), &password)
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        password
    }

    /// What the sign-in form answers `username` with `password` (and no page to go on to).
    pub async fn login(&self, username: &str, password: &str) -> Page {
        let fields = [("username", username), ("password", password)];
        self.post_form("/login", None, &fields).await
    }

    /// Signs in and returns the session cookie.
    pub async fn sign_in(&self, username: &str, password: &str) -> String {
        let page = self
            .post_form(
                "/login",
                None,
                &crate::binary::sign_in_form(username, password),
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in failed: {}",
            page.body
        );
        page.session_cookie().expect("a session cookie")
    }

    /// What the accounts page answers `admin` who adds an account.
    pub async fn admin_adds(
        &self,
        admin: &str,
        username: &str,
        display_name: &str,
        role: &str,
    ) -> Page {
        let fields = named(
            ["username", "display_name", "role"],
            [username, display_name, role],
        );
        self.post_as(admin, "/admin/analysts", &fields).await
    }

    /// Asserts that `session` does not reach the analyst's page: it is sent elsewhere.
    pub async fn assert_not_signed_in(&self, session: &str) {
        assert_eq!(
            self.status_as("/analyst", session).await,
            StatusCode::SEE_OTHER
        );
    }

    /// A signed-in analyst's session cookie.
    pub async fn analyst(&self, username: &str) -> String {
        let password = self.add_account(username, Role::Analyst).await;
        self.sign_in(username, &password).await
    }
}

/// Asserts how many records of each kind `report` says the import created.
pub fn assert_created(report: &ImportReport, expected: &[(&str, u64)]) {
    for &(kind, count) in expected {
        assert_eq!(report.created(kind), count, "{kind}");
    }
}

/// `binds` as the arguments for $1, $2, …
pub fn arguments(binds: &[i64]) -> sqlx::sqlite::SqliteArguments<'static> {
    let mut arguments = sqlx::sqlite::SqliteArguments::default();
    for bind in binds {
        sqlx::Arguments::add(&mut arguments, *bind).expect("an integer binds");
    }
    arguments
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

pub fn attribute(html: &Html, selector: &str, name: &str) -> String {
    let selector = Selector::parse(selector).expect("valid selector");
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .unwrap_or_default()
        .to_string()
}

/// Asserts that each of `candidates` (as the extraction API and command print them) quotes
/// `article` at its offsets and has every field of the API's candidates.
pub fn assert_candidates_in_the_apis_shape(article: &str, candidates: &[serde_json::Value]) {
    for candidate in candidates {
        let (start, end) = (
            candidate["start"].as_u64().unwrap() as usize,
            candidate["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            &article[start..end],
            candidate["quote"].as_str().unwrap(),
            "the quote is the text at its offsets"
        );
        for field in [
            "sentence",
            "speaker",
            "speaker_kind",
            "affiliation",
            "expert",
            "expert_alternatives",
            "attribution",
            "hedge_words",
            "probability",
            "scale",
            "scale_term",
            "probability_reason",
            "proposition",
        ] {
            assert!(candidate.get(field).is_some(), "{field} in {candidate:#}");
        }
    }
}

/// Asserts that the form on this page marks each of `fields` with one message.
pub fn assert_each_marked(html: &Html, fields: &[&str]) {
    for field in fields {
        assert_eq!(
            select(html, &format!("#{field}-error")).len(),
            1,
            "a message at {field}"
        );
    }
}

/// A multipart form holding one file, `name`, as a browser sends it: (content type, body).
pub fn multipart(name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "hindsight-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

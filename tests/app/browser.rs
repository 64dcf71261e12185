//! Pages in a real browser: Debian's headless Chromium loads pages from a real server.

use std::path::Path;
use std::process::Command;

use crate::helpers::{spawn_app, static_dir};
use hindsight::app::{App, Options};
use hindsight::domain::Role;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Serves the demo on a free loopback port and returns its base URL.
pub(crate) async fn serve_demo() -> (String, crate::helpers::TestApp) {
    serve(spawn_app().await).await
}

/// The demo with the reunification question still open (see `spawn_app_with_an_open_question`).
async fn serve_demo_with_an_open_question() -> (String, crate::helpers::TestApp) {
    serve(crate::helpers::spawn_app_with_an_open_question().await).await
}

async fn serve(app: crate::helpers::TestApp) -> (String, crate::helpers::TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let options = Options::new(app.db.clone(), &format!("http://{address}"), static_dir());
    let service = App::build(options).await.unwrap().router;
    tokio::spawn(async move {
        axum::serve(
            listener,
            service.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    (format!("http://{address}"), app)
}

fn chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    assert!(
        Path::new(CHROMIUM).exists(),
        "browser tests need Debian's chromium: apt-get install chromium chromium-driver (.ci/run does)"
    );
    Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

/// The grid's geometry in the window the browser shows: `[window width, the Brier header's right
/// edge, the scroll box's left edge, its scrollable overflow, the first expert cell's left edge,
/// the scroll box's right edge]`.
async fn grid_geometry(client: &fantoccini::Client) -> Vec<f64> {
    let value = client
        .execute(
            r##"const box = document.querySelector(".grid-scroll");
               const headers = [...document.querySelectorAll("#grid thead th")];
               const brier = headers.find(h => h.textContent.trim() === "Brier");
               const expert = document.querySelector("#grid tbody th");
               return [document.documentElement.clientWidth, brier.getBoundingClientRect().right,
                       box.getBoundingClientRect().left, box.scrollWidth - box.clientWidth,
                       expert.getBoundingClientRect().left, box.getBoundingClientRect().right];"##,
            vec![],
        )
        .await
        .unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

/// Saves what the browser shows, for a person to look at, under the target's temporary folder.
pub(crate) async fn save_screenshot(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    assert_eq!(&png[1..4], b"PNG", "{name} is a PNG");
    assert!(
        png.len() > 20_000,
        "{name} shows a rendered page, not a blank one"
    );
    std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join(name), &png).unwrap();
}

/// On a desktop window of 1400 px every column of the grid shows, Brier included; on a phone the
/// grid scrolls sideways inside its box while the expert column stays in view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_grid_renders_in_chromium_on_desktop_and_phone() {
    let (base, _app) = serve_demo().await;
    let driver = start_driver().await;
    let client = browser(&driver).await;
    visit(
        &client,
        &format!("{base}/events/putin-visit-pyongyang-2024"),
    )
    .await;
    let wrong = text_of(&client, "#grid a.cellpred[data-verdict=wrong]").await;
    // 14 wrong calls with the re-read demo: the South Korean government's and the 13 June
    // report's unnamed experts' calls on the new treaty (one sentence, two speakers).
    assert_eq!(wrong.len(), 14, "the browser's DOM has every wrong call");
    assert!(wrong.iter().all(|w| w.contains('✗')), "{wrong:?}");
    let scroll_to_grid = "document.getElementById('grid-heading').scrollIntoView()";

    client.set_window_size(1400, 900).await.unwrap();
    client.execute(scroll_to_grid, vec![]).await.unwrap();
    let [width, brier_right, _, overflow, _, box_right] = grid_geometry(&client).await[..] else {
        unreachable!()
    };
    assert!(
        width >= 1380.0,
        "the window is a desktop one: {width} px wide"
    );
    assert!(
        brier_right <= width && brier_right <= box_right,
        "the Brier column ends at {brier_right} px, inside the {width} px window and the grid's \
         box (to {box_right} px)"
    );
    assert_eq!(overflow, 0.0, "nothing of the grid is hidden to the right");
    save_screenshot(&client, "event-grid-desktop.png").await;

    client.set_window_size(390, 844).await.unwrap();
    client.execute(scroll_to_grid, vec![]).await.unwrap();
    let [width, _, box_left, overflow, expert_left, _] = grid_geometry(&client).await[..] else {
        unreachable!()
    };
    assert!(width <= 400.0, "the window is a phone's: {width} px wide");
    assert!(overflow > 100.0, "the grid scrolls sideways in its box");
    client
        .execute(
            "document.querySelector('.grid-scroll').scrollLeft = 10000",
            vec![],
        )
        .await
        .unwrap();
    let [_, brier_right, _, _, scrolled_expert_left, _] = grid_geometry(&client).await[..] else {
        unreachable!()
    };
    assert!(
        (scrolled_expert_left - expert_left).abs() < 1.0 && (expert_left - box_left).abs() < 1.0,
        "the expert column stays at the box's left edge ({box_left} px) when the grid scrolls: \
         at {expert_left} px, then {scrolled_expert_left} px"
    );
    assert!(
        brier_right <= width,
        "scrolled to its end, the grid shows the Brier column: {brier_right} px of {width}"
    );
    save_screenshot(&client, "event-grid-phone.png").await;
    client.close().await.unwrap();
}

/// A chromedriver on a free loopback port, stopped when dropped.
pub(crate) struct Driver {
    child: std::process::Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn start_driver() -> Driver {
    assert!(
        Path::new("/usr/bin/chromedriver").exists(),
        "browser tests need Debian's chromium-driver: apt-get install chromium chromium-driver (.ci/run does)"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _profile: tempfile::tempdir().unwrap(),
    }
}

pub(crate) async fn browser(driver: &Driver) -> fantoccini::Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1280,1400", format!("--user-data-dir={}", driver._profile.path().display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    fantoccini::ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// Waits (up to 10 s) for a navigation started by a click to arrive at `path`.
pub(crate) async fn wait_for_path(client: &fantoccini::Client, path: &str) {
    for _ in 0..200 {
        if client
            .current_url()
            .await
            .is_ok_and(|url| url.path() == path)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "never arrived at {path}: at {:?}",
        client.current_url().await.map(|u| u.to_string())
    );
}

/// Opens the proposition's page and follows its link to the outcome form.
async fn open_resolve_form(client: &fantoccini::Client, base: &str, id: i64, label: &str) {
    visit(client, &format!("{base}/propositions/{id}")).await;
    client
        .find(fantoccini::Locator::LinkText(label))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// A browser that opens `path` on `base` as a stranger, is sent to sign in, signs in as
/// `username` and is back at `path`.
pub(crate) async fn open_signed_in(
    driver: &Driver,
    base: &str,
    path: &str,
    username: &str,
    password: &str,
) -> fantoccini::Client {
    let client = browser(driver).await;
    visit(&client, &format!("{base}{path}")).await;
    sign_in_at_login(&client, username, password).await;
    wait_for_path(&client, path).await;
    client
}

/// A new account, `username` with `role`, signed in in a new browser at `path` (see
/// `open_signed_in`): the browser's driver, the browser and the account's password.
pub(crate) async fn new_account_in_browser(
    app: &crate::helpers::TestApp,
    base: &str,
    path: &str,
    username: &str,
    role: Role,
) -> (Driver, fantoccini::Client, String) {
    let password = app.add_account(username, role).await;
    let driver = start_driver().await;
    let client = open_signed_in(&driver, base, path, username, &password).await;
    (driver, client, password)
}

/// On the sign-in page: fills it in and sends it.
pub(crate) async fn sign_in_at_login(client: &fantoccini::Client, username: &str, password: &str) {
    wait_for_path(client, "/login").await;
    fill(client, "username", username).await;
    fill(client, "password", password).await;
    click(client, "form.form button[type=submit]").await;
}

/// Replaces what the field with this id holds.
pub(crate) async fn fill(client: &fantoccini::Client, id: &str, text: &str) {
    let field = client.find(fantoccini::Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub(crate) async fn click(client: &fantoccini::Client, css: &str) {
    click_on(client, fantoccini::Locator::Css(css)).await;
}

pub(crate) async fn click_on(client: &fantoccini::Client, locator: fantoccini::Locator<'_>) {
    let element = client.find(locator).await.unwrap();
    element.click().await.unwrap();
}

/// Opens `url` in the browser.
pub(crate) async fn visit(client: &fantoccini::Client, url: &str) {
    client.goto(url).await.unwrap();
}

/// Types `text` into the field with this id, after what it holds, as a person does.
pub(crate) async fn type_into(client: &fantoccini::Client, id: &str, text: &str) {
    let field = client.find(fantoccini::Locator::Id(id)).await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Runs `script` in the page with `arguments[0]` set to `argument`; what it returns.
pub(crate) async fn run_script(
    client: &fantoccini::Client,
    script: &str,
    argument: serde_json::Value,
) -> serde_json::Value {
    client.execute(script, vec![argument]).await.unwrap()
}

pub(crate) async fn text_of(client: &fantoccini::Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client
        .find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap()
    {
        texts.push(
            element
                .text()
                .await
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_signs_in_records_an_outcome_and_sees_the_marks_change() {
    let (base, app) = serve_demo_with_an_open_question().await;
    let password = app.add_account("uma", Role::Analyst).await;
    let id = app.proposition_id("treaty-mentions-reunification").await;
    let driver = start_driver().await;
    let client = browser(&driver).await;

    visit(&client, &format!("{base}/experts/jeh-sung-hoon")).await;
    assert_eq!(
        text_of(&client, ".tally dd.num").await[..3],
        ["1", "1", "1"],
        "right, wrong, pending"
    );

    open_resolve_form(&client, &base, id, "Record the outcome").await;
    // Not signed in: the link leads to sign-in, which comes back to the form.
    sign_in_at_login(&client, "uma", &password).await;
    wait_for_path(&client, &format!("/propositions/{id}/resolve")).await;

    click(&client, "input[name=outcome][value=false]").await;
    let evidence = "https://hani.co.kr/arti/english_edition/e_northkorea/1145928.html";
    type_into(&client, "evidence_url", evidence).await;
    let rationale = "The published text has no article on reunification.";
    type_into(&client, "rationale", rationale).await;
    click(&client, "form.form button[type=submit]").await;
    wait_for_path(&client, &format!("/propositions/{id}")).await;
    assert_eq!(
        text_of(&client, ".outcome-box .outcome").await,
        vec!["FALSE"],
        "shown in capitals by the style sheet"
    );

    visit(&client, &format!("{base}/experts/jeh-sung-hoon")).await;
    assert_eq!(
        text_of(&client, ".tally dd.num").await[..3],
        ["2", "1", "0"],
        "one more right, none pending"
    );
    let verdicts = text_of(&client, "article.prediction .verdict").await;
    assert!(
        verdicts.iter().all(|v| !v.contains("Pending")),
        "{verdicts:?}"
    );

    // A correction: the history keeps both entries, newest first.
    open_resolve_form(&client, &base, id, "Correct the outcome").await;
    wait_for_path(&client, &format!("/propositions/{id}/resolve")).await;
    click(&client, "input[name=outcome][value=annulled]").await;
    fill(&client, "evidence_url", "https://example.org/correction").await;
    fill(
        &client,
        "rationale",
        "Corrected: the question was asked of a draft.",
    )
    .await;
    click(&client, "form.form button[type=submit]").await;
    wait_for_path(&client, &format!("/propositions/{id}")).await;
    assert_eq!(
        text_of(&client, ".outcome-box .outcome").await,
        vec!["ANNULLED"]
    );
    let history = text_of(&client, "ol.history > li").await;
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(history[0].contains("Corrected: the question was asked of a draft."));
    assert!(history[1].contains("no article on reunification"));

    let screenshot = client.screenshot().await.unwrap();
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("analyst-journey.png"),
        &screenshot,
    )
    .unwrap();
    client.close().await.unwrap();
}

/// A reader finds an expert, opens the scorecard, follows its share link and sees the same
/// numbers, pinned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_opens_a_scorecard_and_follows_its_share_link() {
    let (base, _app) = serve_demo_with_an_open_question().await;
    let driver = start_driver().await;
    let client = browser(&driver).await;
    visit(&client, &format!("{base}/experts")).await;
    click(&client, "a[href='/experts/jeh-sung-hoon']").await;
    wait_for_path(&client, "/experts/jeh-sung-hoon").await;
    let tally = text_of(&client, ".tally dd.num").await;
    assert_eq!(tally[..3], ["1", "1", "1"]);
    let share = client
        .find(fantoccini::Locator::Css("a.permalink"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        share.starts_with(&format!("{base}/experts/jeh-sung-hoon?as_of=")),
        "{share}"
    );
    visit(&client, &share).await;
    assert!(text_of(&client, ".pinned").await[0].starts_with("As of "));
    assert_eq!(text_of(&client, ".tally dd.num").await, tally);
    client.close().await.unwrap();
}

/// An analyst uploads a file, reads what it would change, and imports it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_imports_a_file_through_the_upload_page() {
    let (base, app) = serve_demo().await;
    let password = app.add_account("ivy", Role::Analyst).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("new-voice.json");
    std::fs::write(
        &file,
        r#"{"format": "hindsight/v1", "experts": [{"slug": "new-voice", "name": "New Voice", "affiliation": "Institute of Tests"}]}"#,
    )
    .unwrap();
    let driver = start_driver().await;
    let client = open_signed_in(&driver, &base, "/import", "ivy", &password).await;
    type_into(&client, "file", &file.display().to_string()).await;
    click(&client, "form.form button[type=submit]").await;
    // The preview: nothing written yet.
    let mut previewed = false;
    for _ in 0..100 {
        if client
            .find(fantoccini::Locator::LinkText("Choose another file"))
            .await
            .is_ok()
        {
            previewed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(previewed, "the preview appears");
    assert_eq!(app.count("experts").await, 15, "a preview writes nothing");
    let import = fantoccini::Locator::XPath("//button[contains(., 'Import these changes')]");
    click_on(&client, import).await;
    let mut imported = false;
    for _ in 0..100 {
        let count: i64 = app
            .scalar("SELECT COUNT(*) FROM experts WHERE slug = 'new-voice'")
            .await;
        if count == 1 {
            imported = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(imported, "the expert was imported");
    visit(&client, &format!("{base}/experts/new-voice")).await;
    assert!(text_of(&client, "h1").await[0].contains("New Voice"));
    client.close().await.unwrap();
}

/// Script and markup in every text field of a record show as text: the browser builds no
/// element from them and runs nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_every_text_field_shows_as_text_in_chromium() {
    const SCRIPT: &str = "<script>document.title='pwned'</script>";
    const IMAGE: &str = "\"><img src=x onerror=\"document.title='pwned'\">";
    const SVG: &str = "'><svg onload=\"document.title='pwned'\"></svg>";
    let file = serde_json::json!({
        "format": "hindsight/v1",
        "analysts": [{"username": "x-analyst", "display_name": format!("Ana {SCRIPT}")}],
        "topics": [{"slug": "xss", "name": format!("Topic {IMAGE}")}],
        "experts": [{"slug": "eve", "name": format!("Eve {SCRIPT}"), "affiliation": format!("Lab {IMAGE}"),
                     "title": format!("Fellow {SVG}"), "bio": format!("Bio {SCRIPT}"), "aliases": [format!("Evie {SVG}")]}],
        "sources": [{"key": "s", "title": format!("Title {SCRIPT}"), "outlet": format!("Outlet {IMAGE}"),
                     "url": "https://example.org/a", "published_on": "2024-06-01", "authors": [format!("Author {SVG}")]}],
        "events": [{"slug": "xss-event", "title": format!("Event {SCRIPT}"), "description": format!("About {IMAGE}"), "topics": ["xss"]}],
        "propositions": [{"slug": "xss-prop", "event": "xss-event", "statement": format!("Statement {SVG}"),
                          "criteria": format!("Criteria {SCRIPT}"), "decidable_by": "2024-07-01", "topics": ["xss"]}],
        "predictions": [{"expert": "eve", "proposition": "xss-prop", "source": "s", "quote": format!("Quote {IMAGE} {SCRIPT}"),
                         "said_on": "2024-06-01", "hedge_words": format!("maybe {SVG}"), "basis": "analyst", "probability": 0.3,
                         "basis_note": format!("Note {SCRIPT}")}],
        "resolutions": [{"proposition": "xss-prop", "outcome": "false", "decided_on": "2024-07-01",
                         "evidence_url": "https://example.org/e", "rationale": format!("Because {IMAGE}"),
                         "recorded_by": "x-analyst", "recorded_at": "2024-07-02T00:00:00Z"}]
    });
    let (base, app) = serve_demo().await;
    hindsight::db::dataset::import_json(&app.db, &file.to_string(), false, None)
        .await
        .unwrap();
    let proposition = app.proposition_id("xss-prop").await;
    let profile = tempfile::tempdir().unwrap();
    for path in [
        "/experts/eve".to_string(),
        "/events/xss-event".to_string(),
        format!("/propositions/{proposition}"),
        "/predictions?q=Quote".to_string(),
        "/leaderboard?min=1".to_string(),
        "/experts".to_string(),
    ] {
        let url = format!("{base}{path}");
        let dom = tokio::task::spawn_blocking({
            let profile = profile.path().to_path_buf();
            move || chromium(&profile, &["--dump-dom", &url])
        })
        .await
        .unwrap();
        let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
        let html = scraper::Html::parse_document(&dom);
        let title = crate::helpers::select(&html, "title").join("");
        // A script that ran would have made the title exactly this.
        assert_ne!(title.trim(), "pwned", "{path}: a script ran");
        for injected in [
            "script",
            "img[src=x]",
            "svg[onload]",
            "[onerror]",
            "[onload]",
        ] {
            assert!(
                crate::helpers::select(&html, injected).is_empty(),
                "{path}: the payload became a {injected} element"
            );
        }
        let text: String = html.root_element().text().collect();
        assert!(
            text.contains("<script>") || text.contains("<img") || text.contains("<svg"),
            "{path}: the payload shows as text"
        );
    }
}

/// An admin turns on two-factor sign-in in Chromium, with the code an authenticator app would
/// compute from the key the page shows, signs out, and signs in with password and code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_factor_sign_in_works_in_chromium() {
    use fantoccini::Locator;

    let (base, app) = serve_demo().await;
    let (_driver, client, password) =
        new_account_in_browser(&app, &base, "/account/two-factor", "wyn", Role::Admin).await;
    click(&client, "form[action='/account/two-factor/start'] button").await;
    let key = client
        .wait()
        .for_element(Locator::Css("code.secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let secret = key.replace(' ', "");
    assert_eq!(secret.len(), 32, "{key}");
    // The QR code is a data: image the page's Content-Security-Policy lets the browser show.
    let width = client
        .execute(
            "return document.querySelector('img.qr').naturalWidth",
            vec![],
        )
        .await
        .unwrap();
    assert!(width.as_u64().is_some_and(|w| w >= 200), "{width}");
    fill(&client, "code", &crate::accounts::totp_code(&secret, 0)).await;
    click(&client, "form[action='/account/two-factor/confirm'] button").await;
    client
        .wait()
        .for_element(Locator::Css(".recovery-codes code"))
        .await
        .unwrap();
    assert_eq!(text_of(&client, ".recovery-codes code").await.len(), 10);

    click(&client, ".analyst-bar form button").await;
    wait_for_path(&client, "/").await;
    visit(&client, &format!("{base}/analyst")).await;
    sign_in_at_login(&client, "wyn", &password).await;
    wait_for_path(&client, "/login/two-factor").await;
    // The enrolment spent this period's code: the next period's is accepted (one step of skew).
    fill(&client, "code", &crate::accounts::totp_code(&secret, 1)).await;
    click(&client, "form.form button[type=submit]").await;
    wait_for_path(&client, "/analyst").await;
    assert!(text_of(&client, ".analyst-bar strong").await[0].contains("wyn"));
    client.close().await.unwrap();
}

/// Chrome's DevTools protocol through chromedriver (`goog/cdp/execute`): here, to emulate the
/// reader's colour-scheme preference in the same browser session.
#[derive(Debug)]
struct DevTools {
    method: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(serde_json::json!({"cmd": self.method, "params": self.params}).to_string()),
        )
    }
}

/// Makes the pages see `prefers-color-scheme: dark` (or light), as a reader's system setting
/// would.
async fn emulate_color_scheme(client: &fantoccini::Client, scheme: &str) {
    client
        .issue_cmd(DevTools {
            method: "Emulation.setEmulatedMedia",
            params: serde_json::json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        })
        .await
        .unwrap();
}

/// axe-core, as `.ci/run` installs it from the npm registry (`npm ci --prefix tests/support/axe`).
pub(crate) fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error}; install axe-core with `npm ci --prefix tests/support/axe` (.ci/run does)",
            path.display()
        )
    })
}

/// The WCAG 2.0, 2.1 and 2.2 rules at levels A and AA.
const AXE_TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

/// Runs axe-core in the page the browser shows and returns its violations, one line per
/// failing element: rule, target, summary.
pub(crate) async fn axe_violations(client: &fantoccini::Client, axe: &str) -> Vec<String> {
    // WebDriver's scripts run in the page whatever its Content-Security-Policy says.
    client
        .execute(&format!("{axe}\n;return typeof axe;"), vec![])
        .await
        .unwrap();
    let result = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
                 .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}))}))
                 .catch(e => done({error: String(e)}));"#,
            vec![serde_json::json!(AXE_TAGS)],
        )
        .await
        .unwrap();
    assert!(result["error"].is_null(), "axe failed: {}", result["error"]);
    let mut lines = Vec::new();
    for violation in result["violations"].as_array().into_iter().flatten() {
        for node in violation["nodes"].as_array().into_iter().flatten() {
            lines.push(format!(
                "{} ({}): {} at `{}`: {}",
                violation["id"].as_str().unwrap_or_default(),
                violation["impact"].as_str().unwrap_or_default(),
                violation["help"].as_str().unwrap_or_default(),
                node["target"].as_str().unwrap_or_default(),
                node["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
    }
    lines
}

/// Loads each page in each colour scheme and adds what axe finds to `found`.
pub(crate) async fn audit_pages(
    client: &fantoccini::Client,
    base: &str,
    paths: &[String],
    axe: &str,
    found: &mut Vec<String>,
) -> usize {
    let mut audited = 0;
    for scheme in ["light", "dark"] {
        emulate_color_scheme(client, scheme).await;
        for path in paths {
            visit(client, &format!("{base}{path}")).await;
            let dark = client
                .execute(
                    "return matchMedia('(prefers-color-scheme: dark)').matches",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(dark, serde_json::json!(scheme == "dark"), "{path} {scheme}");
            let url = client.current_url().await.unwrap();
            assert_eq!(
                url.path(),
                path.split('?').next().unwrap_or_default(),
                "{path} was not redirected (signed in where it needs to be)"
            );
            for line in axe_violations(client, axe).await {
                found.push(format!("{scheme} {path}: {line}"));
            }
            audited += 1;
        }
    }
    audited
}

/// axe-core's WCAG 2.2 A and AA rules find nothing on any kind of page, in the light theme and
/// the dark one, for a reader and for a signed-in admin (forms, the desk, the admin pages).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_kind_passes_axe_core_in_both_colour_schemes() {
    let axe = axe_source();
    let (base, app) = serve_demo().await;
    let password = app.add_account("ada", Role::Admin).await;
    let proposition = app.proposition_id("treaty-mentions-reunification").await;
    let source: i64 = app.scalar("SELECT source_id FROM predictions GROUP BY source_id ORDER BY COUNT(*) DESC, source_id LIMIT 1").await;
    let reader = [
        "/".to_string(),
        "/experts".into(),
        "/experts/jeh-sung-hoon".into(),
        "/experts/joh-han-beom?as_of=2024-06-19".into(),
        "/events".into(),
        "/events/putin-visit-pyongyang-2024".into(),
        format!("/propositions/{proposition}"),
        "/predictions?q=treaty".into(),
        format!("/sources/{source}"),
        "/leaderboard".into(),
        "/login".into(),
        "/no-such-page".into(),
    ];
    let analyst = [
        "/analyst".to_string(),
        format!("/propositions/{proposition}/resolve"),
        "/predictions/new".into(),
        "/experts/new".into(),
        "/import".into(),
        "/extract".into(),
        "/extract/1".into(),
        "/admin/analysts".into(),
        "/account".into(),
        "/account/two-factor".into(),
    ];
    let ada = app.id_where("analysts", "username = 'ada'").await;
    let review = hindsight::extraction::new_review(
        &app.db,
        &hindsight::db::extraction::knowledge(&app.db).await.unwrap(),
        include_str!("../fixtures/extraction/seeds/003_10dfcf0b65ddf187.txt"),
        hindsight::extraction::review::ArticleDetails::default(),
    )
    .await
    .unwrap();
    let state = serde_json::to_string(&review).unwrap();
    let id = hindsight::db::extraction::create_review(&app.db, ada, "Seed 003", "text", &state)
        .await
        .unwrap();
    assert_eq!(id, 1, "the review the audit opens");
    let driver = start_driver().await;
    let client = browser(&driver).await;
    let mut found = Vec::new();
    let mut audited = audit_pages(&client, &base, &reader, &axe, &mut found).await;

    visit(&client, &format!("{base}/analyst")).await;
    sign_in_at_login(&client, "ada", &password).await;
    wait_for_path(&client, "/analyst").await;
    audited += audit_pages(&client, &base, &analyst, &axe, &mut found).await;
    client.close().await.unwrap();

    assert_eq!(audited, 2 * (reader.len() + analyst.len()));
    assert!(
        found.is_empty(),
        "axe-core found {} failing elements:\n{}",
        found.len(),
        found.join("\n")
    );
}

//! Pages in a real browser: Debian's headless Chromium loads pages from a real server.

use std::path::Path;
use std::process::Command;

use crate::helpers::{spawn_app, static_dir};
use hindsight::web::{AppState, router};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Serves the demo on a free loopback port and returns its base URL.
async fn serve_demo() -> (String, crate::helpers::TestApp) {
    let app = spawn_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let service = router(
        AppState::new(app.db.clone(), &format!("http://{address}")),
        &static_dir(),
    );
    tokio::spawn(async move { axum::serve(listener, service).await });
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_grid_renders_in_chromium_on_desktop_and_phone() {
    let (base, _app) = serve_demo().await;
    let profile = tempfile::tempdir().unwrap();
    let url = format!("{base}/events/putin-visit-pyongyang-2024");
    let dom = tokio::task::spawn_blocking({
        let (url, profile) = (url.clone(), profile.path().to_path_buf());
        move || chromium(&profile, &["--dump-dom", &url])
    })
    .await
    .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let html = scraper::Html::parse_document(&dom);
    let wrong = crate::helpers::select(&html, "#grid a.cellpred[data-verdict=wrong]");
    assert_eq!(wrong.len(), 13, "the browser's DOM has every wrong call");
    assert!(wrong.iter().all(|w| w.contains("Wrong")));

    // Screenshots at desktop and phone widths, kept for a person to look at.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (name, size) in [
        ("event-grid-desktop.png", "1400,1700"),
        ("event-grid-phone.png", "390,1400"),
    ] {
        let path = out.join(name);
        let _ = std::fs::remove_file(&path);
        let screenshot = tokio::task::spawn_blocking({
            let (url, profile, path) = (url.clone(), profile.path().to_path_buf(), path.clone());
            move || {
                chromium(
                    &profile,
                    &[
                        &format!("--window-size={size}"),
                        &format!("--screenshot={}", path.display()),
                        &url,
                    ],
                )
            }
        })
        .await
        .unwrap();
        assert!(
            screenshot.status.success(),
            "{}",
            String::from_utf8_lossy(&screenshot.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{name} is a PNG");
        assert!(
            bytes.len() > 20_000,
            "{name} shows a rendered page, not a blank one"
        );
    }
}

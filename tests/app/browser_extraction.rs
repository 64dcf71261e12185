//! Article extraction in Chromium: paste an article, review its candidates, commit three (one
//! edited), and see them on the scorecard and the event grid; a bad field and a stale review
//! write nothing.

use fantoccini::{Client, Locator};
use hindsight::domain::Role;

use crate::browser::{
    click, fill, new_account_in_browser, run_script, save_screenshot, serve_demo, text_of, visit,
};

const SEED_003: &str = include_str!("../fixtures/extraction/seeds/003_10dfcf0b65ddf187.txt");

/// The index of the candidate whose quote holds `words`, read from the review page.
async fn candidate_with(client: &Client, words: &str) -> usize {
    let found = run_script(
        client,
        r#"const words = arguments[0];
           const box = [...document.querySelectorAll("section.candidate textarea[name$='.quote']")]
               .find(t => t.value.includes(words));
           return box ? Number(box.name.slice(1).split('.')[0]) : -1;"#,
        serde_json::json!(words),
    )
    .await;
    let index = found.as_i64().unwrap();
    assert!(index >= 0, "a candidate quotes {words:?}");
    usize::try_from(index).unwrap()
}

/// Scrolls the element to the middle of the window, as a person does before clicking: the
/// review's action bar stays at the bottom of the window and would take a click there.
async fn click_in_view(client: &Client, css: &str) {
    let script = "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});";
    run_script(client, script, serde_json::json!(css)).await;
    click(client, css).await;
}

async fn decide(client: &Client, index: usize, decision: &str) {
    click_in_view(
        client,
        &format!("input[name='c{index}.decision'][value='{decision}']"),
    )
    .await;
}

async fn choose_basis(client: &Client, index: usize, basis: &str) {
    client
        .find(Locator::Css(&format!("select[name='c{index}.basis']")))
        .await
        .unwrap()
        .select_by_value(basis)
        .await
        .unwrap();
}

/// Waits for the page's heading to start with `heading`. The page may be changing while it
/// waits (a form was just sent), so a heading that goes stale as it is read is read again.
async fn wait_for_heading(client: &Client, heading: &str) {
    for _ in 0..200 {
        if let Ok(found) = client.find(Locator::Css("h1")).await
            && let Ok(text) = found.text().await
            && text.trim_start().starts_with(heading)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no heading {heading:?}: {:?}", text_of(client, "h1").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_pastes_an_article_reviews_it_and_commits_three_predictions() {
    let (base, app) = serve_demo().await;
    let (_driver, client, _) =
        new_account_in_browser(&app, &base, "/extract", "ana", Role::Analyst).await;

    // Pasting 5 KB key by key is slow; the browser's paste sets the value at once, as this does.
    let paste = "document.getElementById('text').value = arguments[0];";
    run_script(&client, paste, serde_json::json!(SEED_003)).await;
    fill(
        &client,
        "title",
        "Putin to visit North Korea on 18-19th (browser review)",
    )
    .await;
    fill(&client, "outlet", "The Asia Business Daily").await;
    client
        .execute(
            "document.getElementById('published_on').value = '2024-06-17'; document.getElementById('decidable_by').value = '2024-06-30';
             document.getElementById('event').value = 'putin-visit-pyongyang-2024';",
            vec![],
        )
        .await
        .unwrap();
    click(&client, "form.extract-start button[type=submit]").await;
    wait_for_heading(&client, "Review").await;
    let review = client.current_url().await.unwrap();

    let slim = candidate_with(&client, "slim").await;
    let partnership = candidate_with(&client, "strategic partnership").await;
    let technology = candidate_with(&client, "core military technology").await;
    let predictions = app.count("predictions").await;

    // A bad field: the page says which, and nothing is written.
    decide(&client, slim, "accept").await;
    decide(&client, partnership, "accept").await;
    decide(&client, technology, "accept").await;
    choose_basis(&client, technology, "analyst").await;
    fill(&client, &format!("c{technology}-probability"), "fairly low").await;
    save_screenshot(&client, "extract-review.png").await;
    click(&client, "button[value=commit]").await;
    wait_for_heading(&client, "Review").await;
    let message = text_of(&client, &format!("#c{technology}-probability-error")).await;
    assert!(
        message.first().is_some_and(|m| m.contains("fairly low")),
        "{message:?}"
    );
    assert_eq!(
        app.count("predictions").await,
        predictions,
        "a bad field writes nothing"
    );

    // A stale review: another window saves it first, so this one's commit writes nothing.
    let first = client.window().await.unwrap();
    let second = client.new_window(true).await.unwrap();
    client.switch_to_window(second.handle).await.unwrap();
    visit(&client, review.as_str()).await;
    click(&client, "button[value=save]").await;
    wait_for_heading(&client, "Review").await;
    client.close_window().await.unwrap();
    client.switch_to_window(first).await.unwrap();
    fill(&client, &format!("c{technology}-probability"), "20%").await;
    click(&client, "button[value=commit]").await;
    wait_for_heading(&client, "Review").await;
    assert!(
        text_of(&client, "#problems")
            .await
            .join(" ")
            .contains("changed since you opened it")
    );
    assert_eq!(
        app.count("predictions").await,
        predictions,
        "a stale review writes nothing"
    );

    // The page now shows the review as saved: accept the three again, edit one, and commit.
    decide(&client, slim, "accept").await;
    decide(&client, partnership, "accept").await;
    decide(&client, technology, "accept").await;
    choose_basis(&client, technology, "analyst").await;
    fill(&client, &format!("c{technology}-probability"), "20%").await;
    fill(
        &client,
        &format!("c{technology}-reason"),
        "'unlikely', read lower: he rules it out.",
    )
    .await;
    click(&client, "button[value=commit]").await;
    wait_for_heading(&client, "Committed").await;
    assert_eq!(app.count("predictions").await, predictions + 3);
    save_screenshot(&client, "extract-committed.png").await;

    visit(&client, &format!("{base}/experts/joh-han-beom")).await;
    let quotes = text_of(&client, "article.prediction blockquote")
        .await
        .join(" ");
    assert!(quotes.contains("core military technology"), "{quotes}");
    visit(
        &client,
        &format!("{base}/events/putin-visit-pyongyang-2024"),
    )
    .await;
    let grid = text_of(&client, "#grid").await.join(" ");
    assert!(
        grid.contains("20%"),
        "the edited number is on the event grid: {grid}"
    );
    client.close().await.unwrap();
}

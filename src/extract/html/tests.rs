use super::*;

const NEWS_PAGE: &str = include_str!("../../../tests/fixtures/extraction/html/news-page.html");
const ONLY_PARAGRAPHS: &str =
    include_str!("../../../tests/fixtures/extraction/html/only-paragraphs.html");
const NO_ARTICLE_ELEMENT: &str =
    include_str!("../../../tests/fixtures/extraction/html/no-article-element.html");
const NAVIGATION_ONLY: &str =
    include_str!("../../../tests/fixtures/extraction/html/navigation-only.html");
const LINE_BREAKS: &str = include_str!("../../../tests/fixtures/extraction/html/line-breaks.html");

fn long_paragraph() -> String {
    "The sides are expected to sign a new treaty replacing the one of 2000, officials said. "
        .repeat(3)
}

/// Reads `page`, asserting that it gives an article and that the article has `title`.
fn article_titled(page: &str, title: Option<&str>) -> HtmlArticle {
    let article = article_text(page).expect("an article");
    assert_eq!(article.title.as_deref(), title);
    article
}

#[test]
fn a_news_page_gives_only_its_body_paragraphs() {
    let title = "Putin to visit Pyongyang & sign a new treaty";
    let article = article_titled(NEWS_PAGE, Some(title));
    let expected = [
        "Russian President Vladimir Putin will visit North Korea \u{201c}in a few days,\u{201d} a \
         senior presidential official told reporters on Tuesday.",
        "\"There is now a possibility that the treaty includes military cooperation,\" said Lim \
         Eul-chul, a professor at Kyungnam University. He added that it\u{2019}s unlikely to be \
         signed before July.",
        "A new treaty",
        "Experts expect the two sides to sign a new agreement\nreplacing the treaty of 2000.",
    ]
    .join("\n\n");
    assert_eq!(article.text, expected);
}

#[test]
fn widgets_captions_and_banners_are_left_out() {
    let article = article_text(NEWS_PAGE).expect("an article");
    for left_out in [
        "cookies",
        "Advertisement",
        "Photo",
        "Related",
        "Kim meets Putin",
        "Read more",
        "Share",
        "morning briefing",
        "Reader:",
        "Copyright",
        "Most read",
        "JavaScript",
        "World",
        "console",
        "By Jane Reporter",
        "The Daily Example",
    ] {
        assert!(
            !article.text.contains(left_out),
            "{left_out:?} in {:?}",
            article.text
        );
    }
}

#[test]
fn a_page_of_bare_paragraphs_is_read() {
    let article = article_titled(ONLY_PARAGRAPHS, None);
    let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 3);
    assert!(paragraphs[0].contains("a new agreement \u{2018}inheriting\u{2019} the 1961 treaty"));
    assert!(paragraphs[1].starts_with("\"It would include military elements,\" he said"));
}

#[test]
fn a_page_without_article_element_is_scored() {
    let title = "Seoul weighs what a summit could bring";
    let article = article_titled(NO_ARTICLE_ELEMENT, Some(title));
    assert!(
        article
            .text
            .starts_with("The summit will not likely feature a surprise treaty")
    );
    assert!(
        article
            .text
            .contains("\u{201c}The most ambitious outcome will be a joint declaration,\u{201d}")
    );
    assert!(
        article
            .text
            .ends_with("groundbreaking cooperation on weapons technology.")
    );
    assert!(!article.text.contains("Most popular"));
    assert!(!article.text.contains("Home"));
}

#[test]
fn a_page_separated_by_line_breaks_is_read() {
    let article = article_titled(LINE_BREAKS, Some("Old style page"));
    let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 3, "{:?}", article.text);
    assert_eq!(
        paragraphs[1],
        "Overall cooperation, he said, is likely to be enhanced\nin the months after the summit."
    );
}

#[test]
fn pages_without_article_text_give_none() {
    assert_eq!(article_text(NAVIGATION_ONLY), None);
    assert_eq!(article_text(""), None);
    assert_eq!(
        article_text("<html><head><title>Empty</title></head><body></body></html>"),
        None
    );
    assert_eq!(
        article_text("<html><body><p>Too short to be an article.</p></body></html>"),
        None
    );
    assert_eq!(article_text("just some text that is not markup"), None);
    let scripts = format!(
        "<body><script>{}</script><style>{}</style></body>",
        long_paragraph(),
        long_paragraph()
    );
    assert_eq!(article_text(&scripts), None);
}

#[test]
fn article_element_is_preferred_over_longer_asides() {
    let html = format!(
        "<body><div class='x'><p>{0}</p><p>{0}</p><p>{0}</p></div><article><p>Article: {1}</p></article></body>",
        "A teaser of another story that is long enough to matter here. ".repeat(4),
        long_paragraph(),
    );
    let article = article_text(&html).expect("an article");
    assert!(article.text.starts_with("Article: "), "{:?}", article.text);
    assert!(!article.text.contains("teaser"));
}

#[test]
fn short_article_elements_fall_back_to_the_best_scored_block() {
    let html = format!(
        "<body><article><p>Teaser.</p></article><div><div id='story'><p>{0}</p><p>{0}</p></div></div></body>",
        long_paragraph()
    );
    let article = article_text(&html).expect("an article");
    assert_eq!(article.text, format!("{0}\n\n{0}", long_paragraph().trim()));
}

#[test]
fn entities_are_decoded_and_quotes_kept_exactly() {
    let html = format!(
        "<body><article><p>&#8220;Curly,&#8221; &lsquo;single&rsquo; &quot;straight&quot; 'apostrophe' \
         &amp; &lt;tag&gt; &#x2014; {}</p></article></body>",
        long_paragraph()
    );
    let article = article_text(&html).expect("an article");
    assert!(article.text.starts_with(
        "\u{201c}Curly,\u{201d} \u{2018}single\u{2019} \"straight\" 'apostrophe' & <tag> \u{2014} The sides"
    ));
}

#[test]
fn class_words_match_whole_words_only() {
    for widget in [
        "ad",
        "ad-slot",
        "top_ad",
        "adSlot",
        "ShareBar",
        "social-links",
        "newsletter",
        "cookieBanner",
        "related-stories",
        "promo",
        "sponsored-content",
        "subscribe-box",
        "comments",
        "image-credit",
    ] {
        assert!(walk::names_widget(widget), "{widget}");
    }
    for text in [
        "header",
        "shadow",
        "read",
        "thread",
        "heading",
        "loaded",
        "download",
        "commentary",
        "story-body",
        "article-content",
        "broadcast",
        "shared-content",
    ] {
        assert!(!walk::names_widget(text), "{text}");
    }
}

#[test]
fn deep_or_broken_markup_does_not_panic() {
    let deep = format!("{}<p>{}</p>", "<div>".repeat(400), long_paragraph());
    assert!(article_text(&deep).is_some());
    let too_deep = format!("{}<p>{}</p>", "<div>".repeat(200_000), long_paragraph());
    assert_eq!(article_text(&too_deep), None);
    let broken = format!(
        "<p>{}<b><i></b></i><table><p>{}</div></span>",
        long_paragraph(),
        "<<>>&&;;"
    );
    assert!(article_text(&broken).is_some());
    assert!(article_text("\u{0}\u{1}<\u{fffd}>").is_none());
}

#[test]
fn nesting_is_read_from_tags() {
    assert_eq!(
        nesting_depth("<html><body><div><p>a<p>b<br><img src=x><div/></div></body></html>"),
        1
    );
    assert_eq!(
        nesting_depth("<DIV><Section><span>x</span></section></div>"),
        3
    );
    assert_eq!(
        nesting_depth("<!-- <div><div> --><script>'<div><div>'</script><div></div>"),
        1
    );
    assert_eq!(nesting_depth("a < b and <3 <"), 0);
}

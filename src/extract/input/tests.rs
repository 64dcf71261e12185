use super::*;

const ARTICLE_HTML: &str = include_str!("../../../tests/fixtures/extraction/html/news-page.html");

fn plain(text: &str) -> Result<ArticleInput, InputError> {
    read(text.as_bytes(), "")
}

/// Asserts that reading `bytes` as the file `name` is refused with `error`.
fn assert_refused(bytes: &[u8], name: &str, error: InputError) {
    assert_eq!(read(bytes, name), Err(error));
}

#[test]
fn too_large_is_refused_before_anything_else() {
    let mut big = vec![b'a'; MAX_ARTICLE_BYTES + 1];
    assert_refused(&big, "a.txt", InputError::TooLarge);
    big[..5].copy_from_slice(b"%PDF-");
    assert_refused(&big, "a.pdf", InputError::TooLarge);
    assert_refused(&vec![0u8; MAX_ARTICLE_BYTES + 1], "", InputError::TooLarge);
    assert_refused(&vec![b' '; MAX_ARTICLE_BYTES + 1], "", InputError::TooLarge);
    let at_limit = vec![b'a'; MAX_ARTICLE_BYTES];
    assert_eq!(
        read(&at_limit, "a.txt").map(|input| input.text.len()),
        Ok(MAX_ARTICLE_BYTES)
    );
}

#[test]
fn empty_or_blank_is_empty() {
    for blank in [
        "",
        " ",
        "\n\r\n\t  ",
        "\u{feff}",
        "\u{feff}  \n",
        "\u{a0}\u{3000}\u{2003}",
    ] {
        assert_eq!(plain(blank), Err(InputError::Empty), "{blank:?}");
        assert_eq!(
            read(blank.as_bytes(), "a.md"),
            Err(InputError::Empty),
            "{blank:?}"
        );
    }
}

#[test]
fn binary_files_are_binary() {
    let signatures: [&[u8]; 7] = [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"GIF87a text after",
    ];
    for bytes in signatures {
        assert_eq!(
            read(bytes, "article.txt"),
            Err(InputError::Binary),
            "{bytes:?}"
        );
    }
    assert_refused(
        b"Some text\x00with a NUL byte in it",
        "",
        InputError::Binary,
    );
    let controls = "text\x01\x02\x03\x04 more\x05\x06\x07\x08\x0e\x0f";
    assert_eq!(plain(controls), Err(InputError::Binary));
    assert_eq!(
        plain("C1 controls \u{80}\u{81}\u{82}\u{83}\u{84}\u{85}\u{86}"),
        Err(InputError::Binary)
    );
    assert!(plain("A form feed\x0c and\ttabs\r\nare text.").is_ok());
}

#[test]
fn other_encodings_are_not_utf8() {
    assert_refused(
        b"Caf\xe9 au lait, said the na\xefve expert.",
        "a.txt",
        InputError::NotUtf8,
    );
    assert_refused(b"\xc3\x28 invalid sequence", "", InputError::NotUtf8);
    let utf16: Vec<u8> = "Putin will visit"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_refused(&utf16, "a.txt", InputError::NotUtf8);
    let with_bom: Vec<u8> = [0xff, 0xfe].into_iter().chain(utf16).collect();
    assert_refused(&with_bom, "a.txt", InputError::NotUtf8);
    let korean: Vec<u8> = "\u{feff}조한범 연구위원"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    assert_refused(&korean, "", InputError::NotUtf8);
}

#[test]
fn plain_text_keeps_its_words_and_loses_carriage_returns() {
    let input = read(
        "\u{feff}He said, \u{201c}It will happen.\u{201d}\r\nNext line.\rLast 'one'.\n".as_bytes(),
        "a.txt",
    );
    assert_eq!(
        input,
        Ok(ArticleInput {
            title: None,
            text: "He said, \u{201c}It will happen.\u{201d}\nNext line.\nLast 'one'.\n".into()
        })
    );
    let korean = "조한범 연구위원은 \u{201c}가능성은 낮다\u{201d}고 말했다.";
    assert_eq!(
        plain(korean).map(|input| input.text),
        Ok(korean.to_string())
    );
    let mentions_markup =
        "Articles are <p>-tagged in HTML, an editor wrote; the <br> tag breaks lines.";
    assert_eq!(
        plain(mentions_markup).map(|input| input.text),
        Ok(mentions_markup.to_string())
    );
}

#[test]
fn html_is_read_by_name_or_by_its_markup() {
    for name in ["page.html", "PAGE.HTM", "saved.xhtml", "", "article.txt"] {
        let input = read(ARTICLE_HTML.as_bytes(), name).expect("an article");
        assert_eq!(
            input.title.as_deref(),
            Some("Putin to visit Pyongyang & sign a new treaty"),
            "{name}"
        );
        assert!(
            input
                .text
                .starts_with("Russian President Vladimir Putin will visit"),
            "{name}"
        );
        assert!(!input.text.contains('<'), "{name}");
    }
    let fragment = format!(
        "  <p>{0}</p>\n<p>{0}</p>\n<div><p>{0}</p></div>",
        "Officials said the treaty would likely be signed during the visit next week."
    );
    let input = plain(&fragment).expect("an article");
    assert_eq!(input.text.matches("Officials said").count(), 3);
    assert_eq!(kind("<!DOCTYPE html><p>x", ""), InputKind::Html);
    assert_eq!(kind("\n  <html lang=en>", "notes"), InputKind::Html);
    assert_eq!(kind("<p>one</p> <p>two</p>", ""), InputKind::Html);
    assert_eq!(kind("<p>one</p> <p>two</p>", "a.md"), InputKind::Markdown);
    assert_eq!(kind("Plain words.", "a.txt"), InputKind::Plain);
}

#[test]
fn html_without_article_text_is_refused() {
    let nav = "<!doctype html><html><body><nav><a href='/'>Home</a></nav></body></html>";
    assert_refused(nav.as_bytes(), "", InputError::NoArticleText);
    assert_refused(b"<p>Short.</p>", "a.html", InputError::NoArticleText);
    assert_refused(
        b"just text, no markup, too short",
        "a.html",
        InputError::NoArticleText,
    );
}

/// Asserts that the markdown file `name` holding `text` reads as `title` and `body`.
fn assert_markdown(text: &str, name: &str, title: &str, body: &str) {
    let input = read(text.as_bytes(), name).expect("markdown");
    assert_eq!(input.title.as_deref(), Some(title));
    assert_eq!(input.text, body);
}

#[test]
fn markdown_loses_only_its_front_matter() {
    let text = "---\ntitle: \"From the front matter\"\ndate: 2024-06-13\n---\n\n# Putin to visit *Pyongyang*\n\n\
                \"It **will** happen,\" said Lim Eul-chul.\n\n## Background\n\n- a list item\n";
    assert_markdown(
        text,
        "article.md",
        "Putin to visit *Pyongyang*",
        "# Putin to visit *Pyongyang*\n\n\"It **will** happen,\" said Lim Eul-chul.\n\n## Background\n\n- a list item\n",
    );
}

#[test]
fn markdown_title_falls_back_to_front_matter_and_skips_code_and_subheadings() {
    let text = "---\ntitle: 'The front matter title'\n...\n## Not a title\n```\n# not a heading\n```\nBody.\n";
    let body = "## Not a title\n```\n# not a heading\n```\nBody.\n";
    assert_markdown(text, "a.markdown", "The front matter title", body);
    let no_front_matter = "Intro line.\n\n---\n\nAfter a rule.\r\n# Late heading #\n";
    let body = "Intro line.\n\n---\n\nAfter a rule.\n# Late heading #\n";
    assert_markdown(no_front_matter, "a.md", "Late heading", body);
    let unclosed = "---\ntitle: x\nno closing line\n";
    assert_eq!(
        read(unclosed.as_bytes(), "a.md").map(|input| input.text),
        Ok(unclosed.to_string())
    );
    assert_eq!(
        read(b"#hashtag is not a heading", "a.md").map(|input| input.title),
        Ok(None)
    );
}

proptest::proptest! {
    #[test]
    fn any_bytes_are_read_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600), html in proptest::bool::ANY) {
        let _ = read(&bytes, if html { "a.html" } else { "" });
    }

    #[test]
    fn any_text_is_read_without_panic(text in "\\PC{0,300}", name in "(|a\\.md|a\\.html|a\\.txt)") {
        let _ = read(text.as_bytes(), &name);
    }

    #[test]
    fn any_markup_is_read_without_panic(text in "(<[a-z/!]{0,8}[ a-z=\"'>]{0,6}|[a-z ]{0,12}|&[a-z#0-9]{0,5};?){0,80}") {
        let _ = html::article_text(&text);
    }
}

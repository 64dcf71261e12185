//! Checking what an analyst pasted or uploaded before reading it.
//!
//! In order: the size (over [`MAX_ARTICLE_BYTES`] is refused before anything else is looked
//! at), emptiness, binary content (a file signature, NUL bytes, control characters), the
//! encoding (UTF-8, with or without a byte-order mark), then the kind: HTML (by name or by its
//! markup) is read for its article text, Markdown loses only its front matter, and plain text
//! only its carriage returns, so that quotes stay exact substrings of what the analyst gave.

use super::html;

/// The largest article accepted, in bytes.
pub const MAX_ARTICLE_BYTES: usize = 1024 * 1024;

/// An article's plain text, ready for `extract`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInput {
    pub title: Option<String>,
    pub text: String,
}

/// Why an input cannot be read; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the article is empty: paste its text or choose a file")]
    Empty,
    #[error("the file is larger than 1 MB; an article's text is far smaller")]
    TooLarge,
    #[error("the file is not text (it looks binary); upload a .txt, .md or .html file")]
    Binary,
    #[error("the file is not UTF-8 text; save it as UTF-8 and upload it again")]
    NotUtf8,
    #[error("the page holds no article text (only navigation or markup)")]
    NoArticleText,
}

/// What kind of text an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Html,
    Markdown,
    Plain,
}

/// Signatures of binary formats an analyst may upload by mistake: PDF, PNG, JPEG, GIF, ZIP
/// (and so .docx, .xlsx, .epub), gzip, and the older Office formats (.doc, .xls).
const BINARY_SIGNATURES: &[&[u8]] = &[
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
];

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads an upload or a paste: `name` (a file name, or "" for pasted text) tells HTML from plain
/// text and Markdown, as does an HTML document's opening.
pub fn read(bytes: &[u8], name: &str) -> Result<ArticleInput, InputError> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(InputError::TooLarge);
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    if is_utf16(bytes) {
        return Err(InputError::NotUtf8);
    }
    if BINARY_SIGNATURES
        .iter()
        .any(|signature| bytes.starts_with(signature))
        || bytes.contains(&0)
    {
        return Err(InputError::Binary);
    }
    let ascii_only = bytes
        .iter()
        .map(|b| if b.is_ascii() { char::from(*b) } else { 'x' });
    if mostly_control(ascii_only) {
        return Err(InputError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| InputError::NotUtf8)?;
    if mostly_control(text.chars()) {
        return Err(InputError::Binary);
    }
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    match kind(text, name) {
        InputKind::Html => html::article_text(text)
            .map(|article| ArticleInput {
                title: article.title,
                text: article.text,
            })
            .ok_or(InputError::NoArticleText),
        InputKind::Markdown => Ok(markdown(&unix_lines(text))),
        InputKind::Plain => Ok(ArticleInput {
            title: None,
            text: unix_lines(text),
        }),
    }
}

/// UTF-16 text (a byte-order mark, or the NUL in every other byte that ASCII letters leave):
/// text, but not UTF-8.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return true;
    }
    let sample = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let pairs = sample.len() / 2;
    pairs >= 4
        && [nul_at(0), nul_at(1)].iter().any(|n| *n * 10 >= pairs * 9)
        && nul_at(0).min(nul_at(1)) == 0
}

/// Whether more than one character in twenty is a control character other than a tab, a line
/// feed, a carriage return or a form feed.
fn mostly_control(chars: impl Iterator<Item = char>) -> bool {
    let (mut total, mut control) = (0usize, 0usize);
    for c in chars {
        total += 1;
        control += usize::from(c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'));
    }
    control * 20 > total
}

/// The kind of an input: by its file name's extension, else by its markup.
pub fn kind(text: &str, name: &str) -> InputKind {
    let name = name.trim().to_ascii_lowercase();
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension)
        .unwrap_or_default();
    match extension {
        "html" | "htm" | "xhtml" => InputKind::Html,
        "md" | "markdown" | "mdown" | "mkd" => InputKind::Markdown,
        _ if looks_like_html(text) => InputKind::Html,
        _ => InputKind::Plain,
    }
}

/// Whether text is an HTML document: it opens with a doctype or `<html>`, or has a `<body>`, or
/// its paragraphs are marked up (three or more `<p>`, `</p>`, `<br>` or `<div` tags and at
/// least one tag for every 400 bytes).
fn looks_like_html(text: &str) -> bool {
    let opening: String = text
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    if opening.starts_with("<!doctype html") || opening.starts_with("<html") {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("<body") {
        return true;
    }
    let tags: usize = ["<p>", "<p ", "</p>", "<br", "<div"]
        .iter()
        .map(|tag| lower.matches(tag).count())
        .sum();
    tags >= 3 && tags * 400 >= text.len()
}

/// Text with CRLF and lone CR line ends as LF.
fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A Markdown article: the text as it is but for a leading YAML front matter block; the title
/// is the first `# ` heading (outside code fences), else the front matter's `title:`.
fn markdown(text: &str) -> ArticleInput {
    let (front_matter, body) = split_front_matter(text);
    let title = first_heading(body).or_else(|| front_matter.and_then(front_matter_title));
    ArticleInput {
        title,
        text: body.to_string(),
    }
}

/// A leading `---` … `---` (or `...`) block, and the text after it.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            let body = rest.get(offset + line.len()..).unwrap_or_default();
            return (rest.get(..offset), body.trim_start_matches('\n'));
        }
        offset += line.len();
    }
    (None, text)
}

fn first_heading(body: &str) -> Option<String> {
    let mut in_fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(heading) = trimmed
            .strip_prefix("# ")
            .filter(|_| !in_fence && indent < 4)
        {
            let heading = heading.trim().trim_end_matches('#').trim();
            if !heading.is_empty() {
                return Some(heading.to_string());
            }
        }
    }
    None
}

fn front_matter_title(front_matter: &str) -> Option<String> {
    front_matter.lines().find_map(|line| {
        let value = line.strip_prefix("title:")?.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value)
            .trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests;

//! Checking what an analyst pasted or uploaded before reading it.

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

/// Reads an upload or a paste: `name` (a file name, or "" for pasted text) tells HTML from plain
/// text and Markdown, as does an HTML document's opening.
pub fn read(bytes: &[u8], name: &str) -> Result<ArticleInput, InputError> {
    let _ = (bytes, name);
    Err(InputError::Empty)
}

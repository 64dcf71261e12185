//! What table-driven tests share: each address of a table fetched and its status checked, and
//! the checks of a 400 page that names the parameter it refused.

use axum::http::StatusCode;
use scraper::Html;

use crate::helpers::{Page, TestApp, select};

/// A row of a table of addresses: the address alone, or the address with what it should show.
pub trait Row {
    fn address(&self) -> &str;
}

impl Row for &str {
    fn address(&self) -> &str {
        self
    }
}

impl<T> Row for (&str, T) {
    fn address(&self) -> &str {
        self.0
    }
}

impl TestApp {
    /// Each of `rows` with the page at its address, which must answer `status`.
    pub async fn get_each<R: Row>(
        &self,
        status: StatusCode,
        rows: impl IntoIterator<Item = R>,
    ) -> Vec<(R, Page)> {
        let mut pages = Vec::new();
        for row in rows {
            let page = self.get_expecting(status, row.address()).await;
            pages.push((row, page));
        }
        pages
    }

    /// The page at `uri`, which must answer `status`.
    pub async fn get_expecting(&self, status: StatusCode, uri: &str) -> Page {
        let page = self.get(uri).await;
        assert_eq!(page.status, status, "{uri}");
        page
    }

    /// Asserts that each of `rows`, (address, parameter), is refused with a 400 page whose error
    /// names the parameter; each row with its page, parsed.
    pub async fn assert_each_refused<'a>(
        &self,
        rows: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Vec<((&'a str, &'a str), Html)> {
        let mut pages = Vec::new();
        for ((uri, parameter), page) in self.get_each(StatusCode::BAD_REQUEST, rows).await {
            let html = page.html();
            assert_eq!(select(&html, ".error code"), vec![parameter], "{uri}");
            pages.push(((uri, parameter), html));
        }
        pages
    }
}

/// Asserts that the API refused a request (400) and that its answer names `parameter`.
pub fn assert_api_refused(answer: &Page, parameter: &str) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["parameter"], parameter);
}

/// Asserts that each selector of `expected` picks exactly one element on the page, whose text
/// is the one beside it.
pub fn assert_texts(html: &Html, expected: &[(&str, &str)]) {
    for &(selector, text) in expected {
        assert_eq!(select(html, selector), vec![text], "{selector}");
    }
}

//! A finished page as kept: its body, headers and ETag, and how it answers a reader (a 304 when
//! the reader has it already, no body for HEAD).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::IMMUTABLE;

#[derive(Clone)]
pub(super) struct Page {
    /// The generation it was made in; a final page (pinned, see `AsOf::is_final`) holds in
    /// every generation after.
    pub(super) generation: u64,
    pub(super) fixed: bool,
    status: StatusCode,
    headers: HeaderMap,
    pub(super) body: Bytes,
    etag: HeaderValue,
}

#[derive(Clone)]
pub(super) struct PageWeight;

impl quick_cache::Weighter<(bool, String), Arc<Page>> for PageWeight {
    fn weight(&self, key: &(bool, String), page: &Arc<Page>) -> u64 {
        u64::try_from(key.1.len() + page.body.len() + 512).unwrap_or(u64::MAX)
    }
}

impl Page {
    /// The page `response` holds, made in `generation`; `fixed` when it is final. Gives it a
    /// weak ETag of its body unless it has one, and says how long others may keep it.
    pub(super) async fn made(
        response: Response,
        generation: u64,
        fixed: bool,
    ) -> Result<Self, Response> {
        let (mut parts, body) = response.into_parts();
        let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let etag = match parts.headers.get(header::ETAG) {
            Some(etag) => etag.clone(),
            None => {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                body.hash(&mut hasher);
                let etag = HeaderValue::from_str(&format!("W/\"{:016x}\"", hasher.finish()))
                    .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""));
                parts.headers.insert(header::ETAG, etag.clone());
                etag
            }
        };
        // A final page never changes, so any cache may keep it for good; others readers may
        // keep but must ask again, which the ETag makes cheap.
        parts
            .headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(if fixed {
                IMMUTABLE
            } else {
                "no-cache"
            }));
        Ok(Self {
            generation,
            fixed,
            status: parts.status,
            headers: parts.headers,
            body,
            etag,
        })
    }

    pub(super) fn response(&self, request_headers: &HeaderMap, head: bool) -> Response {
        if fresh_for(request_headers, &self.etag) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response
                .headers_mut()
                .insert(header::ETAG, self.etag.clone());
            if let Some(control) = self.headers.get(header::CACHE_CONTROL) {
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, control.clone());
            }
            return response;
        }
        let body = if head {
            Body::empty()
        } else {
            Body::from(self.body.clone())
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        if head {
            // The length GET sends, as GET would say it; left to the router, an empty body
            // would be announced as 0 bytes.
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(self.body.len()));
        }
        response
    }
}

/// Whether the reader's copy (`If-None-Match`) is this one.
fn fresh_for(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == etag.to_str().unwrap_or_default() || tag.trim() == "*")
}

//! A request for a page of a list, carrying the database, so that a list handler is its query
//! and its answer. One record by its number is `web::path::Lookup`.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::{ApiFailure, ApiResult, Page};
use crate::db::Database;
use crate::web::AppState;
use crate::web::extract::Query;
use crate::web::paging::{Paging, PerPageQuery};

/// A request for one page of a list: where to read it, and the page that `page` and `per_page`
/// ask for, refused past the deepest item before anything is read.
pub struct Listing {
    pub db: Database,
    paging: Paging,
}

impl FromRequestParts<AppState> for Listing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Query(query) = Query::<PerPageQuery>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let paging = Paging::within(
            query.page,
            query.per_page(),
            crate::web::paging::DEEPEST_ITEM,
        )
        .map_err(|e| ApiFailure(e).into_response())?;
        Ok(Self {
            db: state.db.clone(),
            paging,
        })
    }
}

impl Listing {
    pub fn limit(&self) -> i64 {
        self.paging.limit()
    }

    pub fn offset(&self) -> i64 {
        self.paging.offset()
    }

    /// The page answered: its `rows`, read with `limit()` and `offset()`, of `total` in all.
    pub async fn of<T, U: From<T>>(
        &self,
        rows: impl Future<Output = Result<Vec<T>, sqlx::Error>>,
        total: impl Future<Output = Result<i64, sqlx::Error>>,
    ) -> ApiResult<Page<U>> {
        let rows = rows.await?;
        Ok(Json(self.paging.of(rows, total.await?)))
    }
}

//! The two shapes of a read request: a page of a list, and one record by its number. Each
//! carries the database, so that a handler is its query and its answer.

use std::marker::PhantomData;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::{ApiFailure, ApiResult, Page};
use crate::db::Database;
use crate::web::extract::Query;
use crate::web::paging::{Paging, PerPageQuery};
use crate::web::path::{Counted, Numbered};
use crate::web::{AppError, AppState};

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

/// A request for the record of kind `C` numbered in the path: where to read it, and its number.
pub struct Lookup<C> {
    pub db: Database,
    pub id: i64,
    kind: PhantomData<C>,
}

impl<C: Counted> FromRequestParts<AppState> for Lookup<C> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Numbered(id, kind) = Numbered::from_request_parts(parts, state).await?;
        Ok(Self {
            db: state.db.clone(),
            id,
            kind,
        })
    }
}

impl<C: Counted> Lookup<C> {
    /// The record as read, or the 404 that says there is none with this number.
    pub fn found<T>(&self, row: Option<T>) -> Result<T, AppError> {
        let (what, id) = (C::WHAT, self.id);
        row.ok_or_else(|| {
            let hint = format!("There is no {} {id}.", what.to_lowercase());
            AppError::not_found(what, hint)
        })
    }
}

//! Record numbers in paths (`/sources/{id}`, `/propositions/{id}/resolve`): one extractor whose
//! refusal is the 404 page naming what was not found (its JSON under /api/). A path is not a
//! parameter the reader chose, so "not found" is the honest answer to `/sources/abc`.

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::{AppError, AppState};
use crate::db::Database;

/// What a number in a path counts: its name on the 404 page.
pub trait Counted {
    const WHAT: &'static str;
}

macro_rules! counted {
    ($($kind:ident => $what:literal),* $(,)?) => {
        $(
            #[doc = concat!("A ", $what, "'s number.")]
            pub struct $kind;
            impl Counted for $kind {
                const WHAT: &'static str = $what;
            }
        )*
    };
}

counted!(
    SourceNumber => "Source",
    PropositionNumber => "Proposition",
    PredictionNumber => "Prediction",
    ReviewNumber => "Review",
    UploadNumber => "Upload",
    AccountNumber => "Account",
);

/// The record number in the request's path: a whole number from 1.
pub struct Numbered<C>(pub i64, pub PhantomData<C>);

impl<C> Numbered<C> {
    pub fn id(&self) -> i64 {
        self.0
    }
}

impl<S: Send + Sync, C: Counted> FromRequestParts<S> for Numbered<C> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let api = parts.uri.path().starts_with("/api/");
        let raw = Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(raw)| raw)
            .unwrap_or_default();
        match raw.parse::<i64>().ok().filter(|id| *id > 0) {
            Some(id) => Ok(Self(id, PhantomData)),
            None => {
                let refusal = AppError::not_found(
                    C::WHAT,
                    format!(
                        "\u{201c}{raw}\u{201d} is not the number of any {}.",
                        C::WHAT.to_lowercase()
                    ),
                );
                Err(if api {
                    super::api::ApiFailure::from(refusal).into_response()
                } else {
                    refusal.into_response()
                })
            }
        }
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

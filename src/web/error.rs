//! One error type for every page, rendered as a page that helps the reader on and never shows
//! internals: the details of a server error go to the log only.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such expert, event, proposition, source or page.
    #[error("{what} not found")]
    NotFound { what: String, hint: String },
    /// A query parameter that cannot be understood; names the parameter.
    #[error("bad parameter {parameter}: {message}")]
    BadParameter { parameter: String, message: String },
    /// A page for analysts, asked for by someone not signed in.
    #[error("sign-in required")]
    SignInRequired { next: String },
    /// An admin who must turn on two-factor sign-in first (`--require-admin-two-factor`).
    #[error("two-factor sign-in required")]
    TwoFactorRequired,
    /// Signed in, but not allowed.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A body larger than the page or endpoint takes (413); says what the limit is.
    #[error("too large: {0}")]
    TooLarge(String),
    /// Too much work queued already; the reader is asked to come back.
    #[error("busy")]
    Busy,
    /// Our fault, never the reader's: logged with its whole chain of causes, never shown.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

impl AppError {
    /// An internal error caused by `cause`, kept whole for the log.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    pub fn not_found(what: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::NotFound {
            what: what.into(),
            hint: hint.into(),
        }
    }

    pub fn bad_parameter(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadParameter {
            parameter: parameter.into(),
            message: message.into(),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::internal(error)
    }
}

/// For what an import cannot say field by field: the file's own problems are shown on its page.
impl From<crate::db::dataset::ApplyError> for AppError {
    fn from(error: crate::db::dataset::ApplyError) -> Self {
        Self::internal(error)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    heading: String,
    message: String,
    parameter: Option<String>,
}

impl ErrorPage {
    fn response(status: StatusCode, heading: String, message: String) -> Response {
        let page = Self {
            status: status.as_u16(),
            heading,
            message,
            parameter: None,
        };
        (status, page).into_response()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound { what, hint } => {
                ErrorPage::response(StatusCode::NOT_FOUND, format!("{what} not found"), hint)
            }
            Self::BadParameter { parameter, message } => {
                let page = ErrorPage {
                    status: 400,
                    heading: format!("The parameter \u{201c}{parameter}\u{201d} is not valid"),
                    message,
                    parameter: Some(parameter),
                };
                (StatusCode::BAD_REQUEST, page).into_response()
            }
            Self::SignInRequired { next } => sign_in_first(&next),
            Self::TwoFactorRequired => {
                axum::response::Redirect::to("/account/two-factor").into_response()
            }
            Self::Forbidden(message) => ErrorPage::response(
                StatusCode::FORBIDDEN,
                "You do not have access to this page".to_string(),
                message,
            ),
            Self::TooLarge(message) => ErrorPage::response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "That is too large".to_string(),
                message,
            ),
            Self::Busy => {
                let mut response = ErrorPage::response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Hindsight is busy".to_string(),
                    "The server is making many other pages at once. Try again in a few seconds."
                        .to_string(),
                );
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("5"),
                );
                response
            }
            Self::Internal(detail) => {
                tracing::error!(detail = %format!("{detail:#}"), "request failed");
                ErrorPage::response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side".to_string(),
                    "The error has been logged. Please try again in a moment.".to_string(),
                )
            }
        }
    }
}

/// To the sign-in page, which comes back to `next` if it is a page of this site.
fn sign_in_first(next: &str) -> Response {
    let target = match crate::web::forms::local_path(next) {
        Some(path) => format!(
            "/login?next={}",
            url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
        ),
        None => "/login".to_string(),
    };
    axum::response::Redirect::to(&target).into_response()
}

pub async fn not_found_fallback() -> AppError {
    AppError::not_found(
        "Page",
        "There is no page at this address. The links below lead to everything Hindsight holds.",
    )
}

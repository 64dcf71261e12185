//! /account: the signed-in analyst's own account: a new password (which ends their other
//! sessions), and the way to two-factor sign-in.

use std::net::IpAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::{choose_password, hashed};
use super::{Analyst, OwnAccount, SignedInOwner, log_name, renew_session};
use crate::accounts::{Password, verify_password};
use crate::db::accounts;
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account_page))
        .route("/account/password", post(change_password))
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    me: Analyst,
    errors: FieldErrors,
    message: String,
}

async fn account_page(SignedInOwner(me): SignedInOwner) -> AccountPage {
    AccountPage {
        me,
        errors: FieldErrors::default(),
        message: String::new(),
    }
}

/// Whether `password` is the analyst's current one. Attempts count against the sign-in
/// throttle, so this form cannot be used to guess faster than the sign-in page.
pub(super) async fn password_is_right(
    state: &AppState,
    me: &Analyst,
    address: Option<IpAddr>,
    password: String,
) -> Result<bool, AppError> {
    if !state.throttle.admit_address(address)
        || !state.throttle.admit_account(&me.username, address)
    {
        return Ok(false);
    }
    let hash = accounts::by_id(&state.db, me.id)
        .await?
        .and_then(|a| a.password_hash);
    let Some(hash) = hash else {
        return Ok(false);
    };
    let right = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    if !right {
        state.throttle.failed(&me.username);
    }
    Ok(right)
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

impl PasswordForm {
    /// The new password, if it keeps the rules and differs from the current one; otherwise what
    /// is wrong, by field. The current password itself is checked later, and only then.
    fn new_password(&self, me: &Analyst) -> (Option<Password>, FieldErrors) {
        let mut errors = FieldErrors::default();
        let password = choose_password(
            &mut errors,
            [&self.password, &self.confirm],
            (&me.username, &me.display_name),
            "The two new passwords differ.",
        );
        if self.current == self.password && !self.current.is_empty() {
            errors.add(
                "password",
                "The new password must differ from the current one.",
            );
        }
        (password, errors)
    }
}

/// A new password, given the current one; it ends the account's other sessions.
async fn change_password(
    State(state): State<AppState>,
    OwnAccount(me, address, mut session, form): OwnAccount<PasswordForm>,
) -> Result<Response, AppError> {
    let (password, mut errors) = form.new_password(&me);
    // The current password is checked (and counted against the sign-in throttle) only once the
    // new one is acceptable.
    if errors.is_empty() && !password_is_right(&state, &me, address, form.current).await? {
        tracing::warn!(target: "security", username = %log_name(&me.username), address = ?address, "password change refused: wrong current password");
        errors.add(
            "current",
            "That is not your current password (or too many tries: wait a minute).",
        );
    }
    let (Some(password), true) = (password, errors.is_empty()) else {
        let page = AccountPage {
            me,
            errors,
            message: String::new(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let hash = hashed(password).await?;
    accounts::change_password(&state.db, me.id, &hash).await?;
    tracing::info!(target: "security", username = %log_name(&me.username), address = ?address, "password changed; other sessions ended");
    renew_session(&mut session, &state.db, me.id).await?;
    Ok(AccountPage {
        me: session.user.clone().unwrap_or(me),
        errors: FieldErrors::default(),
        message: "Your password is changed. Your other sessions have ended.".into(),
    }
    .into_response())
}

//! /account: the signed-in analyst's own account: a new password (which ends their other
//! sessions), and the way to two-factor sign-in.

use std::net::IpAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::{ClientAddress, password_message};
use super::{Analyst, AuthSession, SignedInOwner, log_name, renew_session};
use crate::accounts::{Password, hash_password, verify_password};
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

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    SignedInOwner(me): SignedInOwner,
    ClientAddress(address): ClientAddress,
    mut session: AuthSession,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let password = match Password::choose(&form.password, &me.username, &me.display_name) {
        Ok(password) => Some(password),
        Err(e) => {
            errors.add("password", password_message(&e));
            None
        }
    };
    if form.password != form.confirm {
        errors.add("confirm", "The two new passwords differ.");
    }
    if form.current == form.password && !form.current.is_empty() {
        errors.add(
            "password",
            "The new password must differ from the current one.",
        );
    }
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
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
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

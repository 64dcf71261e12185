//! /admin/analysts: adding accounts, disabling and enabling them, new password links, and
//! turning off two-factor sign-in for someone who lost their device.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::pages::{ClientAddress, LINK_VALID_FOR, check_username};
use super::{SignedInAdmin, log_name};
use crate::db::accounts::{self, Account, AccountError};
use crate::domain::Role;
use crate::domain::text::required;
use crate::web::forms::FieldErrors;
use crate::web::path::{AccountNumber, Numbered};
use crate::web::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/analysts", get(admin_page).post(add_analyst))
        .route("/admin/analysts/{id}/disable", post(disable))
        .route("/admin/analysts/{id}/enable", post(enable))
        .route("/admin/analysts/{id}/reset", post(reset))
        .route("/admin/analysts/{id}/two-factor-off", post(two_factor_off))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_analysts.html")]
struct AdminPage {
    me: super::Analyst,
    accounts: Vec<Account>,
    username: String,
    display_name: String,
    role: String,
    errors: FieldErrors,
    /// A link just issued, to pass on to its owner; shown once.
    issued: Option<(String, String)>,
}

async fn admin_page(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
) -> Result<AdminPage, AppError> {
    Ok(AdminPage {
        me,
        accounts: accounts::all(&state.db).await?,
        username: String::new(),
        display_name: String::new(),
        role: "analyst".into(),
        errors: FieldErrors::default(),
        issued: None,
    })
}

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
}

async fn add_analyst(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    ClientAddress(address): ClientAddress,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let username = form.username.trim().to_lowercase();
    let display_name = form.display_name.trim().to_string();
    check_username(&mut errors, &username);
    if required(&display_name).is_none() || display_name.chars().count() > 200 {
        errors.add(
            "display_name",
            "Give the name shown beside their work, up to 200 characters.",
        );
    }
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.add("role", "Choose analyst or admin.");
    }
    let mut page = AdminPage {
        me: me.clone(),
        accounts: Vec::new(),
        username,
        display_name,
        role: form.role,
        errors,
        issued: None,
    };
    if let (Some(role), true) = (role, page.errors.is_empty()) {
        match accounts::create(
            &state.db,
            &page.username,
            &page.display_name,
            role,
            Some(me.id),
            LINK_VALID_FOR,
        )
        .await
        {
            Ok((id, token)) => {
                tracing::info!(target: "security", account = id, username = %log_name(&page.username), by = %log_name(&me.username), address = ?address, "account created; set-up link issued");
                page.issued = Some((
                    page.display_name.clone(),
                    format!("{}/setup/{token}", state.public_url),
                ));
                page.username.clear();
                page.display_name.clear();
            }
            Err(AccountError::UsernameTaken) => {
                page.errors.add("username", "That username is taken.")
            }
            Err(other) => return Err(AppError::internal(other)),
        }
    }
    page.accounts = accounts::all(&state.db).await?;
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn account_id(state: &AppState, id: i64) -> Result<i64, AppError> {
    accounts::by_id(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("Account", "There is no such account."))?;
    Ok(id)
}

async fn disable(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    ClientAddress(address): ClientAddress,
    Numbered(id, _): Numbered<AccountNumber>,
) -> Result<Redirect, AppError> {
    let id = account_id(&state, id).await?;
    if id == me.id {
        return Err(AppError::Forbidden(
            "You cannot disable your own account: ask another admin.".into(),
        ));
    }
    accounts::set_disabled(&state.db, id, true, me.id).await?;
    tracing::warn!(target: "security", account = id, by = %log_name(&me.username), address = ?address, "account disabled; its sessions ended");
    Ok(Redirect::to("/admin/analysts"))
}

async fn enable(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    ClientAddress(address): ClientAddress,
    Numbered(id, _): Numbered<AccountNumber>,
) -> Result<Redirect, AppError> {
    let id = account_id(&state, id).await?;
    accounts::set_disabled(&state.db, id, false, me.id).await?;
    tracing::info!(target: "security", account = id, by = %log_name(&me.username), address = ?address, "account enabled");
    Ok(Redirect::to("/admin/analysts"))
}

async fn reset(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    ClientAddress(address): ClientAddress,
    Numbered(id, _): Numbered<AccountNumber>,
) -> Result<AdminPage, AppError> {
    let id = account_id(&state, id).await?;
    let token = accounts::reset_token(&state.db, id, me.id, LINK_VALID_FOR)
        .await
        .map_err(AppError::internal)?;
    tracing::info!(target: "security", account = id, by = %log_name(&me.username), address = ?address, "password link issued; earlier links revoked");
    let name = accounts::by_id(&state.db, id)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_default();
    Ok(AdminPage {
        me,
        accounts: accounts::all(&state.db).await?,
        username: String::new(),
        display_name: String::new(),
        role: "analyst".into(),
        errors: FieldErrors::default(),
        issued: Some((name, format!("{}/setup/{token}", state.public_url))),
    })
}

/// For someone who lost their authenticator and their recovery codes: they sign in with their
/// password alone until they turn it on again.
async fn two_factor_off(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    ClientAddress(address): ClientAddress,
    Numbered(id, _): Numbered<AccountNumber>,
) -> Result<Redirect, AppError> {
    let id = account_id(&state, id).await?;
    crate::db::two_factor::disable(&state.db, id, me.id).await?;
    tracing::warn!(target: "security", account = id, by = %log_name(&me.username), address = ?address, "two-factor sign-in turned off by an admin");
    Ok(Redirect::to("/admin/analysts"))
}

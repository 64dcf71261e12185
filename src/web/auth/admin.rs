//! /admin/analysts: adding accounts, disabling and enabling them, new password links, and
//! turning off two-factor sign-in for someone who lost their device.

use crate::web::extract::Form;
use askama::Template;
use askama_web::WebTemplate;
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
        .route(
            "/admin/analysts/{id}/disable",
            post(|state: State<AppState>, account: AccountAction| {
                act(state, account, Action::Disable)
            }),
        )
        .route(
            "/admin/analysts/{id}/enable",
            post(|state: State<AppState>, account: AccountAction| {
                act(state, account, Action::Enable)
            }),
        )
        .route("/admin/analysts/{id}/reset", post(reset))
        .route(
            "/admin/analysts/{id}/two-factor-off",
            post(|state: State<AppState>, account: AccountAction| {
                act(state, account, Action::TwoFactorOff)
            }),
        )
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

impl AdminPage {
    /// The list of accounts, with an empty form to add one.
    async fn new(state: &AppState, me: super::Analyst) -> Result<Self, AppError> {
        Ok(Self {
            me,
            accounts: accounts::all(&state.db).await?,
            username: String::new(),
            display_name: String::new(),
            role: "analyst".into(),
            errors: FieldErrors::default(),
            issued: None,
        })
    }
}

async fn admin_page(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
) -> Result<AdminPage, AppError> {
    AdminPage::new(&state, me).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct AddForm {
    username: String,
    display_name: String,
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

/// An admin acting on one account from its row in the list: who, from where, on which.
struct AccountAction {
    me: super::Analyst,
    address: Option<std::net::IpAddr>,
    id: i64,
}

impl axum::extract::FromRequestParts<AppState> for AccountAction {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let SignedInAdmin(me) = SignedInAdmin::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let ClientAddress(address) = ClientAddress::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let Numbered(id, _) = Numbered::<AccountNumber>::from_request_parts(parts, state).await?;
        match accounts::by_id(&state.db, id).await {
            Ok(Some(_)) => Ok(Self { me, address, id }),
            Ok(None) => {
                Err(AppError::not_found("Account", "There is no such account.").into_response())
            }
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

/// What an admin does to an account and is then sent back to the list.
#[derive(Clone, Copy)]
enum Action {
    Disable,
    Enable,
    /// For someone who lost their authenticator and their recovery codes: they sign in with
    /// their password alone until they turn it on again.
    TwoFactorOff,
}

async fn act(
    State(state): State<AppState>,
    account: AccountAction,
    action: Action,
) -> Result<Redirect, AppError> {
    let AccountAction { me, address, id } = account;
    let by = log_name(&me.username);
    match action {
        Action::Disable => {
            if id == me.id {
                return Err(AppError::Forbidden(
                    "You cannot disable your own account: ask another admin.".into(),
                ));
            }
            accounts::set_disabled(&state.db, id, true, me.id).await?;
            tracing::warn!(target: "security", account = id, by = %by, address = ?address, "account disabled; its sessions ended");
        }
        Action::Enable => {
            accounts::set_disabled(&state.db, id, false, me.id).await?;
            tracing::info!(target: "security", account = id, by = %by, address = ?address, "account enabled");
        }
        Action::TwoFactorOff => {
            crate::db::two_factor::disable(&state.db, id, me.id).await?;
            tracing::warn!(target: "security", account = id, by = %by, address = ?address, "two-factor sign-in turned off by an admin");
        }
    }
    Ok(Redirect::to("/admin/analysts"))
}

async fn reset(
    State(state): State<AppState>,
    AccountAction { me, address, id }: AccountAction,
) -> Result<AdminPage, AppError> {
    let token = accounts::reset_token(&state.db, id, me.id, LINK_VALID_FOR)
        .await
        .map_err(AppError::internal)?;
    tracing::info!(target: "security", account = id, by = %log_name(&me.username), address = ?address, "password link issued; earlier links revoked");
    let name = accounts::by_id(&state.db, id)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_default();
    let issued = Some((name, format!("{}/setup/{token}", state.public_url)));
    Ok(AdminPage {
        issued,
        ..AdminPage::new(&state, me).await?
    })
}

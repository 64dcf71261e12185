//! /login, /logout, /setup/{token} and /admin/analysts.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{AuthSession, Credentials, SignedInAdmin, stamp};
use crate::accounts::{Password, hash_password};
use crate::db::accounts::{self, Account, AccountError};
use crate::domain::Role;
use crate::domain::text::required;
use crate::web::forms::{FieldErrors, local_path};
use crate::web::query::QueryParams;
use crate::web::{AppError, AppState};

/// A sign-in form holds a username of at most 64 bytes, a password of at most 128 characters
/// and a local path: anything bigger is not a sign-in.
const LOGIN_FORM_BYTES: usize = 8 * 1024;

/// How long a set-up link works.
pub const LINK_VALID_FOR: chrono::Duration = chrono::Duration::hours(48);

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            get(login_form)
                .post(login)
                .layer(axum::extract::DefaultBodyLimit::max(LOGIN_FORM_BYTES)),
        )
        .route("/logout", post(logout))
        .route("/setup/{token}", get(setup_form).post(setup))
        .route("/admin/analysts", get(admin_page).post(add_analyst))
        .route("/admin/analysts/{id}/disable", post(disable))
        .route("/admin/analysts/{id}/enable", post(enable))
        .route("/admin/analysts/{id}/reset", post(reset))
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    next: String,
    message: String,
}

async fn login_form(RawQuery(raw): RawQuery) -> Result<LoginPage, AppError> {
    let params = QueryParams::parse(raw.as_deref())?;
    let next = params
        .get("next")
        .and_then(local_path)
        .unwrap_or("/")
        .to_string();
    Ok(LoginPage {
        username: String::new(),
        next,
        message: String::new(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

use crate::web::client::ClientAddress;

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    mut session: AuthSession,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = local_path(&form.next).unwrap_or("/").to_string();
    let too_many = |username: String, next: String| {
        let page = LoginPage {
            username,
            next,
            message: "Too many sign-in attempts. Wait a minute, then try again.".into(),
        };
        (StatusCode::TOO_MANY_REQUESTS, page).into_response()
    };
    // The address first: a flood is turned away before its fields cost anything.
    if !state.throttle.admit_address(address) {
        return Ok(too_many(String::new(), next));
    }
    let username = form.username.trim().to_lowercase();
    let mut errors = FieldErrors::default();
    check_username(&mut errors, &username);
    if !errors.is_empty() {
        // No account can have such a name; nothing is remembered of it.
        let page = LoginPage {
            username: String::new(),
            next,
            message: "That username and password do not match an account.".into(),
        };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    }
    if !state.throttle.admit_account(&username, address) {
        return Ok(too_many(username, next));
    }
    let credentials = Credentials {
        username: username.clone(),
        password: form.password,
    };
    let analyst = session
        .authenticate(credentials)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(analyst) = analyst else {
        state.throttle.failed(&username);
        // One message for an unknown user and a wrong password: it tells an attacker nothing.
        let page = LoginPage {
            username,
            next,
            message: "That username and password do not match an account.".into(),
        };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    // A new session id at every sign-in, so an id planted or seen before it is worthless after.
    // (login() cycles it only for a session not yet signed in.)
    session
        .session
        .cycle_id()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    session
        .login(&analyst)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    stamp(&session).await?;
    state.throttle.succeeded(&username, address);
    Ok(Redirect::to(&next).into_response())
}

async fn logout(mut session: AuthSession) -> Result<Redirect, AppError> {
    session
        .logout()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Redirect::to("/"))
}

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
struct SetupPage {
    /// None: this link creates the first admin.
    account: Option<Account>,
    username: String,
    display_name: String,
    errors: FieldErrors,
}

fn bad_link() -> AppError {
    AppError::not_found(
        "Set-up link",
        "This link has been used, has expired, or was never issued. Ask an admin for a new one.",
    )
}

async fn setup_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<SetupPage, AppError> {
    let target = accounts::token_target(&state.db, &token)
        .await?
        .ok_or_else(bad_link)?;
    Ok(SetupPage {
        account: target,
        username: String::new(),
        display_name: String::new(),
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub fn check_username(errors: &mut FieldErrors, username: &str) {
    let valid = !username.is_empty()
        && username.len() <= 64
        && username.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if !valid {
        errors.add(
            "username",
            "Use 1 to 64 lower-case letters, digits, dots, hyphens or underscores.",
        );
    }
}

async fn setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let target = accounts::token_target(&state.db, &token)
        .await?
        .ok_or_else(bad_link)?;
    let mut errors = FieldErrors::default();
    let username = form.username.trim().to_lowercase();
    let display_name = form.display_name.trim().to_string();
    if target.is_none() {
        check_username(&mut errors, &username);
        if required(&display_name).is_none() || display_name.chars().count() > 200 {
            errors.add(
                "display_name",
                "Give the name to show beside your work, up to 200 characters.",
            );
        }
    }
    let password = match Password::parse(&form.password) {
        Ok(password) => Some(password),
        Err(e) => {
            errors.add("password", format!("The password {e}."));
            None
        }
    };
    if form.password != form.confirm {
        errors.add("confirm", "The two passwords differ.");
    }
    let (Some(password), true) = (password, errors.is_empty()) else {
        let page = SetupPage {
            account: target,
            username,
            display_name,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let first_admin = target
        .is_none()
        .then_some((username.as_str(), display_name.as_str()));
    match accounts::redeem(&state.db, &token, first_admin, &hash).await {
        Ok(_) => Ok(Redirect::to("/login?next=%2Fanalyst").into_response()),
        Err(AccountError::UsernameTaken) => {
            errors.add("username", "That username is taken.");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SetupPage {
                    account: target,
                    username,
                    display_name,
                    errors,
                },
            )
                .into_response())
        }
        Err(AccountError::BadToken | AccountError::AdminExists) => Err(bad_link()),
        Err(other) => Err(AppError::Internal(other.to_string())),
    }
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
            Ok((_, token)) => {
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
            Err(other) => return Err(AppError::Internal(other.to_string())),
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

async fn account_id(state: &AppState, raw: &str) -> Result<i64, AppError> {
    let id = raw
        .parse::<i64>()
        .map_err(|_| AppError::not_found("Account", "There is no such account."))?;
    accounts::by_id(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("Account", "There is no such account."))?;
    Ok(id)
}

async fn disable(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    Path(raw): Path<String>,
) -> Result<Redirect, AppError> {
    let id = account_id(&state, &raw).await?;
    if id == me.id {
        return Err(AppError::Forbidden(
            "You cannot disable your own account: ask another admin.".into(),
        ));
    }
    accounts::set_disabled(&state.db, id, true, me.id).await?;
    Ok(Redirect::to("/admin/analysts"))
}

async fn enable(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    Path(raw): Path<String>,
) -> Result<Redirect, AppError> {
    let id = account_id(&state, &raw).await?;
    accounts::set_disabled(&state.db, id, false, me.id).await?;
    Ok(Redirect::to("/admin/analysts"))
}

async fn reset(
    State(state): State<AppState>,
    SignedInAdmin(me): SignedInAdmin,
    Path(raw): Path<String>,
) -> Result<AdminPage, AppError> {
    let id = account_id(&state, &raw).await?;
    let token = accounts::reset_token(&state.db, id, me.id, LINK_VALID_FOR)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
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

//! /login, /logout and /setup/{token}.

use crate::web::extract::Form;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{AuthSession, Credentials, SessionForm, complete_sign_in, log_name, two_factor};
use crate::accounts::{Password, hash_password};
use crate::db::accounts::{self, Account, AccountError};
use crate::domain::text::required;
use crate::web::extract::Query;
use crate::web::forms::{FieldErrors, local_path};
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
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    next: String,
    message: String,
}

/// Where to go once signed in.
#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(Query(query): Query<NextQuery>) -> LoginPage {
    let next = query
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or("/")
        .to_string();
    LoginPage {
        username: String::new(),
        next,
        message: String::new(),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    username: String,
    password: String,
    next: String,
}

pub(super) use crate::web::client::ClientAddress;

async fn login(
    State(state): State<AppState>,
    SessionForm(address, mut session, form): SessionForm<LoginForm>,
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
        tracing::warn!(target: "security", username = %log_name(&username), address = ?address, "sign-in failed: not a possible username");
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
        .map_err(AppError::internal)?;
    let Some(analyst) = analyst else {
        state.throttle.failed(&username);
        tracing::warn!(target: "security", username = %log_name(&username), address = ?address, "sign-in failed: wrong username or password");
        // One message for an unknown user and a wrong password: it tells an attacker nothing.
        let page = LoginPage {
            username,
            next,
            message: "That username and password do not match an account.".into(),
        };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    if analyst.two_factor {
        // The password alone does not sign the session in: the code comes next.
        two_factor::ask_for_code(&state, &mut session, &analyst, &next).await?;
        tracing::info!(target: "security", username = %log_name(&analyst.username), address = ?address, "password accepted; asking for the second factor");
        return Ok(Redirect::to(two_factor::SECOND_STEP_PATH).into_response());
    }
    complete_sign_in(&mut session, &analyst).await?;
    state.throttle.succeeded(&username, address);
    tracing::info!(target: "security", username = %log_name(&analyst.username), address = ?address, "signed in");
    Ok(Redirect::to(&next).into_response())
}

async fn logout(mut session: AuthSession) -> Result<Redirect, AppError> {
    let user = session.logout().await.map_err(AppError::internal)?;
    if let Some(user) = user {
        tracing::info!(target: "security", username = %log_name(&user.username), "signed out");
    }
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

/// The account a set-up link is for (none: the first admin), while the link works.
async fn link_target(state: &AppState, token: &str) -> Result<Option<Account>, AppError> {
    accounts::token_target(&state.db, token)
        .await?
        .ok_or_else(bad_link)
}

async fn setup_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<SetupPage, AppError> {
    let target = link_target(&state, &token).await?;
    Ok(SetupPage {
        account: target,
        username: String::new(),
        display_name: String::new(),
        errors: FieldErrors::default(),
    })
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SetupForm {
    username: String,
    display_name: String,
    password: String,
    confirm: String,
}

/// The new password, typed twice, if it keeps the rules for its `owner` (username and display
/// name); otherwise what is wrong goes to `errors`, and `differ` when the two differ.
pub(super) fn choose_password(
    errors: &mut FieldErrors,
    [typed, again]: [&str; 2],
    (username, display_name): (&str, &str),
    differ: &str,
) -> Option<Password> {
    let password = match Password::choose(typed, username, display_name) {
        Ok(password) => Some(password),
        Err(error) => {
            let message = format!("The password {error}");
            errors.add(
                "password",
                if message.ends_with('.') {
                    message
                } else {
                    format!("{message}.")
                },
            );
            None
        }
    };
    if typed != again {
        errors.add("confirm", differ);
    }
    password
}

/// The password's hash, worked out away from the threads that answer requests.
pub(super) async fn hashed(password: Password) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
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
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let target = link_target(&state, &token).await?;
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
    let (owner, shown_as) = match &target {
        Some(account) => (account.username.as_str(), account.display_name.as_str()),
        None => (username.as_str(), display_name.as_str()),
    };
    let password = choose_password(
        &mut errors,
        [&form.password, &form.confirm],
        (owner, shown_as),
        "The two passwords differ.",
    );
    let (Some(password), true) = (password, errors.is_empty()) else {
        let page = SetupPage {
            account: target,
            username,
            display_name,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let hash = hashed(password).await?;
    let first_admin = target
        .is_none()
        .then_some((username.as_str(), display_name.as_str()));
    match accounts::redeem(&state.db, &token, first_admin, &hash).await {
        Ok(id) => {
            let name = target
                .as_ref()
                .map_or(username.as_str(), |a| a.username.as_str());
            tracing::info!(target: "security", account = id, username = %log_name(name), address = ?address, "password set with a one-time link");
            Ok(Redirect::to("/login?next=%2Fanalyst").into_response())
        }
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
        Err(other) => Err(AppError::internal(other)),
    }
}

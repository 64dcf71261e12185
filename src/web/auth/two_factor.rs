//! Two-factor sign-in: the second step of signing in (/login/two-factor), and turning it on and
//! off at /account/two-factor.
//!
//! After a correct password, an account with two-factor sign-in gets a pending mark in its
//! session (which account, a hash of its security stamp, until when, how many codes tried), not
//! a signed-in session. Only a right code, or an unused recovery code, signs the session in.

use std::num::NonZeroU32;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};

use super::{
    Analyst, AuthSession, OwnAccount, SessionForm, SignedInOwner, complete_sign_in, log_name,
    now_seconds, renew_session,
};
use crate::db::{accounts, two_factor as store};
use crate::two_factor::{self as totp, grouped};
use crate::web::forms::local_path;
use crate::web::{AppError, AppState};

pub const SECOND_STEP_PATH: &str = "/login/two-factor";
const PENDING: &str = "two_factor_pending";
/// Codes one password entry may try before the password is asked for again.
const CODES_PER_PASSWORD: u32 = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SECOND_STEP_PATH, get(second_step_form).post(second_step))
        .route("/account/two-factor", get(settings))
        .route("/account/two-factor/start", post(start))
        .route("/account/two-factor/confirm", post(confirm))
        .route("/account/two-factor/off", post(turn_off))
}

/// Code attempts per account, across sessions and addresses: 10 a minute.
pub struct CodeThrottle {
    per_account: DefaultKeyedRateLimiter<i64>,
}

impl Default for CodeThrottle {
    fn default() -> Self {
        let ten = NonZeroU32::MIN.saturating_add(9);
        Self {
            per_account: RateLimiter::keyed(Quota::per_minute(ten)),
        }
    }
}

impl CodeThrottle {
    pub fn allow(&self, account: i64) -> bool {
        self.per_account.check_key(&account).is_ok()
    }
}

/// What the session holds between the password and the code.
#[derive(Serialize, Deserialize)]
struct Pending {
    id: i64,
    auth_hash: Vec<u8>,
    until: i64,
    attempts: u32,
    next: String,
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{e}"))
}

/// After the password: marks the session as waiting for this account's code. The session is not
/// signed in (one that was is signed out first) and gets a new id.
pub(super) async fn ask_for_code(
    state: &AppState,
    session: &mut AuthSession,
    analyst: &Analyst,
    next: &str,
) -> Result<(), AppError> {
    if session.user.is_some() {
        session.logout().await.map_err(internal)?;
    }
    session.session.cycle_id().await.map_err(internal)?;
    let pending = Pending {
        id: analyst.id,
        auth_hash: analyst.auth_hash.clone(),
        until: now_seconds() + state.sessions.second_step_within.num_seconds(),
        attempts: 0,
        next: next.to_string(),
    };
    session
        .session
        .insert(PENDING, pending)
        .await
        .map_err(internal)
}

#[derive(Template, WebTemplate)]
#[template(path = "login_two_factor.html")]
struct SecondStepPage {
    message: String,
}

async fn pending(session: &AuthSession) -> Result<Option<Pending>, AppError> {
    let pending: Option<Pending> = session.session.get(PENDING).await.map_err(internal)?;
    Ok(pending.filter(|p| p.until >= now_seconds()))
}

fn back_to_sign_in() -> Response {
    Redirect::to("/login").into_response()
}

async fn second_step_form(session: AuthSession) -> Result<Response, AppError> {
    if pending(&session).await?.is_none() {
        return Ok(back_to_sign_in());
    }
    Ok(SecondStepPage {
        message: String::new(),
    }
    .into_response())
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CodeForm {
    code: String,
}

/// Whether `code` is the account's current TOTP code, not used before, or one of its unused
/// recovery codes (which it then spends).
async fn code_is_good(state: &AppState, id: i64, code: &str) -> Result<bool, AppError> {
    let code = code.trim();
    if code.chars().any(|c| c.is_ascii_alphabetic()) {
        let hash = totp::recovery_code_hash(code);
        return Ok(store::use_recovery_code(&state.db, id, &hash).await?);
    }
    let Some((secret, _)) = store::secret(&state.db, id).await? else {
        return Ok(false);
    };
    match totp::matching_step(&secret, code, totp::now()) {
        Some(step) => Ok(store::accept_step(&state.db, id, step).await?),
        None => Ok(false),
    }
}

async fn second_step(
    State(state): State<AppState>,
    SessionForm(address, mut session, form): SessionForm<CodeForm>,
) -> Result<Response, AppError> {
    let Some(mut waiting) = pending(&session).await? else {
        let _: Option<Pending> = session.session.remove(PENDING).await.map_err(internal)?;
        return Ok(back_to_sign_in());
    };
    // The account must still be the one that gave its password: active, same security stamp.
    let analyst = accounts::active_by_id(&state.db, waiting.id)
        .await?
        .and_then(Analyst::from_account)
        .filter(|a| a.auth_hash == waiting.auth_hash && a.two_factor);
    let Some(analyst) = analyst else {
        let _: Option<Pending> = session.session.remove(PENDING).await.map_err(internal)?;
        return Ok(back_to_sign_in());
    };
    let name = log_name(&analyst.username);
    if !state.code_throttle.allow(analyst.id) {
        tracing::warn!(target: "security", username = %name, address = ?address, "second factor throttled");
        let page = SecondStepPage {
            message: "Too many codes tried. Wait a minute, then try again.".into(),
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    waiting.attempts += 1;
    if code_is_good(&state, analyst.id, &form.code).await? {
        let _: Option<Pending> = session.session.remove(PENDING).await.map_err(internal)?;
        complete_sign_in(&mut session, &analyst).await?;
        tracing::info!(target: "security", username = %name, address = ?address, "signed in with the second factor");
        let next = local_path(&waiting.next).unwrap_or("/").to_string();
        return Ok(Redirect::to(&next).into_response());
    }
    tracing::warn!(target: "security", username = %name, address = ?address, attempt = waiting.attempts, "second factor failed");
    if waiting.attempts >= CODES_PER_PASSWORD {
        let _: Option<Pending> = session.session.remove(PENDING).await.map_err(internal)?;
        return Ok(back_to_sign_in());
    }
    session
        .session
        .insert(PENDING, waiting)
        .await
        .map_err(internal)?;
    let page = SecondStepPage {
        message: "That code is not right, or has been used already. Wait for the next code, or use a recovery code.".into(),
    };
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "two_factor.html")]
struct SettingsPage {
    me: Analyst,
    /// Enrolment under way: the secret grouped for typing, the otpauth:// link, its QR code.
    offer: Option<(String, String, String)>,
    recovery_left: i64,
    /// Recovery codes just issued: shown this once.
    recovery_codes: Vec<String>,
    required: bool,
    message: String,
    error: String,
}

async fn settings_page(
    state: &AppState,
    me: Analyst,
    required: bool,
) -> Result<SettingsPage, AppError> {
    let offer = match store::pending_secret(&state.db, me.id).await? {
        Some(secret) if !me.two_factor => {
            let url = totp::otpauth_url(&secret, &me.username).map_err(internal)?;
            let qr = totp::qr_data_url(&url).map_err(internal)?;
            Some((grouped(&secret), url, qr))
        }
        _ => None,
    };
    Ok(SettingsPage {
        recovery_left: store::recovery_codes_left(&state.db, me.id).await?,
        me,
        offer,
        recovery_codes: Vec::new(),
        required,
        message: String::new(),
        error: String::new(),
    })
}

async fn settings(
    State(state): State<AppState>,
    SignedInOwner(me): SignedInOwner,
) -> Result<SettingsPage, AppError> {
    let required = admins_must(&state) && me.is_admin && !me.two_factor;
    settings_page(&state, me, required).await
}

/// Offers a new secret to add to an authenticator app; nothing changes until a code confirms it.
async fn start(
    State(state): State<AppState>,
    SignedInOwner(me): SignedInOwner,
) -> Result<Redirect, AppError> {
    if !me.two_factor {
        let secret = totp::new_secret().map_err(internal)?;
        store::offer_secret(&state.db, me.id, &secret).await?;
    }
    Ok(Redirect::to("/account/two-factor"))
}

async fn confirm(
    State(state): State<AppState>,
    OwnAccount(me, address, mut session, form): OwnAccount<CodeForm>,
) -> Result<Response, AppError> {
    let secret = store::pending_secret(&state.db, me.id).await?;
    let (Some(secret), false) = (secret, me.two_factor) else {
        return Ok(Redirect::to("/account/two-factor").into_response());
    };
    let step = if state.code_throttle.allow(me.id) {
        totp::matching_step(&secret, &form.code, totp::now())
    } else {
        None
    };
    let codes = totp::new_recovery_codes().map_err(internal)?;
    let hashes: Vec<String> = codes.iter().map(|(_, hash)| hash.clone()).collect();
    let enabled = match step {
        Some(step) => store::enable(&state.db, me.id, &secret, step, &hashes).await?,
        None => false,
    };
    if !enabled {
        let mut page = settings_page(&state, me, false).await?;
        page.error = "That code does not match. Check the app's clock, wait for the next code, and type the six digits it shows.".into();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    tracing::info!(target: "security", username = %log_name(&me.username), address = ?address, "two-factor sign-in turned on");
    let mut page = renewed(&state, &mut session, me, false).await?;
    page.recovery_codes = codes.into_iter().map(|(shown, _)| shown).collect();
    page.message = "Two-factor sign-in is on. Your other sessions have ended.".into();
    Ok(page.into_response())
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct TurnOffForm {
    password: String,
}

/// Turns two-factor sign-in off, given the password; it ends the account's other sessions.
async fn turn_off(
    State(state): State<AppState>,
    OwnAccount(me, address, mut session, form): OwnAccount<TurnOffForm>,
) -> Result<Response, AppError> {
    if !me.two_factor {
        return Ok(Redirect::to("/account/two-factor").into_response());
    }
    let required = admins_must(&state) && me.is_admin;
    if !super::account::password_is_right(&state, &me, address, form.password).await? {
        tracing::warn!(target: "security", username = %log_name(&me.username), address = ?address, "turning off two-factor refused: wrong password");
        let mut page = settings_page(&state, me, false).await?;
        page.error = "That is not your current password.".into();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    store::disable(&state.db, me.id, me.id).await?;
    tracing::warn!(target: "security", username = %log_name(&me.username), address = ?address, "two-factor sign-in turned off");
    let mut page = renewed(&state, &mut session, me, required).await?;
    page.message = "Two-factor sign-in is off. Your other sessions have ended.".into();
    Ok(page.into_response())
}

/// The settings after a change to how the account signs in, which renews this session and ends
/// the account's others.
async fn renewed(
    state: &AppState,
    session: &mut AuthSession,
    me: Analyst,
    required: bool,
) -> Result<SettingsPage, AppError> {
    renew_session(session, &state.db, me.id).await?;
    let me = session.user.clone().unwrap_or(me);
    settings_page(state, me, required).await
}

fn admins_must(state: &AppState) -> bool {
    state.sessions.require_admin_two_factor
}

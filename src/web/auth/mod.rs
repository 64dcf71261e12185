//! Signing in: axum-login over tower-sessions (sessions stored in the database), argon2id
//! passwords, a second step for accounts with two-factor sign-in, throttled attempts, and the
//! extractors that guard analyst and admin pages.

mod account;
mod admin;
mod pages;
mod policy;
mod throttle;
mod two_factor;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use sha2::Digest;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use super::AppError;
use crate::db::Database;
use crate::db::accounts::{self, Account};

pub use pages::check_username;
pub use throttle::LoginThrottle;
pub use two_factor::CodeThrottle;

/// Every page of this module: sign-in and out, set-up links, the account's own pages and the
/// admin's.
pub fn router() -> Router<super::AppState> {
    pages::router()
        .merge(account::router())
        .merge(two_factor::router())
        .merge(admin::router())
}

pub use policy::{
    ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SECOND_STEP_WITHIN, SessionPolicy, TOUCH_EVERY, log_name,
};
use policy::{SEEN_AT, SIGNED_IN_AT};

/// The signed-in analyst.
#[derive(Clone)]
pub struct Analyst {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// Whether sign-in asks this account for a TOTP code.
    pub two_factor: bool,
    /// A hash of the account's security stamp: all the session keeps besides the id.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for Analyst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyst")
            .field("id", &self.id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Analyst {
    fn from_account(account: Account) -> Option<Self> {
        if !account.can_sign_in() {
            return None;
        }
        let auth_hash = sha2::Sha256::digest(account.security_stamp.as_bytes()).to_vec();
        Some(Self {
            is_admin: account.is_admin(),
            two_factor: account.two_factor,
            auth_hash,
            id: account.id,
            username: account.username,
            display_name: account.display_name,
        })
    }
}

impl AuthUser for Analyst {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    /// Sessions hold a hash of the account's security stamp, never its password hash. A new
    /// stamp (the account disabled, its password changed or reset, two-factor turned on or off)
    /// ends every session made before it, for good.
    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Clone)]
pub struct Backend {
    db: Database,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("password check did not finish: {0}")]
    Task(String),
}

impl AuthnBackend for Backend {
    type User = Analyst;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(
        &self,
        credentials: Credentials,
    ) -> Result<Option<Analyst>, BackendError> {
        let account = accounts::active_by_username(&self.db, &credentials.username).await?;
        // argon2 takes tens of milliseconds of CPU: off the async threads. An unknown user
        // costs the same work as a wrong password, so timing does not tell them apart.
        let verified = tokio::task::spawn_blocking(move || match account {
            Some(account) => {
                let ok = account.password_hash.as_deref().is_some_and(|hash| {
                    crate::accounts::verify_password(&credentials.password, hash)
                });
                ok.then_some(account)
            }
            None => {
                crate::accounts::burn_time(&credentials.password);
                None
            }
        })
        .await
        .map_err(|e| BackendError::Task(e.to_string()))?;
        Ok(verified.and_then(Analyst::from_account))
    }

    /// Only active accounts have sessions: disabling an account ends them.
    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<Analyst>, BackendError> {
        Ok(accounts::active_by_id(&self.db, *id)
            .await?
            .and_then(Analyst::from_account))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The session cookie's name; over TLS it carries the `__Host-` prefix as well.
pub const SESSION_COOKIE: &str = "hindsight";

/// Sessions in the database; the cookie is HttpOnly and SameSite=Lax always, and Secure with
/// the `__Host-` prefix when the site is served over TLS.
pub fn layer(
    db: &Database,
    secure: bool,
    policy: SessionPolicy,
) -> AuthManagerLayer<Backend, SqliteStore> {
    let store = SqliteStore::new(db.write.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(if secure {
            "__Host-hindsight"
        } else {
            SESSION_COOKIE
        })
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(policy.idle));
    AuthManagerLayerBuilder::new(Backend { db: db.clone() }, sessions).build()
}

/// The signed-in analyst, or a redirect to sign in that comes back here afterwards. With
/// `--require-admin-two-factor`, an admin without two-factor sign-in is sent to enrol instead.
pub struct SignedIn(pub Analyst);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let analyst = signed_in(parts, state).await?;
        let policy = policy(parts);
        if policy.require_admin_two_factor && analyst.is_admin && !analyst.two_factor {
            return Err(AppError::TwoFactorRequired);
        }
        Ok(Self(analyst))
    }
}

/// The signed-in analyst on the pages of their own account, which an admin who must enrol in
/// two-factor sign-in can reach.
pub struct SignedInOwner(pub Analyst);

impl<S: Send + Sync> FromRequestParts<S> for SignedInOwner {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Ok(Self(signed_in(parts, state).await?))
    }
}

/// A form that signs its session in, or changes how an account signs in: the form, the
/// session, and where the request came from for the security log.
pub struct SessionForm<F>(pub Option<std::net::IpAddr>, pub AuthSession, pub F);

impl<F: serde::de::DeserializeOwned> FromRequest<super::AppState> for SessionForm<F> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &super::AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let super::client::ClientAddress(address) =
            super::client::ClientAddress::from_request_parts(&mut parts, state)
                .await
                .unwrap_or_else(|never| match never {});
        let session = AuthSession::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| {
                AppError::Internal(anyhow::anyhow!("the session layer is missing")).into_response()
            })?;
        let super::extract::Form(form) =
            super::extract::Form::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Self(address, session, form))
    }
}

/// The signed-in analyst's form about their own account; the change renews the session.
pub struct OwnAccount<F>(
    pub Analyst,
    pub Option<std::net::IpAddr>,
    pub AuthSession,
    pub F,
);

impl<F: serde::de::DeserializeOwned> FromRequest<super::AppState> for OwnAccount<F> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &super::AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let SignedInOwner(me) = SignedInOwner::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let SessionForm(address, session, form) =
            SessionForm::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Self(me, address, session, form))
    }
}

fn policy(parts: &Parts) -> SessionPolicy {
    parts
        .extensions
        .get::<SessionPolicy>()
        .copied()
        .unwrap_or_default()
}

fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The session's analyst, if it is signed in and within its absolute time-out. Activity pushes
/// the idle time-out back: tower-sessions stores a session (and so its new expiry) only when it
/// changed, so a request marks it at most every `touch_every`.
async fn signed_in<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Analyst, AppError> {
    let next = OriginalUri::from_request_parts(parts, state)
        .await
        .map(|OriginalUri(uri)| {
            uri.path_and_query()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let policy = policy(parts);
    let mut session = AuthSession::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::Internal(anyhow::anyhow!("the session layer is missing")))?;
    let Some(analyst) = session.user.clone() else {
        return Err(AppError::SignInRequired { next });
    };
    let internal = |e: tower_sessions::session::Error| AppError::internal(e);
    let signed_in_at: Option<i64> = session.session.get(SIGNED_IN_AT).await.map_err(internal)?;
    let now = now_seconds();
    let expired = signed_in_at.is_none_or(|t| now - t > policy.absolute.num_seconds());
    if expired {
        session.logout().await.map_err(AppError::internal)?;
        return Err(AppError::SignInRequired { next });
    }
    let seen_at: Option<i64> = session.session.get(SEEN_AT).await.map_err(internal)?;
    if seen_at.is_none_or(|t| now - t >= policy.touch_every.num_seconds()) {
        session
            .session
            .insert(SEEN_AT, now)
            .await
            .map_err(internal)?;
    }
    Ok(analyst)
}

/// A signed-in admin; an analyst gets 403.
pub struct SignedInAdmin(pub Analyst);

impl<S: Send + Sync> FromRequestParts<S> for SignedInAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let SignedIn(analyst) = SignedIn::from_request_parts(parts, state).await?;
        if !analyst.is_admin {
            return Err(AppError::Forbidden(
                "Managing accounts needs an admin. Ask an admin of this Hindsight to do it.".into(),
            ));
        }
        Ok(Self(analyst))
    }
}

/// Marks the session with its sign-in time, for the absolute time-out.
async fn stamp(session: &AuthSession) -> Result<(), AppError> {
    let now = now_seconds();
    for key in [SIGNED_IN_AT, SEEN_AT] {
        session
            .session
            .insert(key, now)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(())
}

/// Signs `analyst` in on this session, with a new session id (an id planted or seen before is
/// worthless after), and starts the absolute time-out.
async fn complete_sign_in(session: &mut AuthSession, analyst: &Analyst) -> Result<(), AppError> {
    log_in_with_new_id(session, analyst).await?;
    stamp(session).await
}

/// Logs `analyst` in on a new session id: login() cycles the id only for a session not yet
/// signed in.
async fn log_in_with_new_id(session: &mut AuthSession, analyst: &Analyst) -> Result<(), AppError> {
    session
        .session
        .cycle_id()
        .await
        .map_err(AppError::internal)?;
    session.login(analyst).await.map_err(AppError::internal)
}

/// Loads the account again after its security stamp changed and keeps this session signed in
/// with the new one (the account's other sessions end), without restarting its time-outs.
async fn renew_session(session: &mut AuthSession, db: &Database, id: i64) -> Result<(), AppError> {
    let analyst = accounts::active_by_id(db, id)
        .await?
        .and_then(Analyst::from_account)
        .ok_or_else(|| AppError::SignInRequired {
            next: "/account".into(),
        })?;
    log_in_with_new_id(session, &analyst).await
}

pub fn throttle() -> Arc<LoginThrottle> {
    Arc::new(LoginThrottle::default())
}

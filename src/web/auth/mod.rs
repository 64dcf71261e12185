//! Signing in: axum-login over tower-sessions (sessions stored in the database), argon2id
//! passwords, throttled attempts, and the extractors that guard analyst and admin pages.

mod pages;
mod throttle;

use std::sync::Arc;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use super::AppError;
use crate::db::Database;
use crate::db::accounts::{self, Account};

pub use pages::{check_username, router};
pub use throttle::LoginThrottle;

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT: time::Duration = time::Duration::hours(2);
/// …and this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: chrono::Duration = chrono::Duration::hours(12);
const SIGNED_IN_AT: &str = "signed_in_at";

/// The signed-in analyst.
#[derive(Clone)]
pub struct Analyst {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    password_hash: String,
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
        Some(Self {
            is_admin: account.is_admin(),
            password_hash: account.password_hash?,
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

    /// A new password ends every other session of the account.
    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
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
pub fn layer(db: &Database, secure: bool) -> AuthManagerLayer<Backend, SqliteStore> {
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
        .with_expiry(Expiry::OnInactivity(IDLE_TIMEOUT));
    AuthManagerLayerBuilder::new(Backend { db: db.clone() }, sessions).build()
}

/// The signed-in analyst, or a redirect to sign in that comes back here afterwards.
pub struct SignedIn(pub Analyst);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let next = OriginalUri::from_request_parts(parts, state)
            .await
            .map(|OriginalUri(uri)| {
                uri.path_and_query()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        let mut session = AuthSession::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::Internal("the session layer is missing".into()))?;
        let Some(analyst) = session.user.clone() else {
            return Err(AppError::SignInRequired { next });
        };
        let signed_in_at: Option<i64> = session
            .session
            .get(SIGNED_IN_AT)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let expired = signed_in_at
            .is_none_or(|t| chrono::Utc::now().timestamp() - t > ABSOLUTE_TIMEOUT.num_seconds());
        if expired {
            session
                .logout()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            return Err(AppError::SignInRequired { next });
        }
        Ok(Self(analyst))
    }
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
    session
        .session
        .insert(SIGNED_IN_AT, chrono::Utc::now().timestamp())
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub fn throttle() -> Arc<LoginThrottle> {
    Arc::new(LoginThrottle::default())
}

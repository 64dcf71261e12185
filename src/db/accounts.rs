//! Analyst accounts and their one-time set-up links.

use chrono::{Duration, Utc};
use sqlx::FromRow;

use super::{Database, now, query};
use crate::domain::Role;
use crate::domain::dates::format_moment;

#[derive(Clone, FromRow)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub disabled_at: Option<String>,
    pub created_at: String,
    /// Sessions are bound to it; it changes when they must all end.
    pub security_stamp: String,
    /// Whether sign-in asks for a TOTP code after the password.
    pub two_factor: bool,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl Account {
    pub fn is_admin(&self) -> bool {
        Role::parse(&self.role) == Some(Role::Admin)
    }

    pub fn can_sign_in(&self) -> bool {
        self.password_hash.is_some() && self.disabled_at.is_none()
    }
}

const SELECT: &str = "SELECT id, username, display_name, role, password_hash, disabled_at, created_at, security_stamp, totp_secret IS NOT NULL AS two_factor FROM analysts";

/// How many admins can sign in.
const ACTIVE_ADMINS: &str = "SELECT COUNT(*) FROM analysts WHERE role = 'admin' AND password_hash IS NOT NULL AND disabled_at IS NULL";

/// An account that may sign in: it has a password and is not disabled.
pub async fn active_by_username(
    db: &Database,
    username: &str,
) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE username = $1 AND password_hash IS NOT NULL AND disabled_at IS NULL"
    );
    query::optional(db, &sql, &[username.into()]).await
}

pub async fn active_by_id(db: &Database, id: i64) -> Result<Option<Account>, sqlx::Error> {
    let sql =
        format!("{SELECT} WHERE id = $1 AND password_hash IS NOT NULL AND disabled_at IS NULL");
    query::optional(db, &sql, &[id.into()]).await
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<Account>, sqlx::Error> {
    query::optional(db, &format!("{SELECT} WHERE id = $1"), &[id.into()]).await
}

pub async fn all(db: &Database) -> Result<Vec<Account>, sqlx::Error> {
    let sql = format!("{SELECT} ORDER BY disabled_at IS NOT NULL, display_name");
    query::all(db, &sql, &[]).await
}

/// Whether an admin who can sign in exists; until one does, start-up offers a set-up link.
pub async fn has_active_admin(db: &Database) -> Result<bool, sqlx::Error> {
    Ok(query::count(db, ACTIVE_ADMINS).await? > 0)
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the username is taken")]
    UsernameTaken,
    #[error("the link has been used, has expired, or never existed")]
    BadToken,
    #[error("an admin already exists: ask them for an account")]
    AdminExists,
    #[error(transparent)]
    Hash(#[from] crate::accounts::HashError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// The id of the account just inserted, or `UsernameTaken` when another holds the username.
fn inserted(created: Result<i64, sqlx::Error>) -> Result<i64, AccountError> {
    created.map_err(|error| {
        if is_unique_violation(&error) {
            AccountError::UsernameTaken
        } else {
            error.into()
        }
    })
}

/// A new security stamp: every session of the account ends at its next request.
pub(super) async fn rotate_stamp(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE analysts SET security_stamp = lower(hex(randomblob(16))) WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Spends every unused link of an account, so that only the newest one issued can work.
async fn revoke_links(tx: &mut sqlx::SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE setup_tokens SET used_at = $1 WHERE analyst_id = $2 AND used_at IS NULL")
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Logs the change to account `id` in the transaction that made it, and commits the two
/// together: no change without its log entry, and no entry for a change that was rolled back.
pub(super) async fn commit_logged(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
    action: &str,
    by: Option<i64>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    log(&mut tx, id, action, by, reason).await?;
    tx.commit().await
}

async fn log(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    action: &str,
    by: Option<i64>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    let snapshot: Option<String> = sqlx::query_scalar("SELECT json_object('username', username, 'display_name', display_name, 'role', role, 'disabled_at', disabled_at) FROM analysts WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO change_log (entity, entity_id, action, analyst_id, changed_at, reason, snapshot) VALUES ('analyst', $1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(action)
        .bind(by)
        .bind(now())
        .bind(reason)
        .bind(snapshot.unwrap_or_else(|| "{}".into()))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The account that stands for the shell user running an import (`hindsight import`, or the
/// demo data set at start-up): `shell:NAME`, a name the sign-up rules cannot produce, with no
/// password and disabled, so nobody can sign in as it. Made on first use.
pub async fn shell_account(
    tx: &mut sqlx::SqliteConnection,
    stamp: &str,
) -> Result<i64, sqlx::Error> {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(50)
        .collect();
    let user = if user.is_empty() {
        "unknown".into()
    } else {
        user
    };
    let username = format!("shell:{user}");
    if let Some(id) = sqlx::query_scalar("SELECT id FROM analysts WHERE username = $1")
        .bind(&username)
        .fetch_optional(&mut *tx)
        .await?
    {
        return Ok(id);
    }
    sqlx::query_scalar("INSERT INTO analysts (username, display_name, role, created_at, disabled_at) VALUES ($1, $2, 'analyst', $3, $3) RETURNING id")
        .bind(&username)
        .bind(format!("{user} (command line)"))
        .bind(stamp)
        .fetch_one(&mut *tx)
        .await
}

/// Creates an account without a password and returns it with a one-time link token (valid for
/// `valid_for`) with which its owner chooses one. No password ever passes through anyone else.
pub async fn create(
    db: &Database,
    username: &str,
    display_name: &str,
    role: Role,
    by: Option<i64>,
    valid_for: Duration,
) -> Result<(i64, String), AccountError> {
    let (token, token_hash) = crate::accounts::new_token()?;
    let mut tx = db.write.begin().await?;
    let created = sqlx::query_scalar("INSERT INTO analysts (username, display_name, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(now())
        .fetch_one(&mut *tx)
        .await;
    let id = inserted(created)?;
    insert_token(&mut tx, &token_hash, Some(id), valid_for).await?;
    commit_logged(tx, id, "create", by, "account created").await?;
    Ok((id, token))
}

async fn insert_token(
    tx: &mut sqlx::SqliteConnection,
    token_hash: &str,
    analyst_id: Option<i64>,
    valid_for: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO setup_tokens (token_hash, analyst_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(analyst_id)
        .bind(now())
        .bind(format_moment(Utc::now() + valid_for))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A link that creates the first admin account.
pub async fn first_admin_token(db: &Database, valid_for: Duration) -> Result<String, AccountError> {
    let (token, token_hash) = crate::accounts::new_token()?;
    let mut conn = db.write.acquire().await?;
    insert_token(&mut conn, &token_hash, None, valid_for).await?;
    Ok(token)
}

/// A new link with which an existing analyst sets a new password; every earlier unused link of
/// the account stops working.
pub async fn reset_token(
    db: &Database,
    analyst_id: i64,
    by: i64,
    valid_for: Duration,
) -> Result<String, AccountError> {
    let (token, token_hash) = crate::accounts::new_token()?;
    let mut tx = db.write.begin().await?;
    revoke_links(&mut tx, analyst_id).await?;
    insert_token(&mut tx, &token_hash, Some(analyst_id), valid_for).await?;
    let reason = "password reset link issued";
    commit_logged(tx, analyst_id, "update", Some(by), reason).await?;
    Ok(token)
}

/// What a valid, unused, unexpired link is for: `None` inside means the first admin.
pub async fn token_target(
    db: &Database,
    token: &str,
) -> Result<Option<Option<Account>>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT analyst_id FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(crate::accounts::token_hash(token))
        .bind(now())
        .fetch_optional(&db.read)
        .await?;
    match row {
        None => Ok(None),
        Some((None,)) => Ok(Some(None)),
        Some((Some(id),)) => Ok(by_id(db, id).await?.map(Some)),
    }
}

/// Uses a link: sets the password of its analyst, or creates the first admin. The link is
/// spent in the same transaction, so it works exactly once; so is every other unused link of
/// the account, and the account's sessions end (a new security stamp).
pub async fn redeem(
    db: &Database,
    token: &str,
    first_admin: Option<(&str, &str)>,
    password_hash: &str,
) -> Result<i64, AccountError> {
    let mut tx = db.write.begin().await?;
    let stamp = now();
    let spent: Option<(Option<i64>,)> = sqlx::query_as("UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING analyst_id")
        .bind(&stamp)
        .bind(crate::accounts::token_hash(token))
        .fetch_optional(&mut *tx)
        .await?;
    let id = match (spent, first_admin) {
        (None, _) => return Err(AccountError::BadToken),
        (Some((Some(id),)), _) => {
            replace_password(&mut tx, id, password_hash, "password set").await?;
            id
        }
        (Some((None,)), Some((username, display_name))) => {
            let admins: i64 = sqlx::query_scalar(ACTIVE_ADMINS)
                .fetch_one(&mut *tx)
                .await?;
            if admins > 0 {
                return Err(AccountError::AdminExists);
            }
            let created = sqlx::query_scalar("INSERT INTO analysts (username, display_name, role, password_hash, created_at) VALUES ($1, $2, 'admin', $3, $4) RETURNING id")
                .bind(username)
                .bind(display_name)
                .bind(password_hash)
                .bind(&stamp)
                .fetch_one(&mut *tx)
                .await;
            let id = inserted(created)?;
            log(
                &mut tx,
                id,
                "create",
                Some(id),
                "first admin created with the set-up link",
            )
            .await?;
            id
        }
        (Some((None,)), None) => return Err(AccountError::BadToken),
    };
    tx.commit().await?;
    Ok(id)
}

/// Disables or re-enables an account. A disabled analyst's sessions end at their next request,
/// and for good: the account gets a new security stamp, so no session made before comes back
/// when it is enabled again.
pub async fn set_disabled(
    db: &Database,
    id: i64,
    disabled: bool,
    by: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.write.begin().await?;
    let stamp = disabled.then(now);
    sqlx::query("UPDATE analysts SET disabled_at = $1 WHERE id = $2")
        .bind(&stamp)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    rotate_stamp(&mut tx, id).await?;
    let (action, reason) = if disabled {
        ("retract", "account disabled")
    } else {
        ("restore", "account enabled")
    };
    commit_logged(tx, id, action, Some(by), reason).await
}

/// Sets a new password chosen by the signed-in owner, and ends the account's sessions (the
/// caller signs the current one in again).
pub async fn change_password(
    db: &Database,
    id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.write.begin().await?;
    replace_password(&mut tx, id, password_hash, "password changed").await?;
    tx.commit().await
}

/// Gives the account a password of its owner's choosing: its unused links are spent, its
/// sessions end, and the change is logged as `reason`.
async fn replace_password(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    password_hash: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE analysts SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    revoke_links(tx, id).await?;
    rotate_stamp(tx, id).await?;
    log(tx, id, "update", Some(id), reason).await
}

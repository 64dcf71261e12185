//! TOTP secrets, the last code accepted, and recovery codes of analyst accounts.

use super::accounts::{commit_logged, rotate_stamp};
use super::{Database, now};

/// The secret offered during enrolment, until a code confirms it.
pub async fn pending_secret(db: &Database, id: i64) -> Result<Option<String>, sqlx::Error> {
    let secret: Option<Option<String>> =
        sqlx::query_scalar("SELECT totp_pending_secret FROM analysts WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.read)
            .await?;
    Ok(secret.flatten())
}

/// Offers a new secret for enrolment (replacing any earlier offer); it does nothing until
/// confirmed.
pub async fn offer_secret(db: &Database, id: i64, secret: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE analysts SET totp_pending_secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The confirmed secret and the last time step accepted, for an account with two-factor on.
pub async fn secret(db: &Database, id: i64) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT totp_secret, totp_last_step FROM analysts WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.read)
            .await?;
    Ok(row.and_then(|(secret, step)| secret.map(|s| (s, step))))
}

/// Turns two-factor on with the offered secret, which the code of `step` confirmed, and stores
/// the recovery codes' hashes (replacing any earlier ones). False when the offer changed
/// meanwhile. The account's other sessions end.
pub async fn enable(
    db: &Database,
    id: i64,
    secret: &str,
    step: u64,
    recovery_hashes: &[String],
) -> Result<bool, sqlx::Error> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let mut tx = db.write.begin().await?;
    let done = sqlx::query("UPDATE analysts SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $1 WHERE id = $2 AND totp_pending_secret = $3")
        .bind(step)
        .bind(id)
        .bind(secret)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if !done {
        return Ok(false);
    }
    replace_recovery_codes(&mut tx, id, recovery_hashes).await?;
    rotate_stamp(&mut tx, id).await?;
    commit_logged(tx, id, "update", Some(id), "two-factor sign-in turned on").await?;
    Ok(true)
}

async fn replace_recovery_codes(
    tx: &mut sqlx::SqliteConnection,
    id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    let stamp = now();
    sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE analyst_id = $2 AND used_at IS NULL")
        .bind(&stamp)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (analyst_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(hash)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Turns two-factor off (by its owner, or by an admin for someone who lost their device): the
/// secret and the unused recovery codes go, and the account's sessions end.
pub async fn disable(db: &Database, id: i64, by: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.write.begin().await?;
    sqlx::query("UPDATE analysts SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    replace_recovery_codes(&mut tx, id, &[]).await?;
    rotate_stamp(&mut tx, id).await?;
    commit_logged(tx, id, "update", Some(by), "two-factor sign-in turned off").await
}

/// Records that the code of `step` was used; false when that step or a later one had already
/// been accepted (a replayed code).
pub async fn accept_step(db: &Database, id: i64, step: u64) -> Result<bool, sqlx::Error> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let done = sqlx::query("UPDATE analysts SET totp_last_step = $1 WHERE id = $2 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step)
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Spends a recovery code; false when it is not one of the account's unused codes.
pub async fn use_recovery_code(db: &Database, id: i64, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE id = (SELECT id FROM recovery_codes WHERE analyst_id = $2 AND code_hash = $3 AND used_at IS NULL LIMIT 1)")
        .bind(now())
        .bind(id)
        .bind(hash)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// How many recovery codes the account has left.
pub async fn recovery_codes_left(db: &Database, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE analyst_id = $1 AND used_at IS NULL",
    )
    .bind(id)
    .fetch_one(&db.read)
    .await
}

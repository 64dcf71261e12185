//! Retracting a record, in one transaction with its change-log entry.

use super::Database;

/// What can be retracted: a retracted record leaves every page and every score, but stays in
/// the database with its history.
#[derive(Debug, Clone, Copy)]
pub enum Retractable {
    Expert,
    Prediction,
}

impl Retractable {
    fn table(self) -> &'static str {
        match self {
            Self::Expert => "experts",
            Self::Prediction => "predictions",
        }
    }

    fn entity(self) -> &'static str {
        match self {
            Self::Expert => "expert",
            Self::Prediction => "prediction",
        }
    }
}

/// Retracts a record with a reason, in one transaction with its change-log entry. False when
/// there was no such record, or it was already retracted.
pub async fn retract(
    db: &Database,
    what: Retractable,
    id: i64,
    reason: &str,
    by: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    let stamp = super::stamp(&mut tx).await?;
    // A prediction's retraction is a version of it, in force from this stamp.
    let stamped = match what {
        Retractable::Prediction => ", entered_at = $1",
        Retractable::Expert => "",
    };
    // The table name is one of two constants above, never input.
    let sql = format!(
        "UPDATE {} SET retracted_at = $1, retraction_reason = $2{stamped} WHERE id = $3 AND retracted_at IS NULL",
        what.table()
    );
    let done = sqlx::query(&sql)
        .bind(&stamp)
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("INSERT INTO change_log (entity, entity_id, action, analyst_id, changed_at, reason, snapshot) VALUES ($1, $2, 'retract', $3, $4, $5, json_object('retracted_at', $4))")
        .bind(what.entity())
        .bind(id)
        .bind(by)
        .bind(&stamp)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    db.mark_changed();
    Ok(true)
}

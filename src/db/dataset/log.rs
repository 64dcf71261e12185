//! The change log of an import: an entry per record changed, or one for records created
//! together, written many to a statement.

use serde::Serialize;

use super::{Change, Run};

/// Change-log entries a statement: 8 parameters each.
const LOG_BATCH: usize = 1000;

/// A snapshot for the change log.
pub(super) fn to_json(snapshot: &impl Serialize) -> String {
    serde_json::to_string(snapshot).unwrap_or_else(|_| "{}".to_string())
}

/// A change-log entry: of one record, or (with `last_id`) of records created together.
pub(super) struct LogEntry {
    entity: &'static str,
    first_id: i64,
    last_id: Option<i64>,
    action: &'static str,
    snapshot: String,
}

impl Run<'_, '_> {
    /// Records a change in the change log. Entries are written many to a statement, at the
    /// latest when the import ends.
    pub(super) async fn log(
        &mut self,
        entity: &'static str,
        id: i64,
        change: Change,
        snapshot: &impl Serialize,
    ) -> Result<(), sqlx::Error> {
        let action = match change {
            Change::Unchanged => return Ok(()),
            Change::Created => "create",
            Change::Updated => "import",
        };
        let snapshot = to_json(snapshot);
        self.push_log(LogEntry {
            entity,
            first_id: id,
            last_id: None,
            action,
            snapshot,
        })
        .await
    }

    /// Records the creation of `records`, written together with consecutive ids from
    /// `first_id`. One record gets an entry of its own with its snapshot (a form, a small
    /// file); more share one entry, each row being its own snapshot until its first change
    /// (see migration 0012). A shared entry is written at once, not kept for the next batch of
    /// entries: the trigger that saves a row's first version before its first change copies it
    /// from that entry, and a later record of the same import may change the row.
    pub(super) async fn log_created<T>(
        &mut self,
        entity: &'static str,
        first_id: i64,
        records: &[T],
        snapshot: impl FnOnce(&T) -> String,
    ) -> Result<(), sqlx::Error> {
        let (last_id, snapshot) = match records {
            [] => return Ok(()),
            [one] => (None, snapshot(one)),
            many => {
                let count = i64::try_from(many.len()).unwrap_or(i64::MAX);
                let run = serde_json::json!({ "records": count }).to_string();
                (Some(first_id.saturating_add(count - 1)), run)
            }
        };
        self.push_log(LogEntry {
            entity,
            first_id,
            last_id,
            action: "create",
            snapshot,
        })
        .await?;
        if last_id.is_some() {
            self.flush_log().await?;
        }
        Ok(())
    }

    async fn push_log(&mut self, entry: LogEntry) -> Result<(), sqlx::Error> {
        self.pending_log.push(entry);
        if self.pending_log.len() >= LOG_BATCH {
            self.flush_log().await?;
        }
        Ok(())
    }

    pub(super) async fn flush_log(&mut self) -> Result<(), sqlx::Error> {
        if self.pending_log.is_empty() {
            return Ok(());
        }
        let entries = std::mem::take(&mut self.pending_log);
        let (analyst_id, now, reason) = (self.analyst_id, &self.now, &self.reason);
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO change_log (entity, entity_id, last_entity_id, action, analyst_id, changed_at, reason, snapshot) ",
        );
        insert.push_values(entries, |mut row, entry| {
            row.push_bind(entry.entity)
                .push_bind(entry.first_id)
                .push_bind(entry.last_id)
                .push_bind(entry.action)
                .push_bind(analyst_id)
                .push_bind(now.clone())
                .push_bind(reason.clone())
                .push_bind(entry.snapshot);
        });
        insert.build().execute(&mut **self.tx).await?;
        Ok(())
    }
}

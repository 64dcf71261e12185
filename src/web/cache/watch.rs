//! Writes by other processes on the same file, noticed through SQLite's `data_version`.

use std::sync::Arc;
use std::time::Duration;

use super::PageCache;
use crate::db::Database;

/// The task started by `watch_for_outside_writes`.
#[must_use = "keep it, and stop it before closing the database"]
pub struct OutsideWriteWatcher {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl OutsideWriteWatcher {
    /// Ends the task and hands its connection back, so that closing the pool afterwards
    /// closes every connection properly (the last one to close folds the WAL into the file).
    pub async fn stop(self) {
        // Err: the task has ended already.
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::warn!(%error, "the watcher for outside writes failed");
        }
    }
}

/// Polls SQLite's `data_version` on a connection of its own, which changes whenever another
/// connection (this server's writer, or another process) commits.
pub fn watch_for_outside_writes(db: Database, cache: Arc<PageCache>) -> OutsideWriteWatcher {
    let (stop, mut stopped) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let Ok(mut connection) = db.read.acquire().await else {
            return;
        };
        let mut last: Option<i64> = None;
        loop {
            match crate::db::data_version(&mut connection).await {
                Ok(version) => {
                    if last.is_some_and(|last| last != version) {
                        cache.invalidate();
                    }
                    last = Some(version);
                }
                Err(_) => return,
            }
            tokio::select! {
                // A dropped sender is not a request to stop: only a sent one is.
                Ok(()) = &mut stopped => return,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    });
    OutsideWriteWatcher { stop, task }
}

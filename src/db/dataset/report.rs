//! What an import did, per kind of record, and what each write did to its record.

use serde::Serialize;

/// What an import did (or, in a dry run, would do), per kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub counts: Vec<KindCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindCount {
    pub kind: &'static str,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl ImportReport {
    pub(super) fn count(&mut self, kind: &'static str, change: Change) {
        self.count_many(kind, change, 1);
    }

    /// Counts `n` records written new in one go.
    pub(super) fn count_created(&mut self, kind: &'static str, n: usize) {
        self.count_many(kind, Change::Created, u64::try_from(n).unwrap_or(u64::MAX));
    }

    pub(super) fn count_many(&mut self, kind: &'static str, change: Change, n: u64) {
        let position = match self.counts.iter().position(|c| c.kind == kind) {
            Some(position) => position,
            None => {
                self.counts.push(KindCount {
                    kind,
                    ..KindCount::default()
                });
                self.counts.len() - 1
            }
        };
        let entry = &mut self.counts[position];
        match change {
            Change::Created => entry.created += n,
            Change::Updated => entry.updated += n,
            Change::Unchanged => entry.unchanged += n,
        }
    }

    pub fn created(&self, kind: &str) -> u64 {
        self.counts
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.created)
            .sum()
    }

    pub fn total_changes(&self) -> u64 {
        self.counts.iter().map(|c| c.created + c.updated).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Created,
    Updated,
    Unchanged,
}

impl Change {
    /// What an `UPDATE … WHERE <something differs>` did.
    pub(super) fn of(done: &sqlx::sqlite::SqliteQueryResult) -> Self {
        if done.rows_affected() > 0 {
            Self::Updated
        } else {
            Self::Unchanged
        }
    }
}

//! The checks of one field of a record, each recording its problem (named by record and field)
//! and giving the checked value, or `None` when there was a problem.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::domain::Slug;
use crate::domain::dates::{parse_date, parse_moment};
use crate::domain::model;
use crate::domain::text::required;
use crate::import::format::Retraction;
use crate::import::{ImportIssue, RecordKind, RecordRef};

/// Collects problems so a file reports all of them at once.
pub(super) struct Checker {
    pub(super) issues: Vec<ImportIssue>,
}

impl Checker {
    pub(super) fn retraction(
        &mut self,
        at: RecordRef,
        retraction: Option<&Retraction>,
    ) -> Option<model::Retraction> {
        let retraction = retraction?;
        let moment = parse_moment(&retraction.at);
        if moment.is_none() {
            self.issue(
                at,
                "retraction",
                format!("\"{}\" is not an RFC 3339 moment", retraction.at),
            );
        }
        let reason = self.text(at, "retraction", &retraction.reason, 2000);
        Some(model::Retraction {
            at: moment?,
            reason: reason?,
        })
    }

    pub(super) fn issue(&mut self, at: RecordRef, field: &str, message: impl Into<String>) {
        self.issues.push(ImportIssue::new(at.field(field), message));
    }

    pub(super) fn text(
        &mut self,
        at: RecordRef,
        field: &str,
        value: &str,
        max: usize,
    ) -> Option<String> {
        match required(value) {
            None => {
                self.issue(at, field, "is required and may not be blank");
                None
            }
            Some(text) if text.chars().count() > max => {
                self.issue(at, field, format!("is longer than {max} characters"));
                None
            }
            Some(text) if text.contains('\0') => {
                self.nul(at, field);
                None
            }
            Some(text) => Some(text),
        }
    }

    /// SQLite's text functions stop at a NUL, so a value holding one could not be checked or
    /// shown whole.
    pub(super) fn nul(&mut self, at: RecordRef, field: &str) {
        self.issue(
            at,
            field,
            "holds a NUL character (byte 0), which text may not contain",
        );
    }

    pub(super) fn optional_text(
        &mut self,
        at: RecordRef,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let text = value.and_then(required)?;
        if text.chars().count() > max {
            self.issue(at, field, format!("is longer than {max} characters"));
            return None;
        }
        if text.contains('\0') {
            self.nul(at, field);
            return None;
        }
        Some(text)
    }

    pub(super) fn slug(&mut self, at: RecordRef, field: &str, value: &str) -> Option<Slug> {
        Slug::parse(value)
            .map_err(|e| self.issue(at, field, format!("\"{value}\" {e}")))
            .ok()
    }

    pub(super) fn date(&mut self, at: RecordRef, field: &str, value: &str) -> Option<NaiveDate> {
        let date = parse_date(value);
        if date.is_none() {
            self.issue(
                at,
                field,
                format!("\"{value}\" is not a date of the form YYYY-MM-DD"),
            );
        }
        date
    }

    pub(super) fn optional_date(
        &mut self,
        at: RecordRef,
        field: &str,
        value: Option<&str>,
    ) -> Option<NaiveDate> {
        value.and_then(|v| self.date(at, field, v))
    }

    pub(super) fn url(
        &mut self,
        at: RecordRef,
        field: &str,
        value: Option<&str>,
    ) -> Option<String> {
        let text = value.and_then(required)?;
        match url::Url::parse(&text) {
            Ok(parsed)
                if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() =>
            {
                Some(text)
            }
            _ => {
                self.issue(
                    at,
                    field,
                    format!("\"{text}\" is not an http or https link"),
                );
                None
            }
        }
    }

    pub(super) fn unique(
        &mut self,
        seen: &mut HashSet<String>,
        at: RecordRef,
        field: &str,
        key: &str,
    ) {
        if !seen.insert(key.to_string()) {
            self.issue(at, field, format!("\"{key}\" appears twice in the file"));
        }
    }

    /// A value that must be one of a few words ("analyst or admin"), read by `parse`.
    pub(super) fn one_of<T>(
        &mut self,
        at: RecordRef,
        field: &str,
        value: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        choices: &str,
    ) -> Option<T> {
        let parsed = parse(value);
        if parsed.is_none() {
            self.issue(at, field, format!("\"{value}\" must be {choices}"));
        }
        parsed
    }

    /// Names (aliases, members, authors): each non-blank and at most 300 characters.
    pub(super) fn names(&mut self, at: RecordRef, field: &str, values: &[String]) -> Vec<String> {
        values
            .iter()
            .filter_map(|v| self.text(at, field, v, 300))
            .collect()
    }

    pub(super) fn slugs(&mut self, at: RecordRef, field: &str, values: &[String]) -> Vec<Slug> {
        values
            .iter()
            .filter_map(|v| self.slug(at, field, v))
            .collect()
    }

    /// Checks each record of one list with `check`, keeping those it makes a value of.
    pub(super) fn each<R, V>(
        &mut self,
        kind: RecordKind,
        records: &[R],
        mut check: impl FnMut(&mut Self, RecordRef, &R) -> Option<V>,
    ) -> Vec<V> {
        records
            .iter()
            .enumerate()
            .filter_map(|(i, record)| check(self, RecordRef::at(kind, i), record))
            .collect()
    }
}

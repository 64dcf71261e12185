//! The checks of one field of a record, each recording its problem (named by record and field)
//! and giving the checked value, or `None` when there was a problem.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};

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
    /// Checks each record of one list with `check`, keeping those it makes a value of.
    pub(super) fn each<R, V>(
        &mut self,
        kind: RecordKind,
        records: &[R],
        mut check: impl FnMut(&mut RecordChecker<'_>, &R) -> Option<V>,
    ) -> Vec<V> {
        let issues = &mut self.issues;
        let mut seen = HashSet::new();
        records
            .iter()
            .enumerate()
            .filter_map(|(i, record)| {
                let at = RecordRef::at(kind, i);
                let seen = &mut seen;
                check(&mut RecordChecker { issues, seen, at }, record)
            })
            .collect()
    }
}

/// The checks of one record's fields: each problem is recorded under the record and field.
pub(super) struct RecordChecker<'c> {
    issues: &'c mut Vec<ImportIssue>,
    /// The values of this list's records that no two may share, by field.
    seen: &'c mut HashSet<(String, String)>,
    pub(super) at: RecordRef,
}

impl RecordChecker<'_> {
    pub(super) fn retraction(
        &mut self,
        retraction: Option<&Retraction>,
    ) -> Option<model::Retraction> {
        let retraction = retraction?;
        let complaint = "is not an RFC 3339 moment";
        let moment = self.read("retraction", &retraction.at, parse_moment, complaint);
        let reason = self.text("retraction", &retraction.reason, 2000);
        Some(model::Retraction {
            at: moment?,
            reason: reason?,
        })
    }

    pub(super) fn issue(&mut self, field: &str, message: impl Into<String>) {
        self.issues
            .push(ImportIssue::new(self.at.field(field), message));
    }

    pub(super) fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        match required(value) {
            None => {
                self.issue(field, "is required and may not be blank");
                None
            }
            Some(text) if text.chars().count() > max => {
                self.issue(field, format!("is longer than {max} characters"));
                None
            }
            Some(text) if text.contains('\0') => {
                self.nul(field);
                None
            }
            Some(text) => Some(text),
        }
    }

    /// SQLite's text functions stop at a NUL, so a value holding one could not be checked or
    /// shown whole.
    pub(super) fn nul(&mut self, field: &str) {
        self.issue(
            field,
            "holds a NUL character (byte 0), which text may not contain",
        );
    }

    pub(super) fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        // Absent or blank is no value; anything else is checked as a required text.
        let text = value.filter(|text| !text.trim().is_empty())?;
        self.text(field, text, max)
    }

    pub(super) fn slug(&mut self, field: &str, value: &str) -> Option<Slug> {
        Slug::parse(value)
            .map_err(|e| self.issue(field, format!("\"{value}\" {e}")))
            .ok()
    }

    /// `value` read by `parse`, e.g. a word that must be one of a few; when it cannot be, the
    /// problem is `value` quoted and `complaint`: "\"robot\" must be person, group or collective".
    pub(super) fn read<T>(
        &mut self,
        field: &str,
        value: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        complaint: &str,
    ) -> Option<T> {
        let parsed = parse(value);
        if parsed.is_none() {
            self.issue(field, format!("\"{value}\" {complaint}"));
        }
        parsed
    }

    pub(super) fn date(&mut self, field: &str, value: &str) -> Option<NaiveDate> {
        self.read(
            field,
            value,
            parse_date,
            "is not a date of the form YYYY-MM-DD",
        )
    }

    /// A moment: RFC 3339, or a bare YYYY-MM-DD date for that whole day.
    pub(super) fn moment(&mut self, field: &str, value: &str) -> Option<DateTime<Utc>> {
        let complaint = "is not an RFC 3339 moment or a YYYY-MM-DD date";
        self.read(field, value, parse_moment, complaint)
    }

    pub(super) fn optional_date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        value.and_then(|v| self.date(field, v))
    }

    pub(super) fn url(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let text = value.and_then(required)?;
        match url::Url::parse(&text) {
            Ok(parsed)
                if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() =>
            {
                Some(text)
            }
            _ => {
                self.issue(field, format!("\"{text}\" is not an http or https link"));
                None
            }
        }
    }

    /// Records a problem when an earlier record of the list has `key` in `field` too.
    pub(super) fn unique(&mut self, field: &str, key: &str) {
        if !self.seen.insert((field.to_string(), key.to_string())) {
            self.issue(field, format!("\"{key}\" appears twice in the file"));
        }
    }

    /// Names (aliases, members, authors): each non-blank and at most 300 characters.
    pub(super) fn names(&mut self, field: &str, values: &[String]) -> Vec<String> {
        values
            .iter()
            .filter_map(|v| self.text(field, v, 300))
            .collect()
    }

    pub(super) fn slugs(&mut self, field: &str, values: &[String]) -> Vec<Slug> {
        values.iter().filter_map(|v| self.slug(field, v)).collect()
    }
}

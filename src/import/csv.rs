//! The CSV format: one prediction a row, as analysts keep them in spreadsheets. Columns name the
//! expert, source, event and proposition (creating them when their details are given, matching
//! them otherwise), the quote and its probability, and optionally the outcome. A row with an
//! outcome and no quote records only the outcome, so a file can carry a full history.

mod read;
mod write;

use std::collections::HashMap;

use super::{ImportErrors, ImportIssue, Place, RecordKind, RecordRef};

pub use read::read;
pub use write::write;

pub const COLUMNS: [&str; 34] = [
    "expert",
    "expert_name",
    "expert_kind",
    "expert_affiliation",
    "expert_title",
    "expert_members",
    "source_url",
    "source_title",
    "source_outlet",
    "source_published_on",
    "source_authors",
    "event",
    "event_title",
    "proposition",
    "proposition_statement",
    "proposition_criteria",
    "proposition_decidable_by",
    "quote",
    "said_on",
    "hedge_words",
    "basis",
    "probability",
    "scale",
    "scale_term",
    "basis_note",
    "recorded_at",
    "retracted_at",
    "retraction_reason",
    "outcome",
    "decided_on",
    "evidence_url",
    "rationale",
    "recorded_by",
    "outcome_recorded_at",
];

/// Where each record of the data set came from, to report problems by line and column.
#[derive(Debug, Default)]
pub struct Lines(HashMap<RecordRef, u64>);

/// The CSV column a record's field came from.
fn column_of(kind: RecordKind, field: &str) -> &str {
    use RecordKind::*;
    match (kind, field) {
        (Experts, "slug") => "expert",
        (Experts, "name" | "aliases") => "expert_name",
        (Experts, "kind") => "expert_kind",
        (Experts, "affiliation") => "expert_affiliation",
        (Experts, "title") => "expert_title",
        (Experts, "members") => "expert_members",
        (Sources, "url") => "source_url",
        (Sources, "title") => "source_title",
        (Sources, "outlet") => "source_outlet",
        (Sources, "published_on") => "source_published_on",
        (Sources, "authors") => "source_authors",
        (Events, "slug") => "event",
        (Events, "title") => "event_title",
        (Propositions, "slug") => "proposition",
        (Propositions, "event") => "event",
        (Propositions, "statement") => "proposition_statement",
        (Propositions, "criteria") => "proposition_criteria",
        (Propositions, "decidable_by") => "proposition_decidable_by",
        (Predictions, "scale_term") => "scale_term",
        (Predictions, "source") => "source_title",
        (Predictions, "retraction") => "retracted_at",
        (Resolutions, "recorded_at") => "outcome_recorded_at",
        (_, other) => other,
    }
}

impl Lines {
    /// Notes that the record `kind` #`number` came from `line`.
    fn record(&mut self, kind: RecordKind, number: usize, line: u64) {
        self.0.insert(RecordRef { kind, number }, line);
    }

    /// "predictions #3, field probability" becomes "line 5, column probability".
    pub fn relabel(&self, errors: ImportErrors) -> ImportErrors {
        ImportErrors(
            errors
                .0
                .into_iter()
                .map(|issue| self.place(issue))
                .collect(),
        )
    }

    fn place(&self, issue: ImportIssue) -> ImportIssue {
        let Place::Record { record, field } = &issue.place else {
            return issue;
        };
        let Some(&line) = self.0.get(record) else {
            return issue;
        };
        let place = match field {
            None => Place::line(line),
            Some(field) => Place::column(line, column_of(record.kind, field)),
        };
        ImportIssue::new(place, issue.message)
    }
}

/// What a spreadsheet would run as a formula when a cell starts with it (OWASP: CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet shows as text: one that would start a formula gets a leading `'`, the
/// spreadsheets' own mark for "this is text".
fn to_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The value `to_cell` wrote: the `'` before a formula character is taken off again, so an
/// export imports back as it was.
fn from_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::{from_cell, to_cell};

    #[test]
    fn a_cell_that_would_be_a_formula_is_written_as_text_and_read_back_as_it_was() {
        for value in [
            "=HYPERLINK(\"http://evil.example\")",
            "+1",
            "-2",
            "@SUM(A1)",
        ] {
            let cell = to_cell(value);
            assert_eq!(cell, format!("'{value}"));
            assert_eq!(from_cell(&cell), value);
        }
        assert_eq!(to_cell("Putin will visit"), "Putin will visit");
        assert_eq!(
            from_cell("'quoted'"),
            "'quoted'",
            "a plain apostrophe stays"
        );
    }
}

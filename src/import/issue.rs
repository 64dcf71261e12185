//! Problems in an imported file as values: where (a line, a top-level field, or a record and
//! one of its fields) and what. Each front end renders them its own way: the shell and the
//! upload page as text ("predictions #4, field probability: …"), the forms by field, and a CSV
//! file by line and column, without reading the text back.

use std::fmt;

/// The lists of a `hindsight/v1` file, in the order the format gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Analysts,
    Topics,
    Experts,
    Sources,
    Events,
    Propositions,
    Predictions,
    Resolutions,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        Self::Analysts,
        Self::Topics,
        Self::Experts,
        Self::Sources,
        Self::Events,
        Self::Propositions,
        Self::Predictions,
        Self::Resolutions,
    ];

    /// The list's name in a file: "predictions".
    pub fn list(self) -> &'static str {
        match self {
            Self::Analysts => "analysts",
            Self::Topics => "topics",
            Self::Experts => "experts",
            Self::Sources => "sources",
            Self::Events => "events",
            Self::Propositions => "propositions",
            Self::Predictions => "predictions",
            Self::Resolutions => "resolutions",
        }
    }
}

/// One record of a file: its list and its number there, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub number: usize,
}

impl RecordRef {
    /// The record at `index` (from 0) of its list.
    pub fn at(kind: RecordKind, index: usize) -> Self {
        Self {
            kind,
            number: index + 1,
        }
    }

    /// A place in this record: one of its fields.
    pub fn field(self, field: impl Into<String>) -> Place {
        Place::Record {
            record: self,
            field: Some(field.into()),
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} #{}", self.kind.list(), self.number)
    }
}

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line, and maybe a column: a number in JSON ("line 2, column 14"), a column's name in
    /// CSV ("line 5, column probability").
    Line { line: u64, column: Option<String> },
    /// A top-level field of a JSON file: "field format".
    TopLevel(String),
    /// A record, and maybe one of its fields: "predictions #4, field probability".
    Record {
        record: RecordRef,
        field: Option<String>,
    },
}

impl Place {
    pub fn line(line: u64) -> Self {
        Self::Line { line, column: None }
    }

    pub fn column(line: u64, column: impl Into<String>) -> Self {
        Self::Line {
            line,
            column: Some(column.into()),
        }
    }
}

impl From<RecordRef> for Place {
    fn from(record: RecordRef) -> Self {
        Self::Record {
            record,
            field: None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line { line, column: None } => write!(f, "line {line}"),
            Self::Line {
                line,
                column: Some(column),
            } => write!(f, "line {line}, column {column}"),
            Self::TopLevel(field) => write!(f, "field {field}"),
            Self::Record {
                record,
                field: None,
            } => write!(f, "{record}"),
            Self::Record {
                record,
                field: Some(field),
            } => write!(f, "{record}, field {field}"),
        }
    }
}

/// Written as its text, as a reader sees it.
impl serde::Serialize for Place {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One problem in an imported file, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportIssue {
    #[serde(rename = "location")]
    pub place: Place,
    pub message: String,
}

impl ImportIssue {
    pub fn new(place: impl Into<Place>, message: impl Into<String>) -> Self {
        Self {
            place: place.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every problem found in a file; the file changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in the file; nothing was imported. First: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct ImportErrors(pub Vec<ImportIssue>);

impl ImportErrors {
    /// One problem at `place`.
    pub fn one(place: impl Into<Place>, message: impl Into<String>) -> Self {
        Self(vec![ImportIssue::new(place, message)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_they_always_have() {
        let record = RecordRef::at(RecordKind::Predictions, 3);
        let cases = [
            (Place::line(1), "line 1"),
            (Place::column(2, "14"), "line 2, column 14"),
            (
                Place::column(5, "probability"),
                "line 5, column probability",
            ),
            (Place::TopLevel("format".into()), "field format"),
            (record.into(), "predictions #4"),
            (
                record.field("probability"),
                "predictions #4, field probability",
            ),
        ];
        for (place, text) in cases {
            assert_eq!(place.to_string(), text);
        }
        let issue = ImportIssue::new(record.field("quote"), "is required");
        assert_eq!(
            issue.to_string(),
            "predictions #4, field quote: is required"
        );
        assert_eq!(
            serde_json::to_value(&issue).unwrap(),
            serde_json::json!({"location": "predictions #4, field quote", "message": "is required"})
        );
    }
}

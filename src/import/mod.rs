//! The Hindsight data-set format (JSON, `"format": "hindsight/v1"`): the whole model in one
//! file. The demo data set is such a file, loaded through the same path as a user's import.
//!
//! Reading happens in two steps. `parse` checks the text is JSON of the right shape; `validate`
//! turns every record into domain types, collecting every problem with the record and field it
//! is in, so one run reports all of a file's mistakes. Only a data set with no problems at all
//! reaches the database, in one transaction (`db::dataset`).

pub mod csv;
mod format;
mod validate;

pub use format::*;
pub use validate::{
    DataSet, ValidAnalyst, ValidEvent, ValidExpert, ValidPrediction, ValidProposition,
    ValidResolution, ValidSource, ValidTopic, validate,
};

use std::fmt;

/// One problem in an imported file, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportIssue {
    /// Where: "predictions #4, field probability", or "line 12, column 5".
    pub location: String,
    pub message: String,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found in a file; the file changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in the file; nothing was imported. First: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct ImportErrors(pub Vec<ImportIssue>);

/// Parses the text of a `hindsight/v1` JSON file.
pub fn parse(text: &str) -> Result<DataSetFile, ImportErrors> {
    if text.trim().is_empty() {
        return Err(ImportErrors(vec![ImportIssue {
            location: "line 1".to_string(),
            message: "the file is empty".to_string(),
        }]));
    }
    let file: DataSetFile = serde_json::from_str(text).map_err(|e| {
        ImportErrors(vec![ImportIssue {
            location: format!("line {}, column {}", e.line(), e.column()),
            message: e.to_string(),
        }])
    })?;
    if file.format != FORMAT_V1 {
        return Err(ImportErrors(vec![ImportIssue {
            location: "field format".to_string(),
            message: format!("must be \"{FORMAT_V1}\", not \"{}\"", file.format),
        }]));
    }
    Ok(file)
}

/// The two formats a file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// By the file's name, or else by its first character ("{" is JSON).
    pub fn guess(name: &str, bytes: &[u8]) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            return Self::Csv;
        }
        if lower.ends_with(".json") {
            return Self::Json;
        }
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Self::Json,
            _ => Self::Csv,
        }
    }
}

/// Reads and checks a file in either format. The returned `csv::Lines` relabels problems found
/// later (against the database) by the line they came from; for JSON it changes nothing.
pub fn read(bytes: &[u8], format: Format) -> Result<(DataSet, csv::Lines), ImportErrors> {
    match format {
        Format::Json => {
            let text = std::str::from_utf8(bytes).map_err(|e| {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                ImportErrors(vec![ImportIssue {
                    location: format!("line {line}"),
                    message: "the file is not valid UTF-8 text".into(),
                }])
            })?;
            let file = parse(text)?;
            Ok((validate(&file)?, csv::Lines::default()))
        }
        Format::Csv => {
            let (file, lines) = csv::read(bytes)?;
            let set = validate(&file).map_err(|e| lines.relabel(e))?;
            Ok((set, lines))
        }
    }
}

/// The data set this project ships as its demo: the five June 2024 articles on Putin's visit to
/// Pyongyang, with the outcomes recorded from the reference facts.
pub const DEMO_DATA_SET: &str = include_str!("../../static/data/putin-pyongyang-2024.json");

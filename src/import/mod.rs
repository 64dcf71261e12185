//! The Hindsight data-set format (JSON, `"format": "hindsight/v1"`): the whole model in one
//! file. The demo data set is such a file, loaded through the same path as a user's import.
//!
//! Reading happens in two steps. `parse` checks the text is JSON of the right shape; `validate`
//! turns every record into domain types, collecting every problem with the record and field it
//! is in, so one run reports all of a file's mistakes. Only a data set with no problems at all
//! reaches the database, in one transaction (`db::dataset`).

pub mod csv;
mod format;
mod issue;
mod valid;
mod validate;

pub use format::*;
pub use issue::{ImportErrors, ImportIssue, Place, RecordKind, RecordRef};
pub use valid::{AtRecord, DataSet, ValidAnalyst};
pub use validate::validate;

/// The top-level fields of a `hindsight/v1` file, in the order the format lists them.
const TOP_LEVEL_FIELDS: [&str; 9] = [
    "format",
    "analysts",
    "topics",
    "experts",
    "sources",
    "events",
    "propositions",
    "predictions",
    "resolutions",
];

/// Parses the text of a `hindsight/v1` JSON file.
///
/// A file that is not JSON at all is reported once, by line and column. Otherwise each record of
/// each list is read on its own, so every record with a problem is reported, named by its list,
/// its number there (from 1, as the semantic checks count) and the field: "propositions #5,
/// field decidable_by: is missing".
pub fn parse(text: &str) -> Result<DataSetFile, ImportErrors> {
    if text.trim().is_empty() {
        return Err(ImportErrors::one(Place::line(1), "the file is empty"));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ImportErrors::one(
            Place::column(e.line() as u64, e.column().to_string()),
            syntax_message(&e),
        )
    })?;
    let serde_json::Value::Object(top) = value else {
        return Err(ImportErrors::one(
            Place::line(1),
            format!(
                "the file must be one JSON object ({{\"format\": \"{FORMAT_V1}\", ...}}), not {}",
                json_kind(&value)
            ),
        ));
    };
    let mut issues = Vec::new();
    let mut file = DataSetFile::default();
    match top.get("format") {
        Some(serde_json::Value::String(format)) if format == FORMAT_V1 => {
            file.format = format.clone();
        }
        Some(serde_json::Value::String(format)) => {
            // Another format's records would only give misleading messages.
            return Err(ImportErrors::one(
                top_level("format"),
                format!("must be \"{FORMAT_V1}\", not \"{format}\""),
            ));
        }
        Some(other) => issues.push(ImportIssue::new(
            top_level("format"),
            format!("must be the text \"{FORMAT_V1}\", not {}", json_kind(other)),
        )),
        None => issues.push(ImportIssue::new(
            top_level("format"),
            format!("is missing: the file must say \"format\": \"{FORMAT_V1}\""),
        )),
    }
    // In the order the format lists them, whatever order the file has.
    let mut top = top;
    top.remove("format");
    for kind in RecordKind::ALL {
        let Some(value) = top.remove(kind.list()) else {
            continue;
        };
        let issues = &mut issues;
        match kind {
            RecordKind::Analysts => file.analysts = records(issues, kind, value),
            RecordKind::Topics => file.topics = records(issues, kind, value),
            RecordKind::Experts => file.experts = records(issues, kind, value),
            RecordKind::Sources => file.sources = records(issues, kind, value),
            RecordKind::Events => file.events = records(issues, kind, value),
            RecordKind::Propositions => file.propositions = records(issues, kind, value),
            RecordKind::Predictions => file.predictions = records(issues, kind, value),
            RecordKind::Resolutions => file.resolutions = records(issues, kind, value),
        }
    }
    for other in top.keys() {
        issues.push(ImportIssue::new(
            top_level(other),
            format!(
                "unknown field \"{other}\"; a file holds only {}",
                TOP_LEVEL_FIELDS.join(", ")
            ),
        ));
    }
    if issues.is_empty() {
        Ok(file)
    } else {
        Err(ImportErrors(issues))
    }
}

fn top_level(field: &str) -> Place {
    Place::TopLevel(field.to_string())
}

/// serde_json's message without the " at line L column C" it appends: the location says it.
fn syntax_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Reads every record of one list, each on its own, naming the record and field of each problem.
fn records<T: serde::de::DeserializeOwned>(
    issues: &mut Vec<ImportIssue>,
    kind: RecordKind,
    value: serde_json::Value,
) -> Vec<T> {
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => {
            issues.push(ImportIssue::new(
                top_level(kind.list()),
                format!(
                    "must be a list ([...]) of records, not {}",
                    json_kind(&other)
                ),
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let record = RecordRef::at(kind, i);
        if !item.is_object() {
            issues.push(ImportIssue::new(
                record,
                format!("must be a record ({{...}}), not {}", json_kind(&item)),
            ));
            continue;
        }
        match serde_path_to_error::deserialize::<_, T>(item) {
            Ok(parsed) => out.push(parsed),
            Err(error) => {
                let path = error.path().to_string();
                let (field, message) = field_and_message(&path, &error.into_inner().to_string());
                let place = Place::Record { record, field };
                issues.push(ImportIssue::new(place, message));
            }
        }
    }
    out
}

/// The field a serde message is about, and the message said of that field: "missing field
/// `decidable_by`" at the record is "field decidable_by: is missing".
fn field_and_message(path: &str, message: &str) -> (Option<String>, String) {
    let path = (path != ".").then(|| path.to_string());
    let join = |inner: &str| match &path {
        Some(path) => format!("{path}.{inner}"),
        None => inner.to_string(),
    };
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((name, _)) = rest.split_once('`')
    {
        return (Some(join(name)), "is missing".to_string());
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        let expected = expected.trim_start_matches(", ").replace('`', "");
        // The path already ends at the unknown field.
        let field = match &path {
            Some(path) if path == name || path.ends_with(&format!(".{name}")) => path.clone(),
            _ => join(name),
        };
        return (
            Some(field),
            format!("is not a field of this record ({expected})"),
        );
    }
    (path, message.to_string())
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
                ImportErrors::one(Place::line(line as u64), "the file is not valid UTF-8 text")
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

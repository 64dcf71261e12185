//! The CSV format: one prediction a row, as analysts keep them in spreadsheets. Columns name the
//! expert, source, event and proposition (creating them when their details are given, matching
//! them otherwise), the quote and its probability, and optionally the outcome. A row with an
//! outcome and no quote records only the outcome, so a file can carry a full history.

use std::collections::{HashMap, HashSet};

use super::format::*;
use super::{ImportErrors, ImportIssue};

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

const REQUIRED: [&str; 4] = ["expert", "proposition", "quote", "said_on"];

/// Where each record of the data set came from, to report problems by line and column.
#[derive(Debug, Default)]
pub struct Lines(HashMap<String, u64>);

/// The CSV column a record's field came from.
fn column_of(kind: &str, field: &str) -> String {
    let column = match (kind, field) {
        ("experts", "slug") => "expert",
        ("experts", "name" | "aliases") => "expert_name",
        ("experts", "kind") => "expert_kind",
        ("experts", "affiliation") => "expert_affiliation",
        ("experts", "title") => "expert_title",
        ("experts", "members") => "expert_members",
        ("sources", "url") => "source_url",
        ("sources", "title") => "source_title",
        ("sources", "outlet") => "source_outlet",
        ("sources", "published_on") => "source_published_on",
        ("sources", "authors") => "source_authors",
        ("events", "slug") => "event",
        ("events", "title") => "event_title",
        ("propositions", "slug") => "proposition",
        ("propositions", "event") => "event",
        ("propositions", "statement") => "proposition_statement",
        ("propositions", "criteria") => "proposition_criteria",
        ("propositions", "decidable_by") => "proposition_decidable_by",
        ("predictions", "scale_term") => "scale_term",
        ("predictions", "source") => "source_title",
        ("predictions", "retraction") => "retracted_at",
        ("resolutions", "recorded_at") => "outcome_recorded_at",
        (_, other) => other,
    };
    column.to_string()
}

impl Lines {
    /// "predictions #3, field probability" becomes "line 5, column probability".
    pub fn relabel(&self, errors: ImportErrors) -> ImportErrors {
        ImportErrors(
            errors
                .0
                .into_iter()
                .map(|issue| {
                    let (record, field) = issue
                        .location
                        .split_once(", field ")
                        .unwrap_or((&issue.location, ""));
                    let kind = record.split(' ').next().unwrap_or("");
                    match self.0.get(record) {
                        Some(line) if field.is_empty() => ImportIssue {
                            location: format!("line {line}"),
                            message: issue.message,
                        },
                        Some(line) => ImportIssue {
                            location: format!("line {line}, column {}", column_of(kind, field)),
                            message: issue.message,
                        },
                        None => issue,
                    }
                })
                .collect(),
        )
    }
}

fn issue(location: String, message: impl Into<String>) -> ImportIssue {
    ImportIssue {
        location,
        message: message.into(),
    }
}

/// Reads CSV bytes into a data set, with the line each record came from.
pub fn read(bytes: &[u8]) -> Result<(DataSetFile, Lines), ImportErrors> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportErrors(vec![issue(
            "line 1".into(),
            "the file is empty",
        )]));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let mut issues = Vec::new();
    let header: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .collect(),
        Err(e) => {
            return Err(ImportErrors(vec![issue(
                "line 1".into(),
                format!("the header cannot be read: {e}"),
            )]));
        }
    };
    for name in &header {
        if !COLUMNS.contains(&name.as_str()) {
            issues.push(issue(
                format!("line 1, column {name}"),
                format!(
                    "unknown column \"{name}\"; the columns are: {}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    for name in REQUIRED {
        if !header.iter().any(|h| h == name) {
            issues.push(issue(
                "line 1".into(),
                format!("the column \"{name}\" is missing"),
            ));
        }
    }
    if !issues.is_empty() {
        return Err(ImportErrors(issues));
    }

    let mut file = DataSetFile {
        format: FORMAT_V1.into(),
        ..DataSetFile::default()
    };
    let mut lines = Lines::default();
    let (mut experts, mut sources, mut events, mut propositions, mut analysts) = (
        HashSet::new(),
        HashSet::new(),
        HashSet::new(),
        HashSet::new(),
        HashSet::new(),
    );
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                issues.push(issue(
                    format!("line {line}"),
                    format!("the row cannot be read: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut row: HashMap<&str, String> = HashMap::new();
        let mut broken = false;
        for (name, value) in header.iter().zip(record.iter()) {
            match std::str::from_utf8(value) {
                Ok(text) => {
                    row.insert(name.as_str(), from_cell(text.trim()).to_string());
                }
                Err(e) => {
                    issues.push(issue(
                        format!("line {line}, column {name}"),
                        format!(
                            "is not valid UTF-8 text (bad byte at position {})",
                            e.valid_up_to()
                        ),
                    ));
                    broken = true;
                }
            }
        }
        if broken {
            continue;
        }
        let get = |name: &str| row.get(name).cloned().unwrap_or_default();
        let optional = |name: &str| Some(get(name)).filter(|v| !v.is_empty());
        let list = |name: &str| {
            get(name)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        let quote = get("quote");
        let outcome = get("outcome");
        if quote.is_empty() && outcome.is_empty() {
            issues.push(issue(
                format!("line {line}"),
                "the row has neither a quote nor an outcome",
            ));
            continue;
        }
        if !quote.is_empty() {
            let expert = get("expert");
            if let Some(name) = optional("expert_name").filter(|_| experts.insert(expert.clone())) {
                lines
                    .0
                    .insert(format!("experts #{}", file.experts.len() + 1), line);
                file.experts.push(ExpertRecord {
                    slug: expert.clone(),
                    name,
                    kind: optional("expert_kind").unwrap_or_else(|| "person".into()),
                    affiliation: optional("expert_affiliation"),
                    title: optional("expert_title"),
                    bio: None,
                    aliases: Vec::new(),
                    members: list("expert_members"),
                    retraction: None,
                });
            }
            let source_key = match optional("source_url") {
                Some(url) => url,
                None => format!(
                    "{}|{}|{}",
                    get("source_outlet"),
                    get("source_title"),
                    get("source_published_on")
                ),
            };
            if sources.insert(source_key.clone()) {
                lines
                    .0
                    .insert(format!("sources #{}", file.sources.len() + 1), line);
                file.sources.push(SourceRecord {
                    key: source_key.clone(),
                    title: get("source_title"),
                    outlet: get("source_outlet"),
                    url: optional("source_url"),
                    published_on: get("source_published_on"),
                    authors: list("source_authors"),
                    note: None,
                });
            }
            let event = get("event");
            if let Some(title) = optional("event_title").filter(|_| events.insert(event.clone())) {
                lines
                    .0
                    .insert(format!("events #{}", file.events.len() + 1), line);
                file.events.push(EventRecord {
                    slug: event.clone(),
                    title,
                    description: None,
                    starts_on: None,
                    ends_on: None,
                    topics: Vec::new(),
                });
            }
            let proposition = get("proposition");
            if let Some(statement) = optional("proposition_statement")
                .filter(|_| propositions.insert(proposition.clone()))
            {
                lines.0.insert(
                    format!("propositions #{}", file.propositions.len() + 1),
                    line,
                );
                file.propositions.push(PropositionRecord {
                    slug: proposition.clone(),
                    event,
                    statement,
                    criteria: get("proposition_criteria"),
                    decidable_by: get("proposition_decidable_by"),
                    topics: Vec::new(),
                });
            }
            let probability = match optional("probability") {
                None => None,
                Some(text) => match crate::domain::Probability::parse(&text) {
                    Ok(p) => Some(p.value()),
                    Err(e) => {
                        issues.push(issue(
                            format!("line {line}, column probability"),
                            format!("\"{text}\" {e}"),
                        ));
                        continue;
                    }
                },
            };
            let scale_term = match (optional("scale"), optional("scale_term")) {
                (Some(scale), Some(term)) => Some(ScaleTermRef { scale, term }),
                (None, None) => None,
                (scale, term) => {
                    let (given, missing) = if scale.is_some() {
                        ("scale", "scale_term")
                    } else {
                        ("scale_term", "scale")
                    };
                    issues.push(issue(
                        format!("line {line}, column {missing}"),
                        format!("is required when {given} is given: a term is read on a named scale (e.g. scale icd-203, scale_term unlikely); {given} is \"{}\"", scale.or(term).unwrap_or_default()),
                    ));
                    continue;
                }
            };
            let retraction = optional("retracted_at").map(|at| Retraction {
                at,
                reason: optional("retraction_reason").unwrap_or_else(|| "retracted".into()),
            });
            lines
                .0
                .insert(format!("predictions #{}", file.predictions.len() + 1), line);
            file.predictions.push(PredictionRecord {
                expert,
                proposition,
                source: source_key,
                quote,
                said_on: get("said_on"),
                hedge_words: optional("hedge_words"),
                basis: optional("basis").unwrap_or_else(|| {
                    if scale_term.is_some() {
                        "scale".into()
                    } else {
                        "stated".into()
                    }
                }),
                probability,
                scale_term,
                basis_note: optional("basis_note"),
                recorded_at: optional("recorded_at"),
                retraction,
            });
        }
        if !outcome.is_empty() {
            let recorded_by = get("recorded_by");
            if !recorded_by.is_empty() && analysts.insert(recorded_by.clone()) {
                file.analysts.push(AnalystRecord {
                    username: recorded_by.clone(),
                    display_name: recorded_by.clone(),
                    role: "analyst".into(),
                });
                lines
                    .0
                    .insert(format!("analysts #{}", file.analysts.len()), line);
            }
            lines
                .0
                .insert(format!("resolutions #{}", file.resolutions.len() + 1), line);
            // Without its own moment, an outcome counts as recorded at the end of the day it
            // was decided: the same file then gives the same moment every time it is imported.
            let decided_on = get("decided_on");
            file.resolutions.push(ResolutionRecord {
                proposition: get("proposition"),
                outcome,
                recorded_at: optional("outcome_recorded_at").unwrap_or_else(|| decided_on.clone()),
                decided_on,
                evidence_url: optional("evidence_url"),
                rationale: get("rationale"),
                recorded_by,
            });
        }
    }
    if issues.is_empty() {
        Ok((file, lines))
    } else {
        Err(ImportErrors(issues))
    }
}

/// Writes a data set as CSV: one row a prediction, with its expert's, source's, event's and
/// proposition's details, then one row an outcome, in the order they were recorded.
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

pub fn write(file: &DataSetFile) -> Result<String, csv::Error> {
    let experts: HashMap<&str, &ExpertRecord> =
        file.experts.iter().map(|e| (e.slug.as_str(), e)).collect();
    let sources: HashMap<&str, &SourceRecord> =
        file.sources.iter().map(|s| (s.key.as_str(), s)).collect();
    let events: HashMap<&str, &EventRecord> =
        file.events.iter().map(|e| (e.slug.as_str(), e)).collect();
    let propositions: HashMap<&str, &PropositionRecord> = file
        .propositions
        .iter()
        .map(|p| (p.slug.as_str(), p))
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for p in &file.predictions {
        let expert = experts.get(p.expert.as_str());
        let source = sources.get(p.source.as_str());
        let proposition = propositions.get(p.proposition.as_str());
        let event = proposition.and_then(|pr| events.get(pr.event.as_str()));
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        let row: Vec<String> = vec![
            p.expert.clone(),
            expert.map(|e| e.name.clone()).unwrap_or_default(),
            expert.map(|e| e.kind.clone()).unwrap_or_default(),
            text(expert.and_then(|e| e.affiliation.as_ref())),
            text(expert.and_then(|e| e.title.as_ref())),
            expert.map(|e| e.members.join("; ")).unwrap_or_default(),
            text(source.and_then(|s| s.url.as_ref())),
            source.map(|s| s.title.clone()).unwrap_or_default(),
            source.map(|s| s.outlet.clone()).unwrap_or_default(),
            source.map(|s| s.published_on.clone()).unwrap_or_default(),
            source.map(|s| s.authors.join("; ")).unwrap_or_default(),
            proposition.map(|pr| pr.event.clone()).unwrap_or_default(),
            event.map(|e| e.title.clone()).unwrap_or_default(),
            p.proposition.clone(),
            proposition
                .map(|pr| pr.statement.clone())
                .unwrap_or_default(),
            proposition
                .map(|pr| pr.criteria.clone())
                .unwrap_or_default(),
            proposition
                .map(|pr| pr.decidable_by.clone())
                .unwrap_or_default(),
            p.quote.clone(),
            p.said_on.clone(),
            text(p.hedge_words.as_ref()),
            p.basis.clone(),
            p.probability.map(|v| v.to_string()).unwrap_or_default(),
            p.scale_term
                .as_ref()
                .map(|t| t.scale.clone())
                .unwrap_or_default(),
            p.scale_term
                .as_ref()
                .map(|t| t.term.clone())
                .unwrap_or_default(),
            text(p.basis_note.as_ref()),
            text(p.recorded_at.as_ref()),
            p.retraction
                .as_ref()
                .map(|r| r.at.clone())
                .unwrap_or_default(),
            p.retraction
                .as_ref()
                .map(|r| r.reason.clone())
                .unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        writer.write_record(row.iter().map(|cell| to_cell(cell).into_owned()))?;
    }
    for r in &file.resolutions {
        let mut row = vec![String::new(); COLUMNS.len()];
        for (column, value) in [
            ("proposition", r.proposition.clone()),
            ("outcome", r.outcome.clone()),
            ("decided_on", r.decided_on.clone()),
            ("evidence_url", r.evidence_url.clone().unwrap_or_default()),
            ("rationale", r.rationale.clone()),
            ("recorded_by", r.recorded_by.clone()),
            ("outcome_recorded_at", r.recorded_at.clone()),
        ] {
            if let Some(i) = COLUMNS.iter().position(|c| *c == column) {
                row[i] = value;
            }
        }
        writer.write_record(row.iter().map(|cell| to_cell(cell).into_owned()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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

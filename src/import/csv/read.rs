//! Reading a CSV file into the records of a data set. A row with a quote makes a prediction, and
//! the expert, source, event and proposition it names the first time their details are given;
//! a row with an outcome makes a resolution, and the analyst who recorded it.

use std::collections::{HashMap, HashSet};

use super::{COLUMNS, Lines, from_cell};
use crate::domain::Probability;
use crate::import::format::*;
use crate::import::{ImportErrors, ImportIssue, Place, RecordKind};

const REQUIRED: [&str; 4] = ["expert", "proposition", "quote", "said_on"];

/// Reads CSV bytes into a data set, with the line each record came from.
pub fn read(bytes: &[u8]) -> Result<(DataSetFile, Lines), ImportErrors> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportErrors::one(Place::line(1), "the file is empty"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header = header(&mut reader)?;
    let mut file = Builder::default();
    file.file.format = FORMAT_V1.into();
    for record in reader.byte_records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let message = format!("the row cannot be read: {e}");
                file.issues
                    .push(ImportIssue::new(Place::line(line), message));
                continue;
            }
        };
        if let Some(row) = Row::read(&header, &record, &mut file.issues) {
            file.row(&row);
        }
    }
    if file.issues.is_empty() {
        Ok((file.file, file.lines))
    } else {
        Err(ImportErrors(file.issues))
    }
}

/// The header's column names, every one known and every required one there.
fn header(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, ImportErrors> {
    let header: Vec<String> = match reader.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .collect(),
        Err(e) => {
            let message = format!("the header cannot be read: {e}");
            return Err(ImportErrors::one(Place::line(1), message));
        }
    };
    let mut issues = Vec::new();
    for name in &header {
        if !COLUMNS.contains(&name.as_str()) {
            issues.push(ImportIssue::new(
                Place::column(1, name),
                format!(
                    "unknown column \"{name}\"; the columns are: {}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    for name in REQUIRED {
        if !header.iter().any(|h| h == name) {
            let message = format!("the column \"{name}\" is missing");
            issues.push(ImportIssue::new(Place::line(1), message));
        }
    }
    if issues.is_empty() {
        Ok(header)
    } else {
        Err(ImportErrors(issues))
    }
}

/// One row's cells by column, trimmed, with the mark that kept a formula as text taken off.
struct Row<'h> {
    line: u64,
    cells: HashMap<&'h str, String>,
}

impl<'h> Row<'h> {
    /// The row, or `None` when a cell is not UTF-8 (each such cell is an issue).
    fn read(
        header: &'h [String],
        record: &csv::ByteRecord,
        issues: &mut Vec<ImportIssue>,
    ) -> Option<Self> {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut cells = HashMap::new();
        let mut broken = false;
        for (name, value) in header.iter().zip(record.iter()) {
            match std::str::from_utf8(value) {
                Ok(text) => {
                    cells.insert(name.as_str(), from_cell(text.trim()).to_string());
                }
                Err(e) => {
                    issues.push(ImportIssue::new(
                        Place::column(line, name),
                        format!(
                            "is not valid UTF-8 text (bad byte at position {})",
                            e.valid_up_to()
                        ),
                    ));
                    broken = true;
                }
            }
        }
        (!broken).then_some(Self { line, cells })
    }

    fn get(&self, name: &str) -> String {
        self.cells.get(name).cloned().unwrap_or_default()
    }

    fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    /// A list written "a; b; c".
    fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(ToString::to_string)
            .collect()
    }
}

/// The data set as it is read, row by row.
#[derive(Default)]
struct Builder {
    file: DataSetFile,
    lines: Lines,
    issues: Vec<ImportIssue>,
    /// What the file has described already, by key: only the first description makes a record.
    experts: HashSet<String>,
    sources: HashSet<String>,
    events: HashSet<String>,
    propositions: HashSet<String>,
    analysts: HashSet<String>,
}

impl Builder {
    fn row(&mut self, row: &Row) {
        let quote = row.get("quote");
        let outcome = row.get("outcome");
        if quote.is_empty() && outcome.is_empty() {
            self.issues.push(ImportIssue::new(
                Place::line(row.line),
                "the row has neither a quote nor an outcome",
            ));
            return;
        }
        // A row whose prediction cannot be read adds nothing more, its outcome included.
        if !quote.is_empty() && self.prediction(row, quote).is_err() {
            return;
        }
        if !outcome.is_empty() {
            self.outcome(row, outcome);
        }
    }

    /// The row's prediction; `Err` when its probability or scale term cannot be read.
    fn prediction(&mut self, row: &Row, quote: String) -> Result<(), ()> {
        let expert = row.get("expert");
        self.expert(row, &expert);
        let source = self.source(row);
        let proposition = row.get("proposition");
        self.event_and_proposition(row, &proposition);
        let probability = self.probability(row)?;
        let scale_term = self.scale_term(row)?;
        let retraction = row.optional("retracted_at").map(|at| Retraction {
            at,
            reason: row
                .optional("retraction_reason")
                .unwrap_or_else(|| "retracted".into()),
        });
        let basis = row.optional("basis").unwrap_or_else(|| {
            let basis = if scale_term.is_some() {
                "scale"
            } else {
                "stated"
            };
            basis.into()
        });
        let number = self.file.predictions.len() + 1;
        self.lines.record(RecordKind::Predictions, number, row.line);
        self.file.predictions.push(PredictionRecord {
            expert,
            proposition,
            source,
            quote,
            said_on: row.get("said_on"),
            hedge_words: row.optional("hedge_words"),
            basis,
            probability,
            scale_term,
            basis_note: row.optional("basis_note"),
            recorded_at: row.optional("recorded_at"),
            retraction,
        });
        Ok(())
    }

    fn expert(&mut self, row: &Row, slug: &str) {
        let Some(name) = row.optional("expert_name") else {
            return;
        };
        if !self.experts.insert(slug.to_string()) {
            return;
        }
        let number = self.file.experts.len() + 1;
        self.lines.record(RecordKind::Experts, number, row.line);
        self.file.experts.push(ExpertRecord {
            slug: slug.to_string(),
            name,
            kind: row
                .optional("expert_kind")
                .unwrap_or_else(|| "person".into()),
            affiliation: row.optional("expert_affiliation"),
            title: row.optional("expert_title"),
            bio: None,
            aliases: Vec::new(),
            members: row.list("expert_members"),
            retraction: None,
        });
    }

    /// The row's source, keyed by its link (or by outlet, title and date when it has none).
    fn source(&mut self, row: &Row) -> String {
        let key = row.optional("source_url").unwrap_or_else(|| {
            format!(
                "{}|{}|{}",
                row.get("source_outlet"),
                row.get("source_title"),
                row.get("source_published_on")
            )
        });
        if self.sources.insert(key.clone()) {
            let number = self.file.sources.len() + 1;
            self.lines.record(RecordKind::Sources, number, row.line);
            self.file.sources.push(SourceRecord {
                key: key.clone(),
                title: row.get("source_title"),
                outlet: row.get("source_outlet"),
                url: row.optional("source_url"),
                published_on: row.get("source_published_on"),
                authors: row.list("source_authors"),
                note: None,
            });
        }
        key
    }

    fn event_and_proposition(&mut self, row: &Row, proposition: &str) {
        let event = row.get("event");
        if let Some(title) = row.optional("event_title")
            && self.events.insert(event.clone())
        {
            let number = self.file.events.len() + 1;
            self.lines.record(RecordKind::Events, number, row.line);
            self.file.events.push(EventRecord {
                slug: event.clone(),
                title,
                description: None,
                starts_on: None,
                ends_on: None,
                topics: Vec::new(),
            });
        }
        if let Some(statement) = row.optional("proposition_statement")
            && self.propositions.insert(proposition.to_string())
        {
            let number = self.file.propositions.len() + 1;
            self.lines
                .record(RecordKind::Propositions, number, row.line);
            self.file.propositions.push(PropositionRecord {
                slug: proposition.to_string(),
                event,
                statement,
                criteria: row.get("proposition_criteria"),
                decidable_by: row.get("proposition_decidable_by"),
                topics: Vec::new(),
            });
        }
    }

    /// The probability column, "0.35" or "35%"; `Err` when it is neither (an issue is noted).
    fn probability(&mut self, row: &Row) -> Result<Option<f64>, ()> {
        let Some(text) = row.optional("probability") else {
            return Ok(None);
        };
        match Probability::parse(&text) {
            Ok(p) => Ok(Some(p.value())),
            Err(e) => {
                self.issues.push(ImportIssue::new(
                    Place::column(row.line, "probability"),
                    format!("\"{text}\" {e}"),
                ));
                Err(())
            }
        }
    }

    /// The scale and term columns, both or neither; `Err` when only one is given.
    fn scale_term(&mut self, row: &Row) -> Result<Option<ScaleTermRef>, ()> {
        match (row.optional("scale"), row.optional("scale_term")) {
            (Some(scale), Some(term)) => Ok(Some(ScaleTermRef { scale, term })),
            (None, None) => Ok(None),
            (scale, term) => {
                let (given, missing) = if scale.is_some() {
                    ("scale", "scale_term")
                } else {
                    ("scale_term", "scale")
                };
                self.issues.push(ImportIssue::new(
                    Place::column(row.line, missing),
                    format!("is required when {given} is given: a term is read on a named scale (e.g. scale icd-203, scale_term unlikely); {given} is \"{}\"", scale.or(term).unwrap_or_default()),
                ));
                Err(())
            }
        }
    }

    fn outcome(&mut self, row: &Row, outcome: String) {
        let recorded_by = row.get("recorded_by");
        if !recorded_by.is_empty() && self.analysts.insert(recorded_by.clone()) {
            self.file.analysts.push(AnalystRecord {
                username: recorded_by.clone(),
                display_name: recorded_by.clone(),
                role: "analyst".into(),
            });
            let number = self.file.analysts.len();
            self.lines.record(RecordKind::Analysts, number, row.line);
        }
        let number = self.file.resolutions.len() + 1;
        self.lines.record(RecordKind::Resolutions, number, row.line);
        // Without its own moment, an outcome counts as recorded at the end of the day it
        // was decided: the same file then gives the same moment every time it is imported.
        let decided_on = row.get("decided_on");
        self.file.resolutions.push(ResolutionRecord {
            proposition: row.get("proposition"),
            outcome,
            recorded_at: row
                .optional("outcome_recorded_at")
                .unwrap_or_else(|| decided_on.clone()),
            decided_on,
            evidence_url: row.optional("evidence_url"),
            rationale: row.get("rationale"),
            recorded_by,
        });
    }
}

//! Writing a data set as CSV: one row a prediction, with its expert's, source's, event's and
//! proposition's details, then one row an outcome, in the order they were recorded.

use std::collections::HashMap;

use super::{COLUMNS, to_cell};
use crate::import::format::*;

pub fn write(file: &DataSetFile) -> Result<String, csv::Error> {
    let catalogue = Catalogue::of(file);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for prediction in &file.predictions {
        write_row(&mut writer, &catalogue.prediction_row(prediction))?;
    }
    for resolution in &file.resolutions {
        write_row(&mut writer, &outcome_row(resolution))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn write_row(writer: &mut csv::Writer<Vec<u8>>, row: &[String]) -> Result<(), csv::Error> {
    writer.write_record(row.iter().map(|cell| to_cell(cell).into_owned()))
}

/// The records a prediction's row names, by key.
struct Catalogue<'a> {
    experts: HashMap<&'a str, &'a ExpertRecord>,
    sources: HashMap<&'a str, &'a SourceRecord>,
    events: HashMap<&'a str, &'a EventRecord>,
    propositions: HashMap<&'a str, &'a PropositionRecord>,
}

impl<'a> Catalogue<'a> {
    fn of(file: &'a DataSetFile) -> Self {
        Self {
            experts: file.experts.iter().map(|e| (e.slug.as_str(), e)).collect(),
            sources: file.sources.iter().map(|s| (s.key.as_str(), s)).collect(),
            events: file.events.iter().map(|e| (e.slug.as_str(), e)).collect(),
            propositions: (file.propositions.iter())
                .map(|p| (p.slug.as_str(), p))
                .collect(),
        }
    }

    /// A prediction with its expert's, source's, event's and proposition's details, in the
    /// order of `COLUMNS`; the outcome's columns are left empty.
    fn prediction_row(&self, p: &PredictionRecord) -> Vec<String> {
        let expert = self.experts.get(p.expert.as_str()).copied();
        let source = self.sources.get(p.source.as_str()).copied();
        let proposition = self.propositions.get(p.proposition.as_str()).copied();
        let event = proposition.and_then(|pr| self.events.get(pr.event.as_str()).copied());
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        let scale_term = p.scale_term.as_ref();
        let retraction = p.retraction.as_ref();
        let mut row = vec![
            p.expert.clone(),
            text(expert.map(|e| &e.name)),
            text(expert.map(|e| &e.kind)),
            text(expert.and_then(|e| e.affiliation.as_ref())),
            text(expert.and_then(|e| e.title.as_ref())),
            expert.map(|e| e.members.join("; ")).unwrap_or_default(),
            text(source.and_then(|s| s.url.as_ref())),
            text(source.map(|s| &s.title)),
            text(source.map(|s| &s.outlet)),
            text(source.map(|s| &s.published_on)),
            source.map(|s| s.authors.join("; ")).unwrap_or_default(),
            text(proposition.map(|pr| &pr.event)),
            text(event.map(|e| &e.title)),
            p.proposition.clone(),
            text(proposition.map(|pr| &pr.statement)),
            text(proposition.map(|pr| &pr.criteria)),
            text(proposition.map(|pr| &pr.decidable_by)),
            p.quote.clone(),
            p.said_on.clone(),
            text(p.hedge_words.as_ref()),
            p.basis.clone(),
            p.probability.map(|v| v.to_string()).unwrap_or_default(),
            text(scale_term.map(|t| &t.scale)),
            text(scale_term.map(|t| &t.term)),
            text(p.basis_note.as_ref()),
            text(p.recorded_at.as_ref()),
            text(retraction.map(|r| &r.at)),
            text(retraction.map(|r| &r.reason)),
        ];
        row.resize(COLUMNS.len(), String::new());
        row
    }
}

/// An outcome: its proposition and the outcome's own columns, every other one empty.
fn outcome_row(r: &ResolutionRecord) -> Vec<String> {
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
    row
}

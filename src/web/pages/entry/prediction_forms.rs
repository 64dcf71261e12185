//! Adding, editing and retracting predictions.

use super::kind::{Draft, EditForm, RecordForm, Retracts};
use super::{FormField, FormPage, Text, data_set, reason_field};
use crate::db::Database;
use crate::db::predictions::{self, PredictionRow};
use crate::db::retraction::Retractable;
use crate::db::{experts, propositions, sources};
use crate::domain::Probability;
use crate::import::{self, DataSetFile};
use crate::web::forms::FieldErrors;
use crate::web::path::{Numbered, PredictionNumber};
use crate::web::{AppError, CHOICES_LISTED};

use crate::web::pages::{SCALE_SEPARATOR, scale_term_choices};

/// Who said it, of what, where: chosen once, when the prediction is added.
async fn reference_fields(db: &Database) -> Result<[FormField; 3], AppError> {
    Ok([
        FormField::choice(
            "expert",
            "Expert",
            experts::choices_up_to(db, CHOICES_LISTED).await?,
            "not listed? add the expert first",
            "the expert's address, as in /experts/…; not there yet? add the expert first",
        )
        .required(),
        FormField::choice(
            "proposition",
            "Proposition",
            propositions::choices_up_to(db, CHOICES_LISTED).await?,
            "",
            "the proposition's number, as in /propositions/…",
        )
        .required(),
        FormField::choice(
            "source",
            "Source",
            sources::choices_up_to(db, CHOICES_LISTED).await?,
            "not listed? add the source first",
            "the source's number, as in /sources/…; not there yet? add the source first",
        )
        .required(),
    ])
}

/// What was said and the probability it amounts to.
async fn claim_fields(db: &Database) -> Result<[FormField; 7], AppError> {
    let terms = scale_term_choices(db, |t| {
        let percent = Probability::new(t.probability)
            .map(Probability::percent)
            .unwrap_or_default();
        format!("{}: \u{201c}{}\u{201d} = {percent}", t.scale_name, t.term)
    })
    .await?;
    let bases = vec![
        (
            "scale".into(),
            "From the estimative scale: the hedge words' number".into(),
        ),
        (
            "stated".into(),
            "Stated by the expert: they gave the number".into(),
        ),
        (
            "analyst".into(),
            "Analyst's judgement: give the number and the reason".into(),
        ),
    ];
    Ok([
        FormField::new("quote", "Quote", "textarea").required().hint("the expert's exact words, as published"),
        FormField::new("said_on", "Said on", "date").required(),
        FormField::new("hedge_words", "Hedge words", "text").hint("the words that carry the probability: \u{201c}highly unlikely\u{201d}, \u{201c}the possibility is slim\u{201d}"),
        FormField::new("basis", "Where the probability comes from", "radio").required().options(bases).value("scale"),
        FormField::new("scale_term", "Scale term", "select").options(terms).hint("for a probability from the scale: the term that matches the hedge words; its number is used"),
        FormField::new("probability", "Probability", "text").hint("for a stated number or a judgement: 0.3 or 30%"),
        FormField::new("basis_note", "Why this number", "textarea").hint("required for an analyst's judgement; shown beside the prediction"),
    ])
}

/// The prediction form, as posted.
#[derive(Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub(super) struct PredictionForm {
    expert: Text,
    proposition: Text,
    source: Text,
    quote: Text,
    said_on: Text,
    hedge_words: Text,
    basis: Text,
    scale_term: Text,
    probability: Text,
    basis_note: Text,
    reason: Text,
}

/// Builds the prediction (and the source record it refers to) from the form.
async fn prediction_file(
    db: &Database,
    form: &PredictionForm,
    expert: String,
    proposition: String,
    source_id: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<DataSetFile, AppError> {
    let mut file = data_set();
    let source = match source_id {
        Some(id) => sources::by_id(db, id).await?,
        None => None,
    };
    match source {
        Some(source) => file.sources.push(import::SourceRecord {
            key: "form".into(),
            ..source.source.record.into()
        }),
        None => errors.add(
            "source",
            "Choose the source the prediction was published in (typed: its number, as in /sources/…).",
        ),
    }
    let basis = form.basis.get();
    let probability = match form.probability.get().as_str() {
        "" => None,
        text => match Probability::parse(text) {
            Ok(p) => Some(p.value()),
            Err(e) => {
                errors.add("probability", format!("\u{201c}{text}\u{201d} {e}."));
                None
            }
        },
    };
    let scale_term = match form.scale_term.get().split_once(SCALE_SEPARATOR) {
        Some((scale, term)) if basis == "scale" => Some(import::ScaleTermRef {
            scale: scale.into(),
            term: term.into(),
        }),
        _ if basis == "scale" => {
            errors.add(
                "scale_term",
                "Choose the scale term that matches the hedge words.",
            );
            None
        }
        _ => None,
    };
    file.predictions.push(import::PredictionRecord {
        expert,
        proposition,
        source: "form".into(),
        quote: form.quote.get(),
        said_on: form.said_on.get(),
        hedge_words: form.hedge_words.optional(),
        probability: if basis == "scale" { None } else { probability },
        scale_term,
        basis,
        basis_note: form.basis_note.optional(),
        recorded_at: None,
        retraction: None,
    });
    Ok(file)
}

impl RecordForm for PredictionForm {
    type Record = PredictionRow;

    async fn page(db: &Database, existing: Option<&PredictionRow>) -> Result<FormPage, AppError> {
        let mut fields = Vec::new();
        if existing.is_none() {
            fields.extend(reference_fields(db).await?);
        }
        fields.extend(claim_fields(db).await?);
        if existing.is_some() {
            fields.push(reason_field());
        }
        let id = existing.map(|p| p.id);
        Ok(FormPage {
            heading: match existing {
                Some(p) => format!("Edit {}'s prediction", p.expert_name),
                None => "Add a prediction".into(),
            },
            intro: match existing {
                Some(p) => format!("On \u{201c}{}\u{201d}, in {}, \u{201c}{}\u{201d}.", p.proposition_statement, p.published_in.outlet, p.published_in.title),
                None => "One expert's stance on one proposition, as published. A prediction that something will not happen is a low probability on the positive proposition.".into(),
            },
            action: id.map(|i| format!("/predictions/{i}/edit")).unwrap_or_else(|| "/predictions/new".into()),
            fields,
            submit: if existing.is_some() { "Save the changes" } else { "Add the prediction" },
            cancel: existing.map(|p| format!("/experts/{}", p.expert)).unwrap_or_else(|| "/analyst".into()),
            retract: id.map(|i| (format!("/predictions/{i}/retract"), "this prediction".into())),
        })
    }

    async fn draft(
        &self,
        db: &Database,
        prediction: Option<&PredictionRow>,
    ) -> Result<Draft, AppError> {
        let mut errors = FieldErrors::default();
        let (expert, proposition, source, done) = match prediction {
            // Who said it, of what and where is chosen once, when the prediction is added.
            Some(p) => (
                p.expert.clone(),
                p.proposition.to_string(),
                Some(p.published_in.id),
                format!("/experts/{}#prediction-{}", p.expert, p.id),
            ),
            None => {
                let expert = self.expert.address();
                // Typed, a proposition is its number, as in /propositions/42; chosen, its slug.
                let mut proposition = self.proposition.address();
                if let Ok(id) = proposition.parse::<i64>()
                    && let Some(row) = propositions::by_id(db, id).await?
                {
                    proposition = row.slug.to_string();
                }
                let source = self.source.address().parse::<i64>().ok();
                let done = format!("/experts/{expert}");
                (expert, proposition, source, done)
            }
        };
        let file = prediction_file(db, self, expert, proposition, source, &mut errors).await?;
        Ok(Draft { file, done, errors })
    }
}

impl EditForm for PredictionForm {
    type At = Numbered<PredictionNumber>;
    const ENTITY: &'static str = "prediction";
    const MISSING_HINT: Option<&'static str> = Some("It may have been retracted.");

    async fn find(db: &Database, at: &Self::At) -> Result<Option<Self::Record>, AppError> {
        Ok(predictions::by_id(db, at.id()).await?)
    }

    fn stored(prediction: &PredictionRow) -> Self {
        let scale_term = prediction
            .scale_term()
            .map(|t| format!("{}{SCALE_SEPARATOR}{}", t.scale, t.term))
            .unwrap_or_default();
        Self {
            quote: prediction.quote.clone().into(),
            said_on: prediction.said_on.to_string().into(),
            hedge_words: prediction.hedge_words.as_deref().into(),
            basis: prediction.basis().as_str().to_string().into(),
            scale_term: scale_term.into(),
            probability: prediction.probability().value().to_string().into(),
            basis_note: prediction.basis_note().into(),
            ..Self::default()
        }
    }

    fn reason(&self) -> &Text {
        &self.reason
    }
}

impl Retracts for PredictionForm {
    const RECORD: Retractable = Retractable::Prediction;

    fn gone_to(prediction: &PredictionRow) -> String {
        format!("/experts/{}", prediction.expert)
    }
}

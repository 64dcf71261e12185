//! Adding, editing and retracting predictions.

use crate::web::extract::Form;
use axum::extract::State;

use crate::web::path::{Numbered, PredictionNumber};
use axum::response::Response;

use super::{
    EntryPage, FormField, RetractForm, Text, create, data_set, reason_field, retract, update,
};
use crate::db::Database;
use crate::db::history;
use crate::db::retraction::Retractable;
use crate::db::{experts, predictions, propositions, sources};
use crate::domain::Probability;
use crate::import::{self, DataSetFile};
use crate::web::auth::{Analyst, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::{AppError, AppState, CHOICES_LISTED};

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

async fn prediction_page(
    db: &Database,
    me: Analyst,
    existing: Option<&predictions::PredictionRow>,
) -> Result<EntryPage, AppError> {
    let mut fields = Vec::new();
    if existing.is_none() {
        fields.extend(reference_fields(db).await?);
    }
    fields.extend(claim_fields(db).await?);
    if existing.is_some() {
        fields.push(reason_field());
    }
    let id = existing.map(|p| p.id);
    Ok(EntryPage {
        me,
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
        errors: FieldErrors::default(),
        submit: if existing.is_some() { "Save the changes" } else { "Add the prediction" },
        cancel: existing.map(|p| format!("/experts/{}", p.expert)).unwrap_or_else(|| "/analyst".into()),
        retract: id.map(|i| (format!("/predictions/{i}/retract"), "this prediction".into())),
        history: Vec::new(),
    })
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
            title: source.title.clone(),
            outlet: source.outlet.clone(),
            url: source.url.clone(),
            published_on: source.published_on.to_string(),
            authors: source.authors.clone(),
            note: source.note.clone(),
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

pub(super) async fn new_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<EntryPage, AppError> {
    prediction_page(&state.db, me, None).await
}

pub(super) async fn create_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Form(form): Form<PredictionForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let source_id = form.source.address().parse::<i64>().ok();
    // Typed, a proposition is its number, as in /propositions/42; chosen, its slug.
    let mut proposition = form.proposition.address();
    if let Ok(id) = proposition.parse::<i64>()
        && let Some(row) = propositions::by_id(&state.db, id).await?
    {
        proposition = row.slug.to_string();
    }
    let file = prediction_file(
        &state.db,
        &form,
        form.expert.address(),
        proposition,
        source_id,
        &mut errors,
    )
    .await?;
    let page = prediction_page(&state.db, me, None).await?;
    let done = format!("/experts/{}", form.expert.address());
    create(&state, page, &form, file, done, errors).await
}

async fn find_prediction(db: &Database, id: i64) -> Result<predictions::PredictionRow, AppError> {
    predictions::by_id(db, id).await?.ok_or_else(|| {
        AppError::not_found(
            "Prediction",
            format!("There is no prediction number {id}, or it was retracted."),
        )
    })
}

pub(super) async fn edit_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PredictionNumber>,
) -> Result<EntryPage, AppError> {
    let prediction = find_prediction(&state.db, id).await?;
    let mut page = prediction_page(&state.db, me, Some(&prediction)).await?;
    page.fill(|name| match name {
        "quote" => prediction.quote.clone(),
        "said_on" => prediction.said_on.to_string(),
        "hedge_words" => prediction.hedge_words.clone().unwrap_or_default(),
        "basis" => prediction.basis().as_str().to_string(),
        "scale_term" => prediction
            .scale_term()
            .map(|t| format!("{}{SCALE_SEPARATOR}{}", t.scale, t.term))
            .unwrap_or_default(),
        "probability" => format!("{}", prediction.probability().value()),
        "basis_note" => prediction.basis_note().unwrap_or_default().to_string(),
        _ => String::new(),
    });
    page.history = history::history_of(&state.db, "prediction", prediction.id).await?;
    Ok(page)
}

pub(super) async fn update_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PredictionNumber>,
    Form(form): Form<PredictionForm>,
) -> Result<Response, AppError> {
    let prediction = find_prediction(&state.db, id).await?;
    let mut errors = FieldErrors::default();
    let proposition_slug = propositions::slug_of(&state.db, prediction.proposition_id)
        .await?
        .unwrap_or_default();
    let file = prediction_file(
        &state.db,
        &form,
        prediction.expert.clone(),
        proposition_slug,
        Some(prediction.published_in.id),
        &mut errors,
    )
    .await?;
    let mut page = prediction_page(&state.db, me, Some(&prediction)).await?;
    page.history = history::history_of(&state.db, "prediction", prediction.id).await?;
    let done = format!(
        "/experts/{}#prediction-{}",
        prediction.expert, prediction.id
    );
    update(&state, page, &form, &form.reason, file, done, errors).await
}

pub(super) async fn retract_prediction(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Numbered(id, _): Numbered<PredictionNumber>,
    Form(form): Form<RetractForm>,
) -> Result<Response, AppError> {
    let prediction = find_prediction(&state.db, id).await?;
    let record = (Retractable::Prediction, prediction.id);
    let page = prediction_page(&state.db, me.clone(), Some(&prediction));
    let done = format!("/experts/{}", prediction.expert);
    retract(&state, &me, record, &form, "prediction", page, done).await
}

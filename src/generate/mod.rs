//! Synthetic data sets for benchmarks: realistic in shape (articles quote a handful of experts
//! on one event, a few experts are quoted far more than most, most questions get settled, some
//! are annulled, hedge words map to a scale), deterministic for a given seed, and written in the
//! project's own import format so that loading them exercises the real import path.

use chrono::{Duration, NaiveDate};

use crate::import::*;
use words::*;

mod words;

/// How big a data set to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub predictions: usize,
    pub experts: usize,
    pub seed: u64,
}

/// Predictions quoted in one article.
const PER_SOURCE: usize = 5;
/// Propositions asked about one event.
const PER_EVENT: usize = 10;
/// Predictions on one proposition, on average: sets the number of events.
const PER_PROPOSITION: usize = 50;

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Makes a data set of `spec.predictions` predictions by up to `spec.experts` experts.
pub fn data_set(spec: Spec) -> DataSetFile {
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let experts = spec
        .experts
        .clamp(PER_SOURCE, FIRST.len() * 26 * LAST.len());
    let sources = spec.predictions.div_ceil(PER_SOURCE).max(1);
    let events = spec
        .predictions
        .div_ceil(PER_EVENT * PER_PROPOSITION)
        .max(1);
    let mut file = DataSetFile {
        format: FORMAT_V1.to_string(),
        analysts: vec![AnalystRecord {
            username: "generator".to_string(),
            display_name: "Synthetic data generator".to_string(),
            role: "analyst".to_string(),
        }],
        topics: TOPICS
            .iter()
            .map(|(slug, name)| TopicRecord {
                slug: (*slug).to_string(),
                name: (*name).to_string(),
            })
            .collect(),
        ..DataSetFile::default()
    };
    // The steps draw from one generator in turn, so a seed always makes the same set.
    let skills = add_experts(&mut rng, &mut file, experts);
    let world = add_events(&mut rng, &mut file, events, skills);
    add_sources(&mut rng, &mut file, &world, sources, spec.predictions);
    file
}

/// The day `day` days after 1 January 2015, as the file writes dates.
fn date(day: i64) -> String {
    let epoch = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    (epoch + Duration::days(day)).format("%Y-%m-%d").to_string()
}

/// What the predictions are drawn from: each expert's skill, each event's day, and each
/// proposition's truth.
struct World {
    skills: Vec<f64>,
    event_days: Vec<i64>,
    truths: Vec<bool>,
}

/// Adds `experts` experts, and gives how far each leans towards the truth.
fn add_experts(rng: &mut fastrand::Rng, file: &mut DataSetFile, experts: usize) -> Vec<f64> {
    // Skill sets how far an expert leans towards the truth; some are worse than chance.
    let skills: Vec<f64> = (0..experts).map(|_| rng.f64() * 1.2 - 0.2).collect();
    for i in 0..experts {
        let name = format!(
            "{} {}. {}",
            FIRST[i % FIRST.len()],
            char::from(b'A' + u8::try_from(i / FIRST.len() % 26).unwrap_or(0)),
            LAST[i / (FIRST.len() * 26) % LAST.len()]
        );
        file.experts.push(ExpertRecord {
            slug: format!("expert-{i}"),
            name,
            kind: "person".to_string(),
            affiliation: Some(AFFILIATIONS[rng.usize(..AFFILIATIONS.len())].to_string()),
            title: Some("Senior fellow".to_string()),
            bio: None,
            aliases: Vec::new(),
            members: Vec::new(),
            retraction: None,
        });
    }
    skills
}

/// Adds `events` events with their propositions and the outcomes of those settled.
fn add_events(
    rng: &mut fastrand::Rng,
    file: &mut DataSetFile,
    events: usize,
    skills: Vec<f64>,
) -> World {
    let mut world = World {
        skills,
        event_days: Vec::with_capacity(events),
        truths: Vec::with_capacity(events * PER_EVENT),
    };
    for e in 0..events {
        let day = rng.i64(0..3650);
        world.event_days.push(day);
        let place = PLACES[rng.usize(..PLACES.len())];
        let gathering = GATHERINGS[rng.usize(..GATHERINGS.len())];
        let topic = TOPICS[e % TOPICS.len()].0.to_string();
        file.events.push(EventRecord {
            slug: format!("event-{e}"),
            title: format!("{place} {gathering} #{e}"),
            description: Some(format!("{} in {place}.", capitalised(gathering))),
            starts_on: Some(date(day)),
            ends_on: Some(date(day + 2)),
            topics: vec![topic.clone()],
        });
        for (q, question) in QUESTIONS.iter().enumerate() {
            file.propositions.push(PropositionRecord {
                slug: format!("event-{e}-q{q}"),
                event: format!("event-{e}"),
                statement: format!("At the {place} {gathering} #{e}, {question}."),
                criteria: "Settled by official statements or two independent reports.".to_string(),
                decidable_by: date(day + 30),
                topics: vec![topic.clone()],
            });
            let truth = rng.bool();
            world.truths.push(truth);
            add_outcome(rng, file, (e, q), day, truth);
        }
    }
    world
}

/// Settles most propositions by their truth, annuls a few, and leaves the rest open.
fn add_outcome(
    rng: &mut fastrand::Rng,
    file: &mut DataSetFile,
    (e, q): (usize, usize),
    day: i64,
    truth: bool,
) {
    let outcome = match rng.u32(..100) {
        0..3 => "annulled",
        3..88 if truth => "true",
        3..88 => "false",
        _ => return,
    };
    file.resolutions.push(ResolutionRecord {
        proposition: format!("event-{e}-q{q}"),
        outcome: outcome.to_string(),
        decided_on: date(day + 31),
        evidence_url: Some(format!("https://evidence.example/event-{e}/q{q}")),
        rationale: "Confirmed by the official readout.".to_string(),
        recorded_by: "generator".to_string(),
        recorded_at: format!("{}T12:00:00Z", date(day + 32)),
    });
}

/// Adds `sources` sources, each quoting up to `PER_SOURCE` experts, `predictions` in all.
fn add_sources(
    rng: &mut fastrand::Rng,
    file: &mut DataSetFile,
    world: &World,
    sources: usize,
    predictions: usize,
) {
    let experts = world.skills.len();
    let events = world.event_days.len();
    let mut remaining = predictions;
    for s in 0..sources {
        let event = rng.usize(..events);
        let day = world.event_days[event] - rng.i64(1..30);
        let outlet = OUTLETS[rng.usize(..OUTLETS.len())];
        file.sources.push(SourceRecord {
            key: format!("s{s}"),
            title: format!("What to expect from {}", file.events[event].title),
            outlet: outlet.to_string(),
            url: Some(format!("https://news.example/{s}")),
            published_on: date(day),
            authors: vec![format!("{} {}", FIRST[s % 40], LAST[(s / 40) % 40])],
            note: None,
        });
        let mut quoted: Vec<usize> = Vec::with_capacity(PER_SOURCE);
        for _ in 0..PER_SOURCE.min(remaining) {
            // Raising a uniform number to a power above 1 favours low indexes: a few experts are
            // quoted far more often than most (the first of 10,000 gets about 0.2%).
            let expert = loop {
                let x = rng.f64().powf(1.5);
                let candidate = (x * experts as f64) as usize % experts;
                if !quoted.contains(&candidate) {
                    break candidate;
                }
            };
            quoted.push(expert);
            let q = rng.usize(..PER_EVENT);
            let truth = world.truths[event * PER_EVENT + q];
            let lean = world.skills[expert] * 0.45;
            let centre = if truth { 0.5 + lean } else { 0.5 - lean };
            let p = (centre + (rng.f64() - 0.5) * 0.5).clamp(0.01, 0.99);
            file.predictions.push(prediction(
                rng,
                format!("expert-{expert}"),
                format!("event-{event}-q{q}"),
                format!("s{s}"),
                p,
                date(day),
                QUESTIONS[q],
            ));
        }
        remaining -= PER_SOURCE.min(remaining);
    }
}

fn prediction(
    rng: &mut fastrand::Rng,
    expert: String,
    proposition: String,
    source: String,
    p: f64,
    said_on: String,
    question: &str,
) -> PredictionRecord {
    let term = ICD_203
        .iter()
        .min_by(|a, b| (a.1 - p).abs().total_cmp(&(b.1 - p).abs()))
        .map_or("roughly even chance", |(term, _)| *term);
    if rng.u32(..10) < 3 {
        PredictionRecord {
            expert,
            proposition,
            source,
            quote: format!("It is {term} that {question}, given what both sides have said so far."),
            said_on,
            hedge_words: Some(term.to_string()),
            basis: "scale".to_string(),
            probability: None,
            scale_term: Some(ScaleTermRef {
                scale: "icd-203".to_string(),
                term: term.to_string(),
            }),
            basis_note: None,
            recorded_at: None,
            retraction: None,
        }
    } else {
        let percent = (p * 20.0).round() * 5.0;
        PredictionRecord {
            expert,
            proposition,
            source,
            quote: format!(
                "I would put it at {percent:.0} per cent that {question}; the signals point that way."
            ),
            said_on,
            hedge_words: None,
            basis: "stated".to_string(),
            probability: Some(percent / 100.0),
            scale_term: None,
            basis_note: None,
            recorded_at: None,
            retraction: None,
        }
    }
}

#[cfg(test)]
mod tests;

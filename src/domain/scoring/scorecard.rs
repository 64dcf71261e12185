//! Brier, log and relative Brier scores, the hit rate and calibration, per expert and for the
//! crowd.

use std::collections::{BTreeMap, HashMap};

use super::{Calibration, HitRate, Tally};
use crate::domain::{Outcome, Probability, Verdict};

/// Whose forecast it is: an expert's, by their id, or the crowd's (see [`consensus`]).
///
/// The derived order puts experts first, by id, and the crowd after them. Sums are added in
/// this order (see `canonical_order`), but only within one forecaster's forecasts or between
/// scores that tie, and tied scores are the same bits: the crowd's place changes no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Forecaster {
    Expert(i64),
    Crowd,
}

/// One prediction as scoring sees it: whose, on what, at what probability, and the
/// proposition's outcome as of the moment asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub forecaster: Forecaster,
    pub proposition: i64,
    pub probability: Probability,
    pub outcome: Option<Outcome>,
    /// When the outcome was recorded (stored UTC text, so it sorts), for the score over time.
    pub resolved_at: Option<String>,
}

impl Forecast {
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.probability, self.outcome)
    }

    /// 1 or 0 when the forecast is scored; `None` while pending or when annulled.
    pub fn binary_outcome(&self) -> Option<f64> {
        self.outcome.and_then(Outcome::as_binary)
    }
}

/// (p − o)²: 0 for a perfect forecast, 0.25 for a coin flip, 1 for the worst.
pub fn brier(p: f64, o: f64) -> f64 {
    (p - o).powi(2)
}

/// −ln(q), q the probability given to what happened, with p clamped to [0.01, 0.99] so that a
/// confident miss costs 4.6 rather than infinity.
pub fn log_score(p: f64, o: f64) -> f64 {
    let p = p.clamp(0.01, 0.99);
    let q = if o >= 0.5 { p } else { 1.0 - p };
    -q.ln()
}

/// The median of a non-empty slice sorted in ascending order.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The median of `sorted` with the element at `skip` left out, without copying.
pub(super) fn median_without<T>(sorted: &[(f64, T)], skip: usize) -> Option<f64> {
    let n = sorted.len().checked_sub(1)?;
    let at = |rank: usize| {
        if rank < skip {
            sorted[rank].0
        } else {
            sorted[rank + 1].0
        }
    };
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(at(n / 2)),
        _ => Some((at(n / 2 - 1) + at(n / 2)) / 2.0),
    }
}

/// The expert's Brier minus the median Brier of the other experts on the same proposition,
/// averaged over the propositions where others predicted too. Negative beats the peers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RelativeBrier {
    pub value: f64,
    /// How many propositions it averages over.
    pub propositions: u32,
}

// The cumulative record after the outcomes recorded on one day.
//
// Serialised as the JSON API shows it, with its schema derived from it too: a doc comment here
// or on a field would become a description in the API's document, so these are plain comments.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct TimePoint {
    // YYYY-MM-DD
    pub date: String,
    pub brier: f64,
    pub scored: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scorecard {
    pub tally: Tally,
    pub hit_rate: Option<HitRate>,
    /// Predictions on propositions resolved true or false.
    pub scored: u32,
    pub brier: Option<f64>,
    pub log_score: Option<f64>,
    pub relative_brier: Option<RelativeBrier>,
    pub calibration: Calibration,
    pub over_time: Vec<TimePoint>,
}

impl Scorecard {
    /// The scorecard of someone with no predictions.
    pub fn empty() -> Self {
        Self::of(&[], None)
    }

    fn of(own: &[&Forecast], relative_brier: Option<RelativeBrier>) -> Self {
        let tally = Tally::from_verdicts(own.iter().map(|f| f.verdict()));
        let scored: Vec<(&Forecast, f64)> = own
            .iter()
            .filter_map(|f| f.binary_outcome().map(|o| (*f, o)))
            .collect();
        let n = scored.len() as f64;
        let mean = |score: fn(f64, f64) -> f64| {
            (!scored.is_empty()).then(|| {
                scored
                    .iter()
                    .map(|(f, o)| score(f.probability.value(), *o))
                    .sum::<f64>()
                    / n
            })
        };
        Self {
            hit_rate: tally.hit_rate(),
            tally,
            scored: u32::try_from(scored.len()).unwrap_or(u32::MAX),
            brier: mean(brier),
            log_score: mean(log_score),
            relative_brier,
            calibration: Calibration::from_forecasts(own.iter().copied()),
            over_time: over_time(&scored),
        }
    }
}

fn over_time(scored: &[(&Forecast, f64)]) -> Vec<TimePoint> {
    let mut dated: Vec<(&str, f64)> = scored
        .iter()
        .map(|(f, o)| {
            (
                f.resolved_at
                    .as_deref()
                    .and_then(|r| r.get(..10))
                    .unwrap_or(""),
                brier(f.probability.value(), *o),
            )
        })
        .collect();
    dated.sort_by(|a, b| a.0.cmp(b.0));
    let mut points: Vec<TimePoint> = Vec::new();
    let mut sum = 0.0;
    for (i, (date, score)) in dated.iter().enumerate() {
        sum += score;
        let count = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let point = TimePoint {
            date: (*date).to_string(),
            brier: sum / f64::from(count),
            scored: count,
        };
        match points.last_mut() {
            Some(last) if last.date == *date => *last = point,
            _ => points.push(point),
        }
    }
    points
}

/// Everyone's scorecards: each expert's by id, and the crowd's.
#[derive(Debug, Clone, Default)]
pub struct Scorecards {
    pub experts: HashMap<i64, Scorecard>,
    /// `None` unless the crowd's forecasts were scored with the experts'.
    pub crowd: Option<Scorecard>,
}

/// Scorecards for everyone with a forecast in `forecasts`. Relative Brier compares each with
/// the others found in `forecasts`, so pass every forecast on the propositions of interest, and
/// the crowd's only for its own card: beside the experts it counts as one of their peers.
pub fn scorecards(forecasts: &[Forecast]) -> Scorecards {
    // Each forecaster's Brier on each proposition (the mean, when they predicted it twice).
    // Ordered maps, and forecasts taken in one canonical order: sums are added in the same
    // order every time, so scores (and the ETags of images drawn from them) are identical to
    // the last bit from one request to the next, and whatever order the database hands the
    // rows in (it changes when a prediction is edited, though a pinned moment's rows do not).
    let mut per_pair: BTreeMap<(i64, Forecaster), (f64, u32)> = BTreeMap::new();
    let mut by_forecaster: HashMap<Forecaster, Vec<&Forecast>> = HashMap::new();
    for forecast in canonical_order(forecasts) {
        by_forecaster
            .entry(forecast.forecaster)
            .or_default()
            .push(forecast);
        if let Some(o) = forecast.binary_outcome() {
            let entry = per_pair
                .entry((forecast.proposition, forecast.forecaster))
                .or_insert((0.0, 0));
            entry.0 += brier(forecast.probability.value(), o);
            entry.1 += 1;
        }
    }
    // Per proposition, the forecasters' Briers in ascending order.
    let mut per_proposition: BTreeMap<i64, Vec<(f64, Forecaster)>> = BTreeMap::new();
    for ((proposition, forecaster), (sum, count)) in &per_pair {
        per_proposition
            .entry(*proposition)
            .or_default()
            .push((sum / f64::from(*count), *forecaster));
    }
    for list in per_proposition.values_mut() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    }
    let mut relative: BTreeMap<Forecaster, (f64, u32)> = BTreeMap::new();
    for list in per_proposition.values() {
        for (index, (own, forecaster)) in list.iter().enumerate() {
            if let Some(peers) = median_without(list, index) {
                let entry = relative.entry(*forecaster).or_insert((0.0, 0));
                entry.0 += own - peers;
                entry.1 += 1;
            }
        }
    }
    let mut cards = Scorecards::default();
    for (forecaster, own) in by_forecaster {
        let relative_brier = relative.get(&forecaster).map(|(sum, count)| RelativeBrier {
            value: sum / f64::from(*count),
            propositions: *count,
        });
        let card = Scorecard::of(&own, relative_brier);
        match forecaster {
            Forecaster::Expert(id) => {
                cards.experts.insert(id, card);
            }
            Forecaster::Crowd => cards.crowd = Some(card),
        }
    }
    cards
}

/// `forecasts` sorted by forecaster, proposition, probability and resolution, so that every sum
/// over them is added in one order, whichever order they came in. Forecasts equal in all of
/// these add the same numbers, so their own order does not matter.
fn canonical_order(forecasts: &[Forecast]) -> Vec<&Forecast> {
    let mut sorted: Vec<&Forecast> = forecasts.iter().collect();
    sorted.sort_by(|a, b| {
        (a.forecaster, a.proposition)
            .cmp(&(b.forecaster, b.proposition))
            .then(a.probability.value().total_cmp(&b.probability.value()))
            .then_with(|| a.resolved_at.cmp(&b.resolved_at))
    });
    sorted
}

/// What the experts said about one proposition, for the consensus.
struct Votes<'a> {
    /// Per forecaster: the sum and count of their probabilities.
    by_forecaster: HashMap<Forecaster, (f64, u32)>,
    outcome: Option<Outcome>,
    resolved_at: Option<&'a String>,
}

/// The crowd to beat: on each proposition, the median of the experts' probabilities (each
/// expert counted once, at the mean of their predictions on it), as the crowd's forecasts.
pub fn consensus(forecasts: &[Forecast]) -> Vec<Forecast> {
    let mut per_proposition: HashMap<i64, Votes<'_>> = HashMap::new();
    for f in canonical_order(forecasts) {
        let votes = per_proposition
            .entry(f.proposition)
            .or_insert_with(|| Votes {
                by_forecaster: HashMap::new(),
                outcome: f.outcome,
                resolved_at: f.resolved_at.as_ref(),
            });
        let vote = votes.by_forecaster.entry(f.forecaster).or_insert((0.0, 0));
        vote.0 += f.probability.value();
        vote.1 += 1;
    }
    let mut crowd: Vec<Forecast> = per_proposition
        .into_iter()
        .filter_map(|(proposition, votes)| {
            let mut ps: Vec<f64> = votes
                .by_forecaster
                .values()
                .map(|(sum, count)| sum / f64::from(*count))
                .collect();
            ps.sort_by(f64::total_cmp);
            Some(Forecast {
                forecaster: Forecaster::Crowd,
                proposition,
                probability: Probability::new(median(&ps)?).ok()?,
                outcome: votes.outcome,
                resolved_at: votes.resolved_at.cloned(),
            })
        })
        .collect();
    crowd.sort_by_key(|f| f.proposition);
    crowd
}

#[cfg(test)]
mod tests;

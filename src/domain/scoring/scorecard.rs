//! Brier, log and relative Brier scores, the hit rate and calibration, per expert.

use std::collections::{BTreeMap, HashMap};

use super::{Calibration, HitRate, Tally};
use crate::domain::{Outcome, Probability, Verdict};

/// One prediction as scoring sees it: whose, on what, at what probability, and the
/// proposition's outcome as of the moment asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub expert: i64,
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
pub(super) fn median_without(sorted: &[(f64, i64)], skip: usize) -> Option<f64> {
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

/// The cumulative record after the outcomes recorded on one day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TimePoint {
    /// YYYY-MM-DD
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

/// Scorecards for every expert in `forecasts`. Relative Brier compares each expert with the
/// others found in `forecasts`, so pass every forecast on the propositions of interest.
pub fn scorecards(forecasts: &[Forecast]) -> HashMap<i64, Scorecard> {
    // Each expert's Brier on each proposition (the mean, when they predicted it twice).
    // Ordered maps, and forecasts taken in one canonical order: sums are added in the same
    // order every time, so scores (and the ETags of images drawn from them) are identical to
    // the last bit from one request to the next, and whatever order the database hands the
    // rows in (it changes when a prediction is edited, though a pinned moment's rows do not).
    let mut per_pair: BTreeMap<(i64, i64), (f64, u32)> = BTreeMap::new();
    let mut by_expert: HashMap<i64, Vec<&Forecast>> = HashMap::new();
    for forecast in canonical_order(forecasts) {
        by_expert.entry(forecast.expert).or_default().push(forecast);
        if let Some(o) = forecast.binary_outcome() {
            let entry = per_pair
                .entry((forecast.proposition, forecast.expert))
                .or_insert((0.0, 0));
            entry.0 += brier(forecast.probability.value(), o);
            entry.1 += 1;
        }
    }
    // Per proposition, the experts' Briers in ascending order.
    let mut per_proposition: BTreeMap<i64, Vec<(f64, i64)>> = BTreeMap::new();
    for ((proposition, expert), (sum, count)) in &per_pair {
        per_proposition
            .entry(*proposition)
            .or_default()
            .push((sum / f64::from(*count), *expert));
    }
    for list in per_proposition.values_mut() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    }
    let mut relative: BTreeMap<i64, (f64, u32)> = BTreeMap::new();
    for list in per_proposition.values() {
        for (index, (own, expert)) in list.iter().enumerate() {
            if let Some(peers) = median_without(list, index) {
                let entry = relative.entry(*expert).or_insert((0.0, 0));
                entry.0 += own - peers;
                entry.1 += 1;
            }
        }
    }
    by_expert
        .into_iter()
        .map(|(expert, own)| {
            let relative_brier = relative.get(&expert).map(|(sum, count)| RelativeBrier {
                value: sum / f64::from(*count),
                propositions: *count,
            });
            (expert, Scorecard::of(&own, relative_brier))
        })
        .collect()
}

/// `forecasts` sorted by expert, proposition, probability and resolution, so that every sum
/// over them is added in one order, whichever order they came in. Forecasts equal in all of
/// these add the same numbers, so their own order does not matter.
fn canonical_order(forecasts: &[Forecast]) -> Vec<&Forecast> {
    let mut sorted: Vec<&Forecast> = forecasts.iter().collect();
    sorted.sort_by(|a, b| {
        (a.expert, a.proposition)
            .cmp(&(b.expert, b.proposition))
            .then(a.probability.value().total_cmp(&b.probability.value()))
            .then_with(|| a.resolved_at.cmp(&b.resolved_at))
    });
    sorted
}

/// What the experts said about one proposition, for the consensus.
struct Votes<'a> {
    /// Per expert: the sum and count of their probabilities.
    by_expert: HashMap<i64, (f64, u32)>,
    outcome: Option<Outcome>,
    resolved_at: Option<&'a String>,
}

/// The id the crowd's forecasts (`consensus`) are scored under beside the experts': no expert
/// row has it, since SQLite's ids start at 1.
pub const CROWD: i64 = -1;

/// The crowd to beat: on each proposition, the median of the experts' probabilities (each
/// expert counted once, at the mean of their predictions on it), as forecasts by `as_expert`.
pub fn consensus(forecasts: &[Forecast], as_expert: i64) -> Vec<Forecast> {
    let mut per_proposition: HashMap<i64, Votes<'_>> = HashMap::new();
    for f in canonical_order(forecasts) {
        let votes = per_proposition
            .entry(f.proposition)
            .or_insert_with(|| Votes {
                by_expert: HashMap::new(),
                outcome: f.outcome,
                resolved_at: f.resolved_at.as_ref(),
            });
        let vote = votes.by_expert.entry(f.expert).or_insert((0.0, 0));
        vote.0 += f.probability.value();
        vote.1 += 1;
    }
    let mut crowd: Vec<Forecast> = per_proposition
        .into_iter()
        .filter_map(|(proposition, votes)| {
            let mut ps: Vec<f64> = votes
                .by_expert
                .values()
                .map(|(sum, count)| sum / f64::from(*count))
                .collect();
            ps.sort_by(f64::total_cmp);
            Some(Forecast {
                expert: as_expert,
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
mod tests {
    use super::*;

    const T: Option<Outcome> = Some(Outcome::True);
    const F: Option<Outcome> = Some(Outcome::False);
    const A: Option<Outcome> = Some(Outcome::Annulled);

    fn f(expert: i64, proposition: i64, p: f64, outcome: Option<Outcome>) -> Forecast {
        Forecast {
            expert,
            proposition,
            probability: Probability::new(p).unwrap(),
            outcome,
            resolved_at: outcome.map(|_| format!("2024-06-{:02}T12:00:00.000Z", 10 + proposition)),
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-6)
    }

    // Experts of the demo data set, numbered for these tests.
    const JOH: i64 = 1;
    const KIMS: i64 = 2;
    const DIPLOMATIC: i64 = 3;
    const JEH: i64 = 4;
    const UNNAMED: i64 = 5;
    const DESK: i64 = 6;
    const HYUN: i64 = 7;
    const LIM: i64 = 8;
    const YANG: i64 = 9;
    const ASMOLOV: i64 = 10;
    const OFFICIAL: i64 = 11;
    // Propositions: 1 automatic intervention (true), 3 military commitments (true),
    // 6 strategic partnership (true), 8 workers (annulled), 10 technology transfer (false),
    // 12 visit by 20 June (true), 13 South Korea–China dialogue (true).
    fn seed() -> Vec<Forecast> {
        vec![
            f(JOH, 1, 0.125, T),
            f(JOH, 6, 0.675, T),
            f(JOH, 10, 0.325, F),
            f(JOH, 8, 0.675, A),
            f(JOH, 3, 0.4, T),
            f(KIMS, 1, 0.15, T),
            f(KIMS, 3, 0.1, T),
            f(DIPLOMATIC, 13, 0.9, T),
            f(DIPLOMATIC, 12, 0.675, T),
            f(DIPLOMATIC, 12, 0.9, T),
            f(JEH, 1, 0.1, T),
            f(UNNAMED, 1, 0.325, T),
            f(DESK, 1, 0.325, T),
            f(HYUN, 1, 0.325, T),
            f(LIM, 3, 0.6, T),
            f(YANG, 3, 0.325, T),
            f(ASMOLOV, 3, 0.6, T),
            f(UNNAMED, 3, 0.9, T),
            f(UNNAMED, 8, 0.9, A),
            f(DESK, 10, 0.1, F),
            f(OFFICIAL, 12, 0.9, T),
            f(OFFICIAL, 13, 0.9, T),
        ]
    }

    #[test]
    fn joh_han_beom_by_hand() {
        let cards = scorecards(&seed());
        let joh = &cards[&JOH];
        // Brier: intervention (0.125 − 1)² = 0.765625; partnership (0.675 − 1)² = 0.105625;
        // technology (0.325 − 0)² = 0.105625; commitments (0.4 − 1)² = 0.36; workers annulled.
        // Mean = 1.336875 / 4 = 0.33421875.
        assert!(close(joh.brier, 0.334_218_75));
        assert_eq!(joh.scored, 4);
        // Log: −ln 0.125 = 2.0794415; −ln 0.675 = 0.3930425 (twice; for the false one q = 1 − 0.325);
        // −ln 0.4 = 0.9162907. Mean = 3.7818172 / 4 = 0.9454543.
        assert!(close(joh.log_score, 0.945_454_3));
        // Relative: intervention, others 0.81, 0.7225, 0.455625 ×3 → median 0.455625, diff 0.31;
        // technology, the desk's (0.1)² = 0.01, diff 0.095625; commitments, others 0.16, 0.455625,
        // 0.81, 0.16, 0.01 → median 0.16, diff 0.2; partnership has no peers.
        // Mean = 0.605625 / 3 = 0.201875.
        let relative = joh.relative_brier.map(|r| (r.value, r.propositions));
        assert!(
            relative.is_some_and(|(v, n)| (v - 0.201_875).abs() < 1e-9 && n == 3),
            "{relative:?}"
        );
        assert_eq!(
            (joh.tally.right, joh.tally.wrong, joh.tally.annulled),
            (2, 2, 1)
        );
    }

    #[test]
    fn the_two_kims_by_hand() {
        let kims = &scorecards(&seed())[&KIMS];
        // Brier: (0.15 − 1)² = 0.7225, (0.1 − 1)² = 0.81; mean 0.76625.
        assert!(close(kims.brier, 0.766_25));
        // Log: −ln 0.15 = 1.8971200, −ln 0.1 = 2.3025851; mean 2.0998525.
        assert!(close(kims.log_score, 2.099_852_5));
        // Relative: intervention, others 0.455625 ×3, 0.765625, 0.81 → median 0.455625, diff
        // 0.266875; commitments, others 0.01, 0.16, 0.16, 0.36, 0.455625 → median 0.16, diff 0.65.
        // Mean = 0.916875 / 2 = 0.4584375.
        assert!(close(kims.relative_brier.map(|r| r.value), 0.458_437_5));
        assert_eq!(kims.hit_rate.map(|h| (h.hits, h.n)), Some((0, 2)));
    }

    #[test]
    fn unnamed_diplomatic_sources_by_hand() {
        let diplomatic = &scorecards(&seed())[&DIPLOMATIC];
        // Brier: (0.9 − 1)² = 0.01 twice, (0.675 − 1)² = 0.105625; mean 0.125625 / 3 = 0.041875.
        assert!(close(diplomatic.brier, 0.041_875));
        // Log: −ln 0.9 = 0.1053605 twice, −ln 0.675 = 0.3930425; mean 0.6037635 / 3 = 0.2012545.
        assert!(close(diplomatic.log_score, 0.201_254_5));
        // Relative: said twice on the visit, so their Brier there is (0.105625 + 0.01) / 2 =
        // 0.0578125 against the official's 0.01: diff 0.0478125; on the dialogue 0.01 − 0.01 = 0.
        // Mean 0.0478125 / 2 = 0.02390625.
        assert!(close(
            diplomatic.relative_brier.map(|r| r.value),
            0.023_906_25
        ));
        assert_eq!(diplomatic.hit_rate.map(|h| (h.hits, h.n)), Some((3, 3)));
    }

    #[test]
    fn a_perfect_forecaster_scores_zero() {
        let forecasts = vec![
            f(1, 1, 1.0, T),
            f(1, 2, 0.0, F),
            f(1, 3, 1.0, T),
            f(2, 1, 0.3, T),
        ];
        let card = &scorecards(&forecasts)[&1];
        assert_eq!(card.brier, Some(0.0));
        // The log score clamps to 0.99: −ln 0.99 each.
        assert!(close(card.log_score, -(0.99f64.ln())));
        assert_eq!(card.hit_rate.map(|h| h.rate), Some(1.0));
        assert!(
            card.relative_brier.is_some_and(|r| r.value < 0.0),
            "beats its peer"
        );
    }

    #[test]
    fn scores_stay_in_range_for_any_forecasts() {
        // Every probability on a 0.025 grid against both outcomes, mixed into several experts.
        let mut forecasts = Vec::new();
        for i in 0..=40 {
            let p = f64::from(i) / 40.0;
            forecasts.push(f(
                i64::from(i % 5),
                i64::from(i),
                p,
                if i % 3 == 0 { F } else { T },
            ));
            forecasts.push(f(
                i64::from((i + 2) % 5),
                i64::from(i),
                1.0 - p,
                if i % 3 == 0 { F } else { T },
            ));
        }
        for card in scorecards(&forecasts).values() {
            let brier = card.brier.unwrap_or(0.0);
            assert!((0.0..=1.0).contains(&brier));
            let log = card.log_score.unwrap_or(0.0);
            assert!((0.0..=-(0.01f64.ln()) + 1e-12).contains(&log));
            if let Some(r) = card.relative_brier {
                assert!((-1.0..=1.0).contains(&r.value));
            }
            if let Some(h) = card.hit_rate {
                assert!((0.0..=1.0).contains(&h.rate) && h.low <= h.rate && h.rate <= h.high);
            }
            for bin in &card.calibration.bins {
                assert!(bin.low <= bin.mean_probability && bin.mean_probability <= bin.high);
                assert!((0.0..=1.0).contains(&bin.observed));
            }
        }
    }

    #[test]
    fn annulled_and_unresolved_never_count() {
        let with = vec![
            f(1, 1, 0.9, T),
            f(1, 2, 0.9, A),
            f(1, 3, 0.1, None),
            f(2, 2, 0.1, A),
            f(2, 3, 0.9, None),
        ];
        let without = vec![f(1, 1, 0.9, T)];
        let a = &scorecards(&with)[&1];
        let b = &scorecards(&without)[&1];
        assert_eq!(a.brier, b.brier);
        assert_eq!(a.log_score, b.log_score);
        assert_eq!(a.scored, 1);
        assert_eq!(
            a.relative_brier, None,
            "the only peer's predictions were not scored"
        );
        assert_eq!(a.calibration, b.calibration);
        assert_eq!((a.tally.annulled, a.tally.pending), (1, 1));
        let only_pending = &scorecards(&[f(3, 3, 0.2, None)])[&3];
        assert_eq!(
            (
                only_pending.brier,
                only_pending.log_score,
                only_pending.hit_rate
            ),
            (None, None, None)
        );
    }

    #[test]
    fn before_any_resolution_nothing_is_scored() {
        // As of a moment before any outcome was recorded, every outcome is None.
        let as_of_before: Vec<Forecast> = seed()
            .into_iter()
            .map(|mut f| {
                f.outcome = None;
                f.resolved_at = None;
                f
            })
            .collect();
        for card in scorecards(&as_of_before).values() {
            assert_eq!(card.scored, 0);
            assert_eq!(card.brier, None);
            assert_eq!(card.relative_brier, None);
            assert!(card.calibration.bins.is_empty());
            assert!(card.over_time.is_empty());
            assert_eq!(card.tally.right + card.tally.wrong, 0);
        }
    }

    #[test]
    fn consensus_is_the_median_expert_per_proposition() {
        let crowd = consensus(&seed(), -1);
        let on = |proposition: i64| {
            crowd
                .iter()
                .find(|f| f.proposition == proposition)
                .map(|f| f.probability.value())
        };
        // Intervention: 0.1, 0.125, 0.15, 0.325, 0.325, 0.325 → median (0.15 + 0.325) / 2 = 0.2375.
        assert!(close(on(1), 0.2375));
        // Visit: the diplomatic sources count once at (0.675 + 0.9) / 2 = 0.7875; with the
        // official's 0.9 the median is 0.84375.
        assert!(close(on(12), 0.843_75));
        assert!(crowd.iter().all(|f| f.expert == -1));
    }

    #[test]
    fn score_over_time_accumulates_by_day() {
        let card = &scorecards(&seed())[&DIPLOMATIC];
        let points: Vec<(&str, u32)> = card
            .over_time
            .iter()
            .map(|p| (p.date.as_str(), p.scored))
            .collect();
        assert_eq!(points, vec![("2024-06-22", 2), ("2024-06-23", 3)]);
        assert!(close(card.over_time.last().map(|p| p.brier), 0.041_875));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        let list = [(1.0, 1), (2.0, 2), (4.0, 3), (10.0, 4)];
        assert_eq!(median_without(&list, 0), Some(4.0));
        assert_eq!(median_without(&list, 3), Some(2.0));
        assert_eq!(median_without(&[(1.0, 1)], 0), None);
    }

    #[test]
    fn log_score_matches_the_definition() {
        assert!(close(Some(log_score(0.8, 1.0)), -(0.8f64.ln())));
        assert!(close(Some(log_score(0.8, 0.0)), -(0.2f64.ln())));
        assert!(
            close(Some(log_score(0.0, 1.0)), -(0.01f64.ln())),
            "clamped, not infinite"
        );
        assert!(close(Some(log_score(1.0, 0.0)), -(0.01f64.ln())));
    }
}

//! The leaderboard's numbers for every expert at once, from forecasts kept grouped by
//! proposition. The same rules as `scorecards`, computed proposition by proposition: every
//! score the leaderboard shows (tally, hit rate, Brier, log score, relative Brier) depends on
//! one proposition's forecasts at a time, so a new outcome changes one group and nothing has
//! to be read again. The calibration and the score over time are left empty here; a
//! scorecard page computes them for its one expert.

use std::collections::{BTreeMap, HashMap};

use super::calibration::Calibration;
use super::scorecard::{Forecast, Forecaster, RelativeBrier, Scorecard, consensus, median_without};
use super::tally::Tally;
use super::{brier, log_score};
use crate::domain::{Outcome, Probability};

/// What is known about one proposition: its outcome and every expert's probability on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PropositionForecasts {
    pub outcome: Option<Outcome>,
    /// (expert, probability); an expert may appear more than once (several sources).
    pub forecasts: Vec<(i64, Probability)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    tally: Tally,
    scored: u32,
    brier: f64,
    log: f64,
    relative: f64,
    relative_n: u32,
}

impl Sums {
    fn card(&self) -> Scorecard {
        let mean = |sum: f64| (self.scored > 0).then(|| sum / f64::from(self.scored));
        Scorecard {
            tally: self.tally,
            hit_rate: self.tally.hit_rate(),
            scored: self.scored,
            brier: mean(self.brier),
            log_score: mean(self.log),
            relative_brier: (self.relative_n > 0).then(|| RelativeBrier {
                value: self.relative / f64::from(self.relative_n),
                propositions: self.relative_n,
            }),
            calibration: Calibration::from_forecasts(std::iter::empty()),
            over_time: Vec::new(),
        }
    }
}

/// One proposition's forecasts as sums: per forecast its verdict and scores, per forecaster
/// their Brier on it (the mean of theirs) against the median of the others'.
fn proposition_sums(forecasts: &[Forecast]) -> HashMap<Forecaster, Sums> {
    let mut sums: HashMap<Forecaster, Sums> = HashMap::new();
    let mut per_forecaster: BTreeMap<Forecaster, (f64, u32)> = BTreeMap::new();
    for forecast in forecasts {
        let entry = sums.entry(forecast.forecaster).or_default();
        entry.tally.add(forecast.verdict());
        if let Some(o) = forecast.binary_outcome() {
            let p = forecast.probability.value();
            entry.scored += 1;
            entry.brier += brier(p, o);
            entry.log += log_score(p, o);
            let pair = per_forecaster
                .entry(forecast.forecaster)
                .or_insert((0.0, 0));
            pair.0 += brier(p, o);
            pair.1 += 1;
        }
    }
    let mut list: Vec<(f64, Forecaster)> = per_forecaster
        .into_iter()
        .map(|(forecaster, (sum, count))| (sum / f64::from(count), forecaster))
        .collect();
    list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (index, (own, forecaster)) in list.iter().enumerate() {
        if let Some(peers) = median_without(&list, index) {
            let entry = sums.entry(*forecaster).or_default();
            entry.relative += own - peers;
            entry.relative_n += 1;
        }
    }
    sums
}

/// `sums` split into the experts', by id, and the crowd's.
fn by_expert_and_crowd(sums: HashMap<Forecaster, Sums>) -> (HashMap<i64, Sums>, Option<Sums>) {
    let mut experts = HashMap::new();
    let mut crowd = None;
    for (forecaster, share) in sums {
        match forecaster {
            Forecaster::Expert(id) => {
                experts.insert(id, share);
            }
            Forecaster::Crowd => crowd = Some(share),
        }
    }
    (experts, crowd)
}

/// The leaderboard kept up to date one proposition at a time: each expert's sums over every
/// proposition, and each proposition's forecasts, so that a change to one proposition takes
/// its old share out of the sums and puts its new one in.
#[derive(Debug, Default)]
pub struct Standings {
    propositions: BTreeMap<i64, PropositionForecasts>,
    /// How many forecasts `propositions` holds.
    forecasts: usize,
    totals: HashMap<i64, Sums>,
    crowd: Sums,
}

impl Sums {
    fn add(&mut self, other: &Sums) {
        self.tally.right += other.tally.right;
        self.tally.wrong += other.tally.wrong;
        self.tally.no_call += other.tally.no_call;
        self.tally.pending += other.tally.pending;
        self.tally.annulled += other.tally.annulled;
        self.scored += other.scored;
        self.brier += other.brier;
        self.log += other.log;
        self.relative += other.relative;
        self.relative_n += other.relative_n;
    }

    fn subtract(&mut self, other: &Sums) {
        self.tally.right = self.tally.right.saturating_sub(other.tally.right);
        self.tally.wrong = self.tally.wrong.saturating_sub(other.tally.wrong);
        self.tally.no_call = self.tally.no_call.saturating_sub(other.tally.no_call);
        self.tally.pending = self.tally.pending.saturating_sub(other.tally.pending);
        self.tally.annulled = self.tally.annulled.saturating_sub(other.tally.annulled);
        self.scored = self.scored.saturating_sub(other.scored);
        self.brier -= other.brier;
        self.log -= other.log;
        self.relative -= other.relative;
        self.relative_n = self.relative_n.saturating_sub(other.relative_n);
        // Exactly nothing left, not a rounding error's worth.
        if self.scored == 0 {
            (self.brier, self.log) = (0.0, 0.0);
        }
        if self.relative_n == 0 {
            self.relative = 0.0;
        }
    }
}

/// What one proposition adds to each expert's sums, and to the crowd's.
fn shares(id: i64, proposition: &PropositionForecasts) -> (HashMap<i64, Sums>, Option<Sums>) {
    let forecasts: Vec<Forecast> = proposition
        .forecasts
        .iter()
        .map(|(expert, probability)| Forecast {
            forecaster: Forecaster::Expert(*expert),
            proposition: id,
            probability: *probability,
            outcome: proposition.outcome,
            resolved_at: None,
        })
        .collect();
    let (experts, _) = by_expert_and_crowd(proposition_sums(&forecasts));
    let median = consensus(&forecasts);
    if median.is_empty() {
        return (experts, None);
    }
    let mut with_crowd = forecasts;
    with_crowd.extend(median);
    let (_, crowd) = by_expert_and_crowd(proposition_sums(&with_crowd));
    (experts, crowd)
}

impl Standings {
    /// No propositions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `forecasts` in place of what was known about proposition `id` (`None`: it has no
    /// live forecasts any more).
    pub fn set(&mut self, id: i64, forecasts: Option<PropositionForecasts>) {
        if let Some(old) = self.propositions.remove(&id) {
            self.forecasts -= old.forecasts.len();
            let (experts, crowd) = shares(id, &old);
            for (expert, share) in &experts {
                if let Some(total) = self.totals.get_mut(expert) {
                    total.subtract(share);
                    if total.tally.total() == 0 {
                        self.totals.remove(expert);
                    }
                }
            }
            if let Some(crowd) = crowd {
                self.crowd.subtract(&crowd);
            }
        }
        if let Some(new) = forecasts.filter(|f| !f.forecasts.is_empty()) {
            let (experts, crowd) = shares(id, &new);
            for (expert, share) in &experts {
                self.totals.entry(*expert).or_default().add(share);
            }
            if let Some(crowd) = crowd {
                self.crowd.add(&crowd);
            }
            self.forecasts += new.forecasts.len();
            self.propositions.insert(id, new);
        }
    }

    /// Every expert's leaderboard scorecard.
    pub fn cards(&self) -> HashMap<i64, Scorecard> {
        self.totals
            .iter()
            .map(|(expert, sums)| (*expert, sums.card()))
            .collect()
    }

    /// How many forecasts there are, over every proposition.
    pub fn forecast_count(&self) -> usize {
        self.forecasts
    }

    /// The crowd's, once it has a scored forecast.
    pub fn crowd_card(&self) -> Option<Scorecard> {
        (self.crowd.scored > 0).then(|| self.crowd.card())
    }
}

/// Every expert's leaderboard scorecard, and the crowd's (the median expert on each
/// proposition, scored against the experts), from `propositions` by id.
pub fn standings(
    propositions: &BTreeMap<i64, PropositionForecasts>,
) -> (HashMap<i64, Scorecard>, Option<Scorecard>) {
    let mut standings = Standings::new();
    for (id, proposition) in propositions {
        standings.set(*id, Some(proposition.clone()));
    }
    (standings.cards(), standings.crowd_card())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::scorecards;
    use proptest::prelude::*;

    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => (a - b).abs() < 1e-12,
            _ => false,
        }
    }

    fn agree(standing: &Scorecard, full: &Scorecard) {
        assert_eq!(standing.tally, full.tally);
        assert_eq!(standing.hit_rate, full.hit_rate);
        assert_eq!(standing.scored, full.scored);
        assert!(close(standing.brier, full.brier), "{standing:?} {full:?}");
        assert!(close(standing.log_score, full.log_score));
        assert!(close(
            standing.relative_brier.map(|r| r.value),
            full.relative_brier.map(|r| r.value)
        ));
        assert_eq!(
            standing.relative_brier.map(|r| r.propositions),
            full.relative_brier.map(|r| r.propositions)
        );
    }

    fn outcome(code: u8) -> Option<Outcome> {
        match code % 4 {
            0 => None,
            1 => Some(Outcome::True),
            2 => Some(Outcome::False),
            _ => Some(Outcome::Annulled),
        }
    }

    proptest! {
        /// Grouped by proposition, the leaderboard's numbers are the scorecards' numbers.
        #[test]
        fn standings_agree_with_scorecards(
            raw in proptest::collection::vec((0i64..6, 0i64..8, 0u32..=100, 0u8..4), 0..60)
        ) {
            let mut propositions: BTreeMap<i64, PropositionForecasts> = BTreeMap::new();
            let mut flat = Vec::new();
            for (expert, proposition, percent, code) in raw {
                let probability = Probability::new(f64::from(percent) / 100.0).unwrap();
                let entry = propositions.entry(proposition).or_insert_with(|| PropositionForecasts {
                    outcome: outcome(code),
                    forecasts: Vec::new(),
                });
                entry.forecasts.push((expert, probability));
                flat.push(Forecast {
                    forecaster: Forecaster::Expert(expert),
                    proposition,
                    probability,
                    outcome: entry.outcome,
                    resolved_at: None,
                });
            }
            let (cards, crowd) = standings(&propositions);
            let full = scorecards(&flat).experts;
            prop_assert_eq!(cards.len(), full.len());
            for (expert, card) in &full {
                agree(&cards[expert], card);
            }
            let mut with_crowd = flat.clone();
            with_crowd.extend(consensus(&flat));
            let full_crowd = scorecards(&with_crowd).crowd.filter(|c| c.scored > 0);
            prop_assert_eq!(crowd.is_some(), full_crowd.is_some());
            if let (Some(crowd), Some(full_crowd)) = (crowd, full_crowd) {
                agree(&crowd, &full_crowd);
            }
        }

        /// Replacing propositions one at a time (some removed, some changed, some put back)
        /// ends where building from the final state does.
        #[test]
        fn updates_one_at_a_time_end_where_a_fresh_build_does(
            first in proptest::collection::vec((0i64..6, 0i64..8, 0u32..=100, 0u8..4), 0..50),
            second in proptest::collection::vec((0i64..6, 0i64..8, 0u32..=100, 0u8..4), 0..50),
        ) {
            let group = |raw: &[(i64, i64, u32, u8)]| {
                let mut map: BTreeMap<i64, PropositionForecasts> = BTreeMap::new();
                for (expert, proposition, percent, code) in raw {
                    let entry = map.entry(*proposition).or_insert_with(|| PropositionForecasts {
                        outcome: outcome(*code),
                        forecasts: Vec::new(),
                    });
                    entry.forecasts.push((*expert, Probability::new(f64::from(*percent) / 100.0).unwrap()));
                }
                map
            };
            let (before, after) = (group(&first), group(&second));
            let mut standings = Standings::new();
            for (id, p) in &before {
                standings.set(*id, Some(p.clone()));
            }
            for id in 0..8 {
                standings.set(id, after.get(&id).cloned());
            }
            let (fresh, fresh_crowd) = standings_of(&after);
            let cards = standings.cards();
            prop_assert_eq!(cards.len(), fresh.len());
            for (expert, card) in &fresh {
                agree(&cards[expert], card);
            }
            prop_assert_eq!(standings.crowd_card().is_some(), fresh_crowd.is_some());
            if let (Some(a), Some(b)) = (standings.crowd_card(), fresh_crowd) {
                agree(&a, &b);
            }
        }
    }

    fn standings_of(
        propositions: &BTreeMap<i64, PropositionForecasts>,
    ) -> (HashMap<i64, Scorecard>, Option<Scorecard>) {
        standings(propositions)
    }
}

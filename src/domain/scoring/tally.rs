//! Counting who was right. The full scorecard (Brier, log score, relative Brier, calibration)
//! builds on these counts.

use crate::domain::Verdict;

/// How many of an expert's (or a proposition's) predictions fell each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub right: u32,
    pub wrong: u32,
    pub no_call: u32,
    pub pending: u32,
    pub annulled: u32,
}

impl Tally {
    pub fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Right => self.right += 1,
            Verdict::Wrong => self.wrong += 1,
            Verdict::NoCall => self.no_call += 1,
            Verdict::Pending => self.pending += 1,
            Verdict::Annulled => self.annulled += 1,
        }
    }

    pub fn from_verdicts(verdicts: impl IntoIterator<Item = Verdict>) -> Self {
        let mut tally = Self::default();
        for verdict in verdicts {
            tally.add(verdict);
        }
        tally
    }

    /// Predictions on resolved, non-annulled propositions.
    pub fn scored(&self) -> u32 {
        self.right + self.wrong + self.no_call
    }

    pub fn total(&self) -> u32 {
        self.scored() + self.pending + self.annulled
    }

    pub fn hit_rate(&self) -> Option<HitRate> {
        HitRate::new(self.right, self.right + self.wrong)
    }
}

// right / (right + wrong), with its count and 95% Wilson score interval, because a hit rate
// of 100% on one prediction says almost nothing and the reader must see that.
//
// Serialised as the JSON API shows it, with its schema derived from it too: a doc comment here
// or on a field would become a description in the API's document, so these are plain comments.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct HitRate {
    pub hits: u32,
    pub n: u32,
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// z for a two-sided 95% interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

impl HitRate {
    pub fn new(hits: u32, n: u32) -> Option<Self> {
        if n == 0 || hits > n {
            return None;
        }
        let (low, high) = wilson_interval(hits, n, Z_95);
        Some(Self {
            hits,
            n,
            rate: f64::from(hits) / f64::from(n),
            low,
            high,
        })
    }

    pub fn percent(&self) -> String {
        format!("{:.0}%", self.rate * 100.0)
    }

    pub fn interval(&self) -> String {
        format!("{:.0}–{:.0}%", self.low * 100.0, self.high * 100.0)
    }
}

/// The Wilson score interval for a binomial proportion.
pub fn wilson_interval(successes: u32, n: u32, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n = f64::from(n);
    let p = f64::from(successes) / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let margin = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // Rounding can put a bound a hair past the estimate at 0% or 100%; the interval always holds it.
    (
        (centre - margin).clamp(0.0, p),
        (centre + margin).clamp(p, 1.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_each_verdict() {
        let tally = Tally::from_verdicts([
            Verdict::Right,
            Verdict::Wrong,
            Verdict::Wrong,
            Verdict::NoCall,
            Verdict::Pending,
            Verdict::Annulled,
        ]);
        assert_eq!(
            tally,
            Tally {
                right: 1,
                wrong: 2,
                no_call: 1,
                pending: 1,
                annulled: 1
            }
        );
        assert_eq!(tally.scored(), 4);
        assert_eq!(tally.total(), 6);
    }

    #[test]
    fn hit_rate_ignores_no_calls_pending_and_annulled() {
        let tally = Tally {
            right: 3,
            wrong: 1,
            no_call: 5,
            pending: 7,
            annulled: 2,
        };
        let rate = tally.hit_rate().map(|h| (h.hits, h.n, h.rate));
        assert_eq!(rate, Some((3, 4, 0.75)));
    }

    #[test]
    fn no_hit_rate_without_a_right_or_wrong_call() {
        let tally = Tally {
            pending: 3,
            annulled: 1,
            no_call: 2,
            ..Tally::default()
        };
        assert_eq!(tally.hit_rate(), None);
    }

    #[test]
    fn wilson_interval_matches_hand_computed_values() {
        // 3 of 4, z = 1.96: z² = 3.8415; denominator 1 + 3.8415/4 = 1.9604;
        // centre (0.75 + 3.8415/8) / 1.9604 = 1.2302 / 1.9604 = 0.6275;
        // margin 1.96 × √(0.75·0.25/4 + 3.8415/64) / 1.9604 = 1.96 × 0.3215 / 1.9604 = 0.3214.
        let (low, high) = wilson_interval(3, 4, Z_95);
        assert!((low - 0.3006).abs() < 1e-3, "low was {low}");
        assert!((high - 0.9544).abs() < 1e-3, "high was {high}");
    }

    #[test]
    fn wilson_interval_stays_within_zero_and_one() {
        for n in 1..40 {
            for hits in 0..=n {
                let (low, high) = wilson_interval(hits, n, Z_95);
                let p = f64::from(hits) / f64::from(n);
                assert!((0.0..=1.0).contains(&low) && (0.0..=1.0).contains(&high));
                assert!(low <= p + 1e-12 && p <= high + 1e-12, "{hits}/{n}");
            }
        }
    }

    #[test]
    fn one_right_call_has_a_wide_interval() {
        let rate = HitRate::new(1, 1).map(|h| (h.percent(), h.low < 0.25));
        assert_eq!(rate, Some(("100%".to_string(), true)));
    }
}

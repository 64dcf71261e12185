//! Calibration: do things said at 70% happen 70% of the time? Forecasts are binned by
//! probability in tenths, and the Brier score is split into Murphy's three parts.

use super::{Forecast, Z_95, wilson_interval};

// The forecasts whose probability fell in one tenth of [0, 1] (the last bin includes 1).
//
// Serialised as the JSON API shows it (as a CalibrationBin), with its schema derived from it
// too: a doc comment here or on a field would become a description in the API's document, so
// these are plain comments.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = CalibrationBin)]
pub struct Bin {
    pub low: f64,
    pub high: f64,
    pub count: u32,
    pub mean_probability: f64,
    // How often the propositions in this bin came true.
    pub observed: f64,
    // 95% Wilson interval of `observed`.
    pub observed_low: f64,
    pub observed_high: f64,
}

// Murphy (1973): Brier = reliability − resolution + uncertainty, computed over the bins.
// Forecasts in one bin are not all equal, so a small within-bin term closes the sum; it is
// shown rather than hidden so the parts always add up to the Brier score on the page. It is the
// within-bin variance of the forecasts less twice their within-bin covariance with the outcomes
// (Stephenson, Coelho and Jolliffe 2008), so it can be negative: the page calls it the remainder.
//
// Serialised as the JSON API shows it, with its schema derived from it too: a doc comment here
// or on a field would become a description in the API's document, so these are plain comments.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Decomposition {
    // Weighted squared gap between each bin's mean forecast and what happened in it (lower is better).
    pub reliability: f64,
    // Weighted squared gap between each bin's frequency and the base rate (higher is better).
    pub resolution: f64,
    // base rate × (1 − base rate): how hard the questions were, whoever answered.
    pub uncertainty: f64,
    // Brier − (reliability − resolution + uncertainty): the remainder, which can be negative.
    pub within_bin: f64,
    pub base_rate: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Calibration {
    /// Only the bins that hold forecasts, lowest first.
    pub bins: Vec<Bin>,
    pub decomposition: Option<Decomposition>,
}

impl Calibration {
    /// From scored forecasts (each with an outcome of 0 or 1).
    pub fn of(scored: &[(f64, f64)]) -> Self {
        let mut sums = [(0u32, 0.0f64, 0.0f64); 10];
        for &(p, o) in scored {
            // p = 1.0 belongs to the top bin, not an eleventh.
            let index = ((p * 10.0).floor() as usize).min(9);
            let bin = &mut sums[index];
            bin.0 += 1;
            bin.1 += p;
            bin.2 += o;
        }
        let bins: Vec<Bin> = sums
            .iter()
            .enumerate()
            .filter(|(_, (count, _, _))| *count > 0)
            .map(|(i, &(count, p_sum, o_sum))| {
                let n = f64::from(count);
                let hits = o_sum.round() as u32;
                let (observed_low, observed_high) = wilson_interval(hits, count, Z_95);
                Bin {
                    low: i as f64 / 10.0,
                    high: (i + 1) as f64 / 10.0,
                    count,
                    mean_probability: p_sum / n,
                    observed: o_sum / n,
                    observed_low,
                    observed_high,
                }
            })
            .collect();
        let decomposition = (!scored.is_empty()).then(|| {
            let n = scored.len() as f64;
            let base_rate = scored.iter().map(|(_, o)| o).sum::<f64>() / n;
            let brier = scored.iter().map(|(p, o)| (p - o).powi(2)).sum::<f64>() / n;
            let mut reliability = 0.0;
            let mut resolution = 0.0;
            for bin in &bins {
                let weight = f64::from(bin.count) / n;
                reliability += weight * (bin.mean_probability - bin.observed).powi(2);
                resolution += weight * (bin.observed - base_rate).powi(2);
            }
            let uncertainty = base_rate * (1.0 - base_rate);
            let within_bin = brier - (reliability - resolution + uncertainty);
            Decomposition {
                reliability,
                resolution,
                uncertainty,
                // Rounding leaves ±1e-17 where the bins hold identical forecasts; that is zero.
                within_bin: if within_bin.abs() < 1e-12 {
                    0.0
                } else {
                    within_bin
                },
                base_rate,
            }
        });
        Self {
            bins,
            decomposition,
        }
    }

    pub fn from_forecasts<'a>(forecasts: impl IntoIterator<Item = &'a Forecast>) -> Self {
        let scored: Vec<(f64, f64)> = forecasts
            .into_iter()
            .filter_map(|f| f.binary_outcome().map(|o| (f.probability.value(), o)))
            .collect();
        Self::of(&scored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn bins_by_tenths_with_one_in_the_top_bin() {
        let calibration = Calibration::of(&[
            (0.05, 0.0),
            (0.1, 0.0),
            (0.15, 1.0),
            (0.95, 1.0),
            (1.0, 1.0),
        ]);
        let bins: Vec<(f64, u32)> = calibration.bins.iter().map(|b| (b.low, b.count)).collect();
        assert_eq!(bins, vec![(0.0, 1), (0.1, 2), (0.9, 2)]);
        assert!(close(calibration.bins[1].mean_probability, 0.125));
        assert!(close(calibration.bins[1].observed, 0.5));
    }

    #[test]
    fn the_parts_add_up_to_the_brier_score() {
        let scored = [
            (0.1, 0.0),
            (0.15, 1.0),
            (0.3, 0.0),
            (0.325, 1.0),
            (0.6, 1.0),
            (0.675, 0.0),
            (0.9, 1.0),
            (0.9, 1.0),
        ];
        let brier = scored
            .iter()
            .map(|(p, o): &(f64, f64)| (p - o).powi(2))
            .sum::<f64>()
            / 8.0;
        let Some(d) = Calibration::of(&scored).decomposition else {
            panic!("forecasts were given")
        };
        assert!(close(
            d.reliability - d.resolution + d.uncertainty + d.within_bin,
            brier
        ));
        assert!(close(d.base_rate, 5.0 / 8.0));
        assert!(close(d.uncertainty, 5.0 / 8.0 * 3.0 / 8.0));
        assert!(d.reliability >= 0.0 && d.resolution >= 0.0);
    }

    #[test]
    fn identical_forecasts_per_bin_need_no_within_bin_term() {
        // Hand computation: bins 0.2 (two forecasts, one true) and 0.8 (two, both true).
        // base rate 3/4; reliability = ½(0.2−0.5)² + ½(0.8−1)² = 0.045 + 0.02 = 0.065;
        // resolution = ½(0.5−0.75)² + ½(1−0.75)² = 0.0625; uncertainty = 0.1875;
        // Brier = (0.04 + 0.64 + 0.04 + 0.04) / 4 = 0.19 = 0.065 − 0.0625 + 0.1875.
        let Some(d) =
            Calibration::of(&[(0.2, 0.0), (0.2, 1.0), (0.8, 1.0), (0.8, 1.0)]).decomposition
        else {
            panic!("forecasts were given")
        };
        assert!(close(d.reliability, 0.065));
        assert!(close(d.resolution, 0.0625));
        assert!(close(d.uncertainty, 0.1875));
        assert!(close(d.within_bin, 0.0));
    }

    #[test]
    fn nothing_scored_means_no_bins_and_no_decomposition() {
        let calibration = Calibration::of(&[]);
        assert!(calibration.bins.is_empty());
        assert_eq!(calibration.decomposition, None);
    }
}

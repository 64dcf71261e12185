//! Properties every scorecard must have, for any forecasts at all.

use proptest::prelude::*;

use super::{Forecast, Forecaster, scorecards};
use crate::domain::{Outcome, Probability};

fn outcome() -> impl Strategy<Value = Option<Outcome>> {
    prop_oneof![
        Just(Some(Outcome::True)),
        Just(Some(Outcome::False)),
        Just(Some(Outcome::Annulled)),
        Just(None)
    ]
}

/// Up to 60 forecasts by up to 6 experts on up to 12 propositions; a proposition has one
/// outcome, whoever predicted it.
fn forecasts() -> impl Strategy<Value = Vec<Forecast>> {
    (
        prop::collection::vec(outcome(), 12),
        prop::collection::vec((0i64..6, 0usize..12, 0.0f64..=1.0), 0..60),
    )
        .prop_map(|(outcomes, picks)| {
            picks
                .into_iter()
                .map(|(expert, proposition, p)| Forecast {
                    forecaster: Forecaster::Expert(expert),
                    proposition: proposition as i64,
                    probability: Probability::new(p).unwrap(),
                    outcome: outcomes[proposition],
                    resolved_at: outcomes[proposition]
                        .map(|_| format!("2024-06-{:02}T00:00:00.000Z", proposition + 1)),
                })
                .collect()
        })
}

proptest! {
    #[test]
    fn scores_stay_in_their_ranges(forecasts in forecasts()) {
        for card in scorecards(&forecasts).experts.values() {
            if let Some(brier) = card.brier { prop_assert!((0.0..=1.0).contains(&brier)); }
            if let Some(log) = card.log_score { prop_assert!((0.0..=-(0.01f64.ln()) + 1e-12).contains(&log)); }
            if let Some(relative) = card.relative_brier { prop_assert!((-1.0..=1.0).contains(&relative.value)); }
            if let Some(hit) = card.hit_rate {
                prop_assert!(0.0 <= hit.low && hit.low <= hit.rate && hit.rate <= hit.high && hit.high <= 1.0);
            }
            if let (Some(d), Some(brier)) = (card.calibration.decomposition, card.brier) {
                prop_assert!((d.reliability - d.resolution + d.uncertainty + d.within_bin - brier).abs() < 1e-9);
            }
            prop_assert!(card.scored <= card.tally.total());
        }
    }

    #[test]
    fn a_perfect_forecaster_scores_zero(outcomes in prop::collection::vec(prop::bool::ANY, 1..30)) {
        let forecasts: Vec<Forecast> = outcomes.iter().enumerate().map(|(i, happened)| Forecast {
            forecaster: Forecaster::Expert(1),
            proposition: i as i64,
            probability: Probability::new(if *happened { 1.0 } else { 0.0 }).unwrap(),
            outcome: Some(if *happened { Outcome::True } else { Outcome::False }),
            resolved_at: None,
        }).collect();
        let card = &scorecards(&forecasts).experts[&1];
        prop_assert_eq!(card.brier, Some(0.0));
        prop_assert_eq!(card.hit_rate.map(|h| h.rate), Some(1.0));
        prop_assert_eq!(card.calibration.decomposition.map(|d| d.reliability), Some(0.0));
    }

    #[test]
    fn annulled_and_unresolved_never_count(forecasts in forecasts(), extra in prop::collection::vec((0i64..6, 0.0f64..=1.0, prop::bool::ANY), 0..20)) {
        // Add forecasts on new propositions that are annulled or undecided, by anyone.
        let mut more = forecasts.clone();
        for (i, (expert, p, annulled)) in extra.into_iter().enumerate() {
            more.push(Forecast {
                forecaster: Forecaster::Expert(expert),
                proposition: 1000 + i as i64,
                probability: Probability::new(p).unwrap(),
                outcome: annulled.then_some(Outcome::Annulled),
                resolved_at: None,
            });
        }
        let before = scorecards(&forecasts).experts;
        let after = scorecards(&more).experts;
        for (expert, card) in &before {
            let other = &after[expert];
            prop_assert_eq!(card.brier, other.brier);
            prop_assert_eq!(card.log_score, other.log_score);
            prop_assert_eq!(card.relative_brier, other.relative_brier);
            prop_assert_eq!(card.hit_rate, other.hit_rate);
            prop_assert_eq!(&card.calibration, &other.calibration);
        }
    }

    #[test]
    fn as_of_before_any_resolution_scores_nothing(forecasts in forecasts()) {
        let before: Vec<Forecast> = forecasts.into_iter().map(|f| Forecast { outcome: None, resolved_at: None, ..f }).collect();
        for card in scorecards(&before).experts.values() {
            prop_assert_eq!(card.scored, 0);
            prop_assert_eq!(card.brier, None);
            prop_assert_eq!(card.log_score, None);
            prop_assert_eq!(card.relative_brier, None);
            prop_assert_eq!(card.hit_rate, None);
            prop_assert!(card.over_time.is_empty());
        }
    }
}

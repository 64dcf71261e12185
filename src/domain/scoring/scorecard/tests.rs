//! Scorecards against hand-computed figures: the Brier and log scores, the relative Brier
//! score, the consensus, and the record over time.

use super::*;

const T: Option<Outcome> = Some(Outcome::True);
const F: Option<Outcome> = Some(Outcome::False);
const A: Option<Outcome> = Some(Outcome::Annulled);

fn f(expert: i64, proposition: i64, p: f64, outcome: Option<Outcome>) -> Forecast {
    Forecast {
        forecaster: Forecaster::Expert(expert),
        proposition,
        probability: Probability::new(p).unwrap(),
        outcome,
        resolved_at: outcome.map(|_| format!("2024-06-{:02}T12:00:00.000Z", 10 + proposition)),
    }
}

/// The scorecard of `expert` when `forecasts` are scored together.
fn card(forecasts: &[Forecast], expert: i64) -> Scorecard {
    scorecards(forecasts).experts.remove(&expert).unwrap()
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
    let cards = scorecards(&seed()).experts;
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
    let kims = card(&seed(), KIMS);
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
    let diplomatic = card(&seed(), DIPLOMATIC);
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
    let card = card(&forecasts, 1);
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
    for card in scorecards(&forecasts).experts.values() {
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
    let a = card(&with, 1);
    let b = card(&without, 1);
    assert_eq!(a.brier, b.brier);
    assert_eq!(a.log_score, b.log_score);
    assert_eq!(a.scored, 1);
    assert_eq!(
        a.relative_brier, None,
        "the only peer's predictions were not scored"
    );
    assert_eq!(a.calibration, b.calibration);
    assert_eq!((a.tally.annulled, a.tally.pending), (1, 1));
    let only_pending = card(&[f(3, 3, 0.2, None)], 3);
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
    for card in scorecards(&as_of_before).experts.values() {
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
    let crowd = consensus(&seed());
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
    assert!(crowd.iter().all(|f| f.forecaster == Forecaster::Crowd));
}

#[test]
fn score_over_time_accumulates_by_day() {
    let card = card(&seed(), DIPLOMATIC);
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

#[test]
fn the_crowd_is_scored_beside_the_experts_but_apart_from_them() {
    let alone = scorecards(&seed());
    assert!(alone.crowd.is_none());
    let mut everyone = seed();
    everyone.extend(consensus(&seed()));
    let with_crowd = scorecards(&everyone);
    assert_eq!(with_crowd.experts.len(), alone.experts.len());
    // One forecast on each of the seven propositions; the workers' was annulled.
    let crowd = with_crowd.crowd.unwrap();
    assert_eq!((crowd.tally.total(), crowd.scored), (7, 6));
}

#[test]
fn experts_order_by_id_and_before_the_crowd() {
    assert!(Forecaster::Expert(-1) < Forecaster::Expert(1));
    assert!(Forecaster::Expert(2) < Forecaster::Expert(10));
    assert!(Forecaster::Expert(i64::MAX) < Forecaster::Crowd);
}

//! Who was right, and by how much: the scoring rules of the design, in plain Rust.
//!
//! Every score is derived from `Forecast`s (a probability, and the proposition's outcome as of
//! some moment); nothing here knows where they came from.

mod calibration;
#[cfg(test)]
mod properties;
mod scorecard;
mod standings;
mod tally;

pub use calibration::{Bin, Calibration, Decomposition};
pub use scorecard::{
    Forecast, Forecaster, RelativeBrier, Scorecard, Scorecards, TimePoint, brier, consensus,
    log_score, median, scorecards,
};
pub use standings::{PropositionForecasts, Standings, standings};
pub use tally::{HitRate, Tally, Z_95, wilson_interval};

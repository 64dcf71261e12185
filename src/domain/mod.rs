//! The domain: what Hindsight knows about predictions and how it scores them.
//!
//! Plain Rust with no web or database code, so every rule here is unit-tested on its own.
//! Types validate when they are built: a `Probability` is always within [0, 1], a `Slug` is
//! always URL-safe, so the layers above never re-check them.

pub mod model;
pub mod outcome;
pub mod probability;
pub mod scoring;
pub mod slug;
pub mod text;

pub use outcome::{Outcome, Verdict};
pub use probability::{Probability, ProbabilityBasis};
pub use scoring::{Forecast, Forecaster, HitRate, Scorecard, Tally};
pub use slug::Slug;
pub mod dates;
pub mod kinds;
pub use kinds::{ExpertKind, Role};

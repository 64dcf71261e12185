//! Matching a speaker's name as printed against the experts on record.

use super::KnownExpert;

/// How a printed name relates to the experts on record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertMatch {
    /// The one expert whose slug, name or alias is this name (case, spaces, hyphens ignored).
    pub exact: Option<String>,
    /// Experts whose name is this one spelled another way (romanisation, transliteration):
    /// proposed for the analyst to confirm, never merged silently.
    pub alternatives: Vec<String>,
}

/// The experts on record a printed name may be.
pub fn match_expert(printed: &str, experts: &[KnownExpert]) -> ExpertMatch {
    let _ = (printed, experts);
    ExpertMatch::default()
}

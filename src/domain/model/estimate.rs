//! How a prediction's probability was obtained, with the number itself.
//!
//! The design requires the basis to be recorded and shown, because a number read off "highly
//! unlikely" is a weaker claim than one the expert said. Each variant carries what its basis
//! requires, so a prediction cannot claim a basis without it: a stated number, a scale term
//! whose number the scale fixes, or an analyst's number with the reason for it.

use super::super::{Probability, ProbabilityBasis};

/// A term of a named estimative scale: `icd-203` / `unlikely`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScaleTerm {
    /// The scale's slug.
    pub scale: String,
    pub term: String,
}

/// How a prediction's number was obtained, as a record gives it: everything is checked but the
/// number a scale gives its term, which only the scales on record know.
#[derive(Debug, Clone, PartialEq)]
pub enum GivenEstimate {
    /// The expert stated the number.
    Stated {
        probability: Probability,
        note: Option<String>,
    },
    /// The expert's words read on an estimative scale. A number given with the term must be
    /// the one the scale gives it.
    Scale {
        term: ScaleTerm,
        given: Option<Probability>,
        note: Option<String>,
    },
    /// An analyst's judgement, with why; it may override the term the words match on a scale.
    Analyst {
        probability: Probability,
        note: String,
        term: Option<ScaleTerm>,
    },
}

impl GivenEstimate {
    pub fn basis(&self) -> ProbabilityBasis {
        match self {
            Self::Stated { .. } => ProbabilityBasis::Stated,
            Self::Scale { .. } => ProbabilityBasis::Scale,
            Self::Analyst { .. } => ProbabilityBasis::Analyst,
        }
    }

    /// The scale term named, for a scale reading or an analyst's override of one.
    pub fn term(&self) -> Option<&ScaleTerm> {
        match self {
            Self::Stated { .. } => None,
            Self::Scale { term, .. } => Some(term),
            Self::Analyst { term, .. } => term.as_ref(),
        }
    }

    /// The estimate, once the number the scale gives the named term is known (`scale_gives`;
    /// `None` when no term is named).
    pub fn read(&self, scale_gives: Option<Probability>) -> Result<Estimate, EstimateError> {
        match self {
            Self::Stated { probability, note } => Ok(Estimate::Stated {
                probability: *probability,
                note: note.clone(),
            }),
            Self::Scale { term, given, note } => {
                let scale_gives = scale_gives.ok_or(EstimateError::TermNotRead)?;
                ScaleReading::new(term.clone(), scale_gives, *given, note.clone())
                    .map(Estimate::Scale)
            }
            Self::Analyst {
                probability,
                note,
                term,
            } => Ok(Estimate::Analyst {
                probability: *probability,
                note: note.clone(),
                term: term.clone(),
            }),
        }
    }
}

/// How a prediction's number was obtained, and the number.
#[derive(Debug, Clone, PartialEq)]
pub enum Estimate {
    Stated {
        probability: Probability,
        note: Option<String>,
    },
    Scale(ScaleReading),
    Analyst {
        probability: Probability,
        note: String,
        term: Option<ScaleTerm>,
    },
}

impl Estimate {
    pub fn probability(&self) -> Probability {
        match self {
            Self::Stated { probability, .. } | Self::Analyst { probability, .. } => *probability,
            Self::Scale(reading) => reading.probability,
        }
    }

    pub fn basis(&self) -> ProbabilityBasis {
        match self {
            Self::Stated { .. } => ProbabilityBasis::Stated,
            Self::Scale(_) => ProbabilityBasis::Scale,
            Self::Analyst { .. } => ProbabilityBasis::Analyst,
        }
    }

    /// Why the number is what it is: always given for an analyst's number.
    pub fn note(&self) -> Option<&str> {
        match self {
            Self::Stated { note, .. } => note.as_deref(),
            Self::Scale(reading) => reading.note.as_deref(),
            Self::Analyst { note, .. } => Some(note),
        }
    }
}

/// A term read on a scale, with the number the scale gives it: the term fixes the number.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleReading {
    term: ScaleTerm,
    probability: Probability,
    note: Option<String>,
}

impl ScaleReading {
    /// `scale_gives` is the number the scale gives `term`; a number `given` with it must be
    /// the same.
    pub fn new(
        term: ScaleTerm,
        scale_gives: Probability,
        given: Option<Probability>,
        note: Option<String>,
    ) -> Result<Self, EstimateError> {
        if let Some(given) = given
            && (given.value() - scale_gives.value()).abs() > 1e-9
        {
            return Err(EstimateError::DiffersFromScale {
                given,
                scale_gives,
                term: term.term,
            });
        }
        Ok(Self {
            term,
            probability: scale_gives,
            note,
        })
    }

    pub fn term(&self) -> &ScaleTerm {
        &self.term
    }

    pub fn probability(&self) -> Probability {
        self.probability
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimateError {
    #[error(
        "{} differs from the {} the scale gives \"{term}\": leave it out, or use basis analyst to override",
        given.value(),
        scale_gives.value()
    )]
    DiffersFromScale {
        given: Probability,
        scale_gives: Probability,
        term: String,
    },
    #[error("the scale's number for the term is needed to read it")]
    TermNotRead,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(value: f64) -> Probability {
        Probability::new(value).unwrap()
    }

    fn unlikely() -> ScaleTerm {
        ScaleTerm {
            scale: "icd-203".into(),
            term: "unlikely".into(),
        }
    }

    #[test]
    fn a_scale_term_fixes_the_number() {
        let given = GivenEstimate::Scale {
            term: unlikely(),
            given: None,
            note: None,
        };
        let estimate = given.read(Some(p(0.3))).unwrap();
        assert_eq!(estimate.probability(), p(0.3));
        assert_eq!(estimate.basis(), ProbabilityBasis::Scale);
    }

    #[test]
    fn a_number_given_with_a_term_must_be_the_scales() {
        let agrees = ScaleReading::new(unlikely(), p(0.3), Some(p(0.3)), None);
        assert!(agrees.is_ok());
        let differs = ScaleReading::new(unlikely(), p(0.3), Some(p(0.4)), None);
        assert_eq!(
            differs.map_err(|e| e.to_string()),
            Err("0.4 differs from the 0.3 the scale gives \"unlikely\": leave it out, or use basis analyst to override".to_string())
        );
    }

    #[test]
    fn a_scale_reading_needs_the_scales_number() {
        let given = GivenEstimate::Scale {
            term: unlikely(),
            given: None,
            note: None,
        };
        assert_eq!(given.read(None), Err(EstimateError::TermNotRead));
    }

    #[test]
    fn an_analyst_overrides_a_term_with_a_reason() {
        let given = GivenEstimate::Analyst {
            probability: p(0.4),
            note: "the context".into(),
            term: Some(unlikely()),
        };
        assert_eq!(given.term(), Some(&unlikely()));
        let estimate = given.read(Some(p(0.3))).unwrap();
        assert_eq!(estimate.probability(), p(0.4));
        assert_eq!(estimate.note(), Some("the context"));
    }
}

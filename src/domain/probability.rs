use std::fmt;

/// A probability that a proposition is true, always within [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Probability(f64);

/// A probability is written as its number wherever it is serialised (the JSON API).
impl serde::Serialize for Probability {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbabilityError {
    #[error("must be a number between 0 and 1 (or a percentage such as 35%)")]
    NotANumber,
    #[error("must be between 0 and 1 (or 0% and 100%)")]
    OutOfRange,
}

impl Probability {
    pub const EVEN: Probability = Probability(0.5);

    pub fn new(value: f64) -> Result<Self, ProbabilityError> {
        if value.is_nan() {
            return Err(ProbabilityError::NotANumber);
        }
        if !(0.0..=1.0).contains(&value) {
            return Err(ProbabilityError::OutOfRange);
        }
        Ok(Self(value))
    }

    /// Reads "0.35", "35%" or "35 %". A bare number above 1 is refused rather than guessed to
    /// be a percentage: "1.5" is far more often a typo than 1.5%.
    pub fn parse(input: &str) -> Result<Self, ProbabilityError> {
        let trimmed = input.trim();
        if let Some(percent) = trimmed.strip_suffix('%') {
            let value: f64 = percent
                .trim()
                .parse()
                .map_err(|_| ProbabilityError::NotANumber)?;
            return Self::new(value / 100.0);
        }
        let value: f64 = trimmed.parse().map_err(|_| ProbabilityError::NotANumber)?;
        Self::new(value)
    }

    pub fn value(self) -> f64 {
        self.0
    }

    /// As a reader sees it: "35%", "12.5%", "0.5%".
    pub fn percent(self) -> String {
        let pct = self.0 * 100.0;
        let rounded = (pct * 10.0).round() / 10.0;
        if (rounded - rounded.round()).abs() < 1e-9 {
            format!("{}%", rounded.round() as i64)
        } else {
            format!("{rounded:.1}%")
        }
    }
}

/// How a stored number becomes a probability: a value outside [0, 1] is an error, never a
/// quiet 50%.
impl TryFrom<f64> for Probability {
    type Error = ProbabilityError;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl fmt::Display for Probability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.percent())
    }
}

/// Where a prediction's number came from. The design requires it to be recorded and shown,
/// because a number read off "highly unlikely" is a weaker claim than one the expert said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbabilityBasis {
    /// The expert stated a number.
    Stated,
    /// The estimative scale applied to the expert's hedge words.
    Scale,
    /// An analyst's explicit judgement, with a reason.
    Analyst,
}

impl ProbabilityBasis {
    pub const ALL: [Self; 3] = [Self::Stated, Self::Scale, Self::Analyst];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stated => "stated",
            Self::Scale => "scale",
            Self::Analyst => "analyst",
        }
    }

    /// The basis `as_str` names `input`: the names are written once, there.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|basis| basis.as_str() == input)
    }

    /// How a reader is told where the number came from.
    pub fn label(self) -> &'static str {
        match self {
            Self::Stated => "stated by the expert",
            Self::Scale => "from the estimative scale",
            Self::Analyst => "analyst's judgement",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_number_outside_the_interval_is_an_error_not_even_odds() {
        assert!(Probability::try_from(1.5).is_err());
        assert!(Probability::try_from(-0.1).is_err());
        assert!(Probability::try_from(f64::NAN).is_err());
        assert_eq!(
            Probability::try_from(0.25).map(Probability::value),
            Ok(0.25)
        );
    }

    #[test]
    fn accepts_the_closed_unit_interval() {
        assert_eq!(Probability::new(0.0).map(Probability::value), Ok(0.0));
        assert_eq!(Probability::new(1.0).map(Probability::value), Ok(1.0));
        assert_eq!(Probability::new(0.35).map(Probability::value), Ok(0.35));
    }

    #[test]
    fn refuses_values_outside_it_and_nan() {
        assert_eq!(Probability::new(1.5), Err(ProbabilityError::OutOfRange));
        assert_eq!(Probability::new(-0.01), Err(ProbabilityError::OutOfRange));
        assert_eq!(
            Probability::new(f64::NAN),
            Err(ProbabilityError::NotANumber)
        );
        assert_eq!(
            Probability::new(f64::INFINITY),
            Err(ProbabilityError::OutOfRange)
        );
    }

    #[test]
    fn parses_decimals_and_percentages() {
        assert_eq!(
            Probability::parse(" 0.25 ").map(Probability::value),
            Ok(0.25)
        );
        assert_eq!(Probability::parse("35%").map(Probability::value), Ok(0.35));
        assert_eq!(
            Probability::parse("12.5 %").map(Probability::value),
            Ok(0.125)
        );
        assert_eq!(Probability::parse("1.5"), Err(ProbabilityError::OutOfRange));
        assert_eq!(
            Probability::parse("150%"),
            Err(ProbabilityError::OutOfRange)
        );
        assert_eq!(
            Probability::parse("likely"),
            Err(ProbabilityError::NotANumber)
        );
        assert_eq!(Probability::parse(""), Err(ProbabilityError::NotANumber));
    }

    #[test]
    fn shows_as_a_percentage_with_at_most_one_decimal() {
        let show = |v: f64| Probability::new(v).map(Probability::percent);
        assert_eq!(show(0.35), Ok("35%".to_string()));
        assert_eq!(show(0.125), Ok("12.5%".to_string()));
        assert_eq!(show(0.325), Ok("32.5%".to_string()));
        assert_eq!(show(0.0), Ok("0%".to_string()));
        assert_eq!(show(1.0), Ok("100%".to_string()));
        assert_eq!(show(0.975), Ok("97.5%".to_string()));
    }

    #[test]
    fn basis_round_trips_through_its_name() {
        for basis in ProbabilityBasis::ALL {
            assert_eq!(ProbabilityBasis::parse(basis.as_str()), Some(basis));
        }
        assert_eq!(ProbabilityBasis::parse("guess"), None);
    }
}

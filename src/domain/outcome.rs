use super::Probability;

/// The recorded outcome of a proposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    True,
    False,
    /// Cannot be decided; never scored.
    Annulled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::True => "true",
            Self::False => "false",
            Self::Annulled => "annulled",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "true" => Some(Self::True),
            "false" => Some(Self::False),
            "annulled" => Some(Self::Annulled),
            _ => None,
        }
    }

    /// What a reader is told: the proposition "came true", "did not happen", "was annulled".
    pub fn label(self) -> &'static str {
        match self {
            Self::True => "True",
            Self::False => "False",
            Self::Annulled => "Annulled",
        }
    }

    /// 1 for true, 0 for false; annulled propositions have no value to score against.
    pub fn as_binary(self) -> Option<f64> {
        match self {
            Self::True => Some(1.0),
            Self::False => Some(0.0),
            Self::Annulled => None,
        }
    }
}

/// Written as it is stored ("true", "false", "annulled"): the pages' class names use it.
impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How one prediction fared, by the design's rule: right if p > 0.5 and it happened, or
/// p < 0.5 and it did not; wrong in the opposite cases; no call at exactly 0.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Right,
    Wrong,
    NoCall,
    /// The proposition has no outcome yet (or none as of the moment asked about).
    Pending,
    /// The proposition was annulled: not scored.
    Annulled,
}

impl Verdict {
    pub fn of(probability: Probability, outcome: Option<Outcome>) -> Self {
        let Some(outcome) = outcome else {
            return Self::Pending;
        };
        let Some(happened) = outcome.as_binary() else {
            return Self::Annulled;
        };
        let p = probability.value();
        if p == 0.5 {
            Self::NoCall
        } else if (p > 0.5) == (happened == 1.0) {
            Self::Right
        } else {
            Self::Wrong
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Right => "right",
            Self::Wrong => "wrong",
            Self::NoCall => "no_call",
            Self::Pending => "pending",
            Self::Annulled => "annulled",
        }
    }

    /// The word shown beside the mark: right and wrong are never told by colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Self::Right => "Right",
            Self::Wrong => "Wrong",
            Self::NoCall => "No call",
            Self::Pending => "Pending",
            Self::Annulled => "Annulled",
        }
    }

    /// A mark that reads without colour: tick, cross, circle, ellipsis, slash.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Right => "\u{2713}",
            Self::Wrong => "\u{2717}",
            Self::NoCall => "\u{25CB}",
            Self::Pending => "\u{2026}",
            Self::Annulled => "\u{2300}",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: f64) -> Probability {
        Probability::new(v).unwrap()
    }

    #[test]
    fn confident_and_correct_is_right() {
        assert_eq!(Verdict::of(p(0.9), Some(Outcome::True)), Verdict::Right);
        assert_eq!(Verdict::of(p(0.1), Some(Outcome::False)), Verdict::Right);
        assert_eq!(Verdict::of(p(0.51), Some(Outcome::True)), Verdict::Right);
    }

    #[test]
    fn confident_and_mistaken_is_wrong() {
        assert_eq!(Verdict::of(p(0.15), Some(Outcome::True)), Verdict::Wrong);
        assert_eq!(Verdict::of(p(0.675), Some(Outcome::False)), Verdict::Wrong);
    }

    #[test]
    fn exactly_even_is_no_call() {
        assert_eq!(Verdict::of(p(0.5), Some(Outcome::True)), Verdict::NoCall);
        assert_eq!(Verdict::of(p(0.5), Some(Outcome::False)), Verdict::NoCall);
    }

    #[test]
    fn unresolved_and_annulled_are_never_scored() {
        assert_eq!(Verdict::of(p(0.9), None), Verdict::Pending);
        assert_eq!(
            Verdict::of(p(0.9), Some(Outcome::Annulled)),
            Verdict::Annulled
        );
    }

    #[test]
    fn outcome_round_trips_through_its_name() {
        for o in [Outcome::True, Outcome::False, Outcome::Annulled] {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Outcome::parse("maybe"), None);
    }
}

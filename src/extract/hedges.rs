//! Hedge words to a probability. A term of an estimative scale in the database ("likely",
//! "highly unlikely", "almost certain") is read as that term's number, from the first scale (in
//! the database's order) that has it. Words that no official scale has ("may", "will",
//! "expected to", "slim") are read from the lexicon below; each reading names its basis, and
//! docs/extraction.md gives the sources in full. A number the speaker stated wins over words.
//!
//! Survey medians come from the Mauboussin & Mauboussin survey (Harvard Business Review, July
//! 2018; the raw answers are published with it), read over 256 of its answers.

use super::{Knowledge, KnownScaleTerm};

/// What a candidate's probability is read from, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub probability: f64,
    pub scale: Option<String>,
    pub scale_term: Option<String>,
    pub reason: String,
    /// A word of likelihood or a number ("likely", "slim", "22%"), as against a bare modal
    /// verb or an expectation: the writer's own voice is proposed only with one of these.
    pub likelihood: bool,
}

impl Reading {
    /// A reading that no estimative scale gives: from the lexicon, or a stated number.
    fn off_any_scale(probability: f64, reason: String, likelihood: bool) -> Self {
        Self {
            probability,
            scale: None,
            scale_term: None,
            reason,
            likelihood,
        }
    }
}

/// One reading of the lexicon.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The words, lower case, as the trigger finder names them.
    pub key: &'static str,
    pub probability: f64,
    pub basis: &'static str,
    pub likelihood: bool,
}

/// The Mauboussin & Mauboussin survey's median for `$words`, e.g. "'likely'" and "70%".
macro_rules! survey_median {
    ($words:literal, $median:literal) => {
        concat!(
            "Mauboussin & Mauboussin survey, HBR 2018: median for ",
            $words,
            " (",
            $median,
            ")"
        )
    };
}

const WILL: &str = "a flat statement of the future; no survey measures it: read as Kent 1964 'almost certain' (93%)";
const WONT: &str = "the mirror of 'will': Kent 1964 'almost certainly not' (7%)";
const WOULD: &str = "'will' at one remove (reported speech, or under a condition); no survey measures it: read as Kent 1964 'probable' (75%)";
const WOULDNT: &str = "the mirror of 'would' (Kent 1964 'probable', 75%)";
const MAY: &str = "bare possibility: median of 'maybe', 'possibly' and 'might happen' in the Mauboussin & Mauboussin survey, HBR 2018 (50%)";
const MAY_NOT: &str =
    "the mirror of 'may' (Mauboussin & Mauboussin 2018 median for bare possibility, 50%)";
const EXPECTED: &str =
    "the speaker's expectation; no survey measures it: read as Kent 1964 'probable' (75%)";
const NOT_EXPECTED: &str = "the mirror of 'expected to' (Kent 1964 'probable', 75%)";
const SET_TO: &str =
    "said to be on its way, not yet certain: ICD 203 'very likely' (80-95%, midpoint)";
const PREDICT: &str =
    "a prediction stated without a hedge, read like 'will': Kent 1964 'almost certain' (93%)";
const PROBABLY: &str = survey_median!("'probably'", "70%");
const LIKELY: &str = survey_median!("'likely'", "70%");
const UNLIKELY: &str = survey_median!("'unlikely'", "20%");
const POSSIBLY: &str = survey_median!("'possibly' and 'maybe'", "50%");
const REAL: &str = survey_median!("'real possibility'", "60%");
const SERIOUS: &str = survey_median!("'serious possibility'", "70%");
const FAIR: &str = "Good Judgment workshop poll: median for 'fair chance' (60%)";
const HIGH: &str = survey_median!("'with high probability'", "80%");
const LOW: &str = survey_median!("'with low probability'", "15%");
const NO_CHANCE: &str = "read as ICD 203 'almost no chance' (1-5%)";
const EVEN: &str = "read as ICD 203 'roughly even chance' (45-55%)";
const CERTAINLY: &str = survey_median!("'certainly'", "95%");
const ALMOST_CERTAINLY: &str = survey_median!("'almost certainly'", "95%");
const DOUBTFUL: &str = "read as Kent 1964 'probably not' (30%)";

const fn entry(
    key: &'static str,
    probability: f64,
    basis: &'static str,
    likelihood: bool,
) -> Entry {
    Entry {
        key,
        probability,
        basis,
        likelihood,
    }
}

/// The lexicon of news hedges that no official scale has.
pub const LEXICON: &[Entry] = &[
    entry("will", 0.93, WILL, false),
    entry("shall", 0.93, WILL, false),
    entry("going to", 0.93, WILL, false),
    entry("won't", 0.07, WONT, false),
    entry("will not", 0.07, WONT, false),
    entry("will never", 0.07, WONT, false),
    entry("not going to", 0.07, WONT, false),
    entry("would", 0.75, WOULD, false),
    entry("wouldn't", 0.25, WOULDNT, false),
    entry("would not", 0.25, WOULDNT, false),
    entry("would never", 0.25, WOULDNT, false),
    entry("may", 0.5, MAY, false),
    entry("might", 0.5, MAY, false),
    entry("could", 0.5, MAY, false),
    entry("may not", 0.5, MAY_NOT, false),
    entry("might not", 0.5, MAY_NOT, false),
    entry("expected to", 0.75, EXPECTED, false),
    entry("expected", 0.75, EXPECTED, false),
    entry("expect", 0.75, EXPECTED, false),
    entry("anticipate", 0.75, EXPECTED, false),
    entry("not expected to", 0.25, NOT_EXPECTED, false),
    entry("set to", 0.875, SET_TO, false),
    entry("poised to", 0.875, SET_TO, false),
    entry("on track to", 0.875, SET_TO, false),
    entry("on course to", 0.875, SET_TO, false),
    entry("bound to", 0.875, SET_TO, false),
    entry("predict", 0.93, PREDICT, false),
    entry("forecast", 0.93, PREDICT, false),
    entry("project", 0.93, PREDICT, false),
    entry("foresee", 0.93, PREDICT, false),
    entry("probably", 0.7, PROBABLY, true),
    entry("likely", 0.7, LIKELY, true),
    entry("unlikely", 0.2, UNLIKELY, true),
    entry("not likely", 0.2, UNLIKELY, true),
    entry("possibly", 0.5, POSSIBLY, true),
    entry("perhaps", 0.5, POSSIBLY, true),
    entry("maybe", 0.5, POSSIBLY, true),
    entry("possible", 0.5, POSSIBLY, true),
    entry("possibility", 0.5, POSSIBLY, true),
    entry("chance", 0.5, POSSIBLY, true),
    entry("real possibility", 0.6, REAL, true),
    entry("real chance", 0.6, REAL, true),
    entry("serious possibility", 0.7, SERIOUS, true),
    entry("distinct possibility", 0.7, SERIOUS, true),
    entry("strong possibility", 0.7, SERIOUS, true),
    entry("good possibility", 0.7, SERIOUS, true),
    entry("good chance", 0.7, SERIOUS, true),
    entry("strong chance", 0.7, SERIOUS, true),
    entry("fair chance", 0.6, FAIR, true),
    entry("decent chance", 0.6, FAIR, true),
    entry("high probability", 0.8, HIGH, true),
    entry("high chance", 0.8, HIGH, true),
    entry("high possibility", 0.8, HIGH, true),
    entry("high likelihood", 0.8, HIGH, true),
    entry("low probability", 0.15, LOW, true),
    entry("low chance", 0.15, LOW, true),
    entry("low possibility", 0.15, LOW, true),
    entry("low likelihood", 0.15, LOW, true),
    entry("slim chance", 0.15, LOW, true),
    entry("slim possibility", 0.15, LOW, true),
    entry("small chance", 0.15, LOW, true),
    entry("small possibility", 0.15, LOW, true),
    entry("little chance", 0.15, LOW, true),
    entry("slight chance", 0.15, LOW, true),
    entry("slim", 0.15, LOW, true),
    entry("low", 0.15, LOW, true),
    entry("small", 0.15, LOW, true),
    entry("no chance", 0.03, NO_CHANCE, true),
    entry("zero chance", 0.03, NO_CHANCE, true),
    entry("no possibility", 0.03, NO_CHANCE, true),
    entry("even chance", 0.5, EVEN, true),
    entry("fifty-fifty", 0.5, EVEN, true),
    entry("50-50", 0.5, EVEN, true),
    entry("toss-up", 0.5, EVEN, true),
    entry("certainly", 0.95, CERTAINLY, true),
    entry("definitely", 0.95, CERTAINLY, true),
    entry("surely", 0.95, CERTAINLY, true),
    entry("inevitable", 0.95, CERTAINLY, true),
    entry("all but certain", 0.95, ALMOST_CERTAINLY, true),
    entry("virtually certain", 0.95, ALMOST_CERTAINLY, true),
    entry("near certain", 0.95, ALMOST_CERTAINLY, true),
    entry("almost certainly", 0.95, ALMOST_CERTAINLY, true),
    entry("doubtful", 0.3, DOUBTFUL, true),
];

/// The lexicon's entry for `key`.
pub fn lexicon(key: &str) -> Option<&'static Entry> {
    LEXICON.iter().find(|e| e.key == key)
}

/// The scale term these words are a form of: the words themselves, or the adjective of an
/// adverb ("almost certainly" → "almost certain", "probably" → "probable").
fn scale_forms(key: &str) -> Vec<String> {
    let mut forms = vec![key.to_string()];
    if let Some(stem) = key.strip_suffix("bly") {
        forms.push(format!("{stem}ble"));
    } else if let Some(stem) = key.strip_suffix("ly")
        && !key.ends_with("likely")
    {
        forms.push(stem.to_string());
    }
    if let Some(rest) = key
        .strip_prefix("most ")
        .or_else(|| key.strip_prefix("more "))
    {
        forms.push(rest.to_string());
    }
    for noun in [" possibility", " chance", " probability"] {
        if let Some(adjective) = key.strip_suffix(noun) {
            forms.push(adjective.to_string());
        }
    }
    forms
}

fn scale_term<'a>(key: &str, known: &'a Knowledge) -> Option<&'a KnownScaleTerm> {
    scale_forms(key).iter().find_map(|form| {
        known
            .scale_terms
            .iter()
            .find(|t| t.term.eq_ignore_ascii_case(form))
    })
}

/// Reads hedge words: `key` is their lexicon form, `printed` the words as the article has them.
pub fn read(key: &str, printed: &str, known: &Knowledge) -> Option<Reading> {
    if let Some(term) = scale_term(key, known) {
        return Some(Reading {
            probability: term.probability,
            scale: Some(term.scale.clone()),
            scale_term: Some(term.term.clone()),
            reason: format!(
                "'{printed}' read as the {} term '{}': {}",
                term.scale,
                term.term,
                round(term.probability)
            ),
            likelihood: true,
        });
    }
    let e = lexicon(key)?;
    let reason = format!("'{printed}' read as {} ({})", round(e.probability), e.basis);
    Some(Reading::off_any_scale(e.probability, reason, e.likelihood))
}

/// A probability the speaker stated ("22%", "55 of 82 economists", "one in three").
pub fn stated(probability: f64, printed: &str) -> Reading {
    let p = probability.clamp(0.0, 1.0);
    let reason = format!("'{printed}' is a stated number: {} as stated", round(p));
    Reading::off_any_scale(p, reason, true)
}

fn round(p: f64) -> String {
    let s = format!("{p:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "forty-one", "58", "1,200", "three" → the number.
pub fn number_word(word: &str) -> Option<f64> {
    let digits: String = word.chars().filter(|c| *c != ',').collect();
    if let Ok(n) = digits.parse::<f64>() {
        return Some(n);
    }
    const UNITS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: &[&str] = &[
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let lower = word.to_lowercase();
    let mut total = 0usize;
    for part in lower.split('-') {
        if let Some(u) = UNITS.iter().position(|u| *u == part) {
            total += u;
        } else if let Some(t) = TENS.iter().position(|t| !t.is_empty() && *t == part) {
            total += t * 10;
        } else if part == "hundred" {
            total = total.max(1) * 100;
        } else {
            return None;
        }
    }
    Some(total as f64)
}

#[cfg(test)]
pub(crate) mod tests;

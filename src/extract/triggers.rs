//! The words that make a clause a forecast: a future or modal verb ("will", "may", "could",
//! "won't", "is going to"), an expectation ("is expected to", "is set to", "is poised to"), a
//! word of likelihood ("is likely to", "it is unlikely that", "the possibility is slim", "a real
//! chance"), or a stated probability ("22%" of a chance, "55 of 82 economists", "one in three").
//! Each is found with the shape of its clause, which the statement is drafted from.

use std::sync::LazyLock;

use super::likelihood::{be_phrase, noun, number};
use super::text::{Span, Word, WordSet};

/// How the predicted clause is built around the trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// "X will VERB ...": the subject before, the verb after.
    Modal,
    /// "X is expected/likely/set/going to VERB ...".
    Infinitive,
    /// "it is unlikely that CLAUSE", "there is a possibility that CLAUSE".
    ThatClause,
    /// "the possibility of X is slim", "X is all but certain".
    Predicate,
    /// "X is expected on Thursday": the event comes at a time.
    Arrives,
    /// A stated number.
    Number,
    /// "X expects Y to VERB": the reporting verb itself.
    Stance,
}

/// A trigger in a sentence's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// The lexicon or scale form of the hedge words.
    pub key: String,
    /// The hedge words as printed.
    pub span: Span,
    /// Word index where the trigger begins (the subject ends before it).
    pub first: usize,
    /// Word index where the predicted clause's verb (or clause) begins.
    pub verb: usize,
    pub shape: Shape,
    pub number: Option<f64>,
    /// Put in the past ("was expected to"): a forecast only in reported speech.
    pub past: bool,
}

pub(super) static BE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "is are am was were be been being it's there's that's he's she's they're \
    we're i'm you're seems seem appears appear looks look remains remain isn't aren't",
    )
});
static MODAL_ADVERBS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "not never also still only even soon eventually ultimately then \
    now very most more highly almost quite well really actually certainly definitely probably \
    possibly likely surely gradually further easily quickly immediately increasingly again all \
    both likewise perhaps seriously greatly hardly just indeed",
    )
});
static WILL_NOUN_PREV: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "the a an his her their its our my your political free good ill \
    public popular strong own of no any whose people's",
    )
});
static MIGHT_NOUN_PREV: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "military economic naval full sheer industrial financial \
    political its the their his her our air nuclear russia's china's",
    )
});
pub(super) static HEDGE_ADJ: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "likely unlikely certain sure probable possible improbable impossible \
    doubtful inevitable",
    )
});
pub(super) static ADJ_MODIFIERS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "very highly more most quite almost extremely increasingly \
    virtually nearly near not all but now also still far fairly pretty rather less",
    )
});
pub(super) static PROB_ADJ: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "slim low small little slight remote real realistic serious \
    distinct strong good fair decent high no zero even significant reasonable 50-50 \
    fifty-fifty",
    )
});
pub(super) static PROB_NOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "possibility possibilities chance chances likelihood probability odds \
    prospect prospects risk",
    )
});
pub(super) static FORECASTERS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "economists analysts experts forecasters strategists respondents \
    traders investors observers scientists participants panelists bankers executives officials \
    members pollsters bookmakers managers researchers",
    )
});
static NOT_VERBS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "the a an his her their its our my this that these those some every \
    all any war court school bed work church town hospital prison jail sea press waste and or \
    to",
    )
});

pub(super) fn is_be(w: &str) -> bool {
    BE.has(w) || w.ends_with("'re")
}

/// An adverb that may stand before a modal as its hedge: "likely will", "almost certainly won't".
pub(super) fn is_hedge_before_modal(word: &str) -> bool {
    matches!(
        word,
        "likely"
            | "probably"
            | "possibly"
            | "certainly"
            | "almost"
            | "very"
            | "most"
            | "highly"
            | "definitely"
            | "surely"
    )
}

pub(super) fn lower(sw: &[Word], i: usize) -> &str {
    sw.get(i).map_or("", |w| w.lower.as_str())
}

pub(super) fn verbish(text: &str, sw: &[Word], i: usize) -> bool {
    sw.get(i).is_some_and(|w| {
        let printed = w.text(text);
        printed
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
            && printed.chars().next().is_some_and(char::is_lowercase)
            && !NOT_VERBS.has(w.lower.as_str())
    })
}

pub(super) fn span(sw: &[Word], a: usize, b: usize) -> Span {
    Span::new(sw[a].span.start, sw[b].span.end)
}

/// The triggers among words[a..b] of a sentence, in order.
pub fn find(text: &str, sw: &[Word], a: usize, b: usize) -> Vec<Trigger> {
    // The piece's words only: a look past its end reads as no word.
    let sw = &sw[..b.min(sw.len())];
    let mut out: Vec<Trigger> = Vec::new();
    let mut i = a;
    while i < b {
        let found = number(text, sw, a, i, b)
            .or_else(|| first_person_stance(sw, a, i, b))
            .or_else(|| modal(text, sw, a, i, b))
            .or_else(|| be_phrase(text, sw, a, i, b))
            .or_else(|| noun(sw, a, i, b));
        match found {
            Some(t) => {
                i = i.max(t.verb).max(i + 1);
                if t.shape == Shape::ThatClause
                    || t.shape == Shape::Predicate
                    || t.shape == Shape::Number
                {
                    i = i.max(t.first + 1);
                }
                out.push(t);
            }
            None => i += 1,
        }
    }
    out
}

fn modal(text: &str, sw: &[Word], a: usize, i: usize, b: usize) -> Option<Trigger> {
    let w = &sw[i];
    let printed = w.text(text);
    let prev = if i > a { lower(sw, i - 1) } else { "" };
    let (base, mut negated) = match w.lower.as_str() {
        "will" | "shall" if !WILL_NOUN_PREV.has(prev) => ("will", false),
        "won't" => ("will", true),
        "would" => ("would", false),
        "wouldn't" => ("would", true),
        "may" if printed == "may" => ("may", false),
        "might" if !MIGHT_NOUN_PREV.has(prev) => ("might", false),
        "could" => ("could", false),
        l if l.ends_with("'ll") => ("will", false),
        _ => return None,
    };
    let mut j = i + 1;
    let mut adverbs: Vec<&str> = Vec::new();
    // "X likely will", "X almost certainly won't": the hedge before the modal.
    let mut first = i;
    while first > a && is_hedge_before_modal(lower(sw, first - 1)) {
        first -= 1;
        adverbs.push(lower(sw, first));
    }
    while j < b && MODAL_ADVERBS.has(lower(sw, j)) {
        adverbs.push(lower(sw, j));
        j += 1;
    }
    if adverbs.iter().any(|a| *a == "not" || *a == "never") {
        negated = true;
    }
    if !verbish(text, sw, j) {
        return None;
    }
    let key = modal_key(base, negated, &adverbs)?;
    let past = lower(sw, j) == "have" && sw.get(j + 1).is_some_and(|n| is_participle(&n.lower));
    Some(Trigger {
        key,
        span: span(sw, first, j.saturating_sub(1).max(i)),
        first,
        verb: j,
        shape: Shape::Modal,
        number: None,
        past,
    })
}

/// "We expect the list to pass 8 million", "I predict a narrow win": a speaker's own
/// expectation in a quotation.
fn first_person_stance(sw: &[Word], a: usize, i: usize, b: usize) -> Option<Trigger> {
    let key = match lower(sw, i) {
        "expect" => "expect",
        "predict" => "predict",
        "forecast" => "forecast",
        "anticipate" => "anticipate",
        _ => return None,
    };
    let subject = i.checked_sub(1).filter(|s| *s >= a).map(|s| lower(sw, s))?;
    if !matches!(subject, "i" | "we") || i + 1 >= b {
        return None;
    }
    Some(Trigger {
        key: key.to_string(),
        span: span(sw, i - 1, i),
        first: i + 1,
        verb: i + 1,
        shape: Shape::Stance,
        number: None,
        past: false,
    })
}

fn modal_key(base: &str, negated: bool, adverbs: &[&str]) -> Option<String> {
    let has = |w: &str| adverbs.contains(&w);
    let not_first = |w: &str| {
        let n = adverbs.iter().position(|a| *a == "not" || *a == "never");
        let h = adverbs.iter().position(|a| *a == w);
        matches!((n, h), (Some(n), Some(h)) if n < h)
    };
    let key = if has("likely") {
        let degree = ["very", "highly", "most", "more"]
            .into_iter()
            .find(|d| has(d));
        match (negated, degree) {
            (true, _) => "not likely".to_string(),
            (false, Some(d)) => format!("{d} likely"),
            (false, None) => "likely".to_string(),
        }
    } else if has("probably") {
        if negated && !not_first("probably") {
            "probably not".into()
        } else if negated {
            "not likely".into()
        } else {
            "probably".into()
        }
    } else if has("certainly") && has("almost") {
        if negated {
            "almost certainly not".into()
        } else {
            "almost certainly".into()
        }
    } else if has("certainly") || has("definitely") || has("surely") {
        if negated {
            format!("{base} not")
        } else {
            "certainly".into()
        }
    } else if has("possibly") || has("perhaps") {
        "possibly".into()
    } else if negated {
        match base {
            "could" => return None,
            other => format!("{other} not"),
        }
    } else {
        base.to_string()
    };
    Some(key)
}

fn is_participle(w: &str) -> bool {
    w.ends_with("ed")
        || w.ends_with("en")
        || matches!(
            w,
            "been"
                | "done"
                | "gone"
                | "made"
                | "had"
                | "seen"
                | "won"
                | "lost"
                | "put"
                | "set"
                | "hit"
                | "cut"
                | "left"
                | "brought"
                | "thought"
                | "known"
                | "shown"
                | "grown"
                | "come"
                | "become"
                | "got"
                | "led"
                | "paid"
                | "sold"
                | "held"
                | "told"
        )
}

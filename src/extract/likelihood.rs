//! Words of likelihood and stated numbers: "is likely to", "it is unlikely that", "is all but
//! certain", "is expected to", "is set to", "the possibility is slim", "a real chance", "a 94%
//! chance", "55 of 82 economists", "one in three".

use std::sync::LazyLock;

use super::hedges::number_word;
use super::text::{Span, Word, WordSet};
use super::triggers::{
    ADJ_MODIFIERS, FORECASTERS, HEDGE_ADJ, PROB_ADJ, PROB_NOUNS, Shape, Trigger, is_be, lower,
    span, verbish,
};

/// Where the copula before words[i] is, skipping modifiers; None if there is none.
pub(super) fn copula_before(sw: &[Word], a: usize, i: usize) -> Option<(usize, bool)> {
    let mut j = i;
    let mut negated = false;
    while j > a
        && (ADJ_MODIFIERS.has(lower(sw, j - 1))
            || matches!(
                lower(sw, j - 1),
                "widely" | "generally" | "largely" | "broadly"
            ))
    {
        if lower(sw, j - 1) == "not" {
            negated = true;
        }
        j -= 1;
    }
    if j > a
        && (is_be(lower(sw, j - 1)) || lower(sw, j - 1) == "isn't" || lower(sw, j - 1) == "aren't")
    {
        let be = lower(sw, j - 1);
        return Some((j - 1, negated || be.ends_with("n't")));
    }
    None
}

pub(super) fn be_phrase(text: &str, sw: &[Word], a: usize, i: usize, b: usize) -> Option<Trigger> {
    let w = lower(sw, i);
    let next = lower(sw, i + 1);
    let (be, negated) = copula_before(sw, a, i)?;
    let past = matches!(lower(sw, be), "was" | "were")
        || (lower(sw, be) == "been" && be > a && lower(sw, be - 1) == "had");
    let make = |key: String, verb: usize, shape: Shape, last: usize| Trigger {
        key,
        span: span(sw, be + 1, last),
        first: be,
        verb,
        shape,
        number: None,
        past,
    };
    match w {
        "going" if next == "to" && verbish(text, sw, i + 2) => {
            let key = if negated { "not going to" } else { "going to" };
            Some(make(key.into(), i + 2, Shape::Infinitive, i + 1))
        }
        "expected" => {
            let key = if negated {
                "not expected to"
            } else {
                "expected to"
            };
            match next {
                "to" if verbish(text, sw, i + 2) => {
                    Some(make(key.into(), i + 2, Shape::Infinitive, i + 1))
                }
                "that" => Some(make("expected".into(), i + 2, Shape::ThatClause, i)),
                "in" | "on" | "around" | "by" | "next" | "this" | "within" | "soon" | "shortly"
                | "later" | "until" | "before" | "at" => Some(make(
                    if negated {
                        "not expected to".into()
                    } else {
                        "expected".into()
                    },
                    i + 1,
                    Shape::Arrives,
                    i,
                )),
                _ => None,
            }
        }
        "set" | "poised" | "bound" if next == "to" && verbish(text, sw, i + 2) && !negated => {
            Some(make(format!("{w} to"), i + 2, Shape::Infinitive, i + 1))
        }
        "on" if matches!(next, "track" | "course")
            && lower(sw, i + 2) == "to"
            && verbish(text, sw, i + 3) =>
        {
            Some(make(
                format!("on {next} to"),
                i + 3,
                Shape::Infinitive,
                i + 2,
            ))
        }
        adj if HEDGE_ADJ.has(adj) => hedge_adjective(text, sw, be, i, b, negated)
            .map(|(key, verb, shape, last)| make(key, verb, shape, last)),
        _ => None,
    }
}

fn hedge_adjective(
    text: &str,
    sw: &[Word],
    be: usize,
    i: usize,
    b: usize,
    negated: bool,
) -> Option<(String, usize, Shape, usize)> {
    let adj = lower(sw, i);
    let next = lower(sw, i + 1);
    let modifiers: Vec<&str> = (be + 1..i)
        .map(|j| lower(sw, j))
        .filter(|m| *m != "not" && *m != "now" && *m != "also" && *m != "still")
        .collect();
    let mut key = match (negated, adj) {
        (true, "likely") => "not likely".to_string(),
        (true, _) => return None,
        _ => modifiers
            .iter()
            .copied()
            .chain([adj])
            .collect::<Vec<_>>()
            .join(" "),
    };
    if key.starts_with("far ")
        || key.starts_with("fairly ")
        || key.starts_with("pretty ")
        || key.starts_with("rather ")
        || key.starts_with("less ")
    {
        key = adj.to_string();
    }
    let subject_it =
        be > 0 && matches!(lower(sw, be - 1), "it" | "this") || lower(sw, be) == "it's";
    if next == "to" && verbish(text, sw, i + 2) {
        return Some((key, i + 2, Shape::Infinitive, i));
    }
    let qualified = !modifiers.is_empty() || i + 1 >= b;
    if (adj == "sure" || (adj == "certain" && !qualified)) && next != "that" {
        return None;
    }
    if next == "that" && i + 2 < b {
        return Some((key, i + 2, Shape::ThatClause, i));
    }
    if subject_it && i + 1 < b && !matches!(next, "a" | "an" | "to") {
        return Some((key, i + 1, Shape::ThatClause, i));
    }
    if matches!(next, "a" | "an" | "the") {
        return None;
    }
    Some((key, i + 1, Shape::Predicate, i))
}

/// "a slim possibility", "the chances are slim", "there is a possibility that ...".
pub(super) fn noun(sw: &[Word], a: usize, i: usize, b: usize) -> Option<Trigger> {
    let w = lower(sw, i);
    if !PROB_NOUNS.has(w) {
        return None;
    }
    let canonical = match w {
        "possibility" | "possibilities" => "possibility",
        "likelihood" | "probability" => "probability",
        _ => "chance",
    };
    let before = adjective_before(sw, a, i);
    let adjective = before.or_else(|| predicate_adjective(sw, i, b));
    let that = lower(sw, i + 1) == "that";
    let there = (a..i).any(|j| matches!(lower(sw, j), "there" | "there's"));
    let key = match adjective {
        Some(j) => format!("{} {canonical}", lower(sw, j)),
        // A bare possibility counts when it introduces its event: "there is a possibility
        // that ...", "the chance that ..."; a bare risk never does.
        None if w != "risk" && (that || (there && canonical != "chance")) => canonical.to_string(),
        None => return None,
    };
    let (verb, shape) = if that {
        (i + 2, Shape::ThatClause)
    } else {
        (i + 1, Shape::Predicate)
    };
    let hedge = match adjective {
        Some(j) if j > i => span(sw, j.saturating_sub(1).max(i), j),
        Some(j) => span(sw, j, i),
        None => span(sw, i, i),
    };
    Some(Trigger {
        key,
        span: hedge,
        first: before.unwrap_or(i),
        verb,
        shape,
        number: None,
        past: false,
    })
}

/// "a slim possibility", "a real but small chance": the word of likelihood before the noun.
fn adjective_before(sw: &[Word], a: usize, i: usize) -> Option<usize> {
    for back in 1..=3 {
        let j = i.checked_sub(back).filter(|j| *j >= a)?;
        if PROB_ADJ.has(lower(sw, j)) {
            return Some(j);
        }
        if !matches!(lower(sw, j), "a" | "an" | "the" | "very" | "only" | "but") {
            return None;
        }
    }
    None
}

/// "the possibility of X is slim", "chances are low", "was real but small": the word of
/// likelihood after the copula that follows the noun.
fn predicate_adjective(sw: &[Word], i: usize, b: usize) -> Option<usize> {
    let k = (i + 1..b.min(i + 15)).find(|&k| is_be(lower(sw, k)))?;
    let mut m = k + 1;
    while m < b && DEGREE.has(lower(sw, m)) {
        m += 1;
    }
    if !PROB_ADJ.has(lower(sw, m)) {
        return None;
    }
    if lower(sw, m + 1) == "but" && PROB_ADJ.has(lower(sw, m + 2)) {
        return Some(m + 2);
    }
    Some(m)
}

/// Words of degree between a copula and its adjective.
static DEGREE: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("very quite extremely relatively rather now also still fairly"));

/// A stated probability: "a 94% chance", "put her chances at 80 percent", "55 of 82
/// economists", "one in three".
pub(super) fn number(text: &str, sw: &[Word], a: usize, i: usize, b: usize) -> Option<Trigger> {
    let w = &sw[i];
    let value = number_word(&w.lower)?;
    let after = text.get(w.span.end..).unwrap_or("");
    let percent_sign = after.trim_start_matches(' ').starts_with('%');
    let percent_word = matches!(lower(sw, i + 1), "percent" | "pct")
        || (lower(sw, i + 1) == "per" && lower(sw, i + 2) == "cent");
    let make = |p: f64, last: usize, end: usize| Trigger {
        key: String::new(),
        span: Span::new(w.span.start, end.max(sw[last].span.end)),
        first: i,
        verb: last + 1,
        shape: Shape::Number,
        number: Some(p),
        past: false,
    };
    if percent_sign || percent_word {
        let first = i + 1 + usize::from(percent_word);
        let ahead = (first..(first + 2).min(b)).any(|j| PROB_NOUNS.has(lower(sw, j)))
            || matches!(lower(sw, first), "likely" | "certain" | "probable" | "sure");
        let before = (a..i).any(|j| PROB_NOUNS.has(lower(sw, j)));
        if !(ahead || before) || value > 100.0 {
            return None;
        }
        let last = if percent_word {
            i + 1 + usize::from(lower(sw, i + 1) == "per")
        } else {
            i
        };
        let end = if percent_sign {
            w.span.end + after.find('%').map_or(0, |p| p + 1)
        } else {
            0
        };
        return Some(make(value / 100.0, last.min(sw.len() - 1), end));
    }
    if lower(sw, i + 1) == "of" && i + 3 < b {
        let whole = number_word(lower(sw, i + 2))?;
        let plural = lower(sw, i + 3);
        if whole > 0.0 && value <= whole && FORECASTERS.has(plural) {
            return Some(make(value / whole, i + 3, 0));
        }
    }
    let of = match (lower(sw, i + 1), lower(sw, i + 2)) {
        ("in", _) => i + 2,
        ("out", "of") => i + 3,
        _ => return None,
    };
    let whole = number_word(lower(sw, of))?;
    // "a one in three chance", "odds of 1 in 3".
    let chance = (of + 1..(of + 3).min(b)).any(|j| PROB_NOUNS.has(lower(sw, j)))
        || (i.saturating_sub(6).max(a)..i).any(|j| PROB_NOUNS.has(lower(sw, j)));
    (chance && whole > 0.0 && value <= whole).then(|| make(value / whole, of, 0))
}

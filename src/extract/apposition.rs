//! Appositions and instruments: what is set off after a speaker's name ("Lim Eul-chul, a
//! professor of North Korean studies at Kyungnam University in Seoul,": the title and the
//! affiliation), and the owner of a forecasting instrument ("Opta's supercomputer").

use std::sync::LazyLock;

use super::SpeakerKind;
use super::phrases::Found;
use super::speakers::{Speaker, is_name_word, is_role};
use super::text::{Span, Word, WordSet};

/// Whether words[start..end] name a role ("professor", "analysts").
pub fn has_role(words: &[Word], start: usize, end: usize) -> bool {
    words[start..end.min(words.len())]
        .iter()
        .take(8)
        .any(|w| is_role(&w.lower))
}

/// "of the King's Fund", "from Goldman Sachs": an affiliation set off after a name.
fn of_place(words: &[Word], start: usize, end: usize) -> bool {
    end > start + 1 && matches!(words[start].lower.as_str(), "of" | "from" | "at" | "with")
}

/// Things that forecast for their owner ("Opta's supercomputer", "the Fed's model").
static INSTRUMENTS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "model models supercomputer forecast forecasts projection projections \
    survey poll polls analysis simulation simulations modelling modeling estimate estimates",
    )
});

/// "Data firm Opta's supercomputer" → Opta: the owner of a forecasting instrument.
pub fn possessor(text: &str, words: &[Word], start: usize, end: usize) -> Option<Found> {
    let last = end.checked_sub(1).filter(|l| *l > start)?;
    if !INSTRUMENTS.has(&words[last].lower) {
        return None;
    }
    let owner = (start..last)
        .rev()
        .find(|&j| words[j].lower.ends_with("'s"))?;
    let printed = words[owner].text(text);
    let name = printed.trim_end_matches("'s").trim_end_matches("’s");
    if !name.chars().next().is_some_and(char::is_uppercase) || last - owner > 2 {
        return None;
    }
    let speaker = Speaker {
        name: name.to_string(),
        kind: SpeakerKind::Collective,
        title: None,
        affiliation: None,
    };
    Some(Found {
        speaker,
        start,
        end,
    })
}

/// Whether words[start..end] read as an apposition: a role ("a professor at ...", "Senior
/// Research Fellow at ...", "researchers at ...").
pub fn is_apposition(words: &[Word], start: usize, end: usize) -> bool {
    static QUANTIFIERS: LazyLock<WordSet> = LazyLock::new(|| {
        WordSet::new("many some most several few all both other others two three")
    });
    if end <= start || end > words.len() || end - start > 30 {
        return false;
    }
    let article = matches!(words[start].lower.as_str(), "a" | "an" | "the");
    (article || of_place(words, start, end) || has_role(words, start, end))
        && !QUANTIFIERS.has(&words[start].lower)
}

/// Title and affiliation from an apposition: "a professor of North Korean studies at Kyungnam
/// University in Seoul" → ("professor of North Korean studies", "Kyungnam University").
pub fn title_and_affiliation(
    text: &str,
    words: &[Word],
    start: usize,
    end: usize,
) -> (Option<String>, Option<String>) {
    let mut s = start;
    if of_place(words, start, end) {
        let mut a = start + 1;
        if words[a].lower == "the" {
            a += 1;
        }
        let affiliation = (a < end).then(|| {
            Span::new(words[a].span.start, words[end - 1].span.end)
                .of(text)
                .to_string()
        });
        return (None, affiliation);
    }
    if matches!(
        words.get(s).map(|w| w.lower.as_str()),
        Some("a" | "an" | "the")
    ) {
        s += 1;
    }
    let end = (s..end)
        .find(|&i| matches!(words[i].lower.as_str(), "who" | "which" | "whose"))
        .unwrap_or(end);
    if s >= end {
        return (None, None);
    }
    let split = ["at", "with", "from", "of", "for"].iter().find_map(|prep| {
        (s + 1..end).find(|&i| {
            words[i].lower == *prep && {
                let mut j = i + 1;
                while j < end
                    && (words[j].lower == "the" || !is_name_word(&words[j], text))
                    && j - i < 3
                {
                    j += 1;
                }
                j < end && is_name_word(&words[j], text)
            }
        })
    });
    let whole = |a: usize, b: usize| {
        Span::new(words[a].span.start, words[b - 1].span.end)
            .of(text)
            .to_string()
    };
    let Some(at) = split else {
        return (Some(whole(s, end)), None);
    };
    let mut a = at + 1;
    while a < end && !is_name_word(&words[a], text) {
        a += 1;
    }
    let mut b = a;
    while b < end
        && !(words[b].lower == "in"
            && words.get(b + 1).is_some_and(|w| is_name_word(w, text))
            && b > a)
    {
        b += 1;
    }
    let affiliation = (a < b).then(|| {
        let span = Span::new(words[a].span.start, words[b - 1].span.end);
        // Keep a closing parenthesis that belongs to the name: "(KINU)".
        let after = text.get(span.end..).unwrap_or("");
        if after.starts_with(')') {
            Span::new(span.start, span.end + 1).of(text).to_string()
        } else {
            span.of(text).to_string()
        }
    });
    (Some(whole(s, at)), affiliation)
}

//! The noun phrases that name a speaker: a name with its title words ("County elections
//! director Frank Mueller"), two names joined by "and", or a description ending in a noun of
//! people ("Forty-one of 58 economists", "analysts at Fenwick", "two people familiar with the
//! matter"); and an apposition's title and affiliation.

use std::sync::LazyLock;

use super::SpeakerKind;
use super::speakers::{
    BREAKS, ORG_WORDS, PREPOSITIONS, Registry, Speaker, is_human_noun, is_name_word, is_role,
    person, strip_titles,
};
use super::text::{NAME_PARTICLES, NAME_TITLES, Span, Word, WordSet};

/// A noun phrase found in the text: who it names and the words it covers.
#[derive(Debug, Clone)]
pub struct Found {
    pub speaker: Speaker,
    /// Word indices [start, end) of the phrase.
    pub start: usize,
    pub end: usize,
}

/// A passage as the phrase readers take it: its text, its words, and the speakers named so far.
#[derive(Clone, Copy)]
pub struct Passage<'a> {
    pub text: &'a str,
    pub words: &'a [Word],
    pub reg: &'a Registry,
}

impl<'a> Passage<'a> {
    pub fn new(text: &'a str, words: &'a [Word], reg: &'a Registry) -> Self {
        Self { text, words, reg }
    }

    /// The speaker named by words[start..end] when they end in a name (or two joined by "and"),
    /// with any title words before it.
    pub fn name_phrase(self, start: usize, end: usize) -> Option<Found> {
        let Passage { text, words, reg } = self;
        if end <= start || !is_name_word(&words[end - 1], text) {
            return None;
        }
        let mut run_start = end;
        while run_start > start {
            let w = &words[run_start - 1];
            let joins = (NAME_PARTICLES.has(w.lower.as_str())
                || w.lower == "and"
                || w.lower == "&"
                || w.lower == "of"
                || w.lower == "for")
                && run_start - 1 > start
                && is_name_word(&words[run_start - 2], text);
            if is_name_word(w, text) || joins {
                run_start -= 1;
            } else {
                break;
            }
        }
        if run_start > start && PREPOSITIONS.has(words[run_start - 1].lower.as_str()) {
            return None;
        }
        if end - run_start == 1 && is_human_noun(&words[run_start].lower) {
            return None;
        }
        let title_start = title_before(words, text, start, run_start);
        let speaker = classify_run(text, words, run_start, end, title_start, reg);
        Some(Found {
            speaker,
            start: title_start.unwrap_or(run_start),
            end,
        })
    }

    /// The speaker named by a description starting at words[start] ("a senior presidential
    /// official", "Experts in Seoul", "Analysts at Northgate Securities", "two people familiar with
    /// the matter", "some"), or a pronoun resolved; the phrase ends with its head noun and the
    /// phrases that say where the speakers are from.
    pub fn description(self, start: usize, end: usize) -> Option<Found> {
        let Passage { text, words, reg } = self;
        let mut s = start;
        while s < end && DISCOURSE.has(&words[s].lower) {
            s += 1;
        }
        if s >= end {
            return None;
        }
        let first = words[s].lower.as_str();
        if matches!(first, "he" | "she" | "they" | "it") {
            let speaker = reg.pronoun(first, words[s].span.start)?;
            return Some(Found {
                speaker,
                start: s,
                end: s + 1,
            });
        }
        let head = head_noun(words, s, end).or_else(|| {
            let last_break = (s + 1..end)
                .rev()
                .find(|&i| BREAKS.has(words[i].lower.as_str()))?;
            s = last_break + 1;
            head_noun(words, s, end)
        })?;
        if head - s > 7 {
            return None;
        }
        let e = extend_places(text, words, joined(words, head + 1, end), end);
        let span = Span::new(words[s].span.start, words[e - 1].span.end);
        let affiliation = affiliation_in(text, words, head + 1, e);
        let speaker = Speaker {
            name: span.of(text).to_string(),
            kind: SpeakerKind::Collective,
            title: None,
            affiliation,
        };
        Some(Found {
            speaker,
            start: s,
            end: e,
        })
    }
}

/// Where title words before a name start ("County elections director Frank Mueller").
fn title_before(words: &[Word], text: &str, start: usize, run_start: usize) -> Option<usize> {
    let mut i = run_start;
    while i > start && run_start - i < 6 {
        let w = &words[i - 1];
        let titled = NAME_TITLES.has(w.lower.as_str())
            || is_role(&w.lower)
            || is_name_word(w, text)
            || matches!(
                w.lower.as_str(),
                "former" | "elections" | "state" | "party" | "city" | "county" | "national"
            );
        if !titled || BREAKS.has(w.lower.as_str()) {
            break;
        }
        i -= 1;
    }
    (i < run_start).then_some(i)
}

fn classify_run(
    text: &str,
    words: &[Word],
    start: usize,
    end: usize,
    title_start: Option<usize>,
    reg: &Registry,
) -> Speaker {
    let parts: Vec<(usize, usize)> = split_and(words, start, end);
    let mut title = title_start.map(|t| {
        Span::new(words[t].span.start, words[start - 1].span.end)
            .of(text)
            .to_string()
    });
    if parts.len() >= 2 && parts.iter().all(|&(s, e)| person_like(words, s, e)) {
        let names: Vec<String> = parts
            .iter()
            .map(|&(s, e)| resolve_name(text, words, s, e, reg).name)
            .collect();
        return Speaker {
            name: names.join(" and "),
            kind: SpeakerKind::Group,
            title,
            affiliation: None,
        };
    }
    let (name_start, run_title) = strip_titles(words, start, end);
    if let Some(t) = run_title {
        let t = t.of(text).to_string();
        title = Some(match title {
            Some(before) => format!("{before} {t}"),
            None => t,
        });
    }
    // "Professor Helen Ortiz of Georgetown Law": a person, then where they are from.
    let of = (name_start + 2..end).find(|&j| words[j].lower == "of");
    let (name_end, affiliation) = match of {
        Some(j) if person_like(words, name_start, j) && j + 1 < end => {
            let from = Span::new(words[j + 1].span.start, words[end - 1].span.end);
            (j, Some(from.of(text).to_string()))
        }
        _ => (end, None),
    };
    if person_like(words, name_start, name_end) {
        let mut s = resolve_name(text, words, name_start, name_end, reg);
        if title.is_some() {
            s.title = title;
        }
        if affiliation.is_some() {
            s.affiliation = affiliation;
        }
        return s;
    }
    let name = Span::new(words[start].span.start, words[end - 1].span.end)
        .of(text)
        .to_string();
    Speaker {
        name,
        kind: SpeakerKind::Collective,
        title: None,
        affiliation: None,
    }
}

fn split_and(words: &[Word], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut s = start;
    for (i, w) in words.iter().enumerate().take(end).skip(start) {
        if w.lower == "and" || w.lower == "&" {
            parts.push((s, i));
            s = i + 1;
        }
    }
    parts.push((s, end));
    parts.retain(|(s, e)| e > s);
    parts
}

fn person_like(words: &[Word], start: usize, end: usize) -> bool {
    (1..=4).contains(&(end - start))
        && words[start..end]
            .iter()
            .all(|w| !ORG_WORDS.has(w.lower.as_str()) && w.lower != "of" && w.lower != "for")
}

/// A person's name as printed, or, for a bare surname, the person named with it before.
fn resolve_name(text: &str, words: &[Word], start: usize, end: usize, reg: &Registry) -> Speaker {
    if end - start == 1 {
        return reg.surname(words[start].text(text));
    }
    person(
        Span::new(words[start].span.start, words[end - 1].span.end)
            .of(text)
            .to_string(),
    )
}

/// Words that open a sentence before its subject.
static DISCOURSE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new("however but and meanwhile instead still yet so now moreover additionally also")
});

/// Past "... government and experts" and "... of them" after the head noun at `e - 1`.
fn joined(words: &[Word], mut e: usize, end: usize) -> usize {
    let lower = |i: usize| words.get(i).map_or("", |w| w.lower.as_str());
    if e + 1 < end && matches!(lower(e), "and" | "&") && is_human_noun(lower(e + 1)) {
        e += 2;
    }
    if e + 1 < end && lower(e) == "of" && matches!(lower(e + 1), "them" | "those" | "us") {
        e += 2;
    }
    e
}

/// The last speaker noun of the noun phrase starting at `s` ("many experts", "Forty-one of 58
/// economists", "the government and experts").
fn head_noun(words: &[Word], s: usize, end: usize) -> Option<usize> {
    let mut r = s;
    while r < end {
        let w = words[r].lower.as_str();
        let quantified_of = w == "of"
            && r > s
            && (super::hedges::number_word(&words[r - 1].lower).is_some()
                || is_human_noun(&words[r - 1].lower));
        if (r > s && BREAKS.has(w)) || (PREPOSITIONS.has(w) && !quantified_of) {
            break;
        }
        r += 1;
    }
    (s..r)
        .rev()
        .find(|&i| is_human_noun(&words[i].lower))
        .or_else(|| counted_pronoun(words, s, r))
}

/// "Thirty-four of them", "three of those": a count of a group named before.
fn counted_pronoun(words: &[Word], s: usize, r: usize) -> Option<usize> {
    let lower = |i: usize| words.get(i).map_or("", |w| w.lower.as_str());
    (s + 2..r).find(|&i| {
        matches!(lower(i), "them" | "those")
            && lower(i - 1) == "of"
            && super::hedges::number_word(lower(i - 2)).is_some()
    })
}

/// "in Seoul", "at Goldman Sachs", "familiar with the matter", "on both sides", "close to X".
fn extend_places(text: &str, words: &[Word], e: usize, end: usize) -> usize {
    let lower = |i: usize| words.get(i).map_or("", |w| w.lower.as_str());
    if matches!(
        (lower(e), lower(e + 1)),
        ("familiar", "with") | ("close", "to") | ("briefed", "on") | ("aware", "of")
    ) {
        let mut j = e + 2;
        while j < end && !BREAKS.has(lower(j)) && j - e < 8 {
            j += 1;
        }
        return j;
    }
    if lower(e) == "on" && matches!(lower(e + 1), "both" | "either") && e + 2 < end {
        return e + 3;
    }
    if matches!(lower(e), "in" | "at" | "from" | "with" | "of") {
        let mut j = e + 1;
        if lower(j) == "the" {
            j += 1;
        }
        // "at a foreign bank (in Mumbai)": an unnamed institution, up to three words long.
        if matches!(lower(e + 1), "a" | "an") {
            let noun = (e + 2..(e + 5).min(end)).find(|&k| is_human_noun(lower(k)));
            if let Some(k) = noun
                && (e + 2..k).all(|m| !is_name_word(&words[m], text) && !BREAKS.has(lower(m)))
            {
                return extend_places(text, words, k + 1, end);
            }
        }
        let run = j;
        while j < end
            && (is_name_word(&words[j], text)
                || (j > run && matches!(lower(j), "of" | "for" | "and")))
        {
            j += 1;
        }
        while j > run && matches!(lower(j - 1), "of" | "for" | "and") {
            j -= 1;
        }
        if j > run {
            return j;
        }
    }
    e
}

fn affiliation_in(text: &str, words: &[Word], from: usize, to: usize) -> Option<String> {
    let at = (from..to).find(|&i| matches!(words[i].lower.as_str(), "at" | "from" | "of"))?;
    let mut s = at + 1;
    if words.get(s).is_some_and(|w| w.lower == "the") {
        s += 1;
    }
    (s < to && is_name_word(&words[s], text)).then(|| {
        Span::new(words[s].span.start, words[to - 1].span.end)
            .of(text)
            .to_string()
    })
}

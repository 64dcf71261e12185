//! Who says what: reporting frames ("X said", "said X", "X told reporters", "according to X",
//! "X expects/predicts/believes that ...") outside quotations, and the speaker of each
//! quotation: the frame right after it or right before it, else the quotation before it in the
//! same paragraph (a quotation continued after "he said"), else, for a paragraph that opens with
//! a quotation, the speaker of the previous paragraph's last quotation (wire style).

use std::sync::LazyLock;

use super::apposition::{has_role, is_apposition, possessor, title_and_affiliation};
use super::phrases::{Found, Passage};
use super::quotes::{Quote, overlapping};
use super::speakers::{Registry, Speaker};
use super::text::{Span, Word, WordSet, words};
use super::triggers::PROB_NOUNS;

/// A reporting frame in a sentence.
#[derive(Debug, Clone)]
pub struct Frame {
    pub speaker: Speaker,
    pub according_to: bool,
    /// The reporting verb, lower case ("said", "expects"); "according to" for those frames.
    pub verb: String,
    pub verb_span: Span,
    /// The words of the frame (speaker, apposition, verb): not part of what is reported.
    pub span: Span,
}

/// Verbs that report speech or a belief.
static REPORTING: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "price prices priced pricing put puts give gives gave said says say told tells added adds noted notes explained explains \
    emphasized emphasised emphasizes emphasises stressed stresses warned warns warn argued \
    argues argue claimed claims claim suggested suggests suggest speculated speculates \
    speculate estimated estimates estimate wrote writes assessed assesses evaluated analyzed \
    analysed observed insisted insists cautioned cautions acknowledged confirmed confirms \
    indicated indicates revealed reported announced hinted maintained maintains contended \
    contends mentioned underscored highlighted believe believes believed think thinks thought \
    expect expects expected predict predicts predicted forecast forecasts forecasted project \
    projects projected anticipate anticipates anticipated reckon reckons reckoned concluded \
    remarked commented agreed agree conceded admitted asserted declared stated foresee \
    foresees fear fears feared doubt doubts continued went shared pointed mentioned",
    )
});

/// Reporting verbs that state a forecast themselves: "X expects Y to rise".
pub static STANCE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "expect expects expected predict predicts predicted forecast \
    forecasts forecasted project projects projected anticipate anticipates anticipated foresee \
    foresees",
    )
});

/// Words between a speaker and the verb that are neither ("also", "has", "both").
static BETWEEN: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "also further previously earlier recently has have had both then later \
    again publicly repeatedly separately did does do now still often once generally widely \
    broadly all to however privately long already reportedly firmly openly",
    )
});

static MODALS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "will would may might could can should must shall won't wouldn't can't \
    cannot to",
    )
});

static NOT_AFTER: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "is are was were be been being the a an this that his her its their \
    our my your it's there's what's",
    )
});

fn gap_has(text: &str, words: &[Word], i: usize, marks: &[char]) -> bool {
    i > 0
        && Span::new(words[i - 1].span.end, words[i].span.start)
            .of(text)
            .contains(marks)
}

/// The reporting frames of `sentence`, left to right; speakers are noted in `reg` as found.
pub fn frames(text: &str, sentence: Span, quotes: &[Quote], reg: &mut Registry) -> Vec<Frame> {
    let quotes = &quotes[overlapping(quotes, sentence)];
    let all = words(text, sentence);
    let inside = |w: &Word| quotes.iter().any(|q| q.inner.encloses(w.span));
    let mut out: Vec<Frame> = Vec::new();
    let mut after_frame = 0;
    let mut i = 0;
    while i < all.len() {
        let w = &all[i];
        if inside(w) {
            i += 1;
            continue;
        }
        if w.lower == "according"
            && all.get(i + 1).is_some_and(|n| n.lower == "to")
            && let Some(frame) = according_to(text, &all, i, reg)
        {
            reg.note_speaker(frame.span.start, &frame.speaker);
            i += 2;
            out.push(frame);
            continue;
        }
        if is_reporting_verb(text, &all, i) {
            let from = clause_start(text, &all, i, quotes).max(after_frame).min(i);
            if let Some(frame) = reporting(text, &all, from, i, reg) {
                reg.note_speaker(frame.span.start, &frame.speaker);
                after_frame = all
                    .iter()
                    .position(|w| w.span.start >= frame.span.end)
                    .unwrap_or(all.len());
                out.push(frame);
            }
        }
        i += 1;
    }
    out
}

fn is_reporting_verb(text: &str, all: &[Word], i: usize) -> bool {
    let w = &all[i];
    if !REPORTING.has(w.lower.as_str()) || w.is_capitalised(text) {
        return false;
    }
    let quoted_before = gap_has(text, all, i, &['"', '“', '”']);
    let prev = i
        .checked_sub(1)
        .filter(|_| !quoted_before)
        .map(|p| all[p].lower.as_str());
    if prev.is_some_and(|p| NOT_AFTER.has(p) || MODALS.has(p) || p.ends_with("'s")) {
        return false;
    }
    let next = all.get(i + 1).map(|n| n.lower.as_str());
    match w.lower.as_str() {
        // "X put the odds at 80%", "X gives City a 94% chance".
        "put" | "puts" | "give" | "gives" | "gave" => {
            (i + 1..all.len().min(i + 6)).any(|j| PROB_NOUNS.has(&all[j].lower))
        }
        // "Markets have priced in a 60 percent probability".
        "price" | "prices" | "priced" | "pricing" => {
            next == Some("in")
                && (i + 2..all.len().min(i + 8)).any(|j| PROB_NOUNS.has(&all[j].lower))
        }
        "went" | "continued" => {
            next == Some("on") || gap_has(text, all, i + 1, &['.', ',']) || next.is_none()
        }
        "shared" => next == Some("the") && all.get(i + 2).is_some_and(|n| n.lower == "view"),
        "pointed" => next == Some("out"),
        _ => next != Some("by"),
    }
}

/// The first word of the clause a verb's subject can be in: after the last quotation or
/// semicolon before it.
fn clause_start(text: &str, all: &[Word], verb: usize, quotes: &[Quote]) -> usize {
    let at = all[verb].span.start;
    let after_quote = quotes
        .iter()
        .map(|q| q.outer.end)
        .filter(|&end| end <= at)
        .max()
        .unwrap_or(0);
    let mut from = all
        .iter()
        .position(|w| w.span.start >= after_quote)
        .unwrap_or(verb);
    for j in from + 1..=verb {
        if gap_has(text, all, j, &[';', ':']) {
            from = j;
        }
    }
    from.min(verb)
}

fn reporting(text: &str, all: &[Word], from: usize, verb: usize, reg: &Registry) -> Option<Frame> {
    let mut end = verb;
    while end > from && BETWEEN.has(&all[end - 1].lower) {
        end -= 1;
    }
    let verb_span = all[verb].span;
    let lower = all[verb].lower.clone();
    let (found, appos) = if end > from {
        subject_before(text, all, from, end, reg)?
    } else {
        subject_after(text, all, verb + 1, reg)?
    };
    let (title, affiliation) = appos.map_or((None, None), |(s, e)| {
        title_and_affiliation(text, all, s, e)
    });
    let mut speaker = found.speaker;
    if speaker.title.is_none() {
        speaker.title = title;
    }
    if speaker.affiliation.is_none() {
        speaker.affiliation = affiliation;
    }
    // "than the government forecast", "as analysts expected": a comparison, not a report.
    if found.start > 0 && matches!(all[found.start - 1].lower.as_str(), "than" | "as") {
        return None;
    }
    let first = found.start.min(verb);
    let last = appos.map_or(found.end, |(_, e)| e).max(verb + 1);
    let mut span_end = all[last - 1].span.end;
    let extra = match lower.as_str() {
        "went" | "pointed" => 1,
        "shared" => 2,
        _ => 0,
    };
    if extra > 0 {
        span_end = all
            .get(verb + extra)
            .map_or(span_end, |w| w.span.end.max(span_end));
    }
    Some(Frame {
        speaker,
        according_to: false,
        verb: lower,
        verb_span,
        span: Span::new(all[first].span.start, span_end),
    })
}

type Apposition = Option<(usize, usize)>;

/// "Lim Eul-chul, a professor at Kyungnam University," / "many experts" / "he", ending at `end`.
fn subject_before(
    text: &str,
    all: &[Word],
    from: usize,
    end: usize,
    reg: &Registry,
) -> Option<(Found, Apposition)> {
    let passage = Passage::new(text, all, reg);
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut s = from;
    for i in from + 1..end {
        if gap_has(text, all, i, &[',', '—', '–', '-']) {
            chunks.push((s, i));
            s = i;
        }
    }
    chunks.push((s, end));
    // "X, speaking on condition of anonymity, said": a participle or a relative clause set off
    // between the speaker and the verb.
    while chunks.len() > 1 {
        let &(cs, ce) = chunks.last()?;
        let first = all[cs].lower.as_str();
        let set_off = gap_has(text, all, ce, &[',']);
        if set_off && (first.ends_with("ing") || matches!(first, "who" | "which" | "whose")) {
            chunks.pop();
        } else {
            break;
        }
    }
    let &(ls, le) = chunks.last()?;
    if chunks.len() >= 2 && is_apposition(all, ls, le) {
        let (ps, pe) = chunks[chunks.len() - 2];
        if let Some(found) = passage.name_phrase(ps, pe) {
            // "Airlines for Europe, an industry group," names a body; "Separately, the
            // union" does not.
            let described = has_role(all, ls, le) || (found.end - found.start >= 2 && le - ls <= 6);
            if found.end == pe && described {
                return Some((found, Some((ls, le))));
            }
        }
    }
    if le > ls && matches!(all[le - 1].lower.as_str(), "he" | "she" | "they" | "it") {
        let speaker = reg.pronoun(&all[le - 1].lower, all[le - 1].span.start)?;
        return Some((
            Found {
                speaker,
                start: le - 1,
                end: le,
            },
            None,
        ));
    }
    if let Some(found) = passage.name_phrase(ls, le) {
        return Some((found, None));
    }
    let described = passage.description(ls, le).filter(|found| {
        found.end == le
            || matches!(
                all[found.end].lower.as_str(),
                "polled"
                    | "surveyed"
                    | "interviewed"
                    | "asked"
                    | "questioned"
                    | "quoted"
                    | "cited"
                    | "contacted"
                    | "consulted"
                    | "who"
                    | "in"
                    | "at"
                    | "from"
                    | "with"
            )
    });
    described
        .map(|found| (found, None))
        .or_else(|| possessor(text, all, ls, le).map(|f| (f, None)))
}

/// "said Yang Moo-jin, president of ...": the speaker after an inverted verb.
fn subject_after(
    text: &str,
    all: &[Word],
    from: usize,
    reg: &Registry,
) -> Option<(Found, Apposition)> {
    let passage = Passage::new(text, all, reg);
    let end = phrase_end(passage, from, &[',', '.', ';', '—']);
    let found = leading_name(passage, from, end)
        .or_else(|| passage.description(from, end).filter(|f| f.end == end))?;
    let appos_end = phrase_end(passage, end, &[',', '.', ';']);
    let appos = is_apposition(all, end, appos_end).then_some((end, appos_end));
    Some((found, appos))
}

/// Where the phrase from `from` ends: before the first later word that follows one of `breaks`,
/// or at the end of the words.
fn phrase_end(passage: Passage<'_>, from: usize, breaks: &[char]) -> usize {
    let (text, all) = (passage.text, passage.words);
    (from + 1..all.len())
        .find(|&end| gap_has(text, all, end, breaks))
        .unwrap_or(all.len())
        .max(from)
}

/// A name that is all of words[from..end], after a "the" ("the NHS Confederation").
fn leading_name(passage: Passage<'_>, from: usize, end: usize) -> Option<Found> {
    let start = if passage.words.get(from).is_some_and(|w| w.lower == "the") {
        from + 1
    } else {
        from
    };
    passage.name_phrase(start, end).filter(|f| f.start == start)
}

fn according_to(text: &str, all: &[Word], at: usize, reg: &Registry) -> Option<Frame> {
    let from = at + 2;
    let passage = Passage::new(text, all, reg);
    let end = phrase_end(passage, from, &[',', '.', ';']);
    let found = leading_name(passage, from, end).or_else(|| passage.description(from, end))?;
    Some(Frame {
        speaker: found.speaker,
        according_to: true,
        verb: "according to".to_string(),
        verb_span: Span::new(all[at].span.start, all[at + 1].span.end),
        span: Span::new(all[at].span.start, all[end.max(found.end) - 1].span.end),
    })
}

//! The reader's pass over an article: paragraph by paragraph, the reporting frames and the
//! quotations' speakers first, then each sentence's pieces, each with at most one forecast.

use std::sync::Arc;

use super::attribution::{Frame, STANCE, frames};
use super::filters::rejection;
use super::quoted::quote_speakers;
use super::quotes::{Quote, overlapping, quotations};
use super::segments::{Segment, segments};
use super::sentences::{paragraphs, sentences};
use super::speakers::{Registry, Speaker};
use super::text::{Span, Word, trim_span, words};
use super::triggers::{Shape, Trigger, find};
use super::{
    Attribution, Candidate, Knowledge, PropositionSuggestion, SpeakerKind, hedges, names, statement,
};

/// The longest sentence read, in bytes.
const MAX_SENTENCE: usize = 4000;

/// What the pass carries from one sentence to the next.
#[derive(Default)]
struct State {
    registry: Registry,
    /// The experts on record, for matching speakers.
    experts: Arc<names::ExpertIndex>,
    /// The last statement drafted, for "The possibility is low." after a forecast.
    context: Option<String>,
    out: Vec<Candidate>,
}

/// The candidates in `text`, in order.
pub fn read(text: &str, known: &Knowledge) -> Vec<Candidate> {
    let mut state = State {
        experts: known.expert_index(),
        ..State::default()
    };
    let mut carried: Option<Speaker> = None;
    for para in paragraphs(text) {
        if para.furniture {
            continue;
        }
        let quotes = quotations(text, para.span);
        // A "sentence" of thousands of bytes is a table or a list, not a forecast; skipping it
        // keeps the reader linear on any input.
        let spans: Vec<Span> = sentences(text, para.span)
            .into_iter()
            .filter(|s| s.end - s.start <= MAX_SENTENCE)
            .collect();
        let mut by_sentence: Vec<Vec<Frame>> = Vec::with_capacity(spans.len());
        for s in &spans {
            let near = &quotes[overlapping(&quotes, *s)];
            let sw: Vec<Word> = words(text, *s)
                .into_iter()
                .filter(|w| !near.iter().any(|q| q.inner.encloses(w.span)))
                .collect();
            state.registry.note_mentions(text, &sw);
            by_sentence.push(frames(text, *s, &quotes, &mut state.registry));
        }
        let all: Vec<Frame> = by_sentence.iter().flatten().cloned().collect();
        let speakers = quote_speakers(text, para.span, &quotes, &all, carried.as_ref());
        for (s, frames) in spans.iter().zip(&by_sentence) {
            let ctx = Sentence {
                text,
                span: *s,
                quotes: &quotes,
                speakers: &speakers,
                frames,
            };
            ctx.candidates(known, &mut state);
        }
        carried = speakers.last().cloned().flatten();
    }
    state.out
}

struct Sentence<'a> {
    text: &'a str,
    span: Span,
    quotes: &'a [Quote],
    speakers: &'a [Option<Speaker>],
    frames: &'a [Frame],
}

impl Sentence<'_> {
    fn candidates(&self, known: &Knowledge, state: &mut State) {
        let text = self.text;
        let sw = words(text, self.span);
        let question = self
            .span
            .of(text)
            .trim_end_matches(super::text::is_closing_mark)
            .ends_with('?');
        for seg in segments(text, self.span, self.quotes, self.frames) {
            let a = sw
                .iter()
                .position(|w| w.span.start >= seg.span.start)
                .unwrap_or(sw.len());
            let b = sw
                .iter()
                .position(|w| w.span.start >= seg.span.end)
                .unwrap_or(sw.len());
            let quoted_question = seg
                .span
                .of(text)
                .trim_end_matches(super::text::is_closing_mark)
                .ends_with('?');
            if a >= b || question || quoted_question {
                continue;
            }
            let Some(c) = self.candidate(&sw, a, b, &seg, known, state) else {
                continue;
            };
            // The same words twice can only come from one sentence: compare with its own.
            let this_sentence = |o: &&Candidate| o.start >= self.span.start;
            let seen = state
                .out
                .iter()
                .rev()
                .take_while(this_sentence)
                .any(|o| o.start == c.start && o.end == c.end);
            if !seen {
                state.context = Some(c.proposition.statement.clone());
                state.out.push(c);
            }
        }
    }

    fn candidate(
        &self,
        sw: &[Word],
        a: usize,
        b: usize,
        seg: &Segment,
        known: &Knowledge,
        state: &State,
    ) -> Option<Candidate> {
        let text = self.text;
        let region_start = sw
            .iter()
            .position(|w| w.span.start >= seg.region.start)
            .unwrap_or(a);
        let found = find(text, sw, a, b);
        let (speaker, attribution, frame) = self.speaker_of(seg);
        let chosen = found
            .iter()
            .find(|t| rejection(text, sw, region_start, a, t).is_none())
            .cloned()
            .or_else(|| frame.and_then(|f| stance(f, seg, a)))?;
        let reported = matches!(
            attribution,
            Attribution::Reported | Attribution::AccordingTo
        );
        if chosen.past && !reported {
            return None;
        }
        let mut reading = self.reading(&found, frame, &chosen, known)?;
        negated_subject(sw, a, &chosen, &mut reading);
        if chosen.shape == Shape::ThatClause {
            negated_clause(self.text, sw, &chosen, b, &mut reading);
        }
        if speaker.is_none() && !reading.likelihood {
            return None;
        }
        let quote = self.quote_span(sw, a, b, seg, &chosen);
        let statement = statement::draft(text, sw, a, b, &chosen, state.context.as_deref());
        let mut c = self.build(
            quote,
            speaker.as_ref(),
            attribution,
            &chosen,
            reading,
            statement,
        );
        if let Some(s) = &speaker {
            let matched = state.experts.matches(&s.name);
            c.expert = matched.exact;
            c.expert_alternatives = matched.alternatives;
        }
        Some(c)
    }

    /// The probability: a number stated in the piece or in its frame ("55 of 82 economists
    /// said"), else the hedge words read.
    fn reading(
        &self,
        found: &[Trigger],
        frame: Option<&Frame>,
        chosen: &Trigger,
        known: &Knowledge,
    ) -> Option<hedges::Reading> {
        let text = self.text;
        let in_frame: Vec<Trigger> = frame
            .map(|f| {
                let fw = words(text, f.span);
                find(text, &fw, 0, fw.len())
            })
            .unwrap_or_default();
        let number = found.iter().chain(&in_frame).find(|t| t.number.is_some());
        match number.and_then(|n| n.number.map(|p| (p, n.span.of(text)))) {
            Some((p, printed)) => Some(hedges::stated(p, printed)),
            None => read_key(&chosen.key, chosen.span.of(text), known),
        }
    }

    fn build(
        &self,
        quote: Span,
        speaker: Option<&Speaker>,
        attribution: Attribution,
        chosen: &Trigger,
        reading: hedges::Reading,
        statement: String,
    ) -> Candidate {
        let text = self.text;
        let printed = chosen.span.of(text);
        Candidate {
            quote: quote.of(text).to_string(),
            start: quote.start,
            end: quote.end,
            sentence: self.span.of(text).to_string(),
            speaker: speaker.map(|s| s.name.clone()),
            speaker_kind: speaker.map_or(SpeakerKind::Unattributed, |s| s.kind),
            affiliation: speaker.and_then(|s| s.affiliation.clone()),
            title: speaker.and_then(|s| s.title.clone()),
            expert: None,
            expert_alternatives: Vec::new(),
            attribution: match speaker {
                None if attribution != Attribution::Direct => Attribution::Unattributed,
                _ => attribution,
            },
            hedge_words: Some(if printed.is_empty() {
                chosen.key.clone()
            } else {
                printed.to_string()
            }),
            probability: Some(reading.probability),
            scale: reading.scale,
            scale_term: reading.scale_term,
            probability_reason: reading.reason,
            proposition: PropositionSuggestion {
                slug: None,
                statement,
                alternatives: Vec::new(),
            },
        }
    }

    /// The speaker of a piece: its quotation's, else the nearest frame before it in the
    /// sentence, else the nearest after it; None for the writer's own voice.
    fn speaker_of(&self, seg: &Segment) -> (Option<Speaker>, Attribution, Option<&Frame>) {
        if let Some(q) = seg.quote {
            let speaker = self.speakers.get(q).cloned().flatten();
            return (speaker, Attribution::Direct, None);
        }
        let before = self
            .frames
            .iter()
            .rev()
            .find(|f| f.span.end <= seg.span.start);
        // A frame after the piece speaks for it only at the sentence's end ("..., analysts
        // said on Monday."), not when it reports a clause of its own ("..., and experts say
        // the court will ...").
        let trailing = |f: &&Frame| {
            let rest = Span::new(f.span.end, self.span.end).of(self.text);
            let clause = rest.split([',', ';', ':']).next().unwrap_or("");
            f.according_to || (clause.split_whitespace().count() <= 8 && !clause.contains("that"))
        };
        let after = self
            .frames
            .iter()
            .find(|f| f.span.start >= seg.span.end)
            .filter(trailing);
        match before.or(after) {
            Some(f) => {
                let kind = if f.according_to {
                    Attribution::AccordingTo
                } else {
                    Attribution::Reported
                };
                (Some(f.speaker.clone()), kind, Some(f))
            }
            None => (None, Attribution::Unattributed, None),
        }
    }

    /// The quoted words for a quotation; the reported clause otherwise, from after its "that"
    /// when the words before it only say where or how it was said.
    fn quote_span(&self, sw: &[Word], a: usize, b: usize, seg: &Segment, t: &Trigger) -> Span {
        let mut start = a;
        if seg.quote.is_none() {
            let limit = t.first.min(a + 10).min(b);
            if let Some(that) = (a..limit).rev().find(|&j| sw[j].lower == "that")
                && that + 1 < b
            {
                start = that + 1;
            }
        }
        trim_span(
            self.text,
            Span::new(sw[start].span.start.max(seg.span.start), seg.span.end),
        )
    }
}

/// "It is almost certain that the work will not be finished": the statement drops the "not",
/// so the probability is of the event without it.
fn negated_clause(text: &str, sw: &[Word], t: &Trigger, b: usize, reading: &mut hedges::Reading) {
    let inner = find(text, sw, t.verb, b);
    let negated = inner
        .first()
        .is_some_and(|i| i.key.contains("not") || i.key.contains("n't") || i.key.contains("never"));
    if !negated || reading.likelihood && t.number.is_some() {
        return;
    }
    let p = 1.0 - reading.probability;
    reading.reason = format!(
        "{}; the clause is negative, so the event happens with {}",
        reading.reason,
        (p * 1000.0).round() / 1000.0
    );
    reading.probability = p;
    reading.scale = None;
    reading.scale_term = None;
}

/// "X expects Y to rise": the frame's own verb, when the piece it introduces has no other hedge.
fn stance(f: &Frame, seg: &Segment, a: usize) -> Option<Trigger> {
    if !STANCE.has(f.verb.as_str()) || f.span.end > seg.span.start {
        return None;
    }
    let key = [
        "expect",
        "anticipate",
        "predict",
        "forecast",
        "project",
        "foresee",
    ]
    .into_iter()
    .find(|k| f.verb.starts_with(k))?;
    Some(Trigger {
        key: key.to_string(),
        span: f.verb_span,
        first: a,
        verb: a,
        shape: Shape::Stance,
        number: None,
        past: false,
    })
}

/// Reads a hedge key, falling back to its last word and then its first ("good probability" →
/// "probability").
fn read_key(key: &str, printed: &str, known: &Knowledge) -> Option<hedges::Reading> {
    hedges::read(key, printed, known)
        .or_else(|| {
            key.rsplit(' ')
                .next()
                .and_then(|k| hedges::read(k, printed, known))
        })
        .or_else(|| {
            key.split(' ')
                .next()
                .and_then(|k| hedges::read(k, printed, known))
        })
}

/// "Nobody is going to pay that", "No one will buy it": a subject that denies the clause reads
/// as the mirror of its hedge (a stated number is left as stated).
fn negated_subject(sw: &[Word], a: usize, chosen: &Trigger, reading: &mut hedges::Reading) {
    if chosen.shape == Shape::Number || chosen.first <= a {
        return;
    }
    let low = |i: usize| sw.get(i).map_or("", |w| w.lower.as_str());
    let start = if low(a) == "that" { a + 1 } else { a };
    let denies =
        matches!(low(start), "nobody" | "none") || (low(start) == "no" && low(start + 1) == "one");
    if denies {
        reading.probability = 1.0 - reading.probability;
        reading.reason = format!(
            "{}; its subject denies the clause, so read as the mirror",
            reading.reason
        );
    }
}

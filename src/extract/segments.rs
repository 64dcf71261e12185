//! A sentence cut into the pieces that can each hold one forecast: the quoted and the unquoted
//! parts apart, the reporting frames ("Lim said") left out, and clauses joined by ", and",
//! ", but", ";", "while" or "although" apart, so that "X is slim, and it will likely be Y"
//! gives two forecasts with their own hedges.

use std::sync::LazyLock;

use super::attribution::Frame;
use super::quotes::{Quote, overlapping};
use super::text::{Span, WordSet, trim_span};

/// A piece of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub span: Span,
    /// The quotation (by index) the piece is quoted in.
    pub quote: Option<usize>,
    /// The quoted or unquoted run of the sentence the piece is cut from.
    pub region: Span,
}

/// The pieces of `sentence`, in order.
pub fn segments(text: &str, sentence: Span, quotes: &[Quote], frames: &[Frame]) -> Vec<Segment> {
    let mut regions: Vec<(Span, Option<usize>)> = Vec::new();
    let mut cursor = sentence.start;
    for n in overlapping(quotes, sentence) {
        let q = &quotes[n];
        // A fragment of three words or fewer inside a clause ('was "very unlikely."',
        // 'visit “in a few days,”') is part of the reported clause around it.
        let before = text
            .get(..q.outer.start)
            .unwrap_or("")
            .trim_end()
            .chars()
            .last();
        let embedded = before.is_some_and(char::is_alphanumeric);
        if embedded && q.inner.of(text).split_whitespace().count() <= 3 {
            continue;
        }
        let outer_start = q.outer.start.max(sentence.start);
        if outer_start > cursor {
            regions.push((Span::new(cursor, outer_start), None));
        }
        let inner = Span::new(
            q.inner.start.max(sentence.start),
            q.inner.end.min(sentence.end),
        );
        regions.push((inner, Some(n)));
        cursor = q.outer.end.min(sentence.end).max(cursor);
    }
    if cursor < sentence.end {
        regions.push((Span::new(cursor, sentence.end), None));
    }
    let mut out = Vec::new();
    for (region, quote) in regions {
        let pieces = if quote.is_some() {
            vec![region]
        } else {
            without_frames(region, frames)
        };
        for piece in pieces {
            for span in split_clauses(text, piece) {
                let span = trim_span(text, span);
                if !span.is_empty() {
                    out.push(Segment {
                        span,
                        quote,
                        region,
                    });
                }
            }
        }
    }
    out
}

fn without_frames(region: Span, frames: &[Frame]) -> Vec<Span> {
    let mut pieces = vec![region];
    for f in frames {
        pieces = pieces
            .into_iter()
            .flat_map(|p| {
                if !p.overlaps(f.span) {
                    return vec![p];
                }
                let mut parts = Vec::new();
                if f.span.start > p.start {
                    parts.push(Span::new(p.start, f.span.start));
                }
                if f.span.end < p.end {
                    parts.push(Span::new(f.span.end, p.end));
                }
                parts
            })
            .collect();
    }
    pieces
}

const JOINS: &[&str] = &[
    ", and ",
    ", but ",
    "; ",
    ", while ",
    ", whereas ",
    ", although ",
    ", though ",
    ", yet ",
    " but ",
    ", or ",
];
static CLAUSE_OPENERS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new("it it's they he she we i you the a an there this that these those its their")
});
const SUBORDINATE: &[&str] = &["while ", "whereas ", "although ", "though "];

/// Cuts a piece at the words that join two clauses.
fn split_clauses(text: &str, piece: Span) -> Vec<Span> {
    let slice = piece.of(text);
    let lower = slice.to_ascii_lowercase();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for join in JOINS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(join) {
            let at = from + at;
            // "all but certain", "real but small": "but" without a comma joins two clauses
            // only when a subject follows it.
            let subject_next = lower[at + join.len()..]
                .split(' ')
                .next()
                .is_some_and(|w| CLAUSE_OPENERS.has(w));
            if *join == " but " && !subject_next {
                from = at + join.len();
                continue;
            }
            // Keep the joining word with neither part: "..., and it will" → "it will".
            cuts.push((at, at + join.len()));
            from = at + join.len();
        }
    }
    for word in SUBORDINATE {
        let mut from = 0;
        while let Some(at) = lower[from..].find(word) {
            let at = from + at;
            from = at + word.len();
            let starts_word = at == 0 || lower[..at].ends_with([' ', '"', '\'']);
            if !starts_word || lower[..at].ends_with(", ") {
                continue;
            }
            cuts.push((at, at + word.len()));
            if let Some(comma) = lower[from..].find(", ") {
                cuts.push((from + comma, from + comma + 2));
            }
        }
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for (a, b) in cuts {
        if a < start {
            continue;
        }
        out.push(Span::new(piece.start + start, piece.start + a));
        start = b;
    }
    out.push(Span::new(piece.start + start, piece.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::quotes::quotations;

    fn pieces(text: &str) -> Vec<&str> {
        let all = Span::new(0, text.len());
        let quotes = quotations(text, all);
        segments(text, all, &quotes, &[])
            .iter()
            .map(|s| s.span.of(text))
            .collect()
    }

    #[test]
    fn two_clauses_joined_by_and_are_two_pieces() {
        assert_eq!(
            pieces("A deal is slim, and it will likely be a declaration."),
            ["A deal is slim", "it will likely be a declaration."]
        );
    }

    #[test]
    fn a_leading_while_clause_is_its_own_piece() {
        assert_eq!(
            pieces("He believes that while a clause is unlikely, ties will likely deepen."),
            [
                "He believes that",
                "a clause is unlikely",
                "ties will likely deepen."
            ]
        );
    }

    #[test]
    fn quoted_and_unquoted_parts_are_apart() {
        let text = "“Rates will fall,” she said, “and soon.”";
        assert_eq!(pieces(text), ["Rates will fall", "she said", "and soon."]);
    }
}

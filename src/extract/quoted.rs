//! The speaker of each quotation: the frame right after it or right before it, else the
//! quotation before it in the same paragraph (a quotation continued after "he said"), else, for
//! a paragraph that opens with a quotation, the speaker of the previous paragraph's last
//! quotation (wire style).

use super::attribution::Frame;
use super::quotes::Quote;
use super::speakers::Speaker;
use super::text::Span;

/// The speaker of each quotation of a paragraph. `frames` are the frames of the paragraph's
/// sentences; `carried` the speaker of the previous paragraph's last quotation.
pub fn quote_speakers(
    text: &str,
    para: Span,
    quotes: &[Quote],
    frames: &[Frame],
    carried: Option<&Speaker>,
) -> Vec<Option<Speaker>> {
    let mut out: Vec<Option<Speaker>> = Vec::with_capacity(quotes.len());
    for (n, q) in quotes.iter().enumerate() {
        let next = quotes.get(n + 1);
        let next_quote = next.map_or(para.end, |nq| nq.outer.start);
        // `"A." He added, "B."`: a frame between a finished sentence and the next quotation
        // introduces that one.
        let finished = q.inner.of(text).trim_end().ends_with(['.', '…']);
        let after = frames.partition_point(|f| f.span.start < q.outer.end);
        let tail = frames.get(after).filter(|f| {
            let introduces_next = finished
                && next.is_some_and(|nq| {
                    nq.outer.start >= f.span.end
                        && short_gap(Span::new(f.span.end, nq.outer.start).of(text))
                });
            f.span.start <= next_quote
                && tail_gap(Span::new(q.outer.end, f.span.start).of(text))
                && !introduces_next
        });
        let prev_end = n.checked_sub(1).map_or(para.start, |p| quotes[p].outer.end);
        let before = frames.partition_point(|f| f.span.end <= q.outer.start);
        let head = before
            .checked_sub(1)
            .and_then(|i| frames.get(i))
            .filter(|f| {
                f.span.start >= prev_end && short_gap(Span::new(f.span.end, q.outer.start).of(text))
            });
        let previous = out.iter().rev().take(3).flatten().next().cloned();
        let speaker = tail
            .or(head)
            .map(|f| f.speaker.clone())
            .or(previous)
            .or_else(|| {
                (q.outer.start == para.start)
                    .then(|| carried.cloned())
                    .flatten()
            });
        out.push(speaker);
    }
    out
}

/// Punctuation, or up to three words of a title the frame did not take ("mission commander").
fn tail_gap(gap: &str) -> bool {
    let words = gap
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric));
    only_punctuation(gap)
        || (words.count() <= 3 && !gap.contains(['.', '"', '“', '”', ';', ':']) && {
            let trimmed = gap.trim_start_matches([',', ' ']);
            !trimmed.contains(',')
        })
}

fn only_punctuation(gap: &str) -> bool {
    gap.chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | '.' | ';' | '—' | '–' | '-'))
}

/// Up to eight words with no stop between a frame and the quotation it introduces
/// ("warned the day before, saying,", "in a meeting with news agencies that").
fn short_gap(gap: &str) -> bool {
    !gap.contains(['.', '?', '!', '"', '“', '”']) && gap.split_whitespace().count() <= 8
}

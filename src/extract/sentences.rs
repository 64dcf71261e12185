//! Paragraphs and sentences. A paragraph is a line (or a run of lines where a line breaks in
//! mid-sentence); a sentence ends at ".", "!", "?" or "…" (and the closing marks after it) that is
//! followed by a space and a capital, a digit or an opening mark, except after an abbreviation:
//! a title ("Mr.", "Gen."), an initial ("John F. Kennedy"), a month before a day ("Sept. 13"),
//! or a dotted abbreviation ("U.S.", "p.m.") unless the next word plainly opens a sentence.
//! A quotation may run over several sentences; quotations are found per paragraph.

use std::sync::LazyLock;

use super::text::{
    NOT_NAMES, Span, WordSet, is_closing_mark, is_opening_mark, normalise, trim_space,
};

/// A paragraph of the article and what kind of text it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    /// A headline, a byline, a photo caption or a label: not the article's running text.
    pub furniture: bool,
}

/// The paragraphs of `text`, in order.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_span = trim_space(text, Span::new(offset, offset + line.len()));
        offset += line.len();
        if line_span.is_empty() {
            if let Some(s) = start.take() {
                push_paragraph(text, &mut out, s, last_end(text, s, line_span.start));
            }
            continue;
        }
        match start {
            Some(s) if continues(text, s, line_span) => {}
            Some(s) => {
                push_paragraph(text, &mut out, s, last_end(text, s, line_span.start));
                start = Some(line_span.start);
            }
            None => start = Some(line_span.start),
        }
    }
    if let Some(s) = start {
        push_paragraph(text, &mut out, s, text.len());
    }
    out
}

fn last_end(text: &str, start: usize, before: usize) -> usize {
    trim_space(text, Span::new(start, before)).end
}

/// A line continues the paragraph above when that one stops in mid-sentence and this one
/// starts in lower case (text wrapped by hand).
fn continues(text: &str, para_start: usize, line: Span) -> bool {
    let above = trim_space(text, Span::new(para_start, line.start)).of(text);
    let ends_open = above
        .chars()
        .last()
        .is_some_and(|c| !matches!(c, '.' | '!' | '?' | '…' | ':') && !is_closing_mark(c));
    let starts_lower = line.of(text).chars().next().is_some_and(char::is_lowercase);
    ends_open && starts_lower
}

fn push_paragraph(text: &str, out: &mut Vec<Paragraph>, start: usize, end: usize) {
    let span = trim_space(text, Span::new(start, end));
    let span = trim_space(
        text,
        Span::new(span.start + dateline_len(span.of(text)), span.end),
    );
    if span.is_empty() {
        return;
    }
    out.push(Paragraph {
        span,
        furniture: is_furniture(span.of(text)),
    });
}

/// The length of a dateline opening a paragraph: "LONDON, March 4 (Wire) - ", "ASTANA,
/// Kazakhstan/SEOUL -- ": a place in capitals, then a dash within the first 80 bytes.
fn dateline_len(para: &str) -> usize {
    let first: String = para.chars().take_while(|c| c.is_alphabetic()).collect();
    if first.chars().count() < 3 || !first.chars().all(|c| c.is_uppercase()) {
        return 0;
    }
    let mut cut = para.len().min(80);
    while !para.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &para[..cut];
    [" -- ", " — ", " – ", " - ", "—", "--"]
        .iter()
        .filter_map(|sep| head.find(sep).map(|at| at + sep.len()))
        .min()
        .filter(|&end| para.is_char_boundary(end))
        .unwrap_or(0)
}

/// Headlines, bylines, captions and labels: no closing stop (or a photo credit at the end),
/// and not a quotation with its speaker.
fn is_furniture(para: &str) -> bool {
    let trimmed = para.trim_end();
    if ends_with_credit(trimmed) {
        return true;
    }
    let bare = trimmed.trim_end_matches(is_closing_mark);
    if bare.ends_with(['.', '!', '?', '…']) {
        return false;
    }
    // A quotation followed by its speaker ("..." Lim said) is running text without a stop.
    let after_quote = trimmed
        .rfind(['"', '”'])
        .and_then(|at| {
            trimmed[at..]
                .char_indices()
                .nth(1)
                .map(|(n, _)| &trimmed[at + n..])
        })
        .unwrap_or("");
    after_quote.split_whitespace().count() < 2
}

/// "(Kremlin Pool Photo via AP)", "(Reuters)", "[Image source=Yonhap News]", "Photo by ...".
fn ends_with_credit(para: &str) -> bool {
    let lower = para.to_lowercase();
    if lower.starts_with("photo by") || lower.starts_with("[image") {
        return true;
    }
    let Some(open) = lower.rfind(['(', '[']) else {
        return false;
    };
    let tail = &lower[open..];
    let closed = tail.ends_with(')') || tail.ends_with(']');
    let credit = [
        "photo", "via ", "ap)", "reuters", "afp", "yonhap", "getty", "image", "kcna",
    ]
    .iter()
    .any(|w| tail.contains(w));
    closed && credit && tail.len() < 60
}

/// The sentences of one paragraph.
pub fn sentences(text: &str, para: Span) -> Vec<Span> {
    let slice = para.of(text);
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
            j += 1;
        }
        while j < chars.len() && is_closing_mark(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(slice.len(), |&(p, _)| p);
        if j < chars.len() && !chars[j].1.is_whitespace() {
            i = j.max(i + 1);
            continue;
        }
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        let next = chars.get(k).map(|&(_, ch)| ch);
        let opens =
            next.is_none_or(|n| !n.is_lowercase() && (n.is_alphanumeric() || is_opening_mark(n)));
        let next_word = next_word(slice, chars.get(k).map_or(slice.len(), |&(p, _)| p));
        if opens && !(c == '.' && is_abbreviation(&slice[start..pos], &next_word)) {
            push_sentence(text, &mut out, para.start + start, para.start + end);
            start = chars.get(k).map_or(slice.len(), |&(p, _)| p);
        }
        i = k.max(i + 1);
    }
    push_sentence(text, &mut out, para.start + start, para.end);
    out
}

fn push_sentence(text: &str, out: &mut Vec<Span>, start: usize, end: usize) {
    let span = trim_space(text, Span::new(start, end));
    if !span.is_empty() {
        out.push(span);
    }
}

fn next_word(slice: &str, from: usize) -> String {
    let rest = slice.get(from..).unwrap_or("");
    let rest = rest.trim_start_matches(is_opening_mark);
    normalise(
        rest.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .next()
            .unwrap_or(""),
    )
}

static TITLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "mr mrs ms messrs dr prof gen lt col capt cmdr sgt adm maj gov sen rep \
    rev fr st mt ft hon pres supt det insp mme mlle sr jr no nos vol fig art approx vs cf ca \
    pp gen brig cpl pvt amb atty sec",
    )
});
static MONTHS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("jan feb mar apr jun jul aug sep sept oct nov dec"));
static ZONES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "et est edt ct cst cdt pt pst pdt mt gmt bst utc cet cest kst jst ist \
    local monday tuesday wednesday thursday friday saturday sunday",
    )
});
static CORPORATE: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("inc corp co ltd plc llc bros jr sr"));

/// Whether the stop at the end of `before` closes an abbreviation rather than a sentence.
fn is_abbreviation(before: &str, next_word: &str) -> bool {
    let token = before
        .rsplit(|c: char| c.is_whitespace() || is_opening_mark(c))
        .next()
        .unwrap_or("");
    let lower = normalise(token);
    let opens_sentence = NOT_NAMES.has(next_word);
    if token.chars().count() == 1 && token.chars().all(char::is_uppercase) {
        return true;
    }
    if lower == "a.m" || lower == "p.m" {
        return ZONES.has(next_word);
    }
    if CORPORATE.has(lower.as_str()) {
        return !opens_sentence;
    }
    if TITLES.has(lower.as_str()) {
        return true;
    }
    // "Sept. 24-Oct. 1": the month at the end of a date range.
    let month = lower.rsplit(['-', '–']).next().unwrap_or("");
    if MONTHS.has(lower.as_str()) || MONTHS.has(month) {
        return next_word.chars().next().is_some_and(|c| c.is_ascii_digit());
    }
    if lower.contains('.') && lower.chars().any(char::is_alphabetic) {
        return !opens_sentence;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let para = Span::new(0, text.len());
        sentences(text, para).iter().map(|s| s.of(text)).collect()
    }

    #[test]
    fn titles_initials_and_dotted_abbreviations_do_not_end_sentences() {
        let text = "Mr. Park met Gen. Lee in the U.S. capital on Sept. 13. John F. Kennedy \
                    never did. The U.N. said so.";
        assert_eq!(
            split(text),
            [
                "Mr. Park met Gen. Lee in the U.S. capital on Sept. 13.",
                "John F. Kennedy never did.",
                "The U.N. said so."
            ]
        );
    }

    #[test]
    fn a_month_closing_a_date_range_does_not_end_a_sentence() {
        let text = "The survey ran Nov. 28-Dec. 4 among 900 farmers. Most expect rain.";
        assert_eq!(
            split(text),
            [
                "The survey ran Nov. 28-Dec. 4 among 900 farmers.",
                "Most expect rain."
            ]
        );
    }

    #[test]
    fn a_dotted_abbreviation_ends_a_sentence_before_a_sentence_opener() {
        let text = "The meeting is in the U.S. The date is not fixed.";
        assert_eq!(split(text).len(), 2);
        let text = "Polls close at 8 p.m. Officials will count overnight. It starts at 9 a.m. ET.";
        assert_eq!(
            split(text),
            [
                "Polls close at 8 p.m.",
                "Officials will count overnight.",
                "It starts at 9 a.m. ET."
            ]
        );
    }

    #[test]
    fn quotations_keep_their_marks_and_spanning_sentences_split_inside() {
        let text = "\"It will rain. Then it will flood,\" she said. \"Will it?\" he asked.";
        assert_eq!(
            split(text),
            [
                "\"It will rain.",
                "Then it will flood,\" she said.",
                "\"Will it?\" he asked."
            ]
        );
        let text = "“Prices will fall.” Analysts agree.";
        assert_eq!(split(text), ["“Prices will fall.”", "Analysts agree."]);
    }

    #[test]
    fn numbers_and_lower_case_continuations_do_not_split() {
        assert_eq!(split("Growth was 0.6% in 2023. it is. Fine.").len(), 2);
    }

    #[test]
    fn headlines_captions_and_bylines_are_furniture() {
        let text = "Seoul says Putin to visit N. Korea 'in a few days'\n\n\
                    Putin and Kim shake hands in 2023. (Kremlin Pool Photo via AP)\n\
                    The visit will take place soon, officials said.\n\
                    \"The treaty will be renewed, and soon,\" Lim said\n";
        let paras = paragraphs(text);
        let kinds: Vec<bool> = paras.iter().map(|p| p.furniture).collect();
        assert_eq!(kinds, [true, true, false, false]);
    }

    #[test]
    fn wrapped_lines_join_one_paragraph() {
        let text = "The central bank will\nprobably cut rates, economists said.\nNext one.";
        let paras = paragraphs(text);
        assert_eq!(paras.len(), 2);
        assert_eq!(
            paras[0].span.of(text),
            "The central bank will\nprobably cut rates, economists said."
        );
    }
}

//! Byte spans and words: the small vocabulary the reader's other parts share. Every span is a
//! pair of byte offsets on char boundaries of the article's text, so a slice never panics.

use std::collections::HashSet;
use std::sync::LazyLock;

/// A byte range of the article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }

    /// The text of this span; empty if it is not a valid range of `text`.
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn encloses(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A word of the text: letters and digits, with apostrophes, hyphens and dots inside it
/// ("Eul-chul", "it's", "U.S", "0.6"), and its lower-case form for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Span,
    pub lower: String,
}

impl Word {
    /// The word as printed.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.of(text)
    }

    /// Printed with a capital first letter.
    pub fn is_capitalised(&self, text: &str) -> bool {
        self.text(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '.' | '&')
}

/// The words inside `span` of `text`, in order. "won't" stays one word; "Russia's" too.
pub fn words(text: &str, span: Span) -> Vec<Word> {
    let slice = span.of(text);
    let mut out = Vec::new();
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_word_char(d) {
                end = j + d.len_utf8();
                chars.next();
            } else if is_joiner(d) {
                // A joiner stays inside the word only when a letter or digit follows it.
                let after = slice[j + d.len_utf8()..].chars().next();
                if after.is_some_and(is_word_char) {
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let word = Span::new(span.start + i, span.start + end);
        out.push(Word {
            lower: normalise(word.of(text)),
            span: word,
        });
    }
    out
}

/// Lower case with curly apostrophes made straight, for matching word lists.
pub fn normalise(word: &str) -> String {
    word.chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// `span` without the whitespace and the punctuation at its two ends (quotation marks, commas,
/// dashes), except a sentence's final stop and a closing mark that belongs to an opening one.
pub fn trim_span(text: &str, span: Span) -> Span {
    let slice = span.of(text);
    let is_edge = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '—' | '–' | '-');
    let lead = slice.len() - slice.trim_start_matches(is_edge).len();
    let trail = slice.trim_end_matches(is_edge).len();
    if lead >= trail {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.start + trail)
}

/// `span` without whitespace at its ends.
pub fn trim_space(text: &str, span: Span) -> Span {
    let slice = span.of(text);
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.trim_end().len();
    if lead >= trail {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.start + trail)
}

/// A set of words, made once from a list of words separated by spaces.
pub struct WordSet(HashSet<&'static str>);

impl WordSet {
    pub fn new(list: &'static str) -> Self {
        Self(list.split_whitespace().collect())
    }

    pub fn has(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// Opening quotation marks and brackets.
pub fn is_opening_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '„')
}

/// Closing quotation marks and brackets.
pub fn is_closing_mark(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»')
}

/// Words of a person's title that precede a name ("Russian President Vladimir Putin",
/// "Gen. Mark Milley") and are not part of it.
pub static NAME_TITLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "mr mrs ms dr prof professor gen general lt col colonel capt \
    captain sgt adm admiral maj major gov governor sen senator rep representative rev \
    president vice premier prime minister chancellor secretary chairman chairwoman chair \
    director chief ambassador envoy judge justice mayor king queen prince princess pope sheikh \
    coach manager striker defender midfielder goalkeeper leader spokesman spokeswoman \
    spokesperson commissioner councilman councilwoman deputy foreign defense defence finance \
    state former acting ceo cfo executive analyst economist editor founder lawmaker senior \
    junior mr. mrs. ms. dr. prof. gen. sen. rep. gov. lt. col. capt. sgt. adm. maj. rev.",
    )
});

/// Short words that join the parts of a name ("Charles de Gaulle", "Ursula von der Leyen").
pub static NAME_PARTICLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "de da del della di du van von der den bin binti al el la le \
    ter y ibn abu",
    )
});

/// Capitalised words that are not names: they open sentences or name days and months.
pub static NOT_NAMES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "the a an however but and or so yet this that these those there it \
    its he she they we i you his her their our my in on at for with as after before when while \
    if meanwhile instead still also some many most monday tuesday wednesday thursday friday \
    saturday sunday january february march april june july august september october november \
    december according asked earlier later last next since despite although though because \
    during against by from to of not no yes both all other others one two three several such \
    what which who why how where then now today yesterday tomorrow",
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_joiners_and_offsets() {
        let text = "Lim Eul-chul said: it won’t, in the U.S., grow 0.6%.";
        let ws = words(text, Span::new(0, text.len()));
        let printed: Vec<&str> = ws.iter().map(|w| w.text(text)).collect();
        assert_eq!(
            printed,
            [
                "Lim", "Eul-chul", "said", "it", "won’t", "in", "the", "U.S", "grow", "0.6"
            ]
        );
        assert_eq!(ws[4].lower, "won't");
        for w in &ws {
            assert_eq!(&text[w.span.start..w.span.end], w.text(text));
        }
    }

    #[test]
    fn trimming_drops_edge_punctuation_only() {
        let text = " , the Bank may wait, ";
        let span = trim_span(text, Span::new(0, text.len()));
        assert_eq!(span.of(text), "the Bank may wait");
        assert!(trim_span(",,", Span::new(0, 2)).is_empty());
    }

    #[test]
    fn spans_out_of_range_read_as_empty() {
        assert_eq!(Span::new(3, 10).of("abc"), "");
        assert_eq!(Span::new(1, 2).of("é"), "");
    }
}

//! Quotations in a paragraph: straight (") and curly (“ ”) double marks and guillemets; single
//! marks (‘ ’ or ') only for British-style speech in a paragraph without double marks, and only
//! when the closing mark follows a stop or comma, so that apostrophes never open or close one.
//! A quotation nested inside another ('strategic partnership' inside “...”) stays part of it.
//! A quotation left open runs to the end of its paragraph, as wire copy does when a quotation
//! goes on in the next paragraph.

use super::text::Span;

/// One quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// With its marks.
    pub outer: Span,
    /// The quoted words, without the marks.
    pub inner: Span,
    /// No closing mark: the quotation runs to the end of the paragraph.
    pub open_ended: bool,
}

/// The indices of the quotations (in order, as `quotations` gives them) that overlap `span`.
pub fn overlapping(quotes: &[Quote], span: Span) -> std::ops::Range<usize> {
    let first = quotes.partition_point(|q| q.outer.end <= span.start);
    let last = quotes
        .partition_point(|q| q.outer.start < span.end)
        .max(first);
    first..last
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Straight,
    Curly,
    Guillemet,
}

struct Open {
    at: usize,
    len: usize,
    mark: Mark,
    depth: usize,
}

/// The quotations of the paragraph `para`, in order.
pub fn quotations(text: &str, para: Span) -> Vec<Quote> {
    let slice = para.of(text);
    let doubles = double_quotations(slice);
    let found = if doubles.is_empty() && !slice.contains(['"', '“', '”', '«', '»']) {
        single_quotations(slice)
    } else {
        doubles
    };
    found
        .into_iter()
        .map(|q| Quote {
            outer: Span::new(para.start + q.outer.start, para.start + q.outer.end),
            inner: Span::new(para.start + q.inner.start, para.start + q.inner.end),
            open_ended: q.open_ended,
        })
        .collect()
}

fn close(out: &mut Vec<Quote>, open: &Open, at: usize, len: usize) {
    out.push(Quote {
        outer: Span::new(open.at, at + len),
        inner: Span::new(open.at + open.len, at),
        open_ended: false,
    });
}

fn double_quotations(slice: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    for (at, c) in slice.char_indices() {
        let len = c.len_utf8();
        let mark = match c {
            '"' => Mark::Straight,
            '“' | '”' | '„' => Mark::Curly,
            '«' | '»' => Mark::Guillemet,
            _ => continue,
        };
        let opening = matches!(c, '“' | '„' | '«');
        let closing = matches!(c, '”' | '»');
        match open.as_mut() {
            None => {
                if closing || (c == '"' && looks_closing(slice, at)) {
                    // A closing mark with no opening one: a quotation from the paragraph's start.
                    if at > 0 && out.is_empty() {
                        let start = Open {
                            at: 0,
                            len: 0,
                            mark,
                            depth: 0,
                        };
                        close(&mut out, &start, at, len);
                    }
                    continue;
                }
                open = Some(Open {
                    at,
                    len,
                    mark,
                    depth: 0,
                });
            }
            Some(o) if o.mark == mark || (c == '"' && o.mark == Mark::Curly && closing) => {
                if opening && mark != Mark::Straight {
                    o.depth += 1;
                } else if o.depth > 0 && mark != Mark::Straight {
                    o.depth -= 1;
                } else {
                    close(&mut out, o, at, len);
                    open = None;
                }
            }
            Some(o) => {
                // Another kind of mark inside a quotation: nested, unless it can only close
                // (a straight opening closed by a curly mark, as careless typing does).
                if closing && o.mark == Mark::Straight {
                    close(&mut out, o, at, len);
                    open = None;
                }
            }
        }
    }
    if let Some(o) = open {
        out.push(Quote {
            outer: Span::new(o.at, slice.len()),
            inner: Span::new(o.at + o.len, slice.len()),
            open_ended: true,
        });
    }
    out
}

/// A straight mark after a word and before a space, a stop or the end is a closing one.
fn looks_closing(slice: &str, at: usize) -> bool {
    let before = slice[..at].chars().last();
    let after = slice[at + 1..].chars().next();
    before.is_some_and(|c| !c.is_whitespace())
        && after.is_none_or(|c| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'))
}

/// British-style speech in single marks: ‘It will rain,’ she said.
fn single_quotations(slice: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut prev: Option<char> = None;
    let mut iter = slice.char_indices().peekable();
    while let Some((at, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let after_space = prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '—' | '–'));
        if matches!(c, '‘' | '\'') && after_space && next.is_some_and(char::is_alphanumeric) {
            // An opening mark while one is open: the earlier one was a scare quote.
            open = Some((at, c.len_utf8()));
        } else if matches!(c, '’' | '\'')
            && let Some((o, open_len)) = open
        {
            let after_stop = prev.is_some_and(|p| matches!(p, '.' | ',' | '!' | '?'));
            let at_end = next.is_none_or(|n| n.is_whitespace() || matches!(n, '"' | ')'));
            if after_stop && at_end {
                let inner = Span::new(o + open_len, at);
                if inner.of(slice).split_whitespace().count() >= 3 {
                    out.push(Quote {
                        outer: Span::new(o, at + c.len_utf8()),
                        inner,
                        open_ended: false,
                    });
                }
                open = None;
            }
        }
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        quotations(text, Span::new(0, text.len()))
            .iter()
            .map(|q| q.inner.of(text))
            .collect()
    }

    #[test]
    fn straight_and_curly_marks() {
        assert_eq!(quoted("\"It will rain,\" he said."), ["It will rain,"]);
        assert_eq!(quoted("“It will rain,” he said."), ["It will rain,"]);
    }

    #[test]
    fn a_quotation_continued_after_he_said_is_two_quotations() {
        let text = "“It will rain,” he said, “and then it will flood.”";
        assert_eq!(quoted(text), ["It will rain,", "and then it will flood."]);
    }

    #[test]
    fn nested_quotations_stay_inside() {
        let text = "“It is a ‘strategic partnership,’ not an alliance,” she said.";
        assert_eq!(
            quoted(text),
            ["It is a ‘strategic partnership,’ not an alliance,"]
        );
        let text = "“They called it “a deal” at once,” she said.";
        assert_eq!(quoted(text), ["They called it “a deal” at once,"]);
        let text = "\"He called it 'a deal' today,\" she said.";
        assert_eq!(quoted(text), ["He called it 'a deal' today,"]);
    }

    #[test]
    fn an_unclosed_quotation_runs_to_the_paragraph_end() {
        let text = "\"Prices will rise. Wages will not keep up.";
        let found = quotations(text, Span::new(0, text.len()));
        assert_eq!(found.len(), 1);
        assert!(found[0].open_ended);
        assert_eq!(
            found[0].inner.of(text),
            "Prices will rise. Wages will not keep up."
        );
    }

    #[test]
    fn british_single_marks_but_not_apostrophes() {
        let text = "‘Rates will fall soon,’ she said. It’s the Bank’s call.";
        assert_eq!(quoted(text), ["Rates will fall soon,"]);
        assert!(quoted("Russia's and the Koreans' ties are 'special'.").is_empty());
    }

    #[test]
    fn offsets_are_of_the_whole_text() {
        let text = "Intro.\n“Yes, it will,” he said.";
        let para = Span::new(7, text.len());
        let found = quotations(text, para);
        assert_eq!(found[0].inner.of(text), "Yes, it will,");
        assert_eq!(found[0].outer.of(text), "“Yes, it will,”");
    }
}

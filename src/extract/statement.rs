//! A draft statement of the predicted event: the clause without its hedge and its speaker, in
//! the present tense, stated positively ("X is unlikely to happen" → "X happens."; the
//! probability carries the doubt), capitalised, with a final stop. The analyst edits it.

use std::sync::LazyLock;

use super::text::{Span, Word, WordSet};
use super::triggers::{Shape, Trigger, find, lower};

/// Words after a comma where the predicted clause's own words end.
static CUT_AFTER_COMMA: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "which who whose as because since while although though mindful \
    considering given according confirming sending after where when driven paid putting amid \
    despite partly thereby rather leaving down up up so if unless with in not but saying \
    adding",
    )
});
static OPENERS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "that and but so therefore instead however additionally also now then \
    thus yet still meanwhile moreover",
    )
});
static THINKING: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("think believe expect suspect guess reckon say feel hope fear"));

/// The statement for trigger `t` in words[a..b]; `context` is the statement before it in the
/// article, for "The possibility is low."
pub fn draft(
    text: &str,
    sw: &[Word],
    a: usize,
    b: usize,
    t: &Trigger,
    context: Option<&str>,
) -> String {
    let drafted = match t.shape {
        Shape::Modal | Shape::Infinitive => clause(
            text,
            sw,
            subject_start(text, sw, a, t.first),
            t.first,
            t.verb,
            b,
        ),
        Shape::Arrives => {
            let s = subject_start(text, sw, a, t.first);
            let subject = subject_text(text, sw, s, t.first);
            let rest = words_text(text, sw, t.verb, cut(text, sw, t.verb, b));
            let verb = if plural(sw, s, t.first) {
                "come"
            } else {
                "comes"
            };
            join(&[&subject, verb, &rest])
        }
        Shape::ThatClause => inner_clause(text, sw, t.verb, b),
        Shape::Stance => {
            let to = (t.verb..b).find(|&j| lower(sw, j) == "to");
            match to {
                Some(to) if to > t.verb => clause(text, sw, t.verb, to, to + 1, b),
                _ => there_is(text, sw, t.verb, b),
            }
        }
        Shape::Predicate => {
            let of = (t.first..b).find(|&j| lower(sw, j) == "of");
            let be = (t.first..b).find(|&j| matches!(lower(sw, j), "is" | "are" | "was" | "were"));
            match (of, be) {
                (Some(of), Some(be)) if be > of + 1 => there_is(text, sw, of + 1, be),
                _ if is_bare_possibility(sw, a, t) => {
                    context.map(str::to_string).unwrap_or_default()
                }
                (_, Some(be)) if be > a => {
                    let s = subject_start(text, sw, a, be);
                    there_is(text, sw, s, be)
                }
                _ => String::new(),
            }
        }
        Shape::Number => {
            let that = (t.verb..b).find(|&j| lower(sw, j) == "that");
            match that {
                Some(j) => inner_clause(text, sw, j + 1, b),
                None => words_text(text, sw, subject_start(text, sw, a, b), b),
            }
        }
    };
    let drafted = if drafted.trim().is_empty() {
        words_text(text, sw, a, b)
    } else {
        drafted
    };
    finish(&drafted)
}

fn is_bare_possibility(sw: &[Word], a: usize, t: &Trigger) -> bool {
    (a..t.verb).all(|j| {
        matches!(
            lower(sw, j),
            "the"
                | "a"
                | "possibility"
                | "chance"
                | "chances"
                | "probability"
                | "likelihood"
                | "odds"
                | "is"
                | "are"
                | "very"
                | "quite"
                | "slim"
                | "low"
                | "small"
                | "high"
                | "remote"
        )
    })
}

/// Where the subject starts: after openers ("Therefore", "As a result,"), after "I think
/// (that)" and after a reporting clause's "that".
fn subject_start(text: &str, sw: &[Word], a: usize, end: usize) -> usize {
    let mut s = a;
    if let Some(j) = (a..end)
        .rev()
        .find(|&j| THINKING.has(lower(sw, j)) || lower(sw, j) == "that")
        && j + 1 < end
        && (lower(sw, j) != "that" || j < a + 10)
    {
        s = j + 1;
    }
    loop {
        while s < end && OPENERS.has(lower(sw, s)) {
            s += 1;
        }
        // A short opening phrase ended by a comma: "As a result,", "In my opinion,".
        let comma = (s + 1..end.min(s + 5)).find(|&j| gap(text, sw, j).contains(','));
        match comma {
            Some(j) if OPENING_PHRASE.has(lower(sw, s)) => s = j,
            _ => break,
        }
    }
    s
}

/// Words that open a phrase set off before a clause's subject.
static OPENING_PHRASE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "as in from with after before by for on at under given despite \
    for seeing considering if since according indeed still",
    )
});

fn gap<'a>(text: &'a str, sw: &[Word], j: usize) -> &'a str {
    if j == 0 || j >= sw.len() {
        return "";
    }
    Span::new(sw[j - 1].span.end, sw[j].span.start).of(text)
}

/// The subject without what is set off by commas inside it: "Russia, considering X, might"
/// → "Russia".
fn subject_text(text: &str, sw: &[Word], s: usize, e: usize) -> String {
    let cut = (s + 1..e).find(|&j| gap(text, sw, j).contains(','));
    words_text(text, sw, s, cut.unwrap_or(e))
}

/// "the Bank would probably lower rates" → "The Bank lowers rates".
fn clause(text: &str, sw: &[Word], s: usize, subject_end: usize, verb: usize, b: usize) -> String {
    let subject = subject_text(text, sw, s, subject_end);
    let end = cut(text, sw, verb, b);
    if verb >= end {
        return subject;
    }
    let plural = plural(sw, s, subject_end) || subject.is_empty();
    let conjugated = present(
        &sw[verb].lower,
        plural,
        lower(sw, s.min(subject_end.saturating_sub(1))) == "i",
    );
    let rest = words_text(text, sw, verb + 1, end);
    join(&[&subject, &conjugated, &rest])
}

/// A that-clause: its own forecast drafted if it has one, else the clause as it is.
fn inner_clause(text: &str, sw: &[Word], from: usize, b: usize) -> String {
    let inner = find(text, sw, from, b);
    match inner
        .iter()
        .find(|t| matches!(t.shape, Shape::Modal | Shape::Infinitive))
    {
        Some(t) => clause(
            text,
            sw,
            subject_start(text, sw, from, t.first),
            t.first,
            t.verb,
            b,
        ),
        None => words_text(text, sw, from, cut(text, sw, from, b)),
    }
}

fn there_is(text: &str, sw: &[Word], from: usize, to: usize) -> String {
    let end = cut(text, sw, from, to);
    let np = words_text(text, sw, from, end);
    if np.is_empty() {
        String::new()
    } else {
        format!("There is {np}")
    }
}

/// Where the clause's own words end: at a comma before a word that starts another clause.
fn cut(text: &str, sw: &[Word], from: usize, b: usize) -> usize {
    (from + 1..b)
        .find(|&j| {
            let gap = Span::new(sw[j - 1].span.end, sw[j].span.start).of(text);
            (gap.contains(',')
                && (CUT_AFTER_COMMA.has(lower(sw, j)) || lower(sw, j).ends_with("ing")))
                || gap.contains(['—', '–', ';'])
        })
        .unwrap_or(b)
}

fn words_text(text: &str, sw: &[Word], from: usize, to: usize) -> String {
    if from >= to || to > sw.len() {
        return String::new();
    }
    let mut end = sw[to - 1].span.end;
    if text.get(end..).is_some_and(|rest| rest.starts_with('%')) {
        end += 1;
    }
    Span::new(sw[from].span.start, end).of(text).to_string()
}

/// Whether a subject is plural: two joined by "and", or a head noun in -s.
fn plural(sw: &[Word], s: usize, e: usize) -> bool {
    let head_end = (s..e)
        .find(|&j| {
            j > s
                && (matches!(
                    lower(sw, j),
                    "of" | "in"
                        | "at"
                        | "on"
                        | "for"
                        | "with"
                        | "from"
                        | "to"
                        | "between"
                        | "who"
                        | "which"
                        | "that"
                        | "pertaining"
                        | "during"
                ) || lower(sw, j).ends_with("ing"))
        })
        .unwrap_or(e);
    if (s..head_end).any(|j| lower(sw, j) == "and") {
        return true;
    }
    let Some(head) = head_end
        .checked_sub(1)
        .filter(|h| *h >= s)
        .map(|h| lower(sw, h))
    else {
        return false;
    };
    matches!(
        head,
        "they" | "we" | "you" | "i" | "people" | "police" | "both" | "these" | "those"
    ) || (head.len() > 3
        && head.ends_with('s')
        && !head.ends_with("ss")
        && !head.ends_with("us")
        && !head.ends_with("is")
        && !head.ends_with("'s"))
}

/// The present tense of a base verb.
fn present(verb: &str, plural: bool, first_person: bool) -> String {
    match verb {
        "be" if first_person => "am".into(),
        "be" => {
            if plural {
                "are".into()
            } else {
                "is".into()
            }
        }
        _ if plural || first_person => verb.into(),
        "have" => "has".into(),
        "do" => "does".into(),
        "go" => "goes".into(),
        v if v.ends_with(['s', 'x', 'z', 'o']) || v.ends_with("ch") || v.ends_with("sh") => {
            format!("{v}es")
        }
        v if v.ends_with('y') && !["ay", "ey", "oy", "uy"].iter().any(|e| v.ends_with(e)) => {
            format!("{}ies", &v[..v.len() - 1])
        }
        v => format!("{v}s"),
    }
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotation marks out, spaces collapsed, a capital first and a stop last.
fn finish(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let apostrophe = matches!(c, '\'' | '’')
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if matches!(c, '"' | '“' | '”' | '‘' | '«' | '»')
            || (matches!(c, '\'' | '’') && !apostrophe)
        {
            continue;
        }
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim().trim_end_matches([',', ';', ':', '.', ' ']);
    let mut chars = trimmed.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    format!("{}{}.", first.to_uppercase(), chars.as_str())
}

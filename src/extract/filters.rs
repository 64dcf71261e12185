//! What looks like a forecast but is not: a question ("which side will be more important"), a
//! condition ("if Putin visits, it will do more harm than good"), a clause that only says when
//! something else happens ("before it could ease policy"), a speaker's own pledge ("we will
//! ensure"), a wish ("would like to"), a motive or an interpretation ("is likely an attempt to",
//! "could be seen as"), a judgement that cannot come true or false ("will become the most
//! important event"), a counterfactual ("would have"), and background in a relative clause
//! ("actions that could provoke").

use std::sync::LazyLock;

use super::text::{Span, Word, WordSet};
use super::triggers::{Shape, Trigger, is_hedge_before_modal, lower};

static SUBORDINATORS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "whether which what who how why where when if before until unless \
    once till lest whenever",
    )
});
static PRONOUNS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new("it they he she we i you"));
static PLEDGES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "ensure make keep continue work fight do take provide support help \
    defend protect seek try strive pursue respond allow stand invest build deliver push press \
    cooperate consider review look monitor study act maintain never not give bring put fix \
    hold stay remain be have know see need want let talk discuss examine announce decide \
    follow wait accept reject stick",
    )
});
static WISHES: LazyLock<WordSet> = LazyLock::new(|| WordSet::new("like love rather prefer"));
/// What someone will want or try is not an event that comes true or false.
static DESIRES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new("try attempt aim strive want wish hope intend plan prefer"));
static MOTIVES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "attempt bid ploy tactic way sign signal message move gesture pressure \
    effort intended meant aimed designed seen viewed interpreted regarded perceived considered \
    read taken",
    )
});
static EVALUATIVE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "important significant crucial critical key vital essential symbolic \
    historic meaningful undesirable desirable welcome unwelcome interesting notable remarkable \
    good bad great helpful harmful beneficial mistake unprecedented groundbreaking dangerous \
    problematic positive negative worrying concerning encouraging harm disaster tragedy wise \
    unwise fair unfair right wrong",
    )
});
static REPORTING_OR_HEDGE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "said says say believe believes think thinks expect expects \
    predict predicts likely unlikely possible possibility chance is was fear fears hope hopes \
    warned warns suggest suggests argue argues told noted added clear certain sure probable \
    expected risk view concern concerns speculation",
    )
});

/// Why the trigger `t` (in words[a..b] of a sentence, within `region`, the quoted or unquoted
/// run it is in) is not a forecast, or None when it is one.
pub fn rejection(
    text: &str,
    sw: &[Word],
    region_start: usize,
    a: usize,
    t: &Trigger,
) -> Option<&'static str> {
    if t.shape == Shape::Number {
        return None;
    }
    if t.shape == Shape::Modal && t.past {
        return Some("a counterfactual");
    }
    let clause = last_comma(text, sw, a, t.first);
    let subordinate = |j: usize| {
        let w = lower(sw, j);
        // "before Thursday" is a time; "before it could" a clause.
        let temporal = matches!(w, "before" | "until" | "till" | "once");
        // "What I can say is that it will ...": a cleft, the clause after "is that" its own.
        let cleft = w == "what"
            && (j + 1..t.first)
                .any(|k| matches!(lower(sw, k), "is" | "was") && lower(sw, k + 1) == "that");
        SUBORDINATORS.has(w) && !cleft && (!temporal || PRONOUNS.has(lower(sw, j + 1)))
    };
    if (clause..t.first).any(subordinate) {
        return Some("a question or a subordinate clause");
    }
    if (region_start..t.first).any(|j| {
        matches!(lower(sw, j), "if" | "unless")
            && !matches!(lower(sw, j.wrapping_sub(1)), "even" | "as" | "only")
    }) {
        return Some("a condition");
    }
    let going = t.key.ends_with("going to");
    if (t.shape == Shape::Modal || going)
        && let Some(reason) = modal_rejection(sw, a, t)
    {
        return Some(reason);
    }
    if effort_or_idiom(sw, t) {
        return Some("an effort or a figure of speech");
    }
    if lower(sw, t.verb) == "be" && lower(sw, t.verb + 1) == "to" {
        return Some("an aim (\"will be to ...\")");
    }
    if motive_or_judgement(sw, t) {
        return Some("a motive, an interpretation or a judgement");
    }
    None
}

fn last_comma(text: &str, sw: &[Word], a: usize, before: usize) -> usize {
    (a + 1..=before.min(sw.len().saturating_sub(1)))
        .rev()
        .find(|&j| {
            Span::new(sw[j - 1].span.end, sw[j].span.start)
                .of(text)
                .contains([',', ';', ':'])
        })
        .unwrap_or(a)
}

/// "will do everything they can", "will pay the price", "more harm than good".
fn effort_or_idiom(sw: &[Word], t: &Trigger) -> bool {
    let next: Vec<&str> = (t.verb..t.verb + 5).map(|j| lower(sw, j)).collect();
    let effort = next[0] == "do"
        && matches!(
            next[1],
            "everything"
                | "whatever"
                | "all"
                | "what"
                | "our"
                | "their"
                | "its"
                | "my"
                | "his"
                | "her"
        );
    let idiom = next.windows(3).any(|w| {
        matches!(w, ["tie", "the", "hands"] | ["open", "the", "floodgates"])
            || matches!(
                w,
                ["pay", "the", "price"] | ["pay", "a", "price"] | ["pay", "a", "heavy"]
            )
    });
    effort || idiom
}

fn modal_rejection(sw: &[Word], a: usize, t: &Trigger) -> Option<&'static str> {
    // The word before the subject: "we are going to" has the copula in between.
    // The modal itself ("likely will": the hedge comes first).
    let at = (t.first..t.verb)
        .find(|&j| !is_hedge_before_modal(lower(sw, j)))
        .unwrap_or(t.first);
    let modal = lower(sw, at);
    let mut s = t.first;
    while s > a
        && matches!(
            lower(sw, s - 1),
            "also"
                | "certainly"
                | "definitely"
                | "never"
                | "still"
                | "then"
                | "now"
                | "all"
                | "both"
        )
    {
        s -= 1;
    }
    let subject = if s > a { lower(sw, s - 1) } else { "" };
    let subject =
        if matches!(modal, "are" | "am" | "'re") || modal.ends_with("'re") || modal.ends_with("'m")
        {
            match modal {
                "we're" => "we",
                "i'm" => "i",
                _ => subject,
            }
        } else {
            subject
        };
    let first_person =
        matches!(subject, "i" | "we") || ["i'll", "we'll", "i'd", "we'd"].contains(&modal);
    let verb = lower(sw, t.verb);
    if first_person && PLEDGES.has(verb) && !(verb == "have" && lower(sw, t.verb + 1) == "to") {
        return Some("a pledge");
    }
    let tries = matches!(verb, "try" | "attempt" | "aim" | "strive");
    let will = modal == "will" || modal.ends_with("'ll");
    if (modal.starts_with("would") && WISHES.has(verb)) || (DESIRES.has(verb) && (!tries || will)) {
        return Some("a wish");
    }
    let perceives = matches!(
        verb,
        "interpret" | "view" | "see" | "regard" | "perceive" | "consider" | "read"
    );
    if perceives && (t.verb + 1..t.verb + 12).any(|j| lower(sw, j) == "as") {
        return Some("an interpretation");
    }
    if matches!(subject, "that" | "which" | "who") && s >= a + 2 {
        let before = lower(sw, s - 2);
        if !REPORTING_OR_HEDGE.has(before) {
            return Some("a relative clause");
        }
    }
    None
}

/// "is likely an attempt to", "could be seen as", "will become the most important event",
/// "will do more harm than good".
fn motive_or_judgement(sw: &[Word], t: &Trigger) -> bool {
    let from = t.verb;
    let window: Vec<&str> = (from..from + 5).map(|j| lower(sw, j)).collect();
    let copular = matches!(
        window.first().copied(),
        Some("be" | "become" | "remain" | "prove" | "seem" | "look" | "mark" | "represent")
    );
    let after_copula = if copular { &window[1..] } else { &window[..] };
    let motive = after_copula.iter().take(3).any(|w| MOTIVES.has(w))
        && (copular || matches!(t.shape, Shape::Predicate));
    let judgement = copular && after_copula.iter().take(4).any(|w| EVALUATIVE.has(w));
    let harm = window.windows(3).any(|w| w == ["harm", "than", "good"]);
    motive || judgement || harm
}

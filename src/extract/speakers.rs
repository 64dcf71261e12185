//! Who a speaker is, from the words that name them: a person ("Lim Eul-chul", "Russian
//! President Vladimir Putin" → "Vladimir Putin" with the title "Russian President"), two people
//! speaking together ("Kim Sung-bae and Kim Jong-won"), an organisation ("The Royal Institution
//! of Housing Surveyors"), or a description kept as printed ("a senior presidential official",
//! "experts in Seoul", "some"), never guessed to be anyone. A pronoun or a bare surname is
//! resolved to the person last named with it; an apposition ("Lim, a professor at Kyungnam
//! University,") gives the title and the affiliation.

use std::sync::LazyLock;

use super::SpeakerKind;
use super::text::{NAME_TITLES, NOT_NAMES, Span, Word, WordSet};

/// A speaker as the article names them, resolved where it can be.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    pub name: String,
    pub kind: SpeakerKind,
    pub title: Option<String>,
    pub affiliation: Option<String>,
}

/// Nouns that head a description of someone who can speak or forecast.
pub static HUMAN: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "one expert analyst observer official source economist diplomat researcher \
    scholar scientist professor academic strategist forecaster insider critic commentator \
    pundit adviser advisor aide spokesperson spokesman spokeswoman representative lawmaker \
    legislator senator minister ministry government administration office department agency \
    authorities authority bank company firm club team campaign committee council commission \
    board union party people person investor trader banker executive manager coach leader \
    president chairman director chief head fellow member officer commander envoy ambassador \
    negotiator journalist correspondent institute university organization organisation group \
    prosecutor judge doctor engineer bookmaker pollster respondent participant panelist market \
    economist watcher specialist consultant historian lawyer veteran player resident citizen \
    some many most other others several few everyone nobody both all administration military kremlin \
    regulator staff planner student supporter opponent rival ally allies partner",
    )
});

/// Words of an organisation's name, not a person's.
pub(super) static ORG_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "university institute institution bank group securities \
    capital research partners ministry office agency inc corp company association council \
    committee fund party government administration department commission centre center \
    foundation daily herald times news post journal kremlin house club league united fc \
    semiconductor technologies systems motors airlines energy holdings labs industries \
    electronics services board court parliament congress senate union organization \
    organisation forum academy school college press media network reuters ap afp yonhap kcna \
    analytics economics associates management investments markets exchange reserve fed \
    treasury police army navy forces embassy surveyors studies korea states kingdom republic \
    city county north south east west nations ltd plc llc co sachs stanley rate index council \
    authority service bureau trust alliance",
    )
});

/// Words of a title or role in an apposition ("a professor at ...").
pub(super) static ROLE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "professor researcher fellow director chief president analyst \
    economist minister spokesperson spokesman spokeswoman head adviser advisor aide official \
    strategist executive ceo chairman chairwoman chair secretary manager coach captain striker \
    defender scientist scholar lecturer expert editor founder partner governor senator member \
    leader commander ambassador envoy correspondent dean historian consultant columnist \
    academic specialist lawyer banker trader investor author journalist candidate mayor deputy \
    officer representative lawmaker researchers analysts experts economists officials \
    professors director-general vice principal associate politician diplomat general admiral \
    scientist owner pollster",
    )
});

/// Words that end a noun phrase: verbs, relative words, conjunctions of clauses.
pub(super) static BREAKS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "is are was were be been being has have had that which who \
    whom whose where when while because if as than to will would may might could can should \
    said says polled surveyed asked leading prompting who's it's there's also not",
    )
});

pub(super) static PREPOSITIONS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "in at from with of for by on to about against between \
    among than into over under after before during since",
    )
});

fn plural_stem(word: &str) -> &str {
    word.strip_suffix("ies")
        .filter(|_| word.len() > 4)
        .map(|_| word)
        .or_else(|| word.strip_suffix('s').filter(|s| s.len() > 2))
        .unwrap_or(word)
}

/// Words in -ist that are not people.
static NOT_TRADES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "exist insist persist resist assist consist subsist desist enlist checklist playlist wishlist",
    )
});

/// Whether `lower` is (the plural of) a noun of a speaker.
pub fn is_human_noun(lower: &str) -> bool {
    let stem = plural_stem(lower);
    // economist, meteorologist, statistician: people by their trade.
    let trade = (stem.len() > 5 && (stem.ends_with("ist") || stem.ends_with("ician")))
        && !NOT_TRADES.has(stem);
    trade
        || HUMAN.has(lower)
        || HUMAN.has(stem)
        || lower == "authorities"
        || lower == "people"
        || (lower.ends_with("ies") && HUMAN.has(format!("{}y", &lower[..lower.len() - 3]).as_str()))
}

pub(super) fn is_role(lower: &str) -> bool {
    ROLE.has(lower) || ROLE.has(plural_stem(lower))
}

pub(super) fn is_name_word(w: &Word, text: &str) -> bool {
    let printed = w.text(text);
    let first = printed.chars().next();
    first.is_some_and(char::is_uppercase)
        && !NOT_NAMES.has(w.lower.as_str())
        && !w.lower.ends_with("'s")
        && printed.chars().any(char::is_alphabetic)
}

/// How many of the latest speakers and names are kept (at least): more than an article names,
/// and a bound on the work of a lookup in a megabyte of text.
const KEPT: usize = 64;

/// A speaker noted, with their name in lower case and whether they are one person.
#[derive(Debug)]
struct Noted {
    at: usize,
    speaker: Speaker,
    lower: String,
    one_person: bool,
}

/// People and organisations named so far in the article, with where they were named.
#[derive(Debug, Default)]
pub struct Registry {
    speakers: Vec<Noted>,
    /// Names of people mentioned outside quotations: where, as printed, in lower case.
    mentions: Vec<(usize, String, String)>,
}

fn keep_latest<T>(list: &mut Vec<T>) {
    if list.len() > 2 * KEPT {
        list.drain(..KEPT);
    }
}

/// Whether a name (lower case) is `key` or has it as one of its words.
fn names(lower: &str, key: &str) -> bool {
    (key.contains(' ') && lower == key) || lower.split([' ', '-']).any(|t| t == key)
}

impl Registry {
    pub fn note_speaker(&mut self, at: usize, speaker: &Speaker) {
        self.speakers.push(Noted {
            at,
            lower: speaker.name.to_lowercase(),
            one_person: speaker.kind == SpeakerKind::Person || one_described(speaker),
            speaker: speaker.clone(),
        });
        keep_latest(&mut self.speakers);
    }

    /// Notes the names of people among `words` (a sentence's words outside quotations), for
    /// resolving a pronoun or a bare surname later.
    pub fn note_mentions(&mut self, text: &str, words: &[Word]) {
        let mut i = 0;
        while i < words.len() {
            if !is_name_word(&words[i], text) {
                i += 1;
                continue;
            }
            let start = i;
            let joins = |j: usize| {
                matches!(words[j].lower.as_str(), "of" | "for" | "the")
                    && words.get(j + 1).is_some_and(|n| is_name_word(n, text))
            };
            while i < words.len()
                && (is_name_word(&words[i], text) || (i > start && joins(i)))
                && (i == start || !gap_breaks(text, words, i))
            {
                i += 1;
            }
            let (first_name, _) = strip_titles(words, start, i);
            let tokens = &words[first_name..i];
            let person = (2..=4).contains(&tokens.len())
                && tokens
                    .iter()
                    .all(|w| !ORG_WORDS.has(w.lower.as_str()) && is_name_word(w, text));
            if person {
                let name = Span::new(tokens[0].span.start, tokens[tokens.len() - 1].span.end);
                let printed = name.of(text).to_string();
                self.mentions
                    .push((name.start, printed.to_lowercase(), printed));
                keep_latest(&mut self.mentions);
            }
        }
    }

    /// The speaker "he", "she", "they" or "it" at byte `at` stands for: for "he" and "she"
    /// the person last named before it, for "they" the last group or collective speaker, for
    /// "it" the last organisation that spoke.
    pub fn pronoun(&self, lower: &str, at: usize) -> Option<Speaker> {
        let before = |n: &&Noted| n.at < at;
        let latest = |wanted: &dyn Fn(&Noted) -> bool| {
            self.speakers
                .iter()
                .rev()
                .filter(before)
                .find(|n| wanted(n))
                .map(|n| (n.at, &n.speaker))
        };
        match lower {
            "he" | "she" => {
                let speaker = latest(&|n| n.one_person);
                let mention = self.mentions.iter().rev().find(|(p, _, _)| *p < at);
                match (speaker, mention) {
                    (Some((sp, s)), Some((mp, ml, _)))
                        if *mp > sp && !s.name.to_lowercase().contains(ml.as_str()) =>
                    {
                        Some(self.surname(&mention.map_or(String::new(), |m| m.2.clone())))
                    }
                    (Some((_, s)), _) => Some(s.clone()),
                    (None, Some((_, _, m))) => Some(person(m.clone())),
                    (None, None) => None,
                }
            }
            "they" => {
                latest(&|n| matches!(n.speaker.kind, SpeakerKind::Group | SpeakerKind::Collective))
                    .map(|(_, s)| s.clone())
            }
            "it" => latest(&|n| {
                n.speaker.kind == SpeakerKind::Collective
                    && n.speaker
                        .name
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
            })
            .map(|(_, s)| s.clone()),
            _ => None,
        }
    }

    /// The person (or organisation) a surname or name names: the last speaker with that word
    /// in their name, else the last person named with it, else the name as printed.
    pub fn surname(&self, printed: &str) -> Speaker {
        let key = printed.to_lowercase();
        let speaker = self.speakers.iter().rev().find(|n| {
            matches!(
                n.speaker.kind,
                SpeakerKind::Person | SpeakerKind::Collective
            ) && names(&n.lower, &key)
        });
        if let Some(n) = speaker {
            return n.speaker.clone();
        }
        if let Some((_, _, name)) = self.mentions.iter().rev().find(|(_, l, _)| names(l, &key)) {
            return person(name.clone());
        }
        person(printed.to_string())
    }
}

/// A described speaker who is one person: "a senior ministry official", "the spokesman".
fn one_described(s: &Speaker) -> bool {
    let mut words = s.name.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let last = s
        .name
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_lowercase();
    s.kind == SpeakerKind::Collective
        && matches!(first.as_str(), "a" | "an" | "the" | "one")
        && ROLE.has(&last)
        && !last.ends_with('s')
}

fn gap_breaks(text: &str, words: &[Word], i: usize) -> bool {
    Span::new(words[i - 1].span.end, words[i].span.start)
        .of(text)
        .contains([',', '.', ';', ':', '(', ')', '"', '“', '”'])
}

pub(super) fn person(name: String) -> Speaker {
    Speaker {
        name,
        kind: SpeakerKind::Person,
        title: None,
        affiliation: None,
    }
}

/// Leading title words of a name run ("Russian President", "Gov.") and where the name starts.
pub(super) fn strip_titles(words: &[Word], start: usize, end: usize) -> (usize, Option<Span>) {
    let mut i = start;
    while end - i > 1 {
        let lower = words[i].lower.trim_end_matches('.');
        let nationality = ["an", "ese", "ish", "i"].iter().any(|s| lower.ends_with(s))
            && words
                .get(i + 1)
                .is_some_and(|n| NAME_TITLES.has(n.lower.as_str()));
        if NAME_TITLES.has(words[i].lower.as_str()) || NAME_TITLES.has(lower) || nationality {
            i += 1;
        } else {
            break;
        }
    }
    let title = (i > start).then(|| Span::new(words[start].span.start, words[i - 1].span.end));
    (i, title)
}

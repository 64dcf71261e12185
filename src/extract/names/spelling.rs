//! Keys under which the spellings of one person's name meet.
//!
//! English-language news romanises Korean names in several systems at once (Revised
//! Romanization, McCune-Reischauer, the bearer's own spelling) and transliterates Russian and
//! Arabic names in several more, so the same person is printed as "Joh Han-beom" in one outlet
//! and "Cho Han-bum" in another. [`spelling_key`] folds those differences away; [`name_key`] only
//! folds case, spacing and punctuation, the way the database's alias key does.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Titles printed before a name, dropped before matching ("Mr. Asmolov", "Prof. Lim").
const HONORIFICS: &str = "mr mrs ms miss mx dr prof professor sir dame gen general col lt capt adm \
                          rev sen senator rep gov amb ambassador";

/// Generational suffixes printed after a name.
const SUFFIXES: &str = "jr sr ii iii iv";

/// Whole words spelled differently in different romanisations, one line each: the spelling the
/// key uses, then its variants. Korean surnames whose variants the letter rules do not reach
/// (Lee/Yi/Rhee, Park/Pak), then Russian and Arabic given names.
const WORD_VARIANTS: &str = "
    lee: yi rhee ri rhie rhi i yee ree
    park: pak bak bahk pack
    kim: ghim gim
    choi: choe chey choy chwe
    lim: im rim yim
    ahn: an
    son: sohn
    baek: paik paek baik back
    heo: hur huh hu
    noh: roh no ro rho
    na: ra la
    yu: ryu yoo you ryoo rhyu
    woo: u wu
    eom: um uhm eum
    yuri: iouri iuri youri juri jurij yurii yuriy yury
    sergei: serguei sergey sergej
    aleksandr: alexander alexandr aleksander alexandre
    dmitri: dimitri dimitry dmitry dmitriy dmitrii
    mikhail: michail mihail mikhael
    fyodor: fedor feodor fiodor fjodor
    pyotr: petr pjotr
    ilya: ilja ilia
    konstantin: constantin constantine konstantine
    viktor: victor
    georgy: gueorgui georgi georgiy
    muhammad: mohammed mohammad mohamed mohamad muhammed muhamed muhamad mohd
    ahmad: ahmed
    husain: hussein husein hossein hosein hussain husayn
    khalid: khaled khaleed
    yusuf: youssef yousef yusef youssouf yousuf yousif yusif
    abdullah: abdallah abdulla abdalla
    ibrahim: ebrahim ibraheem
    hamid: hamed hameed
    majid: majed magid maged majeed
    nasser: nasir naser
    saeed: said saied sayeed
    faisal: feisal faysal
    rahman: rehman
    qaddafi: gaddafi kadhafi qadhafi gadhafi kaddafi";

/// Parts of an Arabic name spelled differently in different transliterations (the article
/// and "servant of"), matched as hyphenated parts as well as whole words.
const PART_VARIANTS: &str = "
    al: el ul
    abdal: abdel abdul abdoul";

/// Korean and Chinese surnames, whose bearers' names are printed surname first.
const EAST_ASIAN_SURNAMES: &str = "kim lee park choi jung kang cho yoon jang lim han oh seo shin \
    kwon hwang ahn song yoo hong jeon ko moon yang son bae baek heo nam sim noh ha kwak sung cha \
    joo woo koo min ryu na jin ji eom chae won bang kong hyun jeh doo xi wang li zhang liu chen \
    huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo";

type Variants = HashMap<&'static str, &'static str>;

/// A table of lines "canonical: variant variant ..." as a map from every spelling to the
/// canonical one.
fn variant_map(table: &'static str) -> Variants {
    let mut map = HashMap::new();
    for line in table.lines() {
        let Some((canonical, variants)) = line.split_once(':') else {
            continue;
        };
        let canonical = canonical.trim();
        map.insert(canonical, canonical);
        for variant in variants.split_whitespace() {
            map.insert(variant, canonical);
        }
    }
    map
}

static WORDS: LazyLock<Variants> = LazyLock::new(|| variant_map(WORD_VARIANTS));
static PARTS: LazyLock<Variants> = LazyLock::new(|| variant_map(PART_VARIANTS));
static SURNAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    EAST_ASIAN_SURNAMES
        .split_whitespace()
        .map(|surname| word_key(&[surname.to_string()]))
        .collect()
});

/// A name's words, each a list of its hyphenated parts.
pub(crate) type Words = Vec<Vec<String>>;

/// A name as words: lower case, diacritics and apostrophes dropped, other punctuation a
/// separator, leading titles ("Mr.", "Prof."), generational suffixes and a possessive "'s"
/// removed.
pub(crate) fn name_words(name: &str) -> Words {
    let mut words: Words = Vec::new();
    for raw in name.split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '(') {
        let raw = raw
            .strip_suffix("'s")
            .or_else(|| raw.strip_suffix("\u{2019}s"))
            .unwrap_or(raw);
        let mut parts = Vec::new();
        for part in raw.split(is_part_separator) {
            let folded = fold(part);
            if !folded.is_empty() {
                parts.push(folded);
            }
        }
        if !parts.is_empty() {
            words.push(parts);
        }
    }
    while words.len() > 1 && words.first().is_some_and(|w| is_one_of(w, HONORIFICS)) {
        words.remove(0);
    }
    while words.len() > 1 && words.last().is_some_and(|w| is_one_of(w, SUFFIXES)) {
        words.pop();
    }
    words
}

fn is_part_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '_' | ')' | ';' | ':'
    )
}

fn is_one_of(word: &[String], list: &str) -> bool {
    matches!(word, [only] if list.split_whitespace().any(|listed| listed == only))
}

/// Lower case ASCII letters and digits of `part`, diacritics folded ("Jŏng" → "jong"); other
/// scripts' letters kept as they are.
fn fold(part: &str) -> String {
    if part.is_ascii() {
        let mut out = part.to_ascii_lowercase();
        out.retain(|c| c.is_ascii_alphanumeric());
        return out;
    }
    let mut out = String::with_capacity(part.len());
    for c in part.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = fold_letter(c) {
            out.push_str(plain);
        } else if c.is_alphanumeric() {
            out.push(c);
        }
    }
    out
}

/// Latin letters with diacritics, as the plain letters English-language news prints them.
fn fold_letter(c: char) -> Option<&'static str> {
    const GROUPS: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ţťŧț", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("þ", "th"),
    ];
    GROUPS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map(|(_, plain)| *plain)
}

/// The key an alias is unique under, as the database has it, also ignoring punctuation,
/// diacritics and a leading title: "Mr. Joh Han-beom" → "johhanbeom".
pub fn name_key(name: &str) -> String {
    words_name_key(&name_words(name))
}

pub(crate) fn words_name_key(words: &[Vec<String>]) -> String {
    words.iter().flatten().map(String::as_str).collect()
}

/// The key under which the romanisations and transliterations of one name meet, ignoring case,
/// spaces, hyphens, punctuation, diacritics and a leading title. Two names with the same key are
/// probably one person spelled two ways (to be confirmed by an analyst, never merged silently).
///
/// Each word is first looked up among known variants (Korean surnames Lee/Yi/Rhee, Park/Pak,
/// Choi/Choe, Lim/Im; Russian and Arabic given names Yuri/Iouri, Aleksandr/Alexander,
/// Mohammed/Muhammad; the articles al-/el-), then its letters are folded:
///
/// - Korean vowels: eo, eu, ou, oo, u and o are one vowel; ae is e; ee is i;
/// - Korean consonants: j, ch and tch are one; b/p, g/k, d/t, l/r, s/sh, w/v, q/k, dh/d, zh/z,
///   wh/hw;
///   an h ending a syllable after a vowel is dropped (Joh = Jo, Jeh = Je);
/// - transliteration: x is ks; y before a consonant or at the end is i (Yury, Sergey, -sky);
///   a final j after a vowel is i (Sergej); i before a vowel is y (Natalia, Tatiana);
///   -yev after a vowel is -ev (Sergeyev); a final -ff is -v (Smirnoff); an initial ye
///   (not yeo) is e (Yevgeny, Yelena);
/// - finally doubled letters are single (Hussain, Shinn).
///
/// Words are joined without spaces, so "Han-beom", "Hanbeom" and "Han Beom" meet; the word
/// order is kept ("Kim Jong-un" and "Jong-un Kim" differ: [`super::ExpertIndex`] tries both).
/// `spelling_key("Joh Han-beom") == spelling_key("Cho Han-bum")`, while "Kim Jong-won" and
/// "Kim Sung-bae" keep different keys.
pub fn spelling_key(name: &str) -> String {
    words_spelling_key(&name_words(name))
}

pub(crate) fn words_spelling_key(words: &[Vec<String>]) -> String {
    let keys: Vec<String> = words.iter().map(|word| word_key(word)).collect();
    joined_key(&keys)
}

/// The spelling key of a name from its words' [`word_key`]s, in the order given.
pub(crate) fn joined_key<S: AsRef<str>>(word_keys: &[S]) -> String {
    let joined: String = word_keys.iter().map(AsRef::as_ref).collect();
    collapse_doubles(&joined)
}

/// The spelling key of one word (its parts joined), before doubled letters are collapsed.
pub(crate) fn word_key(parts: &[String]) -> String {
    let whole: String = parts.concat();
    if let Some(canonical) = WORDS.get(whole.as_str()) {
        return letters_key(canonical);
    }
    parts
        .iter()
        .map(|part| match PARTS.get(part.as_str()) {
            Some(canonical) => letters_key(canonical),
            None => letters_key(part),
        })
        .collect()
}

/// Whether a word (by its [`word_key`]) is a common Korean or Chinese surname, printed first.
pub(crate) fn is_east_asian_surname(word_key: &str) -> bool {
    SURNAMES.contains(word_key)
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Folds the letters of one syllable or word (see [`spelling_key`]).
fn letters_key(part: &str) -> String {
    let mut chars: Vec<char> = part.chars().collect();
    if part.contains("yev") {
        chars = vowel_yev_to_ev(&chars);
    }
    let mut out = String::with_capacity(chars.len() + 2);
    let mut i = 0;
    while let Some(rest) = chars.get(i..) {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let after_vowel = prev.is_some_and(is_vowel);
        let (folded, used): (&str, usize) = match rest {
            [] => break,
            ['t', 'c', 'h', ..] => ("c", 3),
            ['s', 'h', ..] => ("s", 2),
            ['c', 'h', ..] => ("c", 2),
            ['z', 'h', ..] => ("z", 2),
            ['w', 'h', ..] => ("hv", 2),
            ['d', 'h', ..] => ("t", 2),
            ['y', 'e', next, ..] if i == 0 && *next != 'o' => ("e", 2),
            ['e', 'o' | 'u', ..] | ['o', 'u' | 'o', ..] => ("o", 2),
            ['e', 'e', ..] => ("i", 2),
            ['a', 'e', ..] => ("e", 2),
            ['f', 'f'] => ("v", 2),
            ['i', 'a' | 'e' | 'o' | 'u', ..] => ("y", 1),
            ['y', ..] if rest.get(1).is_none_or(|c| !is_vowel(*c)) => ("i", 1),
            ['j'] if after_vowel => ("i", 1),
            ['h'] if after_vowel => ("", 1),
            ['j', ..] => ("c", 1),
            ['x', ..] => ("ks", 1),
            ['u', ..] => ("o", 1),
            ['g' | 'k' | 'q', ..] => ("k", 1),
            ['d', ..] => ("t", 1),
            ['b', ..] => ("p", 1),
            ['r', ..] => ("l", 1),
            ['w', ..] => ("v", 1),
            [c, ..] => {
                out.push(*c);
                i += 1;
                continue;
            }
        };
        out.push_str(folded);
        i += used;
    }
    out
}

/// Letters with "-yev" after a vowel read as "-ev" (Sergeyev = Sergeev, Nikolayev = Nikolaev).
fn vowel_yev_to_ev(source: &[char]) -> Vec<char> {
    let mut chars: Vec<char> = Vec::with_capacity(source.len());
    for (i, c) in source.iter().enumerate() {
        let vowel_before = i
            .checked_sub(1)
            .and_then(|p| source.get(p))
            .is_some_and(|p| is_vowel(*p));
        let ev_after = source.get(i + 1..i + 3) == Some(&['e', 'v'][..]);
        if !(*c == 'y' && vowel_before && ev_after) {
            chars.push(*c);
        }
    }
    chars
}

fn collapse_doubles(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut last = None;
    for c in key.chars() {
        if last != Some(c) || !c.is_alphabetic() {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

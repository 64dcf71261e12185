//! Matching a speaker's name as printed against the experts on record.
//!
//! A name matches exactly when it is an expert's slug, name or alias up to case, spacing,
//! hyphens, punctuation and a leading title; it is an alternative when it is the same name
//! spelled another way ([`spelling_key`]), the same name with the surname on the other side, or
//! a lone surname only one expert on record bears. Alternatives are proposed for an analyst to
//! confirm, never merged silently.

use std::collections::HashMap;

use super::KnownExpert;

mod spelling;
#[cfg(test)]
mod tests;

use spelling::{Words, is_east_asian_surname, joined_key, name_words, word_key, words_name_key};
pub use spelling::{name_key, spelling_key};

/// The most alternatives offered for one printed name.
pub const MAX_ALTERNATIVES: usize = 5;

/// How a printed name relates to the experts on record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertMatch {
    /// The one expert whose slug, name or alias is this name (case, spaces, hyphens ignored).
    pub exact: Option<String>,
    /// Experts whose name is this one spelled another way (romanisation, transliteration):
    /// proposed for the analyst to confirm, never merged silently.
    pub alternatives: Vec<String>,
}

/// The experts on record a printed name may be. Builds an [`ExpertIndex`] each call: to match
/// many names against the same experts, build the index once and call [`ExpertIndex::matches`].
pub fn match_expert(printed: &str, experts: &[KnownExpert]) -> ExpertMatch {
    ExpertIndex::new(experts).matches(printed)
}

/// How close an alternative is, closest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Closeness {
    /// The same name, but more than one expert bears it.
    SameName,
    /// The same name spelled another way.
    Spelling,
    /// The same name, given name and surname swapped ("Jong-un Kim").
    Reversed,
    /// A lone surname ("Mr. Asmolov") only this expert bears.
    Surname,
}

/// The experts on record with their keys computed once, for matching many printed names: each
/// lookup is a binary search in a sorted table, so an index of 10,000 experts answers about as
/// fast as one of ten.
#[derive(Debug, Clone, Default)]
pub struct ExpertIndex {
    slugs: Vec<String>,
    /// Every name's and alias's [`name_key`], for ordering alternatives by closeness.
    names: Vec<String>,
    /// Slugs', names' and aliases' [`name_key`]s → experts.
    exact: KeyTable<usize>,
    /// Names' and aliases' [`spelling_key`]s → (expert, name).
    spellings: KeyTable<(usize, usize)>,
    /// Surnames' spelling keys → experts.
    surnames: KeyTable<usize>,
}

impl ExpertIndex {
    /// Computes the keys of every expert's slug, name and aliases.
    pub fn new(experts: &[KnownExpert]) -> Self {
        let mut index = Self::default();
        for (expert, known) in experts.iter().enumerate() {
            index.slugs.push(known.slug.clone());
            index.exact.push(name_key(&known.slug), expert);
            for name in std::iter::once(&known.name).chain(&known.aliases) {
                index.add_name(&name_words(name), expert);
            }
        }
        index.exact.sort();
        index.spellings.sort();
        index.surnames.sort();
        index
    }

    /// The number of experts indexed.
    pub fn len(&self) -> usize {
        self.slugs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slugs.is_empty()
    }

    fn add_name(&mut self, words: &Words, expert: usize) {
        let key = words_name_key(words);
        if key.is_empty() {
            return;
        }
        self.exact.push(key.clone(), expert);
        let word_keys: Vec<String> = words.iter().map(|word| word_key(word)).collect();
        self.spellings
            .push(joined_key(&word_keys), (expert, self.names.len()));
        self.names.push(key);
        if let [first, .., last] = word_keys.as_slice() {
            self.surnames.push(joined_key(&[last]), expert);
            if is_east_asian_surname(first) {
                self.surnames.push(joined_key(&[first]), expert);
            }
        }
    }

    /// The experts on record `printed` may be: the one it names exactly, and up to
    /// [`MAX_ALTERNATIVES`] others it may be spelled for, closest first.
    pub fn matches(&self, printed: &str) -> ExpertMatch {
        let words = name_words(printed);
        let key = words_name_key(&words);
        if key.is_empty() {
            return ExpertMatch::default();
        }
        let exacts = self.exact.get(&key);
        let exact = match exacts {
            [(_, one)] => Some(*one),
            _ => None,
        };
        let mut found: HashMap<usize, (Closeness, usize)> = HashMap::new();
        let mut offer = |expert: usize, closeness: Closeness, distance: usize| {
            let best = found.entry(expert).or_insert((closeness, distance));
            *best = (*best).min((closeness, distance));
        };
        if exact.is_none() {
            for (_, expert) in exacts {
                offer(*expert, Closeness::SameName, 0);
            }
        }
        let word_keys: Vec<String> = words.iter().map(|word| word_key(word)).collect();
        for (spelling, closeness) in spellings(&word_keys) {
            for (_, (expert, name)) in self.spellings.get(&spelling) {
                let spelled = self.names.get(*name).map_or("", String::as_str);
                offer(*expert, closeness, strsim::levenshtein(&key, spelled));
            }
        }
        if let [surname] = word_keys.as_slice()
            && let [(_, one)] = self.surnames.get(&joined_key(&[surname]))
        {
            offer(*one, Closeness::Surname, 0);
        }
        ExpertMatch {
            exact: exact.and_then(|expert| self.slugs.get(expert).cloned()),
            alternatives: self.ranked(found, exact),
        }
    }

    fn ranked(
        &self,
        found: HashMap<usize, (Closeness, usize)>,
        exact: Option<usize>,
    ) -> Vec<String> {
        let exact_slug = exact.and_then(|expert| self.slugs.get(expert));
        let mut ranked: Vec<((Closeness, usize), &String)> = found
            .into_iter()
            .filter_map(|(expert, rank)| Some((rank, self.slugs.get(expert)?)))
            .filter(|(_, slug)| Some(*slug) != exact_slug)
            .collect();
        ranked.sort();
        let mut alternatives: Vec<String> = Vec::new();
        for (_, slug) in ranked {
            if alternatives.len() == MAX_ALTERNATIVES {
                break;
            }
            if !alternatives.contains(slug) {
                alternatives.push(slug.clone());
            }
        }
        alternatives
    }
}

/// The spelling keys a printed name is looked up under: as printed, then with the first word
/// moved last and the last word moved first ("Jong-un Kim" finds "Kim Jong-un").
fn spellings(word_keys: &[String]) -> Vec<(String, Closeness)> {
    let mut keys = vec![(joined_key(word_keys), Closeness::Spelling)];
    if word_keys.len() > 1 {
        let (mut first_last, mut last_first) = (word_keys.to_vec(), word_keys.to_vec());
        first_last.rotate_left(1);
        last_first.rotate_right(1);
        keys.push((joined_key(&first_last), Closeness::Reversed));
        if last_first != first_last {
            keys.push((joined_key(&last_first), Closeness::Reversed));
        }
    }
    keys
}

/// Keys and what they name, sorted by key once built: one allocation per entry, none per key.
#[derive(Debug, Clone)]
struct KeyTable<T> {
    entries: Vec<(String, T)>,
}

impl<T> Default for KeyTable<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

impl<T: Ord> KeyTable<T> {
    fn push(&mut self, key: String, value: T) {
        if !key.is_empty() {
            self.entries.push((key, value));
        }
    }

    fn sort(&mut self) {
        self.entries.sort_unstable();
        self.entries.dedup();
    }

    /// The entries under `key`, in the order of their values.
    fn get(&self, key: &str) -> &[(String, T)] {
        let start = self.entries.partition_point(|(k, _)| k.as_str() < key);
        let rest = self.entries.get(start..).unwrap_or_default();
        let length = rest.partition_point(|(k, _)| k.as_str() == key);
        rest.get(..length).unwrap_or_default()
    }
}

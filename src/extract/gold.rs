//! Scoring the reader against a gold table: a markdown table with one row a prediction, read by
//! its header names (the article column is "seed" or "article"; "speaker"; "quote" and/or
//! "words"; "p"; other columns, such as "attribution", are kept or ignored), and optionally a
//! table without a "p" column listing sentences that look like forecasts but are not.
//!
//! A candidate matches a row of its article when its quote shares at least half the words of
//! the shorter of the two (the row's quote if it has one, else its words); words are compared
//! in lower case without articles, prepositions, pronouns and forms of "be". Each candidate and
//! each row match at most once, best overlap first. Then: recall = matched rows / rows,
//! precision = matched candidates / candidates, speaker right and probability within 0.15 as
//! shares of the matched pairs. Speakers' names are compared by a romanisation-insensitive key;
//! described speakers ("experts in Seoul") by their words, half of the shorter's sufficing.

use std::sync::LazyLock;

use super::text::WordSet;
use std::collections::BTreeSet;

use super::{Candidate, SpeakerKind};

/// One prediction of the gold table.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldRow {
    pub article: String,
    /// The speaker as the table names them, without the parenthesised affiliation; several
    /// spellings of one person ("Cho Han-bum = Joh Han-beom") are alternatives.
    pub speakers: Vec<String>,
    /// The row names the article's own voice ("the article", "the writer").
    pub unattributed: bool,
    pub attribution: Option<String>,
    /// The quote if the table has one, else the hedge words.
    pub words: String,
    pub p: Option<f64>,
}

/// A sentence listed as looking like a forecast but not being one.
#[derive(Debug, Clone, PartialEq)]
pub struct NotForecast {
    pub article: String,
    pub sentence: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gold {
    pub rows: Vec<GoldRow>,
    pub not_forecasts: Vec<NotForecast>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoldError {
    #[error("no table with the columns seed (or article), speaker, words (or quote) and p")]
    NoTable,
}

/// Reads the tables of a gold markdown file.
pub fn parse(markdown: &str) -> Result<Gold, GoldError> {
    let mut gold = Gold::default();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i + 1 < lines.len() {
        let header = lines[i].trim();
        let is_table = header.starts_with('|') && is_separator(lines[i + 1]);
        if !is_table {
            i += 1;
            continue;
        }
        let names: Vec<String> = cells(header).iter().map(|c| c.to_lowercase()).collect();
        let mut j = i + 2;
        while j < lines.len() && lines[j].trim().starts_with('|') {
            read_row(&names, &cells(lines[j]), &mut gold);
            j += 1;
        }
        i = j;
    }
    if gold.rows.is_empty() {
        return Err(GoldError::NoTable);
    }
    Ok(gold)
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim().trim_start_matches('|').trim_end_matches('|');
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn column(names: &[String], wanted: &[&str]) -> Option<usize> {
    wanted.iter().find_map(|w| {
        names
            .iter()
            .position(|n| n == w || n.starts_with(&format!("{w} ")))
    })
}

fn read_row(names: &[String], row: &[String], gold: &mut Gold) {
    let get = |wanted: &[&str]| {
        column(names, wanted)
            .and_then(|c| row.get(c))
            .map(String::as_str)
    };
    let Some(article) = get(&["seed", "article"]) else {
        return;
    };
    let article = article.trim().to_string();
    let quote = get(&["quote"]).map(unquote).filter(|q| !q.is_empty());
    let words = get(&["words", "hedge words"]).map(unquote);
    let Some(p_cell) = get(&["p", "probability"]) else {
        if let Some(sentence) = get(&["sentence"]).or(quote.as_deref()) {
            gold.not_forecasts.push(NotForecast {
                article,
                sentence: unquote(sentence),
            });
        }
        return;
    };
    let Some(text) = quote.or(words) else {
        return;
    };
    let speaker_cell = get(&["speaker"]).unwrap_or("");
    let speakers = speaker_names(speaker_cell);
    let unattributed = speakers.iter().any(|s| is_writer(s));
    gold.rows.push(GoldRow {
        article,
        speakers,
        unattributed,
        attribution: get(&["attribution"]).map(str::to_string),
        words: text,
        p: leading_number(p_cell),
    });
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(['"', '“', '”']).trim().to_string()
}

/// "Cho Han-bum (KINU) = Joh Han-beom" → ["Cho Han-bum", "Joh Han-beom"].
fn speaker_names(cell: &str) -> Vec<String> {
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    bare.split('=')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_writer(speaker: &str) -> bool {
    let s = speaker.to_lowercase();
    [
        "the article",
        "article",
        "the writer",
        "writer",
        "the author",
        "unattributed",
        "the reporter",
    ]
    .contains(&s.as_str())
}

fn leading_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let n: f64 = t[..end].parse().ok()?;
    let p = if t[end..].trim_start().starts_with('%') || n > 1.0 {
        n / 100.0
    } else {
        n
    };
    (0.0..=1.0).contains(&p).then_some(p)
}

static STOP: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(
        "the a an of to in on at for with by from and or but as that this it its is \
    are was were be been there their they he she we i his her our it's there's",
    )
});

/// The compared words of a text.
pub fn content_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| {
            w.trim_matches(['\'', '’', '-'])
                .replace('’', "'")
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !STOP.has(w.as_str()))
        .collect()
}

/// The share of the shorter text's words that the other has.
pub fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / shorter as f64
}

fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| !matches!(*w, "and" | "&"))
        .collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// The people a name names, each by its romanisation-insensitive key ("Joh Han-beom" and
/// "Cho Han-bum" are one key; see `names::spelling_key`).
fn people(s: &str) -> BTreeSet<String> {
    s.replace(" & ", " and ")
        .split(" and ")
        .map(super::names::spelling_key)
        .collect()
}

/// Whether the candidate names the row's speaker.
pub fn speaker_right(c: &Candidate, row: &GoldRow) -> bool {
    if row.unattributed {
        return c.speaker_kind == SpeakerKind::Unattributed;
    }
    let Some(name) = c.speaker.as_deref() else {
        return false;
    };
    row.speakers.iter().any(|gold| {
        if looks_like_name(gold) && looks_like_name(name) {
            return people(gold) == people(name);
        }
        overlap(&content_words(gold), &content_words(name)) >= 0.5
    })
}

/// Counts for one article or for all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Score {
    pub rows: usize,
    pub attributed_rows: usize,
    pub candidates: usize,
    pub matched: usize,
    pub matched_attributed: usize,
    pub speaker_right: usize,
    pub probability_within: usize,
    /// Candidates matching a sentence listed as not a forecast.
    pub not_forecasts_proposed: usize,
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

impl Score {
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.rows)
    }
    pub fn recall_attributed(&self) -> f64 {
        ratio(self.matched_attributed, self.attributed_rows)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.candidates)
    }
    pub fn speaker_share(&self) -> f64 {
        ratio(self.speaker_right, self.matched)
    }
    pub fn probability_share(&self) -> f64 {
        ratio(self.probability_within, self.matched)
    }

    fn add(&mut self, o: &Score) {
        self.rows += o.rows;
        self.attributed_rows += o.attributed_rows;
        self.candidates += o.candidates;
        self.matched += o.matched;
        self.matched_attributed += o.matched_attributed;
        self.speaker_right += o.speaker_right;
        self.probability_within += o.probability_within;
        self.not_forecasts_proposed += o.not_forecasts_proposed;
    }
}

/// An article's candidates, and the article's id as its file is named.
pub struct Article<'a> {
    pub id: &'a str,
    pub candidates: &'a [Candidate],
}

/// The pairs of (candidate, row) indices that match, best overlap first.
pub fn match_rows(candidates: &[Candidate], rows: &[&GoldRow]) -> Vec<(usize, usize)> {
    let cw: Vec<BTreeSet<String>> = candidates.iter().map(|c| content_words(&c.quote)).collect();
    let mut pairs: Vec<(f64, usize, usize, usize)> = Vec::new();
    for (i, c) in cw.iter().enumerate() {
        for (j, row) in rows.iter().enumerate() {
            let rw = content_words(&row.words);
            let o = overlap(c, &rw);
            if o >= 0.5 {
                pairs.push((o, c.intersection(&rw).count(), i, j));
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(y.1.cmp(&x.1))
            .then(x.2.cmp(&y.2))
            .then(x.3.cmp(&y.3))
    });
    let (mut used_c, mut used_r) = (vec![false; candidates.len()], vec![false; rows.len()]);
    let mut out = Vec::new();
    for (_, _, i, j) in pairs {
        if !used_c[i] && !used_r[j] {
            used_c[i] = true;
            used_r[j] = true;
            out.push((i, j));
        }
    }
    out
}

/// Whether a file named `stem` is the article `id` of a gold table ("000" for
/// "000_e4129df311833be6").
pub fn same_article(id: &str, stem: &str) -> bool {
    stem == id
        || stem
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with(['_', '-', '.', ' ']))
}

/// Scores one article.
pub fn score_article(gold: &Gold, article: &Article) -> Score {
    let rows: Vec<&GoldRow> = gold
        .rows
        .iter()
        .filter(|r| same_article(&r.article, article.id))
        .collect();
    let pairs = match_rows(article.candidates, &rows);
    let mut s = Score {
        rows: rows.len(),
        attributed_rows: rows.iter().filter(|r| !r.unattributed).count(),
        candidates: article.candidates.len(),
        matched: pairs.len(),
        ..Score::default()
    };
    for &(i, j) in &pairs {
        let (c, row) = (&article.candidates[i], rows[j]);
        s.matched_attributed += usize::from(!row.unattributed);
        s.speaker_right += usize::from(speaker_right(c, row));
        let within =
            matches!((c.probability, row.p), (Some(a), Some(b)) if (a - b).abs() <= 0.15 + 1e-9);
        s.probability_within += usize::from(within);
    }
    let matched: BTreeSet<usize> = pairs.iter().map(|p| p.0).collect();
    for (i, c) in article.candidates.iter().enumerate() {
        if matched.contains(&i) {
            continue;
        }
        let cw = content_words(&c.quote);
        let listed = gold.not_forecasts.iter().any(|n| {
            same_article(&n.article, article.id) && overlap(&cw, &content_words(&n.sentence)) >= 0.5
        });
        s.not_forecasts_proposed += usize::from(listed);
    }
    s
}

/// Scores for each article and in total.
pub fn score(gold: &Gold, articles: &[Article]) -> (Vec<(String, Score)>, Score) {
    let mut total = Score::default();
    let mut each = Vec::new();
    for a in articles {
        let s = score_article(gold, a);
        total.add(&s);
        each.push((a.id.to_string(), s));
    }
    (each, total)
}

mod report;
pub use report::report;

#[cfg(test)]
mod tests;

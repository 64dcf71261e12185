//! Search: the words of a query, the best matches first, and the searched words marked.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite};

use super::{PredictionFilter, PredictionRow, push_from_what_filter_needs, select};
use crate::db::{Database, with_current_outcomes};
use crate::domain::dates::AsOf;

/// How a match ranks (lower is better): BM25, a word in the expert's names counting most and
/// one in the proposition's statement least.
pub(super) const RANK: &str = "bm25(prediction_search, 1.0, 0.5, 2.0)";

/// Pages further in than this are listed the straightforward way.
pub const BEST_FIRST_UP_TO: i64 = 5_000;

/// A page of a search listed best first, from the index's own ranking: the best matches are
/// taken from the index alone, and only those are joined to their records. A word most quotes
/// hold matches about a hundred thousand predictions at a million, and joining every one of
/// them before sorting took half a second; ranking them in the index takes a tenth of that.
///
/// The page is exact. The matches taken are the first `best` in the page's own order (rank,
/// then the latest recorded), so a match left out ranks after all of them; when
/// those taken still fill the page after what the filter leaves out (a retraction, a record
/// made later than the moment shown), nothing better was left out. `None` when they do not,
/// even after taking eight times as many: the caller then lists the straightforward way.
pub(super) async fn best_ranked(
    db: &Database,
    filter: &PredictionFilter,
    search: &str,
    as_of: AsOf,
    limit: i64,
    offset: i64,
) -> Result<Option<Vec<PredictionRow>>, sqlx::Error> {
    let wanted = offset.saturating_add(limit);
    if wanted > BEST_FIRST_UP_TO || limit <= 0 {
        return Ok(None);
    }
    let mut best = (wanted * 2).max(100);
    for _ in 0..2 {
        let (ranked, all_matches) = best_matches(db, search, best).await?;
        let place: HashMap<i64, usize> = ranked
            .iter()
            .enumerate()
            .map(|(place, id)| (*id, place))
            .collect();
        // Which of them the filter keeps, reading only what it needs; the page's rows in full
        // after. An IN list sorted here, rather than a join to each one's rank: the SQLite
        // linked in read the joined list again for each match.
        let mut query = with_current_outcomes(as_of);
        query.push("SELECT p.id");
        push_from_what_filter_needs(&mut query, filter, as_of, false);
        push_among(&mut query, ranked.iter().copied());
        let mut kept: Vec<i64> = query.build_query_scalar().fetch_all(&db.read).await?;
        if all_matches || kept.len() >= usize::try_from(wanted).unwrap_or(usize::MAX) {
            kept.sort_by_key(|id| place.get(id).copied().unwrap_or(usize::MAX));
            let from = usize::try_from(offset).unwrap_or(usize::MAX);
            let count = usize::try_from(limit).unwrap_or(0);
            let page: Vec<i64> = kept.into_iter().skip(from).take(count).collect();
            let mut query = with_current_outcomes(as_of);
            select(&PredictionFilter::default(), as_of, &mut query);
            super::push_visible_as_of(&mut query, as_of);
            push_among(&mut query, page.iter().copied());
            let mut rows: Vec<PredictionRow> = query.build_query_as().fetch_all(&db.read).await?;
            rows.sort_by_key(|row| place.get(&row.id).copied().unwrap_or(usize::MAX));
            return Ok(Some(rows));
        }
        best = best.saturating_mul(8);
    }
    Ok(None)
}

/// Keeps the predictions among `ids`.
fn push_among(query: &mut QueryBuilder<'_, Sqlite>, ids: impl Iterator<Item = i64>) {
    let json = serde_json::to_string(&ids.collect::<Vec<i64>>()).unwrap_or_else(|_| "[]".into());
    query
        .push(" AND p.id IN (SELECT value FROM json_each(")
        .push_bind(json)
        .push("))");
}

/// The ids of the first `best` matches of `search` in the order of `BY_RANK`, and whether they
/// are all the matches there are. The order is strict (no two matches share an id), so the
/// matches taken are exactly those before the first one left.
async fn best_matches(
    db: &Database,
    search: &str,
    best: i64,
) -> Result<(Vec<i64>, bool), sqlx::Error> {
    let mut ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT rowid FROM prediction_search \
         WHERE prediction_search MATCH $1 ORDER BY {RANK}, rowid DESC LIMIT $2"
    ))
    .bind(search)
    .bind(best.saturating_add(1))
    .fetch_all(&db.read)
    .await?;
    let cut = usize::try_from(best).unwrap_or(usize::MAX);
    let all_matches = ids.len() <= cut;
    ids.truncate(cut);
    Ok((ids, all_matches))
}

/// The words of a search as FTS5 phrases: each word quoted (so no operator typed by a reader
/// can break the query), the last one a prefix.
fn search_phrases(text: &str) -> Vec<String> {
    let mut phrases: Vec<String> = text
        .split_whitespace()
        .take(8)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '+'))
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    if let Some(last) = phrases.last_mut() {
        last.push('*');
    }
    phrases
}

/// The words of a search as an FTS5 query that requires them all.
pub fn search_query(text: &str) -> Option<String> {
    let phrases = search_phrases(text);
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

/// Marks the searched words in the quotes of `rows`, the page's rows only. They are put in a
/// small index of their own, kept by each reading connection, and marked there: marking in
/// the main index meant reading a common word's whole list of matches (a hundred thousand at a
/// million predictions) for 25 quotes. Any word is marked, since a quote may hold only some of
/// them (the others being in the proposition or the expert's names).
pub(super) async fn mark_search_words(
    db: &Database,
    text: &str,
    rows: &mut [PredictionRow],
) -> Result<(), sqlx::Error> {
    let phrases = search_phrases(text);
    if rows.is_empty() || phrases.is_empty() {
        return Ok(());
    }
    let any_word = phrases.join(" OR ");
    let mut connection = db.read.acquire().await?;
    // The tokenizer of `prediction_search` (migration 0011), so the same words match. A TEMP
    // table belongs to its connection, which a read-only database still allows.
    sqlx::query(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.page_quotes \
         USING fts5(quote, tokenize = 'unicode61 remove_diacritics 2')",
    )
    .execute(&mut *connection)
    .await?;
    // Whatever a request cut short left behind goes too.
    sqlx::query("DELETE FROM temp.page_quotes")
        .execute(&mut *connection)
        .await?;
    let mut insert = QueryBuilder::new("INSERT INTO temp.page_quotes (rowid, quote) ");
    insert.push_values(rows.iter(), |mut row, prediction| {
        row.push_bind(prediction.id)
            .push_bind(prediction.quote.as_str());
    });
    insert.build().execute(&mut *connection).await?;
    let marked: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT rowid, highlight(page_quotes, 0, '{MARK_START}', '{MARK_END}') \
         FROM temp.page_quotes WHERE page_quotes MATCH $1"
    ))
    .bind(any_word)
    .fetch_all(&mut *connection)
    .await?;
    sqlx::query("DELETE FROM temp.page_quotes")
        .execute(&mut *connection)
        .await?;
    let marked: std::collections::HashMap<i64, String> = marked.into_iter().collect();
    for row in rows {
        row.quote_marks = marked
            .get(&row.id)
            .map(|highlighted| marked_ranges(&row.quote, highlighted))
            .unwrap_or_default();
    }
    Ok(())
}

/// Private-use characters that SQLite's `highlight()` puts around matched words. They are
/// never shown: `marked_ranges` turns them into ranges of the quote as stored, so a quote that
/// holds these characters itself cannot open or close a mark.
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

/// Where `highlighted` (the `original` with `MARK_START`/`MARK_END` inserted) marks the
/// original, as byte ranges of it. A character of the original is always read as itself first,
/// so the original's own private-use characters are text; anything that does not line up
/// marks nothing.
fn marked_ranges(original: &str, highlighted: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = 0;
    let mut open = None;
    for ch in highlighted.chars() {
        if original[at..].starts_with(ch) {
            at += ch.len_utf8();
        } else if ch == MARK_START && open.is_none() {
            open = Some(at);
        } else if let (MARK_END, Some(start)) = (ch, open) {
            if start < at {
                ranges.push(start..at);
            }
            open = None;
        } else {
            return Vec::new();
        }
    }
    if at == original.len() {
        ranges
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{MARK_END, MARK_START, marked_ranges};

    #[test]
    fn marks_are_ranges_of_the_quote_as_stored() {
        let highlighted = format!("Putin {MARK_START}will{MARK_END} visit");
        assert_eq!(marked_ranges("Putin will visit", &highlighted), vec![6..10]);
    }

    #[test]
    fn the_quotes_own_private_use_characters_are_text() {
        // A quote that carries the sentinels itself: SQLite marks only "treaty".
        let quote = format!("{MARK_START}<b>{MARK_END} treaty");
        let highlighted = format!("{MARK_START}<b>{MARK_END} {MARK_START}treaty{MARK_END}");
        let ranges = marked_ranges(&quote, &highlighted);
        assert_eq!(ranges.len(), 1);
        assert_eq!(&quote[ranges[0].clone()], "treaty");
        assert!(marked_ranges(&quote, "something else").is_empty());
    }
}

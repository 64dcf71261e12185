//! Dates and moments as Hindsight reads and stores them: dates as YYYY-MM-DD, moments in UTC.
//! Stored text sorts in time order, which keeps "as of" a plain comparison in any SQL database.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};

pub fn parse_date(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok()
}

/// RFC 3339 ("2024-06-20T09:00:00Z", any offset) or a date, read as the end of that day in UTC
/// so that "as of 2024-06-20" includes everything recorded on the 20th.
pub fn parse_moment(input: &str) -> Option<DateTime<Utc>> {
    let trimmed = input.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(moment.with_timezone(&Utc));
    }
    let date = parse_date(trimmed)?;
    let end_of_day = NaiveTime::from_hms_milli_opt(23, 59, 59, 999)?;
    Some(date.and_time(end_of_day).and_utc())
}

/// The stored form of a moment: fixed width, millisecond precision, "Z".
pub fn format_moment(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Writes a moment in its stored form wherever it is serialised, so the JSON API shows the
/// same text the database holds.
pub fn serialize_moment<S: serde::Serializer>(
    moment: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_moment(*moment))
}

pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// "19 June 2024", as a reader expects a date in running text.
pub fn human_date(stored: &str) -> String {
    match parse_date(stored.get(..10).unwrap_or(stored)) {
        Some(date) => date.format("%-d %B %Y").to_string(),
        None => stored.to_string(),
    }
}

/// The moment a view is computed as of: live (every outcome and prediction recorded so far) or
/// pinned to a moment, after which nothing recorded changes it. A shared scorecard is pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AsOf {
    #[default]
    Live,
    At(DateTime<Utc>),
}

impl AsOf {
    pub fn moment(self) -> Option<DateTime<Utc>> {
        match self {
            Self::Live => None,
            Self::At(moment) => Some(moment),
        }
    }

    pub fn is_pinned(self) -> bool {
        matches!(self, Self::At(_))
    }

    /// "20 June 2024, 23:59 UTC"; empty when live.
    pub fn label(self) -> String {
        self.moment()
            .map(|m| m.format("%-d %B %Y, %H:%M UTC").to_string())
            .unwrap_or_default()
    }

    /// The moment as an address writes it (the stored form); empty when live.
    pub fn param(self) -> String {
        self.moment().map(format_moment).unwrap_or_default()
    }

    /// "?as_of=…" to append to a link, or nothing when live. Of the stored form's characters
    /// (digits, 'T', 'Z', '-', ':', '.') only ':' is escaped in a query string.
    pub fn query(self) -> String {
        match self.moment() {
            Some(moment) => format!("?as_of={}", format_moment(moment).replace(':', "%3A")),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_parse_from_rfc3339_and_dates() {
        let at = parse_moment("2024-06-20T09:30:00+09:00").map(format_moment);
        assert_eq!(at.as_deref(), Some("2024-06-20T00:30:00.000Z"));
        let day = parse_moment("2024-06-20").map(format_moment);
        assert_eq!(day.as_deref(), Some("2024-06-20T23:59:59.999Z"));
        assert_eq!(parse_moment("20/06/2024"), None);
        assert_eq!(parse_moment("2024-02-30"), None);
    }

    #[test]
    fn stored_moments_sort_in_time_order() {
        let earlier = parse_moment("2024-06-20T09:00:00Z").map(format_moment);
        let later = parse_moment("2024-06-20T10:00:00+00:30").map(format_moment);
        assert!(earlier < later);
    }

    #[test]
    fn a_pinned_moment_is_labelled_and_linked_in_its_stored_form() {
        let pinned = parse_moment("2024-06-20").map(AsOf::At);
        let pinned = pinned.unwrap_or_default();
        assert!(pinned.is_pinned());
        assert_eq!(pinned.label(), "20 June 2024, 23:59 UTC");
        assert_eq!(pinned.query(), "?as_of=2024-06-20T23%3A59%3A59.999Z");
        assert_eq!(AsOf::Live.query(), "");
        assert_eq!(AsOf::Live.label(), "");
        assert!(!AsOf::default().is_pinned());
    }

    #[test]
    fn human_dates_read_naturally() {
        assert_eq!(human_date("2024-06-19"), "19 June 2024");
        assert_eq!(human_date("2024-06-19T10:00:00.000Z"), "19 June 2024");
        assert_eq!(human_date("someday"), "someday");
    }
}

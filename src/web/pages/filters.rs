//! Template filters. Askama finds them by this module's name.

use std::fmt::Display;

use crate::domain::scoring::RelativeBrier;

/// "2024-06-19" → "19 June 2024".
#[askama::filter_fn]
pub fn date(value: impl Display, _env: &dyn askama::Values) -> askama::Result<String> {
    Ok(crate::domain::dates::human_date(&value.to_string()))
}

/// "2024-06-20T09:00:00.000Z" → "20 June 2024, 09:00 UTC".
#[askama::filter_fn]
pub fn moment(value: impl Display, _env: &dyn askama::Values) -> askama::Result<String> {
    let text = value.to_string();
    let day = crate::domain::dates::human_date(&text);
    Ok(match text.get(11..16) {
        Some(time) => format!("{day}, {time} UTC"),
        None => day,
    })
}

/// A Brier or log score to three decimals, or "–" when there is none yet.
#[askama::filter_fn]
pub fn score(
    value: impl std::borrow::Borrow<Option<f64>>,
    _env: &dyn askama::Values,
) -> askama::Result<String> {
    Ok(crate::web::format::score(*value.borrow()))
}

/// A relative Brier score with its sign ("+0.202", "−0.024"), or "–".
#[askama::filter_fn]
pub fn relative(
    value: impl std::borrow::Borrow<Option<RelativeBrier>>,
    _env: &dyn askama::Values,
) -> askama::Result<String> {
    Ok(crate::web::format::signed(value.borrow().map(|r| r.value)))
}

/// How many propositions a relative Brier score averages over (0 when there is none).
#[askama::filter_fn]
pub fn relative_n(
    value: impl std::borrow::Borrow<Option<RelativeBrier>>,
    _env: &dyn askama::Values,
) -> askama::Result<u32> {
    Ok(value.borrow().map(|r| r.propositions).unwrap_or(0))
}

/// A count and its noun: `3|counted("event")` → "3 events", `1|counted("event")` → "1 event".
/// Every noun counted on a page takes a plain "s".
#[askama::filter_fn]
pub fn counted(
    value: impl Display,
    _env: &dyn askama::Values,
    noun: &str,
) -> askama::Result<String> {
    let count = value.to_string();
    let plural = if count == "1" { "" } else { "s" };
    Ok(format!("{count} {noun}{plural}"))
}

#[cfg(test)]
mod tests {
    use askama::Template;

    use super::super::filters;

    #[derive(Template)]
    #[template(source = "{{ n|counted(\"event\") }}", ext = "txt")]
    struct Count {
        n: usize,
    }

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        let say = |n| Count { n }.render().unwrap();
        assert_eq!(say(1), "1 event");
        assert_eq!(say(0), "0 events");
        assert_eq!(say(12), "12 events");
    }
}

//! Template filters. Askama finds them by this module's name.

use std::fmt::Display;

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

//! Reads query strings by hand so that a bad value gets a 400 page naming its parameter,
//! rather than a generic rejection. Unknown parameters (utm_source and the like) are ignored.

use super::AppError;

pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or(""))
            .map_err(|_| {
                AppError::bad_parameter(
                    "query string",
                    "The address's query string could not be read.",
                )
            })?;
        Ok(Self(pairs))
    }

    /// The parameter's value, trimmed; `None` when absent or blank (an empty form field).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// A page number: a whole number from 1.
    pub fn page(&self) -> Result<i64, AppError> {
        match self.get("page") {
            None => Ok(1),
            Some(text) => match text.parse::<i64>() {
                Ok(page) if (1..=1_000_000).contains(&page) => Ok(page),
                _ => Err(AppError::bad_parameter(
                    "page",
                    format!(
                        "\u{201c}{text}\u{201d} is not a page number: use a whole number from 1."
                    ),
                )),
            },
        }
    }
}

/// The moment a page is computed as of: live (every outcome recorded so far) or pinned.
#[derive(Debug, Clone)]
pub struct AsOf {
    stored: String,
    pinned: Option<chrono::DateTime<chrono::Utc>>,
}

impl AsOf {
    pub fn live() -> Self {
        Self {
            stored: crate::db::END_OF_TIME.to_string(),
            pinned: None,
        }
    }

    pub fn at(moment: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            stored: crate::domain::dates::format_moment(moment),
            pinned: Some(moment),
        }
    }

    /// Pinned to this moment: what a Share link carries.
    pub fn now() -> Self {
        Self::at(chrono::Utc::now())
    }

    /// For queries: compared with stored UTC text.
    pub fn stored(&self) -> &str {
        &self.stored
    }

    pub fn is_pinned(&self) -> bool {
        self.pinned.is_some()
    }

    /// "20 June 2024, 23:59 UTC"; empty when live.
    pub fn label(&self) -> String {
        self.pinned
            .map(|m| m.format("%-d %B %Y, %H:%M UTC").to_string())
            .unwrap_or_default()
    }

    /// "?as_of=…" to append to a link, or nothing when live.
    pub fn query(&self) -> String {
        match self.pinned {
            Some(_) => format!(
                "?as_of={}",
                url::form_urlencoded::byte_serialize(self.stored.as_bytes()).collect::<String>()
            ),
            None => String::new(),
        }
    }
}

impl QueryParams {
    /// `as_of`: RFC 3339 or YYYY-MM-DD (the end of that day, UTC); absent means live.
    pub fn as_of(&self) -> Result<AsOf, AppError> {
        let Some(text) = self.get("as_of") else {
            return Ok(AsOf::live());
        };
        let moment = crate::domain::dates::parse_moment(text).ok_or_else(|| {
            AppError::bad_parameter("as_of", format!("\u{201c}{text}\u{201d} is not a moment: use a date such as 2024-06-20, or RFC 3339 such as 2024-06-20T09:00:00Z."))
        })?;
        if moment > chrono::Utc::now() + chrono::Duration::days(1) {
            return Err(AppError::bad_parameter(
                "as_of",
                format!(
                    "\u{201c}{text}\u{201d} is in the future: a pinned scorecard needs a moment that has passed."
                ),
            ));
        }
        Ok(AsOf::at(moment))
    }

    /// A whole number parameter within `range`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: u32,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<u32, AppError> {
        match self.get(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    AppError::bad_parameter(
                        name,
                        format!(
                            "\u{201c}{text}\u{201d} is not a whole number from {} to {}.",
                            range.start(),
                            range.end()
                        ),
                    )
                }),
        }
    }
}

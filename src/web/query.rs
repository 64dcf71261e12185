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

use std::fmt;

/// A URL-safe identifier: lower-case ASCII letters, digits and single hyphens, 1 to 100
/// characters. Slugs appear in shared links, so they never change once published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("is empty")]
    Empty,
    #[error("is longer than 100 characters")]
    TooLong,
    #[error(
        "may hold only lower-case letters a-z, digits and single hyphens, not at either end (\"{0}\")"
    )]
    BadCharacters(String),
}

impl Slug {
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        if input.is_empty() {
            return Err(SlugError::Empty);
        }
        if input.len() > 100 {
            return Err(SlugError::TooLong);
        }
        let allowed = input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !allowed || input.starts_with('-') || input.ends_with('-') || input.contains("--") {
            return Err(SlugError::BadCharacters(input.to_string()));
        }
        Ok(Self(input.to_string()))
    }

    /// Derives a slug from a name: "Joh Han-beom" becomes "joh-han-beom". Letters outside
    /// ASCII are dropped, so a name made only of them yields an error the caller must handle
    /// by asking for a slug.
    pub fn from_name(name: &str) -> Result<Self, SlugError> {
        let mut slug = String::with_capacity(name.len());
        for ch in name.chars() {
            if ch.is_ascii_alphanumeric() {
                slug.push(ch.to_ascii_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        slug.truncate(100);
        while slug.ends_with('-') {
            slug.pop();
        }
        Self::parse(&slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A slug is written as its text, in JSON as in a URL.
impl serde::Serialize for Slug {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_url_safe_slugs() {
        for good in ["a", "joh-han-beom", "putin-pyongyang-2024", "p1"] {
            assert_eq!(
                Slug::parse(good).map(|s| s.as_str().to_string()),
                Ok(good.to_string())
            );
        }
    }

    #[test]
    fn refuses_everything_else() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse(&"a".repeat(101)), Err(SlugError::TooLong));
        for bad in ["Joh", "a b", "-a", "a-", "a--b", "ä", "a/b", "a_b"] {
            assert!(
                matches!(Slug::parse(bad), Err(SlugError::BadCharacters(_))),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn derives_from_names() {
        let derive = |n: &str| Slug::from_name(n).map(|s| s.as_str().to_string());
        assert_eq!(derive("Joh Han-beom"), Ok("joh-han-beom".to_string()));
        assert_eq!(
            derive("  Kim Sung-bae & Kim Jong-won "),
            Ok("kim-sung-bae-kim-jong-won".to_string())
        );
        assert_eq!(derive("조한범"), Err(SlugError::Empty));
    }
}

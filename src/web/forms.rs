//! What form handlers share: messages per field, and safe redirect targets.

use std::collections::BTreeMap;

/// A message for each field that was refused; the form is shown again with them.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// The problems an import found, by field ("predictions #1, field quote" → "quote"); one
    /// that names no field is keyed by where it is.
    pub fn from_issues(issues: &[crate::import::ImportIssue]) -> Self {
        use crate::import::Place;
        let mut errors = Self::default();
        for issue in issues {
            let field = match &issue.place {
                Place::Record {
                    field: Some(field), ..
                }
                | Place::TopLevel(field) => field.clone(),
                other => other.to_string(),
            };
            errors.add(field, issue.message.clone());
        }
        errors
    }

    /// The message for `field`, or "" when it was accepted.
    pub fn of(&self, field: &str) -> &str {
        self.0.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn list(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// Only a path on this site may be a redirect target: "/x" yes; "//evil.example",
/// "https://evil.example", "/\\evil.example" no, and nothing with a control character, a space
/// or a backslash, since browsers drop tabs and newlines from an address ("/\t/evil.example"
/// becomes "//evil.example") and a header cannot carry them.
pub fn local_path(next: &str) -> Option<&str> {
    let mut bytes = next.bytes();
    let ok = bytes.next() == Some(b'/')
        && !matches!(bytes.next(), Some(b'/' | b'\\'))
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(
            local_path("/propositions/3/resolve"),
            Some("/propositions/3/resolve")
        );
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/\\evil.example"), None);
        assert_eq!(local_path(""), None);
        assert_eq!(local_path("/\t/evil.example"), None);
        assert_eq!(local_path("/\n/evil.example"), None);
        assert_eq!(local_path("/ /evil.example"), None);
        assert_eq!(local_path("/a\\b"), None);
        assert_eq!(
            local_path("/caf\u{e9}"),
            None,
            "not ASCII: sent percent-encoded"
        );
        assert_eq!(local_path("/"), Some("/"));
        assert_eq!(
            local_path("/experts?as_of=2024-07-01"),
            Some("/experts?as_of=2024-07-01")
        );
    }

    #[test]
    fn the_first_message_for_a_field_is_kept() {
        let mut errors = FieldErrors::default();
        errors.add("rationale", "is required");
        errors.add("rationale", "second");
        assert_eq!(errors.of("rationale"), "is required");
        assert_eq!(errors.of("outcome"), "");
        assert_eq!(errors.len(), 1);
    }
}

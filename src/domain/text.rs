//! Small text rules shared by import, forms and search.

/// The key under which an alias is unique: lower case, with spaces, hyphens, dots and
/// apostrophes removed. Outlets romanize "Joh Han-beom" as "Joh Hanbeom" or "joh han beom";
/// all three must find the same expert.
pub fn alias_key(alias: &str) -> String {
    alias
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '\'' | '\u{2019}' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Trims a required text field; `None` when nothing is left.
pub fn required(input: &str) -> Option<String> {
    let trimmed = input.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_keys_ignore_case_spacing_and_hyphens() {
        assert_eq!(alias_key("Joh Han-beom"), "johhanbeom");
        assert_eq!(alias_key("joh hanbeom"), "johhanbeom");
        assert_eq!(alias_key("Cho Han-bum"), "chohanbum");
        assert_ne!(alias_key("Cho Han-bum"), alias_key("Joh Han-beom"));
    }

    #[test]
    fn required_trims_and_refuses_blank() {
        assert_eq!(required("  x "), Some("x".to_string()));
        assert_eq!(required(" \n\t "), None);
    }
}

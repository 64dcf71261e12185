//! Accounts without the web: password rules, argon2id hashing, one-time set-up tokens.
//!
//! Passwords follow OWASP ASVS 5 (V6.2): at least 12 characters, at most 128, any characters,
//! no composition rules; a new password must not be a common or guessable one (zxcvbn, with its
//! bundled lists of common passwords, names and words, must rate it at least
//! [`MIN_PASSWORD_SCORE`]) and must not contain the username. Hashes are argon2id with ASVS's parameters (19 MiB, 2 passes, 1 lane)
//! and a random salt per password, stored in PHC string form.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use sha2::{Digest, Sha256};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// zxcvbn's rating out of 4 that a new password needs: 3 is "safely unguessable: moderate
/// protection from offline slow-hash scenario".
pub const MIN_PASSWORD_SCORE: u8 = 3;

/// A password that meets the rules; its text never appears in Debug output or logs.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("must be at most {MAX_PASSWORD_CHARS} characters long")]
    TooLong,
    #[error("must not contain your username")]
    ContainsUsername,
    /// Common, or easy to guess; `advice` says why and what would be better.
    #[error("is too easy to guess{advice}")]
    TooWeak { advice: String },
}

impl Password {
    pub fn parse(text: &str) -> Result<Self, PasswordError> {
        let length = text.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(text.to_string()))
    }

    /// A password that `username` (shown as `display_name`) chooses: the length rules, and not
    /// common, guessable or containing the username (ASVS 6.2.4, 6.2.11).
    pub fn choose(text: &str, username: &str, display_name: &str) -> Result<Self, PasswordError> {
        let password = Self::parse(text)?;
        let username = username.trim().to_lowercase();
        if !username.is_empty() && text.to_lowercase().contains(&username) {
            return Err(PasswordError::ContainsUsername);
        }
        let mut inputs = vec![username.as_str(), display_name];
        inputs.extend(display_name.split_whitespace());
        inputs.extend(["hindsight", "analyst", "password"]);
        let estimate = zxcvbn::zxcvbn(text, &inputs);
        if u8::from(estimate.score()) < MIN_PASSWORD_SCORE {
            return Err(PasswordError::TooWeak {
                advice: advice(estimate.feedback()),
            });
        }
        Ok(password)
    }
}

/// zxcvbn's warning and suggestions as the rest of a sentence: ": warning. Suggestion."
fn advice(feedback: Option<&zxcvbn::feedback::Feedback>) -> String {
    let mut parts = Vec::new();
    if let Some(feedback) = feedback {
        if let Some(warning) = feedback.warning() {
            parts.push(warning.to_string());
        }
        parts.extend(feedback.suggestions().iter().map(ToString::to_string));
    }
    if parts.is_empty() {
        parts.push("Add another word or two that are not common together.".to_string());
    }
    let sentences: Vec<String> = parts
        .iter()
        .map(|p| {
            let p = p.trim();
            if p.ends_with('.') {
                p.to_string()
            } else {
                format!("{p}.")
            }
        })
        .collect();
    format!(": {}", sentences.join(" "))
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

fn argon2() -> Argon2<'static> {
    // Params::DEFAULT is ASVS's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

pub fn hash_password(password: &Password) -> Result<String, HashError> {
    let hash: PasswordHash = argon2()
        .hash_password(password.0.as_bytes())
        .map_err(|e| HashError(e.to_string()))?;
    Ok(hash.to_string())
}

/// True when `candidate` is the password `stored` was made from. Takes as long whatever the
/// answer, and as long for a malformed hash.
pub fn verify_password(candidate: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        burn_time(candidate);
        return false;
    };
    argon2()
        .verify_password(candidate.as_bytes(), &parsed)
        .is_ok()
}

/// Does the work of one verification against a hash nobody has, so that signing in as an
/// unknown user takes as long as a wrong password for a real one.
pub fn burn_time(candidate: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        Password::parse("not-a-real-password-at-all")
            .ok()
            .and_then(|p| hash_password(&p).ok())
    });
    if let Some(hash) = dummy.as_deref().and_then(|h| PasswordHash::new(h).ok()) {
        let _ = argon2().verify_password(candidate.as_bytes(), &hash);
    }
}

/// A fresh one-time token (256 random bits, URL-safe hex) and the hash to store for it.
pub fn new_token() -> Result<(String, String), HashError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HashError(e.to_string()))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// Tokens are stored hashed, so a copy of the database does not hold working links.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_length_rules() {
        assert_eq!(
            Password::parse("short").err(),
            Some(PasswordError::TooShort)
        );
        assert_eq!(
            Password::parse(&"x".repeat(11)).err(),
            Some(PasswordError::TooShort)
        );
        assert!(Password::parse(&"x".repeat(12)).is_ok());
        assert!(Password::parse("correct horse battery staple").is_ok());
        assert!(Password::parse("ünïcödé pässwörds ok").is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)).err(),
            Some(PasswordError::TooLong)
        );
        assert_eq!(
            format!("{:?}", Password::parse(&"s".repeat(20))),
            "Ok(Password([redacted]))"
        );
    }

    #[test]
    fn new_passwords_must_not_be_common_guessable_or_hold_the_username() {
        let choose = |text: &str| Password::choose(text, "ada", "Ada Lovelace");
        for weak in [
            "aaaaaaaaaaaa",
            "password1234",
            "123456789012",
            "qwertyuiopas",
            "iloveyou2024",
            "lovelace1234",
        ] {
            assert!(
                matches!(choose(weak), Err(PasswordError::TooWeak { .. })),
                "{weak} is refused as weak"
            );
        }
        assert_eq!(
            choose("my name is ADA and I like tea").err(),
            Some(PasswordError::ContainsUsername)
        );
        assert_eq!(choose("short").err(), Some(PasswordError::TooShort));
        assert_eq!(choose(&"x".repeat(129)).err(), Some(PasswordError::TooLong));
        for strong in [
            "correct horse battery staple",
            "Tiny violet kettles hum at dawn",
            "ünïcödé pässwörds sïng lóudly",
        ] {
            assert!(choose(strong).is_ok(), "{strong} is accepted");
        }
        let Err(PasswordError::TooWeak { advice }) = choose("password1234") else {
            panic!("weak")
        };
        assert!(advice.len() > 3, "zxcvbn says why: {advice}");
    }

    #[test]
    fn hashes_verify_and_are_argon2id_with_a_salt() {
        let Ok(password) = Password::parse("correct horse battery staple") else {
            panic!("valid")
        };
        let Ok(first) = hash_password(&password) else {
            panic!("hashes")
        };
        let Ok(second) = hash_password(&password) else {
            panic!("hashes")
        };
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "a new salt each time");
        assert!(verify_password("correct horse battery staple", &first));
        assert!(!verify_password("correct horse battery stapler", &first));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (Ok((a, a_hash)), Ok((b, _))) = (new_token(), new_token()) else {
            panic!("tokens")
        };
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), a_hash);
        assert_ne!(a, a_hash);
    }
}

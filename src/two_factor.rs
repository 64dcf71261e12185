//! Two-factor sign-in without the web: TOTP secrets and codes (RFC 6238: HMAC-SHA1, 6 digits,
//! 30-second steps, one step of clock skew either way), the otpauth:// link and its QR code,
//! and one-time recovery codes.
//!
//! A code is accepted for the time step it matched, and the caller keeps the last step accepted,
//! so that no code works twice (RFC 6238 section 5.2).

use qrcode::QrCode;
use qrcode::render::svg;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

use crate::accounts::HashError;

/// Seconds a code lasts.
pub const STEP_SECONDS: u64 = 30;
/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "Hindsight";
/// Recovery codes issued at once.
pub const RECOVERY_CODES: usize = 10;

#[derive(Debug, thiserror::Error)]
#[error("two-factor secret: {0}")]
pub struct SecretError(String);

impl From<HashError> for SecretError {
    fn from(error: HashError) -> Self {
        Self(error.to_string())
    }
}

/// A fresh secret of 160 random bits (RFC 4226's recommendation), as base32 without padding.
pub fn new_secret() -> Result<String, SecretError> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| SecretError(e.to_string()))?;
    Ok(base32_encode(&bytes))
}

fn totp(secret: &str, username: &str) -> Result<TOTP, SecretError> {
    let bytes = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|e| SecretError(format!("{e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_string()),
        username.to_string(),
    )
    .map_err(|e| SecretError(e.to_string()))
}

/// The link an authenticator app reads (as text or from the QR code).
pub fn otpauth_url(secret: &str, username: &str) -> Result<String, SecretError> {
    Ok(totp(secret, username)?.get_url())
}

/// The otpauth:// link as a QR code in an SVG image, as a data: URL for an `<img>`.
pub fn qr_data_url(url: &str) -> Result<String, SecretError> {
    let code = QrCode::new(url.as_bytes()).map_err(|e| SecretError(e.to_string()))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(format!("data:image/svg+xml,{}", percent_encode(&image)))
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b' ' | b'.' | b'-' | b'_' | b'/') {
            if byte == b' ' {
                out.push_str("%20");
            } else {
                out.push(char::from(byte));
            }
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The time step a code typed at `now` (seconds since 1970) matches, if it matches one: the
/// current step, or the one before or after it. Spaces in the code are ignored.
pub fn matching_step(secret: &str, code: &str, now: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "account").ok()?;
    let current = now / STEP_SECONDS;
    let mut found = None;
    // Every candidate is computed and compared, so the time taken does not tell which matched.
    for step in current.saturating_sub(1)..=current.saturating_add(1) {
        let expected = totp.generate(step.saturating_mul(STEP_SECONDS));
        if constant_eq(expected.as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The code for the step that holds `now`, as an authenticator app shows it.
pub fn code_at(secret: &str, now: u64) -> Result<String, SecretError> {
    Ok(totp(secret, "account")?.generate(now))
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Seconds since 1970, for [`matching_step`].
pub fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

/// Ten fresh recovery codes as shown to their owner (`abcde-fghij`, 50 random bits each), and
/// the hashes to store.
pub fn new_recovery_codes() -> Result<Vec<(String, String)>, SecretError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes).map_err(|e| SecretError(e.to_string()))?;
        let letters: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        let shown = format!("{}-{}", &letters[..5], &letters[5..]);
        let hash = recovery_code_hash(&shown);
        codes.push((shown, hash));
    }
    Ok(codes)
}

/// Recovery codes are stored hashed; case, spaces and hyphens do not matter when typed.
pub fn recovery_code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(format!("hindsight-recovery:{normal}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The secret in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let Ok(secret) = new_secret() else {
            panic!("secret")
        };
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let now = 1_750_000_000;
        let Ok(code) = code_at(&secret, now) else {
            panic!("code")
        };
        assert_eq!(matching_step(&secret, &code, now), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now - 30), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 90), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(now / 30));
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890", T = 59, 8 digits
        // 94287082; with 6 digits, the last six.
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(code_at(&secret, 59).ok().as_deref(), Some("287082"));
    }

    #[test]
    fn the_link_and_qr_code_carry_the_secret() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let Ok(url) = otpauth_url(secret, "ada") else {
            panic!("url")
        };
        assert_eq!(
            url,
            format!("otpauth://totp/Hindsight:ada?secret={secret}&issuer=Hindsight")
        );
        let Ok(image) = qr_data_url(&url) else {
            panic!("qr")
        };
        assert!(image.starts_with("data:image/svg+xml,%3C"), "{image}");
        assert!(!image.contains('"') && !image.contains('<'));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }

    #[test]
    fn recovery_codes_are_random_and_hashed_loosely() {
        let Ok(codes) = new_recovery_codes() else {
            panic!("codes")
        };
        assert_eq!(codes.len(), 10);
        let (shown, hash) = &codes[0];
        assert_eq!(shown.len(), 11);
        assert_eq!(&recovery_code_hash(&shown.to_uppercase()), hash);
        assert_eq!(&recovery_code_hash(&shown.replace('-', " ")), hash);
        assert_ne!(codes[0].0, codes[1].0);
    }
}

//! How long sessions last, and what the security log may say about an account.

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT: time::Duration = time::Duration::hours(2);
/// …and this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: chrono::Duration = chrono::Duration::hours(12);
/// A signed-in request saves the session (pushing its idle expiry back) at most this often.
pub const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(5);
/// After the password, the code must come within this long.
pub const SECOND_STEP_WITHIN: chrono::Duration = chrono::Duration::minutes(5);
pub(super) const SIGNED_IN_AT: &str = "signed_in_at";
pub(super) const SEEN_AT: &str = "seen_at";

/// How long sessions last, and whether admins must use two-factor sign-in. The server takes the
/// defaults and the flag; tests shorten the times.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: time::Duration,
    pub absolute: chrono::Duration,
    pub touch_every: chrono::Duration,
    pub second_step_within: chrono::Duration,
    /// `--require-admin-two-factor`: an admin without it is sent to enrol before anything else.
    pub require_admin_two_factor: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: IDLE_TIMEOUT,
            absolute: ABSOLUTE_TIMEOUT,
            touch_every: TOUCH_EVERY,
            second_step_within: SECOND_STEP_WITHIN,
            require_admin_two_factor: false,
        }
    }
}

/// An account name fit for a log line: at most 64 characters, anything but the characters of a
/// username shown as `?`, so that a typed name cannot forge or break log lines.
pub fn log_name(username: &str) -> String {
    username
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '?'
            }
        })
        .collect()
}

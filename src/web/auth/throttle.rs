//! How often sign-in may be tried, with memory that stays bounded under a flood.
//!
//! Three budgets, checked cheapest first:
//! - per address (a /64 for IPv6, which a single host can hold whole): 20 attempts a minute,
//!   counted before anything else is read from the request;
//! - per account and address: 5 attempts a minute, so that guessing one account from one place
//!   is slow;
//! - per account across every address: 30 failures in ten minutes lock the account for ten
//!   minutes, but only for addresses that have not signed in to it before. A stranger spraying
//!   guesses from many addresses cannot lock its owner out of their usual desk.
//!
//! Keys are 64-bit keyed hashes, never the submitted text, so an entry costs the same whatever
//! was sent, and each table is swept of stale entries and capped: past the cap, new keys are
//! refused (the server says "too many attempts") rather than remembered.

use std::hash::{BuildHasher, Hash};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Entries each table may hold; a few megabytes at most.
pub const MAX_TRACKED: usize = 100_000;
/// How long the account-wide lock lasts once its failure budget is spent.
const ACCOUNT_LOCK: Duration = Duration::from_secs(600);
/// Sweep stale entries every this many attempts.
const SWEEP_EVERY: u64 = 1_024;

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

pub struct LoginThrottle {
    hasher: std::collections::hash_map::RandomState,
    per_address: DefaultKeyedRateLimiter<u64>,
    per_account_address: DefaultKeyedRateLimiter<u64>,
    account_failures: DefaultKeyedRateLimiter<u64>,
    /// Accounts whose failure budget is spent, until when.
    locked: quick_cache::sync::Cache<u64, Instant>,
    /// (account, address) pairs that have signed in: never held by the account-wide lock.
    known: quick_cache::sync::Cache<u64, ()>,
    attempts: AtomicU64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let failures = Quota::with_period(Duration::from_secs(20))
            .unwrap_or_else(|| per_minute(3))
            .allow_burst(NonZeroU32::new(30).unwrap_or(NonZeroU32::MIN));
        Self {
            hasher: std::collections::hash_map::RandomState::new(),
            per_address: RateLimiter::keyed(per_minute(20)),
            per_account_address: RateLimiter::keyed(per_minute(5)),
            account_failures: RateLimiter::keyed(failures),
            locked: quick_cache::sync::Cache::new(MAX_TRACKED),
            known: quick_cache::sync::Cache::new(MAX_TRACKED),
            attempts: AtomicU64::new(0),
        }
    }
}

/// The part of an address one party controls: a whole IPv4 address, an IPv6 /64.
fn network(address: Option<IpAddr>) -> Option<IpAddr> {
    address.map(|ip| match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    })
}

impl LoginThrottle {
    fn key(&self, parts: impl Hash) -> u64 {
        self.hasher.hash_one(parts)
    }

    fn account_key(&self, username: &str) -> u64 {
        self.key(("account", username.to_lowercase()))
    }

    fn pair_key(&self, username: &str, address: Option<IpAddr>) -> u64 {
        self.key(("pair", username.to_lowercase(), network(address)))
    }

    /// Counts a key against `limiter` unless the table is full of other keys.
    fn admit(&self, limiter: &DefaultKeyedRateLimiter<u64>, key: u64) -> bool {
        if limiter.len() >= MAX_TRACKED {
            limiter.retain_recent();
            if limiter.len() >= MAX_TRACKED {
                return false;
            }
        }
        limiter.check_key(&key).is_ok()
    }

    fn sweep_now_and_then(&self) {
        if self
            .attempts
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            for limiter in [
                &self.per_address,
                &self.per_account_address,
                &self.account_failures,
            ] {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
    }

    /// The first check, before the request's fields are looked at: false when this address has
    /// used its allowance.
    pub fn admit_address(&self, address: Option<IpAddr>) -> bool {
        self.sweep_now_and_then();
        match network(address) {
            Some(ip) => self.admit(&self.per_address, self.key(("address", ip))),
            None => true,
        }
    }

    /// Counts an attempt at `username` from `address`; false when the pair has used its
    /// allowance, or the account is locked for addresses it has not signed in from.
    pub fn admit_account(&self, username: &str, address: Option<IpAddr>) -> bool {
        let pair = self.pair_key(username, address);
        if !self.admit(&self.per_account_address, pair) {
            return false;
        }
        let known = self.known.get(&pair).is_some();
        let locked = self
            .locked
            .get(&self.account_key(username))
            .is_some_and(|until| until > Instant::now());
        known || !locked
    }

    /// A wrong password or an unknown user: spends the account-wide failure budget.
    pub fn failed(&self, username: &str) {
        let account = self.account_key(username);
        if !self.admit(&self.account_failures, account) {
            self.locked.insert(account, Instant::now() + ACCOUNT_LOCK);
        }
    }

    /// A sign-in that succeeded: this address is now known to the account.
    pub fn succeeded(&self, username: &str, address: Option<IpAddr>) {
        self.known.insert(self.pair_key(username, address), ());
    }

    /// Entries held across the tables: what a flood could grow.
    pub fn tracked(&self) -> usize {
        self.per_address.len()
            + self.per_account_address.len()
            + self.account_failures.len()
            + self.locked.len()
            + self.known.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn an_address_gets_twenty_attempts_a_minute() {
        let throttle = LoginThrottle::default();
        let allowed = (0..30)
            .filter(|_| throttle.admit_address(ip("192.0.2.1")))
            .count();
        assert_eq!(allowed, 20);
        assert!(throttle.admit_address(ip("192.0.2.2")), "another address");
    }

    #[test]
    fn one_ipv6_network_is_one_address() {
        let throttle = LoginThrottle::default();
        for host in 0..20 {
            assert!(throttle.admit_address(ip(&format!("2001:db8::{host:x}"))));
        }
        assert!(!throttle.admit_address(ip("2001:db8::ffff")), "same /64");
        assert!(throttle.admit_address(ip("2001:db8:0:1::1")), "another /64");
    }

    #[test]
    fn an_account_locked_by_strangers_still_admits_its_known_address() {
        let throttle = LoginThrottle::default();
        throttle.succeeded("Eli", ip("198.51.100.7"));
        let admitted = (0..40u8)
            .filter(|n| {
                let admitted = throttle.admit_account("eli", ip(&format!("203.0.113.{n}")));
                throttle.failed("eli");
                admitted
            })
            .count();
        assert_eq!(admitted, 31, "thirty failures, then the lock");
        assert!(
            !throttle.admit_account("eli", ip("203.0.113.200")),
            "a new address waits"
        );
        assert!(
            throttle.admit_account("eli", ip("198.51.100.7")),
            "the owner's address does not"
        );
        assert!(throttle.admit_account("fay", ip("203.0.113.200")));
    }

    #[test]
    fn a_pair_gets_five_attempts_a_minute() {
        let throttle = LoginThrottle::default();
        let allowed = (0..8)
            .filter(|_| throttle.admit_account("eli", ip("192.0.2.1")))
            .count();
        assert_eq!(allowed, 5);
        assert!(throttle.admit_account("eli", ip("192.0.2.9")));
    }

    #[test]
    fn keys_cost_the_same_whatever_was_sent() {
        let throttle = LoginThrottle::default();
        let long = "x".repeat(250_000);
        for n in 0..100u8 {
            let name = format!("{long}{n}");
            throttle.admit_account(&name, ip("192.0.2.1"));
            throttle.failed(&name);
        }
        // Each distinct name is one fixed-size entry in two tables.
        assert!(throttle.tracked() <= 200, "{}", throttle.tracked());
    }
}

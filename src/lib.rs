//! Hindsight keeps score of expert predictions quoted in the news.
//!
//! `domain` holds the model and the scoring rules in plain Rust; `db` is the only place with
//! SQL; `import` reads data sets; `extract` reads articles and `extraction` turns them into
//! reviews and data sets; `live_leaderboard` keeps the standings in memory; `web` serves pages
//! and the API over all of them.

pub mod accounts;
pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod extract;
pub mod extraction;
pub mod generate;
pub mod import;
pub mod live_leaderboard;
pub mod server;
pub mod two_factor;
pub mod web;

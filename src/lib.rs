//! Hindsight keeps score of expert predictions quoted in the news.
//!
//! `domain` holds the model and the scoring rules in plain Rust; `db` is the only place with
//! SQL; `import` reads data sets; `web` serves pages over both.

pub mod accounts;
pub mod config;
pub mod db;
pub mod domain;
pub mod extract;
pub mod extraction;
pub mod generate;
pub mod import;
pub mod server;
pub mod two_factor;
pub mod web;

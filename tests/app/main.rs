#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]
//! Integration tests: the real router over a real SQLite file, fresh for every test.

mod accounts;
mod analysts;
mod api;
#[path = "../support/real_server.rs"]
mod binary;
mod browser;
mod browser_extraction;
mod bulk;
mod cache;
mod connections;
mod demo_data;
mod durability;
mod entry;
mod extract_command;
mod extraction;
mod hardening;
mod helpers;
mod history;
mod hostile;
mod import;
mod pages;
mod predictions;
mod references;
mod rows;
mod scale;
mod scorecards;
mod search;
mod security;
mod sqlite_tools;
mod tables;

//! What the benchmarks share with the integration tests: the real server as a child process,
//! and a small HTTP client.

#[path = "../../tests/support/real_server.rs"]
mod real_server;

pub use real_server::*;

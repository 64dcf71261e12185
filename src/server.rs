//! The accept loop: HTTP/1.1 over TCP with the bounds `axum::serve` does not offer. A client
//! that opens connections and never finishes a request head, or keeps them idle, would
//! otherwise hold a file descriptor each until the process could open nothing else, its
//! database included.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client has to send a request head. hyper starts this clock whenever a connection
/// waits for a head: when it opens, and again each time a response is finished. So it also
/// closes idle keep-alive connections, and an idle connection lasts no longer than a stalled
/// one. Generous for a head of a few KB on a slow link; short enough that a client must keep
/// reconnecting to hold descriptors.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(15);

/// Descriptors kept back from the connection cap: the database's files (about three for each
/// of its ten pooled connections), files served from /static while they stream, the runtime's
/// own, and headroom for a static file per request in flight.
pub const RESERVED_FILES: u64 = 256;

/// The cap when the open-file limit cannot be read: what a 1,024 limit, the usual default,
/// allows.
pub const FALLBACK_MAX_CONNECTIONS: usize = 768;

/// The cap is never below this, however low the limit: a server that takes two connections at
/// a time is not one anyone meant to run.
const MIN_MAX_CONNECTIONS: usize = 16;

/// A failed accept (out of descriptors, mostly) is retried after this, instead of at once in a
/// loop that would spin on the CPU until a descriptor frees up.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Accept errors repeat ten times a second while they last: one line a second is enough.
const ACCEPT_ERROR_LOG_EVERY: Duration = Duration::from_secs(1);

/// What a connection may do, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`HEADER_TIMEOUT`].
    pub header_timeout: Duration,
    /// Connections served at once; past it, new ones wait in the kernel's queue until one
    /// closes.
    pub max_connections: usize,
    /// After the shutdown signal, how long requests in flight have to finish before the
    /// remaining connections are dropped. Handlers are already bounded by the request
    /// time-out; this bounds a client that reads its response slowly.
    pub shutdown_grace: Duration,
}

impl Limits {
    /// The defaults, with `max_connections` as configured or else sized to the open-file limit.
    pub fn new(max_connections: Option<usize>) -> Self {
        Self {
            header_timeout: HEADER_TIMEOUT,
            max_connections: max_connections.unwrap_or_else(default_max_connections),
            shutdown_grace: crate::web::hardening::REQUEST_TIMEOUT + Duration::from_secs(15),
        }
    }
}

/// The process's soft limit on open files, from `/proc/self/limits` (Linux); `None` when it
/// cannot be read or is unlimited.
pub fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The open-file limit less what the rest of the process needs, so that the connections alone
/// cannot exhaust it.
pub fn default_max_connections() -> usize {
    open_file_limit().map_or(FALLBACK_MAX_CONNECTIONS, |limit| {
        usize::try_from(limit.saturating_sub(RESERVED_FILES))
            .unwrap_or(usize::MAX)
            .max(MIN_MAX_CONNECTIONS)
    })
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting (the listening
/// socket closes, so new connections are refused) and waits for the requests in flight. Each
/// request carries `ConnectInfo<SocketAddr>`, as with axum's `into_make_service_with_connect_info`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let permits = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let graceful = GracefulShutdown::new();
    let mut errors = AcceptErrors::default();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // The permit comes first: at the cap, nothing is accepted, so the connections past it
        // wait in the kernel's queue and hold none of our descriptors.
        let permit = tokio::select! {
            biased;
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break, // the semaphore is never closed
            },
        };
        let (stream, remote) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    if !is_connection_error(&error) {
                        errors.note(&error);
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                    continue;
                }
            },
        };
        // Without TCP_NODELAY, a response written in more than one piece (a streamed static
        // file) waits for the client's delayed ACK: 40 ms a request.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            // A Router is always ready, so there is no `poll_ready` to wait for.
            tower::Service::call(&mut app.clone(), request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // Time-outs, resets and malformed requests: the client's business.
                tracing::debug!(%error, %remote, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::debug!(
        connections = graceful.count(),
        "waiting for connections to finish"
    );
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            grace = ?limits.shutdown_grace,
            "connections still open after the shutdown grace period; dropping them"
        );
    }
}

/// A connection that failed between the kernel's accepting it and ours: nothing to wait for.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Logs accept errors at most once every [`ACCEPT_ERROR_LOG_EVERY`], with how many were not.
#[derive(Default)]
struct AcceptErrors {
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl AcceptErrors {
    fn note(&mut self, error: &io::Error) {
        let now = Instant::now();
        if self
            .last_logged
            .is_some_and(|last| now.duration_since(last) < ACCEPT_ERROR_LOG_EVERY)
        {
            self.unlogged = self.unlogged.saturating_add(1);
            return;
        }
        tracing::error!(
            %error,
            since_last_line = self.unlogged,
            "cannot accept connections; retrying (out of file descriptors? see --max-connections)"
        );
        self.last_logged = Some(now);
        self.unlogged = 0;
    }
}

/// A cap above what the open-file limit allows: the process can still run out of descriptors.
pub fn warn_if_above_limit(max_connections: usize) {
    if let Some(limit) = open_file_limit() {
        let room = limit.saturating_sub(RESERVED_FILES);
        if u64::try_from(max_connections).unwrap_or(u64::MAX) > room {
            tracing::warn!(
                max_connections,
                open_file_limit = limit,
                "the connection cap is above the open-file limit less {RESERVED_FILES} for the \
                 rest of the process: clients could exhaust it (raise `ulimit -n`)"
            );
        }
    }
}

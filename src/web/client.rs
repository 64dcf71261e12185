//! Who sent a request: the connection's peer, or, when that peer is a reverse proxy we were
//! told to trust, the address it says it received the request from.
//!
//! X-Forwarded-For is a list each proxy appends its own peer to, so only its right end was
//! written by proxies we trust: everything to the left of the first entry that is not one of
//! them came from the client and may be forged. Reading the left-most entry, as many
//! frameworks do, would let any client choose the address it is logged (and throttled) under.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Request};

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address for `parts`: see [`forwarded_client`].
pub fn client_ip(parts: &Parts, trusted: &[IpAddr]) -> Option<IpAddr> {
    forwarded_client(peer(&parts.extensions), &parts.headers, trusted)
}

/// [`client_ip`], for a whole request (middleware sees those rather than parts).
pub fn request_client_ip<B>(request: &Request<B>, trusted: &[IpAddr]) -> Option<IpAddr> {
    forwarded_client(peer(request.extensions()), request.headers(), trusted)
}

fn peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// `peer` itself unless it is in `trusted`; then the right-most X-Forwarded-For entry that is
/// not in `trusted`. When every hop is trusted, the left-most of them; when an entry cannot be
/// read, the trusted hop that passed it on (the nearest address anyone vouches for). `None`
/// only without a peer (a request made in-process).
pub fn forwarded_client(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.to_canonical() == ip);
    if !is_trusted(peer) {
        return Some(peer);
    }
    let mut nearest = peer;
    // Several X-Forwarded-For headers are one list, in order.
    for value in headers.get_all(X_FORWARDED_FOR).iter().rev() {
        let Ok(value) = value.to_str() else {
            return Some(nearest);
        };
        for entry in value.rsplit(',') {
            match parse_hop(entry) {
                Some(ip) if is_trusted(ip) => nearest = ip,
                Some(ip) => return Some(ip),
                None => return Some(nearest),
            }
        }
    }
    Some(nearest)
}

/// One X-Forwarded-For entry: an address, which some proxies write with a port
/// (`192.0.2.1:443`, `[2001:db8::1]:443`) or in brackets.
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|addr| addr.ip()))
        .or_else(|_| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .unwrap_or(entry)
                .parse::<IpAddr>()
        })
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The client's address as an extractor, read with the trusted proxies this server was
/// started with: what the sign-in throttle counts by.
pub struct ClientAddress(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<crate::web::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::web::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(parts, &state.trusted_proxies)))
    }
}

//! The real peer address of a request, believing forwarded headers only from
//! proxies the operator named.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// Networks (address + prefix length) whose forwarded headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses entries like `10.0.0.1`, `10.0.0.0/8`, `::1/128`.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        let mut nets = Vec::new();
        for entry in entries {
            let (addr, len) = match entry.split_once('/') {
                Some((a, l)) => (a, Some(l)),
                None => (entry.as_str(), None),
            };
            let ip: IpAddr = addr
                .trim()
                .parse()
                .map_err(|_| format!("trusted proxy '{entry}' is not an IP address or CIDR"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let len = match len {
                Some(l) => l
                    .trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|l| *l <= max)
                    .ok_or_else(|| format!("trusted proxy '{entry}' has a bad prefix length"))?,
                None => max,
            };
            nets.push((ip, len));
        }
        Ok(Self(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(net, len)| in_network(ip, *net, *len))
    }
}

fn in_network(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// The client address: the socket peer, or, when the peer is a trusted proxy,
/// the right-most untrusted address of `X-Forwarded-For`.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn resolve(peer: IpAddr, forwarded: Option<&str>, trusted: &TrustedProxies) -> IpAddr {
        if !trusted.contains(peer) {
            return peer;
        }
        let Some(list) = forwarded else { return peer };
        for hop in list.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) if trusted.contains(ip) => continue,
                Ok(ip) => return ip,
                Err(_) => return peer,
            }
        }
        peer
    }
}

impl FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(ClientIp(Self::resolve(
            peer,
            forwarded,
            &state.settings.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_header_is_ignored_from_an_untrusted_peer() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8".into()]).unwrap();
        let got = ClientIp::resolve(ip("203.0.113.9"), Some("198.51.100.1"), &trusted);
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_header_from_a_trusted_proxy_gives_the_client() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8".into()]).unwrap();
        let got = ClientIp::resolve(
            ip("10.1.2.3"),
            Some("198.51.100.7, 203.0.113.5, 10.0.0.4"),
            &trusted,
        );
        assert_eq!(got, ip("203.0.113.5"));
    }

    #[test]
    fn a_bad_proxy_entry_is_refused_with_its_text() {
        let err = TrustedProxies::parse(&["10.0.0.0/40".into()]).unwrap_err();
        assert!(err.contains("10.0.0.0/40"));
    }
}
